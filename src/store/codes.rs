//! One-time codes as stored: keyed hashes under their binding (purpose, keyed target,
//! subject), wrong attempts, states, and locks. No row holds an address or a number in plain,
//! so the rows stay as the send history the limits count, across /delete_my_data.

use super::{StoreError, Tx};
use crate::domain::otp::{HOUR, SendHistory};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub hash: String,
    pub wrong_attempts: i64,
    pub created_at: i64,
}

/// Where a code is kept and counted: the chat that asked, and the binding's stored parts.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub chat_id: i64,
    pub purpose: &'a str,
    /// Keyed hash of the target (`domain::keyed`, `Scope::Target`).
    pub target_key: &'a str,
    pub subject: &'a str,
    /// Keyed hash of the chat (`Scope::Chat`), under which the chat's lock is kept.
    pub chat_key: &'a str,
}

/// What is known about earlier sends: the cooldown follows the target and purpose (whichever
/// chat asked), the hourly cap the target over every purpose, locks the target or the chat.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn history(tx: &mut Tx, slot: &Slot<'_>, now: i64) -> Result<SendHistory, StoreError> {
    let last: (Option<i64>,) =
        sqlx::query_as("SELECT MAX(created_at) FROM codes WHERE target_key = $1 AND purpose = $2")
            .bind(slot.target_key)
            .bind(slot.purpose)
            .fetch_one(&mut **tx)
            .await?;
    let hour: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM codes WHERE target_key = $1 AND created_at > $2",
    )
    .bind(slot.target_key)
    .bind(now - HOUR)
    .fetch_one(&mut **tx)
    .await?;
    Ok(SendHistory {
        last_sent_at: last.0,
        oldest_send_in_hour: hour.1,
        sends_in_hour: hour.0,
        locked_until: locked_until(tx, slot).await?,
    })
}

/// The later end of the target's and the chat's locks for the purpose, if any.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn locked_until(tx: &mut Tx, slot: &Slot<'_>) -> Result<Option<i64>, StoreError> {
    let row: (Option<i64>,) =
        sqlx::query_as("SELECT MAX(until) FROM code_locks WHERE purpose = $1 AND key IN ($2, $3)")
            .bind(slot.purpose)
            .bind(slot.target_key)
            .bind(slot.chat_key)
            .fetch_one(&mut **tx)
            .await?;
    Ok(row.0)
}

/// Stores a new code, replacing every live code of the chat and purpose: whatever else was
/// asked for before (another username, e-mail or phone) dies with it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert(tx: &mut Tx, slot: &Slot<'_>, hash: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET state = 'replaced', updated_at = $1 WHERE chat_id = $2 AND purpose = $3 AND state = 'live'")
        .bind(now)
        .bind(slot.chat_id)
        .bind(slot.purpose)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO codes (chat_id, purpose, target_key, subject, hash, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'live', $6, $6)",
    )
    .bind(slot.chat_id)
    .bind(slot.purpose)
    .bind(slot.target_key)
    .bind(slot.subject)
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The chat's live code for exactly this binding.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn live(tx: &mut Tx, slot: &Slot<'_>) -> Result<Option<CodeRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, hash, wrong_attempts, created_at FROM codes
         WHERE chat_id = $1 AND purpose = $2 AND target_key = $3 AND subject = $4 AND state = 'live'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(slot.chat_id)
    .bind(slot.purpose)
    .bind(slot.target_key)
    .bind(slot.subject)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Codes for the target and purpose killed by wrong tries since `since`, from any chat.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dead_since(tx: &mut Tx, slot: &Slot<'_>, since: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM codes WHERE target_key = $1 AND purpose = $2 AND state = 'dead' AND updated_at > $3",
    )
    .bind(slot.target_key)
    .bind(slot.purpose)
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Records a wrong try, and the code's new state (`live` or `dead`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn wrong(tx: &mut Tx, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET wrong_attempts = wrong_attempts + 1, state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_state(tx: &mut Tx, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE codes SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Locks the purpose for the target and for the chat until `until`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn lock(tx: &mut Tx, slot: &Slot<'_>, until: i64) -> Result<(), StoreError> {
    for key in [slot.target_key, slot.chat_key] {
        sqlx::query(
            "INSERT INTO code_locks (key, purpose, until) VALUES ($1, $2, $3)
             ON CONFLICT (key, purpose) DO UPDATE SET until = excluded.until",
        )
        .bind(key)
        .bind(slot.purpose)
        .bind(until)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// On deletion: the chat's codes keep counting for their targets but no longer name the chat;
/// a live one dies.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn forget_chat(tx: &mut Tx, chat_id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE codes SET chat_id = 0, updated_at = $1,
             state = CASE WHEN state = 'live' THEN 'replaced' ELSE state END
         WHERE chat_id = $2",
    )
    .bind(now)
    .bind(chat_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
