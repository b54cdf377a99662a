//! Intake: long polling whose offset moves only after the batch is in the inbox, and the
//! converter the webhook shares; the worker that hands inbox rows to the service is
//! the inbox worker (`handling`).

use super::api::{ApiError, BotApi};
use super::route::{BotName, Route, Routed, route};
use crate::message::Arrival;
use crate::service::{Service, ServiceError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use teloxide::types::Update;
use tokio::sync::{Notify, watch};

/// The update kinds the bot asks Telegram for.
pub const ALLOWED_UPDATES: &[&str] = &[
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
];
const POLL_TIMEOUT_S: u64 = 25;

/// Converts raw updates to inbox rows; ignored ones yield none.
pub struct Converter {
    pub schema: Route,
    pub bot: BotName,
}

impl Converter {
    pub fn new(bot_username: &str) -> Converter {
        Converter {
            schema: super::route::schema(),
            bot: BotName(Arc::from(bot_username)),
        }
    }

    /// One raw update: its id (if it has one) and what to store (if it is for us).
    pub async fn convert(&self, raw: &Value) -> (Option<i64>, Option<Arrival>) {
        let Some(update_id) = raw.get("update_id").and_then(Value::as_i64) else {
            return (None, None);
        };
        // From text, not from a Value: teloxide's lenient Update parser turns every update
        // into `UpdateKind::Error` when fed a `serde_json::Value`.
        let update: Update = match serde_json::from_str(&raw.to_string()) {
            Ok(u) => u,
            Err(e) => {
                tracing::debug!(update_id, error = %e, "update not understood; ignored");
                return (Some(update_id), None);
            }
        };
        match route(&self.schema, &self.bot, update).await {
            Routed::Inbound(inbound) => (
                Some(update_id),
                Some(Arrival {
                    update_id,
                    inbound: *inbound,
                }),
            ),
            Routed::Ignored(why) => {
                tracing::debug!(update_id, why, "update ignored");
                (Some(update_id), None)
            }
        }
    }
}

/// Long polling until `shutdown`. The next `getUpdates` (which confirms the previous batch
/// to Telegram) is sent only after the batch committed to the inbox.
pub async fn poll(
    api: BotApi,
    service: Service,
    converter: Arc<Converter>,
    processed: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    // The offset saved with the last stored batch; without one, Telegram starts from the
    // oldest unconfirmed update and the inbox drops any it has seen.
    let mut offset = service.poll_offset().await;
    let mut failures: u32 = 0;
    while !*shutdown.borrow() {
        let body = json!({ "offset": offset, "timeout": POLL_TIMEOUT_S, "limit": 100, "allowed_updates": ALLOWED_UPDATES });
        let call = api.call(
            "getUpdates",
            &body,
            Duration::from_secs(POLL_TIMEOUT_S + 15),
        );
        let result = tokio::select! {
            r = call => r,
            _ = shutdown.changed() => break,
        };
        match result {
            Ok(Value::Array(updates)) => {
                failures = 0;
                match store_batch(&service, &converter, &updates).await {
                    Ok(Some(next)) => {
                        // Follow what Telegram sent, even downwards: after a week without
                        // updates it may restart update ids lower, and an offset above them
                        // would confirm (drop) every new update unseen.
                        offset = next;
                        processed.notify_one();
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "inbox: could not store a batch; asking again");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
            Ok(_) => tracing::warn!("getUpdates answered something other than a list"),
            Err(e) => {
                failures += 1;
                let wait = match &e {
                    ApiError::RetryAfter(s) => Duration::from_secs(*s),
                    ApiError::Permanent { code: 409, .. } => {
                        tracing::warn!("a webhook is set; deleting it to poll");
                        let _ = api
                            .call("deleteWebhook", &json!({}), Duration::from_secs(10))
                            .await;
                        Duration::from_millis(100)
                    }
                    _ => Duration::from_millis((250u64 << failures.min(5)).min(5_000)),
                };
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "getUpdates failed");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => break,
                }
            }
        }
    }
}

/// Stores one batch and the next offset in one transaction; returns that offset.
async fn store_batch(
    service: &Service,
    converter: &Converter,
    updates: &[Value],
) -> Result<Option<i64>, ServiceError> {
    let mut rows = Vec::with_capacity(updates.len());
    let mut max_id = None;
    for raw in updates {
        let (id, row) = converter.convert(raw).await;
        max_id = max_id.max(id);
        rows.extend(row);
    }
    let Some(max_id) = max_id else {
        return Ok(None);
    };
    service.take_in(&rows, Some(max_id + 1)).await?;
    Ok(Some(max_id + 1))
}
