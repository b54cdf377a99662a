//! Operations: `/healthz` (ready when the database answers) and Prometheus `/metrics`,
//! which reads the counters of [`crate::metrics`] and the queues' depths.

use crate::metrics::METRICS;
use crate::store::{Store, outbox, tickets};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use std::sync::atomic::{AtomicU64, Ordering};

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
    let open = tickets::open_count(&store).await.unwrap_or(0);
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
        open.to_string(),
    );
    out.push_str(&m.histogram());
    (StatusCode::OK, out)
}
