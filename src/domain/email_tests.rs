use super::*;
use proptest::prelude::*;

/// Error value, its Fluent key, its Fluent variables.
type KeyCase = (EmailError, &'static str, Vec<(&'static str, &'static str)>);

use EmailError as E;

#[test]
fn valid_addresses() {
    let cases = [
        (
            "zhangsan@example.com",
            "zhangsan@example.com",
            "zhangsan@example.com",
            "z***n@example.com",
        ),
        (
            "  Zhang.San@Example.COM\n",
            "Zhang.San@Example.COM",
            "zhang.san@example.com",
            "Z***n@Example.COM",
        ),
        ("ab@qq.com", "ab@qq.com", "ab@qq.com", "a***@qq.com"),
        ("a@qq.com", "a@qq.com", "a@qq.com", "a***@qq.com"),
        ("abc@qq.com", "abc@qq.com", "abc@qq.com", "a***c@qq.com"),
        (
            "li_si+chsi@mail.pku.edu.cn",
            "li_si+chsi@mail.pku.edu.cn",
            "li_si+chsi@mail.pku.edu.cn",
            "l***i@mail.pku.edu.cn",
        ),
        (
            "wang＠163。com",
            "wang@163.com",
            "wang@163.com",
            "w***g@163.com",
        ),
        (
            "\u{3000}wang@163.com\u{3000}",
            "wang@163.com",
            "wang@163.com",
            "w***g@163.com",
        ),
        (
            "x@a-b.c-d.org",
            "x@a-b.c-d.org",
            "x@a-b.c-d.org",
            "x***@a-b.c-d.org",
        ),
        (
            "o'neil@xn--fiqs8s.cn",
            "o'neil@xn--fiqs8s.cn",
            "o'neil@xn--fiqs8s.cn",
            "o***l@xn--fiqs8s.cn",
        ),
    ];
    for (raw, shown, normalized, masked) in cases {
        let email = Email::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(email.as_str(), shown);
        assert_eq!(email.normalized(), normalized);
        assert_eq!(email.masked(), masked);
        assert_eq!(format!("{email:?}"), format!("Email({masked:?})"));
    }
}

#[test]
fn length_limits() {
    let local64 = "a".repeat(64);
    assert!(Email::parse(&format!("{local64}@qq.com")).is_ok());
    let local65 = "a".repeat(65);
    assert_eq!(
        Email::parse(&format!("{local65}@qq.com")),
        Err(E::LocalTooLong { found: 65 })
    );
    let label = "b".repeat(63);
    let domain = format!("{label}.{label}.{}.com", "c".repeat(57));
    let at_limit = format!("{local64}@{domain}");
    assert_eq!(at_limit.len(), 254);
    assert!(Email::parse(&at_limit).is_ok());
    let over = format!("{local64}@c{domain}");
    assert_eq!(Email::parse(&over), Err(E::TooLong { found: 255 }));
    let long_label = format!("a@{}.com", "d".repeat(64));
    assert_eq!(Email::parse(&long_label), Err(E::BadDomain));
}

#[test]
fn invalid_addresses() {
    let cases = [
        ("", E::Empty),
        ("   ", E::Empty),
        ("zhang san@qq.com", E::HasSpaces),
        ("zhang@qq .com", E::HasSpaces),
        ("zhang\u{3000}san@qq.com", E::HasSpaces),
        ("zhangsan.qq.com", E::MissingAt),
        ("zhang@san@qq.com", E::MultipleAt),
        ("@qq.com", E::EmptyLocal),
        ("张三@qq.com", E::LocalInvalidChar { ch: '张' }),
        ("a,b@qq.com", E::LocalInvalidChar { ch: ',' }),
        ("\"ab\"@qq.com", E::LocalInvalidChar { ch: '"' }),
        (".ab@qq.com", E::LocalDots),
        ("ab.@qq.com", E::LocalDots),
        ("a..b@qq.com", E::LocalDots),
        ("zhangsan@", E::EmptyDomain),
        ("zhangsan@localhost", E::DomainNoDot),
        ("zhangsan@qq..com", E::BadDomain),
        ("zhangsan@.qq.com", E::BadDomain),
        ("zhangsan@qq.com.", E::BadDomain),
        ("zhangsan@-qq.com", E::BadDomain),
        ("zhangsan@qq-.com", E::BadDomain),
        ("zhangsan@q_q.com", E::BadDomain),
        ("zhangsan@qq,com.cn", E::BadDomain),
        ("zhangsan@例子.中国", E::BadDomain),
        ("zhangsan@qq.c", E::BadTld),
        ("zhangsan@qq.c0m", E::BadTld),
        ("zhangsan@127.0.0.1", E::BadTld),
    ];
    for (raw, want) in cases {
        let err = Email::parse(raw).unwrap_err();
        assert_eq!(err, want, "{raw}");
        if raw.len() > 3 {
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
        (E::Empty, "err-email-empty", vec![]),
        (E::HasSpaces, "err-email-spaces", vec![]),
        (E::TooLong { found: 300 }, "err-email-too-long", vec![("found", "300"), ("max", "254")]),
        (E::MissingAt, "err-email-missing-at", vec![]),
        (E::MultipleAt, "err-email-multiple-at", vec![]),
        (E::EmptyLocal, "err-email-local-empty", vec![]),
        (E::LocalTooLong { found: 65 }, "err-email-local-too-long", vec![("found", "65"), ("max", "64")]),
        (E::LocalInvalidChar { ch: '张' }, "err-email-local-char", vec![("char", "张")]),
        (E::LocalDots, "err-email-local-dots", vec![]),
        (E::EmptyDomain, "err-email-domain-empty", vec![]),
        (E::DomainNoDot, "err-email-domain-no-dot", vec![]),
        (E::BadDomain, "err-email-domain-invalid", vec![]),
        (E::BadTld, "err-email-tld", vec![]),
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
        let _ = Email::parse(&raw);
    }

    #[test]
    fn prop_never_panics_on_near_misses(raw in "[a-zA-Z0-9@.＠。 \u{3000}张_-]{0,30}") {
        match Email::parse(&raw) {
            Ok(email) => {
                let (local, domain) = email.as_str().split_once('@').unwrap();
                let first = &local[..1];
                let last = if local.len() > 2 { &local[local.len() - 1..] } else { "" };
                let want = format!("{first}***{last}@{domain}");
                prop_assert_eq!(email.masked(), want);
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
            Err(e) => {
                let _ = (e.key(), e.args());
            }
        }
    }

    #[test]
    fn prop_valid_roundtrip(local in "[a-zA-Z0-9_+]{1,20}", domain in "[a-zA-Z0-9]{1,10}", tld in "[a-zA-Z]{2,6}") {
        let raw = format!("{local}@{domain}.{tld}");
        let email = Email::parse(&raw).unwrap();
        prop_assert_eq!(email.as_str(), raw.as_str());
        prop_assert_eq!(email.normalized(), raw.to_lowercase());
    }
}
