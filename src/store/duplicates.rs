//! Duplicate ID numbers: review cases, assistance requests, and the binding of real-name
//! information that unbinds every other account with the number.

use super::{Backend, StoreError, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub account_id: i64,
    pub chat_id: i64,
    pub id_number: String,
    pub status: String,
    pub front: String,
    pub back: String,
    pub reason: Option<String>,
    /// The ticket agents decide it on: the one number students and agents see.
    pub ticket_id: Option<i64>,
}

const REVIEW: &str = "id, account_id, chat_id, id_number, status, front, back, reason, ticket_id";

#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_review_for_number(
    tx: &mut Tx,
    id_number: &str,
) -> Result<Option<ReviewRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVIEW} FROM reviews WHERE id_number = $1 AND status IN ('submitted', 'in_review') ORDER BY id LIMIT 1"
    )))
    .bind(id_number)
    .fetch_optional(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn latest_review(tx: &mut Tx, account_id: i64) -> Result<Option<ReviewRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVIEW} FROM reviews WHERE account_id = $1 ORDER BY id DESC LIMIT 1"
    )))
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn review(tx: &mut Tx, id: i64) -> Result<Option<ReviewRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVIEW} FROM reviews WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_review(
    tx: &mut Tx,
    account_id: i64,
    chat_id: i64,
    id_number: &str,
    front: &str,
    back: &str,
    ticket_id: i64,
    now: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO reviews (account_id, chat_id, id_number, status, front, back, ticket_id, created_at, updated_at)
         VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(account_id)
    .bind(chat_id)
    .bind(id_number)
    .bind(front)
    .bind(back)
    .bind(ticket_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Decides a review still open; false if it was already decided.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide_review(
    tx: &mut Tx,
    id: i64,
    status: &str,
    reason: Option<&str>,
    by: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE reviews SET status = $1, reason = $2, decided_by = $3, updated_at = $4
         WHERE id = $5 AND status IN ('submitted', 'in_review')",
    )
    .bind(status)
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an account's duplicate as resolved by `how` (it may now bind).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn resolve(tx: &mut Tx, account_id: i64, how: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET binding = 'resolved', resolved_by = $1, updated_at = $2 WHERE id = $3 AND binding IN ('pending', 'unbound')")
        .bind(how)
        .bind(now)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A resolution an agent did not uphold: the account is back to confirming who it is.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unresolve(tx: &mut Tx, account_id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET binding = 'pending', updated_at = $1 WHERE id = $2 AND binding = 'resolved'")
        .bind(now)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a binding did: how the number was claimed, and the accounts it unbound.
#[derive(Debug, Clone)]
pub struct Bound {
    /// scan | peer | record
    pub how: String,
    /// (account, its chat, its e-mail) of every account unbound.
    pub unbound: Vec<(i64, Option<i64>, String)>,
}

/// Binds `account_id` to its ID number and unbinds every other account with it; `None` if
/// this account is not (or no longer) resolved, or its claim still waits out the dispute
/// window or was objected to. The others are unbound first, so the one-binding index holds.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn bind(
    tx: &mut Tx,
    backend: Backend,
    account_id: i64,
    id_number: &str,
    now: i64,
) -> Result<Option<Bound>, StoreError> {
    // Two students binding the same number at once are serialised here.
    super::claims::lock_number(tx, backend, id_number).await?;
    let eligible: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT resolved_by FROM accounts a WHERE a.id = $1 AND a.binding = 'resolved'
           AND NOT EXISTS (SELECT 1 FROM id_claims c WHERE c.account_id = a.id
                 AND (c.status = 'objected' OR (c.status = 'waiting' AND c.effective_at > $2)))",
    )
    .bind(account_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((how,)) = eligible else {
        return Ok(None);
    };
    let unbound: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT id, chat_id, email FROM accounts WHERE id_number = $1 AND id <> $2 AND binding <> 'unbound'",
    )
    .bind(id_number)
    .bind(account_id)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query("UPDATE accounts SET binding = 'unbound', updated_at = $1 WHERE id_number = $2 AND id <> $3")
        .bind(now)
        .bind(id_number)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE accounts SET binding = 'bound', updated_at = $1 WHERE id = $2 AND binding = 'resolved'")
        .bind(now)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE id_claims SET status = 'used', decided_at = $1 WHERE account_id = $2 AND status IN ('waiting', 'upheld')")
        .bind(now)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(Some(Bound {
        how: how.unwrap_or_else(|| "scan".into()),
        unbound,
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssistRow {
    pub id: i64,
    pub requester_account: i64,
    pub requester_chat: i64,
    pub helper_account: Option<i64>,
    pub status: String,
    pub created_at: i64,
}

const ASSIST: &str = "id, requester_account, requester_chat, helper_account, status, created_at";

/// Marks requests older than `expired_before` expired.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn expire_assists(
    tx: &mut Tx,
    expired_before: i64,
    now: i64,
) -> Result<Vec<AssistRow>, StoreError> {
    let rows: Vec<AssistRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIST} FROM assist_requests WHERE status IN ('pending', 'undeliverable') AND created_at < $1"
    )))
    .bind(expired_before)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query("UPDATE assist_requests SET status = 'expired', decided_at = $1 WHERE status IN ('pending', 'undeliverable') AND created_at < $2")
        .bind(now)
        .bind(expired_before)
        .execute(&mut **tx)
        .await?;
    Ok(rows)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_assists_from(tx: &mut Tx, account_id: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM assist_requests WHERE requester_account = $1 AND status IN ('pending', 'undeliverable')")
        .bind(account_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.0)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_assists_to(
    tx: &mut Tx,
    account_id: i64,
) -> Result<Vec<AssistRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIST} FROM assist_requests WHERE helper_account = $1 AND status = 'pending' ORDER BY id"
    )))
    .bind(account_id)
    .fetch_all(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_assist(
    tx: &mut Tx,
    requester_account: i64,
    requester_chat: i64,
    helper_account: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let status = if helper_account.is_some() {
        "pending"
    } else {
        "undeliverable"
    };
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO assist_requests (requester_account, requester_chat, helper_account, status, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(requester_account)
    .bind(requester_chat)
    .bind(helper_account)
    .bind(status)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn assist(tx: &mut Tx, id: i64) -> Result<Option<AssistRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ASSIST} FROM assist_requests WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Decides a pending request; false if it was no longer pending.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide_assist(
    tx: &mut Tx,
    id: i64,
    status: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE assist_requests SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn review_of_ticket(tx: &mut Tx, ticket_id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM reviews WHERE ticket_id = $1")
        .bind(ticket_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.0))
}
