//! What a round hands the dispatcher: claimed rows into the queue in the order of their
//! turn (or straight out when no limit counts them), and, under the limits, notices for
//! the students whose reply will wait long, ahead of everything.

use super::notices;
use super::pace;
use super::queue::Waiting;
use super::worker::{Job, Worker};
use crate::message::Outbound;
use crate::store::outbox::{OutboxRow, Outcome, waiting};
use crate::store::{StoreError, Tx};
use std::sync::Arc;
use tokio::time::Instant;

impl Worker {
    /// Queues the claimed rows the limits count and the notices, starts the others; what
    /// cannot be read is recorded as failed.
    pub(super) async fn take(
        self: &Arc<Self>,
        rows: Vec<OutboxRow>,
        notices: Vec<Job>,
        pending: &mut Vec<Outcome>,
    ) {
        let now = Instant::now();
        let mut unpaced = Vec::new();
        if let Ok(mut sched) = self.sched.lock() {
            for job in notices {
                sched.notices_queued += 1;
                let turn = (i64::MIN, sched.notices_queued);
                let chat = match &job {
                    Job::Notice { chat, .. } => Some(*chat),
                    Job::Row { .. } => None,
                };
                sched.queue.push(
                    turn,
                    Waiting {
                        chat,
                        cost: 1,
                        since: now,
                        job,
                    },
                );
            }
            for row in rows {
                let out: Outbound = match row.message() {
                    Ok(out) => out,
                    Err(e) => {
                        pending.push(Outcome::Failed {
                            id: row.id,
                            error: format!("unreadable row: {e}"),
                            fallback: None,
                        });
                        continue;
                    }
                };
                match pace(&out) {
                    Some((chat, cost)) => {
                        let turn = row.turn();
                        let job = Job::Row { row, out };
                        sched.queue.push(
                            turn,
                            Waiting {
                                chat: Some(chat),
                                cost,
                                since: now,
                                job,
                            },
                        );
                    }
                    None => unpaced.push((row, out)),
                }
            }
        }
        self.kick.notify_one();
        for (row, out) in unpaced {
            self.start(Job::Row { row, out }, None).await;
        }
    }

    /// Under the limits, every half second: the new replies into private chats that will
    /// wait long, as notices to send first.
    pub(super) async fn look_for_waits(&self, tx: &mut Tx) -> Result<Vec<Job>, StoreError> {
        let Some(notices) = &self.notices else {
            return Ok(Vec::new());
        };
        let now = Instant::now();
        if !notices.lock().is_ok_and(|mut n| n.look_now(now)) {
            return Ok(Vec::new());
        }
        let fresh = waiting::take_fresh(tx, notices::LOOK_MAX).await?;
        let Some(first) = fresh.iter().map(|f| f.turn).min() else {
            return Ok(Vec::new());
        };
        let ahead = waiting::ahead_of(tx, first).await?;
        let chosen = notices
            .lock()
            .map(|mut n| n.choose(&fresh, ahead, self.per_second, now))
            .unwrap_or_default();
        if chosen.is_empty() {
            return Ok(Vec::new());
        }
        let chats: Vec<i64> = chosen.iter().map(|(chat, _)| *chat).collect();
        let locales = waiting::locales(tx, &chats).await?;
        let Ok(n) = notices.lock() else {
            return Ok(Vec::new());
        };
        tracing::info!(
            notices = chosen.len(),
            ahead,
            "outbox: telling students they wait"
        );
        Ok(chosen
            .into_iter()
            .map(|(chat, seconds)| Job::Notice {
                chat,
                out: Outbound::Text {
                    chat_id: chat,
                    text: n.text(locales.get(&chat).map(String::as_str), seconds),
                    buttons: Vec::new(),
                    contact_button: None,
                    thread_id: None,
                },
            })
            .collect())
    }
}
