//! How the console prints: colours when it is a terminal, messages as plain text, buttons
//! numbered so that typing the number presses them.

use crate::dialogue::texts::html_to_plain;
use crate::domain::Callback;
use crate::message::{OutButton, Outbound};

/// The terminal: whether it takes colours.
pub(super) struct Screen {
    pub colour: bool,
}

/// Colours of what is printed.
pub(super) mod paint {
    pub const TITLE: &str = "1";
    pub const BOT: &str = "36";
    pub const BUTTONS: &str = "33";
    pub const NOTE: &str = "2";
    pub const ERROR: &str = "31";
    pub const PROMPT: &str = "32";
    pub const SENT_OUT: &str = "35";
}

impl Screen {
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn say(&self, code: &str, text: &str) {
        println!("{}", self.paint(code, text));
    }

    /// Prints a message and its buttons, numbered from 1; returns what the numbers press
    /// (empty when the message has none).
    pub fn show(&self, out: &Outbound) -> Vec<Callback> {
        let Some((text, buttons)) = shown(out) else {
            return Vec::new();
        };
        self.say(paint::BOT, &text);
        self.buttons(&buttons)
    }

    /// Prints buttons numbered from 1, a row per line; returns what each number presses.
    pub fn buttons(&self, rows: &[Vec<OutButton>]) -> Vec<Callback> {
        let mut pressed = Vec::new();
        for row in rows {
            let labels: Vec<String> = row
                .iter()
                .map(|b| {
                    pressed.push(b.data.clone());
                    format!("[{}] {}", pressed.len(), b.text)
                })
                .collect();
            println!("  {}", self.paint(paint::BUTTONS, &labels.join("   ")));
        }
        pressed
    }
}

/// What a message shows: its text (or caption, or what it is) and its buttons; `None` for
/// what shows nothing by itself (a callback answer without text, a deletion…).
pub(super) fn shown(out: &Outbound) -> Option<(String, Vec<Vec<OutButton>>)> {
    Some(match out {
        Outbound::Text {
            text,
            buttons,
            contact_button,
            ..
        } => {
            let mut text = html_to_plain(text);
            if let Some(label) = contact_button {
                text.push_str(&format!("\n  ({label}: type your number)"));
            }
            (text, buttons.clone())
        }
        Outbound::EditText { text, buttons, .. } => (html_to_plain(text), buttons.clone()),
        Outbound::Photo {
            caption, buttons, ..
        } => (
            format!("[photo] {}", html_to_plain(caption)),
            buttons.clone(),
        ),
        Outbound::Document { caption, .. } => {
            (format!("[file] {}", html_to_plain(caption)), Vec::new())
        }
        Outbound::File { name, caption, .. } => (
            format!("[file {name}] {}", html_to_plain(caption)),
            Vec::new(),
        ),
        Outbound::AnswerCallback {
            text: Some(text), ..
        } => (format!("({text})"), Vec::new()),
        Outbound::Sms { to, text, .. } => (format!("[SMS to {to}] {text}"), Vec::new()),
        Outbound::Tracked { message, .. } | Outbound::Relayed { message, .. } => {
            return shown(message);
        }
        Outbound::ToTicket { message, .. } | Outbound::ToAgent { message, .. } => {
            return shown(message);
        }
        Outbound::EditCard { text, buttons, .. } => (
            format!("(the card is redrawn)\n{}", html_to_plain(text)),
            buttons.clone(),
        ),
        Outbound::React { emoji, .. } => (format!("({emoji})"), Vec::new()),
        _ => return None,
    })
}
