//! Checking what an uploaded file really is, by its first bytes, before the dialogue sees it:
//! a renamed executable is not a photo because its name ends in `.jpg`.

use crate::dialogue::Input;
use crate::dialogue::validate::MAX_FILE_BYTES;
use crate::domain::Content;
use crate::domain::file_kind::HEAD_BYTES;
use crate::message::{Inbound, Place};
use crate::service::Service;
use std::future::Future;
use std::pin::Pin;

pub type HeadFuture<'a> = Pin<Box<dyn Future<Output = Option<Vec<u8>>> + Send + 'a>>;

/// Reads the first bytes of a file a user sent, from wherever the front end keeps it.
pub trait UploadReader: Send + Sync {
    /// At most `limit` leading bytes; `None` when the file cannot be read now.
    fn head<'a>(&'a self, file_id: &'a str, limit: usize) -> HeadFuture<'a>;
}

impl Service {
    /// Whether `inbound` carries a file whose content is to be read before it is handled (a
    /// private photo or document not yet checked, not too large to accept anyway, a reader).
    pub fn needs_upload_check(&self, inbound: &Inbound) -> bool {
        self.uploads.is_some()
            && inbound.place == Place::Private
            && matches!(&inbound.input, Input::Photo(file) | Input::Document(file)
                if file.content == Content::Unchecked && file.size <= MAX_FILE_BYTES)
    }

    /// The inbound with its file's content filled in, or `None` when there is nothing to check
    /// (see [`Service::needs_upload_check`]).
    pub async fn check_upload(&self, inbound: &Inbound) -> Option<Inbound> {
        if !self.needs_upload_check(inbound) {
            return None;
        }
        let reader = self.uploads.as_ref()?;
        let file = match &inbound.input {
            Input::Photo(file) | Input::Document(file) => file,
            _ => return None,
        };
        let content = match reader.head(&file.file_id, HEAD_BYTES).await {
            Some(head) => Content::of(&head),
            None => Content::Unreadable,
        };
        tracing::info!(chat = inbound.chat_id, content = ?content, "upload checked");
        let mut checked = inbound.clone();
        if let Input::Photo(file) | Input::Document(file) = &mut checked.input {
            file.content = content;
        }
        Some(checked)
    }
}
