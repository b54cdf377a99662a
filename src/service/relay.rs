//! Relaying between a student and the agent holding their ticket. Student messages go into
//! the ticket's topic through the outbox within the group's budget (20 a minute); while a
//! relay of the ticket still waits there, the next messages are merged into it (texts joined,
//! a text added to a waiting photo's caption), so nothing is dropped and order is kept.

use super::handle::Turn;
use super::outbound::{Inbound, Outbound};
use super::{FileSource, Service, ServiceError};
use crate::dialogue::Text;
use crate::dialogue::engine::Input;
use crate::store::agents::{self, Ticket};
use crate::store::{Tx, chat_state, relay, tickets};

/// Merged texts stay below Telegram's 4,096 characters (and captions below 1,024).
const MERGED_TEXT: usize = 4000;
const MERGED_CAPTION: usize = 1000;

impl Service {
    pub(super) async fn relay_to_student(
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
                caption: signature,
                buttons: Vec::new(),
            },
            Input::Document(f) => Outbound::Document {
                chat_id,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: signature,
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
        let Some(ticket) = agents::held_for_chat(tx, turn.chat.chat_id).await? else {
            turn.chat.handed_over = false;
            return Ok(());
        };
        if matches!(&inbound.input, Input::Command(crate::dialogue::Command::Unknown(c)) if c == "close")
        {
            agents::set_status(tx, ticket.id, "closed", turn.now).await?;
            turn.chat.handed_over = false;
            tickets::audit(
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
            let notice = self.closed_notice(turn.locale(), turn.chat.chat_id, ticket.id);
            turn.out.extend(notice);
            return Ok(());
        }
        if let Some(agent) = ticket.private_agent
            && let Some(message) = self.to_private_agent(&ticket, agent, inbound)
        {
            turn.out.push(message);
            return Ok(());
        }
        let Some(group) = self.group_of(&ticket) else {
            return Ok(());
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
                caption: label,
                buttons: Vec::new(),
            },
            Input::Document(f) => Outbound::Document {
                chat_id: group,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: label,
            },
            Input::Command(_) | Input::Button(_) => {
                self.say(
                    turn,
                    Text::new("agent-holding").arg("ticket", ticket.id.to_string()),
                );
                return Ok(());
            }
            _ => {
                self.say(turn, Text::new("agent-relay-kinds"));
                return Ok(());
            }
        };
        let source = inbound.message_id;
        if self
            .merge_relay(tx, turn, &ticket, &message, source)
            .await?
        {
            return Ok(());
        }
        turn.out.extend(
            self.to_topic(&ticket, message)
                .map(|m| with_sources(m, source.into_iter().collect())),
        );
        Ok(())
    }

    /// Merges `message` into the ticket's newest relay still waiting in the outbox, if that
    /// is the ticket's last waiting row and nobody is sending it; the card shows the backlog.
    async fn merge_relay(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        ticket: &Ticket,
        message: &Outbound,
        source: Option<i64>,
    ) -> Result<bool, ServiceError> {
        let lane = message.lane();
        let pending = relay::pending_for_ticket(tx, &lane, ticket.id).await?;
        let Some(last) = pending.last().filter(|r| r.claimed_until <= turn.now) else {
            return Ok(false);
        };
        let Ok(waiting) = serde_json::from_str::<Outbound>(&last.payload) else {
            return Ok(false);
        };
        let Some(merged) = merge(waiting, message, source) else {
            return Ok(false);
        };
        let backlog: usize = pending
            .iter()
            .map(|r| sources_in(&r.payload))
            .sum::<usize>()
            + 1;
        let redraw = self.card_update(tx, ticket.id, 0).await?.map(Box::new);
        let merged = Outbound::Tracked {
            message: Box::new(merged),
            on_sent: redraw,
            on_failure: None,
        };
        if !relay::rewrite_pending(tx, last.id, &serde_json::to_string(&merged)?, turn.now).await? {
            return Ok(false);
        }
        let backlog = i64::try_from(backlog).unwrap_or(i64::MAX);
        let Some(card) = self.card_update(tx, ticket.id, backlog).await? else {
            return Ok(true);
        };
        match relay::pending_card_edit(tx, &card.lane(), ticket.id).await? {
            Some(row)
                if relay::rewrite_pending(tx, row.id, &serde_json::to_string(&card)?, turn.now)
                    .await? => {}
            _ => turn.out.push(card),
        }
        Ok(true)
    }
}

/// Sets the student messages a relay into a topic carries.
fn with_sources(out: Outbound, list: Vec<i64>) -> Outbound {
    match out {
        Outbound::ToTicket {
            ticket,
            topic_name,
            group,
            message,
            card,
            ..
        } => Outbound::ToTicket {
            ticket,
            topic_name,
            group,
            message,
            card,
            sources: list,
        },
        other => other,
    }
}

/// How many student messages a stored relay row carries.
fn sources_in(payload: &str) -> usize {
    match serde_json::from_str::<Outbound>(payload) {
        Ok(Outbound::ToTicket { sources, .. }) => sources.len(),
        Ok(Outbound::Tracked { message, .. }) => match *message {
            Outbound::ToTicket { sources, .. } => sources.len(),
            _ => 0,
        },
        _ => 0,
    }
}

/// `waiting` (a student relay into a topic) with `next` added, or `None` when they do not
/// merge (a notice, a file after anything, or too long together).
fn merge(waiting: Outbound, next: &Outbound, source: Option<i64>) -> Option<Outbound> {
    let waiting = match waiting {
        Outbound::Tracked { message, .. } => *message,
        other => other,
    };
    let Outbound::ToTicket {
        ticket,
        topic_name,
        group,
        message,
        card: false,
        mut sources,
    } = waiting
    else {
        return None;
    };
    if sources.is_empty() {
        return None;
    }
    let Outbound::Text { text: added, .. } = next else {
        return None;
    };
    // The new text without its "[#N] name:" label, which the waiting relay already has.
    let added = added
        .split_once('\n')
        .map_or(added.as_str(), |(_, body)| body);
    let message = match *message {
        Outbound::Text {
            chat_id,
            text,
            buttons,
            contact_button,
            thread_id,
        } if text.chars().count() + added.chars().count() < MERGED_TEXT => Outbound::Text {
            chat_id,
            text: format!("{text}\n{added}"),
            buttons,
            contact_button,
            thread_id,
        },
        Outbound::Photo {
            chat_id,
            file,
            caption,
            buttons,
        } if caption.chars().count() + added.chars().count() < MERGED_CAPTION => Outbound::Photo {
            chat_id,
            file,
            caption: format!("{caption}\n{added}"),
            buttons,
        },
        Outbound::Document {
            chat_id,
            file,
            caption,
        } if caption.chars().count() + added.chars().count() < MERGED_CAPTION => {
            Outbound::Document {
                chat_id,
                file,
                caption: format!("{caption}\n{added}"),
            }
        }
        _ => return None,
    };
    sources.extend(source);
    Some(Outbound::ToTicket {
        ticket,
        topic_name,
        group,
        message: Box::new(message),
        card: false,
        sources,
    })
}
