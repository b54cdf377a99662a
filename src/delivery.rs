//! The outbox worker: claims due rows (first in their lane), paces them within Telegram's
//! limits, delivers them through the right transport, and records the result. A row is
//! marked sent only after the transport accepted it, so a crash can repeat, never lose.

use crate::notify::{Mailer, NotifyError, SmsGateway};
use crate::ops::{METRICS, Metrics};
use crate::service::{Clock, Outbound};
use crate::store::Store;
use crate::store::outbox::{self, OutboxRow};
use crate::telegram::api::ApiError;
use crate::telegram::limits::{Limits, Pacer};
use crate::telegram::send::TelegramTransport;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::time::Instant;

/// After this many failed tries a delivery is given up and recorded as failed.
pub const MAX_ATTEMPTS: i64 = 30;
/// Rows claimed per round.
const BATCH: i64 = 64;
/// Deliveries in flight at once.
const IN_FLIGHT: usize = 64;
/// Slots are not booked further ahead than this (claims last 30 s).
const HORIZON: Duration = Duration::from_secs(8);
const IDLE_POLL: Duration = Duration::from_millis(200);

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent(Option<String>),
    RetryAfter(u64),
    Transient(String),
    Permanent(String),
}

impl From<Result<Option<String>, ApiError>> for Delivery {
    fn from(r: Result<Option<String>, ApiError>) -> Delivery {
        match r {
            Ok(result) => Delivery::Sent(result),
            Err(ApiError::RetryAfter(s)) => Delivery::RetryAfter(s),
            Err(ApiError::Transient(e)) => Delivery::Transient(e),
            Err(ApiError::Permanent { description, .. }) => Delivery::Permanent(description),
        }
    }
}

impl From<Result<(), NotifyError>> for Delivery {
    fn from(r: Result<(), NotifyError>) -> Delivery {
        match r {
            Ok(()) => Delivery::Sent(None),
            Err(NotifyError::Transient(e)) => Delivery::Transient(e),
            Err(NotifyError::Permanent(e)) => Delivery::Permanent(e),
        }
    }
}

/// The ways out of the bot. The console has no Telegram; development has no SMS gateway.
#[derive(Debug, Default)]
pub struct Transports {
    pub telegram: Option<TelegramTransport>,
    pub mail: Option<Mailer>,
    pub sms: Option<SmsGateway>,
}

impl Transports {
    pub async fn deliver(&self, out: &Outbound) -> Delivery {
        match out {
            Outbound::Email {
                to, subject, body, ..
            } => match &self.mail {
                Some(mail) => mail.send(to, subject, body).await.into(),
                None => Delivery::Permanent("e-mail is not configured".into()),
            },
            Outbound::Sms { to, text, .. } => match &self.sms {
                Some(sms) => sms.send(to, text).await.into(),
                None => Delivery::Permanent("no SMS gateway is configured".into()),
            },
            telegram => match &self.telegram {
                Some(tg) => tg.deliver(telegram).await.into(),
                None => Delivery::Permanent("Telegram is not connected".into()),
            },
        }
    }
}

/// Which chat's pace a delivery counts against, if any.
fn paced_chat(out: &Outbound) -> Option<i64> {
    match out {
        Outbound::Text { chat_id, .. }
        | Outbound::Photo { chat_id, .. }
        | Outbound::Document { chat_id, .. } => Some(*chat_id),
        Outbound::ToTicket { group, .. } => Some(*group),
        Outbound::Tracked { message, .. } | Outbound::Relayed { message, .. } => {
            paced_chat(message)
        }
        _ => None,
    }
}

/// The kind of a lane (`tg`, `mail`…) without the address it holds, for logs.
fn lane_kind(lane: &str) -> &str {
    lane.split(':').next().unwrap_or("")
}

/// Backoff before try `attempts + 1`: 1 s, 2 s, 4 s… capped at 5 minutes.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 9) as u32;
    (1000_i64 << exp).min(300_000)
}

pub struct Worker {
    pub store: Store,
    pub clock: Clock,
    pub transports: Arc<Transports>,
    pub wake: Arc<Notify>,
    /// SQL LIKE pattern of the lanes this worker serves.
    pub lanes: String,
    pacer: Mutex<Pacer>,
    in_flight: Arc<Semaphore>,
}

impl Worker {
    pub fn new(
        store: Store,
        clock: Clock,
        transports: Transports,
        wake: Arc<Notify>,
        limits: Limits,
        lanes: &str,
    ) -> Worker {
        Worker {
            store,
            clock,
            transports: Arc::new(transports),
            wake,
            lanes: lanes.to_string(),
            pacer: Mutex::new(Pacer::new(limits)),
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT)),
        }
    }

    /// Runs until `shutdown`, then waits up to `flush` for deliveries in flight.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>, flush: Duration) {
        while !*shutdown.borrow() {
            let claimed = match self.round().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: claiming failed; retrying");
                    0
                }
            };
            if claimed == 0 {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        let all = u32::try_from(IN_FLIGHT).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(flush, self.in_flight.acquire_many(all)).await;
    }

    /// Claims one batch and starts its deliveries; returns how many rows it claimed.
    pub async fn round(self: &Arc<Self>) -> Result<usize, crate::store::StoreError> {
        let booked = self
            .pacer
            .lock()
            .map(|p| p.booked_ahead(Instant::now()))
            .unwrap_or_default();
        if booked > HORIZON {
            return Ok(0);
        }
        let now_ms = self.clock.now_ms();
        let rows = outbox::claim_due(&self.store, now_ms, BATCH, &self.lanes).await?;
        let count = rows.len();
        for row in rows {
            let out: Outbound = match serde_json::from_str(&row.payload) {
                Ok(out) => out,
                Err(e) => {
                    outbox::mark_failed(
                        &self.store,
                        row.id,
                        now_ms,
                        &format!("unreadable row: {e}"),
                        None,
                    )
                    .await?;
                    continue;
                }
            };
            let at = match paced_chat(&out) {
                Some(chat) => match self.slot(chat) {
                    Ok(at) => at,
                    Err(wait) => {
                        let wait = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
                        outbox::postpone(&self.store, row.id, now_ms.saturating_add(wait), "paced")
                            .await?;
                        continue;
                    }
                },
                None => Instant::now(),
            };
            let Ok(permit) = self.in_flight.clone().acquire_owned().await else {
                break;
            };
            let worker = Arc::clone(self);
            tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let delivery = worker.transports.deliver(&out).await;
                if let Err(e) = worker.record(&row, &out, delivery).await {
                    tracing::warn!(error = %e, row = row.id, "outbox: could not record a delivery; it will be retried");
                }
                drop(permit);
            });
        }
        Ok(count)
    }

    /// Reserves a send slot for `chat` within the horizon, or says how long to wait.
    fn slot(&self, chat: i64) -> Result<Instant, Duration> {
        let now = Instant::now();
        let Ok(mut pacer) = self.pacer.lock() else {
            return Ok(now);
        };
        let earliest = pacer.earliest(chat, now);
        if earliest > now + HORIZON {
            return Err(earliest - now);
        }
        pacer.forget_idle(now);
        Ok(pacer.reserve(chat, now))
    }

    async fn record(
        &self,
        row: &OutboxRow,
        out: &Outbound,
        delivery: Delivery,
    ) -> Result<(), crate::store::StoreError> {
        let now = self.clock.now_ms();
        match delivery {
            Delivery::Sent(result) => {
                Metrics::add(&METRICS.replies_sent);
                let follow_up = out
                    .on_sent()
                    .and_then(|o| serde_json::to_string(o).ok().map(|p| (o.lane(), p)));
                let more = follow_up.is_some();
                outbox::mark_sent(&self.store, row.id, now, result.as_deref(), follow_up).await?;
                if more {
                    self.wake.notify_one();
                }
                Ok(())
            }
            Delivery::RetryAfter(seconds) => {
                Metrics::add(&METRICS.too_many_requests);
                let wait = Duration::from_secs(seconds);
                if let (Some(chat), Ok(mut pacer)) = (paced_chat(out), self.pacer.lock()) {
                    pacer.hold(chat, Instant::now() + wait);
                }
                tracing::info!(
                    row = row.id,
                    lane = lane_kind(&row.lane),
                    seconds,
                    "outbox: Telegram asked to wait"
                );
                let until = now.saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
                outbox::postpone(&self.store, row.id, until, "429").await
            }
            Delivery::Transient(error) if row.attempts + 1 < MAX_ATTEMPTS => {
                tracing::info!(row = row.id, lane = lane_kind(&row.lane), attempts = row.attempts + 1, %error, "outbox: will retry");
                outbox::retry_later(&self.store, row.id, now + backoff_ms(row.attempts), &error)
                    .await
            }
            Delivery::Transient(error) | Delivery::Permanent(error) => {
                Metrics::add(&METRICS.deliveries_failed);
                tracing::warn!(row = row.id, lane = lane_kind(&row.lane), %error, "outbox: delivery failed for good");
                let fallback = out
                    .on_failure()
                    .map(|o| (o.lane(), serde_json::to_string(o)));
                let fallback = match fallback {
                    Some((lane, Ok(payload))) => Some((lane, payload)),
                    _ => None,
                };
                outbox::mark_failed(&self.store, row.id, now, &error, fallback).await?;
                self.wake.notify_one();
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(5), 32_000);
        assert_eq!(backoff_ms(29), 300_000);
        assert_eq!(backoff_ms(-3), 1000);
    }
}
