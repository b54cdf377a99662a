//! Webhook intake (axum): checks Telegram's secret token, stores the update in the inbox,
//! and answers 200 only after that commit — any other answer makes Telegram send it again.

use super::intake::Converter;
use crate::service::Service;
use crate::store::inbox;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::Notify;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

#[derive(Clone)]
struct Hook {
    service: Service,
    converter: Arc<Converter>,
    secret: Arc<str>,
    processed: Arc<Notify>,
}

/// The webhook route at `path`.
pub fn router(
    path: &str,
    service: Service,
    converter: Arc<Converter>,
    secret: &str,
    processed: Arc<Notify>,
) -> Router {
    let hook = Hook {
        service,
        converter,
        secret: Arc::from(secret),
        processed,
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
    let rows: Vec<_> = row.into_iter().collect();
    match inbox::insert_batch(
        &hook.service.store,
        &rows,
        hook.service.clock.now_ms(),
        None,
    )
    .await
    {
        Ok(_) => {
            hook.processed.notify_one();
            StatusCode::OK
        }
        Err(e) => {
            tracing::warn!(error = %e, "webhook: inbox insert failed; Telegram will resend");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
