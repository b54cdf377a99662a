//! Claiming the outbox's lane heads in the order they are owed their turn.

use super::OutboxRow;
use crate::message::{paced_sql, yield_sql};
use crate::store::{Backend, Store, StoreError, Tx};

use super::CLAIM_MS;

/// Which lanes a claim takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Every lane.
    All,
    /// Only lanes Telegram's limits do not count (callbacks, mail, SMS): for when the
    /// sender's queue of paced rows is full.
    Unpaced,
}

// The head of every lane (its oldest undelivered row) from the partial index
// `outbox_pending (lane, id) WHERE status = 0`, which holds only undelivered rows; of those,
// the due and unclaimed ones, in the order of their turn: the time they wait for (see
// `pass_turns`), less what their lane yields to students' replies. A lane whose head is in flight
// or waiting yields nothing, which keeps each lane in order.
fn claim_sql(backend: Backend, claim: Claim) -> String {
    let filter = match claim {
        Claim::All => String::new(),
        Claim::Unpaced => format!(" AND NOT {}", paced_sql("o.lane")),
    };
    let order = format!("o.not_before + {}, o.id", yield_sql("o.lane"));
    match backend {
        Backend::Sqlite => format!(
            "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
                SELECT o.id FROM (SELECT MIN(id) AS head FROM outbox WHERE status = 0 AND lane LIKE $4 GROUP BY lane) h
                JOIN outbox o ON o.id = h.head
                WHERE o.not_before <= $1 AND o.claimed_until <= $1{filter}
                ORDER BY {order} LIMIT $3)
            RETURNING id, lane, payload, attempts, created_at, not_before"
        ),
        // The same; the row lock with SKIP LOCKED keeps two senders (or instances) from
        // claiming one row, and `status = 0` is checked again on the locked row version.
        Backend::Postgres => format!(
            "UPDATE outbox SET claimed_until = $2, claimed_by = $5 WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE o.id IN (SELECT MIN(p.id) FROM outbox p WHERE p.status = 0 AND p.lane LIKE $4 GROUP BY p.lane)
                  AND o.status = 0 AND o.not_before <= $1 AND o.claimed_until <= $1{filter}
                ORDER BY {order} LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING id, lane, payload, attempts, created_at, not_before"
        ),
    }
}

/// Claims up to `limit` rows that are due and first in their lane, whose lane matches the
/// SQL `LIKE` pattern, inside `tx`, for `instance` until `now + CLAIM_MS`, in the order of
/// their turn ([`OutboxRow::turn`]). Several senders (or instances) never claim the same row;
/// a claim left by a crashed instance is taken over once it expires.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim_in(
    tx: &mut Tx,
    backend: Backend,
    (instance, claim): (&str, Claim),
    now: i64,
    limit: i64,
    lanes: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let sql = claim_sql(backend, claim);
    let mut rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(now + CLAIM_MS)
        .bind(limit)
        .bind(lanes)
        .bind(instance)
        .fetch_all(&mut **tx)
        .await?;
    rows.sort_by_key(OutboxRow::turn);
    Ok(rows)
}

/// [`claim_in`] of every lane in a transaction of its own, for this instance
/// (`store.instance`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim_due(
    store: &Store,
    now: i64,
    limit: i64,
    lanes: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut tx = store.begin().await?;
    let who = (store.instance.as_ref(), Claim::All);
    let rows = claim_in(&mut tx, store.backend, who, now, limit, lanes).await?;
    tx.commit().await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Outbound;
    use crate::store::outbox::{Outcome, enqueue_all, pass_turns, record};

    fn text(chat_id: i64, text: &str) -> Outbound {
        Outbound::Text {
            chat_id,
            text: text.into(),
            buttons: Vec::new(),
            contact_button: None,
            thread_id: None,
        }
    }

    /// Claims every due head at `now` and gives them back at once (keeping their turn);
    /// returns their texts (the lane for rows without text) in the order of their turn.
    async fn turns(store: &Store, now: i64) -> Vec<String> {
        let rows = claim_due(store, now, 100, "%").await.expect("claim");
        let back: Vec<Outcome> = rows
            .iter()
            .map(|r| Outcome::Postpone {
                id: r.id,
                not_before: r.not_before,
                error: "back".into(),
            })
            .collect();
        let mut tx = store.begin().await.expect("begin");
        record(&mut tx, &back, now).await.expect("give back");
        tx.commit().await.expect("commit");
        rows.iter()
            .map(|r| match r.message() {
                Ok(Outbound::Text { text, .. }) => text,
                _ => r.lane.clone(),
            })
            .collect()
    }

    #[tokio::test]
    async fn heads_go_in_turn_and_a_chat_just_served_goes_behind_those_waiting() {
        let dir = std::env::temp_dir().join(format!("helpdesk-turns-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        let url = format!("sqlite://{}", dir.join("db.sqlite").display());
        let store = Store::connect(&url).await.expect("database");
        let enqueue = |outs: Vec<Outbound>, now: i64| {
            let store = store.clone();
            async move {
                let mut tx = store.begin().await.expect("begin");
                enqueue_all(&mut tx, &outs, now).await.expect("enqueue");
                tx.commit().await.expect("commit");
            }
        };
        // A turn of two messages for chat 1 (and its old buttons cleared), one for chat 2,
        // a card redraw for the agents; chat 3 writes a little later.
        enqueue(
            vec![
                text(1, "a1"),
                text(1, "a2"),
                Outbound::ClearButtons {
                    chat_id: 1,
                    message_id: 9,
                },
                text(2, "b1"),
                Outbound::EditCard {
                    ticket: 5,
                    group: -100,
                    text: "card".into(),
                    buttons: Vec::new(),
                },
            ],
            1_000,
        )
        .await;
        enqueue(vec![text(3, "c1")], 1_010).await;
        #[rustfmt::skip]
        let expected = ["a1", "b1", "c1", "card:5", "edit:1"];
        assert_eq!(
            turns(&store, 2_000).await,
            expected,
            "first heads by age, bulk last"
        );
        // a1 is sent at 2,100; chat 4 wrote at 2,050, before that.
        enqueue(vec![text(4, "d1")], 2_050).await;
        let rows = claim_due(&store, 2_100, 1, "tg:1").await.expect("claim a1");
        let sent = vec![Outcome::Sent {
            id: rows[0].id,
            follow_up: None,
        }];
        let mut tx = store.begin().await.expect("begin");
        pass_turns(&mut tx, &sent, 2_100).await.expect("turns");
        record(&mut tx, &sent, 2_100).await.expect("record");
        tx.commit().await.expect("commit");
        let expected = ["b1", "c1", "d1", "a2", "card:5", "edit:1"];
        assert_eq!(
            turns(&store, 3_000).await,
            expected,
            "a2 waits for its turn from when a1 went"
        );
        // The agents' work waits 30 s at most before a student's reply that is younger.
        enqueue(vec![text(6, "f1")], 31_500).await;
        let all = turns(&store, 40_000).await;
        assert_eq!(all[4..], ["card:5", "f1", "edit:1"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
