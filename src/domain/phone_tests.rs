use super::*;
use proptest::prelude::*;

/// Error value, its Fluent key, its Fluent variables.
type KeyCase = (PhoneError, &'static str, Vec<(&'static str, &'static str)>);

use PhoneError as E;

#[test]
fn valid_numbers() {
    let cases = [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "(138) 1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "(+86)13812345678",
        "8613812345678",
        "008613812345678",
        "0086 138 1234 5678",
        "１３８１２３４５６７８",
        "＋８６　１３８１２３４５６７８",
        "\t13812345678\n",
    ];
    for raw in cases {
        let phone = Phone::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(phone.national(), "13812345678", "{raw}");
        assert_eq!(phone.as_e164(), "+8613812345678");
        assert_eq!(phone.masked(), "138****5678");
        assert_eq!(format!("{phone:?}"), "Phone(\"138****5678\")");
    }
    for prefix in 3..=9 {
        assert!(Phone::parse(&format!("1{prefix}012345678")).is_ok());
    }
}

#[test]
fn invalid_numbers() {
    let cases = [
        ("", E::Empty),
        (" - () ", E::Empty),
        ("1381234567", E::Length { found: 10 }),
        ("138123456789", E::Length { found: 12 }),
        ("+86 138 1234 567", E::Length { found: 10 }),
        ("861381234567", E::Length { found: 12 }),
        ("1", E::Length { found: 1 }),
        ("12812345678", E::NotMobile),
        ("10012345678", E::NotMobile),
        ("01012345678", E::NotMobile),
        ("23812345678", E::NotMobile),
        ("+8612812345678", E::NotMobile),
        ("138.1234.5678", E::NonDigit { ch: '.' }),
        ("138l2345678", E::NonDigit { ch: 'l' }),
        ("138一二三四五六七八", E::NonDigit { ch: '一' }),
        ("++8613812345678", E::NonDigit { ch: '+' }),
        ("138+12345678", E::NonDigit { ch: '+' }),
        ("+85261234567", E::CountryCode),
        ("+1 415 555 0100", E::CountryCode),
        ("0085261234567", E::CountryCode),
        ("+", E::CountryCode),
    ];
    for (raw, want) in cases {
        let err = Phone::parse(raw).unwrap_err();
        assert_eq!(err, want, "{raw}");
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if digits.len() > 4 {
            assert!(
                !err.to_string().contains(&digits),
                "Display leaks input: {err}"
            );
        }
    }
}

#[test]
fn error_keys_and_args() {
    #[rustfmt::skip]
    let cases: Vec<KeyCase> = vec![
        (E::Empty, "err-phone-empty", vec![]),
        (E::NonDigit { ch: 'a' }, "err-phone-non-digit", vec![("char", "a")]),
        (E::CountryCode, "err-phone-country-code", vec![]),
        (E::Length { found: 10 }, "err-phone-length", vec![("found", "10")]),
        (E::NotMobile, "err-phone-not-mobile", vec![]),
    ];
    for (err, key, args) in cases {
        assert_eq!(err.key(), key);
        let want: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
        assert_eq!(err.args(), want, "{key}");
    }
}

proptest! {
    #[test]
    fn prop_never_panics(raw in any::<String>()) {
        let _ = Phone::parse(&raw);
    }

    #[test]
    fn prop_never_panics_on_near_misses(raw in "[+0-9０-９ ()（）－-]{0,20}") {
        match Phone::parse(&raw) {
            Ok(phone) => prop_assert_eq!(phone.national().len(), 11),
            Err(e) => {
                let _ = (e.key(), e.args(), e.to_string());
            }
        }
    }

    #[test]
    fn prop_valid_mobiles_roundtrip(national in "1[3-9][0-9]{9}", prefix in prop::sample::select(vec!["", "+86", "86", "0086", "+86 "])) {
        let phone = Phone::parse(&format!("{prefix}{national}")).unwrap();
        prop_assert_eq!(phone.national(), national.as_str());
        prop_assert_eq!(phone.as_e164(), format!("+86{national}"));
        let masked = phone.masked();
        prop_assert_eq!(&masked[3..7], "****");
        prop_assert_eq!(&masked[..3], &national[..3]);
        prop_assert_eq!(&masked[7..], &national[7..]);
    }
}
