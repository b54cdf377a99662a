//! What a step shows: its prompt (text, progress line, keyboard with the engine's own back,
//! cancel and human buttons), the texts filled from answers, and the help after misses.

use super::engine::{Engine, button_data, nav_data};
use super::model::Node;
use super::texts::Text;
use super::turn::{ButtonOut, ChatState, Effect, Keyboard, Progress, Reply, Step};
use crate::domain::callback::Nav;

impl Engine<'_> {
    /// Typed text on a menu that is no button's label: point to the buttons.
    pub(super) fn choose_a_button(&self, step: &mut Step) {
        let node = step.state.node.clone();
        let mut reply = Reply::text(Text::new("choose-a-button"));
        if let Some(n) = self.tree.node(&node) {
            reply.keyboard = self.keyboard(n, &step.state);
        }
        step.effects.push(Effect::Reply(reply));
    }

    pub(super) fn offer_help(&self, step: &mut Step, help: Option<&str>) {
        let v = step.state.version;
        let rows = vec![
            vec![ButtonOut {
                text: Text::new("nav-human"),
                data: nav_data(v, Nav::Human),
            }],
            vec![ButtonOut {
                text: Text::new("nav-cancel"),
                data: nav_data(v, Nav::Cancel),
            }],
        ];
        step.effects.push(Effect::Reply(Reply {
            lead: Vec::new(),
            text: Text::new(help.unwrap_or("help-after-misses")),
            progress: None,
            keyboard: Keyboard::Inline(rows),
        }));
        step.effects.push(Effect::Escalate {
            node: step.state.node.clone(),
            reason: "three_failures",
        });
    }

    pub(super) fn prompt(&self, node: &Node, state: &ChatState) -> Reply {
        let (text, step_no) = match node {
            Node::Menu { text, step, .. } | Node::Input { text, step, .. } => {
                (text.as_str(), *step)
            }
            _ => ("internal-error", None),
        };
        let progress = step_no.and_then(|n| {
            let flow = self.tree.flow_of(&state.node)?;
            Some(Progress {
                title: flow.title.clone(),
                step: n,
                total: flow.steps.unwrap_or(n),
            })
        });
        Reply {
            lead: Vec::new(),
            text: self.with_answers(text, state),
            progress,
            keyboard: self.keyboard(node, state),
        }
    }

    pub(super) fn with_answers(&self, key: &str, state: &ChatState) -> Text {
        let mut text = Text::new(key);
        for (name, value) in &state.answers {
            let shown = match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(date) if name.ends_with("date") => super::texts::format_date(date, state.locale),
                _ => value.clone(),
            };
            text = text.arg(name.clone(), shown);
        }
        text
    }

    pub(super) fn keyboard(&self, node: &Node, state: &ChatState) -> Keyboard {
        let v = state.version;
        let buttons: Vec<ButtonOut> = node
            .buttons()
            .iter()
            .map(|b| ButtonOut {
                text: Text::new(b.text.clone()),
                data: button_data(v, &b.id),
            })
            .collect();
        match node {
            Node::Menu { columns, .. } => Keyboard::Inline(
                buttons
                    .chunks(*columns)
                    .map(<[ButtonOut]>::to_vec)
                    .collect(),
            ),
            Node::Input {
                request_contact: true,
                ..
            } => Keyboard::Contact(Text::new("nav-share-phone")),
            Node::Input { .. } => {
                let mut rows: Vec<Vec<ButtonOut>> = buttons.into_iter().map(|b| vec![b]).collect();
                rows.push(vec![
                    ButtonOut {
                        text: Text::new("nav-back"),
                        data: nav_data(v, Nav::Back),
                    },
                    ButtonOut {
                        text: Text::new("nav-cancel"),
                        data: nav_data(v, Nav::Cancel),
                    },
                ]);
                Keyboard::Inline(rows)
            }
            _ => Keyboard::None,
        }
    }
}
