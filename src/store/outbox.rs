//! The outbox: every reply, e-mail and SMS is a row written in the transaction that caused it,
//! delivered in order per lane by a sender, and deleted once delivered (or kept as failed).
//!
//! Delivered rows are deleted rather than marked: nothing reads them, they held personal
//! data, and a table of only undelivered rows keeps the claim cheap.

use super::{Store, StoreError, Tx};
use crate::message::{Lane, Outbound};

#[path = "outbox_claim.rs"]
mod claim;
#[path = "outbox_waiting.rs"]
pub mod waiting;
pub use claim::{Claim, claim_due, claim_in};

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
    /// When the row is due; for a lane's head, also since when it waits for its turn (see
    /// [`pass_turns`]).
    pub not_before: i64,
}

impl OutboxRow {
    /// The message the row holds.
    pub fn message(&self) -> Result<Outbound, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }

    /// Its place in the queue: the time it waits for, less what its lane yields to students'
    /// replies; ties go to the older row.
    pub fn turn(&self) -> (i64, i64) {
        (
            self.not_before
                .saturating_add(crate::message::yield_ms(&self.lane)),
            self.id,
        )
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

/// Before [`record`]: the next row of each lane whose head is done (sent or given up) waits
/// for its turn from now. Rows are served in the order of `not_before`, so a chat that was
/// just served goes behind the chats that have been waiting meanwhile (a turn of several
/// messages takes its place again for each), and every waiting student gets one message
/// before anyone gets a second. Only worth its statement when sends wait for a limit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pass_turns(tx: &mut Tx, outcomes: &[Outcome], now: i64) -> Result<(), StoreError> {
    let done: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Sent { id, .. } | Outcome::Failed { id, .. } => Some(id.to_string()),
            _ => None,
        })
        .collect();
    if !done.is_empty() {
        // Integers formatted by us: nothing from outside reaches this SQL text.
        let sql = format!(
            "UPDATE outbox SET not_before = $1 WHERE status = 0 AND not_before < $1 \
             AND lane IN (SELECT lane FROM outbox WHERE id IN ({}))",
            done.join(",")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

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
        "SELECT id, lane, payload, attempts, created_at, not_before FROM outbox WHERE status = 0 AND lane = $1 ORDER BY id",
    )
    .bind(lane.key())
    .fetch_all(&store.pool)
    .await?)
}
