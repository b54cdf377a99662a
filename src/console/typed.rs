//! What a line typed in the console stands for: a command with its arguments, a numbered
//! button, a file sent as a photo or a document, or text.

use crate::app::Core;
use crate::dialogue::engine::{Command, FileRef, Input};
use crate::domain::{Callback, Content};

/// A typed line as the engine's input, and the words after a command (`/faq steps` → `steps`).
pub(super) async fn input(line: &str, buttons: &[Callback], core: &Core) -> (Input, String) {
    let line = line.trim();
    if let Some(command) = line.strip_prefix('/') {
        let (name, args) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        return (
            Input::Command(Command::parse(name)),
            args.trim().to_string(),
        );
    }
    if let Ok(n) = line.parse::<usize>()
        && let Some(data) = n.checked_sub(1).and_then(|i| buttons.get(i))
    {
        return (Input::Button(data.clone()), String::new());
    }
    for (prefix, photo) in [("photo ", true), ("file ", false)] {
        if let Some(path) = line.strip_prefix(prefix) {
            return (file(path.trim(), photo, core).await, String::new());
        }
    }
    (Input::Text(line.to_string()), String::new())
}

/// A file read from `path` and stored as an upload would be.
async fn file(path: &str, photo: bool, core: &Core) -> Input {
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) => bytes,
        Err(e) => {
            println!("cannot read {path}: {e}");
            return Input::Unsupported("other".into());
        }
    };
    let content = Content::of(&bytes);
    let ext = match content {
        Content::Is(kind) => kind.extension(),
        _ => "bin",
    };
    let Ok(key) = core.files.put(&bytes, ext).await else {
        println!("cannot store {path}");
        return Input::Unsupported("other".into());
    };
    let file = FileRef {
        file_id: format!("stored:{key}"),
        unique_id: key,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        mime: crate::files::sniff_image(&bytes)
            .map(|e| format!("image/{}", if e == "jpg" { "jpeg" } else { e })),
        name: std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string()),
        content,
        caption: None,
    };
    if photo {
        Input::Photo(file)
    } else {
        Input::Document(file)
    }
}
