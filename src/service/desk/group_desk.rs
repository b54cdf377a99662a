//! The agents' desk: what agents do in the ticket topics and with the card's buttons, and
//! what students say while an agent holds their chat.

use crate::dialogue::Text;
use crate::dialogue::engine::{Engine, Input};
use crate::dialogue::texts::html_to_plain;
use crate::domain::callback::{Callback, TicketAction};
use crate::domain::ticket::TicketStatus;
use crate::message::{Inbound, Outbound, Place};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::desk::commands::AgentCommand;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit,
    chat_state::{self, ChatRow},
    tickets::{self, Ticket},
};

impl Service {
    /// An update from a group: the agents' workspace, or any other group (ignored).
    pub(crate) async fn agent_update(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let mut out = Vec::new();
        if let Some(callback) = &inbound.callback_id {
            let notice = match &inbound.input {
                Input::Button(Callback::Ticket { ticket, action }) => {
                    self.agent_button(tx, inbound, *ticket, *action, now, &mut out)
                        .await?
                }
                _ => "stale-button",
            };
            let text = html_to_plain(&self.tree.texts.get(AGENT_LOCALE, notice));
            out.insert(
                0,
                Outbound::AnswerCallback {
                    callback_id: callback.clone(),
                    text: Some(text),
                },
            );
            return Ok(out);
        }
        if !self.in_agent_chat(inbound.chat_id) {
            return Ok(out);
        }
        if let Input::Command(_) = &inbound.input
            && !inbound.meta.edited
        {
            if let Some(command) = AgentCommand::of(&inbound.input)
                && self
                    .topic_command(tx, inbound, command, now, &mut out)
                    .await?
            {
                return Ok(out);
            }
            let Some(command) = AgentCommand::of(&inbound.input).filter(|c| c.in_group()) else {
                return Ok(out);
            };
            if !self.may_act(inbound.user_id, inbound.chat_id) {
                let name = command.name();
                self.refuse(tx, inbound, "agent_command_refused", name, "", now)
                    .await?;
                return Ok(out);
            }
            let text = match command {
                AgentCommand::Faq => {
                    out.extend(self.faq_command(tx, inbound, now).await?);
                    return Ok(out);
                }
                AgentCommand::Progress => {
                    out.extend(self.progress_command(tx, inbound, now).await?);
                    return Ok(out);
                }
                AgentCommand::Remind => {
                    out.extend(self.remind_command(tx, inbound, now).await?);
                    return Ok(out);
                }
                AgentCommand::Queue => Some(self.queue_text(tx, inbound.chat_id, now).await?),
                AgentCommand::Stats => Some(self.stats_text(tx, inbound.chat_id, now).await?),
                AgentCommand::Find => Some(
                    self.find_text(tx, inbound.chat_id, &inbound.meta.args, now)
                        .await?,
                ),
                AgentCommand::Take
                | AgentCommand::Drop
                | AgentCommand::Close
                | AgentCommand::Inbox => None,
            };
            if let Some(text) = text {
                let thread_id = match inbound.place {
                    Place::Group { thread_id } => thread_id,
                    Place::Private => None,
                };
                out.push(Outbound::Text {
                    chat_id: inbound.chat_id,
                    text,
                    buttons: Vec::new(),
                    contact_button: None,
                    thread_id,
                });
            }
            return Ok(out);
        }
        let Some(ticket) = self.ticket_of_message(tx, inbound).await? else {
            return Ok(out);
        };
        if !self.may_act(inbound.user_id, inbound.chat_id) {
            self.refuse(
                tx,
                inbound,
                "agent_message_refused",
                &format!("ticket:{}", ticket.id),
                "",
                now,
            )
            .await?;
            return Ok(out);
        }
        if inbound.meta.edited {
            if ticket.status == TicketStatus::InProgress {
                out.extend(self.agent_edit(tx, &ticket, inbound).await?);
            }
            return Ok(out);
        }
        if ticket.reason_from == Some(inbound.user_id) {
            let reason = match &inbound.input {
                Input::Text(t) => t.clone(),
                _ => String::new(),
            };
            self.decide(tx, &ticket, false, Some(&reason), inbound, now, &mut out)
                .await?;
            return Ok(out);
        }
        match ticket.status {
            TicketStatus::InProgress => {
                self.relay_to_student(tx, &ticket, inbound, &mut out)
                    .await?
            }
            TicketStatus::Open => {
                out.extend(self.topic_text(&ticket, &Text::new("ticket-take-first")))
            }
            _ => out.extend(self.topic_text(&ticket, &Text::new("ticket-closed-not-sent"))),
        }
        Ok(out)
    }

    /// A card's button pressed: returns the text key of the answer to the press.
    pub(crate) async fn agent_button(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        id: i64,
        action: TicketAction,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<&'static str, ServiceError> {
        let Some(ticket) = tickets::ticket(tx, id).await? else {
            return Ok("stale-button");
        };
        // A ticket is acted on only from its own group: button data is easily forged.
        if self.group_of(&ticket) != Some(inbound.chat_id) {
            let subject = format!("ticket:{}", ticket.id);
            self.refuse(
                tx,
                inbound,
                "agent_other_group_refused",
                &subject,
                action.as_str(),
                now,
            )
            .await?;
            return Ok("ticket-other-group");
        }
        if !self.may_decide(inbound.user_id, inbound.chat_id) {
            self.refuse(
                tx,
                inbound,
                "agent_action_refused",
                &format!("ticket:{}", ticket.id),
                action.as_str(),
                now,
            )
            .await?;
            return Ok("agent-not-allowed");
        }
        if ticket.status == TicketStatus::Closed {
            return Ok("ticket-already-closed");
        }
        audit::record(
            tx,
            &format!("agent:{}", inbound.user_id),
            &format!("ticket_{}", action.as_str()),
            &format!("ticket:{}", ticket.id),
            &inbound.user_name,
            now,
        )
        .await?;
        let student_locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        match action {
            TicketAction::Take => {
                tickets::take(tx, ticket.id, inbound.user_id, &inbound.user_name, now).await?;
                chat_state::set_handed_over(tx, ticket.chat_id, true).await?;
                let text = Text::new("agent-took-over").arg("ticket", ticket.id.to_string());
                out.extend(render::text(
                    &self.tree,
                    student_locale,
                    ticket.chat_id,
                    &text,
                ));
                out.extend(self.topic_text(
                    &ticket,
                    &Text::new("ticket-taken").arg("agent", inbound.user_name.clone()),
                ));
                out.extend(self.card_update(tx, ticket.id, 0).await?);
            }
            TicketAction::Release | TicketAction::Close => {
                let close = action == TicketAction::Close;
                tickets::set_status(
                    tx,
                    ticket.id,
                    if close {
                        TicketStatus::Closed
                    } else {
                        TicketStatus::Open
                    },
                    now,
                )
                .await?;
                self.hand_back(tx, &ticket, close, now, out).await?;
                out.extend(self.topic_text(
                    &ticket,
                    &Text::new(if close {
                        "ticket-closed-topic"
                    } else {
                        "ticket-released"
                    }),
                ));
                out.extend(self.card_update(tx, ticket.id, 0).await?);
            }
            TicketAction::Approve => {
                self.decide(tx, &ticket, true, None, inbound, now, out)
                    .await?
            }
            TicketAction::Reject => {
                tickets::await_reason(tx, ticket.id, Some(inbound.user_id)).await?;
                out.extend(self.topic_text(&ticket, &Text::new("ticket-ask-reason")));
            }
            TicketAction::SendFaq => {
                let Some(name) = ticket.faq_hint.clone() else {
                    return Ok("stale-button");
                };
                out.extend(self.send_faq(tx, &ticket, &name, inbound, now).await?);
            }
        }
        Ok("button-done")
    }

    /// Gives the chat back to the bot: the student is told and shown their step again.
    pub(crate) async fn hand_back(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        closed: bool,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        // Another ticket of the student's still held keeps the chat with its agent.
        let held = self.keep_hold_if_held(tx, ticket.chat_id).await?;
        let Some(mut chat) = load_chat(tx, ticket.chat_id).await? else {
            return Ok(());
        };
        let locale = chat.state.locale;
        if closed {
            out.extend(self.closed_notice(locale, ticket.chat_id, ticket.id));
        } else {
            out.extend(render::text(
                &self.tree,
                locale,
                ticket.chat_id,
                &Text::new("agent-released").arg("ticket", ticket.id.to_string()),
            ));
        }
        if held {
            return Ok(());
        }
        // The step shown again is the chat's state from now on: its buttons must be current.
        let step = Engine::new(&self.tree, self.clock.today()).reprompt(&chat.state);
        for effect in step.effects {
            if let crate::dialogue::Effect::Reply(reply) = effect {
                out.extend(render::reply(&self.tree, locale, ticket.chat_id, &reply));
            }
        }
        chat.state = step.state;
        chat.handed_over = false;
        chat_state::save(tx, &chat, now).await?;
        Ok(())
    }
}

async fn load_chat(tx: &mut Tx, chat_id: i64) -> Result<Option<ChatRow>, ServiceError> {
    Ok(chat_state::load(tx, chat_id).await?)
}
