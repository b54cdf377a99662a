//! The one-time codes a student reads, for walking a whole registration: from the mail
//! folder the bot writes `.eml` files into in the bench (each file read once, by whoever
//! looks first), and from the texts the fake's SMS gateway accepted.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;

/// The codes mailed so far, by address.
#[derive(Debug)]
pub struct MailCodes {
    dir: PathBuf,
    read: Mutex<(HashSet<OsString>, HashMap<String, String>)>,
}

impl MailCodes {
    pub fn new(dir: PathBuf) -> MailCodes {
        MailCodes {
            dir,
            read: Mutex::new((HashSet::new(), HashMap::new())),
        }
    }

    /// The last code mailed to `address`, reading the mails that arrived since last time.
    pub fn code_for(&self, address: &str) -> Option<String> {
        let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        let (seen, codes) = &mut *read;
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if seen.contains(&name) || !name.to_string_lossy().ends_with(".eml") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                seen.insert(name);
                if let Some((to, code)) = code_in_mail(&text) {
                    codes.insert(to, code);
                }
            }
        }
        codes.get(&address.to_ascii_lowercase()).cloned()
    }
}

/// The recipient and the code of a mail as lettre writes it (the body in base64 when it is
/// not plain ASCII).
fn code_in_mail(eml: &str) -> Option<(String, String)> {
    let (head, body) = eml
        .split_once("\r\n\r\n")
        .or_else(|| eml.split_once("\n\n"))?;
    let to = head.lines().find_map(|l| l.strip_prefix("To: "))?;
    let to = to.trim().trim_start_matches('<').trim_end_matches('>');
    let base64 = head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64");
    let text = if base64 {
        String::from_utf8(decode_base64(body)).ok()?
    } else {
        body.to_string()
    };
    Some((to.to_ascii_lowercase(), code_in(&text)?))
}

/// The first run of six digits in a text.
pub fn code_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(6)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .map(|w| w.iter().collect())
}

/// Standard base64 (line breaks and padding ignored).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut bits, mut count) = (Vec::new(), 0u32, 0u32);
    for sextet in text.bytes().filter_map(value) {
        bits = (bits << 6) | u32::from(sextet);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(((bits >> count) & 0xFF) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailed_code_is_read_from_plain_and_base64_bodies() {
        let plain = "To: a@b.cn\r\nSubject: x\r\n\r\nYour code is 493027.\r\n";
        assert_eq!(
            code_in_mail(plain),
            Some(("a@b.cn".into(), "493027".into()))
        );
        // "激活码 123456" in base64.
        let encoded = "To: <Student1@Bench.example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n5r+A5rS756CBIDEyMzQ1Ng==\r\n";
        assert_eq!(
            code_in_mail(encoded),
            Some(("student1@bench.example.org".into(), "123456".into()))
        );
        assert_eq!(code_in("no code 12345 here"), None);
    }
}
