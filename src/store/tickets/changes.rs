//! Changes to tickets: opening them, the desk's moves between statuses (checked against
//! [`TicketStatus::can_become`]), holders, reasons, ratings and details.

use super::super::{StoreError, Tx};
use crate::domain::ticket::{TicketKind, TicketStatus};

#[tracing::instrument(level = "debug", skip_all)]
pub async fn open(
    tx: &mut Tx,
    chat_id: i64,
    kind: TicketKind,
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
    .bind(kind.as_str())
    .bind(node)
    .bind(summary)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Opens a review ticket (a correction, a photo) with its details and the record it concerns.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_review(
    tx: &mut Tx,
    chat_id: i64,
    kind: TicketKind,
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
    .bind(kind.as_str())
    .bind(node)
    .bind(detail)
    .bind(record_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn take(
    tx: &mut Tx,
    id: i64,
    agent_id: i64,
    agent_name: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET status = 'in_progress', agent_id = $1, agent_name = $2,
             first_response_at = COALESCE(first_response_at, $3), updated_at = $3,
             private_agent = NULL
         WHERE id = $4 AND status IN ('open', 'in_progress')",
    )
    .bind(agent_id)
    .bind(agent_name)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a ticket to `status` from any status that may become it, never from `closed`
/// (reopening has its own rule, [`reopen`]); false when the ticket was not in such a status.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: TicketStatus,
    now: i64,
) -> Result<bool, StoreError> {
    let resolved = !status.is_active();
    let sources: Vec<String> = TicketStatus::ALL
        .into_iter()
        .filter(|from| *from != TicketStatus::Closed && from.can_become(status))
        .map(|from| format!("'{}'", from.as_str()))
        .collect();
    if sources.is_empty() {
        return Ok(false);
    }
    // The list is made of the statuses' own names, never of input.
    let sql = format!(
        "UPDATE tickets SET status = $1, updated_at = $2, reason_from = NULL,
             resolved_at = CASE WHEN $3 = 1 THEN COALESCE(resolved_at, $2) ELSE resolved_at END,
             first_response_at = CASE WHEN $3 = 1 THEN COALESCE(first_response_at, $2) ELSE first_response_at END
         WHERE id = $4 AND status IN ({})",
        sources.join(", ")
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status.as_str())
        .bind(now)
        .bind(i64::from(resolved))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn await_reason(tx: &mut Tx, id: i64, agent_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET reason_from = $1 WHERE id = $2")
        .bind(agent_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Opens a finished ticket again if it finished after `since`; false when it is not the case.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reopen(tx: &mut Tx, id: i64, since: i64, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET status = 'open', resolved_at = NULL, reason_from = NULL, updated_at = $1
         WHERE id = $2 AND status IN ('resolved', 'rejected', 'closed') AND resolved_at >= $3",
    )
    .bind(now)
    .bind(id)
    .bind(since)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The student's 1-5 for a closed ticket of theirs, once; false when not taken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rate(tx: &mut Tx, id: i64, chat_id: i64, rating: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tickets SET rating = $1
         WHERE id = $2 AND chat_id = $3 AND status = 'closed' AND rating IS NULL",
    )
    .bind(rating)
    .bind(id)
    .bind(chat_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets (or clears) the agent working `id` from a private chat; one ticket per agent.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_private_agent(tx: &mut Tx, id: i64, agent: Option<i64>) -> Result<(), StoreError> {
    if let Some(agent) = agent {
        sqlx::query("UPDATE tickets SET private_agent = NULL WHERE private_agent = $1")
            .bind(agent)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE tickets SET private_agent = $1 WHERE id = $2")
        .bind(agent)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces a ticket's details (files added to an open review).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_detail(tx: &mut Tx, id: i64, detail: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET detail = $1 WHERE id = $2")
        .bind(detail)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts one more message passed on while the ticket waits; returns how many there are.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_waiting_relay(tx: &mut Tx, id: i64) -> Result<i64, StoreError> {
    let (count,): (i64,) = sqlx::query_as(
        "UPDATE tickets SET waiting_relayed = waiting_relayed + 1 WHERE id = $1
         RETURNING waiting_relayed",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(count)
}

/// Sets the FAQ answer the card offers, unless one is set; false when one was.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn hint_faq(tx: &mut Tx, id: i64, name: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE tickets SET faq_hint = $1 WHERE id = $2 AND faq_hint IS NULL")
        .bind(name)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets what the student wrote while the ticket's card still waited (shown on the card).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_first_words(tx: &mut Tx, id: i64, words: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET first_words = $1 WHERE id = $2")
        .bind(words)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
