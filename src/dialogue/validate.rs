//! Validators named by input nodes: raw input → a parsed answer, or a specific error text.

use super::engine::Input;
use super::texts::Text;
use crate::domain::{Content, Email, IdNumber, IdType, PersonName, Phone};
use std::collections::BTreeMap;

/// Largest file the bot accepts (Telegram lets bots download up to 20 MB).
pub const MAX_FILE_BYTES: i64 = 10 * 1024 * 1024;
/// Longest free text kept as an answer.
pub const MAX_TEXT_CHARS: usize = 500;

/// A valid answer: the value to store and derived values stored as `<save>_<suffix>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub value: String,
    pub extra: Vec<(&'static str, String)>,
}

impl Parsed {
    fn plain(value: impl Into<String>) -> Parsed {
        Parsed {
            value: value.into(),
            extra: Vec::new(),
        }
    }
}

/// Runs validator `name` on `input`; `answers` gives context (the ID type for names and numbers).
pub fn validate(
    name: &str,
    input: &Input,
    answers: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<Parsed, Text> {
    match name {
        "photo" => file(input, true),
        "file" => file(input, false),
        "phone" => phone(input),
        _ => {
            let raw = text_of(input)?;
            text_validator(name, raw, answers, today)
        }
    }
}

fn text_of(input: &Input) -> Result<&str, Text> {
    match input {
        Input::Text(t) => Ok(t),
        other => Err(Text::new("expected-text").arg_key("kind", kind_key(other))),
    }
}

/// The text key naming the kind of message received.
pub fn kind_key(input: &Input) -> String {
    match input {
        Input::Photo(_) => "kind-photo".into(),
        Input::Document(_) => "kind-document".into(),
        Input::Contact { .. } => "kind-contact".into(),
        Input::Unsupported(kind) => match kind.as_str() {
            "sticker" | "voice" | "location" => format!("kind-{kind}"),
            _ => "kind-other".into(),
        },
        _ => "kind-other".into(),
    }
}

fn text_validator(
    name: &str,
    raw: &str,
    answers: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<Parsed, Text> {
    match name {
        "text" => {
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                Err(Text::new("err-text-empty"))
            } else if trimmed.chars().count() > MAX_TEXT_CHARS {
                Err(Text::new("err-text-too-long").arg("max", MAX_TEXT_CHARS.to_string()))
            } else {
                Ok(Parsed::plain(trimmed))
            }
        }
        "code6" => code6(raw),
        "email" => Email::parse(raw)
            .map(|e| Parsed {
                value: e.as_str().to_string(),
                extra: vec![("masked", e.masked())],
            })
            .map_err(|e| domain_error(e.key(), e.args())),
        "person_name" => {
            let allow_latin = id_type(answers).allows_latin_name();
            PersonName::parse(raw, allow_latin)
                .map(|n| Parsed::plain(n.as_str()))
                .map_err(|e| domain_error(e.key(), e.args()))
        }
        "id_number" => IdNumber::parse(id_type(answers), raw, today)
            .map(|id| {
                let mut extra = vec![("masked", id.masked())];
                if let Some(d) = id.birth_date() {
                    extra.push(("birth_date", d.format("%Y-%m-%d").to_string()));
                }
                if let Some(g) = id.gender() {
                    extra.push(("gender", g.code().to_string()));
                }
                Parsed {
                    value: id.as_str().to_string(),
                    extra,
                }
            })
            .map_err(|e| domain_error(e.key(), e.args())),
        "id_type" => IdType::from_code(raw.trim())
            .map(|t| Parsed::plain(t.code()))
            .ok_or_else(|| Text::new("err-id-type-unknown")),
        "year" => {
            let digits = normalise_digits(raw);
            match digits.parse::<i32>() {
                Ok(y) if digits.len() == 4 && (1950..=2100).contains(&y) => {
                    Ok(Parsed::plain(digits))
                }
                _ => Err(Text::new("err-year")),
            }
        }
        "date" => full_date(raw)
            .map(Parsed::plain)
            .ok_or_else(|| Text::new("err-date")),
        "year_month" => year_month(raw)
            .map(Parsed::plain)
            .ok_or_else(|| Text::new("err-year-month")),
        "student_no" => {
            let value: String = normalise_digits(raw)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if (4..=20).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(Parsed::plain(value.to_ascii_uppercase()))
            } else {
                Err(Text::new("err-student-no"))
            }
        }
        _ => Err(Text::new("internal-error")),
    }
}

fn id_type(answers: &BTreeMap<String, String>) -> IdType {
    answers
        .get("id_type")
        .and_then(|c| IdType::from_code(c))
        .unwrap_or(IdType::MainlandResident)
}

fn domain_error(key: &str, args: Vec<(&'static str, String)>) -> Text {
    args.into_iter()
        .fold(Text::new(key), |t, (k, v)| t.arg(k, v))
}

/// Full-width digits to ASCII; spaces removed.
/// `2022-09`, `2022.9`, `2022/09`, `2022年9月`, `202209` → `2022-09`.
pub fn year_month(raw: &str) -> Option<String> {
    let digits = normalise_digits(raw);
    let parts: Vec<&str> = digits
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (year, month) = match parts.as_slice() {
        [both] if both.len() == 6 => (both[..4].parse().ok()?, both[4..].parse().ok()?),
        [y, m] if y.len() == 4 && m.len() <= 2 => (y.parse().ok()?, m.parse().ok()?),
        _ => return None,
    };
    let (year, month): (i32, u32) = (year, month);
    ((1950..=2100).contains(&year) && (1..=12).contains(&month))
        .then(|| format!("{year:04}-{month:02}"))
}

/// A calendar date as students type it (`2022-09-01`, `2022.9.1`, `2022/09/01`, `2022年9月1日`,
/// `20220901`, full-width digits too), as `YYYY-MM-DD`; a date that does not exist is refused.
pub fn full_date(raw: &str) -> Option<String> {
    let digits = normalise_digits(raw);
    let parts: Vec<&str> = digits
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (year, month, day): (i32, u32, u32) = match parts.as_slice() {
        [all] if all.len() == 8 => (
            all[..4].parse().ok()?,
            all[4..6].parse().ok()?,
            all[6..].parse().ok()?,
        ),
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    (1900..=2100)
        .contains(&year)
        .then(|| date.format("%Y-%m-%d").to_string())
}

pub fn normalise_digits(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn code6(raw: &str) -> Result<Parsed, Text> {
    let digits = normalise_digits(raw);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        Err(Text::new("err-code-digits"))
    } else if digits.len() != 6 {
        Err(Text::new("err-code-length").arg("count", digits.len().to_string()))
    } else {
        Ok(Parsed::plain(digits))
    }
}

fn phone(input: &Input) -> Result<Parsed, Text> {
    let raw = match input {
        Input::Contact { own: false, .. } => return Err(Text::new("err-phone-not-own")),
        Input::Contact { phone, own: true } => phone.as_str(),
        other => text_of(other)?,
    };
    Phone::parse(raw)
        .map(|p| Parsed {
            value: p.as_e164(),
            extra: vec![("masked", p.masked())],
        })
        .map_err(|e| domain_error(e.key(), e.args()))
}

fn file(input: &Input, photo_only: bool) -> Result<Parsed, Text> {
    let (file, declared_image) = match input {
        Input::Photo(f) => (f, true),
        Input::Document(f) => (
            f,
            f.mime.as_deref().is_some_and(|m| m.starts_with("image/")),
        ),
        // Typed text where a file is wanted: say how to send one, not "another kind".
        Input::Text(_) => {
            let key = if photo_only {
                "expected-photo-text"
            } else {
                "expected-file-text"
            };
            return Err(Text::new(key));
        }
        other => {
            let key = if photo_only {
                "expected-photo"
            } else {
                "expected-file"
            };
            return Err(Text::new(key).arg_key("kind", kind_key(other)));
        }
    };
    if file.size > MAX_FILE_BYTES {
        return Err(
            Text::new("err-file-too-big").arg("max_mb", (MAX_FILE_BYTES / 1024 / 1024).to_string())
        );
    }
    // The content decides; the declared type only where no front end could read the file.
    let is_image = match file.content {
        Content::Is(kind) => kind.is_image(),
        // A photo step never invites a PDF: one rule (images only), one text.
        Content::Unrecognised if photo_only => return Err(Text::new("err-file-not-image")),
        Content::Unrecognised => return Err(Text::new("err-file-unrecognised")),
        Content::Unreadable => return Err(Text::new("err-file-unreadable")),
        Content::Unchecked => declared_image,
    };
    if photo_only && !is_image {
        return Err(Text::new("err-file-not-image"));
    }
    let value = serde_json::to_string(file).map_err(|_| Text::new("internal-error"))?;
    Ok(Parsed::plain(value))
}

#[cfg(test)]
mod file_tests {
    use super::*;
    use crate::dialogue::engine::FileRef;
    use crate::domain::{Content, FileKind};

    fn upload(mime: Option<&str>, size: i64, content: Content) -> FileRef {
        FileRef {
            file_id: "f".into(),
            unique_id: "u".into(),
            size,
            mime: mime.map(str::to_string),
            name: Some("photo.jpg".into()),
            content,
            caption: None,
        }
    }

    fn outcome(validator: &str, input: Input) -> Result<(), String> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        validate(validator, &input, &BTreeMap::new(), today)
            .map(|_| ())
            .map_err(|text| text.key)
    }

    #[test]
    fn content_decides_over_the_declared_type() {
        let jpeg = Content::Is(FileKind::Jpeg);
        let pdf = Content::Is(FileKind::Pdf);
        let big = MAX_FILE_BYTES + 1;
        let cases: Vec<(&str, Input, Result<(), &str>)> = vec![
            ("photo", Input::Photo(upload(None, 10, jpeg)), Ok(())),
            (
                "photo",
                Input::Document(upload(Some("image/jpeg"), 10, pdf)),
                Err("err-file-not-image"),
            ),
            (
                "photo",
                Input::Document(upload(Some("application/pdf"), 10, jpeg)),
                Ok(()),
            ),
            (
                "photo",
                Input::Document(upload(Some("image/jpeg"), 10, Content::Unrecognised)),
                Err("err-file-not-image"),
            ),
            (
                "photo",
                Input::Text("here it is".into()),
                Err("expected-photo-text"),
            ),
            (
                "file",
                Input::Text("已上传".into()),
                Err("expected-file-text"),
            ),
            (
                "file",
                Input::Document(upload(Some("image/jpeg"), 10, Content::Unrecognised)),
                Err("err-file-unrecognised"),
            ),
            (
                "file",
                Input::Document(upload(Some("application/pdf"), 10, pdf)),
                Ok(()),
            ),
            (
                "file",
                Input::Photo(upload(None, 10, Content::Unreadable)),
                Err("err-file-unreadable"),
            ),
            (
                "file",
                Input::Document(upload(Some("application/pdf"), big, pdf)),
                Err("err-file-too-big"),
            ),
            // Without a reader (no front end can fetch the file), the declared type is all there is.
            (
                "photo",
                Input::Document(upload(Some("image/png"), 10, Content::Unchecked)),
                Ok(()),
            ),
            (
                "photo",
                Input::Document(upload(Some("text/plain"), 10, Content::Unchecked)),
                Err("err-file-not-image"),
            ),
            (
                "photo",
                Input::Text("hello".into()),
                Err("expected-photo-text"),
            ),
        ];
        for (validator, input, expected) in cases {
            let described = format!("{validator} {input:?}");
            assert_eq!(
                outcome(validator, input),
                expected.map_err(str::to_string),
                "{described}"
            );
        }
    }
}
