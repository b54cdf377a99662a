//! Relays between students and agents: a ticket's relay rows still waiting in the outbox
//! (merged while the group's budget holds them back), and the message-id map of copies.

use super::{Conn, StoreError, Tx};
use crate::message::{Lane, Outbound};

/// A pending outbox row of one ticket.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub id: i64,
    pub payload: String,
    pub claimed_until: i64,
}

impl PendingRow {
    /// The message the row holds.
    pub fn message(&self) -> Result<Outbound, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// JSON prefixes of the rows that go into ticket `id`'s topic (plain, or with follow-ups).
fn ticket_patterns(id: i64) -> (String, String) {
    (
        format!(r#"{{"type":"to_ticket","ticket":{id},%"#),
        format!(r#"{{"type":"tracked","message":{{"type":"to_ticket","ticket":{id},%"#),
    )
}

/// The pending rows of `lane` into ticket `id`'s topic, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_for_ticket(
    tx: &mut Tx,
    lane: &Lane,
    id: i64,
) -> Result<Vec<PendingRow>, StoreError> {
    let (plain, tracked) = ticket_patterns(id);
    Ok(sqlx::query_as(
        "SELECT id, payload, claimed_until FROM outbox
         WHERE lane = $1 AND status = 0 AND (payload LIKE $2 OR payload LIKE $3) ORDER BY id",
    )
    .bind(lane.key())
    .bind(plain)
    .bind(tracked)
    .fetch_all(&mut **tx)
    .await?)
}

/// The pending card redraw of ticket `id`, if one waits.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_card_edit(
    tx: &mut Tx,
    lane: &Lane,
    id: i64,
) -> Result<Option<PendingRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, payload, claimed_until FROM outbox
         WHERE lane = $1 AND status = 0 AND payload LIKE $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(lane.key())
    .bind(format!(r#"{{"type":"edit_card","ticket":{id},%"#))
    .fetch_optional(&mut **tx)
    .await?)
}

/// Rewrites a pending row no sender has claimed since it was written or given back (a claim
/// that ran out may still be in flight: such a row is left alone); false when one has.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rewrite_pending(tx: &mut Tx, id: i64, out: &Outbound) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE outbox SET payload = $1 WHERE id = $2 AND status = 0 AND claimed_until = 0",
    )
    .bind(serde_json::to_string(out)?)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that `copy` (chat, message) is the bot's copy of message `source` in
/// `source_chat` (the ticket's student when none).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn map_copy(
    conn: &mut Conn,
    ticket: i64,
    source_chat: Option<i64>,
    source: i64,
    copy: (i64, i64),
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO relay_map (ticket_id, source_chat, source_msg, copy_chat, copy_msg)
         SELECT id, COALESCE($2, chat_id), $3, $4, $5 FROM tickets WHERE id = $1",
    )
    .bind(ticket)
    .bind(source_chat)
    .bind(source)
    .bind(copy.0)
    .bind(copy.1)
    .execute(conn)
    .await?;
    Ok(())
}

/// The original behind the bot's copy `(chat, message)`: (ticket, source chat, source message).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn source_of(
    tx: &mut Tx,
    chat: i64,
    message: i64,
) -> Result<Option<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT ticket_id, source_chat, source_msg FROM relay_map
         WHERE copy_chat = $1 AND copy_msg = $2 ORDER BY source_msg LIMIT 1",
    )
    .bind(chat)
    .bind(message)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The bot's copy of the original `(chat, message)`: (ticket, copy chat, copy message).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn copy_of(
    tx: &mut Tx,
    chat: i64,
    message: i64,
) -> Result<Option<(i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT ticket_id, copy_chat, copy_msg FROM relay_map
         WHERE source_chat = $1 AND source_msg = $2 LIMIT 1",
    )
    .bind(chat)
    .bind(message)
    .fetch_optional(&mut **tx)
    .await?)
}
