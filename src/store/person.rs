//! Everything about one person across the chats they used: which chats those are, and
//! erasing what the bot holds about them (`/delete_my_data`, the scans' retention).

use super::{StoreError, Tx};

/// Remembers that account `account` was signed in at `chat_id` (once per pair).
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
