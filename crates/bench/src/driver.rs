//! Driving the simulated students against a running bot (the helpdesk or the baseline) and
//! the figures every run shares.

use crate::args::{BenchArgs, LimitsMode};
use crate::codes::MailCodes;
use crate::pipeline;
use crate::report::{Figures, cpu_now, status_kib};
use crate::sampler;
use crate::students::{self, CHAT_BASE, Tally};
use fake_telegram::FakeTelegram;
use helpdesk::store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The fake Bot API of a run: in load mode (thousands of chats; counts, not records), with
/// Telegram's limits or without, and with `webhooks` posting updates to the instances in turn.
pub async fn start_fake(limits_on: bool, webhooks: bool) -> std::io::Result<FakeTelegram> {
    let fake = FakeTelegram::try_start(pipeline::TOKEN).await?;
    fake.set_load_mode(true);
    fake.set_rate_limits(limits_on);
    if webhooks {
        fake.deliver_to_webhooks();
    }
    Ok(fake)
}

/// What driving the students produced, whatever bot answered them.
pub struct Driven {
    tally: Tally,
    timed_out: bool,
    samples: Vec<sampler::Sample>,
    cpu_seconds: f64,
    machine_busy: f64,
    machine_before: f64,
}

/// Drives the students of `args` through `fake` and samples once a second; the whole
/// registration reads its mailed codes from `mail`.
pub async fn drive(
    args: &BenchArgs,
    fake: &FakeTelegram,
    store: Option<Store>,
    mail: Option<PathBuf>,
) -> Driven {
    let tally = Arc::new(Mutex::new(Tally::default()));
    if args.trace {
        fake.trace(CHAT_BASE);
    }
    let idle_start = cpu_now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let machine_before = cpu_now().machine_busy_since(&idle_start);
    let sampler = sampler::Sampler::start(store, tally.clone());
    let cpu_start = cpu_now();
    let how = students::Walk {
        steps: args.steps(),
        settle: if args.limits == LimitsMode::On {
            students::SETTLE_LIMITED
        } else {
            students::SETTLE
        },
        trace: args.trace,
        codes: mail
            .filter(|_| args.complete)
            .map(|dir| Arc::new(MailCodes::new(dir))),
    };
    let students = async {
        if args.steady {
            let load = (args.rate, args.seconds);
            students::steady(fake.clone(), load, how, tally.clone()).await;
        } else {
            students::burst(fake.clone(), args.students, how, tally.clone()).await;
        }
    };
    let limit = Duration::from_secs(args.timeout);
    let timed_out = tokio::time::timeout(limit, students).await.is_err();
    let cpu_end = cpu_now();
    let samples = sampler.stop();
    let tally = tally
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default();
    Driven {
        tally,
        timed_out,
        samples,
        cpu_seconds: cpu_end.process_seconds_since(&cpu_start),
        machine_busy: cpu_end.machine_busy_since(&cpu_start),
        machine_before,
    }
}

impl Driven {
    /// The figures every run has; the caller adds what its bot keeps.
    pub fn figures(self, args: &BenchArgs, fake: &FakeTelegram, database: String) -> Figures {
        let t = self.tally;
        let span = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => Duration::ZERO,
        };
        Figures {
            title: args.title(),
            database,
            timed_out: self.timed_out,
            students_started: t.started,
            students_finished: t.finished,
            failures: t.failures,
            offered: fake.updates_pushed(),
            latencies: t.latencies,
            steps: t.steps,
            labels: args.labels(),
            fetch_waits: fake.fetch_waits(),
            busy: span(t.first_offer, t.last_reply),
            offering: span(t.first_offer, t.last_offer),
            arrivals: span(t.first_offer, t.last_arrival),
            demand: args.steady.then_some(args.rate),
            rss_peak_kib: status_kib("VmHWM").unwrap_or(0),
            cpu_seconds: self.cpu_seconds,
            machine_busy: self.machine_busy,
            machine_before: self.machine_before,
            count_429: u64::try_from(fake.count_429()).unwrap_or(u64::MAX),
            counted_sends: fake.counted_sends(),
            floor_rate: (args.limits == LimitsMode::On).then_some(crate::steps::OVERALL_PER_SECOND),
            calls: fake.call_counts(),
            samples: self.samples,
            ..Figures::default()
        }
    }
}

/// Resets the peak resident set (`VmHWM`), so each run reports its own.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
