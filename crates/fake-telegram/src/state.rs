//! The fake's state behind one lock: calls, messages, pending updates, chats, files,
//! limits and faults.

use crate::files::FileEntry;
use crate::load::Load;
use crate::push::Fanout;
use crate::types::{Call, Chaos, Fault, Sent};
use crate::updates::TestUser;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A stored message: the Message object as returned, plus the raw content for "not modified".
pub(crate) struct Stored {
    pub(crate) msg: Value,
    pub(crate) raw: Value,
}

pub(crate) struct Topic {
    pub(crate) name: String,
    pub(crate) emoji: Option<String>,
    pub(crate) closed: bool,
}

pub(crate) struct State {
    pub(crate) started: Instant,
    pub(crate) bot: Value,
    pub(crate) calls: Vec<Call>,
    pub(crate) sent: Vec<Sent>,
    pub(crate) messages: HashMap<(i64, i64), Stored>,
    pub(crate) last_message_id: HashMap<i64, i64>,
    /// Updates not yet confirmed: id, update, and when it was pushed until a getUpdates (or
    /// a webhook delivery) first hands it out.
    pub(crate) pending: Vec<(i64, Value, Option<Instant>)>,
    pub(crate) next_update_id: i64,
    pub(crate) confirmed: i64,
    pub(crate) last_offset: i64,
    pub(crate) poll_generation: u64,
    pub(crate) allowed_updates: Vec<String>,
    pub(crate) webhook: Option<(String, Option<String>)>,
    pub(crate) callbacks: HashSet<String>,
    pub(crate) files: HashMap<String, FileEntry>,
    pub(crate) members: HashMap<(i64, i64), String>,
    pub(crate) blocked: HashSet<i64>,
    pub(crate) forums: HashMap<i64, HashMap<i64, Topic>>,
    pub(crate) users: HashMap<i64, TestUser>,
    pub(crate) commands: HashMap<String, Value>,
    pub(crate) rate_limits: bool,
    pub(crate) burst: usize,
    pub(crate) chat_sends: HashMap<i64, VecDeque<Instant>>,
    pub(crate) group_window: Duration,
    pub(crate) all_sends: VecDeque<Instant>,
    pub(crate) faults: VecDeque<(String, Fault)>,
    pub(crate) chaos: Option<(Chaos, u64)>,
    pub(crate) count_429: usize,
    pub(crate) serial: u64,
    pub(crate) load: Load,
    pub(crate) fanout: Fanout,
}

impl State {
    pub(crate) fn new(token: &str, started: Instant) -> State {
        let id = token
            .split(':')
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(1_000_000_001);
        State {
            started,
            bot: json!({"id": id, "is_bot": true, "first_name": "Fake Bot", "username": "fake_test_bot"}),
            calls: Vec::new(),
            sent: Vec::new(),
            messages: HashMap::new(),
            last_message_id: HashMap::new(),
            pending: Vec::new(),
            next_update_id: 1,
            confirmed: 0,
            last_offset: 0,
            poll_generation: 0,
            allowed_updates: Vec::new(),
            webhook: None,
            callbacks: HashSet::new(),
            files: HashMap::new(),
            members: HashMap::new(),
            blocked: HashSet::new(),
            forums: HashMap::new(),
            users: HashMap::new(),
            commands: HashMap::new(),
            rate_limits: true,
            burst: 3,
            chat_sends: HashMap::new(),
            group_window: Duration::from_secs(60),
            all_sends: VecDeque::new(),
            faults: VecDeque::new(),
            chaos: None,
            count_429: 0,
            serial: 0,
            load: Load::default(),
            fanout: Fanout::default(),
        }
    }

    /// Counts the call and, unless in load mode, records it with its body; returns where.
    pub(crate) fn record(&mut self, method: &str, body: impl FnOnce() -> Value) -> Option<usize> {
        *self.load.calls.entry(method.to_owned()).or_insert(0) += 1;
        if self.load.on {
            return None;
        }
        let body = body();
        let at = self.started.elapsed();
        self.calls.push(Call {
            method: method.to_owned(),
            body,
            at,
            status: 0,
            response: Value::Null,
        });
        Some(self.calls.len() - 1)
    }

    pub(crate) fn finish(&mut self, index: Option<usize>, status: u16, response: Value) {
        if status == 429 {
            self.count_429 += 1;
        }
        if let Some(call) = index.and_then(|i| self.calls.get_mut(i)) {
            call.status = status;
            call.response = response;
        }
    }

    pub(crate) fn take_fault(&mut self, method: &str) -> Option<Fault> {
        if let Some(i) = self
            .faults
            .iter()
            .position(|(m, _)| m == "*" || m == method)
        {
            return self.faults.remove(i).map(|(_, fault)| fault);
        }
        let (chaos, rng) = self.chaos.as_mut().filter(|_| method != "getupdates")?;
        let r = next_f64(rng);
        if r < chaos.p429 {
            Some(Fault::RetryAfter(1))
        } else if r < chaos.p429 + chaos.p500 {
            Some(Fault::Status(500))
        } else if r < chaos.p429 + chaos.p500 + chaos.pdrop {
            Some(Fault::Drop)
        } else {
            None
        }
    }

    pub(crate) fn next_message_id(&mut self, chat: i64) -> i64 {
        let last = self.last_message_id.entry(chat).or_insert(0);
        *last += 1;
        *last
    }

    pub(crate) fn chat_obj(&self, chat: i64) -> Value {
        if chat > 0 {
            let name = self
                .users
                .get(&chat)
                .map_or("User", |u| u.first_name.as_str());
            return json!({"id": chat, "type": "private", "first_name": name});
        }
        let mut obj = json!({"id": chat, "type": "supergroup", "title": format!("Group {chat}")});
        if self.forums.contains_key(&chat) {
            obj["is_forum"] = true.into();
        }
        obj
    }
}

/// splitmix64: the next number in [0, 1).
pub(crate) fn next_f64(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}
