//! Test support: the fake Bot API, the bot process, databases, the SMTP server and the SMS gateway.
#![allow(dead_code)]

pub mod app;
pub mod balancer;
pub mod db;
pub mod fake_telegram;
pub mod mail;
pub mod sms;

use std::time::Duration;

/// How long a test waits for something that should happen in well under a second.
pub const WAIT: Duration = Duration::from_secs(20);
