//! The API's checks of texts (HTML entities, lengths) and inline keyboards.

use crate::error::{ApiError, bad};
use crate::types::Sent;
use serde_json::Value;

/// Checks a text or caption like the API and returns it as displayed (entities removed).
pub(crate) fn check_text(
    raw: &str,
    parse_mode: Option<&str>,
    max_chars: usize,
    empty_error: Option<&str>,
    too_long_error: &str,
) -> Result<String, ApiError> {
    let plain = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(raw.to_owned()),
        Some("html") => parse_html(raw),
        // Markdown flavours are accepted without checks (the bot under test uses HTML).
        Some("markdownv2" | "markdown") => Ok(raw.to_owned()),
        Some(_) => return Err(bad("unsupported parse_mode")),
    }
    .map_err(|e| bad(&format!("can't parse entities: {e}")))?;
    if let Some(empty_error) = empty_error
        && plain.trim().is_empty()
    {
        return Err(bad(empty_error));
    }
    if plain.chars().count() > max_chars {
        return Err(bad(too_long_error));
    }
    Ok(plain)
}

/// The displayed form of a text, if it parses.
pub(crate) fn plain(raw: &str, parse_mode: Option<&str>) -> Option<String> {
    check_text(raw, parse_mode, usize::MAX, None, "").ok()
}

/// Whether the message's text or caption, as sent or as displayed, contains `needle`.
pub(crate) fn contains(sent: &Sent, needle: &str) -> bool {
    let parse_mode = sent.body.get("parse_mode").and_then(Value::as_str);
    [&sent.text, &sent.caption]
        .into_iter()
        .flatten()
        .any(|raw| {
            raw.contains(needle) || plain(raw, parse_mode).is_some_and(|p| p.contains(needle))
        })
}

pub(crate) fn parse_html(s: &str) -> Result<String, String> {
    const TAGS: &[&str] = &[
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "code",
        "pre",
        "a",
        "tg-spoiler",
        "span",
        "blockquote",
        "tg-emoji",
    ];
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i..];
        if c == '<' {
            let end = rest
                .find('>')
                .ok_or_else(|| format!("Unclosed start tag at byte offset {i}"))?;
            let tag = &rest[1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim().to_ascii_lowercase();
                match open.pop() {
                    Some(expected) if expected == name => {}
                    Some(expected) => {
                        return Err(format!(
                            "Unmatched end tag at byte offset {i}, expected \"</{expected}>\", found \"</{name}>\""
                        ));
                    }
                    None => return Err(format!("Unexpected end tag at byte offset {i}")),
                }
            } else {
                let name = tag
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !TAGS.contains(&name.as_str()) || (name == "span" && !tag.contains("tg-spoiler"))
                {
                    return Err(format!(
                        "Unsupported start tag \"{name}\" at byte offset {i}"
                    ));
                }
                open.push(name);
            }
            i += end + 1;
        } else if c == '&' {
            let entity = rest
                .find(';')
                .map(|end| (&rest[1..end], end))
                .filter(|(e, _)| e.len() <= 10);
            let decoded = entity.and_then(|(e, end)| decode_entity(e).map(|ch| (ch, end)));
            let (ch, end) = decoded.ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as \"&amp;\"")
            })?;
            out.push(ch);
            i += end + 1;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    match open.pop() {
        Some(tag) => Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        )),
        None => Ok(out),
    }
}

pub(crate) fn decode_entity(entity: &str) -> Option<char> {
    match entity {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let code = entity.strip_prefix('#')?;
            let code = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Parses (it may arrive as a JSON string) and checks `reply_markup`.
pub(crate) fn check_markup(markup: Option<&Value>) -> Result<Option<Value>, ApiError> {
    const INVALID: &str = "can't parse reply keyboard markup JSON object";
    const ACTIONS: &[&str] = &[
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ];
    let markup = match markup {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s).map_err(|_| bad(INVALID))?,
        Some(v) => v.clone(),
    };
    let kinds = [
        "inline_keyboard",
        "keyboard",
        "remove_keyboard",
        "force_reply",
    ];
    if !kinds.iter().any(|k| markup.get(k).is_some()) {
        return Err(bad(INVALID));
    }
    let Some(rows) = markup.get("inline_keyboard") else {
        return Ok(Some(markup));
    };
    let not_array = || {
        bad("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
    };
    for row in rows.as_array().ok_or_else(not_array)? {
        for button in row.as_array().ok_or_else(not_array)? {
            if button.get("text").and_then(Value::as_str).is_none() {
                return Err(bad(
                    "can't parse inline keyboard button: Can't find field \"text\"",
                ));
            }
            if let Some(data) = button.get("callback_data") {
                let len = data.as_str().map_or(0, str::len);
                if len == 0 || len > 64 {
                    return Err(bad("BUTTON_DATA_INVALID"));
                }
            } else if !ACTIONS.iter().any(|a| button.get(a).is_some()) {
                return Err(bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                ));
            }
            if let Some(url) = button.get("url")
                && !url.as_str().is_some_and(|u| {
                    ["http://", "https://", "tg://"]
                        .iter()
                        .any(|p| u.starts_with(p))
                })
            {
                return Err(bad("BUTTON_URL_INVALID"));
            }
        }
    }
    Ok(Some(markup))
}
