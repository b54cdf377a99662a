//! Lanes: the order deliveries keep. The outbox delivers one row at a time per lane, oldest
//! first, so a chat's replies never overtake each other; different lanes go in parallel.
//! Lanes also say who waits for a delivery: what is not a student's reply yields to replies
//! for a while ([`yield_ms`]).

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

/// How long agents' work (cards, relays and reactions in a group) yields to students' replies.
pub const GROUP_YIELD_MS: i64 = 30_000;
/// How long tidying a student's chat (buttons cleared or replaced under an answered
/// message) yields to replies: a stale button still works, it only answers "expired".
pub const TIDY_YIELD_MS: i64 = 300_000;

/// How long bulk work (reminders) yields to replies: it is sent in the quiet after a burst,
/// or after five minutes as if it were a reply that waited that long.
pub const BULK_YIELD_MS: i64 = 300_000;

/// Lanes that yield, as SQL `LIKE` patterns (the first that matches applies) and for how long.
const YIELDS: [(&str, i64); 5] = [
    ("edit:-%", GROUP_YIELD_MS),
    ("tg:-%", GROUP_YIELD_MS),
    ("card:%", GROUP_YIELD_MS),
    ("edit:%", TIDY_YIELD_MS),
    ("bulk:%", BULK_YIELD_MS),
];

/// How long a delivery in the lane `key` yields to students' replies: the outbox serves rows
/// in the order of the time they have waited for, and these count as having waited this
/// much less. Replies into a private chat (a student's, an agent's) yield nothing.
pub fn yield_ms(key: &str) -> i64 {
    YIELDS
        .iter()
        .find(|(pattern, _)| key.starts_with(pattern.trim_end_matches('%')))
        .map_or(0, |(_, ms)| *ms)
}

/// [`yield_ms`] as an SQL expression over the lane column `column`.
pub fn yield_sql(column: &str) -> String {
    let arms: String = YIELDS
        .iter()
        .map(|(pattern, ms)| format!(" WHEN {column} LIKE '{pattern}' THEN {ms}"))
        .collect();
    format!("(CASE{arms} ELSE 0 END)")
}

/// SQL that is true for lanes whose deliveries Telegram's sending limits count (chats,
/// edits, cards, bulk sends); callbacks, mail and SMS are not paced.
pub fn paced_sql(column: &str) -> String {
    let kinds = [
        LaneKind::Chat,
        LaneKind::Edit,
        LaneKind::Card,
        LaneKind::Bulk,
    ];
    let likes: Vec<String> = kinds
        .iter()
        .map(|k| format!("{column} LIKE '{}'", k.pattern()))
        .collect();
    format!("({})", likes.join(" OR "))
}

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

    #[test]
    fn only_replies_into_private_chats_yield_nothing() {
        let cases = [
            (Lane::Chat(42), 0),
            (Lane::Chat(-100), GROUP_YIELD_MS),
            (Lane::Card(3), GROUP_YIELD_MS),
            (Lane::Edit(-100), GROUP_YIELD_MS),
            (Lane::Edit(42), TIDY_YIELD_MS),
            (Lane::Bulk("remind"), BULK_YIELD_MS),
            (Lane::Callback("q".into()), 0),
            (Lane::Mail("a@b.cn".into()), 0),
        ];
        for (lane, ms) in cases {
            assert_eq!(yield_ms(&lane.key()), ms, "{lane}");
        }
        let sql = yield_sql("o.lane");
        assert!(
            sql.starts_with("(CASE WHEN o.lane LIKE 'edit:-%' THEN 30000"),
            "{sql}"
        );
        assert_eq!(
            paced_sql("lane"),
            "(lane LIKE 'tg:%' OR lane LIKE 'edit:%' OR lane LIKE 'card:%' OR lane LIKE 'bulk:%')"
        );
    }
}
