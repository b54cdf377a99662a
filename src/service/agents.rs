//! Support agents: each ticket gets a forum topic in the agents' group with a card; agents
//! take over, relay both ways, release, close, and decide reviews — every action checked
//! against who sent it and recorded.

use super::handle::Turn;
use super::outbound::{Inbound, OutButton, Outbound, Place};
use super::{FileSource, Service, ServiceError, render};
use crate::dialogue::engine::{Engine, FileRef, Input};
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Locale, Text};
use crate::domain::{Email, IdNumber, IdType};
use crate::store::agents::{self, Ticket};
use crate::store::chat_state::{self, ChatRow};
use crate::store::records::{self, Confirmation};
use crate::store::{Tx, accounts, duplicates, tickets};
use serde_json::Value;

/// Who may act as an agent, and how replies are signed.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// The agents' forum supergroup.
    pub chat_id: Option<i64>,
    /// Users allowed to act; empty means every member of the agents' group.
    pub ids: Vec<i64>,
    /// Sign replies with the agent's name (else a neutral "客服").
    pub sign_with_name: bool,
}

/// Agents read Chinese.
const AGENT_LOCALE: Locale = Locale::ZhCn;

impl Service {
    fn in_agent_chat(&self, chat_id: i64) -> bool {
        self.agents.chat_id == Some(chat_id)
    }

    /// Whether `user` may act here (in the agents' group, or privately when listed).
    fn may_act(&self, user: i64, chat_id: i64) -> bool {
        if self.agents.ids.is_empty() {
            self.in_agent_chat(chat_id)
        } else {
            self.agents.ids.contains(&user)
        }
    }

    fn to_topic(&self, ticket: &Ticket, message: Outbound) -> Option<Outbound> {
        let group = self.agents.chat_id?;
        let name = format!(
            "#{} {}",
            ticket.id,
            self.tree.texts.get(
                AGENT_LOCALE,
                &format!("ticket-kind-{}", ticket.kind.replace('_', "-"))
            )
        );
        Some(Outbound::ToTicket {
            ticket: ticket.id,
            topic_name: html_to_plain(&name),
            group,
            message: Box::new(message),
        })
    }

    fn topic_text(&self, ticket: &Ticket, text: &Text) -> Option<Outbound> {
        let group = self.agents.chat_id?;
        let body = self.tree.texts.render(AGENT_LOCALE, text);
        self.to_topic(
            ticket,
            Outbound::Text {
                chat_id: group,
                text: format!("[#{}] {body}", ticket.id),
                buttons: Vec::new(),
                contact_button: None,
                thread_id: None,
            },
        )
    }

    /// Posts a new ticket's card (and its attachments) into its topic.
    pub(crate) async fn announce_ticket(
        &self,
        tx: &mut Tx,
        out: &mut Vec<Outbound>,
        ticket_id: i64,
    ) -> Result<(), ServiceError> {
        let Some(group) = self.agents.chat_id else {
            return Ok(());
        };
        let Some(ticket) = agents::ticket(tx, ticket_id).await? else {
            return Ok(());
        };
        let account = accounts::by_chat(tx, ticket.chat_id).await?;
        let (who, username, id_masked) = match &account {
            Some(a) => {
                let kind = IdType::from_code(&a.id_type).unwrap_or(IdType::MainlandResident);
                let masked = IdNumber::parse(kind, &a.id_number, self.clock.today())
                    .map(|i| i.masked())
                    .unwrap_or_default();
                (
                    a.name.clone(),
                    Email::parse(&a.email)
                        .map(|e| e.masked())
                        .unwrap_or_default(),
                    masked,
                )
            }
            None => ("—".to_string(), "—".to_string(), "—".to_string()),
        };
        let card = Text::new("ticket-card")
            .arg("ticket", ticket.id.to_string())
            .arg_key(
                "kind",
                format!("ticket-kind-{}", ticket.kind.replace('_', "-")),
            )
            .arg("who", who)
            .arg("username", username)
            .arg("id_masked", id_masked)
            .arg("chat", ticket.chat_id.to_string())
            .arg("node", ticket.node.clone())
            .arg("detail", describe(&ticket.detail, &ticket.summary));
        let review = matches!(ticket.kind.as_str(), "id_review" | "photo" | "correction");
        let mut row = vec![button("ticket-take", ticket.id, "take")];
        if review {
            row.push(button("ticket-approve", ticket.id, "approve"));
            row.push(button("ticket-reject", ticket.id, "reject"));
        }
        let second = vec![
            button("ticket-release", ticket.id, "release"),
            button("ticket-close", ticket.id, "close"),
        ];
        let rows: Vec<Vec<OutButton>> = [row, second]
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|(key, data)| OutButton {
                        text: html_to_plain(&self.tree.texts.get(AGENT_LOCALE, key)),
                        data,
                    })
                    .collect()
            })
            .collect();
        let text = self.tree.texts.render(AGENT_LOCALE, &card);
        let card = Outbound::Text {
            chat_id: group,
            text,
            buttons: rows,
            contact_button: None,
            thread_id: None,
        };
        out.extend(self.to_topic(&ticket, card));
        for (file, is_photo) in attachments(&ticket.detail) {
            let caption = format!("#{}", ticket.id);
            let message = if is_photo {
                Outbound::Photo {
                    chat_id: group,
                    file: FileSource::TelegramId(file),
                    caption,
                    buttons: Vec::new(),
                }
            } else {
                Outbound::Document {
                    chat_id: group,
                    file: FileSource::TelegramId(file),
                    caption,
                }
            };
            out.extend(self.to_topic(&ticket, message));
        }
        Ok(())
    }

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
                Input::Button(data) if data.starts_with("t:") => {
                    self.agent_button(tx, inbound, data, now, &mut out).await?
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
        if let Input::Command(cmd) = &inbound.input {
            let name = match cmd {
                crate::dialogue::Command::Unknown(name) => name.as_str(),
                crate::dialogue::Command::Status => "stats",
                _ => "",
            };
            let text = match name {
                "queue" => Some(self.queue_text(tx, now).await?),
                "stats" => Some(self.stats_text(tx, now).await?),
                _ => None,
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
        let Place::Group {
            thread_id: Some(topic),
        } = inbound.place
        else {
            return Ok(out);
        };
        let Some(ticket) = agents::by_topic(tx, topic).await? else {
            return Ok(out);
        };
        if !self.may_act(inbound.user_id, inbound.chat_id) {
            tickets::audit(
                tx,
                &format!("user:{}", inbound.user_id),
                "agent_message_refused",
                &format!("ticket:{}", ticket.id),
                "",
                now,
            )
            .await?;
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
        match ticket.status.as_str() {
            "in_progress" => {
                self.relay_to_student(tx, &ticket, inbound, &mut out)
                    .await?
            }
            "open" => out.extend(self.topic_text(&ticket, &Text::new("ticket-take-first"))),
            _ => out.extend(self.topic_text(&ticket, &Text::new("ticket-closed-not-sent"))),
        }
        Ok(out)
    }

    async fn relay_to_student(
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
            self.say(
                turn,
                Text::new("ticket-closed").arg("ticket", ticket.id.to_string()),
            );
            return Ok(());
        }
        let Some(group) = self.agents.chat_id else {
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
        turn.out.extend(self.to_topic(&ticket, message));
        Ok(())
    }

    /// `t:{ticket}:{action}` pressed: returns the text key of the answer to the press.
    async fn agent_button(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        data: &str,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<&'static str, ServiceError> {
        let mut parts = data.split(':').skip(1);
        let (id, action) = (
            parts.next().and_then(|i| i.parse::<i64>().ok()),
            parts.next().unwrap_or_default(),
        );
        let ticket = match id {
            Some(id) => agents::ticket(tx, id).await?,
            None => None,
        };
        let actor = format!("user:{}", inbound.user_id);
        let Some(ticket) = ticket else {
            return Ok("stale-button");
        };
        if !self.may_act(inbound.user_id, inbound.chat_id) {
            tickets::audit(
                tx,
                &actor,
                "agent_action_refused",
                &format!("ticket:{}", ticket.id),
                action,
                now,
            )
            .await?;
            return Ok("agent-not-allowed");
        }
        if ticket.status == "closed" {
            return Ok("ticket-already-closed");
        }
        tickets::audit(
            tx,
            &format!("agent:{}", inbound.user_id),
            &format!("ticket_{action}"),
            &format!("ticket:{}", ticket.id),
            &inbound.user_name,
            now,
        )
        .await?;
        let student_locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        match action {
            "take" => {
                agents::take(tx, ticket.id, inbound.user_id, &inbound.user_name, now).await?;
                agents::set_handed_over(tx, ticket.chat_id, true).await?;
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
            }
            "release" | "close" => {
                agents::set_status(
                    tx,
                    ticket.id,
                    if action == "close" { "closed" } else { "open" },
                    now,
                )
                .await?;
                self.hand_back(tx, &ticket, action == "close", now, out)
                    .await?;
                out.extend(self.topic_text(
                    &ticket,
                    &Text::new(if action == "close" {
                        "ticket-closed-topic"
                    } else {
                        "ticket-released"
                    }),
                ));
            }
            "approve" => {
                self.decide(tx, &ticket, true, None, inbound, now, out)
                    .await?
            }
            "reject" => {
                agents::await_reason(tx, ticket.id, Some(inbound.user_id)).await?;
                out.extend(self.topic_text(&ticket, &Text::new("ticket-ask-reason")));
            }
            _ => return Ok("stale-button"),
        }
        Ok("button-done")
    }

    /// Gives the chat back to the bot: the student is told and shown their step again.
    async fn hand_back(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        closed: bool,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        agents::set_handed_over(tx, ticket.chat_id, false).await?;
        let Some(chat) = load_chat(tx, ticket.chat_id).await? else {
            return Ok(());
        };
        let locale = chat.state.locale;
        let key = if closed {
            "ticket-closed"
        } else {
            "agent-released"
        };
        out.extend(render::text(
            &self.tree,
            locale,
            ticket.chat_id,
            &Text::new(key).arg("ticket", ticket.id.to_string()),
        ));
        let step = Engine::new(&self.tree, self.clock.today()).reprompt(&chat.state);
        for effect in step.effects {
            if let crate::dialogue::Effect::Reply(reply) = effect {
                out.extend(render::reply(&self.tree, locale, ticket.chat_id, &reply));
            }
        }
        let _ = now;
        Ok(())
    }

    /// Approves or rejects a review ticket; the outcome reaches the student's dialogue in
    /// this same transaction.
    #[allow(clippy::too_many_arguments)]
    async fn decide(
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
        match ticket.kind.as_str() {
            "id_review" => {
                if let Some(review) = duplicates::review_of_ticket(tx, ticket.id).await? {
                    self.decide_review_in(tx, review, approve, reason, &agent, now)
                        .await?;
                }
            }
            "photo" | "correction" => {
                if approve && let Some(record) = ticket.record_id {
                    let which = if ticket.kind == "photo" {
                        Confirmation::Photo
                    } else {
                        Confirmation::Info
                    };
                    records::confirm(tx, record, which, now).await?;
                }
                let key = match (ticket.kind.as_str(), approve) {
                    ("photo", true) => "review-photo-approved",
                    ("photo", false) => "review-photo-rejected",
                    (_, true) => "review-correction-approved",
                    _ => "review-correction-rejected",
                };
                let text = Text::new(key)
                    .arg("ticket", ticket.id.to_string())
                    .arg("reason", reason.unwrap_or_default());
                out.extend(render::text(&self.tree, locale, ticket.chat_id, &text));
            }
            _ => {}
        }
        agents::set_status(
            tx,
            ticket.id,
            if approve { "resolved" } else { "rejected" },
            now,
        )
        .await?;
        agents::set_handed_over(tx, ticket.chat_id, false).await?;
        tickets::audit(
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

    async fn queue_text(&self, tx: &mut Tx, now: i64) -> Result<String, ServiceError> {
        let queue = agents::queue(tx, 30).await?;
        let lines: Vec<String> = queue
            .iter()
            .map(|t| {
                let minutes = (now - t.created_at) / 60_000;
                let link = match (self.agents.chat_id, t.topic_id) {
                    (Some(group), Some(topic)) => {
                        format!(" https://t.me/c/{}/{topic}", internal_id(group))
                    }
                    _ => String::new(),
                };
                format!(
                    "#{} · {} · {} · {minutes} min{link}",
                    t.id, t.kind, t.status
                )
            })
            .collect();
        Ok(self.tree.texts.render(
            AGENT_LOCALE,
            &Text::new("agent-queue")
                .arg("count", queue.len().to_string())
                .arg("list", lines.join("\n")),
        ))
    }

    async fn stats_text(&self, tx: &mut Tx, now: i64) -> Result<String, ServiceError> {
        let times = agents::times(tx).await?;
        let day_start = now - (now + 8 * 3_600_000).rem_euclid(86_400_000);
        let count = |s: &str| times.iter().filter(|t| t.0 == s).count().to_string();
        let resolved_today = times
            .iter()
            .filter(|t| t.3.is_some_and(|r| r >= day_start))
            .count();
        let first: Vec<i64> = times.iter().filter_map(|t| t.2.map(|f| f - t.1)).collect();
        let resolution: Vec<i64> = times.iter().filter_map(|t| t.3.map(|r| r - t.1)).collect();
        let text = Text::new("agent-stats")
            .arg("open", count("open"))
            .arg("in_progress", count("in_progress"))
            .arg("resolved_today", resolved_today.to_string())
            .arg("first_response", median_minutes(first))
            .arg("resolution", median_minutes(resolution));
        Ok(self.tree.texts.render(AGENT_LOCALE, &text))
    }
}

async fn load_chat(tx: &mut Tx, chat_id: i64) -> Result<Option<ChatRow>, ServiceError> {
    Ok(chat_state::load(tx, chat_id).await?)
}

fn button(key: &'static str, ticket: i64, action: &str) -> (&'static str, String) {
    (key, format!("t:{ticket}:{action}"))
}

/// The median of durations in milliseconds, in whole minutes ("—" when there are none).
pub fn median_minutes(mut values: Vec<i64>) -> String {
    if values.is_empty() {
        return "—".into();
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    let median = if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    };
    format!("{}", median / 60_000)
}

/// `-1001234567890` → `1234567890`, the form t.me/c links use.
fn internal_id(group: i64) -> String {
    let s = group.to_string();
    s.strip_prefix("-100")
        .map(str::to_string)
        .unwrap_or_else(|| s.trim_start_matches('-').to_string())
}

/// A short description of a ticket's details for the card.
fn describe(detail: &str, summary: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(detail) else {
        return summary.to_string();
    };
    let mut lines = Vec::new();
    if let Some(fields) = value.get("fields").and_then(Value::as_array) {
        for f in fields {
            lines.push(format!(
                "{} → {}",
                f["field"].as_str().unwrap_or_default(),
                f["value"].as_str().unwrap_or_default()
            ));
        }
    }
    if let Some(reason) = value.get("reason").and_then(Value::as_str) {
        lines.push(format!(
            "reason: {reason} {}",
            value["text"].as_str().unwrap_or_default()
        ));
    }
    if lines.is_empty() {
        summary.to_string()
    } else {
        lines.join("\n")
    }
}

/// Files attached to a ticket: (Telegram file id, is a photo).
fn attachments(detail: &str) -> Vec<(String, bool)> {
    let Ok(value) = serde_json::from_str::<Value>(detail) else {
        return Vec::new();
    };
    let mut files: Vec<Value> = value
        .get("evidence")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in ["front", "back", "replacement"] {
        if let Some(v) = value.get(key).filter(|v| !v.is_null()) {
            files.push(v.clone());
        }
    }
    files
        .into_iter()
        .filter_map(|v| serde_json::from_value::<FileRef>(v).ok())
        .filter(|f| !f.file_id.starts_with("stored:"))
        .map(|f| {
            let photo =
                f.mime.as_deref().is_some_and(|m| m.starts_with("image/")) && f.name.is_none();
            (f.file_id, photo)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_links() {
        assert_eq!(median_minutes(vec![]), "—");
        assert_eq!(median_minutes(vec![60_000, 180_000, 120_000]), "2");
        assert_eq!(median_minutes(vec![60_000, 180_000]), "2");
        assert_eq!(internal_id(-1001234567890), "1234567890");
    }
}
