//! The outbox: every reply, e-mail and SMS is a row written in the transaction that caused it,
//! delivered in order per lane by a sender, and deleted once delivered (or kept as failed).
//!
//! Delivered rows are deleted rather than marked: nothing reads them, they held personal
//! data, and a table of only undelivered rows keeps the claim cheap.

use super::{Backend, Store, StoreError, Tx};
use crate::message::{Lane, Outbound};

/// How long a sender owns a claimed row before another may take it over.
pub const CLAIM_MS: i64 = 30_000;

pub const PENDING: i64 = 0;
pub const FAILED: i64 = 2;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub lane: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: i64,
}

impl OutboxRow {
    /// The message the row holds.
    pub fn message(&self) -> Result<Outbound, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// What became of a claimed row, recorded with others in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted by the transport; `follow_up` is enqueued in its place.
    Sent {
        id: i64,
        follow_up: Option<Outbound>,
    },
    /// Try again at `not_before` without counting an attempt (paced, or told to wait).
    Postpone {
        id: i64,
        not_before: i64,
        error: String,
    },
    /// Try again at `not_before`, counting the attempt.
    Retry {
        id: i64,
        not_before: i64,
        error: String,
    },
    /// Given up for good; `fallback` is enqueued so the student hears of it.
    Failed {
        id: i64,
        error: String,
        fallback: Option<Outbound>,
    },
}

/// Enqueues one message in its lane.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue(tx: &mut Tx, out: &Outbound, now: i64) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO outbox (lane, payload, not_before, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(out.lane().key())
    .bind(serde_json::to_string(out)?)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Enqueues one message in a lane of its own choosing (bulk work kept apart from replies).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue_in(
    tx: &mut Tx,
    lane: &Lane,
    out: &Outbound,
    now: i64,
) -> Result<i64, StoreError> {
    let row: (i64,) = sqlx::query_as(
        "INSERT INTO outbox (lane, payload, not_before, created_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(lane.key())
    .bind(serde_json::to_string(out)?)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.0)
}

/// Enqueues `outs` in one statement, in order (ids increase along it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue_all(tx: &mut Tx, outs: &[Outbound], now: i64) -> Result<(), StoreError> {
    let rows = outs
        .iter()
        .map(|out| Ok((out.lane().key(), serde_json::to_string(out)?)))
        .collect::<Result<Vec<(String, String)>, serde_json::Error>>()?;
    // 3 parameters a row; well under either database's limit per statement.
    for chunk in rows.chunks(100) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, $1, $1)", 2 * i + 2, 2 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO outbox (lane, payload, not_before, created_at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
        for (lane, payload) in chunk {
            query = query.bind(lane).bind(payload);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

// The head of every lane (its oldest undelivered row) from the partial index
// `outbox_pending (lane, id) WHERE status = 0`, which holds only undelivered rows; of those,
// the due and unclaimed ones, oldest first. A lane whose head is in flight or waiting
// yields nothing, which keeps each lane in order.
const CLAIM_SQLITE: &str = "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
        SELECT o.id FROM (SELECT MIN(id) AS head FROM outbox WHERE status = 0 AND lane LIKE $4 GROUP BY lane) h
        JOIN outbox o ON o.id = h.head
        WHERE o.not_before <= $1 AND o.claimed_until <= $1
        ORDER BY o.id LIMIT $3)
    RETURNING id, lane, payload, attempts, created_at";

// The same; the row lock with SKIP LOCKED keeps two senders (or instances) from claiming
// one row, and `status = 0` is checked again on the locked row version.
const CLAIM_POSTGRES: &str = "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
        SELECT o.id FROM outbox o
        WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.status = 0 AND p.lane LIKE $4 GROUP BY p.lane)
          AND o.status = 0 AND o.not_before <= $1 AND o.claimed_until <= $1
        ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED)
    RETURNING id, lane, payload, attempts, created_at";

/// Claims up to `limit` rows that are due and first in their lane, whose lane matches the
/// SQL `LIKE` pattern, inside `tx`, for `instance` until `now + CLAIM_MS`. Several senders (or
/// instances) never claim the same row; a claim left by a crashed instance is taken over once
/// it expires.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim_in(
    tx: &mut Tx,
    backend: Backend,
    instance: &str,
    now: i64,
    limit: i64,
    lanes: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut rows: Vec<OutboxRow> = sqlx::query_as(sql)
        .bind(now)
        .bind(now + CLAIM_MS)
        .bind(limit)
        .bind(lanes)
        .bind(instance)
        .fetch_all(&mut **tx)
        .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// [`claim_in`] in a transaction of its own, for this instance (`store.instance`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim_due(
    store: &Store,
    now: i64,
    limit: i64,
    lanes: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut tx = store.begin().await?;
    let rows = claim_in(&mut tx, store.backend, &store.instance, now, limit, lanes).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Frees the claims this instance's previous run left (at start-up: that run is gone, so
/// its rows need not wait for the claims to expire). Other instances' claims are theirs:
/// freeing them could send a message they are sending at this moment a second time.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn release_claims(store: &Store) -> Result<(), StoreError> {
    sqlx::query("UPDATE outbox SET claimed_until = 0 WHERE status = 0 AND claimed_by = $1")
        .bind(store.instance.as_ref())
        .execute(&store.writer)
        .await?;
    Ok(())
}

/// Secrets in mail and SMS bodies (codes) are not kept once given up.
const FORGET_SECRETS: &str =
    "payload = CASE WHEN lane LIKE 'mail:%' OR lane LIKE 'sms:%' THEN '' ELSE payload END";

/// Records what became of claimed rows, in `tx`: delivered rows are deleted (one statement
/// for all), the others rescheduled or marked failed, follow-ups and fallbacks enqueued.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record(tx: &mut Tx, outcomes: &[Outcome], now: i64) -> Result<(), StoreError> {
    let sent: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Sent { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    if !sent.is_empty() {
        // Integers formatted by us: nothing from outside reaches this SQL text.
        let sql = format!("DELETE FROM outbox WHERE id IN ({})", sent.join(","));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
    }
    for outcome in outcomes {
        match outcome {
            Outcome::Sent { follow_up, .. } => {
                if let Some(out) = follow_up {
                    enqueue(tx, out, now).await?;
                }
            }
            Outcome::Postpone {
                id,
                not_before,
                error,
            } => {
                sqlx::query(
                    "UPDATE outbox SET not_before = $1, claimed_until = 0, last_error = $2 WHERE id = $3",
                )
                .bind(not_before)
                .bind(error)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            }
            Outcome::Retry {
                id,
                not_before,
                error,
            } => {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, not_before = $1, claimed_until = 0, last_error = $2 WHERE id = $3",
                )
                .bind(not_before)
                .bind(error)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            }
            Outcome::Failed {
                id,
                error,
                fallback,
            } => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE outbox SET status = 2, done_at = $1, last_error = $2, attempts = attempts + 1, {FORGET_SECRETS} WHERE id = $3"
                )))
                .bind(now)
                .bind(error)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                if let Some(out) = fallback {
                    enqueue(tx, out, now).await?;
                }
            }
        }
    }
    Ok(())
}

/// Records a delivery (the console, which shows its own chat's rows).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mark_sent(store: &Store, id: i64, now: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    record(
        &mut tx,
        &[Outcome::Sent {
            id,
            follow_up: None,
        }],
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Pending rows and the creation time of the oldest (metrics).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn depth(store: &Store) -> Result<(i64, Option<i64>), StoreError> {
    let row: (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 0")
            .fetch_one(&store.pool)
            .await?;
    Ok(row)
}

/// Pending rows of one lane, oldest first (the console prints its own chat's replies).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_in_lane(store: &Store, lane: &Lane) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, lane, payload, attempts, created_at FROM outbox WHERE status = 0 AND lane = $1 ORDER BY id",
    )
    .bind(lane.key())
    .fetch_all(&store.pool)
    .await?)
}
