//! The Bot API's error answers: status, description and `retry_after`.

use crate::types::Fault;
use serde_json::{Value, json};

pub(crate) type ApiResult = Result<Value, ApiError>;

#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) code: u16,
    pub(crate) description: String,
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    pub(crate) fn retry(secs: u64) -> Self {
        Self {
            retry_after: Some(secs),
            ..Self::new(429, format!("Too Many Requests: retry after {secs}"))
        }
    }

    pub(crate) fn json(&self) -> Value {
        let mut v = json!({"ok": false, "error_code": self.code, "description": self.description});
        if let Some(secs) = self.retry_after {
            v["parameters"] = json!({ "retry_after": secs });
        }
        v
    }
}

pub(crate) fn bad(description: &str) -> ApiError {
    ApiError::new(400, format!("Bad Request: {description}"))
}

impl Fault {
    pub(crate) fn error(&self) -> ApiError {
        match self {
            Fault::RetryAfter(secs) => ApiError::retry(*secs),
            Fault::Status(429) => ApiError::retry(1),
            Fault::Status(code) => ApiError::new(*code, status_text(*code)),
            Fault::Error(code, description) => ApiError::new(*code, description.clone()),
            Fault::Drop | Fault::Delay(_) => ApiError::new(500, "Internal Server Error"),
        }
    }
}

pub(crate) fn status_text(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}
