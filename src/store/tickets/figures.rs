//! What `/stats` and `/metrics` read of tickets.

use super::super::{Store, StoreError, Tx};

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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn times(tx: &mut Tx) -> Result<Vec<Times>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT status, created_at, first_response_at, resolved_at, rating, kind, agent_chat
         FROM tickets",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// How many tickets are open or in progress (for `/metrics`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_count(store: &Store) -> Result<i64, StoreError> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE status IN ('open', 'in_progress')")
            .fetch_one(&store.pool)
            .await?;
    Ok(count)
}
