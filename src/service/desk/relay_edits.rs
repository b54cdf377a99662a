//! Which ticket an agent's message is about, and edits of relayed messages: an edit is
//! relayed as a notice answering the copy (found in the message-id map), never lost and
//! never sent as a new message of its own.

use crate::dialogue::Text;
use crate::dialogue::engine::Input;
use crate::dialogue::texts::escape_html;
use crate::message::{Inbound, Outbound, Place};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx, chat_state, relay,
    tickets::{self, Ticket},
};

impl Service {
    /// The ticket a message in an agents' group is about: the topic it is in, or — when the
    /// topic is unknown — the "[#N]" of the message it answers.
    pub(crate) async fn ticket_of_message(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
    ) -> Result<Option<Ticket>, ServiceError> {
        if let Place::Group {
            thread_id: Some(topic),
        } = inbound.place
            && let Some(ticket) = tickets::by_topic(tx, inbound.chat_id, topic).await?
            && self.group_of(&ticket) == Some(inbound.chat_id)
        {
            return Ok(Some(ticket));
        }
        let Some(number) = inbound.meta.reply_text.as_deref().and_then(ticket_number) else {
            return Ok(None);
        };
        Ok(tickets::ticket(tx, number)
            .await?
            .filter(|t| self.group_of(t) == Some(inbound.chat_id)))
    }

    /// The agent edited a message in the topic: the student is shown the new wording,
    /// answering the copy they got.
    pub(crate) async fn agent_edit(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        inbound: &Inbound,
    ) -> Result<Option<Outbound>, ServiceError> {
        let Some(message_id) = inbound.message_id else {
            return Ok(None);
        };
        let copy = relay::copy_of(tx, inbound.chat_id, message_id)
            .await?
            .filter(|(id, chat, _)| *id == ticket.id && *chat == ticket.chat_id)
            .map(|(_, _, copy)| copy);
        let locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        let text = Text::new("agent-edited").arg("text", edited_text(&inbound.input));
        Ok(Some(Outbound::Relayed {
            ticket: ticket.id,
            message: Box::new(Outbound::Text {
                chat_id: ticket.chat_id,
                text: self.tree.texts.render(locale, &text),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            }),
            reply_to: copy,
            source: None,
        }))
    }

    /// The student edited a message while an agent holds their ticket: the topic is shown
    /// the new wording, answering the relayed copy. Other edits are ignored.
    pub(crate) async fn student_edit(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
    ) -> Result<Vec<Outbound>, ServiceError> {
        // An agent working a ticket from this private chat edited a reply.
        if let Some(ticket) = tickets::worked_privately_by(tx, inbound.user_id).await? {
            return Ok(self
                .agent_edit(tx, &ticket, inbound)
                .await?
                .into_iter()
                .collect());
        }
        let (Some(message_id), Some(ticket)) = (
            inbound.message_id,
            tickets::held_for_chat(tx, inbound.chat_id).await?,
        ) else {
            return Ok(Vec::new());
        };
        // Where the student's messages go now: the private agent's chat, or the topic.
        let Some(destination) = ticket.private_agent.or(self.group_of(&ticket)) else {
            return Ok(Vec::new());
        };
        let copy = relay::copy_of(tx, inbound.chat_id, message_id)
            .await?
            .filter(|(id, chat, _)| *id == ticket.id && *chat == destination)
            .map(|(_, _, copy)| copy);
        let text = Text::new("ticket-student-edited")
            .arg("ticket", ticket.id.to_string())
            .arg("name", escape_html(&inbound.user_name))
            .arg("text", edited_text(&inbound.input));
        let notice = Outbound::Relayed {
            ticket: ticket.id,
            message: Box::new(Outbound::Text {
                chat_id: destination,
                text: self.tree.texts.render(AGENT_LOCALE, &text),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            }),
            reply_to: copy,
            source: None,
        };
        if ticket.private_agent.is_some() {
            return Ok(vec![notice]);
        }
        Ok(self.to_topic(&ticket, notice).into_iter().collect())
    }
}

/// The new wording of an edited message, escaped ("" for a photo or file).
fn edited_text(input: &Input) -> String {
    match input {
        Input::Text(text) => escape_html(text),
        _ => String::new(),
    }
}

/// `[#12] …` → 12.
fn ticket_number(text: &str) -> Option<i64> {
    let rest = text.trim_start().strip_prefix("[#")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::ticket_number;

    #[test]
    fn a_relayed_message_names_its_ticket() {
        assert_eq!(ticket_number("[#12] User1:\nhello"), Some(12));
        assert_eq!(ticket_number("  [#7] 工单"), Some(7));
        for none in ["#12", "[#] x", "hello [#12]", ""] {
            assert_eq!(ticket_number(none), None, "{none}");
        }
    }
}
