//! Who waits in the outbox and for how long: the queries behind the "you are in the queue"
//! notice. New replies into private chats are looked at once (across instances, through a
//! mark in `kv`), and how many lane heads are ahead of them says how long they will wait.

use crate::message::{paced_sql, yield_sql};
use crate::store::{StoreError, Tx};
use std::collections::HashMap;

/// The `kv` key of the newest outbox row already looked at.
const SEEN: &str = "outbox_queue_seen";

/// A new reply into a private chat that is the first waiting in its lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fresh {
    pub id: i64,
    pub chat: i64,
    /// Its place in the queue ([`super::OutboxRow::turn`]'s time).
    pub turn: i64,
}

/// Rows after the last one looked at, up to `limit`, taken for this caller alone: the mark
/// in `kv` moves past them only if no other instance moved it first (then this gives
/// nothing). The first call only sets the mark, so what waited before start-up is not
/// looked at.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn take_fresh(tx: &mut Tx, limit: i64) -> Result<Vec<Fresh>, StoreError> {
    let (newest,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM outbox")
        .fetch_one(&mut **tx)
        .await?;
    let newest = newest.unwrap_or(0);
    let seen: Option<(String,)> = sqlx::query_as("SELECT value FROM kv WHERE key = $1")
        .bind(SEEN)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(seen) = seen.and_then(|(v,)| v.parse::<i64>().ok()) else {
        sqlx::query("INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(SEEN)
            .bind(newest.to_string())
            .execute(&mut **tx)
            .await?;
        return Ok(Vec::new());
    };
    if newest <= seen {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT o.id, o.lane, o.not_before FROM outbox o
         WHERE o.id > $1 AND o.status = 0 AND o.lane LIKE 'tg:%' AND o.lane NOT LIKE 'tg:-%'
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.status = 0 AND p.id < o.id)
         ORDER BY o.id LIMIT $2",
    )
    .bind(seen)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    // Up to the newest row, or to the last one taken when there were more than `limit`.
    let upto = match rows.last() {
        Some((id, _, _)) if rows.len() as i64 >= limit => *id,
        _ => newest,
    };
    let moved = sqlx::query("UPDATE kv SET value = $1 WHERE key = $2 AND value = $3")
        .bind(upto.to_string())
        .bind(SEEN)
        .bind(seen.to_string())
        .execute(&mut **tx)
        .await?;
    if moved.rows_affected() == 0 {
        return Ok(Vec::new());
    }
    Ok(rows
        .into_iter()
        .filter_map(|(id, lane, turn)| {
            let chat = lane.strip_prefix("tg:")?.parse().ok()?;
            Some(Fresh { id, chat, turn })
        })
        .collect())
}

/// How many lane heads Telegram's limits count wait ahead of the turn `turn`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ahead_of(tx: &mut Tx, turn: i64) -> Result<i64, StoreError> {
    let sql = format!(
        "SELECT COUNT(*) FROM outbox o
         WHERE o.id IN (SELECT MIN(id) FROM outbox WHERE status = 0 GROUP BY lane)
           AND {} AND o.not_before + {} < $1",
        paced_sql("o.lane"),
        yield_sql("o.lane")
    );
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(turn)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

/// The locale codes the chats speak (those with a state row).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn locales(tx: &mut Tx, chats: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    if chats.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = chats.iter().map(i64::to_string).collect();
    // Integers formatted by us: nothing from outside reaches this SQL text.
    let sql = format!(
        "SELECT chat_id, locale FROM chat_state WHERE chat_id IN ({})",
        ids.join(",")
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The rows waiting in the outbox for each of `groups` (messages into the group and edits
/// there), for choosing the least busy.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn group_backlogs(tx: &mut Tx, groups: &[i64]) -> Result<HashMap<i64, i64>, StoreError> {
    if groups.is_empty() {
        return Ok(HashMap::new());
    }
    let lanes: Vec<String> = groups
        .iter()
        .flat_map(|g| [format!("'tg:{g}'"), format!("'edit:{g}'")])
        .collect();
    // Lane keys built from integers by us: nothing from outside reaches this SQL text.
    let sql = format!(
        "SELECT lane, COUNT(*) FROM outbox WHERE status = 0 AND lane IN ({}) GROUP BY lane",
        lanes.join(",")
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await?;
    let mut backlogs = HashMap::new();
    for (lane, n) in rows {
        let group = lane
            .split_once(':')
            .and_then(|(_, g)| g.parse::<i64>().ok());
        if let Some(group) = group {
            *backlogs.entry(group).or_insert(0) += n;
        }
    }
    Ok(backlogs)
}
