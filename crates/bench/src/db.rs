//! The bench's database: always a fresh one, so a run never touches real data. SQLite: a
//! new file (a temporary one unless a new path was given); PostgreSQL: a new database on the
//! given server, dropped afterwards.

use helpdesk::app::AppError;
use helpdesk::store::{Store, StoreError};
use sqlx::Connection;
use std::path::{Path, PathBuf};

/// The settings' default `DATABASE_URL`: never the bench's (it may be the real bot's data).
const DEFAULT_URL: &str = "sqlite://helpdesk.db";

pub enum BenchDb {
    Sqlite { file: PathBuf },
    Postgres { admin: String, name: String },
}

fn io(message: String) -> AppError {
    AppError::Io(std::io::Error::other(message))
}

fn sqlx_err(e: sqlx::Error) -> AppError {
    AppError::Store(StoreError::Sqlx(e))
}

impl BenchDb {
    /// Picks or creates the database for `given` (the `--database-url`); `scratch` holds a
    /// temporary SQLite file.
    pub async fn prepare(given: &str, scratch: &Path) -> Result<BenchDb, AppError> {
        if given == DEFAULT_URL {
            return Ok(BenchDb::Sqlite {
                file: scratch.join("bench.db"),
            });
        }
        if let Some(path) = given.strip_prefix("sqlite://") {
            let file = PathBuf::from(path.split('?').next().unwrap_or(path));
            if file.exists() {
                return Err(io(format!(
                    "bench: {} exists; the bench needs a fresh database (remove it or name a new file)",
                    file.display()
                )));
            }
            return Ok(BenchDb::Sqlite { file });
        }
        if given.starts_with("postgres://") || given.starts_with("postgresql://") {
            let name = format!("helpdesk_bench_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(given).await.map_err(sqlx_err)?;
            for sql in [
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .map_err(sqlx_err)?;
            }
            let _ = conn.close().await;
            return Ok(BenchDb::Postgres {
                admin: given.to_string(),
                name,
            });
        }
        Err(io(
            "bench: DATABASE_URL must start with sqlite:// or postgres://".into(),
        ))
    }

    /// The URL the bot connects to.
    pub fn url(&self) -> Result<String, AppError> {
        match self {
            BenchDb::Sqlite { file } => Ok(format!("sqlite://{}", file.display())),
            BenchDb::Postgres { admin, name } => {
                let mut url = url::Url::parse(admin).map_err(|e| io(format!("bench: {e}")))?;
                url.set_path(name);
                Ok(url.to_string())
            }
        }
    }

    /// What to print: never a password.
    pub fn describe(&self) -> String {
        match self {
            BenchDb::Sqlite { file } => format!("SQLite {}", file.display()),
            BenchDb::Postgres { name, .. } => format!("PostgreSQL database {name} (fresh)"),
        }
    }

    /// Bytes the database takes: SQLite file + `-wal` + `-shm`, or `pg_database_size`. With
    /// `checkpoint` (only once the bot stopped: a truncating checkpoint waits for writers)
    /// the detail says what SQLite's file holds after folding the WAL in.
    pub async fn size(&self, store: &Store, checkpoint: bool) -> Result<(u64, String), AppError> {
        match self {
            BenchDb::Sqlite { file } => {
                let len = |suffix: &str| {
                    let mut name = file.clone().into_os_string();
                    name.push(suffix);
                    std::fs::metadata(PathBuf::from(name)).map_or(0, |m| m.len())
                };
                let (main, wal, shm) = (len(""), len("-wal"), len("-shm"));
                if !checkpoint {
                    return Ok((main + wal + shm, String::new()));
                }
                // What the data itself takes once the WAL is folded into the file.
                let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&store.pool)
                    .await;
                let detail = format!(
                    "file {} KiB + wal {} KiB + shm {} KiB; after a checkpoint {} KiB",
                    main / 1024,
                    wal / 1024,
                    shm / 1024,
                    (len("") + len("-wal")) / 1024
                );
                Ok((main + wal + shm, detail))
            }
            BenchDb::Postgres { .. } => {
                let (bytes,): (i64,) =
                    sqlx::query_as("SELECT pg_database_size(current_database())")
                        .fetch_one(&store.pool)
                        .await
                        .map_err(sqlx_err)?;
                let bytes = u64::try_from(bytes).unwrap_or(0);
                Ok((bytes, "pg_database_size".into()))
            }
        }
    }

    /// Removes what `prepare` made (the pool must be closed first), unless `keep`.
    pub async fn cleanup(&self, keep: bool) -> Result<(), AppError> {
        match self {
            _ if keep => Ok(()),
            BenchDb::Sqlite { file } => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut name = file.clone().into_os_string();
                    name.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(name));
                }
                Ok(())
            }
            BenchDb::Postgres { admin, name } => {
                let mut conn = sqlx::PgConnection::connect(admin).await.map_err(sqlx_err)?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .map_err(sqlx_err)?;
                let _ = conn.close().await;
                Ok(())
            }
        }
    }

    /// Adds `chats` stored chats that take no part in the run (ids from 200,000,000), as a
    /// bot has after a busy season: one statement, so it takes seconds, not minutes.
    pub async fn seed_chats(&self, store: &Store, chats: u64) -> Result<(), AppError> {
        if chats == 0 {
            return Ok(());
        }
        const COLUMNS: &str = "INSERT INTO chat_state (chat_id, user_id, node, answers, history,
            locale, retries, version, handed_over, flood_since, flood_count, created_at, updated_at)";
        const VALUES: &str = "SELECT 200000000 + i, 200000000 + i, 'registration.code',
            '{\"email\":\"seeded@bench.example.org\"}', '[]', 'zh-CN', 0, 3, 0, 0, 0, 0, 0";
        let sql = match self {
            BenchDb::Sqlite { .. } => format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
                 {COLUMNS} {VALUES} FROM n"
            ),
            BenchDb::Postgres { .. } => {
                format!("{COLUMNS} {VALUES} FROM generate_series(1, $1) AS g(i)")
            }
        };
        let chats = i64::try_from(chats).unwrap_or(i64::MAX);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(chats)
            .execute(&store.writer)
            .await
            .map_err(sqlx_err)?;
        Ok(())
    }
}
