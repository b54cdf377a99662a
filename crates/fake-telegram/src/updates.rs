//! Test users and the updates they produce: texts, button presses, photos, documents,
//! stickers, group messages, replies and edits.

use crate::FakeTelegram;
use crate::state::{State, Topic, unix_now};
use serde_json::{Value, json};

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

    /// The user writes `text` in the private chat; a leading `/command` gets a bot_command entity.
    pub fn user_text(&self, user: &TestUser, text: &str) -> i64 {
        self.push_with(|st| {
            let mut msg = st.user_message(user, user.id, None);
            set_text(&mut msg, text);
            json!({ "message": msg })
        })
    }

    /// The user presses an inline button with `data` under the bot's message `message_id` in the
    /// private chat (its current content; an inaccessible message if unknown or deleted; in
    /// load mode, where messages are not kept, the bot's message with no content).
    pub fn user_press(&self, user: &TestUser, message_id: i64, data: &str) -> i64 {
        self.push_with(|st| {
            st.users.insert(user.id, user.clone());
            st.serial += 1;
            let id = format!("{}{:06}", user.id.unsigned_abs(), st.serial);
            let message = match st.messages.get(&(user.id, message_id)) {
                Some(stored) => stored.msg.clone(),
                None if st.load.on => st.unkept_message(user.id, message_id),
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

impl State {
    pub(crate) fn user_message(
        &mut self,
        user: &TestUser,
        chat: i64,
        thread: Option<i64>,
    ) -> Value {
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
