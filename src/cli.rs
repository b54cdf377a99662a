//! The command line of `helpdesk`: its subcommands, with the settings flattened in.

use crate::config::Settings;
use crate::dialogue::graph::GraphFormat;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "helpdesk",
    version,
    about = "Telegram helpdesk bot for student-information accounts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Subcommand)]
pub enum DialoguesCmd {
    /// Write the built-in dialogue files and texts to DIR.
    Export {
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum IntentsCmd {
    /// List the typed questions nothing matched (or whose suggestions were all wrong), most
    /// frequent first, scrubbed of personal values: phrasings to add to dialogues/intents/.
    Unmatched {
        /// Only questions of the last DAYS days.
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// At most this many questions.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set).
    Run,
    /// Talk to the same dialogues in this terminal.
    Console,
    /// Check the dialogue files and texts; exits non-zero listing every problem.
    Check,
    /// Print the dialogue tree as a diagram.
    Graph {
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormat,
    },
    /// The built-in dialogues: `export DIR` writes them out to edit (then set DIALOGUES_DIR).
    Dialogues {
        #[command(subcommand)]
        action: DialoguesCmd,
    },
    /// Apply database migrations (also done at every start).
    Migrate,
    /// What students typed: `unmatched` lists the questions the bot did not understand.
    Intents {
        #[command(subcommand)]
        action: IntentsCmd,
    },
    /// The school's progress report: a row per student (stage, dates, open tickets) and the
    /// totals per class and college, as CSV, a spreadsheet or Markdown.
    Report(crate::service::school::cli::ReportArgs),
    /// Remind the students who talked to the bot and are not finished, now (each at most once
    /// a day this way), through the outbox at Telegram's pace.
    Remind(crate::service::school::cli::RemindArgs),
    /// Import the registrar's roster (CSV with a header row) and graduate photos.
    ImportRecords {
        /// The roster: student_no,name,gender,birth_date,id_type,id_number,school,college,
        /// major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo
        file: PathBuf,
        /// Folder holding the photos named in the `photo` column.
        #[arg(long)]
        photos: Option<PathBuf>,
        /// Check every row (and photo) and say what an import would do, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
}
