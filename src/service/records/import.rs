//! Importing the registrar's roster: a UTF-8 CSV (BOM tolerated) with a header row, every row
//! checked with the domain types (every problem of a row reported), identities checked
//! against the file and the roster (`import_checks`), photos checked by content and stored,
//! rows written in batched transactions. A bad row is reported with its line and imports
//! nothing; a dry run checks everything and writes nothing.

use super::import_checks::Identities;
use crate::domain::record::{COLUMNS, Record};
use crate::files::{FileStore, sniff_image};
use crate::store::{
    Store, StoreError,
    records::{self, Upsert},
};
use std::path::Path;

/// Largest graduate photo accepted.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;
const BATCH: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the header row lacks the column `{0}` (expected: {cols})", cols = COLUMNS.join(","))]
    MissingColumn(&'static str),
    #[error("the file is not CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    /// (line, reason) of every refused row.
    pub rejected: Vec<(u64, String)>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let would = if self.dry_run {
            "dry run, nothing written: would be "
        } else {
            ""
        };
        writeln!(
            f,
            "{would}{} added, {} updated, {} rejected",
            self.added,
            self.updated,
            self.rejected.len()
        )?;
        for (line, reason) in &self.rejected {
            writeln!(f, "  line {line}: {reason}")?;
        }
        Ok(())
    }
}

/// Imports `csv_path`, reading photos from `photos`.
pub async fn import(
    store: &Store,
    files: &FileStore,
    csv_path: &Path,
    photos: Option<&Path>,
    today: chrono::NaiveDate,
    now: i64,
) -> Result<Summary, ImportError> {
    let source = Source { csv_path, photos };
    import_with(store, files, source, today, now, false).await
}

/// Where the roster is read from.
pub struct Source<'a> {
    pub csv_path: &'a Path,
    pub photos: Option<&'a Path>,
}

/// Imports the roster, or with `dry_run` only checks it (the photos too) and says what an
/// import would do.
pub async fn import_with(
    store: &Store,
    files: &FileStore,
    source: Source<'_>,
    today: chrono::NaiveDate,
    now: i64,
    dry_run: bool,
) -> Result<Summary, ImportError> {
    let Source { csv_path, photos } = source;
    let bytes = tokio::fs::read(csv_path)
        .await
        .map_err(|source| ImportError::Read {
            path: csv_path.display().to_string(),
            source,
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut index = [0usize; 16];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h == column)
            .ok_or(ImportError::MissingColumn(column))?;
    }
    let mut summary = Summary {
        dry_run,
        ..Summary::default()
    };
    let mut identities = Identities::load(store).await?;
    let mut batch: Vec<(Record, Option<String>)> = Vec::with_capacity(BATCH);
    for result in reader.records() {
        let line = match &result {
            Ok(r) => r.position().map(|p| p.line()).unwrap_or(0),
            Err(e) => e.position().map(|p| p.line()).unwrap_or(0),
        };
        let parsed = match result {
            Ok(row) if row.len() != headers.len() => Err(format!(
                "row: has {} columns, expected {}",
                row.len(),
                headers.len()
            )),
            Ok(row) => {
                let fields: Vec<&str> = index
                    .iter()
                    .map(|i| row.get(*i).unwrap_or_default())
                    .collect();
                Record::parse(&fields, today).map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("unreadable row: {e}")),
        };
        let record = match parsed {
            Ok(r) => r,
            Err(reason) => {
                summary.rejected.push((line, reason));
                continue;
            }
        };
        if let Some(reason) = identities.conflict(&record, line) {
            summary.rejected.push((line, reason));
            continue;
        }
        let photo_key = match (&record.photo, photos) {
            (Some(name), Some(dir)) => match store_photo(files, &dir.join(name), dry_run).await {
                Ok(key) => Some(key),
                Err(reason) => {
                    summary.rejected.push((line, format!("photo: {reason}")));
                    continue;
                }
            },
            (Some(_), None) => {
                summary
                    .rejected
                    .push((line, "photo: no --photos folder given".into()));
                continue;
            }
            (None, _) => None,
        };
        if dry_run {
            if identities.known(&record.student_no) {
                summary.updated += 1;
            } else {
                summary.added += 1;
            }
            continue;
        }
        batch.push((record, photo_key));
        if batch.len() >= BATCH {
            write(store, &mut batch, &mut summary, now).await?;
        }
    }
    write(store, &mut batch, &mut summary, now).await?;
    Ok(summary)
}

/// Checks a photo and stores it (only checks it in a dry run); returns its stored name.
async fn store_photo(files: &FileStore, path: &Path, dry_run: bool) -> Result<String, String> {
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        format!(
            "{}: {e}",
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        )
    })?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(format!("larger than {} MB", MAX_PHOTO_BYTES / 1024 / 1024));
    }
    let ext = match sniff_image(&bytes) {
        Some(ext @ ("jpg" | "png")) => ext,
        _ => return Err("not a JPEG or PNG image".into()),
    };
    if dry_run {
        return Ok(String::new());
    }
    files.put(&bytes, ext).await.map_err(|e| e.to_string())
}

async fn write(
    store: &Store,
    batch: &mut Vec<(Record, Option<String>)>,
    summary: &mut Summary,
    now: i64,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    for (record, photo) in batch.iter() {
        match records::upsert(&mut tx, record, photo.as_deref(), now).await? {
            Upsert::Added => summary.added += 1,
            Upsert::Updated => summary.updated += 1,
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    batch.clear();
    Ok(())
}
