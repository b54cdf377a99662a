//! Format rules for the ID types that do not follow GB 11643 (permits, foreign permanent residence IDs, passports).

use super::IdNumberError;
use super::gb11643::check_char;

fn all_digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

pub(super) fn is_hk_macau(v: &str) -> bool {
    matches!(v.len(), 9 | 11)
        && v.strip_prefix(['H', 'M'])
            .is_some_and(|rest| all_digits(rest.as_bytes()))
}

pub(super) fn is_taiwan(v: &str) -> bool {
    (v.len() == 8 && all_digits(v.as_bytes()))
        || (v.len() == 10
            && v.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()))
}

pub(super) fn parse_foreign(v: String) -> Result<String, IdNumberError> {
    let b = v.as_bytes();
    if b.len() == 15 && b[..3].iter().all(u8::is_ascii_uppercase) && all_digits(&b[3..]) {
        return Ok(v);
    }
    // Work on bytes: `v` may hold multi-byte characters.
    let shape_ok = b.len() == 18 && b[0] == b'9' && all_digits(&b[..17]);
    if shape_ok && (b[17].is_ascii_digit() || b[17] == b'X') {
        let expected = check_char(&v);
        return if char::from(b[17]) == expected {
            Ok(v)
        } else {
            Err(IdNumberError::CheckDigit { expected })
        };
    }
    Err(IdNumberError::ForeignFormat)
}

pub(super) fn is_passport(v: &str) -> bool {
    (5..=17).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}
