//! The fake Bot API's state: the update queue with offset semantics, each chat's replies
//! and message ids, and Telegram's sending limits (a burst of 3 then 1/s per private chat,
//! 30 in any second overall).

use super::fake_json::{bot_user, chat_obj, message};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// Sends to one private chat allowed at once before the 1/s pace applies.
const PRIVATE_BURST: f64 = 3.0;
const OVERALL_PER_SECOND: usize = 30;

/// A message the bot sent to a chat, as the student sees it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub at: Instant,
    pub message_id: i64,
    /// callback_data of its inline buttons, in order.
    pub buttons: Vec<String>,
    /// The text, kept only for the traced chat.
    pub text: Option<String>,
}

pub struct Chat {
    pub replies: Vec<Reply>,
    pub count: watch::Sender<usize>,
    next_message_id: i64,
    tokens: f64,
    refilled: Instant,
}

pub struct Inner {
    limits: bool,
    chats: HashMap<i64, Chat>,
    next_update_id: i64,
    /// Offered, not yet confirmed: (update_id, update, offered at, fetched yet).
    queue: VecDeque<(i64, Value, Instant, bool)>,
    overall: VecDeque<Instant>,
    serial: u64,
    pub offered: u64,
    /// How long each update waited in the queue before a getUpdates took it.
    pub fetch_waits: Vec<Duration>,
    pub traced: Option<i64>,
}

impl Inner {
    pub fn new(limits: bool) -> Inner {
        Inner {
            limits,
            chats: HashMap::new(),
            next_update_id: 1,
            queue: VecDeque::new(),
            overall: VecDeque::new(),
            serial: 0,
            offered: 0,
            fetch_waits: Vec::new(),
            traced: None,
        }
    }

    pub fn chat(&mut self, chat: i64) -> &mut Chat {
        self.chats.entry(chat).or_insert_with(|| Chat {
            replies: Vec::new(),
            count: watch::Sender::new(0),
            next_message_id: 1,
            tokens: PRIVATE_BURST,
            refilled: Instant::now(),
        })
    }

    fn next_message_id(&mut self, chat: i64) -> i64 {
        let c = self.chat(chat);
        let id = c.next_message_id;
        c.next_message_id += 1;
        id
    }

    fn push(&mut self, update: Value) -> Instant {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = update;
        update["update_id"] = json!(id);
        let now = Instant::now();
        self.queue.push_back((id, update, now, false));
        self.offered += 1;
        now
    }

    fn student(chat: i64) -> Value {
        json!({ "id": chat, "is_bot": false, "first_name": format!("Student{chat}") })
    }

    pub fn offer_text(&mut self, chat: i64, text: &str) -> Instant {
        let message_id = self.next_message_id(chat);
        let mut msg = json!({ "message_id": message_id, "date": chrono::Utc::now().timestamp(),
            "chat": chat_obj(chat), "from": Self::student(chat), "text": text });
        if text.starts_with('/') {
            let length = text
                .split_whitespace()
                .next()
                .map_or(0, |w| w.encode_utf16().count());
            msg["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        self.push(json!({ "message": msg }))
    }

    pub fn offer_press(&mut self, chat: i64, message_id: i64, data: &str) -> Instant {
        self.serial += 1;
        let msg = message(message_id, chat, &Map::new());
        let query = json!({ "id": format!("{chat}{:08}", self.serial), "from": Self::student(chat),
            "message": msg, "chat_instance": format!("ci{chat}"), "data": data });
        self.push(json!({ "callback_query": query }))
    }

    /// Confirms updates below `offset` and hands out up to `limit` from it.
    pub fn take(&mut self, offset: i64, limit: i64, now: Instant) -> Vec<Value> {
        while self.queue.front().is_some_and(|(id, ..)| *id < offset) {
            self.queue.pop_front();
        }
        let limit = usize::try_from(limit).unwrap_or(100);
        let mut batch = Vec::new();
        for (_, update, offered, fetched) in self.queue.iter_mut().take(limit) {
            if !*fetched {
                *fetched = true;
                self.fetch_waits
                    .push(now.saturating_duration_since(*offered));
            }
            batch.push(update.clone());
        }
        batch
    }

    /// A send to `chat`: the Message, or the seconds to wait when a limit is hit.
    pub fn send(
        &mut self,
        chat: i64,
        method: &str,
        params: &Map<String, Value>,
        now: Instant,
    ) -> Result<Value, u64> {
        if self.limits {
            self.admit(chat, now)?;
        }
        let message_id = self.next_message_id(chat);
        let mut params = params.clone();
        if method == "sendphoto" {
            params.insert("photo".into(), json!(true));
        }
        let buttons = params
            .get("reply_markup")
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let text = (self.traced == Some(chat)).then(|| {
            let body = params.get("text").or_else(|| params.get("caption"));
            body.and_then(Value::as_str).unwrap_or("<file>").to_string()
        });
        let c = self.chat(chat);
        c.replies.push(Reply {
            at: now,
            message_id,
            buttons,
            text,
        });
        let n = c.replies.len();
        c.count.send_replace(n);
        let mut m = message(message_id, chat, &params);
        m["from"] = bot_user(false);
        Ok(m)
    }

    /// Telegram's limits: 30 sends in any second overall; per private chat a bucket of
    /// [`PRIVATE_BURST`] refilled at one a second (groups are not simulated).
    fn admit(&mut self, chat: i64, now: Instant) -> Result<(), u64> {
        let second = Duration::from_secs(1);
        while self
            .overall
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= second)
        {
            self.overall.pop_front();
        }
        let mut wait = match self.overall.front() {
            Some(first) if self.overall.len() >= OVERALL_PER_SECOND => {
                (*first + second).saturating_duration_since(now)
            }
            _ => Duration::ZERO,
        };
        let c = self.chat(chat);
        let elapsed = now.saturating_duration_since(c.refilled).as_secs_f64();
        c.tokens = (c.tokens + elapsed).min(PRIVATE_BURST);
        c.refilled = now;
        if c.tokens < 1.0 {
            wait = wait.max(Duration::from_secs_f64(1.0 - c.tokens));
        }
        if !wait.is_zero() {
            let seconds = wait.as_millis().div_ceil(1000).max(1);
            return Err(u64::try_from(seconds).unwrap_or(u64::MAX));
        }
        c.tokens -= 1.0;
        self.overall.push_back(now);
        Ok(())
    }
}
