//! Typed questions nothing matched, already scrubbed (see `dialogue::intent::scrub`), for
//! `helpdesk intents unmatched`.

use super::{StoreError, Tx};
use sqlx::AnyPool;

/// One recorded question.
pub struct Unmatched<'a> {
    pub at: i64,
    pub locale: &'a str,
    pub node: &'a str,
    pub reason: &'a str,
    pub text: &'a str,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(tx: &mut Tx, q: &Unmatched<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unmatched_questions (at, locale, node, reason, text) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(q.at)
    .bind(q.locale)
    .bind(q.node)
    .bind(q.reason)
    .bind(q.text)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A question as listed: how often it came, the last time, in which languages and why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub text: String,
    pub times: i64,
    pub last_at: i64,
    pub locales: String,
    pub reasons: String,
}

/// The questions asked since `since`, most frequent first, at most `limit`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(pool: &AnyPool, since: i64, limit: i64) -> Result<Vec<Listed>, StoreError> {
    let rows: Vec<(String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT text, COUNT(*), MAX(at), MIN(locale) || CASE WHEN MIN(locale) <> MAX(locale) THEN ',' || MAX(locale) ELSE '' END,
                MIN(reason) || CASE WHEN MIN(reason) <> MAX(reason) THEN ',' || MAX(reason) ELSE '' END
         FROM unmatched_questions WHERE at >= $1
         GROUP BY text ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(text, times, last_at, locales, reasons)| Listed {
            text,
            times,
            last_at,
            locales,
            reasons,
        })
        .collect())
}

/// How many questions nothing understood since `since` (for /stats).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_since(tx: &mut Tx, since: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM unmatched_questions WHERE at >= $1")
        .bind(since)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.0)
}

/// Forgets questions recorded before `before` (the operator's list covers recent use).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn prune(tx: &mut Tx, before: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM unmatched_questions WHERE at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
