//! Support agents: each ticket gets a forum topic in the agents' group with a card; agents
//! take over, relay both ways, release, close, and decide reviews — every action checked
//! against who sent it and recorded.

use crate::dialogue::engine::FileRef;
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Locale, Text};
use crate::domain::Email;
use crate::domain::callback::{Callback, TicketAction};
use crate::domain::ticket::{TicketKind, TicketStatus};
use crate::message::FileSource;
use crate::message::{OutButton, Outbound};
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx, accounts,
    tickets::{self, Ticket},
};
use serde_json::Value;

pub use crate::config::agents::Agents;
use crate::config::agents::RouteRule;

/// Agents read Chinese.
pub(crate) const AGENT_LOCALE: Locale = Locale::ZhCn;

impl Service {
    /// Whether an agents' group is configured, so a person can answer tickets.
    pub(crate) fn has_agents(&self) -> bool {
        self.agents.chat_id.is_some() || !self.agents.routes.is_empty()
    }

    /// Whether `chat_id` is one of the agents' groups.
    pub(crate) fn in_agent_chat(&self, chat_id: i64) -> bool {
        self.agents.chat_id == Some(chat_id) || self.agents.routes.iter().any(|r| r.1 == chat_id)
    }

    /// The agents' group of a ticket: where its topic is, else the one its kind is routed to.
    pub(crate) fn group_of(&self, ticket: &Ticket) -> Option<i64> {
        self.group_of_kind(ticket.agent_chat, Some(ticket.kind))
    }

    /// [`Service::group_of`] from the ticket's topic group and kind.
    pub(crate) fn group_of_kind(
        &self,
        agent_chat: Option<i64>,
        kind: Option<TicketKind>,
    ) -> Option<i64> {
        agent_chat.or_else(|| {
            self.agents
                .routes
                .iter()
                .find(|(rule, _)| matches!(rule, RouteRule::Kind(k) if Some(*k) == kind))
                .map(|r| r.1)
                .or(self.agents.chat_id)
        })
    }

    /// Whether `user` may act here (in the agents' group, or privately when listed).
    pub(crate) fn may_act(&self, user: i64, chat_id: i64) -> bool {
        if self.agents.ids.is_empty() {
            self.in_agent_chat(chat_id) && self.is_member(chat_id, user)
        } else {
            self.agents.ids.contains(&user)
        }
    }

    /// Whether `user` may take a decision on a ticket of the group `chat` (a button, `/take`):
    /// like [`Service::may_act`], with membership asked of Telegram just before.
    pub(crate) fn may_decide(&self, user: i64, chat: i64) -> bool {
        if self.agents.ids.is_empty() {
            self.in_agent_chat(chat) && self.fresh_member(chat, user) == Some(true)
        } else {
            self.agents.ids.contains(&user)
        }
    }

    pub(crate) fn to_topic(&self, ticket: &Ticket, message: Outbound) -> Option<Outbound> {
        let group = self.group_of(ticket)?;
        let name = format!(
            "#{} {}",
            ticket.id,
            self.tree.texts.get(
                AGENT_LOCALE,
                &format!("ticket-kind-{}", ticket.kind.text_key())
            )
        );
        Some(Outbound::ToTicket {
            ticket: ticket.id,
            topic_name: html_to_plain(&name),
            group,
            message: Box::new(message),
            card: false,
            sources: Vec::new(),
        })
    }

    pub(crate) fn topic_text(&self, ticket: &Ticket, text: &Text) -> Option<Outbound> {
        let group = self.group_of(ticket)?;
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
}

impl Service {
    /// The one-tap saved reply the card offers: the FAQ answer fitting what the student wrote.
    fn faq_button(&self, ticket: &Ticket) -> Option<OutButton> {
        let name = ticket
            .faq_hint
            .as_deref()
            .filter(|_| ticket.status.is_active())?;
        let list = crate::service::desk::faq_reply::answers(&self.tree);
        let (_, question, _) = list.iter().find(|(n, _, _)| n == name)?;
        let label = Text::new("ticket-send-faq").arg(
            "question",
            html_to_plain(&self.tree.texts.get(AGENT_LOCALE, question)),
        );
        Some(OutButton {
            text: html_to_plain(&self.tree.texts.render(AGENT_LOCALE, &label)),
            data: Callback::Ticket {
                ticket: ticket.id,
                action: TicketAction::SendFaq,
            },
        })
    }

    /// The ticket's status in words, with who holds it.
    pub(crate) fn status_words(&self, ticket: &Ticket) -> String {
        let key = format!("ticket-status-{}", ticket.status.text_key());
        let status = self.tree.texts.get(AGENT_LOCALE, &key);
        match (&ticket.agent_name, ticket.status) {
            (Some(agent), TicketStatus::InProgress) => {
                let held = Text::new("ticket-status-held")
                    .arg("status", html_to_plain(&status))
                    .arg("agent", agent.clone());
                html_to_plain(&self.tree.texts.render(AGENT_LOCALE, &held))
            }
            _ => html_to_plain(&status),
        }
    }

    /// The card's text and buttons: who, what, where, and the ticket's state now.
    pub(crate) async fn card(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        backlog: i64,
    ) -> Result<(String, Vec<Vec<OutButton>>), ServiceError> {
        let account = accounts::by_chat(tx, ticket.chat_id).await?;
        let (who, username, id_masked) = match &account {
            Some(a) => {
                let masked = self.masked_id(&a.id_type, &a.id_number);
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
            .arg_key("kind", format!("ticket-kind-{}", ticket.kind.text_key()))
            .arg("who", who)
            .arg("username", username)
            .arg("id_masked", id_masked)
            .arg("chat", ticket.chat_id.to_string())
            .arg("node", self.step_words(&ticket.node))
            .arg("detail", self.detail_words(&ticket.detail, &ticket.summary))
            .arg("status", self.status_words(ticket));
        let mut rows: Vec<Vec<OutButton>> = card_buttons(ticket)
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
        if let Some(suggested) = self.faq_button(ticket) {
            rows.insert(0, vec![suggested]);
        }
        let mut text = self.tree.texts.render(AGENT_LOCALE, &card);
        if let Some(line) = self.roster_line(tx, ticket.id).await? {
            text = format!("{text}\n{line}");
        }
        if !ticket.first_words.is_empty() {
            // The student's words as they typed them (the text's arguments are escaped).
            let line = Text::new("ticket-card-words").arg("words", ticket.first_words.clone());
            text = format!("{text}\n{}", self.tree.texts.render(AGENT_LOCALE, &line));
        }
        if backlog > 0 {
            let line = Text::new("ticket-card-backlog").arg("count", backlog.to_string());
            text = format!("{text}\n{}", self.tree.texts.render(AGENT_LOCALE, &line));
        }
        Ok((text, rows))
    }

    /// The ticket's card redrawn (its state, the relay backlog), for the agents' group.
    pub(crate) async fn card_update(
        &self,
        tx: &mut Tx,
        ticket_id: i64,
        backlog: i64,
    ) -> Result<Option<Outbound>, ServiceError> {
        let Some(ticket) = tickets::ticket(tx, ticket_id).await? else {
            return Ok(None);
        };
        let Some(group) = self.group_of(&ticket) else {
            return Ok(None);
        };
        let (text, buttons) = self.card(tx, &ticket, backlog).await?;
        Ok(Some(Outbound::EditCard {
            ticket: ticket.id,
            group,
            text,
            buttons,
        }))
    }
}

/// The buttons that apply to the ticket as it stands: take (and decide) while it waits,
/// decide, release or close while held, none once finished.
fn card_buttons(ticket: &Ticket) -> Vec<Vec<(&'static str, Callback)>> {
    let id = ticket.id;
    let decide = [
        button("ticket-approve", id, TicketAction::Approve),
        button("ticket-reject", id, TicketAction::Reject),
    ];
    let decide = if ticket.kind.is_review() {
        decide.to_vec()
    } else {
        Vec::new()
    };
    let close = button("ticket-close", id, TicketAction::Close);
    let rows = match ticket.status {
        TicketStatus::Open => {
            let mut first = vec![button("ticket-take", id, TicketAction::Take)];
            first.extend(decide);
            vec![first, vec![close]]
        }
        TicketStatus::InProgress => vec![
            decide,
            vec![button("ticket-release", id, TicketAction::Release), close],
        ],
        TicketStatus::Resolved | TicketStatus::Rejected | TicketStatus::Closed => Vec::new(),
    };
    rows.into_iter().filter(|r| !r.is_empty()).collect()
}

pub(crate) fn button(
    key: &'static str,
    ticket: i64,
    action: TicketAction,
) -> (&'static str, Callback) {
    (key, Callback::Ticket { ticket, action })
}

/// Files attached to a ticket: (Telegram file id, is a photo).
/// One attached file as posted in a ticket's topic, captioned with the ticket's number.
pub(crate) fn attachment(group: i64, file: String, is_photo: bool, ticket: i64) -> Outbound {
    let caption = format!("#{ticket}");
    let file = FileSource::TelegramId(file);
    if is_photo {
        Outbound::Photo {
            chat_id: group,
            file,
            caption,
            buttons: Vec::new(),
        }
    } else {
        Outbound::Document {
            chat_id: group,
            file,
            caption,
        }
    }
}

pub(crate) fn attachments(detail: &str) -> Vec<(String, bool)> {
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
