//! A fake Telegram Bot API server on 127.0.0.1: answers `{api_url}/bot{token}/{method}` like
//! the real API (validation, flood control, long polling, forum topics, files), records every
//! call and sent message, and injects faults (429, 5xx, dropped connections, delays). The
//! end-to-end tests use it as it is; the benchmark turns on its load mode (counts instead of
//! records) and, for several instances, its webhook delivery.

mod chats;
mod controls;
mod error;
mod files;
mod limits;
mod listener;
mod load;
mod messages;
mod methods;
mod params;
mod polling;
mod push;
mod server;
mod state;
mod text;
mod types;
mod updates;
mod waits;

pub use types::{Call, Chaos, Fault, Reply, Sent};
pub use updates::TestUser;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use listener::{Conn, KillableListener};
use server::Shared;
use state::State;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// The fake server; clones share it. It stops when the last clone is dropped.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Arc<AbortOnDrop>,
    /// The webhook delivery task, once [`FakeTelegram::deliver_to_webhooks`] started it.
    pusher: Arc<Mutex<Option<AbortOnDrop>>>,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl FakeTelegram {
    /// Starts the server on 127.0.0.1 with a random port; must run inside a tokio runtime.
    /// Panics if no port can be bound (see [`FakeTelegram::try_start`]).
    pub async fn start(token: &str) -> FakeTelegram {
        FakeTelegram::try_start(token)
            .await
            .expect("fake telegram: bind 127.0.0.1")
    }

    /// Starts the server on 127.0.0.1 with a random port; must run inside a tokio runtime.
    pub async fn try_start(token: &str) -> std::io::Result<FakeTelegram> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let started = Instant::now();
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            started,
            state: Mutex::new(State::new(token, started)),
            updates: Notify::new(),
            sent: Notify::new(),
        });
        let app = Router::new()
            .fallback(server::handle)
            .layer(DefaultBodyLimit::max(params::MAX_BODY))
            .with_state(shared.clone());
        let service = app.into_make_service_with_connect_info::<Conn>();
        let server = tokio::spawn(async move {
            let _ = axum::serve(KillableListener(listener), service).await;
        });
        Ok(FakeTelegram {
            shared,
            addr,
            server: Arc::new(AbortOnDrop(server)),
            pusher: Arc::default(),
        })
    }

    /// Stops serving now, though clones remain (long polls in progress are cut off), and
    /// stops delivering to webhooks; what was recorded can still be read.
    pub fn stop(&self) {
        self.server.0.abort();
        if let Some(pusher) = self.pusher.lock().ok().as_ref().and_then(|p| p.as_ref()) {
            pusher.0.abort();
        }
    }

    /// Time since the fake started, on the clock of [`Call::at`] and [`Reply::at`].
    pub fn elapsed(&self) -> Duration {
        self.shared.started.elapsed()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }
}
