//! What the fake records and what tests ask of it: faults to inject, calls, sent messages,
//! each chat's replies.

use serde_json::Value;
use std::time::Duration;

/// A fault consumed by the next call whose method matches (see [`FakeTelegram::inject`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 "Too Many Requests: retry after N" with `parameters.retry_after = N`.
    RetryAfter(u64),
    /// This HTTP status with its standard description, e.g. 500 "Internal Server Error".
    Status(u16),
    /// Any API error: HTTP status and full description.
    Error(u16, String),
    /// Close the connection without sending a response.
    Drop,
    /// Handle the call normally, after this many milliseconds.
    Delay(u64),
}

/// Random faults on every call except getUpdates, reproducible from `seed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chaos {
    pub p429: f64,
    pub p500: f64,
    pub pdrop: f64,
    pub seed: u64,
}

/// One API call as received (`method` lowercased; `status` 0 = no response: dropped or pending).
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub at: Duration,
    pub status: u16,
    pub response: Value,
}

/// One successfully sent message (`method` lowercased; `text`/`caption` as sent, markup included).
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub chat_id: i64,
    pub message_id: i64,
    pub thread_id: Option<i64>,
    pub text: Option<String>,
    pub caption: Option<String>,
    pub reply_markup: Option<Value>,
    pub body: Value,
    pub at: Duration,
}

impl Sent {
    /// `(text, callback_data)` of every inline button, row by row (`callback_data` "" if none).
    pub fn buttons(&self) -> Vec<(String, String)> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"));
        let rows = rows
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let field = |b: &Value, k: &str| b.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|b| (field(b, "text"), field(b, "callback_data")))
            .collect()
    }
}

/// A message the bot sent to a chat as its user sees it, kept in either mode (see
/// [`crate::FakeTelegram::replies`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// When it was sent, on the clock of [`crate::FakeTelegram::elapsed`].
    pub at: Duration,
    pub message_id: i64,
    /// The `callback_data` of its inline buttons, in order.
    pub buttons: Vec<String>,
    /// Its text or caption as sent (`<file>` for a file without one); in load mode only for
    /// the traced chat.
    pub text: Option<String>,
    /// Its text starts with one of the prefixes given to
    /// [`crate::FakeTelegram::mark_replies`].
    pub marked: bool,
}
