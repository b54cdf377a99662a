//! What a test sets up and reads back: members, blocked chats, forums, limits, faults, and
//! the calls and messages seen.

use crate::FakeTelegram;
use crate::types::{Call, Chaos, Fault, Sent};
use serde_json::Value;
use std::time::Duration;

impl FakeTelegram {
    /// The bot's own User object (as in `from` of sent messages).
    pub fn bot_user(&self) -> Value {
        self.lock().bot.clone()
    }

    /// The bytes of a file by its file_id: one the bot uploaded, or one a test set.
    pub fn file_bytes(&self, file_id: &str) -> Option<Vec<u8>> {
        self.lock().files.get(file_id).and_then(|f| f.bytes.clone())
    }

    /// Status answered by getChatMember for (chat, user); default "left".
    pub fn set_chat_member(&self, chat_id: i64, user_id: i64, status: &str) {
        self.lock()
            .members
            .insert((chat_id, user_id), status.to_owned());
    }

    /// A blocked private chat answers 403 "bot was blocked by the user" (a group: "kicked").
    pub fn set_blocked(&self, chat_id: i64, blocked: bool) {
        let mut st = self.lock();
        if blocked {
            st.blocked.insert(chat_id);
        } else {
            st.blocked.remove(&chat_id);
        }
    }

    /// Makes `chat_id` a forum supergroup: a `message_thread_id` must name an existing topic.
    pub fn set_forum(&self, chat_id: i64) {
        self.lock().forums.entry(chat_id).or_default();
    }

    /// Deletes a forum topic, as a user would: later sends into it get "message thread not found".
    pub fn delete_topic(&self, chat_id: i64, thread_id: i64) {
        if let Some(topics) = self.lock().forums.get_mut(&chat_id) {
            topics.remove(&thread_id);
        }
    }

    /// Turns flood control on or off (default on).
    pub fn set_rate_limits(&self, on: bool) {
        self.lock().rate_limits = on;
    }

    /// A group takes 20 messages per `window` (Telegram: a minute; tests scale it down together
    /// with the bot's `TELEGRAM_GROUP_WINDOW`).
    pub fn set_group_window(&self, window: Duration) {
        self.lock().group_window = window;
    }

    /// Sends to one private chat less than 1 s apart are allowed while fewer than `burst` sends
    /// happened in the last 3 s (default 3).
    pub fn set_private_burst(&self, burst: usize) {
        self.lock().burst = burst;
    }

    /// Queues a fault for the next call of `method` (any case) or of any method with `"*"`.
    pub fn inject(&self, method: &str, fault: Fault) {
        self.lock()
            .faults
            .push_back((method.to_ascii_lowercase(), fault));
    }

    /// Random faults on every call except getUpdates; `None` turns them off.
    pub fn set_chaos(&self, chaos: Option<Chaos>) {
        self.lock().chaos = chaos.map(|c| (c, c.seed));
    }

    /// Messages successfully sent to `chat_id`, in order; in a private chat a message edited
    /// into new text comes again, as `editmessagetext` with its id (the answer to a press).
    pub fn sent(&self, chat_id: i64) -> Vec<Sent> {
        self.lock()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// The current Message object (after edits) of a sent or pushed message; None if deleted.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        self.lock()
            .messages
            .get(&(chat_id, message_id))
            .map(|s| s.msg.clone())
    }

    /// Calls of `method` (any case; `"*"` for all, `"download"` for file downloads), in order.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        let st = self.lock();
        st.calls
            .iter()
            .filter(|c| method == "*" || c.method == method)
            .cloned()
            .collect()
    }

    /// Number of 429 answers given (injected, chaos and flood control).
    pub fn count_429(&self) -> usize {
        self.lock().count_429
    }

    /// The webhook set by setWebhook: `(url, secret_token)`.
    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.lock().webhook.clone()
    }
}
