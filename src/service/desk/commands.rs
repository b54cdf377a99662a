//! The commands agents type, parsed once: in the agents' group (`/queue`, `/stats`,
//! `/find`, `/faq`, `/progress`, `/remind`), in an agent's private chat (`/take`, `/drop`,
//! `/close`, `/inbox`); a student talking to an agent may also `/close`.

use crate::dialogue::{Command, Input};

/// An agent's command (arguments stay in `Inbound::meta.args`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentCommand {
    Queue,
    Stats,
    Find,
    Faq,
    Progress,
    Remind,
    Take,
    Drop,
    Close,
    /// `/inbox [on|off]`: new tickets' cards in the agent's private chat too.
    Inbox,
}

impl AgentCommand {
    /// The agent's command `input` is, if any. `/status` in the group reads as `/stats`.
    pub fn of(input: &Input) -> Option<AgentCommand> {
        let Input::Command(command) = input else {
            return None;
        };
        Some(match command {
            Command::Status => AgentCommand::Stats,
            Command::Unknown(name) => match name.as_str() {
                "queue" => AgentCommand::Queue,
                "stats" => AgentCommand::Stats,
                "find" => AgentCommand::Find,
                "faq" => AgentCommand::Faq,
                "progress" => AgentCommand::Progress,
                "remind" => AgentCommand::Remind,
                "take" => AgentCommand::Take,
                "drop" => AgentCommand::Drop,
                "close" => AgentCommand::Close,
                "inbox" => AgentCommand::Inbox,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Its name, as audit records give it.
    pub fn name(self) -> &'static str {
        match self {
            AgentCommand::Queue => "queue",
            AgentCommand::Stats => "stats",
            AgentCommand::Find => "find",
            AgentCommand::Faq => "faq",
            AgentCommand::Progress => "progress",
            AgentCommand::Remind => "remind",
            AgentCommand::Take => "take",
            AgentCommand::Drop => "drop",
            AgentCommand::Close => "close",
            AgentCommand::Inbox => "inbox",
        }
    }

    /// Typed in the agents' group.
    pub fn in_group(self) -> bool {
        matches!(
            self,
            AgentCommand::Queue
                | AgentCommand::Stats
                | AgentCommand::Find
                | AgentCommand::Faq
                | AgentCommand::Progress
                | AgentCommand::Remind
        )
    }

    /// Typed in an agent's private chat with the bot.
    pub fn in_private(self) -> bool {
        matches!(
            self,
            AgentCommand::Take | AgentCommand::Drop | AgentCommand::Close | AgentCommand::Inbox
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_where_they_belong() {
        let typed = |name: &str| AgentCommand::of(&Input::Command(Command::parse(name)));
        for (name, command) in [
            ("queue", AgentCommand::Queue),
            ("stats", AgentCommand::Stats),
            ("status", AgentCommand::Stats),
            ("FIND", AgentCommand::Find),
            ("faq", AgentCommand::Faq),
            ("progress", AgentCommand::Progress),
            ("remind", AgentCommand::Remind),
            ("take", AgentCommand::Take),
            ("drop", AgentCommand::Drop),
            ("close", AgentCommand::Close),
            ("inbox", AgentCommand::Inbox),
        ] {
            assert_eq!(typed(name), Some(command), "{name}");
        }
        for other in ["start", "human", "delete_my_data", "approve", ""] {
            assert_eq!(typed(other), None, "{other}");
        }
        assert_eq!(AgentCommand::of(&Input::Text("/queue".into())), None);
        assert!(AgentCommand::Queue.in_group() && !AgentCommand::Queue.in_private());
        assert!(AgentCommand::Take.in_private() && !AgentCommand::Take.in_group());
        assert!(AgentCommand::Inbox.in_private() && !AgentCommand::Inbox.in_group());
    }
}
