//! Process-wide counters and the handling-time histogram: atomics, so the hot paths only
//! add to them; `/metrics` (the ops router) and the bench read them.

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds (seconds) of the handler latency histogram.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// Process-wide counters.
pub struct Metrics {
    pub updates_handled: AtomicU64,
    pub replies_sent: AtomicU64,
    pub deliveries_failed: AtomicU64,
    pub too_many_requests: AtomicU64,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
}

pub static METRICS: Metrics = Metrics {
    updates_handled: AtomicU64::new(0),
    replies_sent: AtomicU64::new(0),
    deliveries_failed: AtomicU64::new(0),
    too_many_requests: AtomicU64::new(0),
    latency_buckets: [const { AtomicU64::new(0) }; BUCKETS.len()],
    latency_count: AtomicU64::new(0),
    latency_sum_us: AtomicU64::new(0),
};

impl Metrics {
    /// Records how long handling one update took.
    pub fn observe_handling(&self, elapsed: std::time::Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.latency_buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        self.updates_handled.fetch_add(1, Ordering::Relaxed);
    }

    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The handling-time histogram in Prometheus's text format.
    pub fn histogram(&self) -> String {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        out.push_str("# HELP helpdesk_handling_seconds Time to handle one update.\n# TYPE helpdesk_handling_seconds histogram\n");
        for (bound, bucket) in BUCKETS.iter().zip(&self.latency_buckets) {
            out.push_str(&format!(
                "helpdesk_handling_seconds_bucket{{le=\"{bound}\"}} {}\n",
                load(bucket)
            ));
        }
        let count = load(&self.latency_count);
        out.push_str(&format!(
            "helpdesk_handling_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "helpdesk_handling_seconds_sum {:.6}\n",
            load(&self.latency_sum_us) as f64 / 1e6
        ));
        out.push_str(&format!("helpdesk_handling_seconds_count {count}\n"));
        out
    }
}
