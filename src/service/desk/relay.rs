//! Relaying between a student and the agent holding their ticket: student messages into the
//! ticket's topic through the outbox within the group's budget (merged while they wait, see
//! `relay_merge`), or to the agent's private chat; agents' messages to the student, signed,
//! answering the student's original when the agent answered its copy.

use crate::dialogue::Text;
use crate::dialogue::engine::Input;
use crate::domain::ticket::TicketStatus;
use crate::message::FileSource;
use crate::message::{Inbound, Outbound};
use crate::service::conversation::turn::Turn;
use crate::service::desk::commands::AgentCommand;
use crate::service::desk::relay_merge::with_sources;
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx, audit, chat_state, relay,
    tickets::{self, Ticket},
};

impl Service {
    pub(crate) async fn relay_to_student(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        inbound: &Inbound,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        let locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        let signer = if self.agents.sign_with_name {
            inbound.user_name.clone()
        } else {
            self.tree.texts.get(locale, "agent-neutral")
        };
        let signature = self
            .tree
            .texts
            .render(locale, &Text::new("agent-signature").arg("name", signer));
        let chat_id = ticket.chat_id;
        let message = match &inbound.input {
            Input::Text(text) => Outbound::Text {
                chat_id,
                text: format!("{signature}\n{}", crate::dialogue::texts::escape_html(text)),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            },
            Input::Photo(f) => Outbound::Photo {
                chat_id,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: f.caption_after(&signature, crate::dialogue::texts::escape_html),
                buttons: Vec::new(),
            },
            Input::Document(f) => Outbound::Document {
                chat_id,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: f.caption_after(&signature, crate::dialogue::texts::escape_html),
            },
            _ => return Ok(()),
        };
        let on_sent = inbound.message_id.map(|message_id| {
            Box::new(Outbound::React {
                chat_id: inbound.chat_id,
                message_id,
                emoji: "👍".into(),
            })
        });
        let on_failure = self
            .topic_text(ticket, &Text::new("ticket-reply-failed"))
            .map(Box::new);
        let reply_to = match inbound.meta.reply_to {
            Some(answered) => relay::source_of(tx, inbound.chat_id, answered)
                .await?
                .filter(|(id, chat, _)| *id == ticket.id && *chat == ticket.chat_id)
                .map(|(_, _, message)| message),
            None => None,
        };
        let message = Outbound::Relayed {
            ticket: ticket.id,
            message: Box::new(message),
            reply_to,
            source: inbound.message_id.map(|m| (inbound.chat_id, m)),
        };
        out.push(Outbound::Tracked {
            message: Box::new(message),
            on_sent,
            on_failure,
        });
        Ok(())
    }

    /// A student's message while an agent holds the chat: into the ticket's topic.
    pub(crate) async fn relay_from_student(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        let Some(ticket) = tickets::held_for_chat(tx, turn.chat.chat_id).await? else {
            turn.chat.handed_over = false;
            return Ok(());
        };
        if AgentCommand::of(&inbound.input) == Some(AgentCommand::Close) {
            tickets::set_status(tx, ticket.id, TicketStatus::Closed, turn.now).await?;
            turn.chat.handed_over = tickets::held_for_chat(tx, turn.chat.chat_id)
                .await?
                .is_some();
            turn.out.extend(self.card_update(tx, ticket.id, 0).await?);
            audit::record(
                tx,
                &self.actor(turn),
                "ticket_closed",
                &format!("ticket:{}", ticket.id),
                "by the student",
                turn.now,
            )
            .await?;
            turn.out
                .extend(self.topic_text(&ticket, &Text::new("ticket-closed-by-student")));
            if let Some(agent) = ticket.private_agent {
                let told = self.to_agent(agent, "ticket-closed-by-student", &ticket);
                turn.out.extend(told);
            }
            let notice = self.closed_notice(turn.locale(), turn.chat.chat_id, ticket.id);
            turn.out.extend(notice);
            return Ok(());
        }
        self.relay_into_topic(tx, turn, &ticket, inbound).await?;
        Ok(())
    }

    /// A student's message into the ticket's topic (or to the agent working it privately);
    /// false when it was not passed on (a refused file, a kind agents cannot receive).
    pub(crate) async fn relay_into_topic(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        ticket: &Ticket,
        inbound: &Inbound,
    ) -> Result<bool, ServiceError> {
        let ticket = ticket.clone();
        // What reaches the agents is checked like any upload: its kind by content, its size.
        if matches!(&inbound.input, Input::Photo(_) | Input::Document(_))
            && let Err(refusal) = crate::dialogue::validate::validate(
                "file",
                &inbound.input,
                &Default::default(),
                self.clock.today(),
            )
        {
            self.say(turn, refusal);
            return Ok(false);
        }
        if let Some(agent) = ticket.private_agent
            && let Some(message) = self.to_private_agent(&ticket, agent, inbound)
        {
            turn.out.push(message);
            return Ok(true);
        }
        let Some(group) = self.group_of(&ticket) else {
            return Ok(false);
        };
        let label = format!(
            "[#{}] {}:",
            ticket.id,
            crate::dialogue::texts::escape_html(&inbound.user_name)
        );
        let message = match &inbound.input {
            Input::Text(text) => Outbound::Text {
                chat_id: group,
                text: format!("{label}\n{}", crate::dialogue::texts::escape_html(text)),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            },
            Input::Photo(f) => Outbound::Photo {
                chat_id: group,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: f.caption_after(&label, crate::dialogue::texts::escape_html),
                buttons: Vec::new(),
            },
            Input::Document(f) => Outbound::Document {
                chat_id: group,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: f.caption_after(&label, crate::dialogue::texts::escape_html),
            },
            Input::Command(_) | Input::Button(_) => {
                self.say(
                    turn,
                    Text::new("agent-holding").arg("ticket", ticket.id.to_string()),
                );
                return Ok(false);
            }
            _ => {
                self.say(turn, Text::new("agent-relay-kinds"));
                return Ok(false);
            }
        };
        if let Input::Text(text) = &inbound.input {
            // The card not sent yet: the words go with it (no send of their own).
            if ticket.status == TicketStatus::Open
                && self.fold_into_card(tx, &ticket, inbound, text).await?
            {
                return Ok(true);
            }
            self.suggest_faq(tx, &ticket, text, &mut turn.out).await?;
        }
        let source = inbound.message_id;
        if self
            .merge_relay(tx, turn, &ticket, &message, source)
            .await?
        {
            return Ok(true);
        }
        turn.out.extend(
            self.to_topic(&ticket, message)
                .map(|m| with_sources(m, source.into_iter().collect())),
        );
        Ok(true)
    }
}
