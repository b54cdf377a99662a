//! Reminders before the deadline: runs (a reminder asked for a scope), who was reminded of
//! which reminder (at most once each, written with the message's outbox row), and the chats
//! that asked for none (`/mute`).

use super::{StoreError, Tx};
use crate::message::Lane;

/// The outbox lane reminders wait in: one at a time, so they never crowd out a reply.
pub const LANE: Lane = Lane::Bulk("remind");

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Run {
    pub id: i64,
    pub reminder: String,
    pub college: String,
    pub class_name: String,
    pub requested_by: String,
    pub created_at: i64,
}

/// What asking for a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Created,
    /// The same reminder for the same scope was asked before: it goes on (again), and only
    /// those not yet reminded of it are.
    Reopened,
}

/// Asks for `reminder` to reach the students of (college, class) ('' = all).
pub async fn ask(
    tx: &mut Tx,
    reminder: &str,
    (college, class): (&str, &str),
    by: &str,
    now: i64,
) -> Result<Asked, StoreError> {
    let created = sqlx::query(
        "INSERT INTO reminder_runs (reminder, college, class_name, requested_by, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(reminder)
    .bind(college)
    .bind(class)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if created == 1 {
        return Ok(Asked::Created);
    }
    sqlx::query(
        "UPDATE reminder_runs SET done_at = NULL
         WHERE reminder = $1 AND college = $2 AND class_name = $3",
    )
    .bind(reminder)
    .bind(college)
    .bind(class)
    .execute(&mut **tx)
    .await?;
    Ok(Asked::Reopened)
}

/// Whether a run of `reminder` was ever asked for (any scope).
pub async fn asked_before(tx: &mut Tx, reminder: &str) -> Result<bool, StoreError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM reminder_runs WHERE reminder = $1 LIMIT 1")
            .bind(reminder)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.is_some())
}

/// Runs not finished, oldest first.
pub async fn open_runs(tx: &mut Tx) -> Result<Vec<Run>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, reminder, college, class_name, requested_by, created_at FROM reminder_runs
         WHERE done_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?)
}

pub async fn finish(tx: &mut Tx, run: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE reminder_runs SET done_at = $1 WHERE id = $2 AND done_at IS NULL")
        .bind(now)
        .bind(run)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends the unfinished runs of earlier deadline reminders (`deadline:%` other than `current`):
/// a later reminder takes over, so nobody gets two in a row.
pub async fn supersede(tx: &mut Tx, current: &str, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE reminder_runs SET done_at = $1
         WHERE done_at IS NULL AND reminder LIKE 'deadline:%' AND reminder <> $2",
    )
    .bind(now)
    .bind(current)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// The records and chats already reminded of `reminder`.
pub async fn reminded_of(tx: &mut Tx, reminder: &str) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT record_id, chat_id FROM reminders_sent WHERE reminder = $1")
            .bind(reminder)
            .fetch_all(&mut **tx)
            .await?,
    )
}

/// Notes that `record`'s student is reminded of `reminder` in `chat` — unless they were, the
/// chat was reminded of it for another record, or the chat is muted. True: send it now, in
/// this transaction.
pub async fn claim(
    tx: &mut Tx,
    record: i64,
    reminder: &str,
    chat: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (record_id, reminder, chat_id, at)
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM reminder_mutes WHERE chat_id = $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(record)
    .bind(reminder)
    .bind(chat)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reminders waiting in the outbox.
pub async fn waiting(tx: &mut Tx) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE lane = $1 AND status = 0")
        .bind(LANE.key())
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.0)
}

/// `/mute` (true) or `/unmute` (false) for `chat`.
pub async fn set_muted(tx: &mut Tx, chat: i64, muted: bool, now: i64) -> Result<(), StoreError> {
    if muted {
        sqlx::query(
            "INSERT INTO reminder_mutes (chat_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(chat)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM reminder_mutes WHERE chat_id = $1")
            .bind(chat)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Forgets a chat that erased its data: its mute, its reminders, those still waiting.
pub async fn forget_chat(tx: &mut Tx, chat: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM reminder_mutes WHERE chat_id = $1",
        "DELETE FROM reminders_sent WHERE chat_id = $1",
    ] {
        sqlx::query(sql).bind(chat).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM outbox WHERE lane = $1 AND status <> 1 AND payload LIKE $2")
        .bind(LANE.key())
        .bind(format!(r#"{{"type":"text","chat_id":{chat},%"#))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
