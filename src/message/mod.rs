//! Messages: what the bot takes in (`Inbound`) and sends out (`Outbound`) — the language the
//! Telegram adapter, the console, the store's inbox and outbox and the tests all speak.

use crate::dialogue::Input;
use crate::domain::Callback;

mod lane;

pub use lane::{
    ANY_LANE, GROUP_YIELD_MS, Lane, LaneKind, TIDY_YIELD_MS, paced_sql, yield_ms, yield_sql,
};
use serde::{Deserialize, Serialize};

/// Where a message came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    Private,
    /// A group or supergroup (the agents' workspace), with the forum topic if any.
    Group {
        thread_id: Option<i64>,
    },
}

/// One update, converted at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    /// Telegram's update_id; `None` for the console.
    pub update_id: Option<i64>,
    pub chat_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub language_code: Option<String>,
    pub message_id: Option<i64>,
    /// Set for button presses: the query to answer.
    pub callback_id: Option<String>,
    pub place: Place,
    pub input: Input,
    #[serde(default)]
    pub meta: Meta,
}

/// An update from Telegram as the inbox keeps it: its id and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub update_id: i64,
    pub inbound: Inbound,
}

/// What else a message says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The message it answers (in the same chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<i64>,
    /// The start of the answered message's text: a "[#N]" there still names the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_text: Option<String>,
    /// An edit of the message `message_id`, not a new message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
    /// The words after a command (`/find 12` → `12`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub args: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutButton {
    pub text: String,
    pub data: Callback,
}

/// A file to send: one Telegram already has, or a stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileSource {
    TelegramId(String),
    Stored(String),
}

/// Something to deliver. Texts are final HTML in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outbound {
    Text {
        chat_id: i64,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<OutButton>>,
        /// Label of a "share my phone number" reply-keyboard button.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact_button: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_id: Option<i64>,
    },
    Photo {
        chat_id: i64,
        file: FileSource,
        caption: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<OutButton>>,
    },
    Document {
        chat_id: i64,
        file: FileSource,
        caption: String,
    },
    /// A stored file sent under a name of its own (a report, a chart), as a photo or a
    /// document, into a forum topic when `thread_id` is given.
    File {
        chat_id: i64,
        /// The stored file ([`crate::files::FileStore`]).
        key: String,
        /// The name the recipient sees (`完成情况-2022级计算机1班-2026-06-01.xlsx`).
        name: String,
        caption: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        photo: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_id: Option<i64>,
    },
    AnswerCallback {
        callback_id: String,
        text: Option<String>,
    },
    /// The message a student pressed a button on, turned into what comes next (its text and
    /// buttons replaced), so the current step stays in one place; sent as a new message
    /// when it can no longer be edited.
    EditText {
        chat_id: i64,
        message_id: i64,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<OutButton>>,
    },
    /// Removes the buttons under a message that was answered.
    ClearButtons { chat_id: i64, message_id: i64 },
    /// Replaces the buttons under a message (those that still apply).
    SetButtons {
        chat_id: i64,
        message_id: i64,
        buttons: Vec<Vec<OutButton>>,
    },
    Email {
        to: String,
        subject: String,
        body: String,
        /// Told to the student if the mail cannot be delivered at all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_failure: Option<Box<Outbound>>,
    },
    Sms {
        to: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_failure: Option<Box<Outbound>>,
    },
    /// A message into a ticket's forum topic in the agents' group; the topic is created on
    /// first use (and again if it was deleted).
    ToTicket {
        ticket: i64,
        topic_name: String,
        group: i64,
        message: Box<Outbound>,
        /// This is the ticket's card: its message id is kept so the card can be redrawn.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        card: bool,
        /// The student's messages this relays (several when merged), for the message-id map.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sources: Vec<i64>,
    },
    /// Redraws a ticket's card (once it was sent) with new text and buttons.
    EditCard {
        ticket: i64,
        group: i64,
        text: String,
        buttons: Vec<Vec<OutButton>>,
    },
    /// A message with follow-ups: one when Telegram accepted it, one when it failed for good.
    Tracked {
        message: Box<Outbound>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_sent: Option<Box<Outbound>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_failure: Option<Box<Outbound>>,
    },
    /// A copy relayed between a student and an agent: it answers `reply_to` in its chat, and
    /// once sent it is recorded as the copy of `source` (chat, message) in the ticket's map.
    Relayed {
        ticket: i64,
        message: Box<Outbound>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<(i64, i64)>,
    },
    /// A ticket's card for an agent's private chat (`/inbox on`): delivered only if, when it
    /// goes, the agent is still listed in `AGENT_IDS` or Telegram still calls them a member
    /// of `group`; dropped otherwise, so a removed agent gets no card queued before removal.
    ToAgent {
        agent: i64,
        group: i64,
        message: Box<Outbound>,
    },
    /// A reaction on a message (an agent's reply marked as delivered).
    React {
        chat_id: i64,
        message_id: i64,
        emoji: String,
    },
    /// Deletes a message the bot sent (what it posted about a student who erased their data).
    DeleteMessage { chat_id: i64, message_id: i64 },
    /// Deletes a ticket's forum topic with everything in it (card, relayed messages, scans).
    DeleteTopic { group: i64, topic_id: i64 },
}

impl Outbound {
    /// A text with inline buttons (or none) into a chat, outside any topic.
    pub fn text(chat_id: i64, text: String, buttons: Vec<Vec<OutButton>>) -> Outbound {
        Outbound::Text {
            chat_id,
            text,
            buttons,
            contact_button: None,
            thread_id: None,
        }
    }

    /// What to send instead when this delivery fails for good.
    pub fn on_failure(&self) -> Option<&Outbound> {
        match self {
            Outbound::Email { on_failure, .. }
            | Outbound::Sms { on_failure, .. }
            | Outbound::Tracked { on_failure, .. } => on_failure.as_deref(),
            _ => None,
        }
    }

    /// What to send once this delivery was accepted.
    pub fn on_sent(&self) -> Option<&Outbound> {
        match self {
            Outbound::Tracked { on_sent, .. } => on_sent.as_deref(),
            _ => None,
        }
    }

    /// The lane whose order this delivery keeps.
    pub fn lane(&self) -> Lane {
        match self {
            Outbound::Text { chat_id, .. }
            | Outbound::Photo { chat_id, .. }
            | Outbound::Document { chat_id, .. }
            | Outbound::File { chat_id, .. }
            | Outbound::EditText { chat_id, .. } => Lane::Chat(*chat_id),
            Outbound::AnswerCallback { callback_id, .. } => Lane::Callback(callback_id.clone()),
            Outbound::ClearButtons { chat_id, .. } | Outbound::SetButtons { chat_id, .. } => {
                Lane::Edit(*chat_id)
            }
            Outbound::Email { to, .. } => Lane::Mail(to.clone()),
            Outbound::Sms { to, .. } => Lane::Sms(to.clone()),
            Outbound::ToTicket { group, .. } => Lane::Chat(*group),
            Outbound::Tracked { message, .. }
            | Outbound::Relayed { message, .. }
            | Outbound::ToAgent { message, .. } => message.lane(),
            Outbound::React { chat_id, .. } | Outbound::DeleteMessage { chat_id, .. } => {
                Lane::Edit(*chat_id)
            }
            Outbound::DeleteTopic { group, .. } => Lane::Edit(*group),
            Outbound::EditCard { ticket, .. } => Lane::Card(*ticket),
        }
    }

    /// Marks a message into a ticket's topic as the ticket's card.
    pub fn as_card(self) -> Outbound {
        match self {
            Outbound::ToTicket {
                ticket,
                topic_name,
                group,
                message,
                sources,
                ..
            } => Outbound::ToTicket {
                ticket,
                topic_name,
                group,
                message,
                card: true,
                sources,
            },
            other => other,
        }
    }
}

/// Telegram's limit for a message text; longer texts are split below it.
pub const TEXT_LIMIT: usize = 4096;
/// Splitting happens at line breaks below this size, leaving room for markup.
const SPLIT_AT: usize = 3900;

/// Splits a long text into pieces under Telegram's limit, at line breaks where possible.
pub fn split_text(text: &str) -> Vec<String> {
    if text.chars().count() <= SPLIT_AT {
        return vec![text.to_string()];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if current.chars().count() + line.chars().count() > SPLIT_AT && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        if line.chars().count() > SPLIT_AT {
            let chars: Vec<char> = line.chars().collect();
            for chunk in chars.chunks(SPLIT_AT) {
                pieces.push(chunk.iter().collect());
            }
        } else {
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_below_the_limit_and_keep_everything() {
        for len in [10, 3899, 3900, 3901, 8000, 20_000] {
            let text: String = (0..len)
                .map(|i| if i % 50 == 49 { '\n' } else { '字' })
                .collect();
            let pieces = split_text(&text);
            assert!(
                pieces.iter().all(|p| p.chars().count() <= TEXT_LIMIT),
                "len {len}"
            );
            assert_eq!(pieces.concat(), text);
        }
        let no_breaks = "a".repeat(9000);
        let pieces = split_text(&no_breaks);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces.concat(), no_breaks);
    }
}
