//! The pure dialogue step: (tree, chat state, input) → (new state, effects).
//! No I/O here; actions are handed to the service layer, which reports their outcome.

use super::free_text::Asked;
use super::labels;
use super::load::Tree;
use super::model::{Button, Node, Target};
use super::registry::MAIN_MENU;
use super::texts::Text;
use super::validate::{self, Parsed};
use crate::domain::callback::{Callback, Nav};

pub use super::turn::{
    ButtonOut, ChatState, Command, Effect, FileRef, Input, Keyboard, Progress, Reply, Step,
};

const HISTORY_LIMIT: usize = 30;
/// Guards against a tree whose actions and ends loop without waiting for the student.
const MAX_HOPS: usize = 32;

/// Callback data of a dialogue button.
pub fn button_data(version: i64, button_id: &str) -> Callback {
    Callback::Dialogue {
        version,
        button: button_id.to_string(),
    }
}

pub(super) fn nav_data(version: i64, what: Nav) -> Callback {
    Callback::Nav { version, what }
}

/// The dialogue engine over one tree; `today` is injected for date rules.
pub struct Engine<'t> {
    pub tree: &'t Tree,
    pub today: chrono::NaiveDate,
}

impl<'t> Engine<'t> {
    pub fn new(tree: &'t Tree, today: chrono::NaiveDate) -> Engine<'t> {
        Engine { tree, today }
    }

    /// Handles one input.
    pub fn step(&self, state: &ChatState, input: &Input) -> Step {
        let mut step = Step {
            state: state.clone(),
            effects: Vec::new(),
        };
        if self.tree.node(&step.state.node).is_none() {
            // The tree changed under a stored chat: start over from the menu.
            step.state = ChatState {
                locale: state.locale,
                version: state.version,
                ..ChatState::new(state.locale)
            };
        }
        match input {
            Input::Command(cmd) => self.command(&mut step, cmd),
            Input::Button(data) => self.button(&mut step, data),
            other => self.answer(&mut step, other),
        }
        step
    }

    /// Continues after the service ran the pending action and got `outcome`.
    pub fn resume(&self, state: &ChatState, outcome: &str) -> Step {
        let mut step = Step {
            state: state.clone(),
            effects: Vec::new(),
        };
        let target = match self.tree.node(&state.node) {
            Some(Node::Action { outcomes, .. }) => outcomes.get(outcome).cloned(),
            _ => None,
        };
        match target {
            Some(target) => self.go(&mut step, &target),
            None => {
                step.effects
                    .push(Effect::Reply(Reply::text(Text::new("internal-error"))));
                self.enter(&mut step, MAIN_MENU);
            }
        }
        step
    }

    /// Shows the current node again (after /lang, after a release by an agent…).
    pub fn reprompt(&self, state: &ChatState) -> Step {
        let mut step = Step {
            state: state.clone(),
            effects: Vec::new(),
        };
        let node = step.state.node.clone();
        self.enter(&mut step, &node);
        step
    }

    fn command(&self, step: &mut Step, cmd: &Command) {
        match cmd {
            // The service may put a notice (the deadline) in front of the start message.
            Command::Start => {
                step.effects.push(Effect::Service(Command::Start));
                self.reset_to_menu(step)
            }
            Command::Menu => self.reset_to_menu(step),
            Command::Cancel => {
                step.effects
                    .push(Effect::Reply(Reply::text(Text::new("cancelled"))));
                self.reset_to_menu(step);
            }
            Command::Help => self.go(step, &Target::Node("faq.root".into())),
            Command::Lang => self.go(step, &Target::Node("lang.choose".into())),
            Command::DeleteMyData => self.go(step, &Target::Node("privacy.delete".into())),
            Command::Back => self.back(step),
            Command::Unknown(name) => step.effects.push(Effect::Reply(Reply::text(
                Text::new("unknown-command").arg("command", format!("/{name}")),
            ))),
            Command::Status
            | Command::Human
            | Command::Privacy
            | Command::Mute
            | Command::Unmute => step.effects.push(Effect::Service(cmd.clone())),
        }
    }

    fn reset_to_menu(&self, step: &mut Step) {
        step.state.answers.clear();
        step.state.history.clear();
        self.enter(step, MAIN_MENU);
    }

    fn button(&self, step: &mut Step, data: &Callback) {
        if data.version() != Some(step.state.version) {
            step.effects.push(Effect::Notice(Text::new("stale-button")));
            return;
        }
        match data {
            Callback::Dialogue { button: id, .. } => {
                let node = self.tree.node(&step.state.node);
                match node.and_then(|n| n.buttons().iter().find(|b| &b.id == id)) {
                    Some(button) => {
                        step.effects.push(Effect::Notice(Text::new("button-done")));
                        let button = button.clone();
                        self.press(step, &button);
                    }
                    None => step.effects.push(Effect::Notice(Text::new("stale-button"))),
                }
            }
            Callback::Intent { intent, .. } => self.intent_button(step, intent),
            Callback::Nav { what, .. } => {
                step.effects.push(Effect::Notice(Text::new("button-done")));
                match what {
                    Nav::Back => self.back(step),
                    Nav::Cancel => self.command(step, &Command::Cancel),
                    Nav::Human => step.effects.push(Effect::Service(Command::Human)),
                    Nav::NoneOfThese => self.none_of_these(step),
                }
            }
            _ => step.effects.push(Effect::Notice(Text::new("stale-button"))),
        }
    }

    /// A button pressed, or its label typed: what it sets, then where it leads.
    fn press(&self, step: &mut Step, button: &Button) {
        for (key, value) in &button.set {
            step.state.answers.insert(key.clone(), value.clone());
        }
        self.go(step, &button.next);
    }

    /// The button of `buttons` (or the back/cancel row of an input step) whose label was typed.
    fn typed_label(&self, step: &mut Step, node: &Node, input: &Input) -> bool {
        let Input::Text(typed) = input else {
            return false;
        };
        let locale = step.state.locale;
        let label = |key: &str| super::texts::html_to_plain(&self.tree.texts.get(locale, key));
        if let Some(button) = node
            .buttons()
            .iter()
            .find(|b| labels::matches(typed, &label(&b.text)))
        {
            let button = button.clone();
            self.press(step, &button);
            return true;
        }
        if matches!(node, Node::Input { .. }) {
            if labels::matches(typed, &label("nav-back")) {
                self.back(step);
                return true;
            }
            if labels::matches(typed, &label("nav-cancel")) {
                self.command(step, &Command::Cancel);
                return true;
            }
        }
        false
    }

    fn answer(&self, step: &mut Step, input: &Input) {
        let Some(node) = self.tree.node(&step.state.node).cloned() else {
            return self.enter(step, MAIN_MENU);
        };
        if self.typed_label(step, &node, input) {
            return;
        }
        let shown = node.clone();
        match node {
            Node::Input {
                validator,
                save,
                next,
                retries,
                help,
                ..
            } => match validate::validate(&validator, input, &step.state.answers, self.today) {
                Ok(Parsed { value, extra }) => {
                    for (suffix, v) in extra {
                        step.state.answers.insert(format!("{save}_{suffix}"), v);
                    }
                    step.state.answers.insert(save, value);
                    step.state.retries = 0;
                    self.go(step, &next);
                }
                Err(error) => {
                    let asked = match input {
                        Input::Text(typed) => self.question_at_input(step, &shown, typed),
                        _ => Asked::No,
                    };
                    if matches!(asked, Asked::Answered) {
                        return;
                    }
                    step.state.retries += 1;
                    step.effects.push(Effect::Reply(Reply::text(error)));
                    if let Asked::Elsewhere(suggestion) = asked {
                        step.effects.push(Effect::Reply(suggestion));
                    }
                    if step.state.retries == retries {
                        self.offer_help(step, help.as_deref());
                    }
                }
            },
            Node::Menu { .. } => match input {
                Input::Text(typed) => self.question_at_menu(step, typed),
                _ => self.choose_a_button(step),
            },
            Node::Action { .. } | Node::End { .. } => self.enter(step, MAIN_MENU),
        }
    }

    pub(super) fn go(&self, step: &mut Step, target: &Target) {
        match target {
            Target::Back => self.back(step),
            Target::Cancel => self.command(step, &Command::Cancel),
            Target::Human => step.effects.push(Effect::Service(Command::Human)),
            Target::Stay => match step.state.history.pop() {
                Some(id) if self.tree.node(&id).is_some() => step.state.node = id,
                _ => self.enter(step, MAIN_MENU),
            },
            Target::Node(id) => {
                let current = step.state.node.clone();
                if self.tree.node(&current).is_some_and(Node::waits)
                    && step.state.history.last() != Some(&current)
                    && &current != id
                {
                    step.state.history.push(current);
                    if step.state.history.len() > HISTORY_LIMIT {
                        step.state.history.remove(0);
                    }
                }
                self.enter(step, id);
            }
        }
    }

    fn back(&self, step: &mut Step) {
        let previous = step.state.history.pop();
        match previous {
            Some(id) if self.tree.node(&id).is_some() => self.enter(step, &id),
            _ => self.enter(step, MAIN_MENU),
        }
    }

    /// Moves to `id` and runs through ends until a node that waits or an action. A flow's
    /// last words go in the same message as the step that follows (usually the menu), so a
    /// finished flow is one message, not two.
    fn enter(&self, step: &mut Step, id: &str) {
        let mut id = id.to_string();
        let mut ended: Vec<Text> = Vec::new();
        for _ in 0..MAX_HOPS {
            let Some(node) = self.tree.node(&id) else {
                id = MAIN_MENU.to_string();
                continue;
            };
            step.state.node = id.clone();
            step.state.retries = 0;
            match node {
                Node::Menu { .. } | Node::Input { .. } => {
                    step.state.version += 1;
                    let mut reply = self.prompt(node, &step.state);
                    reply.lead = std::mem::take(&mut ended);
                    step.effects.push(Effect::Reply(reply));
                    return;
                }
                Node::Action { action, params, .. } => {
                    for text in ended.drain(..) {
                        step.effects.push(Effect::Reply(Reply::text(text)));
                    }
                    step.effects.push(Effect::Run {
                        action: action.clone(),
                        params: params.clone(),
                    });
                    return;
                }
                Node::End { text, next } => {
                    if let Some(text) = text {
                        ended.push(self.with_answers(text, &step.state));
                    }
                    step.state.answers.clear();
                    step.state.history.clear();
                    match next {
                        Target::Node(next) => id = next.clone(),
                        _ => id = MAIN_MENU.to_string(),
                    }
                }
            }
        }
        for text in ended {
            step.effects.push(Effect::Reply(Reply::text(text)));
        }
        step.effects
            .push(Effect::Reply(Reply::text(Text::new("internal-error"))));
    }
}
