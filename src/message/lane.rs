//! Lanes: the order deliveries keep. The outbox delivers one row at a time per lane, oldest
//! first, so a chat's replies never overtake each other; different lanes go in parallel.

use std::fmt;

/// Which ordered queue a delivery waits in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lane {
    /// Messages into a chat (a student's, an agent's, or the agents' group).
    Chat(i64),
    /// The answer to one button press (no order to keep with anything else).
    Callback(String),
    /// Edits of what was sent into a chat (buttons cleared, reactions, deletions).
    Edit(i64),
    /// E-mail to one address.
    Mail(String),
    /// SMS to one number.
    Sms(String),
    /// A ticket card's redraws: a card not sent yet holds back only its own redraws.
    Card(i64),
    /// Bulk work that must not hold back anyone's replies (reminders), by name.
    Bulk(&'static str),
}

/// The kinds of lane, for claiming or clearing all lanes of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    Chat,
    Callback,
    Edit,
    Mail,
    Sms,
    Card,
    Bulk,
}

impl LaneKind {
    fn prefix(self) -> &'static str {
        match self {
            LaneKind::Chat => "tg",
            LaneKind::Callback => "cb",
            LaneKind::Edit => "edit",
            LaneKind::Mail => "mail",
            LaneKind::Sms => "sms",
            LaneKind::Card => "card",
            LaneKind::Bulk => "bulk",
        }
    }

    /// The SQL `LIKE` pattern of every lane of this kind.
    pub fn pattern(self) -> String {
        format!("{}:%", self.prefix())
    }

    /// The kind of a stored lane key, for logs.
    pub fn of_key(key: &str) -> &str {
        key.split(':').next().unwrap_or_default()
    }
}

/// The `LIKE` pattern of every lane.
pub const ANY_LANE: &str = "%";

impl Lane {
    pub fn kind(&self) -> LaneKind {
        match self {
            Lane::Chat(_) => LaneKind::Chat,
            Lane::Callback(_) => LaneKind::Callback,
            Lane::Edit(_) => LaneKind::Edit,
            Lane::Mail(_) => LaneKind::Mail,
            Lane::Sms(_) => LaneKind::Sms,
            Lane::Card(_) => LaneKind::Card,
            Lane::Bulk(_) => LaneKind::Bulk,
        }
    }

    /// The key the outbox stores (`tg:42`, `mail:a@b.cn`…).
    pub fn key(&self) -> String {
        let prefix = self.kind().prefix();
        match self {
            Lane::Chat(id) | Lane::Edit(id) | Lane::Card(id) => format!("{prefix}:{id}"),
            Lane::Callback(s) | Lane::Mail(s) | Lane::Sms(s) => format!("{prefix}:{s}"),
            Lane::Bulk(name) => format!("{prefix}:{name}"),
        }
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_the_stored_format_and_match_their_kind() {
        let cases = [
            (Lane::Chat(-100), "tg:-100"),
            (Lane::Callback("q1".into()), "cb:q1"),
            (Lane::Edit(7), "edit:7"),
            (Lane::Mail("a@b.cn".into()), "mail:a@b.cn"),
            (Lane::Sms("+8613800138000".into()), "sms:+8613800138000"),
            (Lane::Card(3), "card:3"),
            (Lane::Bulk("remind"), "bulk:remind"),
        ];
        for (lane, key) in cases {
            assert_eq!(lane.key(), key);
            let pattern = lane.kind().pattern();
            assert!(
                key.starts_with(pattern.trim_end_matches('%')),
                "{key} {pattern}"
            );
            assert_eq!(LaneKind::of_key(key), pattern.trim_end_matches(":%"));
        }
    }
}
