//! Every domain error has a message in every locale of the shipped dialogues, and every
//! message renders with the arguments the error supplies.

use crate::domain::email::EmailError;
use crate::domain::id_number::IdNumberError;
use crate::domain::person_name::PersonNameError;
use crate::domain::phone::PhoneError;
use std::collections::BTreeSet;

/// One value of every error variant, as (key, argument names).
pub(crate) fn all_errors() -> Vec<(&'static str, BTreeSet<&'static str>)> {
    let names = |args: Vec<(&'static str, String)>| args.into_iter().map(|(k, _)| k).collect();
    let mut out = Vec::new();
    use IdNumberError as I;
    for e in [
        I::Empty,
        I::Length { found: 1 },
        I::NonDigit { position: 1 },
        I::Province { code: "99".into() },
        I::IsResidencePermit,
        I::BirthDateInvalid,
        I::BirthDateFuture,
        I::BirthDateTooEarly,
        I::CheckDigit { expected: 'X' },
        I::ResidencePrefix,
        I::HkMacauFormat,
        I::TaiwanFormat,
        I::ForeignFormat,
        I::PassportFormat,
    ] {
        out.push((e.key(), names(e.args())));
    }
    use EmailError as M;
    for e in [
        M::Empty,
        M::HasSpaces,
        M::TooLong { found: 300 },
        M::MissingAt,
        M::MultipleAt,
        M::EmptyLocal,
        M::LocalTooLong { found: 65 },
        M::LocalInvalidChar { ch: ',' },
        M::LocalDots,
        M::EmptyDomain,
        M::DomainNoDot,
        M::BadDomain,
        M::BadTld,
    ] {
        out.push((e.key(), names(e.args())));
    }
    use PhoneError as P;
    for e in [
        P::Empty,
        P::NonDigit { ch: 'a' },
        P::CountryCode,
        P::Length { found: 3 },
        P::NotMobile,
    ] {
        out.push((e.key(), names(e.args())));
    }
    use PersonNameError as N;
    for e in [
        N::Empty,
        N::TooShort { found: 1 },
        N::TooLong { found: 31 },
        N::ContainsDigits,
        N::LatinNotAllowed,
        N::InvalidChar { ch: '!' },
        N::DotMisplaced,
        N::SymbolMisplaced { ch: '-' },
    ] {
        out.push((e.key(), names(e.args())));
    }
    out
}

#[test]
fn every_domain_error_has_a_message_in_every_locale() {
    use crate::dialogue::{Locale, Tree};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    let tree = Tree::load(&dir).expect("dialogues load");
    for (key, _) in all_errors() {
        for locale in Locale::ALL {
            assert!(
                tree.texts.has(locale, key),
                "{key} missing in {}",
                locale.code()
            );
        }
    }
}
