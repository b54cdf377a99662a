//! What the school's progress report is made of: the roster, the accounts registered with its
//! ID numbers and the chats they used, open tickets and reviews, registrations in progress,
//! and the reminders sent. Read in one transaction, so one report is one moment.

use super::{StoreError, Tx};
use crate::domain::binding::BindingState;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterRow {
    pub id: i64,
    pub student_no: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub college: String,
    pub major: String,
    pub class_name: String,
    pub counsellor: String,
    pub info_confirmed_at: Option<i64>,
    pub photo_confirmed_at: Option<i64>,
}

/// An account registered with an ID number that is on the roster.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountFact {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub binding: BindingState,
    pub chat_id: Option<i64>,
    pub created_at: i64,
}

/// A chat the bot has talked with: its language and when it first wrote.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatFact {
    pub chat_id: i64,
    pub locale: String,
    pub created_at: i64,
}

/// An unfinished ticket and whom it is about.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketFact {
    pub id: i64,
    pub kind: String,
    pub chat_id: i64,
    pub account_id: Option<i64>,
    pub record_id: Option<i64>,
}

/// Everything a report needs, read at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub roster: Vec<RosterRow>,
    pub accounts: Vec<AccountFact>,
    /// (account, chat, first seen there), oldest first.
    pub account_chats: Vec<(i64, i64, i64)>,
    pub chats: Vec<ChatFact>,
    /// Chats in the middle of a registration, with the answers typed so far (JSON).
    pub registering: Vec<(ChatFact, String)>,
    /// (account, when it was bound) from the audit trail.
    pub bound_at: Vec<(i64, i64)>,
    pub tickets: Vec<TicketFact>,
    /// Accounts with an ID-scan review waiting for an agent.
    pub reviews_open: Vec<i64>,
    pub muted: Vec<i64>,
    /// (record, when it was last reminded).
    pub reminded: Vec<(i64, i64)>,
}

const ON_ROSTER: &str = "id_number IN (SELECT id_number FROM records)";

/// Reads the snapshot of the whole roster.
pub async fn snapshot(tx: &mut Tx) -> Result<Snapshot, StoreError> {
    let roster = sqlx::query_as(
        "SELECT id, student_no, name, id_type, id_number, college, major, class_name, counsellor,
                info_confirmed_at, photo_confirmed_at
         FROM records ORDER BY college, class_name, student_no",
    )
    .fetch_all(&mut **tx)
    .await?;
    let accounts = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, id_number, name, binding, chat_id, created_at FROM accounts
         WHERE {ON_ROSTER} ORDER BY id"
    )))
    .fetch_all(&mut **tx)
    .await?;
    let account_chats = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT account_id, chat_id, at FROM account_chats
         WHERE account_id IN (SELECT id FROM accounts WHERE {ON_ROSTER}) ORDER BY at, chat_id"
    )))
    .fetch_all(&mut **tx)
    .await?;
    let chats = sqlx::query_as(
        "SELECT chat_id, locale, created_at FROM chat_state
         WHERE chat_id IN (SELECT chat_id FROM account_chats)",
    )
    .fetch_all(&mut **tx)
    .await?;
    let registering: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT chat_id, locale, created_at, answers FROM chat_state
         WHERE answers LIKE '%\"id_number\"%'",
    )
    .fetch_all(&mut **tx)
    .await?;
    let bound_at = sqlx::query_as(
        "SELECT CAST(SUBSTR(subject, 9) AS BIGINT), MAX(at) FROM audit
         WHERE subject LIKE 'account:%'
           AND (action = 'bound' OR (action IN ('roster_matched', 'account_created') AND detail = 'bound'))
         GROUP BY subject",
    )
    .fetch_all(&mut **tx)
    .await?;
    let tickets = sqlx::query_as(
        "SELECT id, kind, chat_id, account_id, record_id FROM tickets
         WHERE status IN ('open', 'in_progress') ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let reviews: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT account_id FROM reviews WHERE status IN ('submitted', 'in_review')",
    )
    .fetch_all(&mut **tx)
    .await?;
    let muted: Vec<(i64,)> = sqlx::query_as("SELECT chat_id FROM reminder_mutes")
        .fetch_all(&mut **tx)
        .await?;
    let reminded =
        sqlx::query_as("SELECT record_id, MAX(at) FROM reminders_sent GROUP BY record_id")
            .fetch_all(&mut **tx)
            .await?;
    Ok(Snapshot {
        roster,
        accounts,
        account_chats,
        chats,
        registering: registering
            .into_iter()
            .map(|(chat_id, locale, created_at, answers)| {
                let chat = ChatFact {
                    chat_id,
                    locale,
                    created_at,
                };
                (chat, answers)
            })
            .collect(),
        bound_at,
        tickets,
        reviews_open: reviews.into_iter().map(|r| r.0).collect(),
        muted: muted.into_iter().map(|r| r.0).collect(),
        reminded,
    })
}

/// Where a ticket's student is on the roster: (class, college, counsellor), through the
/// record it names or the account it concerns.
pub async fn roster_of_ticket(
    tx: &mut Tx,
    ticket: i64,
) -> Result<Option<(String, String, String)>, StoreError> {
    let by_record: Option<(String, String, String)> = sqlx::query_as(
        "SELECT r.class_name, r.college, r.counsellor FROM tickets t JOIN records r ON r.id = t.record_id
         WHERE t.id = $1",
    )
    .bind(ticket)
    .fetch_optional(&mut **tx)
    .await?;
    if by_record.is_some() {
        return Ok(by_record);
    }
    Ok(sqlx::query_as(
        "SELECT r.class_name, r.college, r.counsellor FROM tickets t
         JOIN accounts a ON a.id = COALESCE(t.account_id, (SELECT MAX(id) FROM accounts WHERE chat_id = t.chat_id))
         JOIN records r ON r.id_number = a.id_number AND r.name = a.name
         WHERE t.id = $1 ORDER BY r.id DESC LIMIT 1",
    )
    .bind(ticket)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Routes a ticket whose topic does not exist yet to the agents' group `group`.
pub async fn pin_ticket(tx: &mut Tx, ticket: i64, group: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET agent_chat = $1 WHERE id = $2 AND topic_id IS NULL")
        .bind(group)
        .bind(ticket)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
