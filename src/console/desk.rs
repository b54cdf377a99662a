//! The agents' group in the console: tickets' topics kept as the bot would keep Telegram's
//! (a topic per ticket, the card's message id), what goes into them printed for the agent
//! who is in that topic and announced in a line to everyone else.

use super::screen::{Screen, paint, shown};
use crate::domain::Callback;
use crate::message::Outbound;
use crate::service::ServiceError;
use crate::service::desk::topics::Topics;
use std::collections::HashMap;

/// The console's agents' group (a forum supergroup's id is negative).
pub const CONSOLE_GROUP: i64 = -1_000_000_000_001;
/// The console's agent (`/agent` types as them).
pub const CONSOLE_AGENT: i64 = 1_000;
/// A ticket's topic is its number plus this, so a topic always names its ticket.
const TOPIC_BASE: i64 = 1_000;

/// The group's state as the console shows it.
pub(super) struct Desk {
    topics: Topics,
    /// Message ids handed out for what the bot posts into the group.
    next_message: i64,
    /// What was posted into each ticket's topic, as printed.
    transcripts: HashMap<i64, Vec<String>>,
    /// The ticket whose topic the agent has open; `None`: the group's general chat.
    pub open: Option<i64>,
    /// Whether the agent is the one typing.
    pub typing: bool,
    /// What the numbers press in the open topic (the card's buttons).
    pub buttons: Vec<Callback>,
}

impl Desk {
    pub fn new(topics: Topics) -> Desk {
        Desk {
            topics,
            next_message: 1,
            transcripts: HashMap::new(),
            open: None,
            typing: false,
            buttons: Vec::new(),
        }
    }

    /// The topic of a ticket, and the ticket of a topic.
    pub fn topic(ticket: i64) -> i64 {
        ticket + TOPIC_BASE
    }

    fn ticket_of(thread: Option<i64>) -> Option<i64> {
        thread.map(|t| t - TOPIC_BASE).filter(|t| *t > 0)
    }

    /// A message id for a message the agent types.
    pub fn next_id(&mut self) -> i64 {
        self.next_message += 1;
        self.next_message
    }

    /// Delivers what the bot sends into the group: keeps the topic and the card's message id
    /// as the Telegram adapter does, and prints it.
    pub async fn deliver(&mut self, screen: &Screen, out: &Outbound) -> Result<(), ServiceError> {
        let ticket = match out {
            Outbound::ToTicket {
                ticket,
                group,
                card,
                ..
            } => {
                if self.topics.topic_of(*ticket).await?.is_none() {
                    self.topics
                        .keep_topic(*ticket, Desk::topic(*ticket), *group)
                        .await?;
                }
                if *card {
                    let id = self.next_id();
                    self.topics.keep_card(*ticket, id).await?;
                }
                Some(*ticket)
            }
            Outbound::EditCard { ticket, .. } => Some(*ticket),
            Outbound::Relayed { ticket, .. } => Some(*ticket),
            Outbound::Text { thread_id, .. } => Desk::ticket_of(*thread_id),
            Outbound::File { thread_id, .. } => Desk::ticket_of(*thread_id),
            Outbound::DeleteTopic { topic_id, .. } => Desk::ticket_of(Some(*topic_id)),
            _ => None,
        };
        let Some((text, buttons)) = shown(out) else {
            return Ok(());
        };
        let is_card = matches!(
            out,
            Outbound::EditCard { .. } | Outbound::ToTicket { card: true, .. }
        );
        if matches!(out, Outbound::React { .. }) {
            // A reaction marks the agent's reply as delivered to the student.
            if self.typing {
                screen.say(paint::NOTE, &format!("{text} delivered"));
            }
            return Ok(());
        }
        // The card is shown as it stands when the topic is opened, not as it was.
        if let (Some(ticket), false) = (ticket, is_card) {
            self.transcripts
                .entry(ticket)
                .or_default()
                .push(text.clone());
        }
        if self.typing && self.open == ticket {
            screen.say(paint::BOT, &text);
            let pressed = screen.buttons(&buttons);
            if is_card || !pressed.is_empty() {
                self.buttons = pressed;
            }
        } else {
            let place = match ticket {
                Some(t) => format!("ticket #{t}'s topic"),
                None => "the general chat".into(),
            };
            let first = text.lines().next().unwrap_or_default();
            let first: String = first.chars().take(60).collect();
            let line = format!("  ↳ agents' group, {place}: {first}  (/agent to see it)");
            screen.say(paint::NOTE, &line);
        }
        Ok(())
    }

    /// Opens a ticket's topic: its card as it stands, with its buttons, and what was posted
    /// there since the console started.
    pub async fn open_topic(&mut self, screen: &Screen, ticket: i64) -> Result<bool, ServiceError> {
        let Some((text, buttons)) = self.topics.card(ticket).await? else {
            return Ok(false);
        };
        self.open = Some(ticket);
        screen.say(paint::NOTE, &format!("— ticket #{ticket}'s topic —"));
        for earlier in self.transcripts.get(&ticket).into_iter().flatten() {
            screen.say(paint::NOTE, earlier);
        }
        screen.say(paint::BOT, &crate::dialogue::texts::html_to_plain(&text));
        self.buttons = screen.buttons(&buttons);
        Ok(true)
    }

    /// The card's message id, which a press on its buttons names.
    pub async fn card_message(&self, ticket: i64) -> Result<Option<i64>, ServiceError> {
        self.topics.card_of(ticket).await
    }
}
