//! Dialogues as data: loading and checking `dialogues/`, texts per locale, and the pure
//! step function the service layer drives. No teloxide, sqlx or lettre in here.

pub mod actions;
pub mod check;
mod check_actions;
pub mod embedded;
pub mod engine;
pub mod free_text;
pub mod graph;
pub mod intent;
pub mod labels;
pub mod load;
pub mod model;
mod prompt;
pub mod registry;
pub mod texts;
pub mod turn;
pub mod validate;

pub use engine::{
    ButtonOut, ChatState, Command, Effect, Engine, FileRef, Input, Keyboard, Reply, Step,
};
pub use load::{Tree, TreeError};
pub use texts::{Locale, Text, Texts};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod error_texts_tests;
