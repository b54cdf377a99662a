//! Identity document numbers (居民身份证 and the other ID types a student can register with), parsed from raw input.
//!
//! Every raw number is first normalised: full-width characters become ASCII,
//! whitespace (incl. U+3000), zero-width characters and hyphens are removed,
//! and letters are uppercased. Then the rules of its [`IdType`] apply:
//!
//! * `MainlandResident` (居民身份证) and `ResidencePermit` (港澳台居民居住证):
//!   GB 11643-1999, rules in `id_number/gb11643.rs`; legacy 15-digit mainland
//!   numbers are upgraded to 18 characters.
//! * `HkMacauPermit` (港澳居民来往内地通行证, 回乡证): `H` or `M` then 8 or 10 digits.
//! * `TaiwanPermit` (台湾居民来往大陆通行证, 台胞证): 8 digits (card since 2015)
//!   or 10 letters/digits (older booklet numbers).
//! * `ForeignPermanent` (外国人永久居留身份证): the 2017 format, 3 letters
//!   (nationality) + 12 digits, or the 2023 format, 18 characters starting
//!   with `9` whose last character passes the MOD 11-2 check.
//! * `Passport` (护照): 5–17 letters/digits.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::mask::{mask_middle, to_halfwidth};

mod formats;
mod gb11643;

use formats::{is_hk_macau, is_passport, is_taiwan, parse_foreign};
use gb11643::{parse_gb11643, parse_yyyymmdd};

/// The kind of identity document a student registered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdType {
    /// 居民身份证.
    #[serde(rename = "mainland")]
    MainlandResident,
    /// 港澳居民来往内地通行证 (回乡证).
    #[serde(rename = "hk_macau")]
    HkMacauPermit,
    /// 台湾居民来往大陆通行证 (台胞证).
    #[serde(rename = "taiwan")]
    TaiwanPermit,
    /// 港澳台居民居住证.
    #[serde(rename = "residence")]
    ResidencePermit,
    /// 外国人永久居留身份证.
    #[serde(rename = "foreign_permanent")]
    ForeignPermanent,
    /// 护照.
    #[serde(rename = "passport")]
    Passport,
}

impl IdType {
    /// Every ID type, in the order a menu should offer them.
    pub const ALL: [Self; 6] = [
        Self::MainlandResident,
        Self::HkMacauPermit,
        Self::TaiwanPermit,
        Self::ResidencePermit,
        Self::ForeignPermanent,
        Self::Passport,
    ];

    /// Stable code for storage and callback data; also the serde form.
    pub fn code(self) -> &'static str {
        match self {
            Self::MainlandResident => "mainland",
            Self::HkMacauPermit => "hk_macau",
            Self::TaiwanPermit => "taiwan",
            Self::ResidencePermit => "residence",
            Self::ForeignPermanent => "foreign_permanent",
            Self::Passport => "passport",
        }
    }

    /// The inverse of [`IdType::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether the holder's name may be written in Latin letters.
    pub fn allows_latin_name(self) -> bool {
        self != Self::MainlandResident
    }

    /// Types whose numbers follow GB 11643 (and so carry birth date and gender).
    fn is_gb11643(self) -> bool {
        matches!(self, Self::MainlandResident | Self::ResidencePermit)
    }
}

/// Gender as encoded in a GB 11643 number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// `"male"` or `"female"`; also the serde form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    /// The inverse of [`Gender::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            _ => None,
        }
    }
}

/// Why a raw ID number was rejected. Display (English, for logs) never
/// includes the number itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("ID number is empty")]
    Empty,
    #[error("ID number has {found} characters, expected 18 (or 15 for a legacy mainland card)")]
    Length { found: usize },
    /// `position` is 1-based, counted after normalisation.
    #[error("character {position} of the ID number is not a digit")]
    NonDigit { position: usize },
    #[error("unknown province code {code}")]
    Province { code: String },
    #[error("number has a HK/Macau/Taiwan residence permit prefix, not a mainland ID prefix")]
    IsResidencePermit,
    #[error("birth date in the ID number is not a real date")]
    BirthDateInvalid,
    #[error("birth date in the ID number is in the future")]
    BirthDateFuture,
    #[error("birth date in the ID number is before 1900")]
    BirthDateTooEarly,
    #[error("check character is wrong, expected {expected}")]
    CheckDigit { expected: char },
    #[error("residence permit number must start with 810000, 820000 or 830000")]
    ResidencePrefix,
    #[error("HK/Macau permit number must be H or M followed by 8 or 10 digits")]
    HkMacauFormat,
    #[error("Taiwan permit number must be 8 digits or 10 letters/digits")]
    TaiwanFormat,
    #[error(
        "foreign permanent residence ID must be 3 letters + 12 digits or 18 characters starting with 9"
    )]
    ForeignFormat,
    #[error("passport number must be 5 to 17 letters or digits")]
    PassportFormat,
}

impl IdNumberError {
    /// Fluent message id for this error.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "err-id-empty",
            Self::Length { .. } => "err-id-length",
            Self::NonDigit { .. } => "err-id-non-digit",
            Self::Province { .. } => "err-id-province",
            Self::IsResidencePermit => "err-id-is-residence-permit",
            Self::BirthDateInvalid => "err-id-birth-date-invalid",
            Self::BirthDateFuture => "err-id-birth-date-future",
            Self::BirthDateTooEarly => "err-id-birth-date-too-early",
            Self::CheckDigit { .. } => "err-id-check-digit",
            Self::ResidencePrefix => "err-id-residence-prefix",
            Self::HkMacauFormat => "err-id-hk-macau-format",
            Self::TaiwanFormat => "err-id-taiwan-format",
            Self::ForeignFormat => "err-id-foreign-format",
            Self::PassportFormat => "err-id-passport-format",
        }
    }

    /// Fluent variables for [`IdNumberError::key`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Length { found } => vec![("found", found.to_string())],
            Self::NonDigit { position } => vec![("position", position.to_string())],
            Self::Province { code } => vec![("code", code.clone())],
            Self::CheckDigit { expected } => vec![("expected", expected.to_string())],
            _ => Vec::new(),
        }
    }
}

/// A validated, normalised identity document number.
///
/// `Debug` shows only the masked form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    id_type: IdType,
    value: String,
}

impl IdNumber {
    /// Normalises and validates `raw` as a number of `id_type` (see the module
    /// docs for the rules). `today` bounds the birth date of GB 11643 numbers.
    pub fn parse(id_type: IdType, raw: &str, today: NaiveDate) -> Result<Self, IdNumberError> {
        let v = normalize(raw);
        if v.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let value = match id_type {
            IdType::MainlandResident | IdType::ResidencePermit => {
                parse_gb11643(id_type, &v, today)?
            }
            IdType::HkMacauPermit => is_hk_macau(&v)
                .then_some(v)
                .ok_or(IdNumberError::HkMacauFormat)?,
            IdType::TaiwanPermit => is_taiwan(&v)
                .then_some(v)
                .ok_or(IdNumberError::TaiwanFormat)?,
            IdType::ForeignPermanent => parse_foreign(v)?,
            IdType::Passport => is_passport(&v)
                .then_some(v)
                .ok_or(IdNumberError::PassportFormat)?,
        };
        Ok(Self { id_type, value })
    }

    /// The normalised number (legacy 15-digit numbers already upgraded to 18).
    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn id_type(&self) -> IdType {
        self.id_type
    }

    /// GB 11643 numbers keep the first 6 and last 4 characters
    /// (`110105********002X`), other types the first 2 and last 2.
    pub fn masked(&self) -> String {
        if self.id_type.is_gb11643() {
            mask_middle(&self.value, 6, 4)
        } else {
            mask_middle(&self.value, 2, 2)
        }
    }

    /// Birth date encoded in a mainland ID or residence permit number.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        if !self.id_type.is_gb11643() {
            return None;
        }
        self.value.get(6..14).and_then(parse_yyyymmdd)
    }

    /// Gender encoded in a mainland ID or residence permit number
    /// (17th character: odd = male, even = female).
    pub fn gender(&self) -> Option<Gender> {
        if !self.id_type.is_gb11643() {
            return None;
        }
        let digit = char::from(*self.value.as_bytes().get(16)?).to_digit(10)?;
        Some(if digit % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        })
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdNumber")
            .field("id_type", &self.id_type)
            .field("value", &self.masked())
            .finish()
    }
}

fn normalize(raw: &str) -> String {
    raw.chars()
        .map(to_halfwidth)
        .filter(|&c| {
            !c.is_whitespace()
                && !matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}')
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
#[path = "id_number_tests.rs"]
mod tests;

/// The GB 11643 check character for the first 17 digits (for generating test and demo IDs).
pub fn check_char_for(first_17: &str) -> char {
    gb11643::check_char(first_17)
}
