//! The `agent_inbox` table: the agents who asked (`/inbox on`) for new tickets' cards in
//! their private chat with the bot.

use super::{StoreError, Tx};

/// Opts `user` in; true when they were not already.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn opt_in(tx: &mut Tx, user: i64, now: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("INSERT INTO agent_inbox (user_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Opts `user` out; true when they were in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn opt_out(tx: &mut Tx, user: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM agent_inbox WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user` is opted in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn is_in(tx: &mut Tx, user: i64) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM agent_inbox WHERE user_id = $1")
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Every agent opted in, in the order they did.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all(tx: &mut Tx) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT user_id FROM agent_inbox ORDER BY at, user_id")
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
