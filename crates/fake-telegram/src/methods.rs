//! The methods that are not sends or files: getMe, webhooks, commands, chat actions,
//! callback answers, deletions and reactions (which count against the limits).

use crate::error::{ApiError, ApiResult, bad};
use crate::files::MAX_DOWNLOAD;
use crate::params::{Params, Uploads, chat_id, flag, int, message_id, str_of};
use crate::state::State;
use serde_json::{Value, json};

impl State {
    pub(crate) fn apply(&mut self, method: &str, p: &Params, up: &Uploads) -> ApiResult {
        match method {
            "getme" => {
                let mut me = self.bot.clone();
                for (k, v) in [
                    ("can_join_groups", true),
                    ("can_read_all_group_messages", false),
                ] {
                    me[k] = v.into();
                }
                for k in [
                    "supports_inline_queries",
                    "can_connect_to_business",
                    "has_main_web_app",
                ] {
                    me[k] = false.into();
                }
                Ok(me)
            }
            "setwebhook" => self.set_webhook(p),
            "deletewebhook" => {
                if flag(p, "drop_pending_updates") {
                    self.pending.clear();
                }
                self.webhook = None;
                Ok(true.into())
            }
            "getwebhookinfo" => {
                let url = self.webhook.as_ref().map_or("", |(url, _)| url.as_str());
                Ok(
                    json!({"url": url, "has_custom_certificate": false, "pending_update_count": self.pending.len()}),
                )
            }
            "setmycommands" => self.set_commands(p),
            "deletemycommands" => {
                self.commands.remove(&commands_key(p));
                Ok(true.into())
            }
            "getmycommands" => Ok(self
                .commands
                .get(&commands_key(p))
                .cloned()
                .unwrap_or(json!([]))),
            "sendchataction" => self.chat_action(p),
            "answercallbackquery" => {
                let id = str_of(p, "callback_query_id").unwrap_or_default();
                if str_of(p, "text").is_some_and(|t| t.chars().count() > 200) {
                    return Err(bad("MESSAGE_TOO_LONG"));
                }
                if !self.callbacks.remove(id) {
                    return Err(bad(
                        "query is too old and response timeout expired or query ID is invalid",
                    ));
                }
                Ok(true.into())
            }
            "sendmessage" | "sendphoto" | "senddocument" | "copymessage" | "forwardmessage" => {
                self.send(method, p, up)
            }
            "editmessagetext" | "editmessagereplymarkup" => self.edit(method, p),
            "deletemessage" => {
                let key = (chat_id(p)?, message_id(p)?);
                let kept = self.messages.remove(&key).is_some();
                // In load mode messages are not kept: any of them may be deleted.
                (kept || self.load.on)
                    .then(|| true.into())
                    .ok_or_else(|| bad("message to delete not found"))
            }
            "getchatmember" => self.chat_member(p),
            "setmessagereaction" => {
                let key = (chat_id(p)?, message_id(p)?);
                if !(self.messages.contains_key(&key) || self.load.on) {
                    return Err(bad("message to react not found"));
                }
                self.take_send(key.0)?;
                Ok(true.into())
            }
            "getfile" => {
                let id = str_of(p, "file_id").unwrap_or_default();
                let file = self.files.get(id).ok_or_else(|| bad("invalid file_id"))?;
                if file.size > MAX_DOWNLOAD {
                    return Err(bad("file is too big"));
                }
                Ok(
                    json!({"file_id": id, "file_unique_id": format!("u{id}"), "file_size": file.size, "file_path": file.path}),
                )
            }
            m if m.ends_with("forumtopic") => self.topic(m, p),
            _ => Err(ApiError::new(404, "Not Found")),
        }
    }

    pub(crate) fn set_webhook(&mut self, p: &Params) -> ApiResult {
        let url = str_of(p, "url").unwrap_or_default();
        let secret = str_of(p, "secret_token").map(str::to_owned);
        // Delivering to instances on loopback (see `deliver_to_webhooks`), plain HTTP will do.
        let loopback = self.fanout.on && url.starts_with("http://");
        if url.is_empty() {
            self.webhook = None;
        } else if !url.starts_with("https://") && !loopback {
            return Err(bad(
                "bad webhook: An HTTPS URL must be provided for webhook",
            ));
        } else {
            if self.fanout.on {
                self.fanout.add(url, secret.clone());
            }
            self.webhook = Some((url.to_owned(), secret));
        }
        if flag(p, "drop_pending_updates") {
            self.pending.clear();
        }
        Ok(true.into())
    }

    pub(crate) fn set_commands(&mut self, p: &Params) -> ApiResult {
        let commands = p
            .get("commands")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("can't parse commands JSON object"))?;
        for c in commands {
            let command = c["command"].as_str().unwrap_or_default();
            let valid = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_';
            if command.is_empty() || command.len() > 32 || !command.chars().all(valid) {
                return Err(bad("BOT_COMMAND_INVALID"));
            }
            let description = c["description"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count();
            if description == 0 || description > 256 {
                return Err(bad("BOT_COMMAND_DESCRIPTION_INVALID"));
            }
        }
        self.commands
            .insert(commands_key(p), Value::Array(commands.clone()));
        Ok(true.into())
    }

    pub(crate) fn chat_action(&self, p: &Params) -> ApiResult {
        const ACTIONS: &[&str] = &[
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note",
        ];
        let chat = chat_id(p)?;
        if !ACTIONS.contains(&str_of(p, "action").unwrap_or_default()) {
            return Err(bad("wrong parameter action in request"));
        }
        self.check_chat(chat, int(p, "message_thread_id"))?;
        Ok(true.into())
    }
}

pub(crate) fn commands_key(p: &Params) -> String {
    let scope = p
        .get("scope")
        .map_or_else(|| "default".to_owned(), Value::to_string);
    format!("{scope}/{}", str_of(p, "language_code").unwrap_or_default())
}
