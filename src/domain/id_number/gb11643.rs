//! GB 11643-1999 number rules shared by mainland resident IDs and HK/Macau/Taiwan residence permits.
//!
//! Structure: 6-digit region code, 8-digit birth date `YYYYMMDD`, 3-digit
//! sequence (odd last digit = male) and an ISO 7064 MOD 11-2 check character
//! (`0`–`9` or `X`). The birth date must exist, not lie after `today` and not
//! before 1900-01-01.
//!
//! * `MainlandResident` (居民身份证): the first two digits must be a
//!   province-level code of GB/T 2260: 11–15, 21–23, 31–37, 41–46, 50–54,
//!   61–65, 71, 81, 82. (83 and 91 are not GB/T 2260 province codes.) A
//!   number starting 810000/820000/830000 is a residence permit and is
//!   rejected with a hint to choose that type. A legacy 15-digit number
//!   (region + `YYMMDD` in the 1900s + sequence) is upgraded to 18 characters
//!   by inserting `19` and appending the computed check character.
//! * `ResidencePermit` (港澳台居民居住证): 18 characters only; the first six
//!   digits must be 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan).

use chrono::{Datelike, NaiveDate};

use super::{IdNumberError, IdType};

/// GB/T 2260 province-level codes (first two digits of a mainland ID).
pub(super) const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];
/// First six digits of 港澳台居民居住证 numbers.
const RESIDENCE_PREFIXES: [&str; 3] = ["810000", "820000", "830000"];
/// ISO 7064 MOD 11-2 weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Validates a mainland ID (18 or legacy 15) or residence permit number whose
/// normalised form is `v`, returning the 18-character value.
pub(super) fn parse_gb11643(
    id_type: IdType,
    v: &str,
    today: NaiveDate,
) -> Result<String, IdNumberError> {
    let chars: Vec<char> = v.chars().collect();
    let legacy = id_type == IdType::MainlandResident && chars.len() == 15;
    if chars.len() != 18 && !legacy {
        return Err(IdNumberError::Length { found: chars.len() });
    }
    let digit_count = if legacy { 15 } else { 17 };
    if let Some(i) = chars[..digit_count]
        .iter()
        .position(|c| !c.is_ascii_digit())
    {
        return Err(IdNumberError::NonDigit { position: i + 1 });
    }
    let given_check = chars.get(17).copied();
    if given_check.is_some_and(|c| !c.is_ascii_digit() && c != 'X') {
        return Err(IdNumberError::NonDigit { position: 18 });
    }
    // Every character is ASCII from here on, so byte slicing is safe.
    let mut body = if legacy {
        format!("{}19{}", &v[..6], &v[6..])
    } else {
        v[..17].to_owned()
    };
    let prefix = &body[..6];
    if id_type == IdType::ResidencePermit {
        if !RESIDENCE_PREFIXES.contains(&prefix) {
            return Err(IdNumberError::ResidencePrefix);
        }
    } else if RESIDENCE_PREFIXES.contains(&prefix) {
        return Err(IdNumberError::IsResidencePermit);
    } else if !body[..2].parse().is_ok_and(|p: u8| PROVINCES.contains(&p)) {
        let code = body[..2].to_owned();
        return Err(IdNumberError::Province { code });
    }
    let birth = parse_yyyymmdd(&body[6..14]).ok_or(IdNumberError::BirthDateInvalid)?;
    if birth.year() < 1900 {
        return Err(IdNumberError::BirthDateTooEarly);
    }
    if birth > today {
        return Err(IdNumberError::BirthDateFuture);
    }
    let expected = check_char(&body);
    if given_check.is_some_and(|c| c != expected) {
        return Err(IdNumberError::CheckDigit { expected });
    }
    body.push(expected);
    Ok(body)
}

/// ISO 7064 MOD 11-2 check character over the first 17 digits of `body`.
pub(super) fn check_char(body: &str) -> char {
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(WEIGHTS)
        .map(|(d, w)| d * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

pub(super) fn parse_yyyymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = s.get(..4)?.parse().ok()?;
    let month = s.get(4..6)?.parse().ok()?;
    let day = s.get(6..)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}
