//! A question made safe to keep: e-mail addresses, phone numbers, ID numbers and every other
//! long number (student numbers, codes) replaced by a placeholder, before anything is stored.

use crate::domain::mask::{scrub_id_numbers, to_halfwidth};
use crate::domain::{Email, Phone};

/// Longest question kept, in characters.
pub const MAX_CHARS: usize = 300;
/// Digits in one token from which it is a number that may identify someone.
const MAX_DIGITS: usize = 4;

fn in_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '@' | '。')
}

/// `text` with personal values replaced: `[email]`, `[phone]`, `[id number]`, `[number]`.
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(to_halfwidth).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if !in_token(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() {
            let c = chars[i];
            // Spaces and hyphens inside a number ("138 1234 5678") keep it one token.
            let joins = matches!(c, ' ' | '-')
                && i > start
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if in_token(c) || joins {
                i += 1;
            } else {
                break;
            }
        }
        let token: String = chars[start..i].iter().collect();
        out.push_str(&replace(&token));
    }
    out.chars().take(MAX_CHARS).collect()
}

fn replace(token: &str) -> String {
    // Anything with an at sign is masked, an address or not (a typo is still personal).
    if token.contains('@') || Email::parse(token).is_ok() {
        return "[email]".into();
    }
    let digits = token.chars().filter(char::is_ascii_digit).count();
    if digits <= MAX_DIGITS {
        return token.to_string();
    }
    if Phone::parse(token).is_ok() {
        "[phone]".into()
    } else if scrub_id_numbers(token) != token {
        "[id number]".into()
    } else {
        "[number]".into()
    }
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn personal_values_never_survive() {
        let cases = [
            (
                "我的邮箱zhang.san@example.com收不到",
                "我的邮箱[email]收不到",
            ),
            (
                "手机 138 1234 5678 没收到验证码",
                "手机 [phone] 没收到验证码",
            ),
            ("+86 13812345678", "[phone]"),
            (
                "身份证11010519491231002X被注册了",
                "身份证[id number]被注册了",
            ),
            (
                "身份证１１０１０５１９４９１２３１００２Ｘ",
                "身份证[id number]",
            ),
            ("学号 2020123456 不对", "学号 [number] 不对"),
            ("code 123456 wrong", "code [number] wrong"),
            ("2024年的照片", "2024年的照片"),
            ("what are the steps", "what are the steps"),
            ("mail me at a@b", "mail me at [email]"),
        ];
        for (raw, expected) in cases {
            assert_eq!(scrub(raw), expected, "{raw}");
        }
        assert_eq!(scrub(&"长".repeat(400)).chars().count(), super::MAX_CHARS);
    }
}
