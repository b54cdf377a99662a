//! `--baseline`: the same students and fake against the teloxide-examples-style bot of
//! [`crate::baseline`], and the ratio of the two runs.

use crate::args::{BenchArgs, LimitsMode};
use crate::driver::{drive, reset_peak_rss, start_fake};
use crate::report::{Figures, percentile, status_kib};
use crate::{baseline, pipeline};
use helpdesk::app::AppError;
use std::path::Path;

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Io(std::io::Error::other(format!("baseline: {e}")))
}

/// Runs the baseline bot on a fresh SQLite file in `scratch` under the load of `args`.
pub async fn measure(args: &BenchArgs, scratch: &Path) -> Result<Figures, AppError> {
    let fake = start_fake(args.limits == LimitsMode::On, false).await?;
    let file = scratch.join("baseline.db");
    let path = file.display().to_string();
    let storage = baseline::DialogueStorage::open(&path)
        .await
        .map_err(failed)?;
    let api = url::Url::parse(&fake.api_url()).map_err(failed)?;
    reset_peak_rss();
    let rss_start_kib = status_kib("VmRSS").unwrap_or(0);
    let (stop, task) = baseline::start(pipeline::TOKEN, api, storage.clone());
    let database = format!("SQLite {path} (teloxide-style dialogue storage)");
    eprintln!("bench: baseline, {} on {database}", args.title());
    let driven = drive(args, &fake, None, None).await;
    if let Ok(stopping) = stop.shutdown() {
        stopping.await;
    }
    let _ = task.await;
    fake.stop();
    let chats: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM teloxide_dialogues")
        .fetch_one(&storage.pool())
        .await
        .map_err(failed)?;
    storage.close().await;
    let len = |suffix: &str| std::fs::metadata(format!("{path}{suffix}")).map_or(0, |m| m.len());
    let db_bytes = len("") + len("-journal") + len("-wal");
    let mut figures = driven.figures(args, &fake, database);
    figures.title = format!("baseline (teloxide examples' style): {}", figures.title);
    figures.chats = chats.0;
    figures.db_bytes = db_bytes;
    figures.db_detail = "file (rollback journal)".into();
    figures.rss_start_kib = rss_start_kib;
    figures.inbox_processed = -1;
    Ok(figures)
}

/// Prints the helpdesk's figures against the baseline's.
pub fn print_ratio(helpdesk: &Figures, base: &Figures) {
    let rate = |f: &Figures| f.latencies.len() as f64 / f.busy.as_secs_f64().max(0.001);
    let p99 = |f: &Figures| {
        let mut sorted = f.latencies.clone();
        sorted.sort();
        percentile(&sorted, 99.0).as_secs_f64() * 1000.0
    };
    let (ours, theirs) = (rate(helpdesk), rate(base));
    println!("\n== helpdesk vs the teloxide-examples-style baseline, same students and fake ==");
    println!(
        "throughput          helpdesk {ours:.0} updates/s, baseline {theirs:.0} updates/s: ratio {:.2}",
        ours / theirs.max(0.001)
    );
    println!(
        "reply latency p99   helpdesk {:.0} ms, baseline {:.0} ms",
        p99(helpdesk),
        p99(base)
    );
    println!(
        "peak RSS            helpdesk {:.1} MiB, baseline {:.1} MiB",
        helpdesk.rss_peak_kib as f64 / 1024.0,
        base.rss_peak_kib as f64 / 1024.0
    );
}
