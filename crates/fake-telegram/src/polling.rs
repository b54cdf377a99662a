//! The update queue: pushing with ids, getUpdates with offsets, long polls and conflicts.

use crate::FakeTelegram;
use crate::error::{ApiError, ApiResult};
use crate::params::{Params, int};
use crate::server::Shared;
use crate::state::{State, Stored};
use serde_json::Value;
use std::time::{Duration, Instant};

impl FakeTelegram {
    /// Updates pushed but not yet confirmed by a getUpdates offset.
    pub fn pending_updates(&self) -> usize {
        self.lock().pending.len()
    }

    /// Takes every waiting update, oldest first, as Telegram does when it posts them to a
    /// webhook (the test then posts them to the bot's webhook endpoints).
    pub fn take_updates(&self) -> Vec<Value> {
        self.lock().take_page(usize::MAX)
    }

    /// The last `offset` received by getUpdates (0 before any).
    pub fn last_offset(&self) -> i64 {
        self.lock().last_offset
    }
}

impl Shared {
    pub(crate) async fn get_updates(&self, p: &Params) -> ApiResult {
        let limit = int(p, "limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = Duration::from_secs(int(p, "timeout").unwrap_or(0).clamp(0, 3600) as u64);
        let generation = {
            let mut st = self.lock();
            if st.webhook.is_some() {
                return Err(ApiError::new(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ));
            }
            if let Some(offset) = int(p, "offset") {
                st.confirm(offset);
            }
            if let Some(Value::Array(kinds)) = p.get("allowed_updates") {
                st.allowed_updates = kinds
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
            }
            st.poll_generation += 1;
            st.poll_generation
        };
        // Wake an older long poll: like Telegram, it ends with 409 Conflict.
        self.updates.notify_waiters();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.updates.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut st = self.lock();
                if st.poll_generation != generation {
                    return Err(ApiError::new(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    ));
                }
                let batch = st.batch(limit);
                if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                    return Ok(Value::Array(batch));
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

impl State {
    pub(crate) fn push_update(&mut self, mut update: Value) -> i64 {
        assert!(
            update.is_object(),
            "fake telegram: an update must be a JSON object"
        );
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                update["update_id"] = self.next_update_id.into();
                self.next_update_id
            }
        };
        self.next_update_id = self.next_update_id.max(id + 1);
        if let Some(query_id) = update["callback_query"]["id"].as_str() {
            self.callbacks.insert(query_id.to_owned());
        }
        for kind in ["message", "edited_message", "channel_post"] {
            let msg = &update[kind];
            if let (Some(chat), Some(mid)) =
                (msg["chat"]["id"].as_i64(), msg["message_id"].as_i64())
            {
                let last = self.last_message_id.entry(chat).or_insert(0);
                *last = (*last).max(mid);
                if self.load.on {
                    continue;
                }
                self.messages.insert(
                    (chat, mid),
                    Stored {
                        msg: msg.clone(),
                        raw: Value::Null,
                    },
                );
            }
        }
        if id >= self.confirmed {
            let at = self.pending.partition_point(|(pending, ..)| *pending <= id);
            self.pending.insert(at, (id, update, Some(Instant::now())));
        }
        self.load.pushed += 1;
        id
    }

    pub(crate) fn confirm(&mut self, offset: i64) {
        self.last_offset = offset;
        if offset > 0 {
            self.confirmed = self.confirmed.max(offset);
            let confirmed = self.confirmed;
            self.pending.retain(|(id, ..)| *id >= confirmed);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let forget = self.pending.len().saturating_sub(keep);
            self.pending.drain(..forget);
            if let Some((first, ..)) = self.pending.first() {
                self.confirmed = self.confirmed.max(*first);
            }
        }
    }

    /// Up to `limit` waiting updates of the allowed kinds, noting how long each waited the
    /// first time it is handed out.
    pub(crate) fn batch(&mut self, limit: usize) -> Vec<Value> {
        let allowed_updates = &self.allowed_updates;
        let allowed = |u: &Value| {
            let kind = u
                .as_object()
                .and_then(|o| o.keys().find(|k| *k != "update_id"));
            allowed_updates.is_empty() || kind.is_some_and(|k| allowed_updates.contains(k))
        };
        let now = Instant::now();
        let waits = &mut self.load.fetch_waits;
        self.pending
            .iter_mut()
            .filter(|(_, u, _)| allowed(u))
            .take(limit)
            .map(|(_, u, pushed)| {
                if let Some(pushed) = pushed.take() {
                    waits.push(now.saturating_duration_since(pushed));
                }
                u.clone()
            })
            .collect()
    }

    /// Takes up to `limit` waiting updates, oldest first, confirming them, as Telegram does
    /// when it posts them to a webhook.
    pub(crate) fn take_page(&mut self, limit: usize) -> Vec<Value> {
        let now = Instant::now();
        let count = limit.min(self.pending.len());
        let mut taken = Vec::with_capacity(count);
        for (_, update, pushed) in self.pending.drain(..count) {
            if let Some(pushed) = pushed {
                self.load
                    .fetch_waits
                    .push(now.saturating_duration_since(pushed));
            }
            taken.push(update);
        }
        if let Some(last) = taken.last().and_then(|u| u["update_id"].as_i64()) {
            self.confirmed = self.confirmed.max(last + 1);
        }
        taken
    }
}
