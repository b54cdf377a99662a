//! Reviews decided from the card: approve or reject (with the reason typed in the topic);
//! the outcome reaches the student's dialogue in the same transaction as the decision.

use crate::dialogue::Text;
use crate::domain::ticket::{TicketKind, TicketStatus};
use crate::message::{Inbound, Outbound};
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit, chat_state, duplicates,
    records::{self, Confirmation},
    tickets::{self, Ticket},
};

impl Service {
    /// Approves or rejects a review ticket; the outcome reaches the student's dialogue in
    /// this same transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn decide(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        approve: bool,
        reason: Option<&str>,
        inbound: &Inbound,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        let agent = format!("agent:{}", inbound.user_id);
        let locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        match ticket.kind {
            TicketKind::IdReview => {
                if let Some(review) = duplicates::review_of_ticket(tx, ticket.id).await? {
                    self.decide_review_in(tx, review, approve, reason, &agent, now)
                        .await?;
                    crate::store::person::review_decided(tx, ticket.id, now).await?;
                }
            }
            TicketKind::IdObjection => {
                self.decide_objection(tx, ticket.id, ticket.chat_id, approve, &agent, now, out)
                    .await?;
            }
            TicketKind::Photo | TicketKind::Correction => {
                if approve && let Some(record) = ticket.record_id {
                    let which = if ticket.kind == TicketKind::Photo {
                        Confirmation::Photo
                    } else {
                        Confirmation::Info
                    };
                    records::confirm(tx, record, which, now).await?;
                }
                let key = match (ticket.kind, approve) {
                    (TicketKind::Photo, true) => "review-photo-approved",
                    (TicketKind::Photo, false) => "review-photo-rejected",
                    (_, true) => "review-correction-approved",
                    _ => "review-correction-rejected",
                };
                let text = Text::new(key)
                    .arg("ticket", ticket.id.to_string())
                    .arg("reason", reason.unwrap_or_default());
                out.extend(render::text(&self.tree, locale, ticket.chat_id, &text));
            }
            TicketKind::Human | TicketKind::Escalation => {}
        }
        tickets::set_status(
            tx,
            ticket.id,
            if approve {
                TicketStatus::Resolved
            } else {
                TicketStatus::Rejected
            },
            now,
        )
        .await?;
        chat_state::set_handed_over(tx, ticket.chat_id, false).await?;
        audit::record(
            tx,
            &agent,
            if approve {
                "review_approve"
            } else {
                "review_reject"
            },
            &format!("ticket:{}", ticket.id),
            reason.unwrap_or_default(),
            now,
        )
        .await?;
        let key = if approve {
            "ticket-approved-topic"
        } else {
            "ticket-rejected-topic"
        };
        out.extend(self.topic_text(
            ticket,
            &Text::new(key).arg("agent", inbound.user_name.clone()),
        ));
        Ok(())
    }
}
