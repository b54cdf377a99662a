use super::gb11643::{PROVINCES, check_char};
use super::*;
use chrono::{Datelike, Days};
use proptest::prelude::*;

/// ID type, raw input, normalised value, birth date, gender.
type ValidCase = (
    IdType,
    &'static str,
    &'static str,
    Option<(i32, u32, u32)>,
    Option<Gender>,
);
/// Error value, its Fluent key, its Fluent variables.
type KeyCase = (
    IdNumberError,
    &'static str,
    Vec<(&'static str, &'static str)>,
);
use serde::de::{IntoDeserializer, value::Error as DeError};

use IdNumberError as E;
use IdType::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn parse(t: IdType, raw: &str) -> Result<IdNumber, IdNumberError> {
    IdNumber::parse(t, raw, today())
}

/// Builds a valid 18-character GB 11643 number.
fn build(province: u8, area: u16, birth: NaiveDate, seq: u16) -> String {
    let body = format!(
        "{province:02}{area:04}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let check = check_char(&body);
    format!("{body}{check}")
}

#[test]
fn brief_example_is_valid() {
    let id = parse(MainlandResident, "11010519491231002X").unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(id.id_type(), MainlandResident);
    assert_eq!(id.birth_date(), Some(date(1949, 12, 31)));
    assert_eq!(id.gender(), Some(Gender::Female));
    assert_eq!(id.masked(), "110105********002X");
    assert_eq!(check_char("11010519491231002"), 'X');
}

#[test]
fn valid_numbers() {
    #[rustfmt::skip]
    let cases: &[ValidCase] = &[
        (MainlandResident, "11010519491231002X", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "11010519491231002x", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, " 110105 19491231 002ｘ\u{3000}", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "110105-19491231-002X", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "\u{200B}11010519491231002X\u{FEFF}", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "440306200506150018", "440306200506150018", Some((2005, 6, 15)), Some(Gender::Male)),
        (MainlandResident, "320102198808081245", "320102198808081245", Some((1988, 8, 8)), Some(Gender::Female)),
        (MainlandResident, "11010519000101001X", "11010519000101001X", Some((1900, 1, 1)), Some(Gender::Male)),
        (MainlandResident, "110105202506010010", "110105202506010010", Some((2025, 6, 1)), Some(Gender::Male)),
        (MainlandResident, "110105491231002", "11010519491231002X", Some((1949, 12, 31)), Some(Gender::Female)),
        (MainlandResident, "110105 491231 001", "110105194912310011", Some((1949, 12, 31)), Some(Gender::Male)),
        (ResidencePermit, "810000199001011230", "810000199001011230", Some((1990, 1, 1)), Some(Gender::Male)),
        (ResidencePermit, "820000200002294567", "820000200002294567", Some((2000, 2, 29)), Some(Gender::Female)),
        (ResidencePermit, "830000198510157894", "830000198510157894", Some((1985, 10, 15)), Some(Gender::Male)),
        (HkMacauPermit, "H12345678", "H12345678", None, None),
        (HkMacauPermit, "m1234567801", "M1234567801", None, None),
        (HkMacauPermit, "Ｈ 1234 5678", "H12345678", None, None),
        (TaiwanPermit, "12345678", "12345678", None, None),
        (TaiwanPermit, "1234567890", "1234567890", None, None),
        (TaiwanPermit, "12345678b1", "12345678B1", None, None),
        (ForeignPermanent, "usa110080010101", "USA110080010101", None, None),
        (ForeignPermanent, "91103219800101001x", "91103219800101001X", None, None),
        (ForeignPermanent, "911032198001010028", "911032198001010028", None, None),
        (Passport, "e12345678", "E12345678", None, None),
        (Passport, "G1234", "G1234", None, None),
        (Passport, "AB1234567890CDEFG", "AB1234567890CDEFG", None, None),
        (Passport, "P 1234-5678", "P12345678", None, None),
    ];
    for &(t, raw, want, birth, gender) in cases {
        let id = parse(t, raw).unwrap_or_else(|e| panic!("{t:?} {raw}: {e}"));
        assert_eq!(id.as_str(), want, "{raw}");
        assert_eq!(id.id_type(), t);
        assert_eq!(
            id.birth_date(),
            birth.map(|(y, m, d)| date(y, m, d)),
            "{raw}"
        );
        assert_eq!(id.gender(), gender, "{raw}");
    }
}

#[test]
fn invalid_numbers() {
    #[rustfmt::skip]
    let cases: &[(IdType, &str, IdNumberError)] = &[
        (MainlandResident, "", E::Empty),
        (MainlandResident, " \u{3000}- ", E::Empty),
        (MainlandResident, "1101051949123100", E::Length { found: 16 }),
        (MainlandResident, "11010519491231002X1", E::Length { found: 19 }),
        (MainlandResident, "11010519491231002", E::Length { found: 17 }),
        (MainlandResident, "11010519491231O02X", E::NonDigit { position: 15 }),
        (MainlandResident, "X10105194912310021", E::NonDigit { position: 1 }),
        (MainlandResident, "1101051949123100X1", E::NonDigit { position: 17 }),
        (MainlandResident, "11010519491231002Y", E::NonDigit { position: 18 }),
        (MainlandResident, "11010519491231002张", E::NonDigit { position: 18 }),
        (MainlandResident, "11010549123100X", E::NonDigit { position: 15 }),
        (MainlandResident, "990105194912310023", E::Province { code: "99".into() }),
        (MainlandResident, "910105194912310025", E::Province { code: "91".into() }),
        (MainlandResident, "830000198510157894", E::IsResidencePermit),
        (MainlandResident, "810000199001011230", E::IsResidencePermit),
        (MainlandResident, "440306199002290011", E::BirthDateInvalid),
        (MainlandResident, "440306199013010011", E::BirthDateInvalid),
        (MainlandResident, "440306199004310011", E::BirthDateInvalid),
        (MainlandResident, "440306199000100011", E::BirthDateInvalid),
        (MainlandResident, "440306900229001", E::BirthDateInvalid),
        (MainlandResident, "110105202506020016", E::BirthDateFuture),
        (MainlandResident, "110105189912310015", E::BirthDateTooEarly),
        (MainlandResident, "110105194912310021", E::CheckDigit { expected: 'X' }),
        (MainlandResident, "440306200506150017", E::CheckDigit { expected: '8' }),
        (MainlandResident, "440306200506150X18", E::NonDigit { position: 16 }),
        (ResidencePermit, "81000019900101123", E::Length { found: 17 }),
        (ResidencePermit, "810000900101123", E::Length { found: 15 }),
        (ResidencePermit, "11010519491231002X", E::ResidencePrefix),
        (ResidencePermit, "810000199001011231", E::CheckDigit { expected: '0' }),
        (ResidencePermit, "810000209001011230", E::BirthDateFuture),
        (ResidencePermit, "8100001990010112A0", E::NonDigit { position: 17 }),
        (HkMacauPermit, "", E::Empty),
        (HkMacauPermit, "H1234567", E::HkMacauFormat),
        (HkMacauPermit, "H123456789", E::HkMacauFormat),
        (HkMacauPermit, "K12345678", E::HkMacauFormat),
        (HkMacauPermit, "12345678", E::HkMacauFormat),
        (HkMacauPermit, "H1234567A", E::HkMacauFormat),
        (TaiwanPermit, "1234567", E::TaiwanFormat),
        (TaiwanPermit, "1234567A", E::TaiwanFormat),
        (TaiwanPermit, "123456789", E::TaiwanFormat),
        (TaiwanPermit, "12345678(B)", E::TaiwanFormat),
        (ForeignPermanent, "US1100800101010", E::ForeignFormat),
        (ForeignPermanent, "USA11008001010", E::ForeignFormat),
        (ForeignPermanent, "811032198001010028", E::ForeignFormat),
        (ForeignPermanent, "9110321980010100A8", E::ForeignFormat),
        (ForeignPermanent, "911032198001010027", E::CheckDigit { expected: '8' }),
        (ForeignPermanent, "9123456789012345é", E::ForeignFormat),
        (ForeignPermanent, "USé456789012345", E::ForeignFormat),
        (HkMacauPermit, "H1234567é", E::HkMacauFormat),
        (TaiwanPermit, "123456é", E::TaiwanFormat),
        (Passport, "E123é", E::PassportFormat),
        (Passport, "E123", E::PassportFormat),
        (Passport, "E12345678901234567", E::PassportFormat),
        (Passport, "E1234#567", E::PassportFormat),
        (Passport, "护照12345", E::PassportFormat),
    ];
    for (t, raw, want) in cases {
        let err = parse(*t, raw).unwrap_err();
        assert_eq!(&err, want, "{t:?} {raw}");
        let shown = err.to_string();
        if raw.len() >= 5 {
            assert!(!shown.contains(raw), "Display leaks input: {shown}");
        }
    }
}

#[test]
fn error_keys_and_args() {
    #[rustfmt::skip]
    let cases: Vec<KeyCase> = vec![
        (E::Empty, "err-id-empty", vec![]),
        (E::Length { found: 16 }, "err-id-length", vec![("found", "16")]),
        (E::NonDigit { position: 5 }, "err-id-non-digit", vec![("position", "5")]),
        (E::Province { code: "99".into() }, "err-id-province", vec![("code", "99")]),
        (E::IsResidencePermit, "err-id-is-residence-permit", vec![]),
        (E::BirthDateInvalid, "err-id-birth-date-invalid", vec![]),
        (E::BirthDateFuture, "err-id-birth-date-future", vec![]),
        (E::BirthDateTooEarly, "err-id-birth-date-too-early", vec![]),
        (E::CheckDigit { expected: '7' }, "err-id-check-digit", vec![("expected", "7")]),
        (E::ResidencePrefix, "err-id-residence-prefix", vec![]),
        (E::HkMacauFormat, "err-id-hk-macau-format", vec![]),
        (E::TaiwanFormat, "err-id-taiwan-format", vec![]),
        (E::ForeignFormat, "err-id-foreign-format", vec![]),
        (E::PassportFormat, "err-id-passport-format", vec![]),
    ];
    for (err, key, args) in cases {
        assert_eq!(err.key(), key);
        let got: Vec<(&str, String)> = err.args();
        let want: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
        assert_eq!(got, want, "{key}");
    }
    assert_eq!(
        E::CheckDigit { expected: 'X' }.to_string(),
        "check character is wrong, expected X"
    );
}

#[test]
fn masking() {
    let cases = [
        (MainlandResident, "11010519491231002X", "110105********002X"),
        (MainlandResident, "110105491231002", "110105********002X"),
        (ResidencePermit, "810000199001011230", "810000********1230"),
        (HkMacauPermit, "H12345678", "H1*****78"),
        (TaiwanPermit, "12345678", "12****78"),
        (ForeignPermanent, "911032198001010028", "91**************28"),
        (Passport, "E1234", "E1*34"),
    ];
    for (t, raw, want) in cases {
        let id = parse(t, raw).unwrap();
        assert_eq!(id.masked(), want);
        assert_eq!(
            format!("{id:?}"),
            format!("IdNumber {{ id_type: {t:?}, value: {want:?} }}")
        );
    }
}

#[test]
fn id_type_codes() {
    let codes = [
        "mainland",
        "hk_macau",
        "taiwan",
        "residence",
        "foreign_permanent",
        "passport",
    ];
    for (t, code) in IdType::ALL.into_iter().zip(codes) {
        assert_eq!(t.code(), code);
        assert_eq!(IdType::from_code(code), Some(t));
        assert_eq!(t.allows_latin_name(), t != MainlandResident);
        let de: IdType = IdType::deserialize(code.into_deserializer())
            .map_err(|e: DeError| e)
            .unwrap();
        assert_eq!(de, t);
    }
    assert_eq!(IdType::from_code("Mainland"), None);
    assert_eq!(IdType::from_code(""), None);
    assert!(
        IdType::deserialize("MainlandResident".into_deserializer())
            .map_err(|e: DeError| e)
            .is_err()
    );
}

#[test]
fn gender_codes() {
    for (g, code) in [(Gender::Male, "male"), (Gender::Female, "female")] {
        assert_eq!(g.code(), code);
        assert_eq!(Gender::from_code(code), Some(g));
        let de: Gender = Gender::deserialize(code.into_deserializer())
            .map_err(|e: DeError| e)
            .unwrap();
        assert_eq!(de, g);
    }
    assert_eq!(Gender::from_code("m"), None);
}

fn valid_parts() -> impl Strategy<Value = (u8, u16, NaiveDate, u16)> {
    let days = (date(2010, 12, 31) - date(1950, 1, 1)).num_days() as u64;
    (
        prop::sample::select(PROVINCES.to_vec()),
        1u16..10000,
        0..=days,
        0u16..1000,
    )
        .prop_map(|(p, a, d, s)| {
            (
                p,
                a,
                date(1950, 1, 1).checked_add_days(Days::new(d)).unwrap(),
                s,
            )
        })
}

fn legacy_parts() -> impl Strategy<Value = (u8, u16, NaiveDate, u16)> {
    let days = (date(1999, 12, 31) - date(1900, 1, 1)).num_days() as u64;
    (
        prop::sample::select(PROVINCES.to_vec()),
        1u16..10000,
        0..=days,
        0u16..1000,
    )
        .prop_map(|(p, a, d, s)| {
            (
                p,
                a,
                date(1900, 1, 1).checked_add_days(Days::new(d)).unwrap(),
                s,
            )
        })
}

fn fullwidth(c: char) -> char {
    char::from_u32(u32::from(c) + 0xFEE0).unwrap()
}

proptest! {
    #[test]
    fn prop_generated_valid_numbers_parse((p, a, birth, seq) in valid_parts()) {
        let raw = build(p, a, birth, seq);
        let id = parse(MainlandResident, &raw).unwrap();
        prop_assert_eq!(id.as_str(), raw.as_str());
        prop_assert_eq!(id.birth_date(), Some(birth));
        let gender = if seq % 2 == 1 { Gender::Male } else { Gender::Female };
        prop_assert_eq!(id.gender(), Some(gender));
    }

    #[test]
    fn prop_single_char_change_is_rejected((p, a, birth, seq) in valid_parts()) {
        let raw = build(p, a, birth, seq);
        for pos in 0..18 {
            for c in "0123456789X".chars() {
                let mut chars: Vec<char> = raw.chars().collect();
                if chars[pos] == c {
                    continue;
                }
                chars[pos] = c;
                let changed: String = chars.into_iter().collect();
                prop_assert!(parse(MainlandResident, &changed).is_err(), "{} accepted", changed);
            }
        }
    }

    #[test]
    fn prop_legacy_converts((p, a, birth, seq) in legacy_parts()) {
        let legacy = format!("{p:02}{a:04}{:02}{:02}{:02}{seq:03}", birth.year() % 100, birth.month(), birth.day());
        let id = parse(MainlandResident, &legacy).unwrap();
        prop_assert_eq!(id.as_str().len(), 18);
        prop_assert_eq!(id.as_str(), build(p, a, birth, seq));
        prop_assert_eq!(id.birth_date(), Some(birth));
        let gender = if seq % 2 == 1 { Gender::Male } else { Gender::Female };
        prop_assert_eq!(id.gender(), Some(gender));
        let again = parse(MainlandResident, id.as_str()).unwrap();
        prop_assert_eq!(again, id);
    }

    #[test]
    fn prop_variants_parse_to_same_value(
        (p, a, birth, seq) in valid_parts(),
        styles in prop::collection::vec((any::<bool>(), 0u8..6), 18),
    ) {
        let raw = build(p, a, birth, seq);
        let mut variant = String::new();
        for (c, (wide, sep)) in raw.chars().zip(styles) {
            let c = if c == 'X' && sep % 2 == 0 { 'x' } else { c };
            variant.push(if wide { fullwidth(c) } else { c });
            variant.push_str(["", " ", "\u{3000}", "-", "\t", ""][usize::from(sep)]);
        }
        let id = parse(MainlandResident, &variant).unwrap();
        prop_assert_eq!(id.as_str(), raw.as_str());
    }

    #[test]
    fn prop_masked_hides_middle((p, a, birth, seq) in valid_parts()) {
        let raw = build(p, a, birth, seq);
        let masked = parse(MainlandResident, &raw).unwrap().masked();
        prop_assert_eq!(&masked[6..14], "********");
        prop_assert_eq!(&masked[..6], &raw[..6]);
        prop_assert_eq!(&masked[14..], &raw[14..]);
    }

    #[test]
    fn prop_masked_other_types_hides_middle(t in prop::sample::select(vec![HkMacauPermit, TaiwanPermit, Passport]), raw in "[0-9]{8}|[HM][0-9]{8}|[A-Z0-9]{5,17}") {
        if let Ok(id) = parse(t, &raw) {
            let masked: Vec<char> = id.masked().chars().collect();
            prop_assert!(masked[2..masked.len() - 2].iter().all(|&c| c == '*'));
            prop_assert_eq!(masked.len(), raw.len());
        }
    }

    #[test]
    fn prop_parse_never_panics(t in prop::sample::select(IdType::ALL.to_vec()), raw in any::<String>()) {
        let _ = parse(t, &raw);
    }

    #[test]
    fn prop_parse_never_panics_on_near_misses(
        t in prop::sample::select(IdType::ALL.to_vec()),
        raw in "[0-9０-９XxＸHMUSé张 \u{3000}\u{200B}-]{0,25}",
    ) {
        if let Err(e) = parse(t, &raw) {
            let _ = (e.key(), e.args(), e.to_string());
        }
    }
}
