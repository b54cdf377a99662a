//! The HTTP side: routing `/bot{token}/{method}`, `/file/bot{token}/{path}` and `/sms` (an
//! SMS gateway that accepts every message, for the benchmark's bot), faults, and the answer
//! as JSON or bytes.

use crate::error::{ApiError, ApiResult};
use crate::listener::Conn;
use crate::params::{Params, Uploads, read_params};
use crate::state::State;
use crate::types::Fault;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

pub(crate) const METHODS: &[&str] = &[
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

pub(crate) struct Shared {
    pub(crate) token: String,
    /// When the fake started: the clock of [`crate::Call::at`], readable without the lock.
    pub(crate) started: Instant,
    pub(crate) state: Mutex<State>,
    pub(crate) updates: Notify,
    pub(crate) sent: Notify,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) async fn dispatch(
        &self,
        token: &str,
        method: &str,
        p: Params,
        up: Uploads,
    ) -> Outcome {
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

pub(crate) enum Outcome {
    Json(ApiResult),
    Bytes(Vec<u8>),
    Drop,
}

pub(crate) async fn handle(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response {
    let conn = req
        .extensions()
        .get::<ConnectInfo<Conn>>()
        .map(|c| c.0.clone());
    let path = req.uri().path().to_owned();
    if path == "/sms" {
        // The gateway's request is `{"to", "text"}`; the last text per number is kept.
        let body = axum::body::to_bytes(req.into_body(), crate::params::MAX_BODY)
            .await
            .unwrap_or_default();
        let sms: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let mut st = shared.lock();
        st.load.sms += 1;
        if let (Some(to), Some(text)) = (sms["to"].as_str(), sms["text"].as_str()) {
            st.load.sms_texts.insert(to.to_owned(), text.to_owned());
        }
        return (StatusCode::OK, axum::Json(json!({ "accepted": true }))).into_response();
    }
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
    let (mut body, uploads, unreadable) = match read_params(req).await {
        Ok((params, uploads)) => (params, uploads, None),
        Err(e) => (Params::new(), Uploads::new(), Some(e)),
    };
    if let Some(file_path) = file_path {
        body.insert("file_path".into(), file_path.into());
    }
    // In load mode nothing is recorded: no copy of the call or of its answer.
    let index = shared
        .lock()
        .record(&method, || Value::Object(body.clone()));
    let logged = |v: &Value| {
        if index.is_some() {
            v.clone()
        } else {
            Value::Null
        }
    };
    let outcome = match unreadable {
        None => shared.dispatch(token, &method, body, uploads).await,
        Some(e) => Outcome::Json(Err(e)),
    };
    let (status, logged, response) = match outcome {
        Outcome::Json(Ok(result)) => {
            let v = json!({"ok": true, "result": result});
            (
                200,
                logged(&v),
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

pub(crate) fn error_response(e: &ApiError) -> Response {
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e.json())).into_response()
}
