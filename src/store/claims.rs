//! Claims on an ID number made by a classmate's confirmation or the record questions: they
//! wait out a dispute window, in which the number's holder may object (→ a ticket).

use super::{Backend, StoreError, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub account_id: i64,
    pub id_number: String,
    pub how: String,
    pub status: String,
    pub effective_at: i64,
    pub ticket_id: Option<i64>,
}

const COLUMNS: &str = "id, account_id, id_number, how, status, effective_at, ticket_id";

/// Serialises everything that binds or claims one ID number (SQLite's write transactions
/// already are serialised).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn lock_number(tx: &mut Tx, backend: Backend, id_number: &str) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(id_number)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert(
    tx: &mut Tx,
    account_id: i64,
    id_number: &str,
    how: &str,
    now: i64,
    effective_at: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO id_claims (account_id, id_number, how, status, created_at, effective_at)
         VALUES ($1, $2, $3, 'waiting', $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(id_number)
    .bind(how)
    .bind(now)
    .bind(effective_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<ClaimRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM id_claims WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_ticket(tx: &mut Tx, ticket_id: i64) -> Result<Option<ClaimRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM id_claims WHERE ticket_id = $1"
    )))
    .bind(ticket_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The account's claim still in play (waiting, objected or upheld), newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn live_for_account(
    tx: &mut Tx,
    account_id: i64,
) -> Result<Option<ClaimRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM id_claims WHERE account_id = $1 AND status IN ('waiting', 'objected', 'upheld')
         ORDER BY id DESC LIMIT 1"
    )))
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Waiting claims on a number by another account than `holder` (what the holder may object to).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn waiting_on_number(
    tx: &mut Tx,
    id_number: &str,
    holder: i64,
) -> Result<Vec<ClaimRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM id_claims WHERE id_number = $1 AND account_id <> $2 AND status = 'waiting' ORDER BY id"
    )))
    .bind(id_number)
    .bind(holder)
    .fetch_all(&mut **tx)
    .await?)
}

/// Freezes a waiting claim; false if it was no longer waiting.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn object(
    tx: &mut Tx,
    id: i64,
    objector: i64,
    ticket_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE id_claims SET status = 'objected', objector = $1, ticket_id = $2, decided_at = $3
         WHERE id = $4 AND status = 'waiting'",
    )
    .bind(objector)
    .bind(ticket_id)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a claim from one status to another; false if it was not in `from`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &str,
    to: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE id_claims SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every claim of an account still in play ends (an approved ID-scan review replaces them).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn supersede(tx: &mut Tx, account_id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE id_claims SET status = 'superseded', decided_at = $1
         WHERE account_id = $2 AND status IN ('waiting', 'objected')",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
