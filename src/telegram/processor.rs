//! The processor: hands inbox rows to the service, a chat at a time per task, in update order
//! per chat — also when several instances share one PostgreSQL database.
//!
//! Each update is handled in its own transaction that first takes the chat's lock
//! ([`inbox::try_lock_chat`]) and then reads the chat's oldest unhandled update under it. So
//! two tasks (or two instances) never handle one chat at once, and whoever holds the lock
//! handles the update that comes next for that chat. Different chats go in parallel: up to
//! [`CHAT_TASKS_POSTGRES`] per process on PostgreSQL; one on SQLite, which has one writer.

use crate::ops::METRICS;
use crate::service::{Inbound, Service};
use crate::store::Backend;
use crate::store::Tx;
use crate::store::inbox::{self, InboxRow};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;

/// An update whose handling failed this many times (in any instance) is set aside.
const MAX_HANDLING_FAILURES: i64 = 5;
/// Chats handled at once by one process on PostgreSQL; each holds a pooled connection.
pub const CHAT_TASKS_POSTGRES: usize = 4;
/// Chats with waiting updates looked at per round.
const READY_CHATS: i64 = 256;
/// A chat another instance is handling is looked at again after this.
const BUSY_RETRY: Duration = Duration::from_millis(50);
/// Without a wake-up (updates stored by another instance), the inbox is read this often.
const IDLE_POLL: Duration = Duration::from_millis(250);

/// What became of one attempt to handle a chat's next update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// An update was handled (or set aside); there may be more.
    Handled,
    /// Nothing waiting for the chat.
    Empty,
    /// Another task or instance holds the chat.
    Busy,
    /// Handling failed this many times; try again after a pause.
    Failed(i64),
    /// The database could not be reached.
    Unavailable,
}

/// Hands inbox rows to the service until `shutdown`; updates in hand are finished first.
pub async fn process(service: Service, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let parallel = match service.store.backend {
        Backend::Sqlite => 1,
        Backend::Postgres => CHAT_TASKS_POSTGRES,
    };
    let mut tasks: JoinSet<Next> = JoinSet::new();
    let mut in_hand: HashMap<Id, i64> = HashMap::new();
    // Chats found held elsewhere, and when to look at them again.
    let mut busy: HashMap<i64, Instant> = HashMap::new();
    while !*shutdown.borrow() {
        if tasks.len() < parallel {
            match inbox::pending(&service.store, READY_CHATS).await {
                Ok(chats) => {
                    let now = Instant::now();
                    busy.retain(|_, until| *until > now);
                    let taken: HashSet<i64> = in_hand.values().copied().collect();
                    let free = chats
                        .into_iter()
                        .filter(|chat| !taken.contains(chat) && !busy.contains_key(chat));
                    for chat in free.take(parallel - tasks.len()) {
                        let handle = tasks.spawn(drain(service.clone(), chat, shutdown.clone()));
                        in_hand.insert(handle.id(), chat);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "inbox: reading failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
            }
        }
        let poll = if busy.is_empty() {
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
                if let Some(chat) = in_hand.remove(&id)
                    && next == Next::Busy
                {
                    busy.insert(chat, Instant::now() + BUSY_RETRY);
                }
            }
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    while tasks.join_next().await.is_some() {}
}

/// Handles `chat`'s updates one by one until none is left, another holds the chat, or
/// `shutdown`; returns how it ended.
async fn drain(service: Service, chat: i64, shutdown: watch::Receiver<bool>) -> Next {
    let mut shutdown = shutdown;
    loop {
        if *shutdown.borrow() {
            return Next::Handled;
        }
        let pause = match handle_next(&service, chat).await {
            Next::Handled => continue,
            Next::Failed(attempts) => {
                Duration::from_millis(200 * u64::try_from(attempts).unwrap_or(1))
            }
            Next::Unavailable => Duration::from_millis(500),
            end @ (Next::Empty | Next::Busy) => return end,
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// One transaction: the chat's lock, its oldest waiting update, the handling, the commit.
async fn handle_next(service: &Service, chat: i64) -> Next {
    let mut tx = match service.store.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::warn!(error = %e, "inbox: cannot begin a transaction");
            return Next::Unavailable;
        }
    };
    let row = match inbox::try_lock_chat(&mut tx, chat).await {
        Ok(true) => inbox::oldest_pending(&mut tx, chat).await,
        Ok(false) => return Next::Busy,
        Err(e) => Err(e),
    };
    match row {
        Ok(Some(row)) => handle_row(service, tx, &row).await,
        Ok(None) => Next::Empty,
        Err(e) => {
            tracing::warn!(error = %e, "inbox: reading a chat's next update failed");
            Next::Unavailable
        }
    }
}

/// Handles `row` in `tx` (which holds the chat's lock) and commits; a failure is counted in
/// the inbox and, after [`MAX_HANDLING_FAILURES`], the update is set aside.
async fn handle_row(service: &Service, mut tx: Tx, row: &InboxRow) -> Next {
    let inbound: Inbound = match serde_json::from_str(&row.payload) {
        Ok(i) => i,
        Err(e) => {
            let _ = tx.rollback().await;
            set_aside(service, row.update_id, &format!("unreadable: {e}")).await;
            return Next::Handled;
        }
    };
    let started = std::time::Instant::now();
    let error = match service.handle_in(&mut tx, &inbound).await {
        Ok(_) => match tx.commit().await {
            Ok(()) => {
                METRICS.observe_handling(started.elapsed());
                service.wake.notify_one();
                return Next::Handled;
            }
            Err(e) => e.to_string(),
        },
        Err(e) => {
            // Roll back before counting: the failed transaction may hold the inbox row.
            let _ = tx.rollback().await;
            e.to_string()
        }
    };
    let attempts = match inbox::record_failure(&service.store, row.update_id).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(update_id = row.update_id, error = %e, "could not count a failed attempt");
            1
        }
    };
    tracing::warn!(update_id = row.update_id, attempts, %error, "handling failed");
    if attempts >= MAX_HANDLING_FAILURES {
        set_aside(service, row.update_id, &error).await;
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
