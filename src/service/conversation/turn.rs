//! The work of one update (`Turn`: the chat row, what is to be sent, the notice), what a
//! batch learnt for all its updates, and the flood rule that quiets a chat sending too fast.

use crate::dialogue::{Locale, Text};
use crate::message::Outbound;
use crate::store::chat_state::ChatRow;

/// A chat may send this many updates within [`FLOOD_WINDOW_MS`] before the bot stops listening.
pub const FLOOD_LIMIT: i64 = 20;
pub const FLOOD_WINDOW_MS: i64 = 10_000;

/// The work of one update: the chat row and what is to be sent.
pub struct Turn {
    pub chat: ChatRow,
    pub out: Vec<Outbound>,
    pub notice: Option<Text>,
    pub now: i64,
    /// "I understood …", and where the turn's messages stood when it was said: it goes in
    /// front of the first message after that (see [`Service::apply`]).
    pub lead: Option<(Text, usize)>,
}

impl Turn {
    pub fn locale(&self) -> Locale {
        self.chat.state.locale
    }

    /// An entered answer, or "" when there is none.
    pub fn answer(&self, key: &str) -> &str {
        self.chat
            .state
            .answers
            .get(key)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// What a batch of updates learnt in one statement for all of them (`telegram::batch`), so
/// that each update need not ask.
#[derive(Debug, Default, Clone)]
pub struct Prefetched {
    /// The batch's users who work a ticket from their private chat; `None`: not asked.
    pub private_agents: Option<std::collections::HashSet<i64>>,
}

pub(crate) enum Flood {
    Calm,
    Warn,
    Drop,
}

/// Counts updates per chat in a window: calm, the one warning, or dropped until calm.
pub(crate) fn flood(chat: &mut ChatRow, now: i64) -> Flood {
    if now - chat.flood_since > FLOOD_WINDOW_MS {
        chat.flood_since = now;
        chat.flood_count = 0;
    }
    chat.flood_count += 1;
    if chat.flood_count <= FLOOD_LIMIT {
        return Flood::Calm;
    }
    // While flooding, the window keeps restarting: only 10 s of calm reopens the chat.
    chat.flood_since = now;
    if chat.flood_count == FLOOD_LIMIT + 1 {
        Flood::Warn
    } else {
        Flood::Drop
    }
}
