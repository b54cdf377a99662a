use super::*;
use proptest::prelude::*;

/// Error value, its Fluent key, its Fluent variables.
type KeyCase = (
    PersonNameError,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

use PersonNameError as E;

#[test]
fn valid_chinese_names() {
    let cases = [
        ("张三", "张三"),
        ("  欧阳娜娜 ", "欧阳娜娜"),
        ("张 三", "张三"),
        ("张\u{3000}三", "张三"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提‧艾力", "买买提·艾力"),
        ("买买提･艾力", "买买提·艾力"),
        ("阿依古丽·买买提·吐尔逊", "阿依古丽·买买提·吐尔逊"),
        ("王㐀", "王㐀"),
        ("李𠀀", "李𠀀"),
        ("金\u{F900}", "金\u{F900}"),
        ("王〇", "王〇"),
    ];
    for (raw, want) in cases {
        let name = PersonName::parse(raw, false).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(name.as_str(), want);
        assert_eq!(name.chars().count(), want.chars().count());
        // Every Chinese name is also acceptable where Latin is allowed.
        assert!(PersonName::parse(want, true).is_ok(), "{want}");
    }
}

#[test]
fn valid_latin_names() {
    let cases = [
        ("John Smith", "John Smith"),
        ("  John    Smith  ", "John Smith"),
        ("José Álvarez-Núñez", "José Álvarez-Núñez"),
        ("Mary O'Neil", "Mary O'Neil"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("陈 Tai Man", "陈 Tai Man"),
        ("Mary•Jane", "Mary·Jane"),
        ("Li", "Li"),
    ];
    for (raw, want) in cases {
        let name = PersonName::parse(raw, true).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(name.as_str(), want);
    }
}

#[test]
fn invalid_names() {
    let thirty_one = "张".repeat(31);
    let long_latin = format!("{} {}", "A".repeat(20), "B".repeat(10));
    let cases: Vec<(&str, bool, PersonNameError)> = vec![
        ("", false, E::Empty),
        ("  \u{3000} ", true, E::Empty),
        ("张", false, E::TooShort { found: 1 }),
        ("A", true, E::TooShort { found: 1 }),
        (&thirty_one, false, E::TooLong { found: 31 }),
        (&long_latin, true, E::TooLong { found: 31 }),
        ("张三1", false, E::ContainsDigits),
        ("张三１", false, E::ContainsDigits),
        ("John 2", true, E::ContainsDigits),
        ("Zhang San", false, E::LatinNotAllowed),
        ("张San", false, E::LatinNotAllowed),
        ("Zhāng", false, E::LatinNotAllowed),
        ("张三!", false, E::InvalidChar { ch: '!' }),
        ("张-三", false, E::InvalidChar { ch: '-' }),
        ("张.三", false, E::InvalidChar { ch: '.' }),
        ("김철수", true, E::InvalidChar { ch: '김' }),
        ("さくら", false, E::InvalidChar { ch: 'さ' }),
        ("John_Smith", true, E::InvalidChar { ch: '_' }),
        ("John×Smith", true, E::InvalidChar { ch: '×' }),
        ("·买买提", false, E::DotMisplaced),
        ("买买提·", false, E::DotMisplaced),
        ("买买提··艾力", false, E::DotMisplaced),
        ("买买提•·艾力", false, E::DotMisplaced),
        ("-John", true, E::SymbolMisplaced { ch: '-' }),
        ("John'", true, E::SymbolMisplaced { ch: '\'' }),
        ("John--Smith", true, E::SymbolMisplaced { ch: '-' }),
        ("John-·Smith", true, E::SymbolMisplaced { ch: '-' }),
    ];
    for (raw, allow_latin, want) in cases {
        let err = PersonName::parse(raw, allow_latin).unwrap_err();
        assert_eq!(err, want, "{raw}");
        if raw.trim().chars().count() > 1 {
            assert!(
                !err.to_string().contains(raw.trim()),
                "Display leaks input: {err}"
            );
        }
    }
}

#[test]
fn error_keys_and_args() {
    #[rustfmt::skip]
    let cases: Vec<KeyCase> = vec![
        (E::Empty, "err-name-empty", vec![]),
        (E::TooShort { found: 1 }, "err-name-too-short", vec![("found", "1"), ("min", "2")]),
        (E::TooLong { found: 31 }, "err-name-too-long", vec![("found", "31"), ("max", "30")]),
        (E::ContainsDigits, "err-name-digits", vec![]),
        (E::LatinNotAllowed, "err-name-latin-not-allowed", vec![]),
        (E::InvalidChar { ch: '!' }, "err-name-invalid-char", vec![("char", "!")]),
        (E::DotMisplaced, "err-name-dot-misplaced", vec![]),
        (E::SymbolMisplaced { ch: '-' }, "err-name-symbol-misplaced", vec![("char", "-")]),
    ];
    for (err, key, args) in cases {
        assert_eq!(err.key(), key);
        let want: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
        assert_eq!(err.args(), want, "{key}");
    }
}

#[test]
fn debug_hides_name() {
    let name = PersonName::parse("欧阳娜娜", false).unwrap();
    assert_eq!(format!("{name:?}"), "PersonName(欧*)");
}

proptest! {
    #[test]
    fn prop_never_panics(raw in any::<String>(), allow_latin in any::<bool>()) {
        let _ = PersonName::parse(&raw, allow_latin);
    }

    #[test]
    fn prop_never_panics_on_near_misses(raw in "[张三李a-zé ·•・'1-]{0,35}", allow_latin in any::<bool>()) {
        match PersonName::parse(&raw, allow_latin) {
            Ok(name) => {
                let len = name.chars().count();
                prop_assert!((2..=30).contains(&len));
                prop_assert_eq!(PersonName::parse(name.as_str(), allow_latin), Ok(name.clone()));
            }
            Err(e) => {
                let _ = (e.key(), e.args(), e.to_string());
            }
        }
    }

    #[test]
    fn prop_chinese_names_parse(name in "[\u{4E00}-\u{9FA5}]{2,30}") {
        let parsed = PersonName::parse(&name, false).unwrap();
        prop_assert_eq!(parsed.as_str(), name.as_str());
    }
}
