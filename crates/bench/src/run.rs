//! A run of the pipeline bench: a fresh database, the fake Bot API, the bot's instances, the
//! students, then the figures (and the baseline's, with `--baseline`).

use crate::args::{BenchArgs, BenchWhat, LimitsMode};
use crate::db::BenchDb;
use crate::driver::{drive, reset_peak_rss, start_fake};
use crate::pipeline::{self, Pipeline};
use crate::report::{Figures, status_kib};
use crate::{compare, intents, tickets};
use helpdesk::app::AppError;
use helpdesk::config::Settings;
use helpdesk::delivery::notices;
use helpdesk::metrics::METRICS;
use helpdesk::store::{Store, StoreError};
use std::path::Path;
use std::sync::atomic::Ordering;

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
    if args.what == BenchWhat::Tickets {
        let result = tokio::select! {
            r = tickets::run(settings, &args, &db, &scratch) => r,
            _ = tokio::signal::ctrl_c() => Err(AppError::Io(std::io::Error::other("bench: interrupted"))),
        };
        let cleaned = db.cleanup(args.keep_db).await;
        let _ = std::fs::remove_dir_all(&scratch);
        result?;
        return cleaned;
    }
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
    let fake = start_fake(limits_on, args.instances > 1).await?;
    // The bot's queue notices are told apart from its answers by how they begin.
    let tree = helpdesk::dialogue::Tree::load_or_embedded(settings.dialogues_dir.as_deref());
    fake.mark_replies(tree.map(|t| notices::prefixes(&t)).unwrap_or_default());
    let bench = pipeline::bench_settings(settings, &db.url()?, scratch, &fake.api_url(), limits_on);
    reset_peak_rss();
    let rss_start_kib = status_kib("VmRSS").unwrap_or(0);
    let bots = start_instances(&bench, args.instances).await?;
    let store = bots[0].service().store.clone();
    db.seed_chats(&store, args.stored_chats).await?;
    let (db_empty_bytes, _) = db.size(&store, false).await?;
    eprintln!("bench: {} on {}", args.title(), db.describe());
    let delivered_start = METRICS.replies_sent.load(Ordering::Relaxed);
    let mail = Some(pipeline::mail_dir(scratch));
    let driven = drive(args, &fake, Some(store.clone()), mail).await;
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
    // Tidying edits yield to answers, so some may still wait when the students are done.
    let edits_waiting = count(
        &store,
        "SELECT COUNT(*) FROM outbox WHERE status = 0 AND lane LIKE 'edit:%'",
    )
    .await?;
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
        edits_waiting,
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
