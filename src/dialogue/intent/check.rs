//! Verifies the intents against the tree: every target exists and is a safe way in (a flow's
//! start, an FAQ answer, or an action that checks the step may be entered), every label is a
//! text in every locale, every locale has examples, and no example or exact text is shared.

use super::super::check::CALLBACK_LIMIT;
use super::super::load::{Tree, is_identifier};
use super::super::model::{Node, Target};
use super::super::texts::Locale;
use super::{DIR, Kind, STRUCTURE_FILE};
use std::collections::BTreeMap;

/// The longest callback data of an intent button (see `free_text::intent_data`).
pub fn worst_callback_len(id: &str) -> usize {
    crate::dialogue::free_text::intent_data(i64::MAX, id)
        .encode()
        .len()
}

/// Text keys the free-text replies render (see `dialogue::free_text`).
pub const TEXT_KEYS: &[&str] = &[
    "intent-understood",
    "intent-close",
    "intent-none",
    "intent-unknown",
    "intent-suggest",
    "menu-faq",
];

/// The intent the "not understood" reply offers as its first button.
pub const FAQ_INTENT: &str = "faq";

pub fn check(tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    let file = format!("{DIR}/{STRUCTURE_FILE}");
    let intents = &tree.intents;
    let g = intents.gates;
    if intents.list.is_empty() {
        return problems;
    }
    if !(0.0 < g.suggest && g.suggest <= g.confident && g.confident <= 1.0 && g.margin >= 0.0) {
        problems.push(format!(
            "{file}: gates must keep 0 < suggest <= confident <= 1 and margin >= 0"
        ));
    }
    for locale in Locale::ALL {
        for key in TEXT_KEYS.iter().filter(|k| !tree.texts.has(locale, k)) {
            problems.push(format!(
                "locale {}: text `{key}` (free-text replies) is missing",
                locale.code()
            ));
        }
    }
    if intents.get(FAQ_INTENT).is_none() {
        problems.push(format!(
            "{file}: the intent `{FAQ_INTENT}` (offered when nothing matches) is missing"
        ));
    }
    let mut ids = BTreeMap::new();
    let mut examples: BTreeMap<String, &str> = BTreeMap::new();
    let mut exact: BTreeMap<String, &str> = BTreeMap::new();
    for intent in &intents.list {
        let id = intent.id.as_str();
        if !is_identifier(id) {
            problems.push(format!(
                "{file}: intent id `{id}` must be lowercase letters, digits and _"
            ));
        }
        if ids.insert(id, ()).is_some() {
            problems.push(format!("{file}: intent `{id}` is defined twice"));
        }
        if worst_callback_len(id) > CALLBACK_LIMIT {
            problems.push(format!("{file}: intent id `{id}` is too long for a button"));
        }
        if let Some(problem) = target_problem(tree, intent.kind, &intent.target) {
            problems.push(format!("{file}: intent `{id}`: {problem}"));
        }
        for locale in Locale::ALL {
            if !tree.texts.has(locale, &intent.label) {
                problems.push(format!(
                    "locale {}: text `{}` (label of intent `{id}`) is missing",
                    locale.code(),
                    intent.label
                ));
            }
            let has_examples = intent
                .phrasings
                .get(locale.code())
                .is_some_and(|p| !p.examples.is_empty());
            if !has_examples {
                problems.push(format!(
                    "{DIR}/{}.toml: intent `{id}` has no examples",
                    locale.code()
                ));
            }
        }
        for phrasings in intent.phrasings.values() {
            for example in &phrasings.examples {
                let key = super::fold::squash(example);
                if key.is_empty() {
                    problems.push(format!("{DIR}: intent `{id}` has an empty example"));
                    continue;
                }
                match examples.insert(key, id) {
                    Some(other) if other != id => problems.push(format!(
                        "{DIR}: the example “{example}” belongs to both `{other}` and `{id}`"
                    )),
                    Some(_) => problems.push(format!(
                        "{DIR}: intent `{id}` lists the example “{example}” twice"
                    )),
                    None => {}
                }
            }
        }
        for text in &intent.exact {
            if let Some(other) = exact.insert(super::fold::squash(text), id) {
                problems.push(format!(
                    "{file}: the exact text “{text}” belongs to both `{other}` and `{id}`"
                ));
            }
        }
    }
    problems
}

/// Why `target` is no place for an intent of `kind` to lead, if it is not.
fn target_problem(tree: &Tree, kind: Kind, target: &Target) -> Option<String> {
    let id = match (kind, target) {
        (Kind::Human, Target::Human) => return None,
        (Kind::Human, _) => return Some("a `human` intent leads to `@human`".into()),
        (_, Target::Node(id)) => id,
        _ => return Some("leads to a node (`flow.node`)".into()),
    };
    let Some(node) = tree.node(id) else {
        return Some(format!("leads to unknown node `{id}`"));
    };
    let is_start = tree.flows.values().any(|f| &f.start == id);
    let is_action = matches!(node, Node::Action { .. });
    let in_faq = id.starts_with("faq.") && matches!(node, Node::Menu { .. });
    let ok = match kind {
        Kind::Flow => is_start || is_action,
        Kind::Step => is_action,
        Kind::Faq => in_faq,
        Kind::Human => false,
    };
    (!ok).then(|| match kind {
        Kind::Flow => format!("`{id}` is neither a flow's start nor an action"),
        Kind::Step => format!(
            "`{id}` is no action: a step is entered through the action that checks it may be"
        ),
        _ => format!("`{id}` is no answer of the FAQ"),
    })
}
