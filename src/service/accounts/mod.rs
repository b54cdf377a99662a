//! Accounts: registration, activation, log-in and phone checks with one-time codes, the limits
//! on answers that tell whether something exists, and what is kept about a student (/privacy,
//! deletion).

pub mod code_delivery;
pub mod codes;
pub mod lookups;
pub mod privacy;
pub mod registration;
