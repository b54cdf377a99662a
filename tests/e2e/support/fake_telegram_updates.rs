//! Part of the fake Telegram server (`fake_telegram.rs`): test users and the updates they
//! produce, plus the API's text, markup and parameter checks and the helpers behind them.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Value, json};

use super::{
    ApiError, ApiResult, FakeTelegram, Params, Sent, Shared, State, Stored, Topic, bad, int,
    unix_now,
};

/// A Telegram user talking to the bot (private chat id = user id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

impl TestUser {
    /// A user named `User{id}`; an empty `lang` means no `language_code`.
    pub fn new(id: i64, lang: &str) -> TestUser {
        let language_code = (!lang.is_empty()).then(|| lang.to_owned());
        TestUser {
            id,
            first_name: format!("User{id}"),
            language_code,
        }
    }

    pub(super) fn json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(lang) = &self.language_code {
            user["language_code"] = lang.clone().into();
        }
        user
    }
}

impl FakeTelegram {
    /// Queues an update; assigns the next `update_id` unless it has one (re-using an id pushes
    /// a duplicate). Returns the id. Updates with an id below a confirmed offset are forgotten.
    pub fn push_update(&self, update: Value) -> i64 {
        self.push_with(|_| update)
    }

    fn push_with(&self, build: impl FnOnce(&mut State) -> Value) -> i64 {
        let id = {
            let mut st = self.lock();
            let update = build(&mut st);
            st.push_update(update)
        };
        self.shared.updates.notify_waiters();
        id
    }

    /// Updates pushed but not yet confirmed by a getUpdates offset.
    pub fn pending_updates(&self) -> usize {
        self.lock().pending.len()
    }

    /// Takes every waiting update, oldest first, as Telegram does when it posts them to a
    /// webhook (the test then posts them to the bot's webhook endpoints).
    pub fn take_updates(&self) -> Vec<Value> {
        let mut st = self.lock();
        let taken: Vec<Value> = st.pending.drain(..).map(|(_, u)| u).collect();
        if let Some(last) = taken.last().and_then(|u| u["update_id"].as_i64()) {
            st.confirmed = st.confirmed.max(last + 1);
        }
        taken
    }

    /// The last `offset` received by getUpdates (0 before any).
    pub fn last_offset(&self) -> i64 {
        self.lock().last_offset
    }

    /// The user writes `text` in the private chat; a leading `/command` gets a bot_command entity.
    pub fn user_text(&self, user: &TestUser, text: &str) -> i64 {
        self.push_with(|st| {
            let mut msg = st.user_message(user, user.id, None);
            set_text(&mut msg, text);
            json!({ "message": msg })
        })
    }

    /// The user presses an inline button with `data` under the bot's message `message_id` in the
    /// private chat (its current content; an inaccessible message if unknown or deleted).
    pub fn user_press(&self, user: &TestUser, message_id: i64, data: &str) -> i64 {
        self.push_with(|st| {
            st.users.insert(user.id, user.clone());
            st.serial += 1;
            let id = format!("{}{:06}", user.id.unsigned_abs(), st.serial);
            let message = match st.messages.get(&(user.id, message_id)) {
                Some(stored) => stored.msg.clone(),
                None => json!({"chat": st.chat_obj(user.id), "message_id": message_id, "date": 0}),
            };
            let query = json!({
                "id": id, "from": user.json(), "message": message,
                "chat_instance": format!("{}", user.id.wrapping_mul(7919)), "data": data,
            });
            json!({ "callback_query": query })
        })
    }

    /// The user sends a photo (a thumbnail `{file_id}_thumb` and the full size `file_id`).
    pub fn user_photo(
        &self,
        user: &TestUser,
        file_id: &str,
        size: i64,
        caption: Option<&str>,
    ) -> i64 {
        self.push_with(|st| {
            let thumb = format!("{file_id}_thumb");
            st.declare_file(&thumb, size / 10, None, None);
            st.declare_file(file_id, size, None, None);
            let mut msg = st.user_message(user, user.id, None);
            msg["photo"] = json!([
                {"file_id": thumb, "file_unique_id": format!("u{thumb}"), "file_size": size / 10, "width": 90, "height": 68},
                {"file_id": file_id, "file_unique_id": format!("u{file_id}"), "file_size": size, "width": 1280, "height": 960},
            ]);
            if let Some(caption) = caption {
                msg["caption"] = caption.into();
            }
            json!({ "message": msg })
        })
    }

    /// The user sends a document.
    pub fn user_document(
        &self,
        user: &TestUser,
        file_id: &str,
        file_name: &str,
        mime: &str,
        size: i64,
    ) -> i64 {
        self.push_with(|st| {
            st.declare_file(file_id, size, Some(file_name), Some(mime));
            let mut msg = st.user_message(user, user.id, None);
            msg["document"] = json!({
                "file_id": file_id, "file_unique_id": format!("u{file_id}"), "file_name": file_name,
                "mime_type": mime, "file_size": size,
            });
            json!({ "message": msg })
        })
    }

    /// The user sends a sticker (content the bot does not expect).
    pub fn user_sticker(&self, user: &TestUser) -> i64 {
        self.push_with(|st| {
            let mut msg = st.user_message(user, user.id, None);
            let file_id = format!("CAACfake{}", msg["message_id"]);
            msg["sticker"] = json!({
                "file_id": file_id, "file_unique_id": format!("u{file_id}"), "type": "regular",
                "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍",
            });
            json!({ "message": msg })
        })
    }

    /// `from` writes `text` in the supergroup `chat_id`, in topic `thread_id` if given (in a forum
    /// chat, the topic is created if it does not exist).
    pub fn group_text(
        &self,
        chat_id: i64,
        thread_id: Option<i64>,
        from: &TestUser,
        text: &str,
    ) -> i64 {
        self.push_with(|st| {
            if let (Some(thread), Some(topics)) = (thread_id, st.forums.get_mut(&chat_id)) {
                let name = format!("Topic {thread}");
                topics.entry(thread).or_insert(Topic {
                    name,
                    icon_color: 0x6FB9F0,
                    emoji: None,
                    closed: false,
                });
                let last = st.last_message_id.entry(chat_id).or_insert(0);
                *last = (*last).max(thread);
            }
            let mut msg = st.user_message(from, chat_id, thread_id);
            set_text(&mut msg, text);
            json!({ "message": msg })
        })
    }
}

impl FakeTelegram {
    /// `from` writes `text` in the group `chat_id` (topic `thread_id` if given), answering the
    /// message `reply_to` there. Returns the new message's id.
    pub fn group_reply(
        &self,
        chat_id: i64,
        thread_id: Option<i64>,
        from: &TestUser,
        text: &str,
        reply_to: i64,
    ) -> i64 {
        let mut id = 0;
        self.push_with(|st| {
            let mut msg = st.user_message(from, chat_id, thread_id);
            set_text(&mut msg, text);
            if let Some(stored) = st.messages.get(&(chat_id, reply_to)) {
                let mut answered = stored.msg.clone();
                answered
                    .as_object_mut()
                    .map(|m| m.remove("reply_to_message"));
                msg["reply_to_message"] = answered;
            }
            id = msg["message_id"].as_i64().unwrap_or(0);
            json!({ "message": msg })
        });
        id
    }

    /// The author of message `message_id` in `chat_id` edits its text to `text`.
    pub fn edit_text(&self, chat_id: i64, message_id: i64, text: &str) -> i64 {
        self.push_with(|st| {
            let mut msg = st
                .messages
                .get(&(chat_id, message_id))
                .map(|s| s.msg.clone())
                .unwrap_or_else(|| panic!("fake telegram: no message {message_id} in {chat_id}"));
            set_text(&mut msg, text);
            msg["edit_date"] = unix_now().into();
            json!({ "edited_message": msg })
        })
    }

    /// The id of the newest message in `chat_id` (by anyone).
    pub fn newest_message_id(&self, chat_id: i64) -> i64 {
        self.lock()
            .last_message_id
            .get(&chat_id)
            .copied()
            .unwrap_or(0)
    }
}

impl Shared {
    pub(super) async fn get_updates(&self, p: &Params) -> ApiResult {
        let limit = int(p, "limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = Duration::from_secs(int(p, "timeout").unwrap_or(0).clamp(0, 3600) as u64);
        let generation = {
            let mut st = self.lock();
            if st.webhook.is_some() {
                return Err(ApiError::new(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ));
            }
            if let Some(offset) = int(p, "offset") {
                st.confirm(offset);
            }
            if let Some(Value::Array(kinds)) = p.get("allowed_updates") {
                st.allowed_updates = kinds
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
            }
            st.poll_generation += 1;
            st.poll_generation
        };
        // Wake an older long poll: like Telegram, it ends with 409 Conflict.
        self.updates.notify_waiters();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.updates.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let st = self.lock();
                if st.poll_generation != generation {
                    return Err(ApiError::new(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    ));
                }
                let batch = st.batch(limit);
                if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                    return Ok(Value::Array(batch));
                }
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

impl State {
    fn push_update(&mut self, mut update: Value) -> i64 {
        assert!(
            update.is_object(),
            "fake telegram: an update must be a JSON object"
        );
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                update["update_id"] = self.next_update_id.into();
                self.next_update_id
            }
        };
        self.next_update_id = self.next_update_id.max(id + 1);
        if let Some(query_id) = update["callback_query"]["id"].as_str() {
            self.callbacks.insert(query_id.to_owned());
        }
        for kind in ["message", "edited_message", "channel_post"] {
            let msg = &update[kind];
            if let (Some(chat), Some(mid)) =
                (msg["chat"]["id"].as_i64(), msg["message_id"].as_i64())
            {
                let last = self.last_message_id.entry(chat).or_insert(0);
                *last = (*last).max(mid);
                self.messages.insert(
                    (chat, mid),
                    Stored {
                        msg: msg.clone(),
                        raw: Value::Null,
                    },
                );
            }
        }
        if id >= self.confirmed {
            let at = self.pending.partition_point(|(pending, _)| *pending <= id);
            self.pending.insert(at, (id, update));
        }
        id
    }

    fn confirm(&mut self, offset: i64) {
        self.last_offset = offset;
        if offset > 0 {
            self.confirmed = self.confirmed.max(offset);
            let confirmed = self.confirmed;
            self.pending.retain(|(id, _)| *id >= confirmed);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let forget = self.pending.len().saturating_sub(keep);
            self.pending.drain(..forget);
            if let Some((first, _)) = self.pending.first() {
                self.confirmed = self.confirmed.max(*first);
            }
        }
    }

    fn batch(&self, limit: usize) -> Vec<Value> {
        let allowed = |u: &Value| {
            let kind = u
                .as_object()
                .and_then(|o| o.keys().find(|k| *k != "update_id"));
            self.allowed_updates.is_empty()
                || kind.is_some_and(|k| self.allowed_updates.contains(k))
        };
        self.pending
            .iter()
            .map(|(_, u)| u)
            .filter(|u| allowed(u))
            .take(limit)
            .cloned()
            .collect()
    }

    fn user_message(&mut self, user: &TestUser, chat: i64, thread: Option<i64>) -> Value {
        self.users.insert(user.id, user.clone());
        let id = self.next_message_id(chat);
        let mut msg = json!({"message_id": id, "from": user.json(), "chat": self.chat_obj(chat), "date": unix_now()});
        if let Some(thread) = thread {
            msg["message_thread_id"] = thread.into();
            if self.forums.contains_key(&chat) {
                msg["is_topic_message"] = true.into();
            }
        }
        msg
    }
}

fn set_text(msg: &mut Value, text: &str) {
    msg["text"] = text.into();
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        let length = command.encode_utf16().count();
        msg["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
}

/// Fields set to `false` in an administrator ChatMember.
pub(super) const ADMIN_FLAGS: &[&str] = &[
    "can_be_edited",
    "is_anonymous",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
];

/// Fields set to `false` in a restricted ChatMember.
pub(super) const RESTRICTED_FLAGS: &[&str] = &[
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
];

/// A form/multipart/query value as JSON: numbers, booleans, objects and arrays are parsed,
/// except for parameters that are always strings.
pub(super) fn coerce(key: &str, value: &str) -> Value {
    const STRINGS: &[&str] = &[
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "name",
        "file_id",
        "photo",
        "document",
        "action",
        "language_code",
        "inline_message_id",
        "icon_custom_emoji_id",
        "business_connection_id",
        "message_effect_id",
        "file_path",
    ];
    match serde_json::from_str::<Value>(value) {
        Ok(parsed) if !STRINGS.contains(&key) && !parsed.is_string() => parsed,
        _ => value.into(),
    }
}

/// splitmix64: the next number in [0, 1).
pub(super) fn next_f64(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Checks a text or caption like the API and returns it as displayed (entities removed).
pub(super) fn check_text(
    raw: &str,
    parse_mode: Option<&str>,
    max_chars: usize,
    empty_error: Option<&str>,
    too_long_error: &str,
) -> Result<String, ApiError> {
    let plain = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(raw.to_owned()),
        Some("html") => parse_html(raw),
        // Markdown flavours are accepted without checks (the bot under test uses HTML).
        Some("markdownv2" | "markdown") => Ok(raw.to_owned()),
        Some(_) => return Err(bad("unsupported parse_mode")),
    }
    .map_err(|e| bad(&format!("can't parse entities: {e}")))?;
    if let Some(empty_error) = empty_error
        && plain.trim().is_empty()
    {
        return Err(bad(empty_error));
    }
    if plain.chars().count() > max_chars {
        return Err(bad(too_long_error));
    }
    Ok(plain)
}

/// The displayed form of a text, if it parses.
fn plain(raw: &str, parse_mode: Option<&str>) -> Option<String> {
    check_text(raw, parse_mode, usize::MAX, None, "").ok()
}

/// Whether the message's text or caption, as sent or as displayed, contains `needle`.
pub(super) fn contains(sent: &Sent, needle: &str) -> bool {
    let parse_mode = sent.body.get("parse_mode").and_then(Value::as_str);
    [&sent.text, &sent.caption]
        .into_iter()
        .flatten()
        .any(|raw| {
            raw.contains(needle) || plain(raw, parse_mode).is_some_and(|p| p.contains(needle))
        })
}

fn parse_html(s: &str) -> Result<String, String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "code",
        "pre",
        "a",
        "tg-spoiler",
        "span",
        "blockquote",
        "tg-emoji",
    ];
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i..];
        if c == '<' {
            let end = rest
                .find('>')
                .ok_or_else(|| format!("Unclosed start tag at byte offset {i}"))?;
            let tag = &rest[1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim().to_ascii_lowercase();
                match open.pop() {
                    Some(expected) if expected == name => {}
                    Some(expected) => {
                        return Err(format!(
                            "Unmatched end tag at byte offset {i}, expected \"</{expected}>\", found \"</{name}>\""
                        ));
                    }
                    None => return Err(format!("Unexpected end tag at byte offset {i}")),
                }
            } else {
                let name = tag
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !TAGS.contains(&name.as_str()) || (name == "span" && !tag.contains("tg-spoiler"))
                {
                    return Err(format!(
                        "Unsupported start tag \"{name}\" at byte offset {i}"
                    ));
                }
                open.push(name);
            }
            i += end + 1;
        } else if c == '&' {
            let entity = rest
                .find(';')
                .map(|end| (&rest[1..end], end))
                .filter(|(e, _)| e.len() <= 10);
            let decoded = entity.and_then(|(e, end)| decode_entity(e).map(|ch| (ch, end)));
            let (ch, end) = decoded.ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as \"&amp;\"")
            })?;
            out.push(ch);
            i += end + 1;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    match open.pop() {
        Some(tag) => Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        )),
        None => Ok(out),
    }
}

fn decode_entity(entity: &str) -> Option<char> {
    match entity {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let code = entity.strip_prefix('#')?;
            let code = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Parses (it may arrive as a JSON string) and checks `reply_markup`.
pub(super) fn check_markup(markup: Option<&Value>) -> Result<Option<Value>, ApiError> {
    const INVALID: &str = "can't parse reply keyboard markup JSON object";
    const ACTIONS: &[&str] = &[
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ];
    let markup = match markup {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s).map_err(|_| bad(INVALID))?,
        Some(v) => v.clone(),
    };
    let kinds = [
        "inline_keyboard",
        "keyboard",
        "remove_keyboard",
        "force_reply",
    ];
    if !kinds.iter().any(|k| markup.get(k).is_some()) {
        return Err(bad(INVALID));
    }
    let Some(rows) = markup.get("inline_keyboard") else {
        return Ok(Some(markup));
    };
    let not_array = || {
        bad("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
    };
    for row in rows.as_array().ok_or_else(not_array)? {
        for button in row.as_array().ok_or_else(not_array)? {
            if button.get("text").and_then(Value::as_str).is_none() {
                return Err(bad(
                    "can't parse inline keyboard button: Can't find field \"text\"",
                ));
            }
            if let Some(data) = button.get("callback_data") {
                let len = data.as_str().map_or(0, str::len);
                if len == 0 || len > 64 {
                    return Err(bad("BUTTON_DATA_INVALID"));
                }
            } else if !ACTIONS.iter().any(|a| button.get(a).is_some()) {
                return Err(bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                ));
            }
            if let Some(url) = button.get("url")
                && !url.as_str().is_some_and(|u| {
                    ["http://", "https://", "tg://"]
                        .iter()
                        .any(|p| u.starts_with(p))
                })
            {
                return Err(bad("BUTTON_URL_INVALID"));
            }
        }
    }
    Ok(Some(markup))
}

/// The panic message of a timed-out wait: what was sent to the chat and what failed.
pub(super) fn dump(st: &State, chat_id: i64, what: &str, timeout: Duration) -> String {
    let mut s = format!(
        "fake telegram: timed out after {timeout:?} waiting for {what}\nsent to chat {chat_id}:\n"
    );
    let mut any = false;
    for sent in st.sent.iter().filter(|x| x.chat_id == chat_id) {
        any = true;
        let content = sent
            .text
            .as_deref()
            .or(sent.caption.as_deref())
            .unwrap_or("");
        let _ = write!(
            s,
            "  #{} {} at {:?}: {content:?}",
            sent.message_id, sent.method, sent.at
        );
        let buttons = sent.buttons();
        let _ = if buttons.is_empty() {
            writeln!(s)
        } else {
            writeln!(s, " buttons {buttons:?}")
        };
    }
    if !any {
        s.push_str("  (nothing)\n");
    }
    let failed: Vec<_> = st
        .calls
        .iter()
        .filter(|c| c.status != 200 && c.method != "getupdates")
        .collect();
    if !failed.is_empty() {
        s.push_str("failed calls (any chat):\n");
        for call in failed {
            let description = call
                .response
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("no response");
            let _ = writeln!(
                s,
                "  {} chat {} at {:?}: {} {description}",
                call.method, call.body["chat_id"], call.at, call.status
            );
        }
    }
    let mut others: Vec<i64> = st
        .sent
        .iter()
        .map(|x| x.chat_id)
        .filter(|c| *c != chat_id)
        .collect();
    others.sort_unstable();
    others.dedup();
    let _ = writeln!(s, "other chats with sent messages: {others:?}");
    s
}
