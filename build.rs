//! Embeds `dialogues/` (flows and locale texts) in the binary, so a copied or installed binary
//! runs from any folder; `DIALOGUES_DIR` still overrides it at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut list: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    list.sort();
    list
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = root.join("dialogues");
    println!("cargo:rerun-if-changed=dialogues");
    let mut out = String::from("pub const FLOWS: &[(&str, &str)] = &[\n");
    for path in files(&dir, "toml") {
        let _ = writeln!(out, "    ({:?}, include_str!({:?})),", name(&path), path);
    }
    // Intents and their phrasings, named as `Tree::from_sources` expects them.
    for path in files(&dir.join("intents"), "toml") {
        let _ = writeln!(
            out,
            "    (\"intents/{}\", include_str!({:?})),",
            name(&path),
            path
        );
    }
    out.push_str("];\npub const TEXTS: &[(&str, &str, &str)] = &[\n");
    let mut locales: Vec<PathBuf> = std::fs::read_dir(dir.join("locales"))
        .map(|e| e.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    locales.retain(|p| p.is_dir());
    locales.sort();
    for locale in locales {
        for path in files(&locale, "ftl") {
            let _ = writeln!(
                out,
                "    ({:?}, {:?}, include_str!({:?})),",
                name(&locale),
                name(&path),
                path
            );
        }
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_dialogues.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("writing {}: {e}", target.display());
    }
}
