//! `helpdesk bench`: load benchmark of the real intake → engine → outbox → sender path,
//! in-process against a fake Bot API on loopback, with simulated students.

mod db;
mod fake;
mod fake_json;
mod fake_state;
mod pipeline;
mod report;
mod sampler;
mod students;
#[cfg(test)]
mod tests;

use crate::app::AppError;
use crate::config::Settings;
use crate::ops::METRICS;
use crate::store::{Store, StoreError};
use crate::telegram::limits::Limits;
use db::BenchDb;
use fake::Fake;
use pipeline::Pipeline;
use report::{Figures, cpu_now, status_kib};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use students::{CHAT_BASE, Tally};

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
}

/// Runs the benchmark and prints its figures.
pub async fn run(settings: &Settings, args: BenchArgs) -> Result<(), AppError> {
    let scratch = std::env::temp_dir().join(format!("helpdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let db = BenchDb::prepare(&settings.database_url, &scratch).await?;
    // Ctrl-C still removes the database and the scratch folder.
    let result = tokio::select! {
        r = measure(settings, &args, &db, &scratch) => r,
        _ = tokio::signal::ctrl_c() => Err(AppError::Io(std::io::Error::other("bench: interrupted"))),
    };
    let cleaned = db.cleanup(args.keep_db).await;
    if args.keep_db {
        println!("kept: {} and {}", db.describe(), scratch.display());
    } else {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let mut figures = result?;
    cleaned?;
    figures.print(args.timeline);
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
    let bench = pipeline::bench_settings(settings, &db.url()?, scratch, &fake.url());
    let rss_start_kib = status_kib("VmRSS").unwrap_or(0);
    let limits = if limits_on {
        Limits::telegram()
    } else {
        Limits::off()
    };
    let bot = Pipeline::start(&bench, limits).await?;
    let store = bot.service.store.clone();
    let (db_empty_bytes, _) = db.size(&store).await?;
    let tally = Arc::new(Mutex::new(Tally::default()));
    if args.trace {
        fake.trace(CHAT_BASE);
    }
    let title = if args.steady {
        format!(
            "steady {:.0} updates/s for {:.0} s, limits {:?}",
            args.rate, args.seconds, args.limits
        )
    } else {
        format!(
            "burst of {} students, limits {:?}",
            args.students, args.limits
        )
    };
    eprintln!("bench: {title} on {}", db.describe());
    let idle_start = cpu_now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let machine_before = cpu_now().machine_busy_since(&idle_start);
    let sampler = sampler::Sampler::start(store.clone(), tally.clone());
    let cpu_start = cpu_now();
    let delivered_start = METRICS.replies_sent.load(Ordering::Relaxed);
    let drive = async {
        if args.steady {
            students::steady(
                fake.clone(),
                args.rate,
                args.seconds,
                tally.clone(),
                args.trace,
            )
            .await;
        } else {
            students::burst(fake.clone(), args.students, tally.clone(), args.trace).await;
        }
    };
    let limit = Duration::from_secs(args.timeout);
    let timed_out = tokio::time::timeout(limit, drive).await.is_err();
    let cpu_end = cpu_now();
    let samples = sampler.stop();
    bot.stop().await;
    fake.stop();
    let delivered = METRICS.replies_sent.load(Ordering::Relaxed) - delivered_start;
    let (db_bytes, db_detail) = db.size(&store).await?;
    let inbox_processed = count(
        &store,
        "SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL",
    )
    .await?;
    let chats = count(&store, "SELECT COUNT(*) FROM chat_state").await?;
    let outbox: Vec<(i64, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            .fetch_all(&store.pool)
            .await
            .map_err(StoreError::Sqlx)?;
    store.pool.close().await;
    let t = tally
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default();
    let span = |a: Option<tokio::time::Instant>, b: Option<tokio::time::Instant>| match (a, b) {
        (Some(a), Some(b)) => b.saturating_duration_since(a),
        _ => Duration::ZERO,
    };
    let emails = std::fs::read_dir(scratch.join("mail")).map_or(0, |d| d.count());
    Ok(Figures {
        title,
        database: db.describe(),
        timed_out,
        students_started: t.started,
        students_finished: t.finished,
        failures: t.failures,
        offered: fake.offered(),
        latencies: t.latencies,
        steps: t.steps,
        fetch_waits: fake.fetch_waits(),
        busy: span(t.first_offer, t.last_reply),
        offering: span(t.first_offer, t.last_offer),
        arrivals: span(t.first_offer, t.last_arrival),
        demand: args.steady.then_some(args.rate),
        inbox_processed,
        outbox,
        delivered,
        chats,
        db_bytes,
        db_empty_bytes,
        db_detail,
        rss_start_kib,
        rss_peak_kib: status_kib("VmHWM").unwrap_or(0),
        cpu_seconds: cpu_end.process_seconds_since(&cpu_start),
        machine_busy: cpu_end.machine_busy_since(&cpu_start),
        machine_before,
        count_429: fake.count_429(),
        calls: fake.calls(),
        emails,
        samples,
    })
}

async fn count(store: &Store, sql: &'static str) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&store.pool)
        .await
        .map_err(StoreError::Sqlx)?;
    Ok(n)
}
