//! The `tickets` table: a student's request to a person, with its kind and status typed
//! ([`crate::domain::ticket`]). Reading here; changes in [`changes`], the forum topic and
//! card in [`topics`], the figures of `/stats` and `/metrics` in [`figures`].

mod changes;
mod figures;
mod topics;

pub use changes::*;
pub use figures::*;
pub use topics::*;

use super::{StoreError, Tx};
use crate::domain::ticket::{TicketKind, TicketStatus};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ticket {
    pub id: i64,
    pub chat_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: TicketKind,
    #[sqlx(try_from = "String")]
    pub status: TicketStatus,
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
    /// The FAQ answer the card offers (its name), from what the student wrote.
    pub faq_hint: Option<String>,
    /// What the student wrote while the card still waited to be sent, shown on the card.
    pub first_words: String,
}

const COLUMNS: &str =
    "id, chat_id, kind, status, node, summary, detail, record_id, topic_id, agent_id, agent_name,
    reason_from, created_at, agent_chat, private_agent, faq_hint, first_words";

#[tracing::instrument(level = "debug", skip_all)]
pub async fn ticket(tx: &mut Tx, id: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The ticket whose topic is `topic_id` in the agents' group `group`.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn held_for_chat(tx: &mut Tx, chat_id: i64) -> Result<Option<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE chat_id = $1 AND status = 'in_progress' ORDER BY id DESC LIMIT 1"
    )))
    .bind(chat_id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Open and in-progress tickets, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn queue(tx: &mut Tx, limit: i64) -> Result<Vec<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE status IN ('open', 'in_progress') ORDER BY created_at, id LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// The tickets of the student whose username (e-mail, any case) is `email_norm`, newest first.
#[tracing::instrument(level = "debug", skip_all)]
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

/// The ticket `agent` works from their private chat, if any.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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

/// The chat's tickets that are not closed, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_for_chat(tx: &mut Tx, chat_id: i64) -> Result<Vec<Ticket>, StoreError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets
         WHERE chat_id = $1 AND status NOT IN ('closed', 'resolved', 'rejected') ORDER BY id DESC"
    )))
    .bind(chat_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// The oldest unfinished ticket of `kind` of the account signed in at `chat_id`, from any of
/// its chats (of the chat itself when it has no account).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unfinished_of_kind(
    tx: &mut Tx,
    chat_id: i64,
    kind: TicketKind,
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
    .bind(kind.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0))
}
