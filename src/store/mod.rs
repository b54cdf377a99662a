//! Storage: one sqlx pool over SQLite (default, WAL) or PostgreSQL, chosen by `DATABASE_URL`,
//! with embedded per-backend migrations. Repositories take a connection so they can share
//! the one transaction a handled update runs in.

pub mod accounts;
pub mod agents;
pub mod chat_state;
pub mod codes;
pub mod duplicates;
pub mod files;
pub mod inbox;
pub mod outbox;
pub mod records;
pub mod relay;
pub mod tickets;
mod transient;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;

pub use sqlx::AnyConnection as Conn;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got a `{0}` URL)")]
    Scheme(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database the bot keeps everything in.
#[derive(Debug, Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Who this process is among the instances sharing the database (`INSTANCE_ID`): the
    /// owner recorded on the outbox claims it takes.
    pub instance: Arc<str>,
}

impl Store {
    /// Connects, creating a missing SQLite file, and applies the migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let scheme = url.split(':').next().unwrap_or_default().to_string();
        let (backend, url) = match scheme.as_str() {
            "sqlite" => (Backend::Sqlite, sqlite_url(url)),
            "postgres" | "postgresql" => (Backend::Postgres, url.to_string()),
            _ => return Err(StoreError::Scheme(scheme)),
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets the sender read while a handler writes; NORMAL sync keeps
                            // every committed transaction across a process crash.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => options.max_connections(8).connect(&url).await?,
        };
        let store = Store {
            pool,
            backend,
            instance: Arc::from(default_instance_id().as_str()),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once, so two
    /// transactions never deadlock upgrading a read lock.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn kv_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM kv WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn kv_set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Stores `value` under `key` unless a value is there; returns the value kept.
    pub async fn kv_insert_or_get(&self, key: &str, value: &str) -> Result<String, StoreError> {
        sqlx::query("INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(self.kv_get(key).await?.unwrap_or_else(|| value.to_string()))
    }
}

/// This machine's host name: the instance id when `INSTANCE_ID` is not set.
pub fn default_instance_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// Adds `mode=rwc` so a missing SQLite file is created.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Milliseconds since the Unix epoch, the time unit of every stored timestamp.
pub fn millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}
