//! The dialogue tree as data: flows, nodes, buttons, as loaded from `dialogues/*.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A node address: `flow.node`.
pub type NodeId = String;

/// One flow file, as written on disk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowFile {
    pub flow: FlowHeader,
    #[serde(default)]
    pub nodes: BTreeMap<String, NodeSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowHeader {
    pub id: String,
    pub start: String,
    /// Text key of the flow's title, shown in the progress line.
    pub title: String,
    /// Number of numbered steps, for "step 3 of 6".
    #[serde(default)]
    pub steps: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NodeSpec {
    Menu {
        text: String,
        #[serde(default)]
        buttons: Vec<ButtonSpec>,
        #[serde(default)]
        step: Option<u32>,
        #[serde(default)]
        columns: Option<usize>,
        /// Its message stays when one of its buttons is pressed (an answer worth keeping on
        /// screen); otherwise the press turns the message into the next step.
        #[serde(default)]
        keep: bool,
    },
    Input {
        text: String,
        validator: String,
        /// The answer name the parsed value is stored under.
        save: String,
        next: String,
        #[serde(default = "default_retries")]
        retries: u32,
        /// Text key shown with the help offer after `retries` misses in a row.
        #[serde(default)]
        help: Option<String>,
        #[serde(default)]
        buttons: Vec<ButtonSpec>,
        #[serde(default)]
        step: Option<u32>,
        /// Offer Telegram's "share my phone number" button.
        #[serde(default)]
        request_contact: bool,
    },
    Action {
        action: String,
        #[serde(default)]
        params: BTreeMap<String, String>,
        outcomes: BTreeMap<String, String>,
    },
    End {
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        next: Option<String>,
    },
}

fn default_retries() -> u32 {
    3
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ButtonSpec {
    /// Stable id carried in the callback data.
    pub id: String,
    pub text: String,
    pub next: String,
    /// Answers recorded when the button is pressed (e.g. the chosen ID type).
    #[serde(default)]
    pub set: BTreeMap<String, String>,
}

/// A node after loading: targets resolved to full `flow.node` ids.
#[derive(Debug, Clone)]
pub enum Node {
    Menu {
        text: String,
        buttons: Vec<Button>,
        step: Option<u32>,
        columns: usize,
        keep: bool,
    },
    Input {
        text: String,
        validator: String,
        save: String,
        next: Target,
        retries: u32,
        help: Option<String>,
        buttons: Vec<Button>,
        step: Option<u32>,
        request_contact: bool,
    },
    Action {
        action: String,
        params: BTreeMap<String, String>,
        outcomes: BTreeMap<String, Target>,
    },
    End {
        text: Option<String>,
        next: Target,
    },
}

#[derive(Debug, Clone)]
pub struct Button {
    pub id: String,
    pub text: String,
    pub next: Target,
    pub set: BTreeMap<String, String>,
}

/// Where a button, an input or an outcome leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Node(NodeId),
    /// Back to the previous prompt.
    Back,
    /// Leave the flow for the main menu.
    Cancel,
    /// Ask for a human.
    Human,
    /// After an action: stay at the prompt the student answered, without showing it again.
    Stay,
}

impl Target {
    /// Parses `flow.node`, a bare `node` (same flow), or `@back`/`@cancel`/`@human`.
    pub fn parse(raw: &str, current_flow: &str) -> Target {
        match raw {
            "@back" => Target::Back,
            "@cancel" => Target::Cancel,
            "@human" => Target::Human,
            "@stay" => Target::Stay,
            _ if raw.contains('.') => Target::Node(raw.to_string()),
            _ => Target::Node(format!("{current_flow}.{raw}")),
        }
    }
}

impl Node {
    /// Every text key this node names.
    pub fn text_keys(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        match self {
            Node::Menu { text, buttons, .. } => {
                keys.push(text.as_str());
                keys.extend(buttons.iter().map(|b| b.text.as_str()));
            }
            Node::Input {
                text,
                help,
                buttons,
                ..
            } => {
                keys.push(text.as_str());
                keys.extend(help.as_deref());
                keys.extend(buttons.iter().map(|b| b.text.as_str()));
            }
            Node::Action { .. } => {}
            Node::End { text, .. } => keys.extend(text.as_deref()),
        }
        keys
    }

    /// Every node this one can lead to.
    pub fn targets(&self) -> Vec<&Target> {
        match self {
            Node::Menu { buttons, .. } => buttons.iter().map(|b| &b.next).collect(),
            Node::Input { next, buttons, .. } => std::iter::once(next)
                .chain(buttons.iter().map(|b| &b.next))
                .collect(),
            Node::Action { outcomes, .. } => outcomes.values().collect(),
            Node::End { next, .. } => vec![next],
        }
    }

    /// Whether a press on the node's buttons leaves its message as it is (only the buttons
    /// taken off) rather than editing it into what comes next.
    pub fn keeps_message(&self) -> bool {
        match self {
            Node::Menu { keep, .. } => *keep,
            _ => false,
        }
    }

    pub fn buttons(&self) -> &[Button] {
        match self {
            Node::Menu { buttons, .. } | Node::Input { buttons, .. } => buttons,
            _ => &[],
        }
    }

    /// Whether entering this node shows something and waits for the student.
    pub fn waits(&self) -> bool {
        matches!(self, Node::Menu { .. } | Node::Input { .. })
    }
}
