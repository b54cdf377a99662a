//! Webhook intake (axum): checks Telegram's secret token, stores the update in the inbox,
//! and answers 200 only after that commit — any other answer makes Telegram send it again.
//!
//! Telegram posts one update per request, up to `max_connections` (40 by default) at once.
//! The requests' updates are stored together: one task inserts whatever arrived while its
//! previous insert committed, in one transaction (one synchronous commit, one WAL sync), and
//! answers each request once the insert holding its update committed.

use super::intake::Converter;
use crate::message::Arrival as Converted;
use crate::service::Service;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::{Notify, mpsc, oneshot};

/// Updates stored in one insert at most.
const INSERT_MAX: usize = 500;

/// An update waiting to be stored, and where to say whether it was.
type Arrival = (Converted, oneshot::Sender<bool>);

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

#[derive(Clone)]
struct Hook {
    converter: Arc<Converter>,
    secret: Arc<str>,
    arrivals: mpsc::Sender<Arrival>,
}

/// The webhook route at `path`.
pub fn router(
    path: &str,
    service: Service,
    converter: Arc<Converter>,
    secret: &str,
    processed: Arc<Notify>,
) -> Router {
    let (arrivals, waiting) = mpsc::channel(INSERT_MAX);
    // Ends when the router (every sender) is dropped.
    tokio::spawn(store_arrivals(service, waiting, processed));
    let hook = Hook {
        converter,
        secret: Arc::from(secret),
        arrivals,
    };
    Router::new().route(path, post(receive)).with_state(hook)
}

async fn receive(
    State(hook): State<Hook>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(hook.secret.as_bytes())) {
        tracing::warn!("webhook: request without the right secret token refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(raw) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let (_, row) = hook.converter.convert(&raw).await;
    let Some(row) = row else {
        return StatusCode::OK; // nothing the bot handles
    };
    let (stored, answer) = oneshot::channel();
    if hook.arrivals.send((row, stored)).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match answer.await {
        Ok(true) => StatusCode::OK,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Stores arrivals in batches: all that are waiting, up to [`INSERT_MAX`], in one insert.
async fn store_arrivals(
    service: Service,
    mut waiting: mpsc::Receiver<Arrival>,
    processed: Arc<Notify>,
) {
    let mut batch: Vec<Arrival> = Vec::with_capacity(INSERT_MAX);
    while waiting.recv_many(&mut batch, INSERT_MAX).await > 0 {
        let rows: Vec<Converted> = batch.iter().map(|(row, _)| row.clone()).collect();
        let stored = match service.take_in(&rows, None).await {
            Ok(_) => {
                processed.notify_one();
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "webhook: inbox insert failed; Telegram will resend");
                false
            }
        };
        for (_, answer) in batch.drain(..) {
            // A request that gave up waiting is resent by Telegram; the inbox ignores repeats.
            let _ = answer.send(stored);
        }
    }
}
