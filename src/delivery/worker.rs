//! The outbox worker. One loop owns the database side: each round is one write transaction
//! that records what became of earlier deliveries (delivered rows deleted, others
//! rescheduled), claims the next heads of lanes in the order of their turn and, under
//! Telegram's limits, looks for replies that will wait long (see `notices.rs`). Rows the
//! limits count wait in the worker's queue, where the dispatcher (`dispatch.rs`) sends the
//! first in turn that the limits let go; the others start at once. Deliveries hand their
//! outcome back to the loop, which wakes at once for it.

use super::notices::Notices;
use super::pacer::{Limits, Pacer};
use super::queue::Queue;
use crate::dialogue::Tree;
use crate::message::Outbound;
use crate::service::Clock;
use crate::store::{
    Backend, Store, StoreError, instances,
    outbox::{self, Claim, OutboxRow, Outcome},
};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore, mpsc, watch};
use tokio::time::Instant;

/// Rows claimed per round at most.
const BATCH: i64 = 256;
/// Paced rows the worker holds at most (a few seconds' worth at Telegram's pace; all of a
/// round without limits).
const QUEUE_CAP: usize = 256;
/// Below this much room in the queue, a round claims only lanes no limit counts.
const MIN_ROOM: usize = 32;
/// A row held this long goes back to the outbox, keeping its turn (claims last 30 s).
const HOLD_MAX: Duration = Duration::from_secs(15);
/// Deliveries in flight at once.
pub(super) const IN_FLIGHT: usize = 256;
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

/// What the dispatcher sends: a claimed row, or a notice about a wait.
#[derive(Debug)]
pub(super) enum Job {
    Row { row: OutboxRow, out: Outbound },
    Notice { chat: i64, out: Outbound },
}

/// The pacer and the queue, under one lock.
#[derive(Debug)]
pub(super) struct Sched {
    pub(super) pacer: Pacer,
    pub(super) queue: Queue<Job>,
    /// Notices go before every row, in the order they were chosen.
    pub(super) notices_queued: i64,
}

pub struct Worker {
    pub store: Store,
    pub clock: Clock,
    pub transports: Arc<super::Transports>,
    pub wake: Arc<Notify>,
    /// SQL LIKE pattern of the lanes this worker serves.
    pub lanes: String,
    pub(super) sched: Mutex<Sched>,
    /// Wakes the dispatcher: something was queued, answered, or it should stop.
    pub(super) kick: Notify,
    pub(super) stopping: AtomicBool,
    pub(super) in_flight: Arc<Semaphore>,
    pub(super) done: mpsc::UnboundedSender<Outcome>,
    outcomes: tokio::sync::Mutex<mpsc::UnboundedReceiver<Outcome>>,
    pub(super) notices: Option<Mutex<Notices>>,
    /// Sends a second overall (the whole bot's, for estimating waits); infinite: no limits.
    pub(super) per_second: f64,
}

impl Worker {
    pub fn new(
        store: Store,
        clock: Clock,
        transports: super::Transports,
        wake: Arc<Notify>,
        limits: Limits,
        lanes: &str,
    ) -> Worker {
        let (done, outcomes) = mpsc::unbounded_channel();
        let sched = Sched {
            pacer: Pacer::new(limits),
            queue: Queue::default(),
            notices_queued: 0,
        };
        Worker {
            store,
            clock,
            transports: Arc::new(transports),
            wake,
            lanes: lanes.to_string(),
            sched: Mutex::new(sched),
            kick: Notify::new(),
            stopping: AtomicBool::new(false),
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT)),
            done,
            outcomes: tokio::sync::Mutex::new(outcomes),
            notices: None,
            per_second: limits.overall.per_second(),
        }
    }

    /// Tells students whose reply will wait long that they are in the queue, with the
    /// texts of `tree` (only under Telegram's limits: without them nothing waits).
    pub fn with_queue_notices(mut self, tree: Arc<Tree>) -> Worker {
        if self.per_second.is_finite() {
            self.notices = Some(Mutex::new(Notices::new(tree)));
        }
        self
    }

    /// Runs until `shutdown`, then waits up to `flush` for the queue and the deliveries in
    /// flight, records them, and gives back what was not sent.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>, flush: Duration) {
        let dispatcher = tokio::spawn(Arc::clone(&self).dispatch());
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
            let queued = self.sched.lock().map_or(0, |s| s.queue.len());
            if queued == 0 && self.nothing_in_flight() && outcomes.is_empty() {
                break;
            }
            match tokio::time::timeout_at(deadline, outcomes.recv()).await {
                Ok(Some(o)) => pending.push(o),
                _ => break,
            }
        }
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.kick.notify_one();
        let _ = dispatcher.await;
        drain(&mut outcomes, &mut pending);
        pending.extend(self.give_back(true));
        if let Err(e) = self.record(&mut pending).await {
            tracing::warn!(error = %e, "outbox: could not give back the queue; its claims expire");
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
                if let Ok(mut sched) = self.sched.lock()
                    && sched.pacer.set_share(alive)
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

    /// Takes the queued rows held too long (`all`: every one) out of the queue, as outcomes
    /// that give them back to the outbox with their turn kept (`not_before` as it was).
    fn give_back(&self, all: bool) -> Vec<Outcome> {
        let Ok(mut sched) = self.sched.lock() else {
            return Vec::new();
        };
        let jobs = if all {
            sched.queue.drain()
        } else {
            sched.queue.take_stale(Instant::now() - HOLD_MAX)
        };
        jobs.into_iter()
            .filter_map(|job| match job {
                Job::Row { row, .. } => Some(Outcome::Postpone {
                    id: row.id,
                    not_before: row.not_before,
                    error: "requeued".into(),
                }),
                Job::Notice { .. } => None,
            })
            .collect()
    }

    /// One transaction: records `pending` (emptied once committed), claims rows and looks for
    /// long waits, then queues or starts the deliveries. Returns how many rows it claimed.
    pub async fn round(self: &Arc<Self>, pending: &mut Vec<Outcome>) -> Result<usize, StoreError> {
        // Rows held too long go back before their claims expire.
        pending.extend(self.give_back(false));
        let queued = self.sched.lock().map_or(0, |mut s| {
            s.pacer.forget_idle(Instant::now());
            s.queue.len()
        });
        let room = QUEUE_CAP.saturating_sub(queued);
        let (claim, limit) = if room >= MIN_ROOM {
            (Claim::All, room as i64)
        } else {
            (Claim::Unpaced, BATCH)
        };
        let now_ms = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        if self.per_second.is_finite() {
            outbox::pass_turns(&mut tx, pending, now_ms).await?;
        }
        outbox::record(&mut tx, pending, now_ms).await?;
        let who = (self.store.instance.as_ref(), claim);
        let rows =
            outbox::claim_in(&mut tx, self.store.backend, who, now_ms, limit, &self.lanes).await?;
        let notices = self.look_for_waits(&mut tx).await?;
        tx.commit().await?;
        pending.clear();
        let count = rows.len();
        self.take(rows, notices, pending).await;
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
