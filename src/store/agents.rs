//! What agents work with: tickets with their forum topics, holders, and the figures of
//! `/queue` and `/stats`.

use super::{Conn, Store, StoreError, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ticket {
    pub id: i64,
    pub chat_id: i64,
    pub kind: String,
    pub status: String,
    pub node: String,
    pub summary: String,
    pub detail: String,
    pub record_id: Option<i64>,
    pub topic_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub agent_name: Option<String>,
    pub reason_from: Option<i64>,
    pub created_at: i64,
    /// The agents' group holding the topic (none before the topic exists).
    pub agent_chat: Option<i64>,
    /// The agent working the ticket from their private chat with the bot.
    pub private_agent: Option<i64>,
}

const COLUMNS: &str =
    "id, chat_id, kind, status, node, summary, detail, record_id, topic_id, agent_id, agent_name,
    reason_from, created_at, agent_chat, private_agent";

pub async fn ticket(tx: &mut Tx, id: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The ticket whose topic is `topic_id` in the agents' group `group`.
pub async fn by_topic(
    tx: &mut Tx,
    group: i64,
    topic_id: i64,
) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE topic_id = $1 AND (agent_chat = $2 OR agent_chat IS NULL)
         ORDER BY id DESC LIMIT 1"
    )))
    .bind(topic_id)
    .bind(group)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The ticket an agent holds for a student's chat (the one being relayed).
pub async fn held_for_chat(tx: &mut Tx, chat_id: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE chat_id = $1 AND status = 'in_progress' ORDER BY id DESC LIMIT 1"
    )))
    .bind(chat_id)
    .fetch_optional(&mut **tx)
    .await?)
}

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

/// Moves a ticket to `status` (open, resolved, rejected, closed) unless it is closed.
pub async fn set_status(tx: &mut Tx, id: i64, status: &str, now: i64) -> Result<bool, StoreError> {
    let resolved = matches!(status, "resolved" | "rejected" | "closed");
    let done = sqlx::query(
        "UPDATE tickets SET status = $1, updated_at = $2, reason_from = NULL,
             resolved_at = CASE WHEN $3 = 1 THEN COALESCE(resolved_at, $2) ELSE resolved_at END,
             first_response_at = CASE WHEN $3 = 1 THEN COALESCE(first_response_at, $2) ELSE first_response_at END
         WHERE id = $4 AND status <> 'closed'",
    )
    .bind(status)
    .bind(now)
    .bind(i64::from(resolved))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn await_reason(tx: &mut Tx, id: i64, agent_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET reason_from = $1 WHERE id = $2")
        .bind(agent_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_topic(
    conn: &mut Conn,
    id: i64,
    topic_id: Option<i64>,
    group: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET topic_id = $1, agent_chat = $2 WHERE id = $3")
        .bind(topic_id)
        .bind(group)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a newly created topic unless the ticket got one meanwhile (another instance's
/// sender); returns the topic the ticket keeps.
pub async fn set_topic_if_none(
    conn: &mut Conn,
    id: i64,
    topic_id: i64,
    group: i64,
) -> Result<i64, StoreError> {
    sqlx::query(
        "UPDATE tickets SET topic_id = $1, agent_chat = $2 WHERE id = $3 AND topic_id IS NULL",
    )
    .bind(topic_id)
    .bind(group)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(topic_of(conn, id).await?.unwrap_or(topic_id))
}

pub async fn topic_of(conn: &mut Conn, id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT topic_id FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|r| r.0))
}

/// Open and in-progress tickets, oldest first.
pub async fn queue(tx: &mut Tx, limit: i64) -> Result<Vec<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE status IN ('open', 'in_progress') ORDER BY created_at, id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// What `/stats` reads of a ticket.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Times {
    pub status: String,
    pub created_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub rating: Option<i64>,
    pub kind: String,
    pub agent_chat: Option<i64>,
}

/// The figures of every ticket, for `/stats` (which keeps those of the asking group).
pub async fn times(tx: &mut Tx) -> Result<Vec<Times>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT status, created_at, first_response_at, resolved_at, rating, kind, agent_chat
         FROM tickets",
    )
    .fetch_all(&mut **tx)
    .await?)
}

pub async fn set_handed_over(tx: &mut Tx, chat_id: i64, on: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE chat_state SET handed_over = $1 WHERE chat_id = $2")
        .bind(i64::from(on))
        .bind(chat_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_card_msg(conn: &mut Conn, id: i64, message_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET card_msg = $1 WHERE id = $2")
        .bind(message_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn card_msg_of(conn: &mut Conn, id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT card_msg FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|r| r.0))
}

/// Opens a finished ticket again if it finished after `since`; false when it is not the case.
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

/// The tickets of the student whose username (e-mail, any case) is `email_norm`, newest first.
pub async fn by_username(tx: &mut Tx, email_norm: &str) -> Result<Vec<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets
         WHERE chat_id IN (SELECT chat_id FROM accounts WHERE email_norm = $1)
         ORDER BY id DESC LIMIT 10"
    )))
    .bind(email_norm)
    .fetch_all(&mut **tx)
    .await?)
}

/// The student's 1-5 for a closed ticket of theirs, once; false when not taken.
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

/// The ticket `agent` works from their private chat, if any.
pub async fn worked_privately_by(tx: &mut Tx, agent: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE private_agent = $1 AND status = 'in_progress'
         ORDER BY id DESC LIMIT 1"
    )))
    .bind(agent)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Which of `users` (at most [`super::padded::BATCH`]) work a ticket from their private
/// chat: one statement for a batch instead of [`worked_privately_by`] for each update.
pub async fn working_privately_among(
    tx: &mut Tx,
    users: &[i64],
) -> Result<std::collections::HashSet<i64>, StoreError> {
    use super::padded::{BATCH, bind_padded, placeholders};
    let mut working = std::collections::HashSet::new();
    for chunk in users.chunks(BATCH) {
        let sql = format!(
            "SELECT private_agent FROM tickets
             WHERE status = 'in_progress' AND private_agent IN ({})",
            placeholders(1, "")
        );
        let rows: Vec<(i64,)> = bind_padded(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk)
            .try_map(|row: sqlx::any::AnyRow| sqlx::Row::try_get(&row, 0).map(|v| (v,)))
            .fetch_all(&mut **tx)
            .await?;
        working.extend(rows.into_iter().map(|r| r.0));
    }
    Ok(working)
}

/// Sets (or clears) the agent working `id` from a private chat; one ticket per agent.
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

/// How many tickets are open or in progress (for `/metrics`).
pub async fn open_count(store: &Store) -> Result<i64, StoreError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE status IN ('open', 'in_progress')")
            .fetch_one(&store.pool)
            .await?;
    Ok(count)
}
