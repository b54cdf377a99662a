//! Operations: `/healthz` (ready when the database answers) and Prometheus `/metrics`.
//! Counters are process-wide atomics, so the hot paths only add to them.

use crate::store::{Store, outbox};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
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
}

/// The `/healthz` and `/metrics` routes.
pub fn router(store: Store, clock: crate::service::Clock) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state((store, clock))
}

async fn healthz(
    State((store, _)): State<(Store, crate::service::Clock)>,
) -> (StatusCode, &'static str) {
    if store.ping().await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}

async fn metrics(
    State((store, clock)): State<(Store, crate::service::Clock)>,
) -> (StatusCode, String) {
    let (depth, oldest) = outbox::depth(&store).await.unwrap_or((0, None));
    let oldest_age = oldest
        .map(|t| (clock.now_ms() - t).max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    let open: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE status IN ('open', 'in_progress')")
            .fetch_one(&store.pool)
            .await
            .unwrap_or((0,));
    let m = &METRICS;
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let mut out = String::new();
    let mut line = |name: &str, kind: &str, help: &str, value: String| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
        ));
    };
    line(
        "helpdesk_updates_handled_total",
        "counter",
        "Updates handled.",
        load(&m.updates_handled).to_string(),
    );
    line(
        "helpdesk_replies_sent_total",
        "counter",
        "Outbox rows delivered.",
        load(&m.replies_sent).to_string(),
    );
    line(
        "helpdesk_deliveries_failed_total",
        "counter",
        "Outbox rows given up.",
        load(&m.deliveries_failed).to_string(),
    );
    line(
        "helpdesk_telegram_429_total",
        "counter",
        "429 answers from Telegram.",
        load(&m.too_many_requests).to_string(),
    );
    line(
        "helpdesk_outbox_depth",
        "gauge",
        "Outbox rows waiting.",
        depth.to_string(),
    );
    line(
        "helpdesk_outbox_oldest_seconds",
        "gauge",
        "Age of the oldest waiting outbox row.",
        format!("{oldest_age:.3}"),
    );
    line(
        "helpdesk_tickets_open",
        "gauge",
        "Open and in-progress tickets.",
        open.0.to_string(),
    );
    out.push_str("# HELP helpdesk_handling_seconds Time to handle one update.\n# TYPE helpdesk_handling_seconds histogram\n");
    for (bound, bucket) in BUCKETS.iter().zip(&m.latency_buckets) {
        out.push_str(&format!(
            "helpdesk_handling_seconds_bucket{{le=\"{bound}\"}} {}\n",
            load(bucket)
        ));
    }
    let count = load(&m.latency_count);
    out.push_str(&format!(
        "helpdesk_handling_seconds_bucket{{le=\"+Inf\"}} {count}\n"
    ));
    out.push_str(&format!(
        "helpdesk_handling_seconds_sum {:.6}\n",
        load(&m.latency_sum_us) as f64 / 1e6
    ));
    out.push_str(&format!("helpdesk_handling_seconds_count {count}\n"));
    (StatusCode::OK, out)
}
