//! End-to-end tests: the real `helpdesk` binary against a fake Telegram Bot API on 127.0.0.1,
//! a real SMTP server on loopback, an HTTP SMS gateway, and real databases (SQLite always,
//! PostgreSQL when TEST_DATABASE_URL is set).

// Test code: a panic is a failed test, so unwrap and expect are allowed here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod accounts_codes;
mod agents;
mod agents_after;
mod agents_budget;
mod agents_decisions;
mod agents_faq;
mod agents_groups;
mod agents_inbox;
mod agents_map;
mod agents_private;
mod agents_typed;
mod attacks_agents;
mod attacks_agents_erase;
mod attacks_agents_inbox;
mod attacks_agents_reviews;
mod attacks_codes;
mod attacks_identity;
mod batches;
mod bursts;
mod console;
mod drills;
mod drills_postgres;
mod duplicates;
mod elsewhere;
mod flow_counts;
mod free_text;
mod pipeline;
mod presses;
mod privacy;
mod records;
mod scale_out;
mod school;
mod support;
mod typed_labels;
