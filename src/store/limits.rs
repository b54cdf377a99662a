//! Rate-limit events keyed by a keyed hash of what they limit (see `domain::keyed`): counts
//! that survive the deletion of the person they are about, because they name nobody.

use super::{StoreError, Tx};

/// Records one event of `kind` for `key` at `at`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(tx: &mut Tx, kind: &str, key: &str, at: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO limit_events (kind, key, at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(key)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many events of `kind` for `key` happened after `since`, and the oldest of them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn since(
    tx: &mut Tx,
    kind: &str,
    key: &str,
    since: i64,
) -> Result<(i64, Option<i64>), StoreError> {
    let row: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM limit_events WHERE key = $1 AND kind = $2 AND at > $3",
    )
    .bind(key)
    .bind(kind)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row)
}

/// Drops events older than `before` (housekeeping: no limit looks back further than a day).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn prune(tx: &mut Tx, before: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM limit_events WHERE at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
