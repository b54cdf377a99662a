//! File storage for record photos, ID scans and evidence: one interface over a local folder
//! (the default, one instance) or a table in the database (every instance sharing it reaches
//! every file), chosen by `FILE_STORE`. Files are named by the SHA-256 of their content, so
//! storing twice is harmless.

use crate::store::{self, Store, StoreError};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("file storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("file storage: {0}")]
    Database(#[from] StoreError),
    #[error("no stored file named `{0}`")]
    Missing(String),
    #[error("`{0}` is not a stored file name")]
    BadKey(String),
}

/// Where files live. `root` is a folder on this machine either way: the files themselves
/// with local storage, and a working folder (the demo roster) with database storage.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
    database: Option<Store>,
}

impl FileStore {
    pub fn local(root: impl Into<PathBuf>) -> FileStore {
        FileStore {
            root: root.into(),
            database: None,
        }
    }

    /// Files kept in `store`'s `files` table.
    pub fn database(store: Store, root: impl Into<PathBuf>) -> FileStore {
        FileStore {
            root: root.into(),
            database: Some(store),
        }
    }

    /// Stores `bytes` under a content-derived key with the given extension; returns the key.
    pub async fn put(&self, bytes: &[u8], extension: &str) -> Result<String, FileError> {
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let key = format!("{hex}.{extension}");
        let path = self.path(&key)?;
        if let Some(db) = &self.database {
            if !store::files::exists(db, &key).await? {
                let now = store::millis(chrono::Utc::now());
                store::files::put(db, &key, bytes, now).await?;
            }
            return Ok(key);
        }
        if tokio::fs::try_exists(&path).await? {
            return Ok(key);
        }
        tokio::fs::create_dir_all(&self.root).await?;
        // Write then rename: a crash never leaves half a file under the final name.
        let partial = self.root.join(format!("{key}.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await?;
        Ok(key)
    }

    /// Like [`FileStore::put`], with a database store's row written inside `tx` (a store
    /// connection of its own would wait for the write lock `tx` holds, on SQLite for ever).
    pub async fn put_in(
        &self,
        tx: &mut store::Tx,
        bytes: &[u8],
        extension: &str,
    ) -> Result<String, FileError> {
        if self.database.is_none() {
            return self.put(bytes, extension).await;
        }
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let key = format!("{hex}.{extension}");
        self.path(&key)?;
        let now = store::millis(chrono::Utc::now());
        store::files::put_in(tx, &key, bytes, now).await?;
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, FileError> {
        let path = self.path(key)?;
        if let Some(db) = &self.database {
            return store::files::get(db, key)
                .await?
                .ok_or_else(|| FileError::Missing(key.to_string()));
        }
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(FileError::Missing(key.to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        let path = self.path(key)?;
        if let Some(db) = &self.database {
            return Ok(store::files::delete(db, key).await?);
        }
        match tokio::fs::remove_file(path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Keys are flat names of hex digits and one extension: nothing can escape the root.
    fn path(&self, key: &str) -> Result<PathBuf, FileError> {
        let valid = key.split_once('.').is_some_and(|(name, ext)| {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_hexdigit())
                && !ext.is_empty()
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if valid {
            Ok(self.root.join(key))
        } else {
            Err(FileError::BadKey(key.to_string()))
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// The kind of image a file really is, by its first bytes (never by its name).
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("jpg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("gif"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("jpg"));
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff_image(b"GIF89a..."), Some("gif"));
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b""), None);
    }

    #[tokio::test]
    async fn keys_cannot_escape_the_root() {
        let dir = std::env::temp_dir().join(format!("helpdesk-files-{}", std::process::id()));
        let store = FileStore::local(&dir);
        let key = store.put(b"hello", "txt").await.expect("put");
        assert_eq!(store.get(&key).await.expect("get"), b"hello");
        for bad in ["../etc/passwd", "a/b.txt", "abc", ".txt", "zz.txt"] {
            assert!(
                matches!(store.get(bad).await, Err(FileError::BadKey(_))),
                "{bad}"
            );
        }
        store.delete(&key).await.expect("delete");
        assert!(matches!(store.get(&key).await, Err(FileError::Missing(_))));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_database_store_keeps_files_in_a_table() {
        let dir = std::env::temp_dir().join(format!("helpdesk-dbfiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join("files.db").display());
        let db = Store::connect(&url).await.expect("db");
        let files = FileStore::database(db.clone(), dir.join("files"));
        let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let key = files.put(&bytes, "png").await.expect("put");
        assert_eq!(files.put(&bytes, "png").await.expect("again"), key);
        // Another process's view of the same database: the bytes come back, no folder used.
        let other = FileStore::database(db, dir.join("elsewhere"));
        assert_eq!(other.get(&key).await.expect("get"), bytes);
        assert!(!dir.join("files").exists() && !dir.join("elsewhere").exists());
        assert!(matches!(
            other.get("../x.png").await,
            Err(FileError::BadKey(_))
        ));
        other.delete(&key).await.expect("delete");
        assert!(matches!(files.get(&key).await, Err(FileError::Missing(_))));
        let _ = std::fs::remove_dir_all(dir);
    }
}
