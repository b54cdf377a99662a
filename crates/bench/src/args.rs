//! The bench's options: what to measure, the load, Telegram's limits, the database's size
//! and the instances.

/// Whether Telegram's sending limits apply (the fake enforces them, the bot paces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LimitsMode {
    Off,
    On,
}

/// Options of `helpdesk-bench`. The database is always a fresh one: a temporary SQLite file,
/// a new SQLite file named by `--database-url`, or a new database on the PostgreSQL server
/// of `--database-url` (dropped afterwards).
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// What to measure: the update pipeline (default), `intents` (the free-text matcher on
    /// its evaluation set) or `tickets` (a crowd asking for a person, the agents' groups'
    /// budget).
    #[arg(value_enum, default_value = "pipeline")]
    pub what: BenchWhat,
    /// With `intents`: tune the gates on the set's dev split and show the figures with them.
    #[arg(long)]
    pub tune: bool,
    /// With `intents`: list the questions ranked wrongly.
    #[arg(long)]
    pub misses: bool,
    /// With `intents`: another evaluation file (split, language, intent or -, question).
    #[arg(long)]
    pub set: Option<std::path::PathBuf>,
    /// Simulated students, all starting at once (burst mode).
    #[arg(long, default_value_t = 2000)]
    pub students: usize,
    /// Steady mode: students arrive evenly so that `--rate` updates a second are offered
    /// for `--seconds` (instead of `--students` at once).
    #[arg(long)]
    pub steady: bool,
    /// Updates offered per second in steady mode.
    #[arg(long, default_value_t = 1000.0)]
    pub rate: f64,
    /// Seconds of arrivals in steady mode.
    #[arg(long, default_value_t = 30.0)]
    pub seconds: f64,
    /// Telegram's limits: `off` measures capacity; `on` makes the fake answer 429 like
    /// Telegram and the bot pace its sends.
    #[arg(long, value_enum, default_value = "off")]
    pub limits: LimitsMode,
    /// Upper bound of the run in seconds; figures cover what finished by then.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Keep the database (and scratch folder) afterwards.
    #[arg(long)]
    pub keep_db: bool,
    /// Print the first student's conversation.
    #[arg(long)]
    pub trace: bool,
    /// Print every one-second sample, not just a dozen.
    #[arg(long)]
    pub timeline: bool,
    /// Chats stored before the run that take no part in it (the database of a busy season).
    #[arg(long, default_value_t = 0)]
    pub stored_chats: u64,
    /// Inputs of the script each student walks (1–5; 3 with `--baseline`).
    #[arg(long)]
    pub inputs: Option<usize>,
    /// Walk the whole registration (10 inputs: the codes read from the mail and the SMS, an
    /// ID card and a phone number of each student's own) instead of its start with two
    /// wrong codes; the sends per student are then those of a completed registration.
    #[arg(long)]
    pub complete: bool,
    /// Run the same students, on the first three inputs, against a bot written the way
    /// teloxide's examples are (dialogue + SQLite storage, handlers calling the Bot) too,
    /// and print both and the ratio.
    #[arg(long)]
    pub baseline: bool,
    /// Instances of the bot sharing the (PostgreSQL) database, each serving a webhook that
    /// the fake posts updates to in turn, as behind a load balancer; 1: long polling.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub instances: u8,
    /// With `tickets`: agents' groups the tickets are spread over.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub groups: u8,
    /// With `tickets`: seconds in which a group takes 20 messages (Telegram: 60), in the bot
    /// and the fake alike.
    #[arg(long, default_value_t = 60)]
    pub group_window: u64,
    /// With `tickets`: each student also types their question right after /human (what a
    /// student asking for a person does), so the run counts what their first words cost.
    #[arg(long)]
    pub words: bool,
}

impl BenchArgs {
    /// How many inputs of the script a student walks.
    pub fn steps(&self) -> usize {
        let most = match self.complete {
            true => crate::script::COMPLETE_STEPS,
            false => crate::script::STEPS,
        };
        let default = if self.baseline { 3 } else { most };
        self.inputs.unwrap_or(default).clamp(1, most)
    }

    /// The names of the script's inputs.
    pub fn labels(&self) -> &'static [&'static str] {
        match self.complete {
            true => &crate::script::COMPLETE_LABELS,
            false => &crate::script::LABELS,
        }
    }

    pub fn title(&self) -> String {
        let load = if self.steady {
            format!(
                "steady {:.0} updates/s for {:.0} s",
                self.rate, self.seconds
            )
        } else {
            format!("burst of {} students", self.students)
        };
        let instances = match self.instances {
            1 => String::new(),
            n => format!(", {n} instances"),
        };
        let script = if self.complete {
            " (the whole registration)"
        } else {
            ""
        };
        format!(
            "{load}, {} inputs each{script}, limits {:?}{instances}",
            self.steps(),
            self.limits
        )
    }
}

/// What `helpdesk-bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchWhat {
    Pipeline,
    Intents,
    /// `--students` ask for a person at once; when the last ticket's card is visible.
    Tickets,
}
