//! Which database errors pass on their own (the server restarting, a dropped connection, a
//! busy SQLite file, a serialization conflict): work that hit one is retried, never given up.

use super::StoreError;

/// SQLSTATE classes and codes that say "try again": connection exceptions (08), the server
/// shutting down or starting (57P01–57P03), serialization failures and deadlocks (40001,
/// 40P01), and too many connections (53300).
const TRANSIENT_SQLSTATES: &[&str] = &["57P01", "57P02", "57P03", "40001", "40P01", "53300"];
/// SQLite's SQLITE_BUSY and SQLITE_LOCKED primary codes.
const SQLITE_BUSY_CODES: &[&str] = &["5", "6"];

impl StoreError {
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Sqlx(e)
            | StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(e)
                | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => sqlx_is_transient(e),
            _ => false,
        }
    }
}

fn sqlx_is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|code| {
                code.starts_with("08")
                    || TRANSIENT_SQLSTATES.contains(&code.as_ref())
                    || SQLITE_BUSY_CODES.contains(&code.as_ref())
            })
            // 55000 at connect time: the database is closed to connections for a while.
            || db.message().contains("not currently accepting connections")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_trouble_is_transient_and_bad_data_is_not() {
        let cases = [
            (StoreError::Sqlx(sqlx::Error::PoolTimedOut), true),
            (StoreError::Sqlx(sqlx::Error::PoolClosed), true),
            (
                StoreError::Sqlx(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "reset",
                ))),
                true,
            ),
            (StoreError::Sqlx(sqlx::Error::RowNotFound), false),
            (StoreError::Scheme("mysql".into()), false),
        ];
        for (error, transient) in cases {
            assert_eq!(error.is_transient(), transient, "{error}");
        }
    }

    #[tokio::test]
    async fn a_constraint_violation_is_not_transient() {
        let dir = std::env::temp_dir().join(format!("helpdesk-constraint-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("constraint.db").display());
        let Ok(store) = super::super::Store::connect(&url).await else {
            panic!("connect {url}");
        };
        // A constraint violation is a database error that must not count as transient.
        let twice = "INSERT INTO kv (key, value) VALUES ('busy-test', '1')";
        let _ = sqlx::query(twice).execute(&store.pool).await;
        let error = sqlx::query(twice).execute(&store.pool).await.err();
        assert!(
            error.is_some_and(|e| !StoreError::Sqlx(e).is_transient()),
            "a unique violation is not transient"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
