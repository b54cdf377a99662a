//! The processor: hands inbox rows to the service, a chat at a time per task, in update order
//! per chat — also when several instances share one PostgreSQL database.
//!
//! Each update is handled in its own transaction that first takes the chat's lock
//! ([`inbox::try_lock_chat`]) and then reads the chat's oldest unhandled update under it. So
//! two tasks (or two instances) never handle one chat at once, and whoever holds the lock
//! handles the update that comes next for that chat. Different chats go in parallel: up to
//! [`CHAT_TASKS_POSTGRES`] per process on PostgreSQL; one on SQLite, which has one writer.

use crate::ops::METRICS;
use crate::service::{Inbound, Service, ServiceError};
use crate::store::Backend;
use crate::store::Tx;
use crate::store::inbox::{self, InboxRow};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;

/// An update whose handling failed this many times (in any instance) is set aside.
const MAX_HANDLING_FAILURES: i64 = 5;
/// Chats handled at once by one process on PostgreSQL; each holds a pooled connection.
pub const CHAT_TASKS_POSTGRES: usize = 4;
/// Waiting updates looked at per round (their chats make the round's list).
const READY_ROWS: i64 = 512;
/// A chat another instance is handling is looked at again after this.
const BUSY_RETRY: Duration = Duration::from_millis(50);
/// Without a wake-up (updates stored by another instance), the inbox is read this often.
const IDLE_POLL: Duration = Duration::from_millis(250);

/// What became of one attempt to handle a chat's next update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// An update was handled (or set aside); there may be more.
    Handled,
    /// Nothing waiting for the chat (another instance got there first).
    Empty,
    /// Another task or instance holds the chat.
    Busy,
    /// Handling failed this many times; try again after a pause.
    Failed(i64),
    /// The database could not be reached.
    Unavailable,
}

impl Next {
    /// How long to leave the chat alone after this.
    fn pause(self) -> Option<Duration> {
        match self {
            Next::Handled | Next::Empty => None,
            Next::Busy => Some(BUSY_RETRY),
            Next::Failed(attempts) => Some(Duration::from_millis(
                200 * u64::try_from(attempts).unwrap_or(1),
            )),
            Next::Unavailable => Some(Duration::from_millis(500)),
        }
    }
}

/// Hands inbox rows to the service until `shutdown`; updates in hand are finished first.
///
/// Each task handles one update of one chat; chats come from a list of those with waiting
/// updates, read again once it is used up, so a chat with several waiting updates gets one
/// per round and no chat waits behind another's backlog.
pub async fn process(service: Service, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let parallel = match service.store.backend {
        Backend::Sqlite => 1,
        Backend::Postgres => CHAT_TASKS_POSTGRES,
    };
    let mut tasks: JoinSet<Next> = JoinSet::new();
    let mut in_hand: HashMap<Id, i64> = HashMap::new();
    let mut ready: VecDeque<i64> = VecDeque::new();
    // Chats to leave alone for a moment (held elsewhere, failing), and until when.
    let mut resting: HashMap<i64, Instant> = HashMap::new();
    while !*shutdown.borrow() {
        if ready.is_empty() && tasks.len() < parallel {
            match inbox::pending(&service.store, READY_ROWS).await {
                Ok(chats) => ready.extend(chats),
                Err(e) => {
                    tracing::warn!(error = %e, "inbox: reading failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
            }
            let now = Instant::now();
            resting.retain(|_, until| *until > now);
        }
        let mut started = false;
        while tasks.len() < parallel {
            let Some(chat) = ready.pop_front() else { break };
            if in_hand.values().any(|c| *c == chat) || resting.contains_key(&chat) {
                continue;
            }
            let service = service.clone();
            let handle = tasks.spawn(async move { handle_next(&service, chat).await });
            in_hand.insert(handle.id(), chat);
            started = true;
        }
        if started && tasks.len() < parallel {
            continue; // the list is used up: read it again
        }
        let poll = if resting.is_empty() {
            IDLE_POLL
        } else {
            BUSY_RETRY
        };
        tokio::select! {
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let (id, next) = match joined {
                    Ok((id, next)) => (id, next),
                    Err(e) => {
                        tracing::error!(error = %e, "a chat's handling task ended abnormally");
                        (e.id(), Next::Unavailable)
                    }
                };
                if let (Some(chat), Some(pause)) = (in_hand.remove(&id), next.pause()) {
                    resting.insert(chat, Instant::now() + pause);
                }
            }
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    while tasks.join_next().await.is_some() {}
}

/// One transaction: the chat's lock, its oldest waiting update, the handling, the commit.
/// An upload is read (its content checked) and an agent's membership asked of Telegram
/// between two such transactions: network calls must not hold the database or the chat's lock.
async fn handle_next(service: &Service, chat: i64) -> Next {
    let (mut tx, row) = match locked_oldest(service, chat).await {
        Ok(Some(found)) => found,
        Ok(None) => return Next::Empty,
        Err(next) => return next,
    };
    let mut inbound: Inbound = match serde_json::from_str(&row.payload) {
        Ok(i) => i,
        Err(e) => {
            let _ = tx.rollback().await;
            set_aside(service, row.update_id, &format!("unreadable: {e}")).await;
            return Next::Handled;
        }
    };
    let membership = service.needs_membership_lookup(&inbound);
    if membership || service.needs_upload_check(&inbound) {
        let _ = tx.rollback().await;
        if membership {
            service.learn_membership(&inbound).await;
        }
        inbound = service.check_upload(&inbound).await.unwrap_or(inbound);
        tx = match locked_oldest(service, chat).await {
            Ok(Some((again, next))) if next.update_id == row.update_id => again,
            // Handled elsewhere meanwhile: the chat's next update comes in the next round.
            Ok(_) => return Next::Handled,
            Err(next) => return next,
        };
    }
    handle_row(service, tx, row.update_id, &inbound).await
}

/// Begins a transaction holding `chat`'s lock and reads the chat's oldest waiting update.
async fn locked_oldest(service: &Service, chat: i64) -> Result<Option<(Tx, InboxRow)>, Next> {
    let unavailable = |e: crate::store::StoreError| {
        tracing::warn!(error = %e, "inbox: reading a chat's next update failed");
        Next::Unavailable
    };
    let mut tx = service.store.begin().await.map_err(unavailable)?;
    if !inbox::try_lock_chat(&mut tx, chat)
        .await
        .map_err(unavailable)?
    {
        return Err(Next::Busy);
    }
    let row = inbox::oldest_pending(&mut tx, chat)
        .await
        .map_err(unavailable)?;
    Ok(row.map(|row| (tx, row)))
}

/// Handles `inbound` in `tx` (which holds the chat's lock) and commits. A failure that passes
/// (the database restarting, a deadlock) is retried without counting; any other is counted in
/// the inbox and, after [`MAX_HANDLING_FAILURES`], the update is set aside.
async fn handle_row(service: &Service, mut tx: Tx, update_id: i64, inbound: &Inbound) -> Next {
    let started = std::time::Instant::now();
    let error: ServiceError = match service.handle_in(&mut tx, inbound).await {
        Ok(_) => match tx.commit().await {
            Ok(()) => {
                METRICS.observe_handling(started.elapsed());
                service.wake.notify_one();
                return Next::Handled;
            }
            Err(e) => e.into(),
        },
        Err(e) => {
            // Roll back before counting: the failed transaction may hold the inbox row.
            let _ = tx.rollback().await;
            e
        }
    };
    if error.is_transient() {
        tracing::warn!(update_id, %error, "database unavailable; retrying");
        return Next::Unavailable;
    }
    let attempts = match inbox::record_failure(&service.store, update_id).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(update_id, error = %e, "could not count a failed attempt");
            return Next::Unavailable;
        }
    };
    tracing::warn!(update_id, attempts, %error, "handling failed");
    if attempts >= MAX_HANDLING_FAILURES {
        set_aside(service, update_id, &error.to_string()).await;
        return Next::Handled;
    }
    Next::Failed(attempts)
}

async fn set_aside(service: &Service, update_id: i64, error: &str) {
    tracing::error!(update_id, error, "update set aside after repeated failures");
    if let Err(e) = inbox::set_aside(&service.store, update_id, error, service.clock.now_ms()).await
    {
        tracing::warn!(update_id, error = %e, "could not set the update aside");
    }
}
