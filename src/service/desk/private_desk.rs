//! An agent working a ticket from their private chat with the bot, outside the group's
//! budget: `/take N` takes it over, the student's messages then come to the private chat and
//! the agent's messages there go to the student; `/drop` gives the relay back to the topic,
//! `/close` closes the ticket.

use crate::dialogue::engine::Input;
use crate::dialogue::texts::escape_html;
use crate::dialogue::{Locale, Text};
use crate::domain::Callback;
use crate::domain::ticket::TicketStatus;
use crate::message::FileSource;
use crate::message::{Inbound, Outbound};
use crate::service::conversation::turn::Prefetched;
use crate::service::desk::commands::AgentCommand;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit, chat_state,
    tickets::{self, Ticket},
};

impl Service {
    /// What an agent says in their private chat; `None` when it is not agents' business (the
    /// dialogue answers it as usual). `known` may already say the user works no ticket here.
    pub(crate) async fn private_agent(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
        known: &Prefetched,
    ) -> Result<Option<Vec<Outbound>>, ServiceError> {
        let command = AgentCommand::of(&inbound.input).filter(|c| c.in_private());
        match (command, &inbound.input) {
            (Some(AgentCommand::Take), _) => {
                let number = inbound.meta.args.trim().trim_start_matches('#');
                let id = number.parse::<i64>().ok();
                return self
                    .take_privately(tx, inbound, id, false, now)
                    .await
                    .map(Some);
            }
            (Some(AgentCommand::Inbox), _) => {
                return self.inbox_command(tx, inbound, now).await.map(Some);
            }
            (_, Input::Button(Callback::Ticket { ticket, action })) => {
                return self
                    .inbox_press(tx, inbound, *ticket, *action, now)
                    .await
                    .map(Some);
            }
            _ => {}
        }
        // Only the user's own `/take` (above) makes them a private agent, and a batch holds
        // one update per chat, so what the batch read before its first update still holds.
        if known
            .private_agents
            .as_ref()
            .is_some_and(|agents| !agents.contains(&inbound.user_id))
        {
            return Ok(None);
        }
        let Some(ticket) = tickets::worked_privately_by(tx, inbound.user_id).await? else {
            self.note_private_agent(inbound.user_id, false);
            return Ok(None);
        };
        self.note_private_agent(inbound.user_id, true);
        if let Some(out) = self.lost_rights(tx, &ticket, inbound, now).await? {
            return Ok(Some(out));
        }
        let mut out = Vec::new();
        match (command, &inbound.input) {
            (Some(AgentCommand::Drop), _) => {
                self.note_private_agent(inbound.user_id, false);
                tickets::set_private_agent(tx, ticket.id, None).await?;
                out.extend(self.topic_text(&ticket, &Text::new("ticket-private-dropped")));
                out.extend(self.to_agent(inbound.user_id, "agent-private-dropped", &ticket));
            }
            (Some(AgentCommand::Close), _) => {
                tickets::set_status(tx, ticket.id, TicketStatus::Closed, now).await?;
                self.hand_back(tx, &ticket, true, now, &mut out).await?;
                out.extend(self.topic_text(&ticket, &Text::new("ticket-closed-topic")));
                out.extend(self.to_agent(inbound.user_id, "ticket-closed-topic", &ticket));
                out.extend(self.card_update(tx, ticket.id, 0).await?);
            }
            (None, Input::Text(_) | Input::Photo(_) | Input::Document(_)) => {
                self.relay_to_student(tx, &ticket, inbound, &mut out)
                    .await?
            }
            _ => return Ok(None),
        }
        audit::record(
            tx,
            &format!("agent:{}", inbound.user_id),
            &format!("private_{}", command.map_or("reply", AgentCommand::name)),
            &format!("ticket:{}", ticket.id),
            &inbound.user_name,
            now,
        )
        .await?;
        Ok(Some(out))
    }

    /// `/take N` from a private chat (or the take button of a card sent there, which takes
    /// only a ticket nobody holds: `open_only`).
    pub(crate) async fn take_privately(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        id: Option<i64>,
        open_only: bool,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let ticket = match id {
            Some(id) => tickets::ticket(tx, id).await?,
            None => None,
        };
        let me = inbound.user_id;
        let Some(ticket) = ticket.filter(|t| t.status.is_active()) else {
            let text = Text::new("agent-private-usage");
            return Ok(render::text(&self.tree, Locale::ZhCn, me, &text));
        };
        let allowed = match self.group_of(&ticket) {
            Some(group) if self.agents.ids.is_empty() => self.fresh_member(group, me) == Some(true),
            Some(_) => self.agents.ids.contains(&me),
            None => false,
        };
        if !allowed {
            let subject = format!("ticket:{}", ticket.id);
            self.refuse(tx, inbound, "agent_action_refused", &subject, "take", now)
                .await?;
            let text = Text::new("agent-not-allowed");
            return Ok(render::text(&self.tree, Locale::ZhCn, me, &text));
        }
        if open_only && ticket.status != TicketStatus::Open {
            let text = Text::new("agent-inbox-taken").arg("ticket", ticket.id.to_string());
            return Ok(render::text(&self.tree, Locale::ZhCn, me, &text));
        }
        tickets::take(tx, ticket.id, me, &inbound.user_name, now).await?;
        tickets::set_private_agent(tx, ticket.id, Some(me)).await?;
        self.note_private_agent(me, true);
        chat_state::set_handed_over(tx, ticket.chat_id, true).await?;
        audit::record(
            tx,
            &format!("agent:{me}"),
            "ticket_take_private",
            &format!("ticket:{}", ticket.id),
            &inbound.user_name,
            now,
        )
        .await?;
        let locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        let told = Text::new("agent-took-over").arg("ticket", ticket.id.to_string());
        let mut out = render::text(&self.tree, locale, ticket.chat_id, &told);
        let topic = Text::new("ticket-taken-private").arg("agent", inbound.user_name.clone());
        out.extend(self.topic_text(&ticket, &topic));
        out.extend(self.to_agent(me, "agent-private-took", &ticket));
        out.extend(self.card_redraw(tx, ticket.id).await?);
        Ok(out)
    }

    /// When the agent working `ticket` privately is no longer a member of its group (asked
    /// of Telegram just before): the ticket goes back to the group's queue, the student is
    /// told, the agent learns why; what they sent is not relayed.
    async fn lost_rights(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Option<Vec<Outbound>>, ServiceError> {
        let me = inbound.user_id;
        let allowed = match self.group_of(ticket) {
            Some(group) if self.agents.ids.is_empty() => match self.fresh_member(group, me) {
                Some(member) => member,
                None => return Err(ServiceError::MembershipUnasked(me)),
            },
            Some(_) => self.agents.ids.contains(&me),
            None => false,
        };
        if allowed {
            return Ok(None);
        }
        self.note_private_agent(me, false);
        tickets::set_private_agent(tx, ticket.id, None).await?;
        tickets::set_status(tx, ticket.id, TicketStatus::Open, now).await?;
        let mut out = Vec::new();
        self.hand_back(tx, ticket, false, now, &mut out).await?;
        let topic = Text::new("ticket-private-lost").arg("agent", inbound.user_name.clone());
        out.extend(self.topic_text(ticket, &topic));
        out.extend(self.to_agent(me, "agent-lost-rights", ticket));
        out.extend(self.card_update(tx, ticket.id, 0).await?);
        let subject = format!("ticket:{}", ticket.id);
        self.refuse(tx, inbound, "agent_rights_lost", &subject, "", now)
            .await?;
        Ok(Some(out))
    }

    /// A notice for an agent's private chat, marked with the ticket.
    pub(crate) fn to_agent(&self, agent: i64, key: &str, ticket: &Ticket) -> Vec<Outbound> {
        let text = Text::new(key).arg("ticket", ticket.id.to_string());
        let body = self.tree.texts.render(Locale::ZhCn, &text);
        vec![Outbound::Text {
            chat_id: agent,
            text: format!("[#{}] {body}", ticket.id),
            buttons: Vec::new(),
            contact_button: None,
            thread_id: None,
        }]
    }

    /// A student's message for the agent working their ticket privately (labelled with the
    /// ticket, and mapped so the agent can answer it).
    pub(crate) fn to_private_agent(
        &self,
        ticket: &Ticket,
        agent: i64,
        inbound: &Inbound,
    ) -> Option<Outbound> {
        let label = format!("[#{}] {}:", ticket.id, escape_html(&inbound.user_name));
        let message = match &inbound.input {
            Input::Text(text) => Outbound::Text {
                chat_id: agent,
                text: format!("{label}\n{}", escape_html(text)),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            },
            Input::Photo(f) => Outbound::Photo {
                chat_id: agent,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: label,
                buttons: Vec::new(),
            },
            Input::Document(f) => Outbound::Document {
                chat_id: agent,
                file: FileSource::TelegramId(f.file_id.clone()),
                caption: label,
            },
            _ => return None,
        };
        Some(Outbound::Relayed {
            ticket: ticket.id,
            message: Box::new(message),
            reply_to: None,
            source: inbound.message_id.map(|m| (inbound.chat_id, m)),
        })
    }
}
