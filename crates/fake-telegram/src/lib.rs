//! A fake Telegram Bot API server on 127.0.0.1: answers `{api_url}/bot{token}/{method}` like
//! the real API (validation, flood control, long polling, forum topics, files), records every
//! call and sent message, and injects faults (429, 5xx, dropped connections, delays).

mod chats;
mod controls;
mod error;
mod files;
mod limits;
mod listener;
mod messages;
mod methods;
mod params;
mod polling;
mod server;
mod state;
mod text;
mod types;
mod updates;
mod waits;

pub use types::{Call, Chaos, Fault, Sent};
pub use updates::TestUser;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use listener::{Conn, KillableListener};
use server::Shared;
use state::State;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;

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
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            state: Mutex::new(State::new(token)),
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
            _server: Arc::new(AbortOnDrop(server)),
        })
    }

    /// Time since the fake started, on the clock of [`Call::at`].
    pub fn elapsed(&self) -> Duration {
        self.lock().started.elapsed()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }
}
