//! The Telegram adapter, the only place teloxide types appear: Bot API calls, routing of
//! updates into `Inbound`, polling and webhook intake, and delivery of `Outbound`.

pub mod api;
pub mod intake;
pub mod members;
pub mod route;
pub mod send;
mod send_edit;
mod send_ticket;
pub mod startup;
pub mod uploads;
pub mod webhook;
