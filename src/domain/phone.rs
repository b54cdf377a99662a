//! Mainland China mobile phone number, parsed from raw input.
//!
//! Rules: spaces, hyphens and parentheses are removed and full-width
//! characters folded; an optional `+86`, `0086` or (for 13 digits) `86`
//! country prefix is dropped; what remains must be exactly 11 digits matching
//! `1[3-9]\d{9}`. Any other `+`/`00` country code is rejected.

use std::fmt;

use thiserror::Error;

use super::mask::{mask_middle, to_halfwidth};

const NATIONAL_LEN: usize = 11;

/// Why a raw phone number was rejected. Display (English, for logs) never
/// includes the number itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number contains the non-digit character {ch:?}")]
    NonDigit { ch: char },
    #[error("phone number has a country code other than +86")]
    CountryCode,
    #[error("phone number has {found} digits, expected 11")]
    Length { found: usize },
    #[error("phone number does not start with a mainland mobile prefix (13-19)")]
    NotMobile,
}

impl PhoneError {
    /// Fluent message id for this error.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "err-phone-empty",
            Self::NonDigit { .. } => "err-phone-non-digit",
            Self::CountryCode => "err-phone-country-code",
            Self::Length { .. } => "err-phone-length",
            Self::NotMobile => "err-phone-not-mobile",
        }
    }

    /// Fluent variables for [`PhoneError::key`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::NonDigit { ch } => vec![("char", ch.to_string())],
            Self::Length { found } => vec![("found", found.to_string())],
            _ => Vec::new(),
        }
    }
}

/// A validated mainland mobile number, stored as its 11 national digits.
/// `Debug` shows only the masked form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses and validates `raw` (see the module docs for the rules).
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let cleaned: String = raw
            .chars()
            .map(to_halfwidth)
            .filter(|&c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')'))
            .collect();
        if cleaned.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, digits) = match cleaned.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        if let Some(ch) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(PhoneError::NonDigit { ch });
        }
        let national = if plus {
            digits.strip_prefix("86").ok_or(PhoneError::CountryCode)?
        } else if let Some(rest) = digits.strip_prefix("0086") {
            rest
        } else if digits.starts_with("00") {
            return Err(PhoneError::CountryCode);
        } else if digits.len() == NATIONAL_LEN + 2 && digits.starts_with("86") {
            &digits[2..]
        } else {
            digits
        };
        if national.len() != NATIONAL_LEN {
            return Err(PhoneError::Length {
                found: national.len(),
            });
        }
        if !national.starts_with('1') || !matches!(national.as_bytes()[1], b'3'..=b'9') {
            return Err(PhoneError::NotMobile);
        }
        Ok(Self(national.to_owned()))
    }

    /// `+8613812345678`.
    pub fn as_e164(&self) -> String {
        format!("+86{}", self.0)
    }

    /// The 11 national digits, `13812345678`.
    pub fn national(&self) -> &str {
        &self.0
    }

    /// `138****5678`.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 3, 4)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Phone").field(&self.masked()).finish()
    }
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
