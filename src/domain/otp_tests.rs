use super::*;

const SECRET: &[u8] = b"a-test-secret-of-some-length";

fn bound<'a>(purpose: Purpose, target: &'a str) -> Binding<'a> {
    Binding {
        purpose,
        target,
        subject: "account:1",
    }
}

#[test]
fn codes_are_six_digits_and_hashes_are_keyed() {
    for _ in 0..200 {
        let code = generate();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
    }
    let phone = bound(Purpose::Phone, "+8613812345678");
    let h = hash(SECRET, &phone, "123456");
    assert_eq!(h.len(), 64);
    assert!(!h.contains("123456"));
    assert_ne!(h, hash(b"another-secret", &phone, "123456"));
    // Every part of the binding is part of the hash: another purpose, target or subject
    // never verifies.
    let others = [
        bound(Purpose::Login, "+8613812345678"),
        bound(Purpose::Phone, "+8613900000000"),
        Binding {
            subject: "account:2",
            ..phone
        },
        Binding {
            subject: "registration:a@b.cn",
            ..phone
        },
    ];
    for other in others {
        assert_ne!(h, hash(SECRET, &other, "123456"), "{other:?}");
        assert!(!verify(SECRET, &other, "123456", &h), "{other:?}");
    }
    for purpose in [Purpose::Bind, Purpose::Erase, Purpose::Activation] {
        assert!(!verify(
            SECRET,
            &bound(purpose, "+8613812345678"),
            "123456",
            &h
        ));
    }
    assert!(verify(SECRET, &phone, "123456", &h));
    assert!(!verify(SECRET, &phone, "123457", &h));
    assert!(!verify(SECRET, &phone, "123456", ""));
}

#[test]
fn purposes_round_trip_and_are_distinct() {
    let all = [
        Purpose::Activation,
        Purpose::Phone,
        Purpose::Login,
        Purpose::Bind,
        Purpose::Erase,
    ];
    for p in all {
        assert_eq!(Purpose::from_code(p.code()), Some(p));
    }
    assert_eq!(Purpose::from_code("confirm"), None);
}

#[test]
fn sending_rules() {
    let p = Policy::for_purpose(Purpose::Phone);
    let now = 10 * HOUR;
    let cases = [
        ("first send", SendHistory::default(), SendDecision::Send),
        (
            "cooldown",
            SendHistory {
                last_sent_at: Some(now - 20_000),
                sends_in_hour: 1,
                ..Default::default()
            },
            SendDecision::Cooldown { seconds: 40 },
        ),
        (
            "after cooldown",
            SendHistory {
                last_sent_at: Some(now - 60_000),
                sends_in_hour: 1,
                ..Default::default()
            },
            SendDecision::Send,
        ),
        (
            "five an hour",
            SendHistory {
                last_sent_at: Some(now - 2 * MINUTE),
                oldest_send_in_hour: Some(now - 50 * MINUTE),
                sends_in_hour: 5,
                locked_until: None,
            },
            SendDecision::HourlyLimit { minutes: 10 },
        ),
        (
            "locked",
            SendHistory {
                locked_until: Some(now + 29 * MINUTE + 1),
                ..Default::default()
            },
            SendDecision::Locked { minutes: 30 },
        ),
        (
            "lock over",
            SendHistory {
                locked_until: Some(now - 1),
                ..Default::default()
            },
            SendDecision::Send,
        ),
    ];
    for (name, history, expected) in cases {
        assert_eq!(may_send(&p, now, &history), expected, "{name}");
    }
}

#[test]
fn checking_rules() {
    let p = Policy::for_purpose(Purpose::Phone);
    let phone = bound(Purpose::Phone, "+8613812345678");
    let stored = hash(SECRET, &phone, "246810");
    let live = |created_at, wrong_attempts| {
        Some(LiveCode {
            hash: &stored,
            created_at,
            wrong_attempts,
        })
    };
    let now = 100 * HOUR;
    let cases = [
        (
            "right",
            "246810",
            live(now - MINUTE, 0),
            0,
            Attempt::Correct,
        ),
        (
            "wrong",
            "111111",
            live(now - MINUTE, 0),
            0,
            Attempt::Wrong { tries_left: 4 },
        ),
        (
            "fourth wrong",
            "111111",
            live(now - MINUTE, 3),
            0,
            Attempt::Wrong { tries_left: 1 },
        ),
        (
            "fifth wrong kills",
            "111111",
            live(now - MINUTE, 4),
            0,
            Attempt::Dead,
        ),
        (
            "third dead locks",
            "111111",
            live(now - MINUTE, 4),
            2,
            Attempt::Locked { minutes: 30 },
        ),
        (
            "expired",
            "246810",
            live(now - 5 * MINUTE, 0),
            0,
            Attempt::Expired,
        ),
        (
            "just in time",
            "246810",
            live(now - 5 * MINUTE + 1, 0),
            0,
            Attempt::Correct,
        ),
        ("no code", "246810", None, 0, Attempt::NoCode),
    ];
    for (name, typed, code, dead, expected) in cases {
        assert_eq!(
            attempt(SECRET, &phone, typed, code, &p, now, dead),
            expected,
            "{name}"
        );
    }
    let activation = Policy::for_purpose(Purpose::Activation);
    let stored_a = hash(SECRET, &bound(Purpose::Activation, "a@b.cn"), "135790");
    let code = Some(LiveCode {
        hash: &stored_a,
        created_at: now - 23 * HOUR,
        wrong_attempts: 0,
    });
    assert_eq!(
        attempt(
            SECRET,
            &bound(Purpose::Activation, "A@B.cn"),
            "135790",
            code,
            &activation,
            now,
            0
        ),
        Attempt::Correct
    );
    let old = Some(LiveCode {
        hash: &stored_a,
        created_at: now - 24 * HOUR,
        wrong_attempts: 0,
    });
    assert_eq!(
        attempt(
            SECRET,
            &bound(Purpose::Activation, "a@b.cn"),
            "135790",
            old,
            &activation,
            now,
            0
        ),
        Attempt::Expired
    );
}
