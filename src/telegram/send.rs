//! Delivers one `Outbound` through the Bot API: builds the request, and falls back to plain
//! text if Telegram cannot parse our HTML.

use super::api::{ApiError, BotApi};
use crate::dialogue::texts::html_to_plain;
use crate::files::FileStore;
use std::future::Future;
use std::pin::Pin;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
use crate::delivery::{ChatTransport, Delivering, Delivery};
use crate::message::{FileSource, OutButton, Outbound};
use crate::service::desk::topics::Topics;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::time::Duration;

pub(super) const TIMEOUT: Duration = Duration::from_secs(15);

/// Sends Outbound messages to Telegram.
#[derive(Debug, Clone)]
pub struct TelegramTransport {
    pub api: BotApi,
    pub files: FileStore,
    /// Where tickets' topics are kept (absent in tests of the transport alone).
    pub topics: Option<Topics>,
}

pub(super) fn keyboard(buttons: &[Vec<OutButton>]) -> Value {
    let rows: Vec<Vec<Value>> = buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| json!({"text": b.text, "callback_data": b.data}))
                .collect()
        })
        .collect();
    json!({ "inline_keyboard": rows })
}

impl ChatTransport for TelegramTransport {
    fn deliver<'a>(&'a self, out: &'a Outbound) -> Delivering<'a> {
        Box::pin(async move {
            match self.send(out).await {
                Ok(result) => Delivery::Sent(result),
                Err(ApiError::RetryAfter(s)) => Delivery::RetryAfter(s),
                Err(ApiError::Transient(e)) => Delivery::Transient(e),
                Err(ApiError::Permanent { description, .. }) => Delivery::Permanent(description),
            }
        })
    }
}

impl TelegramTransport {
    /// Sends `out`; the result is what to remember (the new message id).
    pub fn send<'a>(
        &'a self,
        out: &'a Outbound,
    ) -> BoxFuture<'a, Result<Option<String>, ApiError>> {
        Box::pin(async move {
            match out {
                Outbound::ToTicket {
                    ticket,
                    topic_name,
                    group,
                    message,
                    card,
                    sources,
                } => {
                    let sent = self
                        .send_to_topic(*ticket, topic_name, *group, message, *card)
                        .await?;
                    if *card {
                        self.remember_card(*ticket, sent.as_deref()).await;
                    }
                    for source in sources {
                        self.remember_copy(*ticket, None, *source, *group, sent.as_deref())
                            .await;
                    }
                    Ok(sent)
                }
                Outbound::Relayed {
                    ticket,
                    message,
                    reply_to,
                    source,
                } => {
                    let sent = self.deliver_with(message, None, *reply_to).await?;
                    if let (Some((chat, msg)), Some(copy_chat)) = (source, chat_of(message)) {
                        self.remember_copy(*ticket, Some(*chat), *msg, copy_chat, sent.as_deref())
                            .await;
                    }
                    Ok(sent)
                }
                Outbound::EditCard {
                    ticket,
                    group,
                    text,
                    buttons,
                } => self.edit_card(*ticket, *group, text, buttons).await,
                Outbound::Tracked { message, .. } => self.send(message).await,
                Outbound::ToAgent {
                    agent,
                    group,
                    message,
                } => {
                    if self.still_agent(*agent, *group).await? {
                        self.send(message).await
                    } else {
                        Err(ApiError::Permanent {
                            code: 0,
                            description: "the card's agent may no longer see tickets".into(),
                        })
                    }
                }
                Outbound::EditText {
                    chat_id,
                    message_id,
                    text,
                    buttons,
                } => {
                    self.edit_or_send(*chat_id, *message_id, text, buttons)
                        .await
                }
                other => self.deliver_in(other, None).await,
            }
        })
    }

    pub(super) async fn deliver_in(
        &self,
        out: &Outbound,
        thread: Option<i64>,
    ) -> Result<Option<String>, ApiError> {
        self.deliver_with(out, thread, None).await
    }

    /// Sends `out` into `thread` (a forum topic), answering `reply_to` if given (and still
    /// there).
    async fn deliver_with(
        &self,
        out: &Outbound,
        thread: Option<i64>,
        reply_to: Option<i64>,
    ) -> Result<Option<String>, ApiError> {
        match out {
            Outbound::Relayed {
                message, reply_to, ..
            } => Box::pin(self.deliver_with(message, thread, *reply_to)).await,
            Outbound::Text {
                chat_id,
                text,
                buttons,
                contact_button,
                thread_id,
            } => {
                let mut body = json!({ "chat_id": chat_id, "text": text, "parse_mode": "HTML",
                    "link_preview_options": { "is_disabled": true } });
                if !buttons.is_empty() {
                    body["reply_markup"] = keyboard(buttons);
                } else if let Some(label) = contact_button {
                    body["reply_markup"] = json!({ "keyboard": [[{ "text": label, "request_contact": true }]],
                        "one_time_keyboard": true, "resize_keyboard": true });
                }
                if let Some(thread) = thread.or(*thread_id) {
                    body["message_thread_id"] = json!(thread);
                }
                if let Some(reply_to) = reply_to {
                    body["reply_parameters"] = reply_parameters(reply_to);
                }
                self.send_html("sendMessage", body, "text").await
            }
            Outbound::Photo {
                chat_id,
                file,
                caption,
                buttons,
            } => {
                self.send_file(
                    "sendPhoto",
                    "photo",
                    *chat_id,
                    (thread, reply_to),
                    file,
                    caption,
                    buttons,
                )
                .await
            }
            Outbound::Document {
                chat_id,
                file,
                caption,
            } => {
                self.send_file(
                    "sendDocument",
                    "document",
                    *chat_id,
                    (thread, reply_to),
                    file,
                    caption,
                    &[],
                )
                .await
            }
            Outbound::File {
                chat_id,
                key,
                name,
                caption,
                photo,
                thread_id,
            } => {
                let (method, field) = if *photo {
                    ("sendPhoto", "photo")
                } else {
                    ("sendDocument", "document")
                };
                self.send_named(
                    method,
                    field,
                    *chat_id,
                    thread.or(*thread_id),
                    (key, name),
                    caption,
                )
                .await
            }
            Outbound::AnswerCallback { callback_id, text } => {
                let mut body = json!({ "callback_query_id": callback_id });
                if let Some(text) = text {
                    body["text"] = json!(text.chars().take(190).collect::<String>());
                }
                self.api
                    .call("answerCallbackQuery", &body, TIMEOUT)
                    .await
                    .map(|_| None)
            }
            Outbound::ClearButtons { .. } | Outbound::SetButtons { .. } => {
                let (chat_id, message_id, markup) = match out {
                    Outbound::SetButtons {
                        chat_id,
                        message_id,
                        buttons,
                    } => (chat_id, message_id, keyboard(buttons)),
                    Outbound::ClearButtons {
                        chat_id,
                        message_id,
                    } => (chat_id, message_id, json!({ "inline_keyboard": [] })),
                    _ => return Ok(None),
                };
                let body =
                    json!({ "chat_id": chat_id, "message_id": message_id, "reply_markup": markup });
                match self
                    .api
                    .call("editMessageReplyMarkup", &body, TIMEOUT)
                    .await
                {
                    // Already without buttons, or gone: either way there is nothing to press.
                    Err(ApiError::Permanent { description, .. })
                        if description.contains("not modified")
                            || description.contains("not found") =>
                    {
                        Ok(None)
                    }
                    other => other.map(|_| None),
                }
            }
            Outbound::React {
                chat_id,
                message_id,
                emoji,
            } => {
                let body = json!({ "chat_id": chat_id, "message_id": message_id,
                    "reaction": [{ "type": "emoji", "emoji": emoji }] });
                self.api
                    .call("setMessageReaction", &body, TIMEOUT)
                    .await
                    .map(|_| None)
            }
            Outbound::DeleteMessage {
                chat_id,
                message_id,
            } => {
                let body = json!({ "chat_id": chat_id, "message_id": message_id });
                gone_is_done(self.api.call("deleteMessage", &body, TIMEOUT).await)
            }
            Outbound::DeleteTopic { group, topic_id } => {
                let body = json!({ "chat_id": group, "message_thread_id": topic_id });
                gone_is_done(self.api.call("deleteForumTopic", &body, TIMEOUT).await)
            }
            Outbound::ToTicket { .. }
            | Outbound::Tracked { .. }
            | Outbound::EditCard { .. }
            | Outbound::EditText { .. }
            | Outbound::ToAgent { .. } => self.send(out).await,
            Outbound::Email { .. } | Outbound::Sms { .. } => Err(ApiError::Permanent {
                code: 0,
                description: "not a Telegram message".into(),
            }),
        }
    }

    /// Sends with HTML; if Telegram cannot parse it, sends the same words as plain text.
    pub(super) async fn send_html(
        &self,
        method: &str,
        mut body: Value,
        field: &str,
    ) -> Result<Option<String>, ApiError> {
        match self.api.call(method, &body, TIMEOUT).await {
            Err(ApiError::Permanent { description, .. })
                if description.contains("can't parse entities") =>
            {
                let plain = body[field].as_str().map(html_to_plain).unwrap_or_default();
                body[field] = json!(plain);
                if let Some(map) = body.as_object_mut() {
                    map.remove("parse_mode");
                }
                self.api
                    .call(method, &body, TIMEOUT)
                    .await
                    .map(|v| message_id(&v))
            }
            other => other.map(|v| message_id(&v)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_file(
        &self,
        method: &str,
        field: &str,
        chat_id: i64,
        (thread, reply_to): (Option<i64>, Option<i64>),
        file: &FileSource,
        caption: &str,
        buttons: &[Vec<OutButton>],
    ) -> Result<Option<String>, ApiError> {
        match file {
            FileSource::TelegramId(id) => {
                let mut body = json!({ "chat_id": chat_id, field: id, "caption": caption, "parse_mode": "HTML" });
                if let Some(thread) = thread {
                    body["message_thread_id"] = json!(thread);
                }
                if let Some(reply_to) = reply_to {
                    body["reply_parameters"] = reply_parameters(reply_to);
                }
                if !buttons.is_empty() {
                    body["reply_markup"] = keyboard(buttons);
                }
                self.send_html(method, body, "caption").await
            }
            FileSource::Stored(key) => {
                let bytes = match self.files.get(key).await {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        return Err(ApiError::Permanent {
                            code: 0,
                            description: e.to_string(),
                        });
                    }
                };
                let mut form = Form::new()
                    .text("chat_id", chat_id.to_string())
                    .text("caption", caption.to_string())
                    .text("parse_mode", "HTML")
                    .part(field.to_string(), Part::bytes(bytes).file_name(key.clone()));
                if !buttons.is_empty() {
                    form = form.text("reply_markup", keyboard(buttons).to_string());
                }
                if let Some(thread) = thread {
                    form = form.text("message_thread_id", thread.to_string());
                }
                if let Some(reply_to) = reply_to {
                    form = form.text("reply_parameters", reply_parameters(reply_to).to_string());
                }
                self.api
                    .call_multipart(method, form, TIMEOUT)
                    .await
                    .map(|v| message_id(&v))
            }
        }
    }
}

impl TelegramTransport {
    /// Uploads the stored file `key` as `name` (a report, a chart).
    async fn send_named(
        &self,
        method: &str,
        field: &str,
        chat_id: i64,
        thread: Option<i64>,
        (key, name): (&str, &str),
        caption: &str,
    ) -> Result<Option<String>, ApiError> {
        let bytes = self.files.get(key).await.map_err(|e| ApiError::Permanent {
            code: 0,
            description: e.to_string(),
        })?;
        let mut form = Form::new()
            .text("chat_id", chat_id.to_string())
            .text("caption", caption.to_string())
            .text("parse_mode", "HTML")
            .part(
                field.to_string(),
                Part::bytes(bytes).file_name(name.to_string()),
            );
        if let Some(thread) = thread {
            form = form.text("message_thread_id", thread.to_string());
        }
        self.api
            .call_multipart(method, form, TIMEOUT)
            .await
            .map(|v| message_id(&v))
    }
}

/// Answers a message if it is still there; sends anyway if it was deleted.
fn reply_parameters(message_id: i64) -> Value {
    json!({ "message_id": message_id, "allow_sending_without_reply": true })
}

/// The chat a message goes to.
fn chat_of(out: &Outbound) -> Option<i64> {
    match out {
        Outbound::Text { chat_id, .. }
        | Outbound::Photo { chat_id, .. }
        | Outbound::Document { chat_id, .. }
        | Outbound::File { chat_id, .. } => Some(*chat_id),
        _ => None,
    }
}

fn message_id(result: &Value) -> Option<String> {
    result
        .get("message_id")
        .and_then(Value::as_i64)
        .map(|id| id.to_string())
}

/// A deletion of what is already gone (or too old to delete) is done: nothing is left to do.
fn gone_is_done(result: Result<Value, ApiError>) -> Result<Option<String>, ApiError> {
    match result {
        Err(ApiError::Permanent { description, .. })
            if description.contains("not found")
                || description.contains("TOPIC_ID_INVALID")
                || description.contains("can't be deleted") =>
        {
            Ok(None)
        }
        other => other.map(|_| None),
    }
}
