//! Helpdesk: a Telegram bot that helps students create and activate their
//! student-information account, verify their phone, check their record and graduate photo,
//! and get unstuck when their ID number is taken — with support agents for what it cannot do.
//!
//! # Layout
//! - [`domain`]: plain types and rules (ID numbers, e-mail, phone, names), no I/O.
//! - [`dialogue`]: dialogue files, texts per locale, the pure step function.
//! - [`service`]: use cases, each in one database transaction.
//! - [`store`]: sqlx over SQLite or PostgreSQL: inbox, chat state, outbox, tickets.
//! - [`telegram`]: the only place teloxide appears: routing, intake, Bot API calls.
//! - [`delivery`]: the outbox worker, pacing and retrying every message that leaves.
//! - [`notify`]: e-mail and SMS transports.
//! - [`console`], [`app`], [`cli`], [`config`]: the terminal front end, start-up, the command
//!   line, settings.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod delivery;
pub mod demo;
pub mod dialogue;
pub mod domain;
pub mod files;
pub mod handling;
pub mod housekeeping;
pub mod message;
pub mod metrics;
pub mod notify;
pub mod ops;
pub mod service;
pub mod store;
pub mod telegram;

#[cfg(test)]
mod hostile_tests;
