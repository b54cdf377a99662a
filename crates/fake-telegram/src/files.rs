//! Files: what getFile describes and a download serves, photos and documents sent by file
//! id, URL or upload.

use crate::FakeTelegram;
use crate::error::ApiError;
use crate::error::{ApiResult, bad};
use crate::params::{Params, Uploads, str_of};
use crate::server::Outcome;
use crate::state::State;
use serde_json::{Value, json};

pub(crate) const MAX_DOWNLOAD: i64 = 20 << 20;

pub(crate) struct FileEntry {
    pub(crate) bytes: Option<Vec<u8>>,
    pub(crate) size: i64,
    pub(crate) path: String,
    pub(crate) name: Option<String>,
    pub(crate) mime: Option<String>,
}

impl FileEntry {
    /// Content matching what the file was declared as, as Telegram would serve it: photos are
    /// JPEG (Telegram re-encodes them), documents start with their type's magic bytes.
    pub(crate) fn plausible_bytes(&self) -> Vec<u8> {
        let head: &[u8] = match self.mime.as_deref() {
            None => &[0xFF, 0xD8, 0xFF, 0xE0],
            Some("image/jpeg") => &[0xFF, 0xD8, 0xFF, 0xE1],
            Some("image/png") => b"\x89PNG\r\n\x1a\n",
            Some("application/pdf") => b"%PDF-1.4\n",
            Some(_) => b"",
        };
        let mut bytes = head.to_vec();
        bytes.resize(
            usize::try_from(self.size).unwrap_or(0).max(head.len()),
            b'x',
        );
        bytes
    }
}

impl FakeTelegram {
    /// Content served by getFile + download for `file_id` (also usable by send* with a file_id).
    pub fn set_file(&self, file_id: &str, bytes: Vec<u8>) {
        let mut st = self.lock();
        st.declare_file(file_id, bytes.len() as i64, None, None);
        if let Some(f) = st.files.get_mut(file_id) {
            f.size = bytes.len() as i64;
            f.bytes = Some(bytes);
        }
    }
}

impl State {
    pub(crate) fn declare_file(
        &mut self,
        file_id: &str,
        size: i64,
        name: Option<&str>,
        mime: Option<&str>,
    ) {
        if !self.files.contains_key(file_id) {
            self.serial += 1;
            let path = format!("files/file_{}", self.serial);
            let (name, mime) = (name.map(str::to_owned), mime.map(str::to_owned));
            self.files.insert(
                file_id.to_owned(),
                FileEntry {
                    bytes: None,
                    size,
                    path,
                    name,
                    mime,
                },
            );
        }
    }

    pub(crate) fn download(&self, p: &Params) -> Outcome {
        let path = str_of(p, "file_path").unwrap_or_default();
        match self
            .files
            .values()
            .find(|f| f.path == path && f.size <= MAX_DOWNLOAD)
        {
            Some(file) => {
                Outcome::Bytes(file.bytes.clone().unwrap_or_else(|| file.plausible_bytes()))
            }
            None => Outcome::Json(Err(ApiError::new(404, "Not Found"))),
        }
    }

    /// A photo/document given as file_id, URL or upload; registers new files.
    pub(crate) fn input_file(&mut self, p: &Params, up: &Uploads, kind: &str) -> ApiResult {
        let (file_id, size, name, mime) = match p.get(kind) {
            Some(Value::String(s)) if s.starts_with("http://") || s.starts_with("https://") => {
                let name = s.rsplit('/').next().map(str::to_owned);
                (
                    self.new_file(kind, None, 1024, name.as_deref(), None),
                    1024,
                    name,
                    None,
                )
            }
            Some(Value::String(s)) if !s.is_empty() => {
                let file = self
                    .files
                    .get(s)
                    .ok_or_else(|| bad("wrong file identifier/HTTP URL specified"))?;
                (s.clone(), file.size, file.name.clone(), file.mime.clone())
            }
            Some(Value::Object(d)) => {
                let upload = d
                    .get("attach")
                    .and_then(Value::as_str)
                    .and_then(|a| up.get(a));
                let upload =
                    upload.ok_or_else(|| bad(&format!("there is no {kind} in the request")))?;
                if upload.bytes.is_empty() {
                    return Err(bad("file must be non-empty"));
                }
                let (size, name, mime) = (
                    upload.bytes.len() as i64,
                    upload.file_name.clone(),
                    upload.mime.clone(),
                );
                (
                    self.new_file(
                        kind,
                        Some(upload.bytes.clone()),
                        size,
                        name.as_deref(),
                        mime.as_deref(),
                    ),
                    size,
                    name,
                    mime,
                )
            }
            _ => return Err(bad(&format!("there is no {kind} in the request"))),
        };
        let unique = format!("u{file_id}");
        if kind == "photo" {
            return Ok(
                json!([{"file_id": file_id, "file_unique_id": unique, "file_size": size, "width": 1280, "height": 720}]),
            );
        }
        let mut doc = json!({"file_id": file_id, "file_unique_id": unique, "file_size": size});
        if let Some(name) = name {
            doc["file_name"] = name.into();
        }
        if let Some(mime) = mime {
            doc["mime_type"] = mime.into();
        }
        Ok(doc)
    }

    pub(crate) fn new_file(
        &mut self,
        kind: &str,
        bytes: Option<Vec<u8>>,
        size: i64,
        name: Option<&str>,
        mime: Option<&str>,
    ) -> String {
        let prefix = if kind == "photo" { "AgAC" } else { "BQAC" };
        let id = format!("{prefix}fake{}", self.serial + 1);
        self.declare_file(&id, size, name, mime);
        if let Some(file) = self.files.get_mut(&id) {
            file.bytes = bytes;
        }
        id
    }
}
