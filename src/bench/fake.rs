//! A fast in-process fake Bot API on 127.0.0.1 for `helpdesk bench`: long polling fed from an
//! in-memory queue, the send/answer/edit methods, an SMS gateway at `/sms`, optional Telegram
//! limits (429 with `retry_after`), and the times updates were offered and replies arrived.

use super::fake_json::{Params, bot_user, int, message, params};
use super::fake_state::{Inner, Reply};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "helpdesk_bench_bot";
/// getUpdates never holds a request longer than this.
const LONG_POLL_CAP_S: i64 = 25;

/// The shared state of the fake; clones of `Fake` point at the same server.
pub struct Shared {
    token: String,
    inner: Mutex<Inner>,
    pub(super) arrived: Notify,
    /// Webhooks set (URL, secret), posted to in turn; none: long polling.
    hooks: Mutex<Vec<(String, String)>>,
    pub count_429: AtomicU64,
    pub sms: AtomicU64,
    calls: Mutex<BTreeMap<String, u64>>,
}

#[derive(Clone)]
pub struct Fake {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Arc<tokio::task::JoinHandle<()>>,
    pusher: Arc<tokio::task::JoinHandle<()>>,
}

impl Shared {
    pub(super) fn hooks(&self) -> Vec<(String, String)> {
        self.hooks.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// Confirms updates below `offset` and hands out up to `limit` from it.
    pub(super) fn take(&self, offset: i64, limit: i64) -> Vec<Value> {
        self.inner
            .lock()
            .map(|mut i| i.take(offset, limit, Instant::now()))
            .unwrap_or_default()
    }

    fn set_webhook(&self, params: &Params) {
        let url = params
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let secret = params.get("secret_token").and_then(Value::as_str);
        if let (false, Some(secret), Ok(mut hooks)) = (url.is_empty(), secret, self.hooks.lock())
            && !hooks.iter().any(|(u, _)| u == url)
        {
            hooks.push((url.to_string(), secret.to_string()));
        }
    }
}

impl Fake {
    /// Starts the server on a free loopback port. `limits` makes it answer 429 like Telegram.
    pub async fn start(token: &str, limits: bool) -> std::io::Result<Fake> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            token: token.to_string(),
            inner: Mutex::new(Inner::new(limits)),
            arrived: Notify::new(),
            hooks: Mutex::new(Vec::new()),
            count_429: AtomicU64::new(0),
            sms: AtomicU64::new(0),
            calls: Mutex::new(BTreeMap::new()),
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "bench: the fake Bot API stopped");
            }
        });
        let pusher = tokio::spawn(super::fake_push::run(shared.clone()));
        Ok(Fake {
            shared,
            addr,
            server: Arc::new(server),
            pusher: Arc::new(pusher),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving (long polls in progress are cut off).
    pub fn stop(&self) {
        self.server.abort();
        self.pusher.abort();
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replies to `chat` so far, counted: wait on it, then read them with [`Fake::replies`].
    pub fn subscribe(&self, chat: i64) -> watch::Receiver<usize> {
        self.lock().chat(chat).count.subscribe()
    }

    /// The replies to `chat` from index `from` on.
    pub fn replies(&self, chat: i64, from: usize) -> Vec<Reply> {
        let mut inner = self.lock();
        let replies = &inner.chat(chat).replies;
        replies
            .get(from..)
            .map(<[Reply]>::to_vec)
            .unwrap_or_default()
    }

    /// The student in private chat `chat` sends `text`; returns when it was offered.
    pub fn offer_text(&self, chat: i64, text: &str) -> Instant {
        let offered = self.lock().offer_text(chat, text);
        self.shared.arrived.notify_waiters();
        offered
    }

    /// The student presses the button with `data` under the bot's message `message_id`.
    pub fn offer_press(&self, chat: i64, message_id: i64, data: &str) -> Instant {
        let offered = self.lock().offer_press(chat, message_id, data);
        self.shared.arrived.notify_waiters();
        offered
    }

    /// Records the texts of the replies to `chat` (for `--trace`).
    pub fn trace(&self, chat: i64) {
        self.lock().traced = Some(chat);
    }

    /// Calls answered per method (lowercased), and the time updates waited to be fetched.
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.shared
            .calls
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
    }

    pub fn fetch_waits(&self) -> Vec<Duration> {
        self.lock().fetch_waits.clone()
    }

    pub fn offered(&self) -> u64 {
        self.lock().offered
    }

    pub fn count_429(&self) -> u64 {
        self.shared.count_429.load(Ordering::Relaxed)
    }

    #[allow(dead_code)] // read by the benchmark once it drives SMS codes
    pub fn sms(&self) -> u64 {
        self.shared.sms.load(Ordering::Relaxed)
    }
}

fn answer(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn ok(result: Value) -> Response {
    answer(StatusCode::OK, json!({ "ok": true, "result": result }))
}

fn error(code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    answer(
        status,
        json!({ "ok": false, "error_code": code, "description": description }),
    )
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    if path == "/sms" {
        shared.sms.fetch_add(1, Ordering::Relaxed);
        return answer(StatusCode::OK, json!({ "accepted": true }));
    }
    let Some((token, method)) = path.strip_prefix("/bot").and_then(|r| r.split_once('/')) else {
        return error(404, "Not Found");
    };
    if token != shared.token {
        return error(401, "Unauthorized");
    }
    let method = method.to_ascii_lowercase();
    if let Ok(mut calls) = shared.calls.lock() {
        *calls.entry(method.clone()).or_insert(0) += 1;
    }
    let params = params(&headers, &body);
    let inner = || shared.inner.lock().unwrap_or_else(|p| p.into_inner());
    match method.as_str() {
        "getme" => ok(bot_user(true)),
        "getupdates" => get_updates(&shared, &params).await,
        "sendmessage" | "sendphoto" | "senddocument" => {
            let Some(chat) = int(&params, "chat_id") else {
                return error(400, "Bad Request: chat_id is empty");
            };
            match inner().send(chat, &method, &params, Instant::now()) {
                Ok(message) => ok(message),
                Err(retry_after) => {
                    shared.count_429.fetch_add(1, Ordering::Relaxed);
                    answer(
                        StatusCode::TOO_MANY_REQUESTS,
                        json!({ "ok": false, "error_code": 429,
                            "description": format!("Too Many Requests: retry after {retry_after}"),
                            "parameters": { "retry_after": retry_after } }),
                    )
                }
            }
        }
        "editmessagereplymarkup" | "editmessagetext" => {
            match (int(&params, "chat_id"), int(&params, "message_id")) {
                (Some(chat), Some(id)) => ok(message(id, chat, &params)),
                _ => error(400, "Bad Request: message to edit not found"),
            }
        }
        "getwebhookinfo" => ok(json!({ "url": "", "has_custom_certificate": false,
            "pending_update_count": 0 })),
        "setwebhook" => {
            shared.set_webhook(&params);
            ok(json!(true))
        }
        "answercallbackquery"
        | "setmycommands"
        | "deletewebhook"
        | "setmessagereaction"
        | "sendchataction"
        | "deletemessage" => ok(json!(true)),
        _ => error(404, "Not Found"),
    }
}

/// getUpdates: forgets updates below `offset`, returns up to `limit` from it, and holds the
/// request up to `timeout` seconds while there are none.
async fn get_updates(shared: &Shared, params: &Params) -> Response {
    let offset = int(params, "offset").unwrap_or(0);
    let limit = int(params, "limit").unwrap_or(100).clamp(1, 100);
    let timeout = int(params, "timeout")
        .unwrap_or(0)
        .clamp(0, LONG_POLL_CAP_S);
    let deadline = Instant::now() + Duration::from_secs(timeout.unsigned_abs());
    loop {
        let arrived = shared.arrived.notified();
        tokio::pin!(arrived);
        arrived.as_mut().enable();
        let batch = shared.take(offset, limit);
        if !batch.is_empty() || Instant::now() >= deadline {
            return ok(Value::Array(batch));
        }
        tokio::select! {
            _ = &mut arrived => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}
