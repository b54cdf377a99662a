//! The single path: one chat's next update in its own transaction, for updates that need a
//! network call before handling (an upload to check, an agent's membership to ask) or that
//! failed inside a batch, so that only the failing update counts a failure.

use super::Next;
use crate::message::Inbound;
use crate::metrics::METRICS;
use crate::service::conversation::turn::Prefetched;
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx,
    inbox::{self, InboxRow},
};

/// An update whose handling failed this many times (in any instance) is set aside.
const MAX_HANDLING_FAILURES: i64 = 5;

/// One transaction: the chat's lock, its oldest waiting update, the handling, the commit.
/// An upload is read (its content checked) and an agent's membership asked of Telegram
/// between two such transactions: network calls must not hold the database or the chat's lock.
pub(super) async fn handle_next(service: &Service, chat: i64) -> Next {
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
    if service.needs_preparing(&inbound) {
        let _ = tx.rollback().await;
        inbound = service.prepare(&inbound).await.unwrap_or(inbound);
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
    let error: ServiceError = match claim_and_handle(service, &mut tx, update_id, inbound).await {
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

/// Marks the update handled (unless it was before) and handles it, in `tx`.
async fn claim_and_handle(
    service: &Service,
    tx: &mut Tx,
    update_id: i64,
    inbound: &Inbound,
) -> Result<(), ServiceError> {
    let now = service.clock.now_ms();
    if inbox::claim(tx, update_id, now).await? {
        service
            .handle_update(tx, inbound, now, &Prefetched::default())
            .await?;
    }
    Ok(())
}

async fn set_aside(service: &Service, update_id: i64, error: &str) {
    tracing::error!(update_id, error, "update set aside after repeated failures");
    if let Err(e) = inbox::set_aside(&service.store, update_id, error, service.clock.now_ms()).await
    {
        tracing::warn!(update_id, error = %e, "could not set the update aside");
    }
}
