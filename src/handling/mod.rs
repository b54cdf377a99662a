//! Handling: the inbox worker that hands stored updates to the service — in update order
//! per chat, in batches of chats (group commit), also when several instances share one
//! PostgreSQL database. No teloxide here: updates arrive as [`crate::message::Inbound`].

mod batch;
mod processor;
mod single;

pub use processor::{BATCH_TASKS_POSTGRES, process};

use std::time::Duration;

/// A chat another instance is handling is looked at again after this.
pub(crate) const BUSY_RETRY: Duration = Duration::from_millis(50);

/// What became of one attempt to handle a chat's next update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// An update was handled (or set aside); there may be more.
    Handled,
    /// Nothing waiting for the chat (another instance got there first).
    Empty,
    /// Another task or instance holds the chat.
    Busy,
    /// Handling failed this many times; try again after a pause.
    Failed(i64),
    /// The database could not be reached.
    Unavailable,
}

impl Next {
    /// How long to leave the chat alone after this.
    pub(crate) fn pause(self) -> Option<Duration> {
        match self {
            Next::Handled | Next::Empty => None,
            Next::Busy => Some(BUSY_RETRY),
            Next::Failed(attempts) => Some(Duration::from_millis(
                200 * u64::try_from(attempts).unwrap_or(1),
            )),
            Next::Unavailable => Some(Duration::from_millis(500)),
        }
    }
}
