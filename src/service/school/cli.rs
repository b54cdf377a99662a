//! The operator's side of the school's view (its settings, `DEADLINE` and `REMINDERS`, are
//! `config::school`): `helpdesk report` (the progress report as CSV, spreadsheet or Markdown for the whole
//! school, a college or a class) and the arguments of `helpdesk remind`.

use super::progress::Progress;
use super::report::{self, Labels};
use super::{Part, Scope, xlsx};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// `helpdesk remind`: remind the students not finished now, at Telegram's pace.
#[derive(Debug, Clone, Args)]
pub struct RemindArgs {
    /// Only the students of this college.
    #[arg(long)]
    pub college: Option<String>,
    /// Only the students of this class.
    #[arg(long = "class")]
    pub class: Option<String>,
    /// List who would be reminded, and of what, without reminding anyone.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Xlsx,
    Md,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Only the students of this college (as the roster spells it).
    #[arg(long)]
    pub college: Option<String>,
    /// Only the students of this class, e.g. 2022级计算机1班.
    #[arg(long = "class")]
    pub class: Option<String>,
    /// csv, xlsx or md; default: the extension of -o, else csv.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE (required for xlsx) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also draw the chart of completion per class into this PNG file.
    #[arg(long)]
    pub chart: Option<PathBuf>,
}

/// A report ready to write, or why the arguments cannot make one.
pub struct Written {
    pub bytes: Vec<u8>,
    pub progress: Progress,
    pub scope_name: String,
}

impl ReportArgs {
    /// The format asked for, or told by the output file's extension.
    pub fn chosen_format(&self) -> Result<ReportFormat, String> {
        if let Some(format) = self.format {
            return Ok(format);
        }
        let extension = self
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .map(|e| e.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            None | Some("csv") => Ok(ReportFormat::Csv),
            Some("xlsx") => Ok(ReportFormat::Xlsx),
            Some("md") => Ok(ReportFormat::Md),
            Some(other) => Err(format!(
                "cannot tell the format from `.{other}`: use --format csv, xlsx or md"
            )),
        }
    }
}

impl Service {
    /// The report `args` ask for; `Err` with a message naming what is wrong with them (an
    /// unknown college or class, xlsx to a terminal).
    pub async fn report(&self, args: &ReportArgs) -> Result<Result<Written, String>, ServiceError> {
        let format = match args.chosen_format() {
            Ok(f) => f,
            Err(message) => return Ok(Err(message)),
        };
        if format == ReportFormat::Xlsx && args.output.is_none() {
            return Ok(Err("a spreadsheet needs a file: add -o FILE.xlsx".into()));
        }
        let mut tx = self.store.pool.begin().await?;
        let all = self.progress(&mut tx, &[]).await?;
        tx.rollback().await?;
        if let Err(message) = check_names(&all, args) {
            return Ok(Err(message));
        }
        let scope = Scope::of(Part {
            college: args.college.clone(),
            class: args.class.clone(),
        });
        let scope = if args.college.is_none() && args.class.is_none() {
            Scope::everything()
        } else {
            scope
        };
        let progress = Progress::of(
            all.rows
                .into_iter()
                .filter(|r| scope.contains(&r.college, &r.class_name))
                .collect(),
        );
        let labels = Labels {
            texts: &self.tree.texts,
            locale: AGENT_LOCALE,
        };
        let scope_name = scope.describe(&labels.get("school-scope-all"));
        let bytes = match format {
            ReportFormat::Csv => report::csv(&progress, &labels)
                .map_err(|e| ServiceError::Report(format!("CSV: {e}")))?,
            ReportFormat::Xlsx => xlsx::workbook(&progress, &labels)
                .map_err(|e| ServiceError::Report(format!("spreadsheet: {e}")))?,
            ReportFormat::Md => {
                let title = format!("{} · {scope_name}", labels.get("school-file"));
                report::markdown(&progress, &labels, &title).into_bytes()
            }
        };
        Ok(Ok(Written {
            bytes,
            progress,
            scope_name,
        }))
    }
}

impl Service {
    /// The chart of a written report (what `/progress` shows).
    pub fn report_chart(&self, written: &Written) -> Result<Vec<u8>, ServiceError> {
        let date = self.clock.today().format("%Y-%m-%d").to_string();
        self.progress_chart(&written.progress, &written.scope_name, &date)
    }

    /// The totals of a written report as plain text (what `/progress` says).
    pub fn report_summary(&self, written: &Written) -> String {
        crate::dialogue::texts::html_to_plain(
            &self.progress_text(&written.progress, &written.scope_name),
        )
    }
}

/// An unknown college or class is named with the ones there are.
pub(crate) fn check_names(all: &Progress, args: &ReportArgs) -> Result<(), String> {
    let list = |names: Vec<&str>| {
        let mut names: Vec<&str> = names;
        names.dedup();
        let shown: Vec<&str> = names.iter().take(20).copied().collect();
        format!(
            "{}{}",
            shown.join(", "),
            if names.len() > 20 { ", …" } else { "" }
        )
    };
    if let Some(college) = &args.college
        && !all.colleges.iter().any(|(c, _)| c == college)
    {
        let colleges = all.colleges.iter().map(|(c, _)| c.as_str()).collect();
        return Err(format!(
            "no college named `{college}` on the roster; colleges: {}",
            list(colleges)
        ));
    }
    if let Some(class) = &args.class {
        let in_college = |c: &&super::progress::ClassTotals| {
            args.college
                .as_deref()
                .is_none_or(|college| c.college == college)
        };
        if !all
            .classes
            .iter()
            .filter(in_college)
            .any(|c| &c.class_name == class)
        {
            let classes = all
                .classes
                .iter()
                .filter(in_college)
                .map(|c| c.class_name.as_str())
                .collect();
            let within = args
                .college
                .as_deref()
                .map(|c| format!(" in {c}"))
                .unwrap_or_default();
            return Err(format!(
                "no class named `{class}`{within} on the roster; classes: {}",
                list(classes)
            ));
        }
    }
    Ok(())
}
