//! The progress report as tables — one row per student, and the totals per class, college and
//! overall — written as CSV or Markdown here and as a spreadsheet in [`super::xlsx`]. Labels
//! come from the texts (`school.ftl`) in the agents' language.

use super::progress::{Progress, StudentRow};
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Locale, Texts};
use crate::domain::progress::{Stage, Totals};

/// A table cell: numbers stay numbers in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Renders labels in one language.
pub struct Labels<'a> {
    pub texts: &'a Texts,
    pub locale: Locale,
}

impl Labels<'_> {
    pub fn get(&self, key: &str) -> String {
        html_to_plain(&self.texts.get(self.locale, key))
    }

    pub fn stage(&self, stage: Stage) -> String {
        self.get(&format!("school-stage-{}", stage.code().replace('_', "-")))
    }

    /// What is left to the student, joined: `核对学籍信息、核对照片`.
    pub fn left(&self, row: &StudentRow) -> String {
        let sep = if self.locale == Locale::ZhCn {
            "、"
        } else {
            ", "
        };
        row.steps_left
            .iter()
            .map(|s| self.get(&format!("school-step-{}", s.code().replace('_', "-"))))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// A time as the school reads it: `2026-06-01 14:05`, China Standard Time.
pub fn cst(ms: Option<i64>) -> String {
    ms.and_then(|ms| chrono::DateTime::from_timestamp_millis(ms + 8 * 3_600_000))
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

const STUDENT_COLUMNS: [&str; 17] = [
    "college",
    "class",
    "counsellor",
    "student-no",
    "name",
    "id",
    "stage",
    "left",
    "first-contact",
    "registered",
    "bound",
    "info",
    "photo",
    "done",
    "tickets",
    "reach",
    "reminded",
];

/// One row per student.
pub fn students(p: &Progress, l: &Labels) -> Table {
    let header = STUDENT_COLUMNS
        .iter()
        .map(|c| l.get(&format!("school-col-{c}")))
        .collect();
    let rows = p
        .rows
        .iter()
        .map(|r| {
            let reach = match (&r.chat, r.muted) {
                (None, _) => "school-reach-no",
                (Some(_), true) => "school-reach-muted",
                (Some(_), false) => "school-reach-yes",
            };
            let tickets = r
                .open_tickets
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" ");
            [
                r.college.clone(),
                r.class_name.clone(),
                r.counsellor.clone(),
                r.student_no.clone(),
                r.name.clone(),
                r.id_masked.clone(),
                l.stage(r.stage),
                l.left(r),
                cst(r.first_contact_at),
                cst(r.registered_at),
                cst(r.bound_at),
                cst(r.info_confirmed_at),
                cst(r.photo_confirmed_at),
                cst(r.done_at),
                tickets,
                l.get(reach),
                cst(r.last_reminded_at),
            ]
            .into_iter()
            .map(Cell::Text)
            .collect()
        })
        .collect();
    Table { header, rows }
}

/// The totals: each class, each college, everyone.
pub fn totals(p: &Progress, l: &Labels) -> Table {
    let mut header: Vec<String> = ["college", "class", "counsellor", "students"]
        .iter()
        .map(|c| l.get(&format!("school-col-{c}")))
        .collect();
    header.extend(Stage::ALL.iter().map(|s| l.stage(*s)));
    header.push(l.get("school-col-percent"));
    header.push(l.get("school-col-unreachable"));
    let line = |college: String, class: String, counsellor: String, t: &Totals| {
        let mut cells = vec![
            Cell::Text(college),
            Cell::Text(class),
            Cell::Text(counsellor),
            Cell::Int(count(t.students)),
        ];
        cells.extend(Stage::ALL.iter().map(|s| Cell::Int(count(t.count(*s)))));
        cells.push(Cell::Text(format!("{}%", t.percent_done())));
        cells.push(Cell::Int(count(t.unreachable)));
        cells
    };
    let mut rows: Vec<Vec<Cell>> = p
        .classes
        .iter()
        .map(|c| {
            line(
                c.college.clone(),
                c.class_name.clone(),
                c.counsellor.clone(),
                &c.totals,
            )
        })
        .collect();
    for (college, t) in &p.colleges {
        rows.push(line(
            college.clone(),
            l.get("school-total-college"),
            String::new(),
            t,
        ));
    }
    rows.push(line(
        l.get("school-total-all"),
        String::new(),
        String::new(),
        &p.total,
    ));
    Table { header, rows }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right): the
/// students, an empty line, then the totals with their own header.
pub fn csv(p: &Progress, l: &Labels) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for (i, table) in [students(p, l), totals(p, l)].iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        writer.write_record(&table.header)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(Cell::text))?;
        }
        out.extend(writer.into_inner().map_err(|e| e.into_error())?);
    }
    Ok(out)
}

/// Markdown: the totals first (what a counsellor looks at), then the students.
pub fn markdown(p: &Progress, l: &Labels, title: &str) -> String {
    let mut out = format!("# {title}\n\n## {}\n\n", l.get("school-sheet-totals"));
    out.push_str(&md_table(&totals(p, l)));
    out.push_str(&format!("\n## {}\n\n", l.get("school-sheet-students")));
    out.push_str(&md_table(&students(p, l)));
    out
}

fn md_table(t: &Table) -> String {
    let cell = |s: String| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!("| {} |\n", t.header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(t.header.len())));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c.text())).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}
