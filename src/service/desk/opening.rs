//! Opening a ticket, written once: the row, its card (and files) for the agents' topic, the
//! same card for the agents who asked for it privately (`/inbox on`), and the audit record,
//! all in the turn's transaction.

use crate::domain::ticket::TicketKind;
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::desk::agents::{attachment, attachments};
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
        self.announce_ticket(tx, &mut turn.out, id, turn.now)
            .await?;
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

impl Service {
    /// Posts a new ticket's card (and its attachments) into its topic, and the card to the
    /// private chats of the agents who asked for new tickets there and may see them.
    pub(crate) async fn announce_ticket(
        &self,
        tx: &mut Tx,
        out: &mut Vec<Outbound>,
        ticket_id: i64,
        now: i64,
    ) -> Result<(), ServiceError> {
        self.route_by_roster(tx, ticket_id).await?;
        let Some(ticket) = tickets::ticket(tx, ticket_id).await? else {
            return Ok(());
        };
        let ticket = self.spread(tx, ticket).await?;
        let Some(group) = self.group_of(&ticket) else {
            return Ok(());
        };
        let (text, buttons) = self.card(tx, &ticket, 0).await?;
        let privately = self.inbox_cards(tx, ticket.id, group, &text, now).await?;
        let card = Outbound::text(group, text, buttons);
        out.extend(self.to_topic(&ticket, card).map(Outbound::as_card));
        for (file, is_photo) in attachments(&ticket.detail) {
            let message = attachment(group, file, is_photo, ticket.id);
            out.extend(self.to_topic(&ticket, message));
        }
        out.extend(privately);
        Ok(())
    }
}
