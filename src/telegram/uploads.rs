//! Reads the first bytes of a file a student sent, through `getFile` and the file download
//! URL, so the service can check what the file really is.

use super::api::{ApiError, BotApi};
use crate::service::conversation::uploads::{HeadFuture, UploadReader};
use serde_json::json;
use std::time::Duration;

/// Attempts per file before it counts as unreadable (the student is asked to send it again).
const ATTEMPTS: u32 = 3;
/// Longest wait honoured for a `retry_after`: a student is waiting for the answer.
const MAX_WAIT: Duration = Duration::from_secs(5);

pub struct TelegramUploads {
    api: BotApi,
}

impl TelegramUploads {
    pub fn new(api: BotApi) -> TelegramUploads {
        TelegramUploads { api }
    }

    async fn try_head(&self, file_id: &str, limit: usize) -> Result<Vec<u8>, ApiError> {
        let file = self
            .api
            .call(
                "getFile",
                &json!({ "file_id": file_id }),
                Duration::from_secs(10),
            )
            .await?;
        let path = file
            .get("file_path")
            .and_then(|p| p.as_str())
            .ok_or_else(|| ApiError::Permanent {
                code: 400,
                description: "getFile gave no file_path".into(),
            })?;
        self.api.download_head(path, limit).await
    }
}

impl UploadReader for TelegramUploads {
    fn head<'a>(&'a self, file_id: &'a str, limit: usize) -> HeadFuture<'a> {
        Box::pin(async move {
            for attempt in 0..ATTEMPTS {
                let wait = match self.try_head(file_id, limit).await {
                    Ok(head) => return Some(head),
                    Err(ApiError::Permanent { description, .. }) => {
                        tracing::warn!(error = %description, "upload cannot be read");
                        return None;
                    }
                    Err(ApiError::RetryAfter(seconds)) => Duration::from_secs(seconds),
                    Err(ApiError::Transient(_)) => Duration::from_millis(300 << attempt),
                };
                if attempt + 1 < ATTEMPTS {
                    tokio::time::sleep(wait.min(MAX_WAIT)).await;
                }
            }
            tracing::warn!("upload could not be read after {ATTEMPTS} attempts");
            None
        })
    }
}
