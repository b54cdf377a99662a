//! A ticket's forum topic in the agents' group and its card's message there.

use super::super::{Conn, StoreError};

#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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

#[tracing::instrument(level = "debug", skip_all)]
pub async fn topic_of(conn: &mut Conn, id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT topic_id FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|r| r.0))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_card_msg(conn: &mut Conn, id: i64, message_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET card_msg = $1 WHERE id = $2")
        .bind(message_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn card_msg_of(conn: &mut Conn, id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<(Option<i64>,)> = sqlx::query_as("SELECT card_msg FROM tickets WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|r| r.0))
}
