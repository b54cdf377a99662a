//! `helpdesk bench`: load benchmark of the real intake → engine → outbox → sender path,
//! in-process against a fake Bot API on loopback, with simulated students.

mod baseline;
mod compare;
mod db;
mod driver;
mod fake;
mod fake_json;
mod fake_push;
mod fake_state;
mod intents;
mod pipeline;
mod report;
mod sampler;
mod students;
#[cfg(test)]
mod tests;

use crate::app::AppError;
use crate::config::Settings;
use crate::metrics::METRICS;
use crate::store::{Store, StoreError};
use db::BenchDb;
use driver::{drive, reset_peak_rss};
use fake::Fake;
use pipeline::Pipeline;
use report::{Figures, status_kib};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Whether Telegram's sending limits apply (the fake enforces them, the bot paces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LimitsMode {
    Off,
    On,
}

/// Options of `helpdesk bench`. The database is always a fresh one: a temporary SQLite file,
/// a new SQLite file named by `--database-url`, or a new database on the PostgreSQL server
/// of `--database-url` (dropped afterwards).
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// What to measure: the update pipeline (default) or `intents`, the free-text matcher on
    /// its evaluation set.
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
    /// Run the same students, on the first three inputs, against a bot written the way
    /// teloxide's examples are (dialogue + SQLite storage, handlers calling the Bot) too,
    /// and print both and the ratio.
    #[arg(long)]
    pub baseline: bool,
    /// Instances of the bot sharing the (PostgreSQL) database, each serving a webhook that
    /// the fake posts updates to in turn, as behind a load balancer; 1: long polling.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=8))]
    pub instances: u8,
}

impl BenchArgs {
    /// How many inputs of the script a student walks.
    fn steps(&self) -> usize {
        let default = if self.baseline { 3 } else { students::STEPS };
        self.inputs.unwrap_or(default).clamp(1, students::STEPS)
    }

    fn title(&self) -> String {
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
        format!(
            "{load}, {} inputs each, limits {:?}{instances}",
            self.steps(),
            self.limits
        )
    }
}

/// What `helpdesk bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchWhat {
    Pipeline,
    Intents,
}

/// Runs the benchmark and prints its figures.
pub async fn run(settings: &Settings, args: BenchArgs) -> Result<(), AppError> {
    if args.what == BenchWhat::Intents {
        return intents::run(
            settings.dialogues_dir.as_deref(),
            args.set.as_deref(),
            args.tune,
            args.misses,
        );
    }
    let scratch = std::env::temp_dir().join(format!("helpdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let db = BenchDb::prepare(&settings.database_url, &scratch).await?;
    // Ctrl-C still removes the database and the scratch folder.
    let result = tokio::select! {
        r = measure(settings, &args, &db, &scratch) => r,
        _ = tokio::signal::ctrl_c() => Err(AppError::Io(std::io::Error::other("bench: interrupted"))),
    };
    let cleaned = db.cleanup(args.keep_db).await;
    let mut figures = match result {
        Ok(figures) => figures,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&scratch);
            return Err(e);
        }
    };
    cleaned?;
    figures.print(args.timeline);
    if args.baseline {
        let result = tokio::select! {
            r = compare::measure(&args, &scratch) => r,
            _ = tokio::signal::ctrl_c() => Err(AppError::Io(std::io::Error::other("bench: interrupted"))),
        };
        match result {
            Ok(mut base) => {
                base.print(args.timeline);
                compare::print_ratio(&figures, &base);
            }
            Err(e) => eprintln!("bench: the baseline failed: {e}"),
        }
    }
    if args.keep_db {
        println!("kept: {} and {}", db.describe(), scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(())
}

async fn measure(
    settings: &Settings,
    args: &BenchArgs,
    db: &BenchDb,
    scratch: &Path,
) -> Result<Figures, AppError> {
    let limits_on = args.limits == LimitsMode::On;
    let fake = Fake::start(pipeline::TOKEN, limits_on).await?;
    let bench = pipeline::bench_settings(settings, &db.url()?, scratch, &fake.url(), limits_on);
    reset_peak_rss();
    let rss_start_kib = status_kib("VmRSS").unwrap_or(0);
    let bots = start_instances(&bench, args.instances).await?;
    let store = bots[0].service().store.clone();
    db.seed_chats(&store, args.stored_chats).await?;
    let (db_empty_bytes, _) = db.size(&store, false).await?;
    eprintln!("bench: {} on {}", args.title(), db.describe());
    let delivered_start = METRICS.replies_sent.load(Ordering::Relaxed);
    let driven = drive(args, &fake, Some(store.clone())).await;
    for bot in bots {
        bot.stop().await;
    }
    fake.stop();
    let delivered = METRICS.replies_sent.load(Ordering::Relaxed) - delivered_start;
    let (db_bytes, db_detail) = db.size(&store, true).await?;
    let inbox_processed = count(
        &store,
        "SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL",
    )
    .await?;
    let chats = count(
        &store,
        "SELECT COUNT(*) FROM chat_state WHERE chat_id < 200000000",
    )
    .await?;
    let outbox: Vec<(i64, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            .fetch_all(&store.pool)
            .await
            .map_err(StoreError::Sqlx)?;
    store.pool.close().await;
    store.writer.close().await;
    let mail = pipeline::mail_dir(scratch);
    let emails = std::fs::read_dir(&mail).map_or(0, |d| d.count());
    if let Some(parent) = mail.parent().filter(|p| !p.starts_with(scratch)) {
        let _ = std::fs::remove_dir_all(parent);
    }
    Ok(Figures {
        inbox_processed,
        outbox,
        delivered,
        chats,
        db_bytes,
        db_empty_bytes,
        db_detail,
        rss_start_kib,
        emails,
        ..driven.figures(args, &fake, db.describe())
    })
}

/// One instance polling, or `instances` serving webhooks on their own loopback ports.
async fn start_instances(bench: &Settings, instances: u8) -> Result<Vec<Pipeline>, AppError> {
    if instances == 1 {
        return Ok(vec![Pipeline::start(bench).await?]);
    }
    if !bench.database_url.starts_with("postgres") {
        return Err(AppError::Io(std::io::Error::other(
            "bench: several instances share a PostgreSQL database; pass --database-url postgres://…",
        )));
    }
    // Free ports, all held until each is known so that no two are the same, then released
    // for the instances to bind.
    let held = (0..instances)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()?;
    let ports = held
        .iter()
        .map(|l| l.local_addr().map(|a| a.port()))
        .collect::<Result<Vec<_>, _>>()?;
    drop(held);
    let mut bots = Vec::new();
    for (index, port) in ports.into_iter().enumerate() {
        let settings = pipeline::instance_settings(bench, index, port);
        bots.push(Pipeline::start(&settings).await?);
    }
    Ok(bots)
}

async fn count(store: &Store, sql: &'static str) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&store.pool)
        .await
        .map_err(StoreError::Sqlx)?;
    Ok(n)
}
