//! Helpdesk: a Telegram bot that helps students create and activate their
//! student-information account, verify their phone, check their record and graduate photo,
//! and get unstuck when their ID number is taken — with support agents for what it cannot do.
//!
//! # Layout
//! Layers, lowest first; each imports only those below it.
//! - [`domain`]: plain types and rules (ID numbers, e-mail, phone, names, tickets and their
//!   moves, one-time codes, button data), no I/O.
//! - [`dialogue`]: dialogue files, texts per locale, the declared actions, the pure step
//!   function, the free-text matcher.
//! - [`message`]: what comes in (`Inbound`) and goes out (`Outbound`), and delivery lanes.
//! - [`config`]: settings, checked once; the agents' settings typed.
//! - [`store`]: sqlx over SQLite or PostgreSQL, one file (or folder) per table; all SQL.
//! - [`service`]: use cases in one transaction each, by feature: `conversation`, `accounts`,
//!   `records`, `identity` (an ID number taken), `desk` (agents).
//! - [`handling`]: the inbox worker (batches of chats, in order per chat), no teloxide.
//! - [`delivery`]: the outbox worker, the pacer and the transports' trait.
//! - [`telegram`]: the only place teloxide appears: routing, intake, webhook, sending; it
//!   reaches the database only through the service.
//! - [`notify`]: e-mail and SMS transports; [`metrics`], [`ops`]: counters, `/metrics`.
//! - [`console`], [`app`], [`cli`]: the terminal front end, start-up wiring, the command line.
//!
//! Beside the product, the workspace holds `crates/fake-telegram` (the fake Bot API the
//! tests and the bench run against) and `crates/bench` (the load benchmark).

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
