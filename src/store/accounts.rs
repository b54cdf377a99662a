//! Accounts: created at the end of registration, found by username, ID number or chat.

use super::{StoreError, Tx};
use crate::domain::binding::BindingState;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub status: String,
    #[sqlx(try_from = "String")]
    pub binding: BindingState,
    pub chat_id: Option<i64>,
    /// When an SMS code sent to `phone` was typed back; 0: never (the phone is unverified and
    /// no code goes to it).
    pub phone_verified_at: i64,
}

impl AccountRow {
    pub fn phone_verified(&self) -> bool {
        self.phone_verified_at > 0
    }
}

const COLUMNS: &str =
    "id, email, name, id_type, id_number, phone, status, binding, chat_id, phone_verified_at";

/// What a new account holds.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub id_type: &'a str,
    pub id_number: &'a str,
    pub phone: &'a str,
    pub binding: BindingState,
    pub chat_id: i64,
    /// Whether an SMS code to `phone` proved it (an e-mailed code proves only the e-mail).
    pub phone_verified: bool,
}

/// Creates an account linked to `chat_id`; `None` when the username is taken meanwhile.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    tx: &mut Tx,
    new: &NewAccount<'_>,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    unlink_chat(tx, new.chat_id, now).await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO accounts (email, email_norm, name, id_type, id_number, phone, status, binding, chat_id,
                               activated_at, email_verified_at, phone_verified_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $9, $10, $9, $9)
         ON CONFLICT (email_norm) DO NOTHING RETURNING id",
    )
    .bind(new.email)
    .bind(new.email.to_lowercase())
    .bind(new.name)
    .bind(new.id_type)
    .bind(new.id_number)
    .bind(new.phone)
    .bind(new.binding.as_str())
    .bind(new.chat_id)
    .bind(now)
    .bind(if new.phone_verified { now } else { 0 })
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id,)) = row {
        super::person::note_chat(tx, id, new.chat_id, now).await?;
    }
    Ok(row.map(|r| r.0))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_email(tx: &mut Tx, email: &str) -> Result<Option<AccountRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE email_norm = $1"
    )))
    .bind(email.to_lowercase())
    .fetch_optional(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_chat(tx: &mut Tx, chat_id: i64) -> Result<Option<AccountRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE chat_id = $1"
    )))
    .bind(chat_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Accounts registered with an ID number.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_id_number(tx: &mut Tx, id_number: &str) -> Result<Vec<AccountRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE id_number = $1 ORDER BY id"
    )))
    .bind(id_number)
    .fetch_all(&mut **tx)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn phone_in_use(tx: &mut Tx, phone: &str) -> Result<bool, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE phone = $1")
        .bind(phone)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.0 > 0)
}

/// Detaches whatever account `chat_id` is signed in to.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unlink_chat(tx: &mut Tx, chat_id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET chat_id = NULL, updated_at = $1 WHERE chat_id = $2")
        .bind(now)
        .bind(chat_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Signs `chat_id` in to account `id`; returns the chat that was signed in before, if another.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn link_chat(
    tx: &mut Tx,
    id: i64,
    chat_id: i64,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let previous: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT chat_id FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    unlink_chat(tx, chat_id, now).await?;
    sqlx::query("UPDATE accounts SET chat_id = $1, updated_at = $2 WHERE id = $3")
        .bind(chat_id)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    super::person::note_chat(tx, id, chat_id, now).await?;
    Ok(previous.and_then(|p| p.0).filter(|old| *old != chat_id))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_name(tx: &mut Tx, id: i64, name: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<AccountRow>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Moves an account's binding from `from` to `to`; false if it was not in `from`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_binding(
    tx: &mut Tx,
    id: i64,
    from: BindingState,
    to: BindingState,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE accounts SET binding = $1, updated_at = $2 WHERE id = $3 AND binding = $4",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Blanks an account's personal data for good: the row stays (tickets and limits point at
/// it) under an address no one can register or sign in with.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn erase(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE accounts SET email = 'erased-' || CAST(id AS TEXT) || '@invalid', email_norm = 'erased-' || CAST(id AS TEXT) || '@invalid',
             name = '', id_number = '', phone = '', status = 'erased', binding = 'unbound', chat_id = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
