//! Opening a ticket, written once: the row, its card (and files) for the agents' topic, and
//! the audit record, all in the turn's transaction.

use crate::domain::ticket::TicketKind;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, audit, tickets};
use serde_json::Value;

/// A ticket to open for the turn's chat.
pub(crate) struct NewTicket<'a> {
    pub kind: TicketKind,
    /// The one-line summary (requests) or the review's details (reviews).
    pub about: About<'a>,
    /// Where the student was; the turn's node when none.
    pub node: Option<&'a str>,
    /// Opened by the bot itself (an escalation), not at the student's request.
    pub by_bot: bool,
}

/// What a ticket is opened with.
pub(crate) enum About<'a> {
    Summary(&'a str),
    Review {
        detail: &'a Value,
        record_id: Option<i64>,
    },
}

impl Service {
    /// Opens the ticket, announces it in the agents' topic and audits it; returns its id.
    pub(crate) async fn open_ticket(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        new: NewTicket<'_>,
    ) -> Result<i64, ServiceError> {
        let chat_id = turn.chat.chat_id;
        let node = new.node.unwrap_or(&turn.chat.state.node).to_string();
        let (id, detail) = match new.about {
            About::Summary(summary) => (
                tickets::open(tx, chat_id, new.kind, &node, summary, turn.now).await?,
                summary.to_string(),
            ),
            About::Review { detail, record_id } => {
                let detail = detail.to_string();
                let id = tickets::open_review(
                    tx, chat_id, new.kind, &node, &detail, record_id, turn.now,
                )
                .await?;
                (id, new.kind.as_str().to_string())
            }
        };
        self.announce_ticket(tx, &mut turn.out, id).await?;
        let actor = if new.by_bot {
            "system".to_string()
        } else {
            self.actor(turn)
        };
        let subject = format!("ticket:{id}");
        audit::record(tx, &actor, "ticket_opened", &subject, &detail, turn.now).await?;
        Ok(id)
    }
}
