//! The inbox: every update, durably stored before Telegram is told it arrived.

use super::padded::{bind_padded, placeholders};
use super::{Backend, Store, StoreError, Tx};
use crate::message::Arrival;

/// An update waiting to be handled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub update_id: i64,
    pub chat_id: i64,
    pub payload: String,
}

/// Stores a batch in one transaction, one statement for all rows; repeats of a known
/// `update_id` are ignored. With `next_offset`, the polling offset is saved in the same
/// transaction. Returns how many were new once they are durable: on SQLite the WAL is synced
/// after the commit (outside the write lock), on PostgreSQL the commit is synchronous.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_batch(
    store: &Store,
    arrivals: &[Arrival],
    now: i64,
    next_offset: Option<i64>,
) -> Result<u64, StoreError> {
    let rows = arrivals
        .iter()
        .map(|a| {
            Ok(InboxRow {
                update_id: a.update_id,
                chat_id: a.inbound.chat_id,
                payload: serde_json::to_string(&a.inbound)?,
            })
        })
        .collect::<Result<Vec<InboxRow>, serde_json::Error>>()?;
    let mut tx = store.begin().await?;
    if store.backend == Backend::Postgres {
        // The connections commit asynchronously (see `store::postgres_settings`); this one
        // must be on disk before Telegram is told, and flushes every earlier commit with it.
        sqlx::query("SET LOCAL synchronous_commit = on")
            .execute(&mut *tx)
            .await?;
    }
    let mut inserted = 0;
    // 4 parameters a row; SQLite allows 32,766 in one statement, PostgreSQL 65,535.
    for chunk in rows.chunks(1000) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 4;
                format!("(${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4)
            })
            .collect();
        let sql = format!(
            "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES {}
             ON CONFLICT (update_id) DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(row.update_id)
                .bind(row.chat_id)
                .bind(&row.payload)
                .bind(now);
        }
        inserted += query.execute(&mut *tx).await?.rows_affected();
    }
    if let Some(offset) = next_offset {
        sqlx::query("INSERT INTO kv (key, value) VALUES ('poll_offset', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(offset.to_string())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    store.sync_wal().await?;
    Ok(inserted)
}

/// Deletes updates handled before `before` (set-aside ones stay for the operator). Telegram
/// resends an unconfirmed update for at most a day, so older rows no longer guard against
/// repeats; and once Telegram restarts its update ids, an old row could make a new update
/// look like a repeat. Returns how many were deleted.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn prune_handled(store: &Store, before: i64) -> Result<u64, StoreError> {
    let mut deleted = 0;
    // In chunks, each its own short transaction: a large first pruning must not hold the
    // writer (and so every update's handling) for long.
    loop {
        let mut tx = store.begin().await?;
        let chunk = sqlx::query(
            "DELETE FROM inbox WHERE update_id IN (SELECT update_id FROM inbox
             WHERE processed_at IS NOT NULL AND processed_at < $1 AND error IS NULL
             ORDER BY update_id LIMIT $2)",
        )
        .bind(before)
        .bind(PRUNE_CHUNK)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        deleted += chunk;
        if chunk < PRUNE_CHUNK.unsigned_abs() {
            return Ok(deleted);
        }
    }
}

/// Rows deleted per pruning transaction.
const PRUNE_CHUNK: i64 = 5_000;

/// Chats with unhandled updates among the oldest `limit` of them, in the order of their
/// oldest one (walks the `inbox_pending` index; no grouping over the whole backlog).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending(store: &Store, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT chat_id FROM inbox WHERE processed_at IS NULL ORDER BY update_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&store.pool)
    .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .map(|r| r.0)
        .filter(|chat| seen.insert(*chat))
        .collect())
}

/// Takes the right to handle `chat_id`'s updates until `tx` ends, without waiting: false when
/// another transaction (in this process or another instance) holds it. On PostgreSQL this is
/// a transaction-scoped advisory lock keyed by the chat id; SQLite has one writer at a time
/// (`BEGIN IMMEDIATE`), so holding the transaction is already exclusive.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn try_lock_chat(tx: &mut Tx, chat_id: i64) -> Result<bool, StoreError> {
    if !is_postgres(tx) {
        return Ok(true);
    }
    let row: (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)")
        .bind(chat_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.0)
}

/// Like [`try_lock_chat`], waiting for the holder to finish (the console, tests).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn lock_chat(tx: &mut Tx, chat_id: i64) -> Result<(), StoreError> {
    if is_postgres(tx) {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(chat_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn is_postgres(tx: &mut Tx) -> bool {
    tx.backend_name().eq_ignore_ascii_case("postgresql")
}

/// The chat's oldest unhandled update, read under the chat's lock: what to handle next.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn oldest_pending(tx: &mut Tx, chat_id: i64) -> Result<Option<InboxRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT update_id, chat_id, payload FROM inbox
         WHERE chat_id = $1 AND processed_at IS NULL ORDER BY update_id LIMIT 1",
    )
    .bind(chat_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Marks an update handled inside the handling transaction and drops its payload (it may
/// hold personal data). False when it was handled already.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim(tx: &mut Tx, update_id: i64, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE inbox SET processed_at = $1, payload = '' WHERE update_id = $2 AND processed_at IS NULL",
    )
    .bind(now)
    .bind(update_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts a failed attempt at handling an update (every instance counts in the same row);
/// returns the attempts so far.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_failure(store: &Store, update_id: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = $1 RETURNING attempts",
    )
    .bind(update_id)
    .fetch_one(&store.pool)
    .await?;
    Ok(row.0)
}

/// Unhandled updates (metrics, tests).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn backlog(store: &Store) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL")
        .fetch_one(&store.pool)
        .await?;
    Ok(row.0)
}

/// Gives up on an update that kept failing, keeping why.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_aside(
    store: &Store,
    update_id: i64,
    error: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE inbox SET processed_at = $1, payload = '', error = $2 WHERE update_id = $3",
    )
    .bind(now)
    .bind(error)
    .bind(update_id)
    .execute(&store.writer)
    .await?;
    Ok(())
}

/// Chats handled in one transaction at most (group commit, `telegram::batch`).
pub use super::padded::BATCH as BATCH_CHATS;

/// Takes the handling rights of as many of `chats` (at most [`BATCH_CHATS`]) as are free,
/// without waiting, until `tx` ends; returns those taken. See [`try_lock_chat`].
#[tracing::instrument(level = "debug", skip_all)]
pub async fn try_lock_chats(tx: &mut Tx, chats: &[i64]) -> Result<Vec<i64>, StoreError> {
    let chats = &chats[..chats.len().min(BATCH_CHATS)];
    if !is_postgres(tx) || chats.is_empty() {
        return Ok(chats.to_vec());
    }
    let values = placeholders(1, "::int8").replace(", ", "), (");
    let sql =
        format!("SELECT c FROM (VALUES ({values})) AS v(c) WHERE pg_try_advisory_xact_lock(c)");
    let rows = bind_padded(sqlx::query(sqlx::AssertSqlSafe(sql)), chats)
        .fetch_all(&mut **tx)
        .await?;
    let mut taken = Vec::with_capacity(chats.len());
    for row in rows {
        let chat: i64 = sqlx::Row::try_get(&row, 0)?;
        if !taken.contains(&chat) {
            taken.push(chat);
        }
    }
    Ok(taken)
}

/// The oldest unhandled update of each of `chats` (at most [`BATCH_CHATS`]), read under
/// their locks, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn oldest_pending_of(tx: &mut Tx, chats: &[i64]) -> Result<Vec<InboxRow>, StoreError> {
    let chats = &chats[..chats.len().min(BATCH_CHATS)];
    if chats.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT update_id, chat_id, payload FROM inbox WHERE update_id IN (
             SELECT MIN(update_id) FROM inbox
             WHERE processed_at IS NULL AND chat_id IN ({}) GROUP BY chat_id)
         ORDER BY update_id",
        placeholders(1, "")
    );
    let rows = bind_padded(sqlx::query(sqlx::AssertSqlSafe(sql)), chats)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(InboxRow {
                update_id: sqlx::Row::try_get(row, 0)?,
                chat_id: sqlx::Row::try_get(row, 1)?,
                payload: sqlx::Row::try_get(row, 2)?,
            })
        })
        .collect()
}

/// [`claim`] for updates read by [`oldest_pending_of`] in the same transaction (so none was
/// handled meanwhile), in one statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim_read(tx: &mut Tx, update_ids: &[i64], now: i64) -> Result<(), StoreError> {
    for chunk in update_ids.chunks(BATCH_CHATS) {
        let sql = format!(
            "UPDATE inbox SET processed_at = $1, payload = '' WHERE update_id IN ({})",
            placeholders(2, "")
        );
        bind_padded(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now), chunk)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
