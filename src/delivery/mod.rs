//! Delivery: the transports a row can leave by, how a delivery went, and the outbox
//! worker ([`Worker`]) that claims, paces, delivers and records. A row is removed from the
//! outbox only after the transport accepted it, so a crash can repeat, never lose.

mod dispatch;
pub mod notices;
pub mod pacer;
pub mod queue;
mod queueing;
mod worker;

pub use worker::Worker;

use crate::message::Outbound;
use crate::notify::{Mailer, NotifyError, SmsGateway};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A delivery in progress.
pub type Delivering<'a> = Pin<Box<dyn Future<Output = Delivery> + Send + 'a>>;

/// The chat transport (Telegram's Bot API): delivers every `Outbound` that is not mail or SMS.
pub trait ChatTransport: Send + Sync + std::fmt::Debug {
    fn deliver<'a>(&'a self, out: &'a Outbound) -> Delivering<'a>;
}

/// After this many failed tries a delivery is given up and recorded as failed.
pub const MAX_ATTEMPTS: i64 = 30;

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent(Option<String>),
    RetryAfter(u64),
    Transient(String),
    Permanent(String),
}

impl From<Result<(), NotifyError>> for Delivery {
    fn from(r: Result<(), NotifyError>) -> Delivery {
        match r {
            Ok(()) => Delivery::Sent(None),
            Err(NotifyError::Transient(e)) => Delivery::Transient(e),
            Err(NotifyError::Permanent(e)) => Delivery::Permanent(e),
        }
    }
}

/// The ways out of the bot. The console has no Telegram; development has no SMS gateway.
#[derive(Debug, Default)]
pub struct Transports {
    pub telegram: Option<Arc<dyn ChatTransport>>,
    pub mail: Option<Mailer>,
    pub sms: Option<SmsGateway>,
}

impl Transports {
    pub async fn deliver(&self, out: &Outbound) -> Delivery {
        match out {
            Outbound::Email {
                to, subject, body, ..
            } => match &self.mail {
                Some(mail) => mail.send(to, subject, body).await.into(),
                None => Delivery::Permanent("e-mail is not configured".into()),
            },
            Outbound::Sms { to, text, .. } => match &self.sms {
                Some(sms) => sms.send(to, text).await.into(),
                None => Delivery::Permanent("no SMS gateway is configured".into()),
            },
            telegram => match &self.telegram {
                Some(tg) => tg.deliver(telegram).await,
                None => Delivery::Permanent("Telegram is not connected".into()),
            },
        }
    }
}

/// What a delivery costs under Telegram's sending limits: the chat whose limits it counts
/// against (a group's for what goes into the agents' forum) and how many sends Telegram
/// counts for it; `None`: no limit counts it (callback answers, deletions, mail, SMS).
/// Edits and reactions count like messages, and a ticket's card, the first message of its
/// topic, also creates the topic (`createForumTopic` counts as a message).
pub(crate) fn pace(out: &Outbound) -> Option<(i64, u32)> {
    match out {
        Outbound::Text { chat_id, .. }
        | Outbound::Photo { chat_id, .. }
        | Outbound::Document { chat_id, .. }
        | Outbound::File { chat_id, .. }
        | Outbound::EditText { chat_id, .. }
        | Outbound::ClearButtons { chat_id, .. }
        | Outbound::SetButtons { chat_id, .. }
        | Outbound::React { chat_id, .. } => Some((*chat_id, 1)),
        Outbound::ToTicket { group, card, .. } => Some((*group, if *card { 2 } else { 1 })),
        Outbound::EditCard { group, .. } => Some((*group, 1)),
        Outbound::Tracked { message, .. }
        | Outbound::Relayed { message, .. }
        | Outbound::ToAgent { message, .. } => pace(message),
        Outbound::AnswerCallback { .. }
        | Outbound::DeleteMessage { .. }
        | Outbound::DeleteTopic { .. }
        | Outbound::Email { .. }
        | Outbound::Sms { .. } => None,
    }
}

/// The kind of a lane (`tg`, `mail`…) without the address it holds, for logs.
fn lane_kind(lane: &str) -> &str {
    crate::message::LaneKind::of_key(lane)
}

/// Backoff before try `attempts + 1`: 1 s, 2 s, 4 s… capped at 5 minutes.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 9) as u32;
    (1000_i64 << exp).min(300_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_telegram_counts_is_paced() {
        let text = |chat_id| Outbound::Text {
            chat_id,
            text: "x".into(),
            buttons: Vec::new(),
            contact_button: None,
            thread_id: None,
        };
        let to_ticket = |card| Outbound::ToTicket {
            ticket: 1,
            topic_name: "t".into(),
            group: -100,
            message: Box::new(text(-100)),
            card,
            sources: Vec::new(),
        };
        let cases = [
            (text(7), Some((7, 1))),
            (
                Outbound::ClearButtons {
                    chat_id: 7,
                    message_id: 1,
                },
                Some((7, 1)),
            ),
            (
                Outbound::SetButtons {
                    chat_id: 7,
                    message_id: 1,
                    buttons: Vec::new(),
                },
                Some((7, 1)),
            ),
            (
                Outbound::React {
                    chat_id: -100,
                    message_id: 1,
                    emoji: "👍".into(),
                },
                Some((-100, 1)),
            ),
            (
                Outbound::EditCard {
                    ticket: 1,
                    group: -100,
                    text: "c".into(),
                    buttons: Vec::new(),
                },
                Some((-100, 1)),
            ),
            (to_ticket(true), Some((-100, 2))),
            (to_ticket(false), Some((-100, 1))),
            (
                Outbound::Tracked {
                    message: Box::new(text(8)),
                    on_sent: None,
                    on_failure: None,
                },
                Some((8, 1)),
            ),
            (
                Outbound::AnswerCallback {
                    callback_id: "q".into(),
                    text: None,
                },
                None,
            ),
            (
                Outbound::DeleteMessage {
                    chat_id: 7,
                    message_id: 1,
                },
                None,
            ),
        ];
        for (out, expected) in cases {
            assert_eq!(pace(&out), expected, "{out:?}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(5), 32_000);
        assert_eq!(backoff_ms(29), 300_000);
        assert_eq!(backoff_ms(-3), 1000);
    }
}
