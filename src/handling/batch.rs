//! Group commit: the next update of each of several chats handled in one transaction.
//!
//! A transaction costs a `BEGIN`, a commit (a write of the pages it changed into the WAL)
//! and the reading of the update; with sqlx every statement is a round trip to the
//! connection's thread (SQLite) or the server (PostgreSQL). Handling up to
//! [`inbox::BATCH_CHATS`] chats' next updates in one transaction shares those costs, and
//! the rows are read and marked handled in one statement each. Each chat still gets its
//! updates one at a time and in order: a batch holds each chat's lock and takes only its
//! oldest waiting update. Durability is unchanged: nothing of a batch is visible, or
//! answered, before its commit, and a crash before it leaves every update of the batch in
//! the inbox to be handled again.

use super::Next;
use super::single::handle_next;
use crate::message::{Inbound, Place};
use crate::metrics::METRICS;
use crate::service::conversation::turn::Prefetched;
use crate::service::{Service, ServiceError};
use crate::store::{
    StoreError, Tx,
    inbox::{self, InboxRow},
    tickets,
};
use std::time::Instant;

/// Why a batch did not commit.
enum Abort {
    /// The database could not be reached or gave way (restart, deadlock): every chat of
    /// the batch waits a moment, nothing counts as a failure.
    Unavailable,
    /// One update's handling failed: the batch's chats are handled one at a time instead,
    /// so that the failure is counted against that update only.
    Failed,
}

/// What a committed batch left to do.
struct Committed {
    handled: Vec<i64>,
    /// Chats another task or instance held.
    busy: Vec<i64>,
    /// Chats whose next update takes the single path (see [`needs_single_path`]).
    single: Vec<i64>,
}

/// Handles the next update of each of `chats` (at most [`inbox::BATCH_CHATS`]); returns
/// what became of each chat.
pub(super) async fn handle_batch(service: &Service, chats: &[i64]) -> Vec<(i64, Next)> {
    let mut results: Vec<(i64, Next)> = Vec::with_capacity(chats.len());
    match try_batch(service, chats).await {
        Ok(committed) => {
            results.extend(committed.handled.iter().map(|c| (*c, Next::Handled)));
            for chat in committed.single {
                results.push((chat, handle_next(service, chat).await));
            }
            results.extend(committed.busy.iter().map(|c| (*c, Next::Busy)));
            // The rest had nothing waiting (handled elsewhere meanwhile).
            for chat in chats {
                if !results.iter().any(|(c, _)| c == chat) {
                    results.push((*chat, Next::Empty));
                }
            }
        }
        Err(Abort::Unavailable) => {
            results.extend(chats.iter().map(|c| (*c, Next::Unavailable)));
        }
        Err(Abort::Failed) => {
            for chat in chats {
                results.push((*chat, handle_next(service, *chat).await));
            }
        }
    }
    results
}

async fn try_batch(service: &Service, chats: &[i64]) -> Result<Committed, Abort> {
    let mut tx = service.store.begin().await.map_err(unavailable)?;
    let (busy, rows) = match locked_rows(&mut tx, chats).await {
        Ok(found) => found,
        Err(e) => {
            let _ = tx.rollback().await;
            return Err(unavailable(e));
        }
    };
    let mut handled = Vec::with_capacity(rows.len());
    let mut claimed = Vec::with_capacity(rows.len());
    let mut started = Vec::with_capacity(rows.len());
    let mut single = Vec::new();
    let mut ready = Vec::with_capacity(rows.len());
    for row in rows {
        match readable(service, &row) {
            Some(inbound) => ready.push((row, inbound)),
            None => single.push(row.chat_id),
        }
    }
    let known = match prefetch(&mut tx, &ready).await {
        Ok(known) => known,
        Err(e) => {
            let _ = tx.rollback().await;
            return Err(aborted(&ServiceError::from(e)));
        }
    };
    for (row, inbound) in ready {
        started.push(Instant::now());
        if let Err(e) = service
            .handle_update(&mut tx, &inbound, service.clock.now_ms(), &known)
            .await
        {
            let _ = tx.rollback().await;
            return Err(aborted(&e));
        }
        handled.push(row.chat_id);
        claimed.push(row.update_id);
    }
    let committed = async {
        inbox::claim_read(&mut tx, &claimed, service.clock.now_ms()).await?;
        tx.commit().await.map_err(StoreError::from)
    };
    if let Err(e) = committed.await {
        return Err(aborted(&ServiceError::from(e)));
    }
    for start in started {
        METRICS.observe_handling(start.elapsed());
    }
    if !handled.is_empty() {
        service.wake.notify_one();
    }
    Ok(Committed {
        handled,
        busy,
        single,
    })
}

/// The chats' locks (those free) and, under them, each chat's oldest waiting update; and
/// the chats whose lock another task or instance holds.
async fn locked_rows(tx: &mut Tx, chats: &[i64]) -> Result<(Vec<i64>, Vec<InboxRow>), StoreError> {
    let locked = inbox::try_lock_chats(tx, chats).await?;
    let busy = chats.iter().filter(|c| !locked.contains(c)).copied();
    Ok((busy.collect(), inbox::oldest_pending_of(tx, &locked).await?))
}

/// What every update of the batch would otherwise ask on its own: which of the students
/// writing in private work a ticket from there.
async fn prefetch(tx: &mut Tx, ready: &[(InboxRow, Inbound)]) -> Result<Prefetched, StoreError> {
    let users: Vec<i64> = ready
        .iter()
        .filter(|(_, inbound)| inbound.place == Place::Private)
        .map(|(_, inbound)| inbound.user_id)
        .collect();
    if users.is_empty() {
        return Ok(Prefetched::default());
    }
    Ok(Prefetched {
        private_agents: Some(tickets::working_privately_among(tx, &users).await?),
    })
}

/// The update of `row`, unless it must take the single path: it cannot be read (it is set
/// aside there), or it needs a network call before handling, which must not hold the
/// transaction (an upload whose content is checked, an agent whose membership is asked).
fn readable(service: &Service, row: &InboxRow) -> Option<Inbound> {
    let inbound: Inbound = serde_json::from_str(&row.payload).ok()?;
    (!service.needs_preparing(&inbound)).then_some(inbound)
}

fn unavailable(e: StoreError) -> Abort {
    tracing::warn!(error = %e, "inbox: a batch could not be read; retrying");
    Abort::Unavailable
}

fn aborted(error: &ServiceError) -> Abort {
    if error.is_transient() {
        tracing::warn!(%error, "database unavailable during a batch; retrying");
        Abort::Unavailable
    } else {
        tracing::warn!(%error, "an update of a batch failed; handling its chats one by one");
        Abort::Failed
    }
}
