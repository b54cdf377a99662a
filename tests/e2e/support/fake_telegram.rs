//! The fake Telegram Bot API (crate `fake-telegram`), under the name the tests use.

pub use fake_telegram::*;
