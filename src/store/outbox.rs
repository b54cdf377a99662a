//! The outbox: every reply, e-mail and SMS is a row written in the transaction that caused it,
//! delivered in order per lane by a sender, and marked sent or failed.

use super::{Backend, Store, StoreError, Tx};

/// How long a sender owns a claimed row before another may take it over.
pub const CLAIM_MS: i64 = 30_000;

pub const PENDING: i64 = 0;
pub const SENT: i64 = 1;
pub const FAILED: i64 = 2;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub lane: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: i64,
}

pub async fn enqueue(tx: &mut Tx, lane: &str, payload: &str, now: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO outbox (lane, payload, not_before, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(lane)
    .bind(payload)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

const CLAIM_SQLITE: &str = "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
        SELECT o.id FROM outbox o
        WHERE o.status = 0 AND o.not_before <= $1 AND o.claimed_until <= $1 AND o.lane LIKE $4
          AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.lane = o.lane AND p.status = 0)
        ORDER BY o.id LIMIT $3)
    RETURNING id, lane, payload, attempts, created_at";

const CLAIM_POSTGRES: &str = "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
        SELECT o.id FROM outbox o
        WHERE o.status = 0 AND o.not_before <= $1 AND o.claimed_until <= $1 AND o.lane LIKE $4
          AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.lane = o.lane AND p.status = 0)
        ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED)
    RETURNING id, lane, payload, attempts, created_at";

/// Claims up to `limit` rows that are due and first in their lane, whose lane matches the
/// SQL `LIKE` pattern, for this instance (`store.instance`) until `now + CLAIM_MS`. Several
/// senders (or instances) never claim the same row; a claim left by a crashed instance is
/// taken over once it expires.
pub async fn claim_due(
    store: &Store,
    now: i64,
    limit: i64,
    lanes: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let sql = match store.backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut rows: Vec<OutboxRow> = sqlx::query_as(sql)
        .bind(now)
        .bind(now + CLAIM_MS)
        .bind(limit)
        .bind(lanes)
        .bind(store.instance.as_ref())
        .fetch_all(&store.pool)
        .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Frees the claims this instance's previous run left (at start-up: that run is gone, so
/// its rows need not wait for the claims to expire). Other instances' claims are theirs:
/// freeing them could send a message they are sending at this moment a second time.
pub async fn release_claims(store: &Store) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET claimed_until = 0 WHERE status = 0 AND claimed_by = $1")
        .bind(store.instance.as_ref())
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// Secrets in mail and SMS bodies (codes) are not kept once delivered or given up.
const FORGET_SECRETS: &str =
    "payload = CASE WHEN lane LIKE 'mail:%' OR lane LIKE 'sms:%' THEN '' ELSE payload END";

/// Records a delivery Telegram (or the mail server, or the gateway) accepted, and enqueues
/// `follow_up` (lane, payload) in the same transaction.
pub async fn mark_sent(
    store: &Store,
    id: i64,
    now: i64,
    result: Option<&str>,
    follow_up: Option<(String, String)>,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE outbox SET status = 1, done_at = $1, result = $2, attempts = attempts + 1, {FORGET_SECRETS} WHERE id = $3"
    )))
    .bind(now)
    .bind(result)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if let Some((lane, payload)) = follow_up {
        enqueue(&mut tx, &lane, &payload, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn retry_later(
    store: &Store,
    id: i64,
    not_before: i64,
    error: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, not_before = $1, claimed_until = 0, last_error = $2 WHERE id = $3",
    )
    .bind(not_before)
    .bind(error)
    .bind(id)
    .execute(&store.pool)
    .await?;
    Ok(())
}

/// Gives a row back without counting an attempt (the sender was told to wait, e.g. a 429).
pub async fn postpone(
    store: &Store,
    id: i64,
    not_before: i64,
    error: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET not_before = $1, claimed_until = 0, last_error = $2 WHERE id = $3",
    )
    .bind(not_before)
    .bind(error)
    .bind(id)
    .execute(&store.pool)
    .await?;
    Ok(())
}

/// Records a delivery given up for good, and enqueues `fallback` (lane, payload) in the same
/// transaction so the student hears about it.
pub async fn mark_failed(
    store: &Store,
    id: i64,
    now: i64,
    error: &str,
    fallback: Option<(String, String)>,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE outbox SET status = 2, done_at = $1, last_error = $2, attempts = attempts + 1, {FORGET_SECRETS} WHERE id = $3"
    )))
    .bind(now)
    .bind(error)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if let Some((lane, payload)) = fallback {
        enqueue(&mut tx, &lane, &payload, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Pending rows and the creation time of the oldest (metrics).
pub async fn depth(store: &Store) -> Result<(i64, Option<i64>), StoreError> {
    let row: (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 0")
            .fetch_one(&store.pool)
            .await?;
    Ok(row)
}

/// Pending rows of one lane, oldest first (the console prints its own chat's replies).
pub async fn pending_in_lane(store: &Store, lane: &str) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, lane, payload, attempts, created_at FROM outbox WHERE status = 0 AND lane = $1 ORDER BY id",
    )
    .bind(lane)
    .fetch_all(&store.pool)
    .await?)
}
