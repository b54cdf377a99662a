//! The dialogues shipped inside the binary (copied from `dialogues/` by `build.rs`): the tree
//! used when `DIALOGUES_DIR` is not set, and `helpdesk dialogues export DIR` to edit them.

use super::load::{Tree, TreeError};
use super::texts::{Locale, Texts};
use std::path::{Path, PathBuf};

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_dialogues.rs"));
}

impl Tree {
    /// The dialogues built into the binary, checked like any folder.
    pub fn embedded() -> Result<Tree, TreeError> {
        let flows: Vec<(String, String)> = files::FLOWS
            .iter()
            .map(|(name, src)| (name.to_string(), src.to_string()))
            .collect();
        let texts: Vec<(Locale, &str)> = files::TEXTS
            .iter()
            .filter_map(|(locale, _, src)| Locale::from_code(locale).map(|l| (l, *src)))
            .collect();
        let texts = Texts::from_sources(&texts).map_err(TreeError)?;
        Tree::from_sources(&flows, texts)
    }

    /// `dir` when one is given (`DIALOGUES_DIR`), else the built-in dialogues.
    pub fn load_or_embedded(dir: Option<&Path>) -> Result<Tree, TreeError> {
        match dir {
            Some(dir) => Tree::load(dir),
            None => Tree::embedded(),
        }
    }
}

/// Writes the built-in dialogues to `dir` (flows, then `locales/<locale>/`); returns the files
/// written. Existing files are left alone unless `overwrite`.
pub fn export(dir: &Path, overwrite: bool) -> std::io::Result<Vec<PathBuf>> {
    let flows = files::FLOWS
        .iter()
        .map(|(name, src)| (dir.join(name), *src));
    let texts = files::TEXTS
        .iter()
        .map(|(locale, name, src)| (dir.join("locales").join(locale).join(name), *src));
    let mut written = Vec::new();
    for (path, src) in flows.chain(texts) {
        if path.exists() && !overwrite {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} exists (use --force to overwrite)", path.display()),
            ));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, src)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_dialogues_match_the_folder_and_export_round_trips() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
        let (Ok(built_in), Ok(from_folder)) = (Tree::embedded(), Tree::load(&folder)) else {
            panic!("both trees load");
        };
        assert_eq!(
            built_in.nodes.keys().collect::<Vec<_>>(),
            from_folder.nodes.keys().collect::<Vec<_>>()
        );
        let out = std::env::temp_dir().join(format!("helpdesk-export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let written = export(&out, false).unwrap_or_default();
        assert_eq!(written.len(), files::FLOWS.len() + files::TEXTS.len());
        assert!(
            export(&out, false).is_err(),
            "an existing file is not overwritten"
        );
        let exported = Tree::load(&out).map(|t| t.nodes.len()).unwrap_or(0);
        assert_eq!(exported, from_folder.nodes.len());
        let _ = std::fs::remove_dir_all(&out);
    }
}
