//! Storage: one sqlx pool over SQLite (default, WAL) or PostgreSQL, chosen by `DATABASE_URL`,
//! with embedded per-backend migrations. Repositories take a connection so they can share
//! the one transaction a handled update runs in.

pub mod accounts;
pub mod agent_inbox;
pub mod audit;
pub mod chat_state;
pub mod claims;
pub mod codes;
pub mod duplicates;
pub mod files;
pub mod inbox;
pub mod instances;
pub mod limits;
pub mod outbox;
mod padded;
pub mod person;
pub mod progress;
pub mod records;
pub mod relay;
pub mod reminders;
pub mod tickets;
mod transient;
pub mod unmatched;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::PathBuf;
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
    #[error("syncing the database: {0}")]
    Io(#[from] std::io::Error),
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
    /// Reads (and, on PostgreSQL, everything).
    pub pool: AnyPool,
    /// Write transactions. On SQLite a pool of one connection, so writers queue in the
    /// process instead of sleeping in SQLite's busy handler; on PostgreSQL the same pool.
    pub writer: AnyPool,
    pub backend: Backend,
    /// Who this process is among the instances sharing the database (`INSTANCE_ID`): the
    /// owner recorded on the outbox claims it takes.
    pub instance: Arc<str>,
    /// SQLite's write-ahead log file, synced by [`Store::sync_wal`].
    wal: Option<PathBuf>,
}

impl Store {
    /// Connects, creating a missing SQLite file, and applies the migrations.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let scheme = url.split(':').next().unwrap_or_default().to_string();
        let (backend, url) = match scheme.as_str() {
            "sqlite" => (Backend::Sqlite, sqlite_url(url)),
            "postgres" | "postgresql" => (Backend::Postgres, url.to_string()),
            _ => return Err(StoreError::Scheme(scheme)),
        };
        let options = || AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                // Readers: WAL lets them run while the writer writes.
                let pool = options()
                    .max_connections(3)
                    .after_connect(|conn, _| Box::pin(sqlite_settings(conn)))
                    .connect(&url)
                    .await?;
                // One writer connection: SQLite runs one write transaction at a time anyway,
                // and waiting for the pool is a fair queue, while two connections contending
                // for the lock wait in SQLite's busy handler, which sleeps up to 100 ms a try.
                let writer = options()
                    .max_connections(1)
                    .min_connections(1)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlite_settings(conn).await?;
                            // Its page cache stays valid (no other connection writes), so a
                            // larger one saves re-reading hot pages: 16 MiB.
                            conn.execute("PRAGMA cache_size = -16384").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = options()
                    .max_connections(8)
                    .after_connect(|conn, _| Box::pin(postgres_settings(conn)))
                    .connect(&url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        let wal = match backend {
            Backend::Sqlite => sqlite_wal_path(&url),
            Backend::Postgres => None,
        };
        let store = Store {
            pool,
            writer,
            backend,
            wal,
            instance: Arc::from(crate::config::host_name().as_str()),
        };
        store.migrate().await?;
        Ok(store)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.writer)
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
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Makes every commit so far durable against a power loss (SQLite). SQLite commits with
    /// `synchronous = NORMAL` write the WAL without an fsync; this syncs the WAL file from
    /// another file handle (fsync covers the file, not the handle), so the writer connection
    /// goes on meanwhile. A checkpoint that moves frames into the database file syncs that
    /// file before the WAL is reused, so a synced frame is never lost. PostgreSQL: nothing
    /// to do here (the inbox insert commits synchronously).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sync_wal(&self) -> Result<(), StoreError> {
        let Some(wal) = self.wal.clone() else {
            return Ok(());
        };
        let synced = tokio::task::spawn_blocking(move || match std::fs::File::open(&wal) {
            Ok(file) => file.sync_data(),
            // No WAL file: nothing was written since the last checkpoint removed it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        })
        .await
        .map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
        Ok(synced?)
    }

    /// Whether the database answers (for `/healthz`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kv_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM kv WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kv_set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Stores `value` under `key` unless a value is there; returns the value kept.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn kv_insert_or_get(&self, key: &str, value: &str) -> Result<String, StoreError> {
        sqlx::query("INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.writer)
            .await?;
        Ok(self.kv_get(key).await?.unwrap_or_else(|| value.to_string()))
    }
}

/// Settings of every SQLite connection.
async fn sqlite_settings(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    // WAL: readers never wait for the writer. synchronous = NORMAL: in WAL mode a commit is
    // a write into the WAL file, without an fsync; it survives a crash of the process (the
    // data is in the operating system's cache) and is synced at the next checkpoint. A
    // power loss can take back the last commits; the inbox insert, which tells Telegram an
    // update arrived, syncs the WAL itself (`inbox::insert_batch`).
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA synchronous = NORMAL").await?;
    conn.execute("PRAGMA busy_timeout = 10000").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    Ok(())
}

/// Settings of every PostgreSQL connection.
async fn postgres_settings(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    // Commits do not wait for the WAL flush (an fsync, milliseconds on a small disk), the
    // same bargain as SQLite's synchronous = NORMAL: a crash of the bot loses nothing, a crash
    // of the server can take back the last ~0.6 s (3 × wal_writer_delay) of commits. The
    // inbox insert, which tells Telegram an update arrived, commits synchronously
    // (`inbox::insert_batch`), and flushing it flushes every earlier commit; a handling
    // transaction taken back is redone from the inbox.
    conn.execute("SET synchronous_commit = off").await?;
    Ok(())
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

/// The `-wal` file next to the database file of an SQLite URL (none in memory).
fn sqlite_wal_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next().unwrap_or(rest);
    if file.is_empty() || file.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(format!("{file}-wal")))
}

/// Milliseconds since the Unix epoch, the time unit of every stored timestamp.
pub fn millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}
