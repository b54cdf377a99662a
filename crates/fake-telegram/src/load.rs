//! The load mode, for the benchmark's thousands of chats: calls counted instead of recorded,
//! no message or body kept, each chat's replies as (time, id, buttons) with a counter to wait
//! on, and how long updates queued before they were handed out.

use crate::FakeTelegram;
use crate::error::ApiResult;
use crate::params::{Params, str_of};
use crate::state::{State, unix_now};
use crate::text::check_text;
use crate::types::Reply;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use tokio::sync::watch;

/// One chat's replies, and their number to wait on.
pub(crate) struct ChatLog {
    pub(crate) replies: Vec<Reply>,
    pub(crate) count: watch::Sender<usize>,
}

/// The load mode's switches, and what a load run reads back (kept in either mode).
#[derive(Default)]
pub(crate) struct Load {
    pub(crate) on: bool,
    /// The chat whose reply texts are kept in load mode.
    pub(crate) traced: Option<i64>,
    pub(crate) chats: HashMap<i64, ChatLog>,
    /// Calls per method (lowercased).
    pub(crate) calls: BTreeMap<String, u64>,
    /// How long each update waited before it was first handed out.
    pub(crate) fetch_waits: Vec<Duration>,
    pub(crate) pushed: u64,
    pub(crate) sms: u64,
    /// The last text the SMS gateway accepted for each number.
    pub(crate) sms_texts: HashMap<String, String>,
    /// Sends the limits count (messages, edits, reactions, topics created), in either mode.
    pub(crate) counted: u64,
    /// Replies whose text starts with one of these are marked (see `mark_replies`).
    pub(crate) marks: Vec<String>,
}

impl FakeTelegram {
    /// Load mode on or off (default off), for thousands of chats at once: calls are only
    /// counted ([`FakeTelegram::call_counts`]), sent messages only kept as
    /// [`FakeTelegram::replies`], and messages not kept at all, so edits, deletions and
    /// reactions succeed on any message, a press comes from the bot's message with no content,
    /// and a reply cannot name the message it answers. [`FakeTelegram::calls`],
    /// [`FakeTelegram::sent`] and the waits on them see nothing sent meanwhile.
    pub fn set_load_mode(&self, on: bool) {
        self.lock().load.on = on;
    }

    /// In load mode, keeps the texts of the replies to `chat` too (one traced conversation).
    pub fn trace(&self, chat: i64) {
        self.lock().load.traced = Some(chat);
    }

    /// The number of replies to `chat` so far, to wait on; [`FakeTelegram::replies`] reads them.
    pub fn subscribe(&self, chat: i64) -> watch::Receiver<usize> {
        self.lock().chat_log(chat).count.subscribe()
    }

    /// The replies to `chat` from index `from` on.
    pub fn replies(&self, chat: i64, from: usize) -> Vec<Reply> {
        let st = self.lock();
        let replies = st.load.chats.get(&chat).map(|log| log.replies.as_slice());
        replies
            .and_then(|r| r.get(from..))
            .map(<[Reply]>::to_vec)
            .unwrap_or_default()
    }

    /// Calls received per method (lowercased; `download` for file downloads), in either mode.
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        self.lock().load.calls.clone()
    }

    /// How long each update waited before a getUpdates or a webhook delivery first took it.
    pub fn fetch_waits(&self) -> Vec<Duration> {
        self.lock().load.fetch_waits.clone()
    }

    /// Updates pushed so far.
    pub fn updates_pushed(&self) -> u64 {
        self.lock().load.pushed
    }

    /// Sends that count against Telegram's limits so far (messages, copies, edits,
    /// reactions, forum topics created), whether or not the limits are enforced.
    pub fn counted_sends(&self) -> u64 {
        self.lock().load.counted
    }

    /// Marks the replies whose text starts with one of `prefixes` ([`Reply::marked`]), in
    /// either mode: the bench tells the bot's queue notices from its answers this way.
    pub fn mark_replies(&self, prefixes: Vec<String>) {
        self.lock().load.marks = prefixes;
    }

    /// Messages the SMS gateway at `{api_url}/sms` accepted.
    pub fn sms_count(&self) -> u64 {
        self.lock().load.sms
    }

    /// The last text the SMS gateway at `{api_url}/sms` accepted for `to`.
    pub fn last_sms(&self, to: &str) -> Option<String> {
        self.lock().load.sms_texts.get(to).cloned()
    }
}

impl State {
    pub(crate) fn chat_log(&mut self, chat: i64) -> &mut ChatLog {
        self.load.chats.entry(chat).or_insert_with(|| ChatLog {
            replies: Vec::new(),
            count: watch::Sender::new(0),
        })
    }

    /// Adds a message sent to `chat` to its replies and wakes who waits on them.
    pub(crate) fn note_reply(
        &mut self,
        chat: i64,
        message_id: i64,
        at: Duration,
        markup: Option<&Value>,
        text: Option<&str>,
    ) {
        let rows = markup.and_then(|m| m.get("inline_keyboard"));
        let buttons = rows
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        let keep = !self.load.on || self.load.traced == Some(chat);
        let marked = text.is_some_and(|t| self.load.marks.iter().any(|m| t.starts_with(m)));
        let text = keep.then(|| text.unwrap_or("<file>").to_owned());
        let log = self.chat_log(chat);
        log.replies.push(Reply {
            at,
            message_id,
            buttons,
            text,
            marked,
        });
        log.count.send_replace(log.replies.len());
    }

    /// In load mode, the answer to an edit of a message that was not kept: the message as
    /// the edit leaves it (after the same checks of the text).
    pub(crate) fn edit_unkept(
        &self,
        method: &str,
        (chat, message_id): (i64, i64),
        p: &Params,
        markup: Option<Value>,
    ) -> ApiResult {
        let mut msg = json!({"message_id": message_id, "from": self.bot,
            "chat": self.chat_obj(chat), "date": unix_now(), "edit_date": unix_now()});
        if method == "editmessagetext" {
            let text = str_of(p, "text").unwrap_or_default();
            let shown = check_text(
                text,
                str_of(p, "parse_mode"),
                4096,
                Some("message text is empty"),
                "message is too long",
            )?;
            msg["text"] = shown.into();
        }
        if let Some(markup) = markup {
            msg["reply_markup"] = markup;
        }
        Ok(msg)
    }

    /// In load mode, the message a press comes from when it was not kept: the bot's, with
    /// no content.
    pub(crate) fn unkept_message(&self, chat: i64, message_id: i64) -> Value {
        json!({"message_id": message_id, "from": self.bot, "chat": self.chat_obj(chat),
            "date": unix_now()})
    }
}
