//! The dispatcher: sends the worker's queued rows and notices one at a time, the first in
//! turn that Telegram's limits let go, each delivery a task of its own that hands its
//! outcome back to the worker's loop.

use super::pacer::Ticket;
use super::queue::Pick;
use super::worker::{IN_FLIGHT, Job, Worker};
use super::{Delivery, MAX_ATTEMPTS, backoff_ms, lane_kind, pace};
use crate::message::Outbound;
use crate::metrics::{METRICS, Metrics};
use crate::store::outbox::{OutboxRow, Outcome};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

impl Worker {
    /// Until told to stop: picks the next send and starts it, or waits until one may go or
    /// something new is queued or answered.
    pub(super) async fn dispatch(self: Arc<Self>) {
        while !self.stopping.load(Ordering::SeqCst) {
            let pick = match self.sched.lock() {
                Ok(mut sched) => {
                    let sched = &mut *sched;
                    sched.queue.pick(&mut sched.pacer, Instant::now())
                }
                Err(_) => break,
            };
            match pick {
                Pick::Go(job, ticket) => self.start(job, Some(ticket)).await,
                Pick::Wait(at) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {}
                        _ = self.kick.notified() => {}
                    }
                }
                Pick::Idle => self.kick.notified().await,
            }
        }
    }

    /// Starts delivering `job` (counted by the pacer under `ticket`, if any) as a task.
    pub(super) async fn start(self: &Arc<Self>, job: Job, ticket: Option<Ticket>) {
        let Ok(permit) = self.in_flight.clone().acquire_owned().await else {
            // Never closed; a row's claim expires and it is taken again.
            return;
        };
        if let (Job::Notice { chat, .. }, Ok(mut sched)) = (&job, self.sched.lock()) {
            sched.queue.notice_in_flight(*chat, true);
        }
        let worker = Arc::clone(self);
        tokio::spawn(async move {
            match job {
                Job::Row { row, out } => {
                    let delivery = worker.transports.deliver(&out).await;
                    worker.answered(ticket);
                    let outcome = worker.outcome(&row, &out, delivery);
                    // The loop owns the receiver for the worker's life; a send fails only
                    // after it stopped, and then the claim expires and the row is sent again.
                    let _ = worker.done.send(outcome);
                }
                Job::Notice { chat, out } => {
                    let delivery = worker.transports.deliver(&out).await;
                    worker.answered(ticket);
                    worker.noticed(chat, delivery);
                }
            }
            drop(permit);
            worker.kick.notify_one();
        });
    }

    fn answered(&self, ticket: Option<Ticket>) {
        if let (Some(ticket), Ok(mut sched)) = (ticket, self.sched.lock()) {
            sched.pacer.answered(ticket, Instant::now());
        }
    }

    /// A notice was answered: the chat's replies may go; a wait Telegram asked for holds
    /// the chat. A notice that failed is not tried again (the reply itself is on its way).
    fn noticed(&self, chat: i64, delivery: Delivery) {
        let Ok(mut sched) = self.sched.lock() else {
            return;
        };
        sched.queue.notice_in_flight(chat, false);
        match delivery {
            Delivery::Sent(_) => {}
            Delivery::RetryAfter(seconds) => {
                Metrics::add(&METRICS.too_many_requests);
                let until = Instant::now() + Duration::from_secs(seconds);
                sched.pacer.hold(chat, until);
            }
            Delivery::Transient(error) | Delivery::Permanent(error) => {
                tracing::info!(%error, "outbox: a queue notice was not delivered");
            }
        }
    }

    /// What to record for a delivery; counts and logs it.
    pub(super) fn outcome(&self, row: &OutboxRow, out: &Outbound, delivery: Delivery) -> Outcome {
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
                if let (Some((chat, _)), Ok(mut sched)) = (pace(out), self.sched.lock()) {
                    sched.pacer.hold(chat, Instant::now() + wait);
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

    /// Whether no delivery is in flight.
    pub(super) fn nothing_in_flight(&self) -> bool {
        self.in_flight.available_permits() == IN_FLIGHT
    }
}
