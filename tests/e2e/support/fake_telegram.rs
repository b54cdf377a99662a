//! Fake Telegram Bot API server for integration tests: answers `{api_url}/bot{token}/{method}`
//! like the real API (validation, flood control, long polling), records every call and sent
//! message, and injects faults (429, 5xx, dropped connections, delays). Update builders, text
//! validation and helpers live in `fake_telegram_updates.rs` next to this file.
#![allow(dead_code)]

#[path = "fake_telegram_updates.rs"]
mod updates;

pub use updates::TestUser;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{
    DefaultBodyLimit, Form, FromRequest, Multipart, Query, Request, State as AxState,
};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use serde_json::{Map, Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

const MAX_BODY: usize = 64 << 20;
const MAX_DOWNLOAD: i64 = 20 << 20;
const GLOBAL_PER_SECOND: usize = 30;
const GROUP_PER_MINUTE: usize = 20;
const METHODS: &[&str] = &[
    "getme",
    "getupdates",
    "setwebhook",
    "deletewebhook",
    "getwebhookinfo",
    "setmycommands",
    "deletemycommands",
    "getmycommands",
    "sendchataction",
    "answercallbackquery",
    "sendmessage",
    "sendphoto",
    "senddocument",
    "copymessage",
    "forwardmessage",
    "editmessagetext",
    "editmessagereplymarkup",
    "deletemessage",
    "setmessagereaction",
    "createforumtopic",
    "editforumtopic",
    "closeforumtopic",
    "reopenforumtopic",
    "deleteforumtopic",
    "getchatmember",
    "getfile",
];
/// Message fields that describe the envelope, not the content (not copied by copyMessage).
const ENVELOPE: &[&str] = &[
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
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply \
    markup are exactly the same as a current content and reply markup of the message";

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

/// The fake server; clones share it. It stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _server: Arc<AbortOnDrop>,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Shared {
    token: String,
    state: Mutex<State>,
    updates: Notify,
    sent: Notify,
}

type Params = Map<String, Value>;
type Uploads = HashMap<String, Upload>;
type ApiResult = Result<Value, ApiError>;

struct Upload {
    file_name: Option<String>,
    mime: Option<String>,
    bytes: Vec<u8>,
}

#[derive(Debug)]
struct ApiError {
    code: u16,
    description: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    fn retry(secs: u64) -> Self {
        Self {
            retry_after: Some(secs),
            ..Self::new(429, format!("Too Many Requests: retry after {secs}"))
        }
    }

    fn json(&self) -> Value {
        let mut v = json!({"ok": false, "error_code": self.code, "description": self.description});
        if let Some(secs) = self.retry_after {
            v["parameters"] = json!({ "retry_after": secs });
        }
        v
    }
}

fn bad(description: &str) -> ApiError {
    ApiError::new(400, format!("Bad Request: {description}"))
}

impl Fault {
    fn error(&self) -> ApiError {
        match self {
            Fault::RetryAfter(secs) => ApiError::retry(*secs),
            Fault::Status(429) => ApiError::retry(1),
            Fault::Status(code) => ApiError::new(*code, status_text(*code)),
            Fault::Error(code, description) => ApiError::new(*code, description.clone()),
            Fault::Drop | Fault::Delay(_) => ApiError::new(500, "Internal Server Error"),
        }
    }
}

fn status_text(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

fn int(p: &Params, key: &str) -> Option<i64> {
    match p.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn str_of<'a>(p: &'a Params, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Value::as_str)
}

fn flag(p: &Params, key: &str) -> bool {
    matches!(p.get(key), Some(Value::Bool(true))) || str_of(p, key) == Some("true")
}

fn chat_id(p: &Params) -> Result<i64, ApiError> {
    match p.get("chat_id") {
        None | Some(Value::Null) => Err(bad("chat_id is empty")),
        Some(_) => int(p, "chat_id").ok_or_else(|| bad("chat not found")),
    }
}

fn message_id(p: &Params) -> Result<i64, ApiError> {
    int(p, "message_id").ok_or_else(|| bad("message identifier is not specified"))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn raw_content(text: Option<&str>, caption: Option<&str>, parse_mode: Option<&str>) -> Value {
    json!({"text": text, "caption": caption, "parse_mode": parse_mode})
}

/// A stored message: the Message object as returned, plus the raw content for "not modified".
struct Stored {
    msg: Value,
    raw: Value,
}

struct FileEntry {
    bytes: Option<Vec<u8>>,
    size: i64,
    path: String,
    name: Option<String>,
    mime: Option<String>,
}

impl FileEntry {
    /// Content matching what the file was declared as, as Telegram would serve it: photos are
    /// JPEG (Telegram re-encodes them), documents start with their type's magic bytes.
    fn plausible_bytes(&self) -> Vec<u8> {
        let head: &[u8] = match self.mime.as_deref() {
            None => &[0xFF, 0xD8, 0xFF, 0xE0],
            Some("image/jpeg") => &[0xFF, 0xD8, 0xFF, 0xE1],
            Some("image/png") => b"\x89PNG\r\n\x1a\n",
            Some("application/pdf") => b"%PDF-1.4\n",
            Some(_) => b"",
        };
        let mut bytes = head.to_vec();
        bytes.resize(
            usize::try_from(self.size).unwrap_or(0).max(head.len()),
            b'x',
        );
        bytes
    }
}

struct Topic {
    name: String,
    icon_color: i64,
    emoji: Option<String>,
    closed: bool,
}

struct State {
    started: Instant,
    bot: Value,
    calls: Vec<Call>,
    sent: Vec<Sent>,
    messages: HashMap<(i64, i64), Stored>,
    last_message_id: HashMap<i64, i64>,
    pending: Vec<(i64, Value)>,
    next_update_id: i64,
    confirmed: i64,
    last_offset: i64,
    poll_generation: u64,
    allowed_updates: Vec<String>,
    webhook: Option<(String, Option<String>)>,
    callbacks: HashSet<String>,
    files: HashMap<String, FileEntry>,
    members: HashMap<(i64, i64), String>,
    blocked: HashSet<i64>,
    forums: HashMap<i64, HashMap<i64, Topic>>,
    users: HashMap<i64, TestUser>,
    commands: HashMap<String, Value>,
    rate_limits: bool,
    burst: usize,
    chat_sends: HashMap<i64, VecDeque<Instant>>,
    group_window: Duration,
    all_sends: VecDeque<Instant>,
    faults: VecDeque<(String, Fault)>,
    chaos: Option<(Chaos, u64)>,
    count_429: usize,
    serial: u64,
}

impl FakeTelegram {
    /// Starts the server on 127.0.0.1 with a random port; must run inside a tokio runtime.
    pub async fn start(token: &str) -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake telegram: bind");
        let addr = listener.local_addr().expect("fake telegram: local_addr");
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            state: Mutex::new(State::new(token)),
            updates: Notify::new(),
            sent: Notify::new(),
        });
        let app = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(shared.clone());
        let service = app.into_make_service_with_connect_info::<Conn>();
        let server = tokio::spawn(async move {
            let _ = axum::serve(KillableListener(listener), service).await;
        });
        FakeTelegram {
            shared,
            addr,
            _server: Arc::new(AbortOnDrop(server)),
        }
    }

    /// Time since the fake started, on the clock of [`Call::at`].
    pub fn elapsed(&self) -> Duration {
        self.lock().started.elapsed()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bot's own User object (as in `from` of sent messages).
    pub fn bot_user(&self) -> Value {
        self.lock().bot.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// Content served by getFile + download for `file_id` (also usable by send* with a file_id).
    pub fn set_file(&self, file_id: &str, bytes: Vec<u8>) {
        let mut st = self.lock();
        st.declare_file(file_id, bytes.len() as i64, None, None);
        if let Some(f) = st.files.get_mut(file_id) {
            f.size = bytes.len() as i64;
            f.bytes = Some(bytes);
        }
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

    /// Messages successfully sent to `chat_id`, in order.
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

    /// Waits until at least `count` messages were sent to `chat_id`; returns all of them.
    pub async fn wait_sent(&self, chat_id: i64, count: usize, timeout: Duration) -> Vec<Sent> {
        let what = format!("{count} message(s) in chat {chat_id}");
        self.wait_for(chat_id, &what, timeout, |st| {
            let sent: Vec<Sent> = st
                .sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .cloned()
                .collect();
            (sent.len() >= count).then_some(sent)
        })
        .await
    }

    /// First message sent to `chat_id` whose text or caption (as sent or as displayed)
    /// contains `needle`, waiting for it if needed.
    pub async fn wait_text(&self, chat_id: i64, needle: &str, timeout: Duration) -> Sent {
        let what = format!("a message containing {needle:?} in chat {chat_id}");
        self.wait_for(chat_id, &what, timeout, |st| {
            st.sent
                .iter()
                .find(|s| s.chat_id == chat_id && updates::contains(s, needle))
                .cloned()
        })
        .await
    }

    /// Like [`FakeTelegram::wait_text`], but only among the messages to `chat_id` from index
    /// `from` on (0-based, in the order of [`FakeTelegram::sent`]); returns the index too.
    pub async fn wait_text_from(
        &self,
        chat_id: i64,
        from: usize,
        needle: &str,
        timeout: Duration,
    ) -> (usize, Sent) {
        let what = format!("a message containing {needle:?} in chat {chat_id} after #{from}");
        self.wait_for(chat_id, &what, timeout, |st| {
            st.sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .enumerate()
                .skip(from)
                .find(|(_, s)| updates::contains(s, needle))
                .map(|(i, s)| (i, s.clone()))
        })
        .await
    }

    async fn wait_for<T>(
        &self,
        chat_id: i64,
        what: &str,
        timeout: Duration,
        check: impl Fn(&State) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.sent.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let st = self.lock();
                if let Some(found) = check(&st) {
                    return found;
                }
                let report = updates::dump(&st, chat_id, what, timeout);
                drop(st);
                panic!("{report}");
            }
        }
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

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn dispatch(&self, token: &str, method: &str, p: Params, up: Uploads) -> Outcome {
        if token != self.token {
            return Outcome::Json(Err(ApiError::new(401, "Unauthorized")));
        }
        if method != "download" && !METHODS.contains(&method) {
            return Outcome::Json(Err(ApiError::new(404, "Not Found")));
        }
        let fault = self.lock().take_fault(method);
        match fault {
            Some(Fault::Drop) => return Outcome::Drop,
            Some(Fault::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Some(fault) => return Outcome::Json(Err(fault.error())),
            None => {}
        }
        match method {
            "getupdates" => Outcome::Json(self.get_updates(&p).await),
            "download" => self.lock().download(&p),
            _ => {
                let result = self.lock().apply(method, &p, &up);
                self.sent.notify_waiters();
                Outcome::Json(result)
            }
        }
    }
}

enum Outcome {
    Json(ApiResult),
    Bytes(Vec<u8>),
    Drop,
}

async fn handle(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response {
    let conn = req
        .extensions()
        .get::<ConnectInfo<Conn>>()
        .map(|c| c.0.clone());
    let path = req.uri().path().to_owned();
    let (token, method, file_path) = if let Some(rest) = path.strip_prefix("/file/bot") {
        let (token, file_path) = rest.split_once('/').unwrap_or((rest, ""));
        (token, "download".to_owned(), Some(file_path))
    } else if let Some((token, method)) = path.strip_prefix("/bot").and_then(|r| r.split_once('/'))
    {
        (
            token,
            method.trim_end_matches('/').to_ascii_lowercase(),
            None,
        )
    } else {
        return error_response(&ApiError::new(404, "Not Found"));
    };
    let parsed = read_params(req).await;
    let mut body = parsed.as_ref().map(|(p, _)| p.clone()).unwrap_or_default();
    if let Some(file_path) = file_path {
        body.insert("file_path".into(), file_path.into());
    }
    let index = shared.lock().record(&method, Value::Object(body.clone()));
    let outcome = match parsed {
        Ok((_, uploads)) => shared.dispatch(token, &method, body, uploads).await,
        Err(e) => Outcome::Json(Err(e)),
    };
    let (status, logged, response) = match outcome {
        Outcome::Json(Ok(result)) => {
            let v = json!({"ok": true, "result": result});
            (
                200,
                v.clone(),
                (StatusCode::OK, axum::Json(v)).into_response(),
            )
        }
        Outcome::Json(Err(e)) => (e.code, e.json(), error_response(&e)),
        Outcome::Bytes(bytes) => {
            let logged = json!({ "bytes": bytes.len() });
            let headers = [(header::CONTENT_TYPE, "application/octet-stream")];
            (200, logged, (headers, bytes).into_response())
        }
        Outcome::Drop => {
            if let Some(Conn(kill)) = &conn {
                kill.store(true, Ordering::SeqCst);
            }
            (
                0,
                Value::Null,
                StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            )
        }
    };
    shared.lock().finish(index, status, logged);
    response
}

fn error_response(e: &ApiError) -> Response {
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e.json())).into_response()
}

/// Merges query string and body (JSON, form or multipart) into one JSON object. Uploaded files
/// become `{"attach", "file_name", "mime_type", "size"}` under the field that references them
/// (`attach://name`) or under their own part name.
async fn read_params(req: Request) -> Result<(Params, Uploads), ApiError> {
    let mut params = Params::new();
    if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(req.uri()) {
        for (k, v) in pairs {
            params.insert(k.clone(), updates::coerce(&k, &v));
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let content_type = content_type.unwrap_or("").to_ascii_lowercase();
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "Request Entity Too Large"))?;
    let mut uploads = Uploads::new();
    if content_type.starts_with("multipart/form-data") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let invalid = |_| bad("can't parse multipart/form-data request");
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|_| bad("can't parse multipart/form-data request"))?;
        while let Some(field) = multipart.next_field().await.map_err(invalid)? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let mime = field.content_type().map(str::to_owned);
            let data = field.bytes().await.map_err(invalid)?;
            if file_name.is_some() {
                uploads.insert(
                    name,
                    Upload {
                        file_name,
                        mime,
                        bytes: data.to_vec(),
                    },
                );
            } else {
                params.insert(
                    name.clone(),
                    updates::coerce(&name, &String::from_utf8_lossy(&data)),
                );
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|_| bad("can't parse form data"))?;
        for (k, v) in pairs {
            params.insert(k.clone(), updates::coerce(&k, &v));
        }
    } else if !bytes.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => params.extend(map),
            _ => return Err(bad("can't parse JSON object")),
        }
    }
    for (name, upload) in &uploads {
        let reference = Value::String(format!("attach://{name}"));
        let field = params
            .iter()
            .find(|(_, v)| **v == reference)
            .map(|(k, _)| k.clone());
        let descriptor = json!({
            "attach": name, "file_name": upload.file_name, "mime_type": upload.mime,
            "size": upload.bytes.len(),
        });
        params.insert(field.unwrap_or_else(|| name.clone()), descriptor);
    }
    Ok((params, uploads))
}

impl State {
    fn new(token: &str) -> State {
        let id = token
            .split(':')
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(1_000_000_001);
        State {
            started: Instant::now(),
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
        }
    }

    fn record(&mut self, method: &str, body: Value) -> usize {
        let at = self.started.elapsed();
        self.calls.push(Call {
            method: method.to_owned(),
            body,
            at,
            status: 0,
            response: Value::Null,
        });
        self.calls.len() - 1
    }

    fn finish(&mut self, index: usize, status: u16, response: Value) {
        if status == 429 {
            self.count_429 += 1;
        }
        if let Some(call) = self.calls.get_mut(index) {
            call.status = status;
            call.response = response;
        }
    }

    fn take_fault(&mut self, method: &str) -> Option<Fault> {
        if let Some(i) = self
            .faults
            .iter()
            .position(|(m, _)| m == "*" || m == method)
        {
            return self.faults.remove(i).map(|(_, fault)| fault);
        }
        let (chaos, rng) = self.chaos.as_mut().filter(|_| method != "getupdates")?;
        let r = updates::next_f64(rng);
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

    fn next_message_id(&mut self, chat: i64) -> i64 {
        let last = self.last_message_id.entry(chat).or_insert(0);
        *last += 1;
        *last
    }

    fn chat_obj(&self, chat: i64) -> Value {
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

    fn declare_file(&mut self, file_id: &str, size: i64, name: Option<&str>, mime: Option<&str>) {
        if !self.files.contains_key(file_id) {
            self.serial += 1;
            let path = format!("files/file_{}", self.serial);
            let (name, mime) = (name.map(str::to_owned), mime.map(str::to_owned));
            self.files.insert(
                file_id.to_owned(),
                FileEntry {
                    bytes: None,
                    size,
                    path,
                    name,
                    mime,
                },
            );
        }
    }

    fn apply(&mut self, method: &str, p: &Params, up: &Uploads) -> ApiResult {
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
                self.messages
                    .remove(&key)
                    .map(|_| true.into())
                    .ok_or_else(|| bad("message to delete not found"))
            }
            "getchatmember" => self.chat_member(p),
            "setmessagereaction" => {
                let key = (chat_id(p)?, message_id(p)?);
                self.messages
                    .get(&key)
                    .map(|_| true.into())
                    .ok_or_else(|| bad("message to react not found"))
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

    fn download(&self, p: &Params) -> Outcome {
        let path = str_of(p, "file_path").unwrap_or_default();
        match self
            .files
            .values()
            .find(|f| f.path == path && f.size <= MAX_DOWNLOAD)
        {
            Some(file) => {
                Outcome::Bytes(file.bytes.clone().unwrap_or_else(|| file.plausible_bytes()))
            }
            None => Outcome::Json(Err(ApiError::new(404, "Not Found"))),
        }
    }

    fn set_webhook(&mut self, p: &Params) -> ApiResult {
        let url = str_of(p, "url").unwrap_or_default();
        if url.is_empty() {
            self.webhook = None;
        } else if !url.starts_with("https://") {
            return Err(bad(
                "bad webhook: An HTTPS URL must be provided for webhook",
            ));
        } else {
            self.webhook = Some((url.to_owned(), str_of(p, "secret_token").map(str::to_owned)));
        }
        if flag(p, "drop_pending_updates") {
            self.pending.clear();
        }
        Ok(true.into())
    }

    fn set_commands(&mut self, p: &Params) -> ApiResult {
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

    fn chat_action(&self, p: &Params) -> ApiResult {
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

    fn check_chat(&self, chat: i64, thread: Option<i64>) -> Result<(), ApiError> {
        if self.blocked.contains(&chat) {
            let why = if chat > 0 {
                "bot was blocked by the user"
            } else {
                "bot was kicked from the supergroup chat"
            };
            return Err(ApiError::new(403, format!("Forbidden: {why}")));
        }
        if let (Some(thread), Some(topics)) = (thread, self.forums.get(&chat))
            && !topics.contains_key(&thread)
        {
            return Err(bad("message thread not found"));
        }
        Ok(())
    }

    fn check_rate(&mut self, chat: i64, now: Instant) -> Result<(), ApiError> {
        if !self.rate_limits {
            return Ok(());
        }
        let second = Duration::from_secs(1);
        let until = |t: Instant, window: Duration| (t + window).saturating_duration_since(now);
        prune(&mut self.all_sends, now, second);
        let mut wait = nth_recent(&self.all_sends, GLOBAL_PER_SECOND)
            .map_or(Duration::ZERO, |t| until(t, second));
        let log = self.chat_sends.entry(chat).or_default();
        if chat < 0 {
            let minute = self.group_window;
            prune(log, now, minute);
            if let Some(t) = nth_recent(log, GROUP_PER_MINUTE) {
                wait = wait.max(until(t, minute));
            }
        } else {
            let window = Duration::from_secs(3);
            prune(log, now, window);
            if let Some(&last) = log.back()
                && now.duration_since(last) < second
                && log.len() >= self.burst
            {
                let gap = until(last, second);
                wait = wait
                    .max(nth_recent(log, self.burst).map_or(gap, |t| until(t, window).min(gap)));
            }
        }
        if wait.is_zero() {
            return Ok(());
        }
        Err(ApiError::retry(
            u64::try_from(wait.as_millis().div_ceil(1000))
                .unwrap_or(u64::MAX)
                .max(1),
        ))
    }

    fn send(&mut self, method: &str, p: &Params, up: &Uploads) -> ApiResult {
        let chat = chat_id(p)?;
        let thread = int(p, "message_thread_id");
        let parse_mode = str_of(p, "parse_mode");
        let mut content = Map::new();
        let (mut text, mut caption) = (None, None);
        match method {
            "sendmessage" => {
                let raw = str_of(p, "text").unwrap_or_default();
                let plain = updates::check_text(
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
            let plain =
                updates::check_text(raw, parse_mode, 1024, None, "message caption is too long")?;
            content.insert("caption".into(), plain.into());
            caption = Some(raw.to_owned());
        }
        let markup = updates::check_markup(p.get("reply_markup"))?;
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
        let raw = raw_content(text.as_deref(), caption.as_deref(), parse_mode);
        self.messages.insert(
            (chat, id),
            Stored {
                msg: msg.clone(),
                raw,
            },
        );
        self.chat_sends.entry(chat).or_default().push_back(now);
        self.all_sends.push_back(now);
        let at = self.started.elapsed();
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

    /// A photo/document given as file_id, URL or upload; registers new files.
    fn input_file(&mut self, p: &Params, up: &Uploads, kind: &str) -> ApiResult {
        let (file_id, size, name, mime) = match p.get(kind) {
            Some(Value::String(s)) if s.starts_with("http://") || s.starts_with("https://") => {
                let name = s.rsplit('/').next().map(str::to_owned);
                (
                    self.new_file(kind, None, 1024, name.as_deref(), None),
                    1024,
                    name,
                    None,
                )
            }
            Some(Value::String(s)) if !s.is_empty() => {
                let file = self
                    .files
                    .get(s)
                    .ok_or_else(|| bad("wrong file identifier/HTTP URL specified"))?;
                (s.clone(), file.size, file.name.clone(), file.mime.clone())
            }
            Some(Value::Object(d)) => {
                let upload = d
                    .get("attach")
                    .and_then(Value::as_str)
                    .and_then(|a| up.get(a));
                let upload =
                    upload.ok_or_else(|| bad(&format!("there is no {kind} in the request")))?;
                if upload.bytes.is_empty() {
                    return Err(bad("file must be non-empty"));
                }
                let (size, name, mime) = (
                    upload.bytes.len() as i64,
                    upload.file_name.clone(),
                    upload.mime.clone(),
                );
                (
                    self.new_file(
                        kind,
                        Some(upload.bytes.clone()),
                        size,
                        name.as_deref(),
                        mime.as_deref(),
                    ),
                    size,
                    name,
                    mime,
                )
            }
            _ => return Err(bad(&format!("there is no {kind} in the request"))),
        };
        let unique = format!("u{file_id}");
        if kind == "photo" {
            return Ok(
                json!([{"file_id": file_id, "file_unique_id": unique, "file_size": size, "width": 1280, "height": 720}]),
            );
        }
        let mut doc = json!({"file_id": file_id, "file_unique_id": unique, "file_size": size});
        if let Some(name) = name {
            doc["file_name"] = name.into();
        }
        if let Some(mime) = mime {
            doc["mime_type"] = mime.into();
        }
        Ok(doc)
    }

    fn new_file(
        &mut self,
        kind: &str,
        bytes: Option<Vec<u8>>,
        size: i64,
        name: Option<&str>,
        mime: Option<&str>,
    ) -> String {
        let prefix = if kind == "photo" { "AgAC" } else { "BQAC" };
        let id = format!("{prefix}fake{}", self.serial + 1);
        self.declare_file(&id, size, name, mime);
        if let Some(file) = self.files.get_mut(&id) {
            file.bytes = bytes;
        }
        id
    }

    fn reply_target(&self, chat: i64, p: &Params) -> Result<Option<Value>, ApiError> {
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

    fn edit(&mut self, method: &str, p: &Params) -> ApiResult {
        if p.contains_key("inline_message_id") {
            return Err(bad("MESSAGE_ID_INVALID"));
        }
        let key = (chat_id(p)?, message_id(p)?);
        let parse_mode = str_of(p, "parse_mode");
        let markup = updates::check_markup(p.get("reply_markup"))?.filter(has_buttons);
        self.check_chat(key.0, None)?;
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
            msg["text"] = updates::check_text(
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
        Ok(msg)
    }

    fn topic(&mut self, method: &str, p: &Params) -> ApiResult {
        let chat = chat_id(p)?;
        self.check_chat(chat, None)?;
        if !self.forums.contains_key(&chat) {
            return Err(bad("the chat is not a forum"));
        }
        let emoji = str_of(p, "icon_custom_emoji_id").map(str::to_owned);
        if method == "createforumtopic" {
            let name = str_of(p, "name").unwrap_or_default().trim().to_owned();
            if name.is_empty() || name.chars().count() > 128 {
                return Err(bad("TOPIC_TITLE_EMPTY"));
            }
            let id = self.next_message_id(chat);
            let icon_color = int(p, "icon_color").unwrap_or(0x6FB9F0);
            let mut result =
                json!({"message_thread_id": id, "name": name, "icon_color": icon_color});
            if let Some(emoji) = &emoji {
                result["icon_custom_emoji_id"] = emoji.clone().into();
            }
            let topic = Topic {
                name,
                icon_color,
                emoji,
                closed: false,
            };
            self.forums.entry(chat).or_default().insert(id, topic);
            return Ok(result);
        }
        let thread = int(p, "message_thread_id").ok_or_else(|| bad("TOPIC_ID_INVALID"))?;
        let topics = self.forums.entry(chat).or_default();
        if method == "deleteforumtopic" {
            return topics
                .remove(&thread)
                .map(|_| true.into())
                .ok_or_else(|| bad("TOPIC_ID_INVALID"));
        }
        let topic = topics
            .get_mut(&thread)
            .ok_or_else(|| bad("TOPIC_ID_INVALID"))?;
        let changed = match method {
            "editforumtopic" => {
                let name = str_of(p, "name")
                    .filter(|n| *n != topic.name)
                    .map(str::to_owned);
                let emoji = emoji.filter(|e| Some(e) != topic.emoji.as_ref());
                let changed = name.is_some() || emoji.is_some();
                topic.name = name.unwrap_or_else(|| topic.name.clone());
                topic.emoji = emoji.or(topic.emoji.take());
                changed
            }
            "closeforumtopic" => !std::mem::replace(&mut topic.closed, true),
            _ => std::mem::replace(&mut topic.closed, false),
        };
        if changed {
            Ok(true.into())
        } else {
            Err(bad("TOPIC_NOT_MODIFIED"))
        }
    }

    fn chat_member(&self, p: &Params) -> ApiResult {
        let chat = chat_id(p)?;
        let user_id = int(p, "user_id").ok_or_else(|| bad("invalid user_id specified"))?;
        let status = self
            .members
            .get(&(chat, user_id))
            .map_or("left", String::as_str);
        let user = self.users.get(&user_id).map_or_else(
            || json!({"id": user_id, "is_bot": false, "first_name": format!("User{user_id}")}),
            TestUser::json,
        );
        let mut member = json!({"user": user, "status": status});
        let (flags, extra): (&[&str], Value) = match status {
            "creator" => (&["is_anonymous"], json!({})),
            "administrator" => (updates::ADMIN_FLAGS, json!({"can_manage_chat": true})),
            "restricted" => (
                updates::RESTRICTED_FLAGS,
                json!({"is_member": true, "until_date": 0}),
            ),
            "kicked" => (&[], json!({ "until_date": 0 })),
            _ => (&[], json!({})),
        };
        for f in flags {
            member[*f] = false.into();
        }
        member
            .as_object_mut()
            .into_iter()
            .for_each(|m| m.extend(extra.as_object().cloned().unwrap_or_default()));
        Ok(member)
    }
}

/// An inline keyboard with at least one button (an empty one means "no keyboard").
fn has_buttons(markup: &Value) -> bool {
    let rows = markup.get("inline_keyboard").and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .any(|row| !row.is_empty())
}

fn commands_key(p: &Params) -> String {
    let scope = p
        .get("scope")
        .map_or_else(|| "default".to_owned(), Value::to_string);
    format!("{scope}/{}", str_of(p, "language_code").unwrap_or_default())
}

fn prune(log: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while log
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        log.pop_front();
    }
}

/// The send that must leave the window before fewer than `limit` remain in it.
fn nth_recent(log: &VecDeque<Instant>, limit: usize) -> Option<Instant> {
    let index = log.len().checked_sub(limit).filter(|_| limit > 0)?;
    log.get(index).copied()
}

/// A TCP listener whose connections can be closed from a handler (for [`Fault::Drop`]).
struct KillableListener(TcpListener);

struct KillableStream {
    stream: TcpStream,
    kill: Arc<AtomicBool>,
}

/// Connect info handed to handlers: set the flag and the response is never written.
#[derive(Clone)]
struct Conn(Arc<AtomicBool>);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (KillableStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (
                        KillableStream {
                            stream,
                            kill: Arc::default(),
                        },
                        addr,
                    );
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        Conn(stream.io().kill.clone())
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.kill.load(Ordering::SeqCst) {
            // hyper gives up on the connection and drops (closes) the socket unanswered.
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
