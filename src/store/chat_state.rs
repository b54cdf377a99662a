//! Per-chat dialogue state as a queryable row.

use super::{StoreError, Tx};
use crate::dialogue::{ChatState, Locale};

/// A chat's row: the engine's state plus what the service keeps beside it.
#[derive(Debug, Clone)]
pub struct ChatRow {
    pub chat_id: i64,
    pub user_id: i64,
    pub state: ChatState,
    pub handed_over: bool,
    pub flood_since: i64,
    pub flood_count: i64,
}

#[derive(sqlx::FromRow)]
struct Raw {
    chat_id: i64,
    user_id: i64,
    node: String,
    answers: String,
    history: String,
    locale: String,
    retries: i64,
    version: i64,
    handed_over: i64,
    flood_since: i64,
    flood_count: i64,
}

/// Loads a chat's row to change it. On PostgreSQL the row stays locked until `tx` ends: an
/// agent's update (handled under the agents' group's lock) and the student's own may both
/// change it, and neither may overwrite the other's change.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn load(tx: &mut Tx, chat_id: i64) -> Result<Option<ChatRow>, StoreError> {
    const SELECT: &str =
        "SELECT chat_id, user_id, node, answers, history, locale, retries, version,
                handed_over, flood_since, flood_count
         FROM chat_state WHERE chat_id = $1";
    let sql = if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        sqlx::AssertSqlSafe(format!("{SELECT} FOR UPDATE"))
    } else {
        sqlx::AssertSqlSafe(SELECT.to_string())
    };
    let raw: Option<Raw> = sqlx::query_as(sql)
        .bind(chat_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(raw) = raw else { return Ok(None) };
    Ok(Some(ChatRow {
        chat_id: raw.chat_id,
        user_id: raw.user_id,
        state: ChatState {
            node: raw.node,
            answers: serde_json::from_str(&raw.answers)?,
            history: serde_json::from_str(&raw.history)?,
            locale: Locale::from_code(&raw.locale).unwrap_or_default(),
            retries: u32::try_from(raw.retries).unwrap_or(0),
            version: raw.version,
        },
        handed_over: raw.handed_over != 0,
        flood_since: raw.flood_since,
        flood_count: raw.flood_count,
    }))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(tx: &mut Tx, row: &ChatRow, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO chat_state (chat_id, user_id, node, answers, history, locale, retries, version,
                                 handed_over, flood_since, flood_count, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         ON CONFLICT (chat_id) DO UPDATE SET user_id = excluded.user_id, node = excluded.node,
             answers = excluded.answers, history = excluded.history, locale = excluded.locale,
             retries = excluded.retries, version = excluded.version,
             handed_over = excluded.handed_over, flood_since = excluded.flood_since,
             flood_count = excluded.flood_count, updated_at = excluded.updated_at",
    )
    .bind(row.chat_id)
    .bind(row.user_id)
    .bind(&row.state.node)
    .bind(serde_json::to_string(&row.state.answers)?)
    .bind(serde_json::to_string(&row.state.history)?)
    .bind(row.state.locale.code())
    .bind(i64::from(row.state.retries))
    .bind(row.state.version)
    .bind(i64::from(row.handed_over))
    .bind(row.flood_since)
    .bind(row.flood_count)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A chat's locale outside a handling transaction (for notifications).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn locale_of(conn: &mut super::Conn, chat_id: i64) -> Result<Option<Locale>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT locale FROM chat_state WHERE chat_id = $1")
        .bind(chat_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|r| Locale::from_code(&r.0)))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_handed_over(tx: &mut Tx, chat_id: i64, on: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE chat_state SET handed_over = $1 WHERE chat_id = $2")
        .bind(i64::from(on))
        .bind(chat_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
