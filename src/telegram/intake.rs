//! Intake: long polling whose offset moves only after the batch is in the inbox, the
//! webhook's twin of it, and the processor that hands inbox rows to the service.

use super::api::{ApiError, BotApi};
use super::route::{BotName, Route, Routed, route};
use crate::service::{Handled, Inbound, Service};
use crate::store::inbox::{self, InboxRow};
use serde_json::{Value, json};
use std::collections::HashMap;
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
/// An update whose handling failed this many times is set aside so the rest can go on.
const MAX_HANDLING_FAILURES: u32 = 5;

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

    /// One raw update: its id (if it has one) and the row to store (if it is for us).
    pub async fn convert(&self, raw: &Value) -> (Option<i64>, Option<InboxRow>) {
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
            Routed::Inbound(inbound) => match serde_json::to_string(&inbound) {
                Ok(payload) => (
                    Some(update_id),
                    Some(InboxRow {
                        update_id,
                        chat_id: inbound.chat_id,
                        payload,
                    }),
                ),
                Err(_) => (Some(update_id), None),
            },
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
    let mut offset: i64 = match service.store.kv_get("poll_offset").await {
        Ok(Some(stored)) => stored.parse().unwrap_or(0),
        _ => 0,
    };
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
                        offset = offset.max(next);
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
) -> Result<Option<i64>, crate::store::StoreError> {
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
    inbox::insert_batch(
        &service.store,
        &rows,
        service.clock.now_ms(),
        Some(max_id + 1),
    )
    .await?;
    Ok(Some(max_id + 1))
}

/// Hands inbox rows to the service in update order until `shutdown`; the row in hand is
/// always finished first.
pub async fn process(service: Service, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let mut failures: HashMap<i64, u32> = HashMap::new();
    while !*shutdown.borrow() {
        let rows = match inbox::pending(&service.store, 256).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "inbox: reading failed; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if rows.is_empty() {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = shutdown.changed() => {}
            }
            continue;
        }
        for row in rows {
            if *shutdown.borrow() {
                break;
            }
            if handle_row(&service, &row, &mut failures).await == Outcome::RetryLater {
                // Re-read from the oldest pending row: a chat's updates stay in order.
                break;
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Finished,
    RetryLater,
}

async fn handle_row(
    service: &Service,
    row: &InboxRow,
    failures: &mut HashMap<i64, u32>,
) -> Outcome {
    let inbound: Inbound = match serde_json::from_str(&row.payload) {
        Ok(i) => i,
        Err(e) => {
            set_aside(service, row.update_id, &format!("unreadable: {e}")).await;
            return Outcome::Finished;
        }
    };
    let started = std::time::Instant::now();
    let handled = service.handle(&inbound).await;
    if handled.is_ok() {
        crate::ops::METRICS.observe_handling(started.elapsed());
    }
    match handled {
        Ok(Handled::Done | Handled::Ignored | Handled::Duplicate) => {
            failures.remove(&row.update_id);
            Outcome::Finished
        }
        // The database restarting or unreachable: wait it out; this never sets an update aside.
        Err(e) if e.is_transient() => {
            tracing::warn!(update_id = row.update_id, error = %e, "database unavailable; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
            Outcome::RetryLater
        }
        Err(e) => {
            let count = failures.entry(row.update_id).or_insert(0);
            *count += 1;
            tracing::warn!(update_id = row.update_id, attempt = *count, error = %e, "handling failed");
            if *count >= MAX_HANDLING_FAILURES {
                failures.remove(&row.update_id);
                set_aside(service, row.update_id, &e.to_string()).await;
                Outcome::Finished
            } else {
                tokio::time::sleep(Duration::from_millis(200 * u64::from(*count))).await;
                Outcome::RetryLater
            }
        }
    }
}

async fn set_aside(service: &Service, update_id: i64, error: &str) {
    tracing::error!(update_id, error, "update set aside after repeated failures");
    if let Err(e) = inbox::set_aside(&service.store, update_id, error, service.clock.now_ms()).await
    {
        tracing::warn!(update_id, error = %e, "could not set the update aside");
    }
}
