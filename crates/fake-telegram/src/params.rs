//! A request's parameters: query string and JSON, form or multipart body merged into one
//! object, uploads set aside, and the typed reads of a parameter.

use crate::error::{ApiError, bad};
use axum::body::{Body, to_bytes};
use axum::extract::{Form, FromRequest, Multipart, Query, Request};
use axum::http::header;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

pub(crate) const MAX_BODY: usize = 64 << 20;

pub(crate) type Params = Map<String, Value>;
pub(crate) type Uploads = HashMap<String, Upload>;

pub(crate) struct Upload {
    pub(crate) file_name: Option<String>,
    pub(crate) mime: Option<String>,
    pub(crate) bytes: Vec<u8>,
}

pub(crate) fn int(p: &Params, key: &str) -> Option<i64> {
    match p.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn str_of<'a>(p: &'a Params, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Value::as_str)
}

pub(crate) fn flag(p: &Params, key: &str) -> bool {
    matches!(p.get(key), Some(Value::Bool(true))) || str_of(p, key) == Some("true")
}

pub(crate) fn chat_id(p: &Params) -> Result<i64, ApiError> {
    match p.get("chat_id") {
        None | Some(Value::Null) => Err(bad("chat_id is empty")),
        Some(_) => int(p, "chat_id").ok_or_else(|| bad("chat not found")),
    }
}

pub(crate) fn message_id(p: &Params) -> Result<i64, ApiError> {
    int(p, "message_id").ok_or_else(|| bad("message identifier is not specified"))
}

/// Merges query string and body (JSON, form or multipart) into one JSON object. Uploaded files
/// become `{"attach", "file_name", "mime_type", "size"}` under the field that references them
/// (`attach://name`) or under their own part name.
pub(crate) async fn read_params(req: Request) -> Result<(Params, Uploads), ApiError> {
    let mut params = Params::new();
    if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(req.uri()) {
        for (k, v) in pairs {
            params.insert(k.clone(), coerce(&k, &v));
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let content_type = content_type.unwrap_or("").to_ascii_lowercase();
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::new(413, "Request Entity Too Large"))?;
    let mut uploads = Uploads::new();
    if content_type.starts_with("multipart/form-data") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let invalid = |_| bad("can't parse multipart/form-data request");
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|_| bad("can't parse multipart/form-data request"))?;
        while let Some(field) = multipart.next_field().await.map_err(invalid)? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let mime = field.content_type().map(str::to_owned);
            let data = field.bytes().await.map_err(invalid)?;
            if file_name.is_some() {
                uploads.insert(
                    name,
                    Upload {
                        file_name,
                        mime,
                        bytes: data.to_vec(),
                    },
                );
            } else {
                params.insert(name.clone(), coerce(&name, &String::from_utf8_lossy(&data)));
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|_| bad("can't parse form data"))?;
        for (k, v) in pairs {
            params.insert(k.clone(), coerce(&k, &v));
        }
    } else if !bytes.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => params.extend(map),
            _ => return Err(bad("can't parse JSON object")),
        }
    }
    for (name, upload) in &uploads {
        let reference = Value::String(format!("attach://{name}"));
        let field = params
            .iter()
            .find(|(_, v)| **v == reference)
            .map(|(k, _)| k.clone());
        let descriptor = json!({
            "attach": name, "file_name": upload.file_name, "mime_type": upload.mime,
            "size": upload.bytes.len(),
        });
        params.insert(field.unwrap_or_else(|| name.clone()), descriptor);
    }
    Ok((params, uploads))
}

/// A form/multipart/query value as JSON: numbers, booleans, objects and arrays are parsed,
/// except for parameters that are always strings.
pub(crate) fn coerce(key: &str, value: &str) -> Value {
    const STRINGS: &[&str] = &[
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "name",
        "file_id",
        "photo",
        "document",
        "action",
        "language_code",
        "inline_message_id",
        "icon_custom_emoji_id",
        "business_connection_id",
        "message_effect_id",
        "file_path",
    ];
    match serde_json::from_str::<Value>(value) {
        Ok(parsed) if !STRINGS.contains(&key) && !parsed.is_string() => parsed,
        _ => value.into(),
    }
}
