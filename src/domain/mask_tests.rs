use super::*;
use proptest::prelude::*;

#[test]
fn mask_middle_table() {
    let cases = [
        ("11010519491231002X", 6, 4, "110105********002X"),
        ("13812345678", 3, 4, "138****5678"),
        ("AB12345", 2, 2, "AB***45"),
        ("张三丰", 1, 0, "张**"),
        ("abcd", 2, 2, "****"),
        ("abc", 2, 2, "***"),
        ("", 1, 1, ""),
        ("abcde", 0, 0, "*****"),
        ("abcde", usize::MAX, usize::MAX, "*****"),
    ];
    for (input, start, end, want) in cases {
        assert_eq!(
            mask_middle(input, start, end),
            want,
            "{input} {start} {end}"
        );
    }
}

#[test]
fn scrub_table() {
    let cases = [
        ("id=11010519491231002X ok", "id=110105********002X ok"),
        ("id 11010519491231002x.", "id 110105********002x."),
        ("110105194912310021", "110105********0021"),
        ("legacy 110105491231002 here", "legacy 110105*****1002 here"),
        (
            "身份证１１０１０５１９４９１２３１００２Ｘ",
            "身份证１１０１０５********００２Ｘ",
        ),
        ("a 1101051949123100211 b", "a 1101051949123100211 b"),
        ("phone 13812345678", "phone 13812345678"),
        ("16 digits 1234567890123456", "16 digits 1234567890123456"),
        ("17 digits 12345678901234567", "17 digits 12345678901234567"),
        (
            "two 110105194912310021,110105491231002",
            "two 110105********0021,110105*****1002",
        ),
        ("no digits at all", "no digits at all"),
        ("", ""),
    ];
    for (input, want) in cases {
        assert_eq!(scrub_id_numbers(input), want, "{input}");
    }
}

#[test]
fn halfwidth_table() {
    let cases = [
        ('０', '0'),
        ('９', '9'),
        ('Ｘ', 'X'),
        ('ｘ', 'x'),
        ('＠', '@'),
        ('\u{3000}', ' '),
        ('张', '张'),
        ('a', 'a'),
    ];
    for (input, want) in cases {
        assert_eq!(to_halfwidth(input), want);
    }
}

proptest! {
    #[test]
    fn mask_middle_keeps_length(s in any::<String>(), a in 0usize..20, b in 0usize..20) {
        let masked = mask_middle(&s, a, b);
        prop_assert_eq!(masked.chars().count(), s.chars().count());
    }

    #[test]
    fn scrub_never_panics_and_keeps_length(s in any::<String>()) {
        prop_assert_eq!(scrub_id_numbers(&s).chars().count(), s.chars().count());
    }

    #[test]
    fn scrub_hides_middle_of_embedded_ids(prefix in "[a-z ]{0,5}", id in "[0-9]{17}[0-9Xx]", suffix in "[a-z ]{0,5}") {
        let prefix = prefix.trim_end_matches(['x']);
        let suffix = suffix.trim_start_matches(['x']);
        let text = format!("{prefix}{id}{suffix}");
        let scrubbed = scrub_id_numbers(&text);
        prop_assert!(!scrubbed.contains(&id[6..14]));
        prop_assert!(scrubbed.contains("********"));
    }
}
