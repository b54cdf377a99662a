//! The one map of what the bot reacts to: a dptree handler tree that turns a Telegram
//! `Update` into the engine's `Inbound`, or says why it is ignored. Fallback last.

use crate::dialogue::engine::{Command, FileRef, Input};
use crate::domain::{Callback, Content};
use crate::message::{Inbound, Meta, Place};
use dptree::prelude::*;
use std::ops::ControlFlow;
use std::sync::Arc;
use teloxide::types::{CallbackQuery, Chat, Message, Update, UpdateKind, User};

/// What became of an update at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    Inbound(Box<Inbound>),
    /// Not for the bot; the reason is for logs and metrics.
    Ignored(&'static str),
}

/// The bot's own username, to tell `/start@thisbot` from `/start@otherbot`.
#[derive(Debug, Clone)]
pub struct BotName(pub Arc<str>);

pub type Route = Handler<'static, Routed>;

/// The routing tree.
pub fn schema() -> Route {
    dptree::entry()
        .branch(callbacks())
        .branch(private_messages())
        .branch(group_messages())
        .branch(edited_messages())
        .branch(dptree::endpoint(|update: Update| async move {
            Routed::Ignored(ignored_kind(&update))
        }))
}

/// Runs the tree over one update.
pub async fn route(schema: &Route, bot: &BotName, update: Update) -> Routed {
    match schema.dispatch(dptree::deps![update, bot.clone()]).await {
        ControlFlow::Break(routed) => routed,
        ControlFlow::Continue(_) => Routed::Ignored("unrouted"),
    }
}

fn callbacks() -> Route {
    dptree::filter_map(|update: Update| match update.kind {
        UpdateKind::CallbackQuery(q) => Some(q),
        _ => None,
    })
    .endpoint(|update: Update, query: CallbackQuery| async move {
        let (chat_id, message_id, place) = match &query.message {
            Some(m) => (
                m.chat().id.0,
                Some(i64::from(m.id().0)),
                place_of(m.chat(), None),
            ),
            None => (user_id(&query.from), None, Place::Private),
        };
        let data: String = query
            .data
            .clone()
            .unwrap_or_default()
            .chars()
            .take(64)
            .collect();
        Routed::Inbound(Box::new(Inbound {
            update_id: Some(i64::from(update.id.0)),
            chat_id,
            user_id: user_id(&query.from),
            user_name: display_name(&query.from),
            language_code: query.from.language_code.clone(),
            message_id,
            callback_id: Some(query.id.0.clone()),
            place,
            input: Input::Button(Callback::decode(&data)),
            meta: Meta::default(),
        }))
    })
}

fn private_messages() -> Route {
    dptree::filter_map(|update: Update| match update.kind {
        UpdateKind::Message(m) if m.chat.is_private() && m.from.as_ref().is_some_and(|u| !u.is_bot) => Some(m),
        _ => None,
    })
    .endpoint(|update: Update, message: Message, bot: BotName| async move {
        inbound(&update, &message, &bot)
    })
}

fn group_messages() -> Route {
    dptree::filter_map(|update: Update| match update.kind {
        UpdateKind::Message(m)
            if (m.chat.is_group() || m.chat.is_supergroup()) && m.from.as_ref().is_some_and(|u| !u.is_bot) =>
        {
            Some(m)
        }
        _ => None,
    })
    .endpoint(|update: Update, message: Message, bot: BotName| async move {
        inbound(&update, &message, &bot)
    })
}

/// An edit of a message in a private chat or a group (relayed as a notice while an agent
/// holds the ticket, ignored otherwise).
fn edited_messages() -> Route {
    dptree::filter_map(|update: Update| match update.kind {
        UpdateKind::EditedMessage(m)
            if (m.chat.is_private() || m.chat.is_group() || m.chat.is_supergroup())
                && m.from.as_ref().is_some_and(|u| !u.is_bot) =>
        {
            Some(m)
        }
        _ => None,
    })
    .endpoint(
        |update: Update, message: Message, bot: BotName| async move {
            match inbound(&update, &message, &bot) {
                Routed::Inbound(mut inbound) => {
                    inbound.meta.edited = true;
                    Routed::Inbound(inbound)
                }
                ignored => ignored,
            }
        },
    )
}

fn inbound(update: &Update, message: &Message, bot: &BotName) -> Routed {
    let Some(from) = message.from.as_ref() else {
        return Routed::Ignored("no sender");
    };
    let thread_id = message.thread_id.map(|t| i64::from(t.0.0));
    let Some(input) = input_of(message, bot) else {
        return Routed::Ignored("addressed to another bot");
    };
    Routed::Inbound(Box::new(Inbound {
        update_id: Some(i64::from(update.id.0)),
        chat_id: message.chat.id.0,
        user_id: user_id(from),
        user_name: display_name(from),
        language_code: from.language_code.clone(),
        message_id: Some(i64::from(message.id.0)),
        callback_id: None,
        place: place_of(&message.chat, thread_id),
        input,
        meta: meta_of(message),
    }))
}

/// The answered message and a command's words, as the service needs them.
fn meta_of(message: &Message) -> Meta {
    let replied = message.reply_to_message();
    let args = message
        .text()
        .filter(|t| t.starts_with('/'))
        .and_then(|t| t.split_once(char::is_whitespace))
        .map(|(_, rest)| clean_text(rest.trim()).chars().take(128).collect())
        .unwrap_or_default();
    Meta {
        reply_to: replied.map(|m| i64::from(m.id.0)),
        reply_text: replied
            .and_then(|m| m.text().or(m.caption()))
            .map(|t| t.chars().take(64).collect()),
        edited: false,
        args,
    }
}

/// The engine's view of a message; `None` for a command addressed to another bot.
fn input_of(message: &Message, bot: &BotName) -> Option<Input> {
    if let Some(text) = message.text() {
        let text = clean_text(text);
        if let Some(command) = text.strip_prefix('/') {
            let word = command.split_whitespace().next().unwrap_or_default();
            let (name, addressee) = word.split_once('@').unwrap_or((word, ""));
            let valid = !name.is_empty()
                && name.len() <= 32
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if valid {
                if !addressee.is_empty() && !addressee.eq_ignore_ascii_case(&bot.0) {
                    return None;
                }
                return Some(Input::Command(Command::parse(name)));
            }
        }
        return Some(Input::Text(text));
    }
    if let Some(sizes) = message.photo() {
        // Telegram lists sizes smallest first; the largest is the one to keep.
        return Some(match sizes.iter().max_by_key(|p| p.width * p.height) {
            Some(p) => Input::Photo(FileRef {
                file_id: p.file.id.0.clone(),
                unique_id: p.file.unique_id.0.clone(),
                size: i64::from(p.file.size),
                mime: Some("image/jpeg".into()),
                name: None,
                content: Content::Unchecked,
                caption: message.caption().map(clean_text),
            }),
            None => Input::Unsupported("photo".into()),
        });
    }
    if let Some(doc) = message.document() {
        return Some(Input::Document(FileRef {
            file_id: doc.file.id.0.clone(),
            unique_id: doc.file.unique_id.0.clone(),
            size: i64::from(doc.file.size),
            mime: doc.mime_type.as_ref().map(|m| m.essence_str().to_string()),
            name: doc.file_name.as_deref().map(clean_text),
            content: Content::Unchecked,
            caption: message.caption().map(clean_text),
        }));
    }
    if let Some(contact) = message.contact() {
        let own = match (contact.user_id, message.from.as_ref()) {
            (Some(contact_user), Some(from)) => contact_user == from.id,
            _ => false,
        };
        return Some(Input::Contact {
            phone: contact.phone_number.clone(),
            own,
        });
    }
    Some(Input::Unsupported(unsupported_kind(message).into()))
}

fn unsupported_kind(message: &Message) -> &'static str {
    if message.sticker().is_some() {
        "sticker"
    } else if message.voice().is_some() || message.audio().is_some() {
        "voice"
    } else if message.location().is_some() || message.venue().is_some() {
        "location"
    } else {
        "other"
    }
}

/// Drops zero-width, bidirectional and control characters (keeping line breaks), which
/// only ever hide what a text really says.
pub fn clean_text(raw: &str) -> String {
    raw.chars()
        .filter(|c| {
            !matches!(c,
                '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
                && (*c == '\n' || !c.is_control())
        })
        .collect()
}

fn place_of(chat: &Chat, thread_id: Option<i64>) -> Place {
    if chat.is_private() {
        Place::Private
    } else {
        Place::Group { thread_id }
    }
}

fn user_id(user: &User) -> i64 {
    i64::try_from(user.id.0).unwrap_or(i64::MAX)
}

fn display_name(user: &User) -> String {
    let name = match &user.last_name {
        Some(last) => format!("{} {last}", user.first_name),
        None => user.first_name.clone(),
    };
    clean_text(&name).chars().take(64).collect()
}

fn ignored_kind(update: &Update) -> &'static str {
    match &update.kind {
        UpdateKind::EditedMessage(_) => "edited message",
        UpdateKind::ChannelPost(_) | UpdateKind::EditedChannelPost(_) => "channel post",
        UpdateKind::MyChatMember(_) | UpdateKind::ChatMember(_) => "member update",
        UpdateKind::Message(_) => "message from a bot or a channel",
        UpdateKind::Error(_) => "unknown update kind",
        _ => "other update kind",
    }
}
