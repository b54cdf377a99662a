//! Email address used as the student's account username, parsed from raw input.
//!
//! Rules, after trimming and folding full-width characters (`＠` → `@`,
//! `。`/`．` → `.`): no whitespace inside, at most 254 characters, exactly one
//! `@`; local part non-empty, at most 64 characters of RFC 5322 "atext" plus
//! dots (no leading, trailing or doubled dot); domain with at least one dot,
//! labels of 1–63 ASCII letters/digits/hyphens not starting or ending with
//! `-`, and a top-level domain of at least 2 letters.

use std::fmt;

use thiserror::Error;

use super::mask::to_halfwidth;

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;
/// Characters allowed in the local part besides ASCII letters and digits.
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";

/// Why a raw email address was rejected. Display (English, for logs) never
/// includes the address itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("email address is empty")]
    Empty,
    #[error("email address contains whitespace")]
    HasSpaces,
    #[error("email address has {found} characters, at most 254 allowed")]
    TooLong { found: usize },
    #[error("email address has no @")]
    MissingAt,
    #[error("email address has more than one @")]
    MultipleAt,
    #[error("email address has nothing before the @")]
    EmptyLocal,
    #[error("part before the @ has {found} characters, at most 64 allowed")]
    LocalTooLong { found: usize },
    #[error("part before the @ contains the character {ch:?}")]
    LocalInvalidChar { ch: char },
    #[error("part before the @ starts or ends with a dot, or has two dots in a row")]
    LocalDots,
    #[error("email address has nothing after the @")]
    EmptyDomain,
    #[error("domain of the email address has no dot")]
    DomainNoDot,
    #[error("domain of the email address is malformed")]
    BadDomain,
    #[error("top-level domain must be at least 2 letters")]
    BadTld,
}

impl EmailError {
    /// Fluent message id for this error.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "err-email-empty",
            Self::HasSpaces => "err-email-spaces",
            Self::TooLong { .. } => "err-email-too-long",
            Self::MissingAt => "err-email-missing-at",
            Self::MultipleAt => "err-email-multiple-at",
            Self::EmptyLocal => "err-email-local-empty",
            Self::LocalTooLong { .. } => "err-email-local-too-long",
            Self::LocalInvalidChar { .. } => "err-email-local-char",
            Self::LocalDots => "err-email-local-dots",
            Self::EmptyDomain => "err-email-domain-empty",
            Self::DomainNoDot => "err-email-domain-no-dot",
            Self::BadDomain => "err-email-domain-invalid",
            Self::BadTld => "err-email-tld",
        }
    }

    /// Fluent variables for [`EmailError::key`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::TooLong { found } => {
                vec![("found", found.to_string()), ("max", MAX_LEN.to_string())]
            }
            Self::LocalTooLong { found } => {
                vec![
                    ("found", found.to_string()),
                    ("max", MAX_LOCAL_LEN.to_string()),
                ]
            }
            Self::LocalInvalidChar { ch } => vec![("char", ch.to_string())],
            _ => Vec::new(),
        }
    }
}

/// A validated email address. Keeps the case the student typed; compare
/// accounts with [`Email::normalized`]. `Debug` shows only the masked form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses and validates `raw` (see the module docs for the rules).
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let folded: String = raw
            .chars()
            .map(|c| if c == '。' { '.' } else { to_halfwidth(c) })
            .collect();
        let s = folded.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().any(char::is_whitespace) {
            return Err(EmailError::HasSpaces);
        }
        let len = s.chars().count();
        if len > MAX_LEN {
            return Err(EmailError::TooLong { found: len });
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::MissingAt)?;
        if domain.contains('@') {
            return Err(EmailError::MultipleAt);
        }
        check_local(local)?;
        check_domain(domain)?;
        Ok(Self(s.to_owned()))
    }

    /// The address as typed (trimmed, full-width characters folded).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lowercased form, for case-insensitive uniqueness checks.
    pub fn normalized(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// `z***n@example.com`: first and last character of the local part
    /// (only the first when it has 1–2 characters), domain in full.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let mut chars = local.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        let last = if local.len() > 2 {
            chars.next_back().map(String::from).unwrap_or_default()
        } else {
            String::new()
        };
        format!("{first}***{last}@{domain}")
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Email").field(&self.masked()).finish()
    }
}

fn check_local(local: &str) -> Result<(), EmailError> {
    if local.is_empty() {
        return Err(EmailError::EmptyLocal);
    }
    let len = local.chars().count();
    if len > MAX_LOCAL_LEN {
        return Err(EmailError::LocalTooLong { found: len });
    }
    if let Some(ch) = local
        .chars()
        .find(|&c| !c.is_ascii_alphanumeric() && !LOCAL_SPECIALS.contains(c))
    {
        return Err(EmailError::LocalInvalidChar { ch });
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailError::LocalDots);
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), EmailError> {
    if domain.is_empty() {
        return Err(EmailError::EmptyDomain);
    }
    if !domain.contains('.') {
        return Err(EmailError::DomainNoDot);
    }
    let label_ok = |label: &str| {
        (1..=MAX_LABEL_LEN).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !domain.split('.').all(label_ok) {
        return Err(EmailError::BadDomain);
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(EmailError::BadTld);
    }
    Ok(())
}

#[cfg(test)]
#[path = "email_tests.rs"]
mod tests;
