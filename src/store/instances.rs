//! Instances sharing one database: each records that it is alive, so that they can share
//! Telegram's overall sending limit (it counts per bot, not per process).

use super::{Store, StoreError};

/// Records that this instance (`store.instance`) is alive; returns how many instances were
/// seen alive within the last `alive_ms`, this one included. PostgreSQL only (one SQLite
/// database has one instance); times are the server's, so the instances' clocks need not
/// agree.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn heartbeat(store: &Store, alive_ms: i64) -> Result<u32, StoreError> {
    const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO instances (id, seen_at) VALUES ($1, {NOW_MS})
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at"
    )))
    .bind(&*store.instance)
    .execute(&store.writer)
    .await?;
    let (alive,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM instances WHERE seen_at > {NOW_MS} - $1"
    )))
    .bind(alive_ms)
    .fetch_one(&store.pool)
    .await?;
    Ok(u32::try_from(alive).unwrap_or(1).max(1))
}

/// This instance stops: the others may use the whole limit at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn leave(store: &Store) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM instances WHERE id = $1")
        .bind(&*store.instance)
        .execute(&store.writer)
        .await?;
    Ok(())
}
