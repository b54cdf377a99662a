//! Once a second during a run: how many updates have been answered, where the work queues up
//! (inbox rows not yet handled, outbox rows not yet sent) and how busy the CPUs are.

use crate::report::{Cpu, cpu_now};
use crate::students::Shared as Tally;
use helpdesk::store::{Store, inbox, outbox};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::Instant;

const EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Seconds since the run started.
    pub at: f64,
    /// Inputs answered so far (first reply received).
    pub answered: usize,
    pub inbox_backlog: i64,
    pub outbox_pending: i64,
    /// CPU time this process used in the last interval, in cores.
    pub process_cores: f64,
    /// Share of the machine's CPUs busy in the last interval (every process).
    pub machine_busy: f64,
}

pub struct Sampler {
    samples: Arc<Mutex<Vec<Sample>>>,
    task: JoinHandle<()>,
}

impl Sampler {
    /// Samples `tally`, and the inbox and outbox of `store` when there is one (the baseline
    /// bot has neither).
    pub fn start(store: Option<Store>, tally: Tally) -> Sampler {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let into = samples.clone();
        let task = tokio::spawn(async move {
            let start = Instant::now();
            let mut before: Cpu = cpu_now();
            let mut tick = tokio::time::interval_at(start + EVERY, EVERY);
            loop {
                tick.tick().await;
                let (inbox_backlog, outbox_pending) = match &store {
                    Some(store) => (
                        inbox::backlog(store).await.unwrap_or(-1),
                        outbox::depth(store).await.map_or(-1, |d| d.0),
                    ),
                    None => (-1, -1),
                };
                let answered = tally.lock().map_or(0, |t| t.latencies.len());
                let now = cpu_now();
                let sample = Sample {
                    at: start.elapsed().as_secs_f64(),
                    answered,
                    inbox_backlog,
                    outbox_pending,
                    process_cores: now.process_cores_since(&before),
                    machine_busy: now.machine_busy_since(&before),
                };
                before = now;
                if let Ok(mut s) = into.lock() {
                    s.push(sample);
                }
            }
        });
        Sampler { samples, task }
    }

    pub fn stop(self) -> Vec<Sample> {
        self.task.abort();
        self.samples.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The most inputs answered in any one-second interval.
pub fn peak_rate(samples: &[Sample]) -> f64 {
    let mut last = (0.0, 0usize);
    let mut peak: f64 = 0.0;
    for s in samples {
        let dt = s.at - last.0;
        if dt > 0.0 {
            peak = peak.max(s.answered.saturating_sub(last.1) as f64 / dt);
        }
        last = (s.at, s.answered);
    }
    peak
}

/// One line per sample, at most `lines` of them (evenly spread).
pub fn timeline(samples: &[Sample], lines: usize) -> String {
    let step = samples.len().div_ceil(lines.max(1)).max(1);
    let mut out = String::from(
        "     t  answered/s  inbox backlog  outbox pending  bench CPU (cores)  machine CPU\n",
    );
    let mut last = (0.0, 0usize);
    for (i, s) in samples.iter().enumerate() {
        if i % step != 0 && i + 1 != samples.len() {
            continue;
        }
        let rate = s.answered.saturating_sub(last.1) as f64 / (s.at - last.0).max(0.001);
        last = (s.at, s.answered);
        out.push_str(&format!(
            "{:>5.0}s  {:>10.0}  {:>13}  {:>14}  {:>17.2}  {:>10.0}%\n",
            s.at,
            rate,
            s.inbox_backlog,
            s.outbox_pending,
            s.process_cores,
            s.machine_busy * 100.0
        ));
    }
    out
}
