//! Messages that leave outside Telegram: e-mail (lettre over SMTP, or `.eml` files for
//! development) and SMS through an HTTP gateway.

pub mod mail;
pub mod sms;

pub use mail::Mailer;
pub use sms::SmsGateway;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum NotifyError {
    /// Worth trying again later (server down, timeout, 4xx greylisting).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will not work however often it is tried (bad address, refused for good).
    #[error("refused: {0}")]
    Permanent(String),
}
