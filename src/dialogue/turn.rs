//! What goes into a dialogue step and what comes out: the chat's state, the student's input
//! (text, buttons, files, commands) and the effects (replies, actions, escalations).

use super::model::NodeId;
use super::registry::MAIN_MENU;
use super::texts::{Locale, Text};
use crate::domain::{Callback, Content};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a chat is and what it has entered so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatState {
    pub node: NodeId,
    pub answers: BTreeMap<String, String>,
    pub history: Vec<NodeId>,
    pub locale: Locale,
    /// Failed inputs in a row at the current node.
    pub retries: u32,
    /// Bumped whenever a prompt with buttons is shown; buttons carry it to detect stale ones.
    pub version: i64,
}

impl ChatState {
    pub fn new(locale: Locale) -> ChatState {
        ChatState {
            node: MAIN_MENU.to_string(),
            answers: BTreeMap::new(),
            history: Vec::new(),
            locale,
            retries: 0,
            version: 0,
        }
    }
}

/// A file the student sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub file_id: String,
    pub unique_id: String,
    pub size: i64,
    #[serde(default)]
    pub mime: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// What the file's first bytes say it is, filled in before the dialogue sees it.
    #[serde(default)]
    pub content: Content,
    /// The text sent with the file, if any (relayed to agents with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
}

/// Longest caption Telegram takes with a photo or document.
pub const MAX_CAPTION_CHARS: usize = 1024;

impl FileRef {
    /// `label`, then the file's own caption, cut to fit Telegram's caption limit; `escape`
    /// makes the student's text safe in the HTML the label is written in.
    pub fn caption_after(&self, label: &str, escape: impl Fn(&str) -> String) -> String {
        let Some(own) = self.caption.as_deref().filter(|c| !c.trim().is_empty()) else {
            return label.to_string();
        };
        // Room left after the label and the line break, counted on the text as shown.
        let room = MAX_CAPTION_CHARS.saturating_sub(label.chars().count() + 2);
        let mut kept: String = own.chars().take(room).collect();
        if kept.chars().count() < own.chars().count() {
            kept.pop();
            kept.push('…');
        }
        format!("{label}\n{}", escape(&kept))
    }
}

/// The commands that work at every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Start,
    Menu,
    Help,
    Cancel,
    Back,
    Lang,
    Status,
    Human,
    Privacy,
    DeleteMyData,
    /// No more deadline reminders (`/mute`), or again (`/unmute`).
    Mute,
    Unmute,
    Unknown(String),
}

impl Command {
    /// Parses `/name` (already stripped of `/` and any `@bot` suffix).
    pub fn parse(name: &str) -> Command {
        match name.to_ascii_lowercase().as_str() {
            "start" => Command::Start,
            "menu" => Command::Menu,
            "help" => Command::Help,
            "cancel" => Command::Cancel,
            "back" => Command::Back,
            "lang" | "language" => Command::Lang,
            "status" => Command::Status,
            "human" => Command::Human,
            "privacy" => Command::Privacy,
            "delete_my_data" => Command::DeleteMyData,
            "mute" => Command::Mute,
            "unmute" => Command::Unmute,
            other => Command::Unknown(other.chars().take(32).collect()),
        }
    }
}

/// What the student did, as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    Command(Command),
    Text(String),
    Button(Callback),
    Photo(FileRef),
    Document(FileRef),
    Contact {
        phone: String,
        own: bool,
    },
    /// A message kind the bot cannot use (sticker, voice, location…).
    Unsupported(String),
}

/// A button as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonOut {
    pub text: Text,
    pub data: Callback,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Keyboard {
    #[default]
    None,
    Inline(Vec<Vec<ButtonOut>>),
    /// A reply keyboard with Telegram's "share my phone number" button.
    Contact(Text),
}

/// "Registration · step 3 of 6".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub title: String,
    pub step: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Texts shown first, in the same message (a finished flow's last words).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lead: Vec<Text>,
    pub text: Text,
    #[serde(default)]
    pub progress: Option<Progress>,
    #[serde(default)]
    pub keyboard: Keyboard,
}

impl Reply {
    pub fn text(text: Text) -> Reply {
        Reply {
            lead: Vec::new(),
            text,
            progress: None,
            keyboard: Keyboard::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Reply(Reply),
    /// A short answer to a button press (shown as a toast).
    Notice(Text),
    /// Run a named action; the service reports its outcome through [`Engine::resume`].
    Run {
        action: String,
        params: BTreeMap<String, String>,
    },
    /// A command the service answers without moving the dialogue (/status, /human…).
    Service(Command),
    /// A line saying what a typed question was understood as, put in front of the next
    /// message of the turn.
    Lead(Text),
    /// A typed question nothing matched (or "none of these"), scrubbed of personal values, for
    /// the operator to add phrasings.
    Unmatched {
        text: String,
        node: NodeId,
        reason: &'static str,
    },
    /// The student is stuck: a human should look.
    Escalate {
        node: NodeId,
        reason: &'static str,
    },
}

/// The result of one step.
#[derive(Debug, Clone)]
pub struct Step {
    pub state: ChatState,
    pub effects: Vec<Effect>,
}

impl Step {
    /// The action waiting to be run, if the step stopped at an action node.
    pub fn pending_action(&self) -> Option<(&str, &BTreeMap<String, String>)> {
        match self.effects.last() {
            Some(Effect::Run { action, params }) => Some((action, params)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_caption(caption: Option<&str>) -> FileRef {
        FileRef {
            file_id: "f".into(),
            unique_id: "u".into(),
            size: 1,
            mime: None,
            name: None,
            content: Content::Unchecked,
            caption: caption.map(str::to_string),
        }
    }

    #[test]
    fn captions_follow_the_label_and_fit_telegrams_limit() {
        let upper = |s: &str| s.to_uppercase();
        let long = "x".repeat(2_000);
        let cases: Vec<(Option<&str>, &str)> = vec![
            (None, "[#1] Ann:"),
            (Some("   "), "[#1] Ann:"),
            (Some("my scan"), "[#1] Ann:\nMY SCAN"),
        ];
        for (caption, expected) in cases {
            assert_eq!(
                with_caption(caption).caption_after("[#1] Ann:", upper),
                expected
            );
        }
        let cut = with_caption(Some(&long)).caption_after("[#1] Ann:", |s| s.to_string());
        assert!(
            cut.chars().count() <= MAX_CAPTION_CHARS,
            "{}",
            cut.chars().count()
        );
        assert!(cut.ends_with('…'));
    }
}
