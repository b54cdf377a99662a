//! Sending, copying, forwarding and editing messages, with the API's checks.

use crate::error::{ApiError, ApiResult, bad};
use crate::params::{Params, Uploads, chat_id, flag, int, message_id, str_of};
use crate::state::{State, Stored, unix_now};
use crate::text::{check_markup, check_text};
use crate::types::Sent;
use serde_json::{Map, Value, json};
use std::time::Instant;

/// Message fields that describe the envelope, not the content (not copied by copyMessage).
pub(crate) const ENVELOPE: &[&str] = &[
    "message_id",
    "from",
    "chat",
    "date",
    "message_thread_id",
    "is_topic_message",
    "reply_markup",
    "reply_to_message",
    "edit_date",
    "forward_origin",
    "sender_chat",
];
pub(crate) const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply \
    markup are exactly the same as a current content and reply markup of the message";

pub(crate) fn raw_content(
    text: Option<&str>,
    caption: Option<&str>,
    parse_mode: Option<&str>,
) -> Value {
    json!({"text": text, "caption": caption, "parse_mode": parse_mode})
}

impl State {
    pub(crate) fn send(&mut self, method: &str, p: &Params, up: &Uploads) -> ApiResult {
        let chat = chat_id(p)?;
        let thread = int(p, "message_thread_id");
        let parse_mode = str_of(p, "parse_mode");
        let mut content = Map::new();
        let (mut text, mut caption) = (None, None);
        match method {
            "sendmessage" => {
                let raw = str_of(p, "text").unwrap_or_default();
                let plain = check_text(
                    raw,
                    parse_mode,
                    4096,
                    Some("message text is empty"),
                    "message is too long",
                )?;
                content.insert("text".into(), plain.into());
                text = Some(raw.to_owned());
            }
            "sendphoto" | "senddocument" => {
                let kind = method.trim_start_matches("send");
                content.insert(kind.into(), self.input_file(p, up, kind)?);
            }
            _ => {
                let verb = if method == "copymessage" {
                    "copy"
                } else {
                    "forward"
                };
                let key = (
                    int(p, "from_chat_id").ok_or_else(|| bad("chat not found"))?,
                    message_id(p)?,
                );
                let source = self
                    .messages
                    .get(&key)
                    .ok_or_else(|| bad(&format!("message to {verb} not found")))?;
                for (k, v) in source.msg.as_object().into_iter().flatten() {
                    if !ENVELOPE.contains(&k.as_str()) {
                        content.insert(k.clone(), v.clone());
                    }
                }
                if verb == "forward" {
                    let origin = json!({"type": "user", "sender_user": source.msg["from"], "date": source.msg["date"]});
                    content.insert("forward_origin".into(), origin);
                }
                text = content
                    .get("text")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                caption = content
                    .get("caption")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
            }
        }
        if let Some(raw) =
            str_of(p, "caption").filter(|_| method != "forwardmessage" && text.is_none())
        {
            let plain = check_text(raw, parse_mode, 1024, None, "message caption is too long")?;
            content.insert("caption".into(), plain.into());
            caption = Some(raw.to_owned());
        }
        let markup = check_markup(p.get("reply_markup"))?;
        let reply = self.reply_target(chat, p)?;
        self.check_chat(chat, thread)?;
        let now = Instant::now();
        self.check_rate(chat, now)?;

        let id = self.next_message_id(chat);
        let mut msg = json!({"message_id": id, "from": self.bot, "chat": self.chat_obj(chat), "date": unix_now()});
        if let Some(fields) = msg.as_object_mut() {
            fields.extend(content);
        }
        if let Some(thread) = thread {
            msg["message_thread_id"] = thread.into();
            if self.forums.contains_key(&chat) {
                msg["is_topic_message"] = true.into();
            }
        }
        if let Some(reply) = reply {
            msg["reply_to_message"] = reply;
        }
        if let Some(inline) = markup.as_ref().filter(|m| has_buttons(m)) {
            msg["reply_markup"] = inline.clone();
        }
        self.count_send(chat, now);
        let at = self.started.elapsed();
        let shown = text.as_deref().or(caption.as_deref());
        self.note_reply(chat, id, at, markup.as_ref(), shown);
        if self.load.on {
            // Under load neither the message nor the send is kept (see `set_load_mode`).
            return Ok(if method == "copymessage" {
                json!({ "message_id": id })
            } else {
                msg
            });
        }
        let raw = raw_content(text.as_deref(), caption.as_deref(), parse_mode);
        self.messages.insert(
            (chat, id),
            Stored {
                msg: msg.clone(),
                raw,
            },
        );
        let (body, reply_markup) = (Value::Object(p.clone()), markup);
        let sent = Sent {
            method: method.to_owned(),
            chat_id: chat,
            message_id: id,
            thread_id: thread,
            text,
            caption,
            reply_markup,
            body,
            at,
        };
        self.sent.push(sent);
        Ok(if method == "copymessage" {
            json!({ "message_id": id })
        } else {
            msg
        })
    }

    pub(crate) fn reply_target(&self, chat: i64, p: &Params) -> Result<Option<Value>, ApiError> {
        let params = p.get("reply_parameters").and_then(Value::as_object);
        let Some(id) = params
            .and_then(|r| int(r, "message_id"))
            .or_else(|| int(p, "reply_to_message_id"))
        else {
            return Ok(None);
        };
        let reply_chat = params.and_then(|r| int(r, "chat_id")).unwrap_or(chat);
        match self.messages.get(&(reply_chat, id)) {
            Some(stored) => {
                let mut reply = stored.msg.clone();
                reply.as_object_mut().map(|m| m.remove("reply_to_message"));
                Ok(Some(reply))
            }
            None if params.is_some_and(|r| flag(r, "allow_sending_without_reply"))
                || flag(p, "allow_sending_without_reply") =>
            {
                Ok(None)
            }
            None => Err(bad("message to be replied not found")),
        }
    }

    pub(crate) fn edit(&mut self, method: &str, p: &Params) -> ApiResult {
        if p.contains_key("inline_message_id") {
            return Err(bad("MESSAGE_ID_INVALID"));
        }
        let key = (chat_id(p)?, message_id(p)?);
        let parse_mode = str_of(p, "parse_mode");
        let markup = check_markup(p.get("reply_markup"))?.filter(has_buttons);
        self.check_chat(key.0, None)?;
        // Edits count against the limits like messages (checked before the edit's own
        // checks would refuse it; a refused edit is not counted).
        let now = Instant::now();
        self.check_rate(key.0, now)?;
        if self.load.on && !self.messages.contains_key(&key) {
            let edited = self.edit_unkept(method, key, p, markup.clone())?;
            self.count_send(key.0, now);
            self.note_edit(method, key, &edited, p, false);
            return Ok(edited);
        }
        let bot_id = self.bot["id"].clone();
        let stored = self
            .messages
            .get_mut(&key)
            .ok_or_else(|| bad("message to edit not found"))?;
        if stored.msg["from"]["id"] != bot_id {
            return Err(bad("message can't be edited"));
        }
        let mut msg = stored.msg.clone();
        let mut raw = stored.raw.clone();
        if method == "editmessagetext" {
            if msg.get("text").is_none() {
                return Err(bad("there is no text in the message to edit"));
            }
            let text = str_of(p, "text").unwrap_or_default();
            msg["text"] = check_text(
                text,
                parse_mode,
                4096,
                Some("message text is empty"),
                "message is too long",
            )?
            .into();
            raw = raw_content(Some(text), None, parse_mode);
        }
        if raw == stored.raw && markup.as_ref() == msg.get("reply_markup") {
            return Err(bad(NOT_MODIFIED));
        }
        match markup {
            Some(markup) => msg["reply_markup"] = markup,
            None => {
                msg.as_object_mut().map(|m| m.remove("reply_markup"));
            }
        }
        msg["edit_date"] = unix_now().into();
        *stored = Stored {
            msg: msg.clone(),
            raw,
        };
        self.count_send(key.0, now);
        self.note_edit(method, key, &msg, p, true);
        Ok(msg)
    }

    /// A private chat's message edited into new text is, to whoever reads the chat, the
    /// bot's next answer: it joins the chat's replies and, outside load mode, the sent
    /// messages (as `editmessagetext`, with the message's id), so that tests and the bench
    /// see it where the answer to a press now is.
    fn note_edit(&mut self, method: &str, key: (i64, i64), msg: &Value, p: &Params, keep: bool) {
        let (chat, id) = key;
        if method != "editmessagetext" || chat <= 0 {
            return;
        }
        let at = self.started.elapsed();
        // As sent: the text with its markup, like a sent message's.
        let text = str_of(p, "text").map(str::to_owned);
        let markup = msg.get("reply_markup").cloned();
        self.note_reply(chat, id, at, markup.as_ref(), text.as_deref());
        if keep {
            self.sent.push(Sent {
                method: method.to_owned(),
                chat_id: chat,
                message_id: id,
                thread_id: None,
                text,
                caption: None,
                reply_markup: markup,
                body: Value::Object(p.clone()),
                at,
            });
        }
    }
}

/// An inline keyboard with at least one button (an empty one means "no keyboard").
pub(crate) fn has_buttons(markup: &Value) -> bool {
    let rows = markup.get("inline_keyboard").and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .any(|row| !row.is_empty())
}
