//! The conversation: handling one update in one transaction (dedupe, load state, step the
//! dialogue, run its actions, write state, enqueue replies), rendering replies, checking
//! uploads, taking updates in.

pub mod actions;
mod edit_in_place;
pub mod handle;
pub mod intake;
pub mod render;
mod resume;
pub mod turn;
pub mod uploads;
