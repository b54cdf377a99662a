//! The processor: hands inbox rows to the service in batches of chats, in update order per
//! chat — also when several instances share one PostgreSQL database.
//!
//! A batch ([`super::batch`]) is one transaction that takes the locks of up to
//! [`inbox::BATCH_CHATS`] chats ([`inbox::try_lock_chats`]) and handles, under them, each
//! chat's oldest unhandled update (group commit). So two tasks (or two instances) never
//! handle one chat at once, and whoever holds the lock handles the update that comes next
//! for that chat. Batches go in parallel: up to [`BATCH_TASKS_POSTGRES`] per process on
//! PostgreSQL; one on SQLite, which has one writer.

use super::batch::handle_batch;
use super::{BUSY_RETRY, Next};
use crate::service::Service;
use crate::store::{Backend, inbox};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;

/// Batches handled at once by one process on PostgreSQL; each holds a pooled connection.
pub const BATCH_TASKS_POSTGRES: usize = 4;
/// Waiting updates looked at per round (their chats make the round's list).
const READY_ROWS: i64 = 512;
/// Without a wake-up (updates stored by another instance), the inbox is read this often.
const IDLE_POLL: Duration = Duration::from_millis(250);

/// Hands inbox rows to the service until `shutdown`; updates in hand are finished first.
///
/// Each task handles a batch: the next update of each of several chats. Chats come from a
/// list of those with waiting updates, read again once it is used up, so a chat with
/// several waiting updates gets one per round and no chat waits behind another's backlog.
pub async fn process(service: Service, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let parallel = match service.store.backend {
        Backend::Sqlite => 1,
        Backend::Postgres => BATCH_TASKS_POSTGRES,
    };
    let mut tasks: JoinSet<Vec<(i64, Next)>> = JoinSet::new();
    let mut in_hand: HashMap<Id, Vec<i64>> = HashMap::new();
    let mut held: HashSet<i64> = HashSet::new();
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
        while tasks.len() < parallel && !ready.is_empty() {
            // The list shared among the free tasks, so parallel batches start at once.
            let share = ready.len().div_ceil(parallel - tasks.len());
            let mut batch = Vec::with_capacity(share.min(inbox::BATCH_CHATS));
            while batch.len() < share.min(inbox::BATCH_CHATS) {
                let Some(chat) = ready.pop_front() else { break };
                if !held.contains(&chat) && !resting.contains_key(&chat) {
                    batch.push(chat);
                }
            }
            if batch.is_empty() {
                continue;
            }
            held.extend(batch.iter().copied());
            let service = service.clone();
            let chats = batch.clone();
            let handle = tasks.spawn(async move { handle_batch(&service, &chats).await });
            in_hand.insert(handle.id(), batch);
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
                let (id, results) = match joined {
                    Ok((id, results)) => (id, results),
                    Err(e) => {
                        tracing::error!(error = %e, "a batch's handling task ended abnormally");
                        (e.id(), Vec::new())
                    }
                };
                let chats = in_hand.remove(&id).unwrap_or_default();
                for chat in &chats {
                    held.remove(chat);
                    let next = results
                        .iter()
                        .find(|(c, _)| c == chat)
                        .map_or(Next::Unavailable, |(_, next)| *next);
                    if let Some(pause) = next.pause() {
                        resting.insert(*chat, Instant::now() + pause);
                    }
                }
            }
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    while tasks.join_next().await.is_some() {}
}
