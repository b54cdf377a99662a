//! A student's full name as on their ID document, parsed from raw input.
//!
//! Rules: trim; fold full-width characters; the middle-dot look-alikes `•`,
//! `・`, `‧`, `･` become `·` (U+00B7). Names for documents that do not allow
//! Latin letters (mainland ID) may only hold CJK ideographs and `·`;
//! whitespace in them is dropped (`张 三` → `张三`). Otherwise Latin letters
//! (incl. accented), single spaces (runs collapsed), `-`, `'`, `·` and CJK
//! ideographs are allowed. `·`, `-` and `'` may not start or end the name nor
//! stand next to each other. Length is 2–30 characters after normalisation.
//!
//! "CJK ideographs" here are the Unified Ideographs with all their extensions
//! (A–H), the compatibility ideographs (and supplement), and `〇`, since real
//! names use rare characters from the extensions.

use std::fmt;

use thiserror::Error;

use super::mask::to_halfwidth;

const MIN_LEN: usize = 2;
const MAX_LEN: usize = 30;
const DOT: char = '\u{B7}';

/// Why a raw name was rejected. Display (English, for logs) never includes
/// the name itself.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PersonNameError {
    #[error("name is empty")]
    Empty,
    #[error("name has {found} characters, at least 2 needed")]
    TooShort { found: usize },
    #[error("name has {found} characters, at most 30 allowed")]
    TooLong { found: usize },
    #[error("name contains digits")]
    ContainsDigits,
    #[error("name contains Latin letters but the ID type needs Chinese characters")]
    LatinNotAllowed,
    #[error("name contains the character {ch:?}, which is not allowed")]
    InvalidChar { ch: char },
    #[error("middle dot at the start or end of the name, or next to another dot")]
    DotMisplaced,
    #[error("{ch:?} at the start or end of the name, or next to another symbol")]
    SymbolMisplaced { ch: char },
}

impl PersonNameError {
    /// Fluent message id for this error.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "err-name-empty",
            Self::TooShort { .. } => "err-name-too-short",
            Self::TooLong { .. } => "err-name-too-long",
            Self::ContainsDigits => "err-name-digits",
            Self::LatinNotAllowed => "err-name-latin-not-allowed",
            Self::InvalidChar { .. } => "err-name-invalid-char",
            Self::DotMisplaced => "err-name-dot-misplaced",
            Self::SymbolMisplaced { .. } => "err-name-symbol-misplaced",
        }
    }

    /// Fluent variables for [`PersonNameError::key`].
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::TooShort { found } => {
                vec![("found", found.to_string()), ("min", MIN_LEN.to_string())]
            }
            Self::TooLong { found } => {
                vec![("found", found.to_string()), ("max", MAX_LEN.to_string())]
            }
            Self::InvalidChar { ch } | Self::SymbolMisplaced { ch } => {
                vec![("char", ch.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

/// A validated, normalised person name. `Debug` shows only the first
/// character.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Parses `raw`; `allow_latin` comes from
    /// [`IdType::allows_latin_name`](super::id_number::IdType::allows_latin_name).
    pub fn parse(raw: &str, allow_latin: bool) -> Result<Self, PersonNameError> {
        let mapped: String = raw
            .chars()
            .map(|c| match c {
                '•' | '・' | '‧' | '･' => DOT,
                _ => to_halfwidth(c),
            })
            .collect();
        let name = if allow_latin {
            mapped.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            mapped.chars().filter(|c| !c.is_whitespace()).collect()
        };
        if name.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if name.chars().any(|c| c.is_ascii_digit()) {
            return Err(PersonNameError::ContainsDigits);
        }
        if !allow_latin && name.chars().any(is_latin_letter) {
            return Err(PersonNameError::LatinNotAllowed);
        }
        let allowed = |c: char| {
            is_cjk(c)
                || c == DOT
                || (allow_latin && (is_latin_letter(c) || matches!(c, ' ' | '-' | '\'')))
        };
        if let Some(ch) = name.chars().find(|&c| !allowed(c)) {
            return Err(PersonNameError::InvalidChar { ch });
        }
        check_symbols(&name)?;
        let len = name.chars().count();
        if len < MIN_LEN {
            return Err(PersonNameError::TooShort { found: len });
        }
        if len > MAX_LEN {
            return Err(PersonNameError::TooLong { found: len });
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn chars(&self) -> std::str::Chars<'_> {
        self.0.chars()
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first: String = self.0.chars().take(1).collect();
        f.debug_tuple("PersonName")
            .field(&format_args!("{first}*"))
            .finish()
    }
}

/// `·`, `-` and `'` may not start or end the name nor touch one another.
fn check_symbols(name: &str) -> Result<(), PersonNameError> {
    let is_symbol = |c: char| matches!(c, DOT | '-' | '\'');
    let chars: Vec<char> = name.chars().collect();
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        if !is_symbol(c) {
            continue;
        }
        let at_edge = i == 0 || i == last;
        let touches =
            chars.get(i + 1).is_some_and(|&n| is_symbol(n)) || (i > 0 && is_symbol(chars[i - 1]));
        if at_edge || touches {
            return Err(if c == DOT {
                PersonNameError::DotMisplaced
            } else {
                PersonNameError::SymbolMisplaced { ch: c }
            });
        }
    }
    Ok(())
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
            && !matches!(c, '\u{D7}' | '\u{F7}'))
}

fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FA1F}'
            | '\u{30000}'..='\u{323AF}'
    )
}

#[cfg(test)]
#[path = "person_name_tests.rs"]
mod tests;
