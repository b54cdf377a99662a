//! The tree's action nodes held to their declarations ([`super::actions`]): known actions,
//! declared params with allowed values, every outcome routed, and every answer an action
//! reads written somewhere in the tree.

use super::actions::Action;
use super::load::Tree;
use super::model::{Node, Target};
use std::collections::{BTreeMap, BTreeSet};

/// One action node against its declaration.
pub(super) fn check_action(
    id: &str,
    file: &str,
    name: &str,
    params: &BTreeMap<String, String>,
    outcomes: &BTreeMap<String, Target>,
    problems: &mut Vec<String>,
) {
    let Some(action) = Action::parse(name) else {
        problems.push(format!("{file}: `{id}` uses unknown action `{name}`"));
        return;
    };
    let spec = action.spec();
    for (param, value) in params {
        match spec.param(param) {
            None => problems.push(format!(
                "{file}: `{id}`: action `{name}` takes no param `{param}`"
            )),
            Some(declared) => {
                let allowed = action.allowed(declared);
                if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                    problems.push(format!(
                        "{file}: `{id}`: `{param} = \"{value}\"` is not one of {}",
                        allowed.join(", ")
                    ));
                }
            }
        }
    }
    for declared in spec.params.iter().filter(|p| p.required) {
        if !params.contains_key(declared.name) {
            problems.push(format!(
                "{file}: `{id}`: action `{name}` needs the param `{}`",
                declared.name
            ));
        }
    }
    for outcome in spec.outcomes {
        if !outcomes.contains_key(*outcome) {
            problems.push(format!(
                "{file}: `{id}` does not say where outcome `{outcome}` of `{name}` leads"
            ));
        }
    }
    for outcome in outcomes.keys() {
        if !spec.outcomes.contains(&outcome.as_str()) {
            problems.push(format!(
                "{file}: `{id}`: action `{name}` has no outcome `{outcome}`"
            ));
        }
    }
}

/// Every answer an action of the tree reads is written by some input, button or action.
pub(super) fn check_answers(tree: &Tree, problems: &mut Vec<String>) {
    let mut written: BTreeSet<&str> = BTreeSet::new();
    for node in tree.nodes.values() {
        written.extend(
            node.buttons()
                .iter()
                .flat_map(|b| b.set.keys().map(String::as_str)),
        );
        match node {
            Node::Input { save, .. } => {
                written.insert(save.as_str());
            }
            Node::Action { action, .. } => {
                if let Some(action) = Action::parse(action) {
                    written.extend(action.spec().writes.iter().copied());
                }
            }
            _ => {}
        }
    }
    for (id, node) in &tree.nodes {
        let Node::Action { action: name, .. } = node else {
            continue;
        };
        let Some(action) = Action::parse(name) else {
            continue;
        };
        let file = tree.flow_of(id).map(|f| f.file.as_str()).unwrap_or("?");
        for read in action.spec().reads {
            if !written.contains(read) {
                problems.push(format!(
                    "{file}: `{id}`: action `{name}` reads the answer `{read}`, which no step writes"
                ));
            }
        }
    }
}
