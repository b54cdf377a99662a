//! Everything about one person across the chats they used: which chats those are, and
//! erasing what the bot holds about them (`/delete_my_data`, the scans' retention).

use super::{StoreError, Tx};
use crate::message::Lane;

/// Remembers that account `account` was signed in at `chat_id` (once per pair).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn note_chat(
    tx: &mut Tx,
    account: i64,
    chat_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_chats (account_id, chat_id, at) VALUES ($1, $2, $3)
         ON CONFLICT (account_id, chat_id) DO NOTHING",
    )
    .bind(account)
    .bind(chat_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every chat the account used: signed in, opened tickets or reviews, asked a classmate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn chats_of(tx: &mut Tx, account: i64) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT chat_id FROM account_chats WHERE account_id = $1
         UNION SELECT chat_id FROM tickets WHERE account_id = $1
         UNION SELECT chat_id FROM reviews WHERE account_id = $1
         UNION SELECT requester_chat FROM assist_requests WHERE requester_account = $1",
    )
    .bind(account)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A ticket of the person, as far as erasing it goes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Erasable {
    pub id: i64,
    pub agent_chat: Option<i64>,
    pub topic_id: Option<i64>,
    pub detail: String,
}

/// The tickets of `account`, and those `chat_id` opened without an account (another
/// account's tickets opened here are that account's to erase).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tickets_of(
    tx: &mut Tx,
    chat_id: i64,
    account: i64,
) -> Result<Vec<Erasable>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, agent_chat, topic_id, detail FROM tickets
         WHERE (chat_id = $1 AND (account_id IS NULL OR account_id = $2)) OR account_id = $2",
    )
    .bind(chat_id)
    .bind(account)
    .fetch_all(&mut **tx)
    .await?)
}

/// Copies of ticket `id`'s messages sent outside its topic and the student's chat (to an
/// agent working it privately): (chat, message).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn copies_elsewhere(
    tx: &mut Tx,
    id: i64,
    student: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.copy_chat, r.copy_msg FROM relay_map r JOIN tickets t ON t.id = r.ticket_id
         WHERE r.ticket_id = $1 AND r.copy_chat <> $2 AND r.copy_chat <> COALESCE(t.agent_chat, 0)",
    )
    .bind(id)
    .bind(student)
    .fetch_all(&mut **tx)
    .await?)
}

/// The ID scans of the account's reviews (Telegram file references, JSON).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scans_of(tx: &mut Tx, account: i64) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT front, back FROM reviews WHERE account_id = $1")
            .bind(account)
            .fetch_all(&mut **tx)
            .await?,
    )
}

/// Erases ticket `id`: its map of relayed messages, its contents, whose it was; it stays only
/// as a number in the figures and the audit trail, closed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn erase_ticket(tx: &mut Tx, id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM relay_map WHERE ticket_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE tickets SET chat_id = 0, account_id = NULL, record_id = NULL, summary = 'erased',
             detail = '', first_words = '', node = '', topic_id = NULL, agent_name = NULL, private_agent = NULL,
             reason_from = NULL,
             status = CASE WHEN status IN ('open', 'in_progress') THEN 'closed' ELSE status END,
             resolved_at = COALESCE(resolved_at, $2), updated_at = $2
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // What still waits to be posted into its topic is not posted.
    sqlx::query("DELETE FROM outbox WHERE status <> 1 AND (payload LIKE $1 OR payload LIKE $2)")
        .bind(format!(r#"{{"type":"to_ticket","ticket":{id},%"#))
        .bind(format!(
            r#"{{"type":"tracked","message":{{"type":"to_ticket","ticket":{id},%"#
        ))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Erases what `chat_id` (one of the person's chats, `current` the one asking) left: the
/// account's reviews and requests to classmates, the dialogue of another chat, messages to it
/// that failed or wait (and what was delivered, blanked), the audit trail's name for it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn erase_chat(
    tx: &mut Tx,
    chat_id: i64,
    account: i64,
    current: bool,
) -> Result<(), StoreError> {
    // A classmate's request to this account stays theirs, without naming who was asked.
    for sql in [
        "DELETE FROM reviews WHERE account_id = $1",
        "DELETE FROM assist_requests WHERE requester_account = $1",
        "UPDATE assist_requests SET helper_account = NULL WHERE helper_account = $1",
    ] {
        sqlx::query(sql).bind(account).execute(&mut **tx).await?;
    }
    super::reminders::forget_chat(tx, chat_id).await?;
    if !current {
        sqlx::query("DELETE FROM chat_state WHERE chat_id = $1")
            .bind(chat_id)
            .execute(&mut **tx)
            .await?;
    }
    let (name, lane) = (format!("chat:{chat_id}"), Lane::Chat(chat_id).key());
    // The chat asking keeps what waits for it (this very answer among it).
    let undelivered = if current {
        "DELETE FROM outbox WHERE lane = $1 AND status = 2"
    } else {
        "DELETE FROM outbox WHERE lane = $1 AND status <> 1"
    };
    for (sql, value) in [
        ("UPDATE audit SET actor = 'erased' WHERE actor = $1", &name),
        (
            "UPDATE audit SET subject = 'chat:erased' WHERE subject = $1",
            &name,
        ),
        (
            "UPDATE outbox SET payload = '' WHERE lane = $1 AND status = 1",
            &lane,
        ),
        (undelivered, &lane),
    ] {
        sqlx::query(sql).bind(value).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Erases the messages to `address` (an e-mail or a phone) that failed or still wait, and
/// blanks those delivered.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn erase_address(tx: &mut Tx, address: &str) -> Result<(), StoreError> {
    let lanes = [Lane::Mail(address.into()), Lane::Sms(address.into())];
    for lane in lanes.iter().map(Lane::key) {
        for sql in [
            "DELETE FROM outbox WHERE lane = $1 AND status <> 1",
            "UPDATE outbox SET payload = '' WHERE lane = $1",
        ] {
            sqlx::query(sql).bind(&lane).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Forgets account `account`'s chats and stored uploads named by `keys`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn forget(tx: &mut Tx, account: i64, keys: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM account_chats WHERE account_id = $1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    for key in keys {
        sqlx::query("DELETE FROM files WHERE key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Blanks the ID scans of reviews decided before `before` (in the review and in its ticket);
/// returns how many reviews, and the topics (group, topic) that showed them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn expire_scans(tx: &mut Tx, before: i64) -> Result<(u64, Vec<(i64, i64)>), StoreError> {
    let topics: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT agent_chat, topic_id FROM tickets
         WHERE kind = 'id_review' AND status IN ('resolved', 'rejected', 'closed')
           AND resolved_at < $1 AND detail <> '' AND agent_chat IS NOT NULL AND topic_id IS NOT NULL",
    )
    .bind(before)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE tickets SET detail = '', topic_id = NULL
         WHERE kind = 'id_review' AND status IN ('resolved', 'rejected', 'closed')
           AND resolved_at < $1 AND detail <> ''",
    )
    .bind(before)
    .execute(&mut **tx)
    .await?;
    let reviews = sqlx::query(
        "UPDATE reviews SET front = '', back = ''
         WHERE (front <> '' OR back <> '') AND status IN ('approved', 'rejected')
           AND COALESCE(decided_at, updated_at) < $1",
    )
    .bind(before)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((reviews, topics))
}

/// Notes when the review of ticket `ticket` was decided (the scans' retention counts from it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn review_decided(tx: &mut Tx, ticket: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE reviews SET decided_at = $1 WHERE ticket_id = $2")
        .bind(now)
        .bind(ticket)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
