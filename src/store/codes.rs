//! One-time codes as stored: keyed hashes, wrong attempts, states, and step locks.

use super::{StoreError, Tx};
use crate::domain::otp::SendHistory;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub target: String,
    pub hash: String,
    pub wrong_attempts: i64,
    pub created_at: i64,
}

/// What is known about earlier sends for the send rules.
pub async fn history(
    tx: &mut Tx,
    chat_id: i64,
    purpose: &str,
    target: &str,
    now: i64,
) -> Result<SendHistory, StoreError> {
    let hour_ago = now - crate::domain::otp::HOUR;
    // The cooldown is per channel: a student who got no SMS may ask for an e-mail at once.
    let last: (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(created_at) FROM codes WHERE chat_id = $1 AND purpose = $2 AND target = $3",
    )
    .bind(chat_id)
    .bind(purpose)
    .bind(target)
    .fetch_one(&mut **tx)
    .await?;
    let hour: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM codes WHERE target = $1 AND purpose = $2 AND created_at > $3",
    )
    .bind(target)
    .bind(purpose)
    .bind(hour_ago)
    .fetch_one(&mut **tx)
    .await?;
    Ok(SendHistory {
        last_sent_at: last.0,
        oldest_send_in_hour: hour.1,
        sends_in_hour: hour.0,
        locked_until: locked_until(tx, chat_id, purpose).await?,
    })
}

pub async fn locked_until(
    tx: &mut Tx,
    chat_id: i64,
    purpose: &str,
) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT until FROM code_locks WHERE chat_id = $1 AND purpose = $2")
            .bind(chat_id)
            .bind(purpose)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|r| r.0))
}

/// Stores a new code for the chat and purpose, replacing any live one.
pub async fn insert(
    tx: &mut Tx,
    chat_id: i64,
    purpose: &str,
    target: &str,
    hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET state = 'replaced', updated_at = $1 WHERE chat_id = $2 AND purpose = $3 AND state = 'live'")
        .bind(now)
        .bind(chat_id)
        .bind(purpose)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO codes (chat_id, purpose, target, hash, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'live', $5, $5)",
    )
    .bind(chat_id)
    .bind(purpose)
    .bind(target)
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn live(tx: &mut Tx, chat_id: i64, purpose: &str) -> Result<Option<CodeRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, target, hash, wrong_attempts, created_at FROM codes
         WHERE chat_id = $1 AND purpose = $2 AND state = 'live' ORDER BY id DESC LIMIT 1",
    )
    .bind(chat_id)
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Codes of this chat and purpose killed by wrong tries since `since`.
pub async fn dead_since(
    tx: &mut Tx,
    chat_id: i64,
    purpose: &str,
    since: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM codes WHERE chat_id = $1 AND purpose = $2 AND state = 'dead' AND updated_at > $3",
    )
    .bind(chat_id)
    .bind(purpose)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Records a wrong try, and the code's new state (`live` or `dead`).
pub async fn wrong(tx: &mut Tx, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET wrong_attempts = wrong_attempts + 1, state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_state(tx: &mut Tx, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn lock(tx: &mut Tx, chat_id: i64, purpose: &str, until: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO code_locks (chat_id, purpose, until) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id, purpose) DO UPDATE SET until = excluded.until",
    )
    .bind(chat_id)
    .bind(purpose)
    .bind(until)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
