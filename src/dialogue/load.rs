//! Loads `dialogues/*.toml` and the locale texts into a [`Tree`], then checks it.

use super::check::check;
use super::intent::{self, Intents};
use super::model::{Button, ButtonSpec, FlowFile, Node, NodeId, NodeSpec, Target};
use super::texts::Texts;
use std::collections::BTreeMap;
use std::path::Path;

/// Everything wrong with a dialogue folder, one line each.
#[derive(Debug, thiserror::Error)]
#[error("the dialogue files have {} problem(s):\n  - {}", .0.len(), .0.join("\n  - "))]
pub struct TreeError(pub Vec<String>);

/// A flow's header after loading.
#[derive(Debug, Clone)]
pub struct FlowInfo {
    pub id: String,
    pub start: NodeId,
    pub title: String,
    pub steps: Option<u32>,
    pub file: String,
}

/// The whole checked dialogue tree with its texts.
#[derive(Debug)]
pub struct Tree {
    pub flows: BTreeMap<String, FlowInfo>,
    pub nodes: BTreeMap<NodeId, Node>,
    pub texts: Texts,
    /// Where typed questions lead (`intents/`); empty when the folder has none.
    pub intents: Intents,
}

impl Tree {
    /// Loads and checks `dir` (flows) and `dir/locales` (texts).
    pub fn load(dir: &Path) -> Result<Tree, TreeError> {
        let mut problems = Vec::new();
        let mut files = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let mut paths: Vec<_> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                paths.sort();
                for path in paths {
                    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
                    match std::fs::read_to_string(&path) {
                        Ok(src) => files.push((name.unwrap_or_default(), src)),
                        Err(e) => problems.push(format!("{}: {e}", path.display())),
                    }
                }
            }
            Err(e) => problems.push(format!("{}: {e}", dir.display())),
        }
        let intents_dir = dir.join(intent::DIR);
        if intents_dir.is_dir() {
            match read_tomls(&intents_dir) {
                Ok(found) => files.extend(
                    found
                        .into_iter()
                        .map(|(n, s)| (format!("{}/{n}", intent::DIR), s)),
                ),
                Err(e) => problems.push(format!("{}: {e}", intents_dir.display())),
            }
        }
        let texts = match Texts::load(&dir.join("locales")) {
            Ok(t) => Some(t),
            Err(mut p) => {
                problems.append(&mut p);
                None
            }
        };
        let (tree, mut more) = Self::assemble(&files, texts);
        problems.append(&mut more);
        match tree {
            Some(tree) if problems.is_empty() => Ok(tree),
            _ => Err(TreeError(problems)),
        }
    }

    /// Builds a tree from in-memory files (name, TOML source; intents under `intents/`) and
    /// texts, and checks it.
    pub fn from_sources(files: &[(String, String)], texts: Texts) -> Result<Tree, TreeError> {
        let (tree, problems) = Self::assemble(files, Some(texts));
        match tree {
            Some(tree) if problems.is_empty() => Ok(tree),
            _ => Err(TreeError(problems)),
        }
    }

    fn assemble(files: &[(String, String)], texts: Option<Texts>) -> (Option<Tree>, Vec<String>) {
        let mut problems = Vec::new();
        let mut flows = BTreeMap::new();
        let mut nodes = BTreeMap::new();
        let prefix = format!("{}/", intent::DIR);
        let intent_files: Vec<(String, String)> = files
            .iter()
            .filter_map(|(n, s)| n.strip_prefix(&prefix).map(|n| (n.to_string(), s.clone())))
            .collect();
        let (intents, mut more) = Intents::parse(&intent_files);
        problems.append(&mut more);
        for (name, src) in files.iter().filter(|(n, _)| !n.starts_with(&prefix)) {
            let file: FlowFile = match toml::from_str(src) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(format!("{name}: {}", e.to_string().trim()));
                    continue;
                }
            };
            let flow_id = file.flow.id.clone();
            if !is_identifier(&flow_id) {
                problems.push(format!(
                    "{name}: flow id `{flow_id}` must be lowercase letters, digits and _"
                ));
            }
            let info = FlowInfo {
                id: flow_id.clone(),
                start: format!("{flow_id}.{}", file.flow.start),
                title: file.flow.title.clone(),
                steps: file.flow.steps,
                file: name.clone(),
            };
            if flows.insert(flow_id.clone(), info).is_some() {
                problems.push(format!("{name}: flow `{flow_id}` is defined twice"));
            }
            for (node_name, spec) in file.nodes {
                if !is_identifier(&node_name) {
                    problems.push(format!(
                        "{name}: node `{node_name}` must be lowercase letters, digits and _"
                    ));
                }
                nodes.insert(format!("{flow_id}.{node_name}"), resolve(spec, &flow_id));
            }
        }
        let Some(texts) = texts else {
            return (None, problems);
        };
        let tree = Tree {
            flows,
            nodes,
            texts,
            intents,
        };
        problems.extend(check(&tree));
        (Some(tree), problems)
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub fn flow_of(&self, id: &str) -> Option<&FlowInfo> {
        id.split_once('.')
            .and_then(|(flow, _)| self.flows.get(flow))
    }
}

fn resolve(spec: NodeSpec, flow: &str) -> Node {
    let buttons = |specs: Vec<ButtonSpec>| -> Vec<Button> {
        specs
            .into_iter()
            .map(|b| Button {
                id: b.id,
                text: b.text,
                next: Target::parse(&b.next, flow),
                set: b.set,
            })
            .collect()
    };
    match spec {
        NodeSpec::Menu {
            text,
            buttons: b,
            step,
            columns,
            keep,
        } => Node::Menu {
            text,
            buttons: buttons(b),
            step,
            columns: columns.unwrap_or(1).clamp(1, 4),
            keep,
        },
        NodeSpec::Input {
            text,
            validator,
            save,
            next,
            retries,
            help,
            buttons: b,
            step,
            request_contact,
        } => Node::Input {
            text,
            validator,
            save,
            next: Target::parse(&next, flow),
            retries,
            help,
            buttons: buttons(b),
            step,
            request_contact,
        },
        NodeSpec::Action {
            action,
            params,
            outcomes,
        } => Node::Action {
            action,
            params,
            outcomes: outcomes
                .into_iter()
                .map(|(k, v)| (k, Target::parse(&v, flow)))
                .collect(),
        },
        NodeSpec::End { text, next } => Node::End {
            text,
            next: Target::parse(next.as_deref().unwrap_or(super::registry::MAIN_MENU), flow),
        },
    }
}

/// The `*.toml` files of `dir`, sorted by name.
fn read_tomls(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            Ok((name.unwrap_or_default(), std::fs::read_to_string(&p)?))
        })
        .collect()
}

pub(crate) fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
