//! The Bot API's JSON as the fake speaks it: the bot's User, private chats, Message objects,
//! and the parameters of a JSON or multipart request body.

use super::fake::{BOT_ID, BOT_USERNAME};
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value, json};

pub type Params = Map<String, Value>;

/// The bot's User object (`getMe` adds the capability fields teloxide insists on).
pub fn bot_user(full: bool) -> Value {
    let mut user = json!({ "id": BOT_ID, "is_bot": true, "first_name": "Helpdesk bench",
        "username": BOT_USERNAME });
    if full {
        user["can_join_groups"] = json!(true);
        user["can_read_all_group_messages"] = json!(false);
        user["supports_inline_queries"] = json!(false);
        user["has_main_web_app"] = json!(false);
    }
    user
}

/// A private chat object.
pub fn chat_obj(chat: i64) -> Value {
    json!({ "id": chat, "type": "private", "first_name": format!("Student{chat}") })
}

/// A Message object from the bot carrying what `params` asked for.
pub fn message(message_id: i64, chat: i64, params: &Params) -> Value {
    let mut m = json!({ "message_id": message_id, "from": bot_user(false), "chat": chat_obj(chat),
        "date": chrono::Utc::now().timestamp() });
    for field in ["text", "caption"] {
        if let Some(v) = params.get(field) {
            m[field] = v.clone();
        }
    }
    if params.contains_key("photo") {
        m["photo"] = json!([{ "file_id": format!("ph{chat}_{message_id}"),
            "file_unique_id": format!("u{chat}_{message_id}"), "width": 480, "height": 640 }]);
    }
    if let Some(markup) = params.get("reply_markup").filter(|m| m.is_object()) {
        m["reply_markup"] = markup.clone();
    }
    m
}

pub fn int(params: &Params, key: &str) -> Option<i64> {
    match params.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The parameters of a JSON or multipart body (a multipart `reply_markup` is parsed back).
pub fn params(headers: &HeaderMap, body: &[u8]) -> Params {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !kind.starts_with("multipart/") {
        return serde_json::from_slice(body).unwrap_or_default();
    }
    let text = String::from_utf8_lossy(body);
    let mut map = Params::new();
    for part in text.split("form-data; name=\"").skip(1) {
        let Some((name, rest)) = part.split_once('"') else {
            continue;
        };
        let value = if rest.starts_with("; filename=") {
            json!("<file>")
        } else {
            let raw = rest.split_once("\r\n\r\n").map(|(_, v)| v).unwrap_or("");
            let raw = raw.split("\r\n--").next().unwrap_or("");
            match name {
                "reply_markup" => serde_json::from_str(raw).unwrap_or(Value::Null),
                _ => json!(raw),
            }
        };
        map.insert(name.to_string(), value);
    }
    map
}
