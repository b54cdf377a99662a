//! Databases for tests: a fresh SQLite file always, and a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` is set (CI sets it).

use sqlx::Connection;
use std::path::Path;

/// The backends to run a storage test on: (name, DATABASE_URL).
pub async fn backends(dir: &Path) -> Vec<(&'static str, String)> {
    let mut list = vec![(
        "sqlite",
        format!("sqlite://{}", dir.join("helpdesk.db").display()),
    )];
    if let Ok(admin) = std::env::var("TEST_DATABASE_URL") {
        list.push(("postgres", fresh_postgres(&admin).await));
    }
    list
}

/// Creates an empty database on the server of `admin_url` and returns its URL.
pub async fn fresh_postgres(admin_url: &str) -> String {
    let name = format!("helpdesk_test_{}_{}", std::process::id(), rand_suffix());
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL");
    url.set_path(&name);
    url.to_string()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    u64::from(nanos) * 1000 + N.fetch_add(1, Ordering::SeqCst)
}
