//! Reviews decided from the card: approve or reject (with the reason typed in the topic);
//! the outcome reaches the student's dialogue in the same transaction as the decision.

use crate::dialogue::Text;
use crate::domain::record_field::RecordField;
use crate::domain::ticket::{TicketKind, TicketStatus};
use crate::message::{Inbound, Outbound};
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit, chat_state, duplicates,
    records::{self, Confirmation},
    tickets::{self, Ticket},
};
use serde_json::Value;

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
                    apply_to_record(tx, ticket, record, now).await?;
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
        self.keep_hold_if_held(tx, ticket.chat_id).await?;
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
        out.extend(self.card_update(tx, ticket.id, 0).await?);
        Ok(())
    }

    /// The student's chat stays with an agent while any of their tickets is still held (a
    /// decision on one ticket must not take the chat from the agent holding another).
    pub(crate) async fn keep_hold_if_held(
        &self,
        tx: &mut Tx,
        chat_id: i64,
    ) -> Result<bool, ServiceError> {
        let held = tickets::held_for_chat(tx, chat_id).await?.is_some();
        chat_state::set_handed_over(tx, chat_id, held).await?;
        Ok(held)
    }
}

/// What an approved correction or photo change does to the record: the corrected fields
/// written, the replacement photo made the record's, and then the record confirmed.
async fn apply_to_record(
    tx: &mut Tx,
    ticket: &Ticket,
    record: i64,
    now: i64,
) -> Result<(), ServiceError> {
    let detail: Value = serde_json::from_str(&ticket.detail).unwrap_or(Value::Null);
    let which = if ticket.kind == TicketKind::Photo {
        let replacement = detail["replacement"]["file_id"].as_str();
        if let Some(file_id) = replacement.filter(|f| !f.is_empty()) {
            records::set_photo_file(tx, record, file_id, now).await?;
        }
        Confirmation::Photo
    } else {
        let fields = detail["fields"].as_array().cloned().unwrap_or_default();
        for item in fields {
            let field = item["field"].as_str().and_then(RecordField::parse);
            let value = field.zip(item["value"].as_str().and_then(|v| field?.stored(v)));
            if let Some((field, value)) = value {
                records::correct(tx, record, field, &value, now).await?;
            }
        }
        Confirmation::Info
    };
    records::confirm(tx, record, which, now).await?;
    Ok(())
}
