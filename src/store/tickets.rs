//! Tickets (requests for a human) and the audit trail.

use super::{StoreError, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub chat_id: i64,
    pub kind: String,
    pub status: String,
    pub node: String,
    pub summary: String,
    pub created_at: i64,
}

pub async fn open(
    tx: &mut Tx,
    chat_id: i64,
    kind: &str,
    node: &str,
    summary: &str,
    now: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO tickets (chat_id, kind, status, node, summary, created_at, updated_at, account_id)
         VALUES ($1, $2, 'open', $3, $4, $5, $5, (SELECT MAX(id) FROM accounts WHERE chat_id = $1))
         RETURNING id",
    )
    .bind(chat_id)
    .bind(kind)
    .bind(node)
    .bind(summary)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// The chat's tickets that are not closed, newest first.
pub async fn open_for_chat(tx: &mut Tx, chat_id: i64) -> Result<Vec<TicketRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, chat_id, kind, status, node, summary, created_at FROM tickets
         WHERE chat_id = $1 AND status NOT IN ('closed', 'resolved', 'rejected') ORDER BY id DESC",
    )
    .bind(chat_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Records who did what to which subject.
pub async fn audit(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Opens a review ticket (a correction, a photo) with its details and the record it concerns.
pub async fn open_review(
    tx: &mut Tx,
    chat_id: i64,
    kind: &str,
    node: &str,
    detail: &str,
    record_id: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO tickets (chat_id, kind, status, node, summary, detail, record_id, created_at, updated_at, account_id)
         VALUES ($1, $2, 'open', $3, $2, $4, $5, $6, $6, (SELECT MAX(id) FROM accounts WHERE chat_id = $1))
         RETURNING id",
    )
    .bind(chat_id)
    .bind(kind)
    .bind(node)
    .bind(detail)
    .bind(record_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// The oldest unfinished ticket of `kind` of the account signed in at `chat_id`, from any of
/// its chats (of the chat itself when it has no account).
pub async fn unfinished_of_kind(
    tx: &mut Tx,
    chat_id: i64,
    kind: &str,
) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM tickets
         WHERE kind = $2 AND status IN ('open', 'in_progress')
           AND (chat_id = $1 OR account_id = (SELECT MAX(id) FROM accounts WHERE chat_id = $1))
           -- An ID review decided elsewhere is finished whatever its ticket says.
           AND NOT EXISTS (SELECT 1 FROM reviews r
                           WHERE r.ticket_id = tickets.id AND r.status IN ('approved', 'rejected'))
         ORDER BY id LIMIT 1",
    )
    .bind(chat_id)
    .bind(kind)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Replaces a ticket's details (files added to an open review).
pub async fn set_detail(tx: &mut Tx, id: i64, detail: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET detail = $1 WHERE id = $2")
        .bind(detail)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
