//! The outbox worker. One loop owns the database side: each round is one write transaction
//! that records what became of earlier deliveries (delivered rows deleted, others
//! rescheduled) and claims the next heads of lanes. Deliveries run as tasks, paced within
//! Telegram's limits, and hand their outcome back to the loop, which wakes at once for it.

use super::{Delivery, MAX_ATTEMPTS, Transports, backoff_ms, lane_kind, paced_chat};
use crate::delivery::pacer::{Limits, Pacer};
use crate::message::Outbound;
use crate::metrics::{METRICS, Metrics};
use crate::service::Clock;
use crate::store::{
    Backend, Store, StoreError, instances,
    outbox::{self, OutboxRow, Outcome},
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, mpsc, watch};
use tokio::time::Instant;

/// Rows claimed per round.
const BATCH: i64 = 256;
/// Deliveries in flight at once.
const IN_FLIGHT: usize = 256;
/// Slots are not booked further ahead than this (claims last 30 s).
const HORIZON: Duration = Duration::from_secs(8);
const IDLE_POLL: Duration = Duration::from_millis(200);
/// Rounds start at least this far apart, so that under load one round records and claims
/// for many updates instead of taking the single SQLite writer once per handled update.
const ROUND_GAP: Duration = Duration::from_millis(2);
/// Outcomes recorded in one round at most.
const RECORD_MAX: usize = 1024;
/// How often an instance on PostgreSQL says it is alive and counts the others (often, so a
/// new instance slows the others before a burst overruns the limit); one not seen for
/// [`ALIVE_MS`] no longer counts.
const HEARTBEAT: Duration = Duration::from_secs(1);
const ALIVE_MS: i64 = 5_000;

pub struct Worker {
    pub store: Store,
    pub clock: Clock,
    pub transports: Arc<Transports>,
    pub wake: Arc<Notify>,
    /// SQL LIKE pattern of the lanes this worker serves.
    pub lanes: String,
    pacer: Mutex<Pacer>,
    in_flight: Arc<Semaphore>,
    done: mpsc::UnboundedSender<Outcome>,
    outcomes: tokio::sync::Mutex<mpsc::UnboundedReceiver<Outcome>>,
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
        let (done, outcomes) = mpsc::unbounded_channel();
        Worker {
            store,
            clock,
            transports: Arc::new(transports),
            wake,
            lanes: lanes.to_string(),
            pacer: Mutex::new(Pacer::new(limits)),
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT)),
            done,
            outcomes: tokio::sync::Mutex::new(outcomes),
        }
    }

    /// Runs until `shutdown`, then waits up to `flush` for deliveries in flight and records
    /// them.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>, flush: Duration) {
        let mut outcomes = self.outcomes.lock().await;
        let mut pending: Vec<Outcome> = Vec::new();
        let mut last_round = Instant::now();
        let mut next_heartbeat = Instant::now();
        while !*shutdown.borrow() {
            tokio::time::sleep_until(last_round + ROUND_GAP).await;
            last_round = Instant::now();
            if last_round >= next_heartbeat {
                self.share_the_limit().await;
                next_heartbeat = last_round + HEARTBEAT;
            }
            drain(&mut outcomes, &mut pending);
            let claimed = match self.round(&mut pending).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: recording or claiming failed; retrying");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            // A short claim saw every due head; wait for news unless outcomes are waiting.
            if claimed < BATCH as usize && pending.is_empty() && outcomes.is_empty() {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    Some(o) = outcomes.recv() => pending.push(o),
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        let deadline = Instant::now() + flush;
        loop {
            drain(&mut outcomes, &mut pending);
            if let Err(e) = self.record(&mut pending).await {
                tracing::warn!(error = %e, "outbox: recording failed at shutdown; the rows will be sent again");
                break;
            }
            if self.in_flight.available_permits() == IN_FLIGHT && outcomes.is_empty() {
                break;
            }
            match tokio::time::timeout_at(deadline, outcomes.recv()).await {
                Ok(Some(o)) => pending.push(o),
                _ => break,
            }
        }
        if self.store.backend == Backend::Postgres
            && let Err(e) = instances::leave(&self.store).await
        {
            tracing::warn!(error = %e, "could not record leaving; the others notice in 15 s");
        }
    }

    /// Instances on one PostgreSQL database send for the same bot, and Telegram's overall
    /// limit counts per bot: each paces at its share of it. (SQLite has one instance.)
    async fn share_the_limit(&self) {
        if self.store.backend != Backend::Postgres {
            return;
        }
        match instances::heartbeat(&self.store, ALIVE_MS).await {
            Ok(alive) => {
                if let Ok(mut pacer) = self.pacer.lock()
                    && pacer.set_share(alive)
                {
                    tracing::info!(
                        instances = alive,
                        "sending at this share of the overall limit"
                    );
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not count the instances; pacing as before"),
        }
    }

    /// One transaction: records `pending` (emptied once committed) and claims a batch, then
    /// starts its deliveries. Returns how many rows it claimed.
    pub async fn round(self: &Arc<Self>, pending: &mut Vec<Outcome>) -> Result<usize, StoreError> {
        let booked = self
            .pacer
            .lock()
            .map(|p| p.booked_ahead(Instant::now()))
            .unwrap_or_default();
        let claim = booked <= HORIZON;
        if !claim && pending.is_empty() {
            return Ok(0);
        }
        let now_ms = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        outbox::record(&mut tx, pending, now_ms).await?;
        let rows = if claim {
            outbox::claim_in(
                &mut tx,
                self.store.backend,
                &self.store.instance,
                now_ms,
                BATCH,
                &self.lanes,
            )
            .await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        pending.clear();
        let count = rows.len();
        for row in rows {
            if let Some(outcome) = self.dispatch(row, now_ms).await {
                pending.push(outcome);
            }
        }
        Ok(count)
    }

    /// Records `pending` without claiming (shutdown).
    async fn record(&self, pending: &mut Vec<Outcome>) -> Result<(), StoreError> {
        if pending.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        outbox::record(&mut tx, pending, self.clock.now_ms()).await?;
        tx.commit().await?;
        pending.clear();
        Ok(())
    }

    /// Starts the delivery of a claimed row, or says what to record instead (an unreadable
    /// row, or one whose chat has no free slot within the horizon).
    async fn dispatch(self: &Arc<Self>, row: OutboxRow, now_ms: i64) -> Option<Outcome> {
        let out: Outbound = match row.message() {
            Ok(out) => out,
            Err(e) => {
                return Some(Outcome::Failed {
                    id: row.id,
                    error: format!("unreadable row: {e}"),
                    fallback: None,
                });
            }
        };
        let at = match paced_chat(&out) {
            Some(chat) => match self.slot(chat) {
                Ok(at) => at,
                Err(wait) => {
                    let wait = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
                    return Some(Outcome::Postpone {
                        id: row.id,
                        not_before: now_ms.saturating_add(wait),
                        error: "paced".into(),
                    });
                }
            },
            None => Instant::now(),
        };
        let Ok(permit) = self.in_flight.clone().acquire_owned().await else {
            // Never closed; the claim expires and the row is taken again.
            return None;
        };
        let worker = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep_until(at).await;
            let delivery = worker.transports.deliver(&out).await;
            let outcome = worker.outcome(&row, &out, delivery);
            // The loop owns the receiver for the worker's life; a send fails only after it
            // stopped, and then the claim expires and the row is sent again.
            let _ = worker.done.send(outcome);
            drop(permit);
        });
        None
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

    /// What to record for a delivery; counts and logs it.
    fn outcome(&self, row: &OutboxRow, out: &Outbound, delivery: Delivery) -> Outcome {
        let now = self.clock.now_ms();
        match delivery {
            Delivery::Sent(_) => {
                Metrics::add(&METRICS.replies_sent);
                let follow_up = out.on_sent().cloned();
                Outcome::Sent {
                    id: row.id,
                    follow_up,
                }
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
                let wait = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
                Outcome::Postpone {
                    id: row.id,
                    not_before: now.saturating_add(wait),
                    error: "429".into(),
                }
            }
            Delivery::Transient(error) if row.attempts + 1 < MAX_ATTEMPTS => {
                tracing::info!(row = row.id, lane = lane_kind(&row.lane), attempts = row.attempts + 1, %error, "outbox: will retry");
                Outcome::Retry {
                    id: row.id,
                    not_before: now + backoff_ms(row.attempts),
                    error,
                }
            }
            Delivery::Transient(error) | Delivery::Permanent(error) => {
                Metrics::add(&METRICS.deliveries_failed);
                tracing::warn!(row = row.id, lane = lane_kind(&row.lane), %error, "outbox: delivery failed for good");
                let fallback = out.on_failure().cloned();
                Outcome::Failed {
                    id: row.id,
                    error,
                    fallback,
                }
            }
        }
    }
}

/// Moves the outcomes that are already there into `pending` (up to [`RECORD_MAX`]).
fn drain(outcomes: &mut mpsc::UnboundedReceiver<Outcome>, pending: &mut Vec<Outcome>) {
    while pending.len() < RECORD_MAX {
        match outcomes.try_recv() {
            Ok(o) => pending.push(o),
            Err(_) => break,
        }
    }
}
