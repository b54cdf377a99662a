//! Keyed hashes of personal values (a phone, an e-mail, an ID number): the stable name under
//! which limits are counted without storing the value itself.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// What a keyed value is, so one phone number and one ID number never share a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An e-mail address or a phone number a code goes to (lower-cased).
    Target,
    /// An ID number (upper-cased, as stored).
    IdNumber,
    /// An account, by its id.
    Account,
    /// A Telegram chat, by its id.
    Chat,
}

impl Scope {
    fn tag(self) -> &'static str {
        match self {
            Scope::Target => "target",
            Scope::IdNumber => "id_number",
            Scope::Account => "account",
            Scope::Chat => "chat",
        }
    }
}

/// HMAC-SHA256(secret, scope ‖ 0 ‖ normalised value), hex.
pub fn key(secret: &[u8], scope: Scope, value: &str) -> String {
    let normalised = match scope {
        Scope::Target => value.trim().to_lowercase(),
        Scope::IdNumber => value.trim().to_uppercase(),
        Scope::Account | Scope::Chat => value.trim().to_string(),
    };
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm cannot happen.
        Err(_) => return String::new(),
    };
    mac.update(scope.tag().as_bytes());
    mac.update(b"\0");
    mac.update(normalised.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_scopes_and_fold_case_where_the_value_does() {
        let s = b"secret";
        let cases = [
            (Scope::Target, "A@B.cn", Scope::Target, "a@b.cn", true),
            (
                Scope::IdNumber,
                "11010519491231002x",
                Scope::IdNumber,
                "11010519491231002X",
                true,
            ),
            (Scope::Target, "42", Scope::Account, "42", false),
            (Scope::Account, "42", Scope::Chat, "42", false),
            (Scope::Target, "a@b.cn", Scope::Target, "c@b.cn", false),
        ];
        for (sa, a, sb, b, same) in cases {
            assert_eq!(key(s, sa, a) == key(s, sb, b), same, "{a} / {b}");
        }
        assert_ne!(
            key(b"one", Scope::Target, "x"),
            key(b"two", Scope::Target, "x")
        );
        assert_eq!(key(s, Scope::Target, "x").len(), 64);
    }
}
