//! A local HTTP SMS gateway: records `POST /sms` bodies and bearer tokens, and can fail a
//! number of times before accepting.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Sms {
    pub to: String,
    pub text: String,
    pub token: Option<String>,
}

#[derive(Default)]
struct Inner {
    received: Vec<Sms>,
    failures_left: usize,
    attempts: usize,
}

#[derive(Clone)]
pub struct SmsGateway {
    inner: Arc<Mutex<Inner>>,
    pub url: String,
}

impl SmsGateway {
    pub async fn start() -> SmsGateway {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/sms", post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SmsGateway { inner, url }
    }

    /// The next `n` requests get a 503.
    pub fn fail_next(&self, n: usize) {
        self.inner.lock().expect("lock").failures_left = n;
    }

    pub fn attempts(&self) -> usize {
        self.inner.lock().expect("lock").attempts
    }

    pub fn received(&self) -> Vec<Sms> {
        self.inner.lock().expect("lock").received.clone()
    }

    /// Waits for the `n`-th accepted SMS (1-based) to `to`.
    pub async fn wait_for(&self, to: &str, n: usize, timeout: Duration) -> Sms {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mine: Vec<Sms> = self.received().into_iter().filter(|s| s.to == to).collect();
            if let Some(sms) = mine.get(n - 1) {
                return sms.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("no SMS #{n} to {to}; received: {:?}", self.received());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let Ok(mut inner) = inner.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    inner.attempts += 1;
    if inner.failures_left > 0 {
        inner.failures_left -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let Ok(json) = serde_json::from_str::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    inner.received.push(Sms {
        to: json["to"].as_str().unwrap_or_default().to_string(),
        text: json["text"].as_str().unwrap_or_default().to_string(),
        token,
    });
    StatusCode::OK
}
