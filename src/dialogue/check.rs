//! Verifies a loaded tree: targets, reachability, actions, validators, texts, callback sizes.

use super::load::Tree;
use super::model::{Node, Target};
use super::registry::{ENTRY_NODES, MAIN_MENU, RUST_TEXT_KEYS, VALIDATORS};
use super::texts::Locale;
use std::collections::{BTreeSet, VecDeque};

/// Telegram's limit for callback data.
pub const CALLBACK_LIMIT: usize = 64;

/// The longest callback data a button with this id can produce (see `engine::button_data`).
pub fn worst_callback_len(button_id: &str) -> usize {
    super::engine::button_data(i64::MAX, button_id)
        .encode()
        .len()
}

/// Every problem in the tree, one line each; empty when the tree is sound.
pub fn check(tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, flow) in &tree.flows {
        if !tree.nodes.contains_key(&flow.start) {
            problems.push(format!(
                "{}: flow `{id}` starts at unknown node `{}`",
                flow.file, flow.start
            ));
        }
    }
    for entry in ENTRY_NODES {
        if !tree.nodes.contains_key(*entry) {
            problems.push(format!("the entry node `{entry}` is missing"));
        }
    }
    for (id, node) in &tree.nodes {
        let file = tree.flow_of(id).map(|f| f.file.as_str()).unwrap_or("?");
        check_node(tree, id, node, file, &mut problems);
    }
    check_reachable(tree, &mut problems);
    super::check_actions::check_answers(tree, &mut problems);
    check_texts(tree, &mut problems);
    problems.extend(super::intent::check::check(tree));
    problems
}

/// Answers only the code check may write.
pub const RESERVED_PREFIX: &str = "verified_";

fn check_node(tree: &Tree, id: &str, node: &Node, file: &str, problems: &mut Vec<String>) {
    for target in node.targets() {
        if let Target::Node(to) = target
            && !tree.nodes.contains_key(to)
        {
            problems.push(format!("{file}: `{id}` leads to unknown node `{to}`"));
        }
    }
    // `verified_*` answers are written only by a correct one-time code: a button or an input
    // that set one would let a student claim what no code proved.
    let saved = node.buttons().iter().flat_map(|b| b.set.keys());
    let saved = saved.chain(match node {
        Node::Input { save, .. } => Some(save),
        _ => None,
    });
    for key in saved.filter(|k| k.starts_with(RESERVED_PREFIX)) {
        problems.push(format!(
            "{file}: `{id}` writes `{key}`: answers starting with `{RESERVED_PREFIX}` are only written by a correct code"
        ));
    }
    let mut seen = BTreeSet::new();
    for button in node.buttons() {
        if !seen.insert(button.id.as_str()) {
            problems.push(format!(
                "{file}: `{id}` has two buttons with id `{}`",
                button.id
            ));
        }
        let len = worst_callback_len(&button.id);
        if len > CALLBACK_LIMIT {
            problems.push(format!(
                "{file}: `{id}` button `{}` makes callback data of {len} bytes, over Telegram's {CALLBACK_LIMIT}",
                button.id
            ));
        }
    }
    match node {
        Node::Input { validator, .. } if !VALIDATORS.contains(&validator.as_str()) => {
            problems.push(format!(
                "{file}: `{id}` uses unknown validator `{validator}`"
            ));
        }
        Node::Action {
            action,
            params,
            outcomes,
        } => super::check_actions::check_action(id, file, action, params, outcomes, problems),
        _ => {}
    }
}

fn check_reachable(tree: &Tree, problems: &mut Vec<String>) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = ENTRY_NODES.iter().copied().collect();
    queue.push_back(MAIN_MENU);
    // A typed question is a way in too.
    for intent in &tree.intents.list {
        if let Target::Node(to) = &intent.target {
            queue.push_back(to.as_str());
        }
    }
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(node) = tree.nodes.get(id) {
            for target in node.targets() {
                if let Target::Node(to) = target {
                    queue.push_back(to.as_str());
                }
            }
        }
    }
    for id in tree.nodes.keys() {
        if !seen.contains(id.as_str()) {
            let file = tree.flow_of(id).map(|f| f.file.as_str()).unwrap_or("?");
            problems.push(format!("{file}: node `{id}` cannot be reached"));
        }
    }
}

fn check_texts(tree: &Tree, problems: &mut Vec<String>) {
    let mut needed: BTreeSet<(&str, String)> = BTreeSet::new();
    for (id, node) in &tree.nodes {
        for key in node.text_keys() {
            needed.insert((key, id.clone()));
        }
    }
    for flow in tree.flows.values() {
        needed.insert((flow.title.as_str(), format!("flow {}", flow.id)));
    }
    for key in RUST_TEXT_KEYS {
        needed.insert((key, "the bot's own texts".to_string()));
    }
    for locale in Locale::ALL {
        for (key, used_by) in &needed {
            if !tree.texts.has(locale, key) {
                problems.push(format!(
                    "locale {}: text `{key}` (used by {used_by}) is missing",
                    locale.code()
                ));
            }
        }
    }
    let zh = tree.texts.keys(Locale::ZhCn);
    let en = tree.texts.keys(Locale::En);
    for key in zh.symmetric_difference(&en) {
        let missing = if zh.contains(key) { "en" } else { "zh-CN" };
        problems.push(format!(
            "locale {missing}: text `{key}` is defined in the other locale only"
        ));
    }
}
