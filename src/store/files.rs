//! Stored files as rows (FILE_STORE=database), so every instance sharing the database can
//! serve a file any of them stored.

use super::{Store, StoreError};

/// Stores `bytes` under `key`; a key already stored is kept (keys name their content).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn put(store: &Store, key: &str, bytes: &[u8], now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO files (key, bytes, size, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(bytes)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(now)
    .execute(&store.pool)
    .await?;
    Ok(())
}

/// [`put`] inside `tx`, for a file made in a transaction that writes anyway.
pub async fn put_in(
    tx: &mut super::Tx,
    key: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO files (key, bytes, size, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(bytes)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(store: &Store, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT bytes FROM files WHERE key = $1")
        .bind(key)
        .fetch_optional(&store.pool)
        .await?;
    Ok(row.map(|r| r.0))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn exists(store: &Store, key: &str) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT size FROM files WHERE key = $1")
        .bind(key)
        .fetch_optional(&store.pool)
        .await?;
    Ok(row.is_some())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete(store: &Store, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM files WHERE key = $1")
        .bind(key)
        .execute(&store.pool)
        .await?;
    Ok(())
}
