//! Housekeeping while the bot runs: handled updates older than two days leave the inbox,
//! limit events older than two days go (no limit looks back further than a day), and ID
//! scans are deleted a fixed time after the decision on their review.

use crate::message::Outbound;
use crate::service::Clock;
use crate::store::{Store, StoreError, inbox, limits, outbox, person, unmatched};
use std::time::Duration;
use tokio::sync::watch;

/// How long a handled update is kept to recognise Telegram resending it (it resends for a
/// day at most).
pub const KEEP_HANDLED_MS: i64 = 2 * 24 * 60 * 60 * 1000;
/// Questions nothing understood are listed for the operator for this long (90 days).
pub const KEEP_UNMATCHED_MS: i64 = 90 * 24 * 60 * 60 * 1000;
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Prunes at start and then hourly, until `shutdown`; scans go `scan_retention_ms` after
/// their review's decision.
pub async fn run(
    store: Store,
    clock: Clock,
    scan_retention_ms: i64,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        prune_once(&store, &clock).await;
        if let Err(e) = expire(&store, &clock, scan_retention_ms).await {
            tracing::warn!(error = %e, "housekeeping: expiring scans and limits failed; trying again in an hour");
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// One pass; a failure is logged and the next pass tries again.
pub async fn prune_once(store: &Store, clock: &Clock) -> u64 {
    match inbox::prune_handled(store, clock.now_ms() - KEEP_HANDLED_MS).await {
        Ok(deleted) => {
            if deleted > 0 {
                tracing::info!(
                    deleted,
                    "inbox: handled updates older than two days removed"
                );
            }
            deleted
        }
        Err(e) => {
            tracing::warn!(error = %e, "inbox: pruning failed; trying again in an hour");
            0
        }
    }
}

/// Old limit events and, `scan_retention_ms` after the decision, ID scans: their references
/// in the database and the topic in the agents' group that showed them.
pub async fn expire(
    store: &Store,
    clock: &Clock,
    scan_retention_ms: i64,
) -> Result<(), StoreError> {
    let now = clock.now_ms();
    let mut tx = store.begin().await?;
    let pruned = limits::prune(&mut tx, now - KEEP_HANDLED_MS).await?
        + unmatched::prune(&mut tx, now - KEEP_UNMATCHED_MS).await?;
    let (scans, topics) = person::expire_scans(&mut tx, now - scan_retention_ms).await?;
    for (group, topic_id) in &topics {
        let delete = Outbound::DeleteTopic {
            group: *group,
            topic_id: *topic_id,
        };
        outbox::enqueue(&mut tx, &delete, now).await?;
    }
    tx.commit().await?;
    if pruned > 0 || scans > 0 || !topics.is_empty() {
        tracing::info!(
            pruned,
            scans,
            topics = topics.len(),
            "housekeeping: old limit events and expired scans removed"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::{Command, Input};
    use crate::message::{Arrival, Inbound, Place};

    #[tokio::test]
    async fn only_handled_updates_older_than_two_days_are_removed() {
        let dir = std::env::temp_dir().join(format!("helpdesk-prune-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("prune.db").display());
        let Ok(store) = Store::connect(&url).await else {
            panic!("connect {url}");
        };
        let clock = Clock::system();
        let now = clock.now_ms();
        let row = |id: i64| Arrival {
            update_id: id,
            inbound: Inbound {
                update_id: Some(id),
                chat_id: 7,
                user_id: 7,
                user_name: String::new(),
                language_code: None,
                message_id: None,
                callback_id: None,
                place: Place::Private,
                input: Input::Command(Command::Help),
                meta: Default::default(),
            },
        };
        let rows: Vec<Arrival> = (1..=4).map(row).collect();
        assert!(inbox::insert_batch(&store, &rows, now, None).await.is_ok());
        let old = now - KEEP_HANDLED_MS - 1;
        // 1: handled long ago; 2: handled just now; 3: set aside long ago; 4: waiting.
        for (id, at, error) in [(1, old, None), (2, now, None), (3, old, Some("broken"))] {
            let marked =
                sqlx::query("UPDATE inbox SET processed_at = $1, error = $2 WHERE update_id = $3")
                    .bind(at)
                    .bind(error)
                    .bind(id)
                    .execute(&store.pool)
                    .await;
            assert!(marked.is_ok());
        }
        assert_eq!(prune_once(&store, &clock).await, 1);
        let left: Vec<(i64,)> = sqlx::query_as("SELECT update_id FROM inbox ORDER BY update_id")
            .fetch_all(&store.pool)
            .await
            .unwrap_or_default();
        assert_eq!(left, vec![(2,), (3,), (4,)]);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn questions_nobody_understood_are_forgotten_after_ninety_days() {
        let dir = std::env::temp_dir().join(format!("helpdesk-unmatched-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("unmatched.db").display());
        let store = Store::connect(&url).await.expect("connect");
        let clock = Clock::system();
        let now = clock.now_ms();
        let mut tx = store.begin().await.expect("tx");
        for (at, text) in [(now - KEEP_UNMATCHED_MS - 1, "old"), (now - 1_000, "new")] {
            let q = unmatched::Unmatched {
                at,
                locale: "zh-CN",
                node: "menu.main",
                reason: "unknown",
                text,
            };
            unmatched::record(&mut tx, &q).await.expect("record");
        }
        tx.commit().await.expect("commit");
        expire(&store, &clock, i64::MAX / 2).await.expect("expire");
        let left: Vec<(String,)> = sqlx::query_as("SELECT text FROM unmatched_questions")
            .fetch_all(&store.pool)
            .await
            .expect("left");
        assert_eq!(left, vec![("new".to_string(),)]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
