//! A thin Bot API client over reqwest. teloxide's `Bot` would sleep 10 s on every 5xx and
//! hides HTTP status codes; the outbox needs exact answers to decide: sent, wait
//! (`retry_after`), retry with backoff, or give up.

use reqwest::multipart::Form;
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ApiError {
    /// Flood control: wait this many seconds.
    #[error("too many requests, retry after {0} s")]
    RetryAfter(u64),
    /// Network trouble or a server error: try again later.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Telegram refused the request for good (bad request, bot blocked…).
    #[error("refused ({code}): {description}")]
    Permanent { code: i64, description: String },
}

impl ApiError {
    pub fn description(&self) -> &str {
        match self {
            ApiError::Permanent { description, .. } | ApiError::Transient(description) => {
                description
            }
            ApiError::RetryAfter(_) => "Too Many Requests",
        }
    }
}

/// The Bot API at `{api_url}/bot{token}/`.
#[derive(Clone)]
pub struct BotApi {
    client: reqwest::Client,
    base: String,
    /// Where files are downloaded from: `{api_url}/file/bot{token}`.
    files_base: String,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The base URL holds the token: never print it.
        f.write_str("BotApi")
    }
}

impl BotApi {
    pub fn new(api_url: &str, token: &str) -> Result<BotApi, ApiError> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| ApiError::Transient(e.without_url().to_string()))?;
        Ok(BotApi {
            client,
            base: format!("{}/bot{token}", api_url.trim_end_matches('/')),
            files_base: format!("{}/file/bot{token}", api_url.trim_end_matches('/')),
        })
    }

    /// Calls `method` with a JSON body; `timeout` bounds the whole exchange.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn call(
        &self,
        method: &str,
        body: &Value,
        timeout: Duration,
    ) -> Result<Value, ApiError> {
        let request = self
            .client
            .post(format!("{}/{method}", self.base))
            .json(body)
            .timeout(timeout);
        Self::answer(request.send().await).await
    }

    /// Calls `method` with a multipart body (uploading a stored file).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn call_multipart(
        &self,
        method: &str,
        form: Form,
        timeout: Duration,
    ) -> Result<Value, ApiError> {
        let request = self
            .client
            .post(format!("{}/{method}", self.base))
            .multipart(form)
            .timeout(timeout);
        Self::answer(request.send().await).await
    }

    /// The first `limit` bytes (or fewer, for a shorter file) of a file `getFile` returned a
    /// path for; the rest of the body is not read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn download_head(&self, file_path: &str, limit: usize) -> Result<Vec<u8>, ApiError> {
        let transient = |e: reqwest::Error| ApiError::Transient(e.without_url().to_string());
        let mut response = self
            .client
            .get(format!("{}/{file_path}", self.files_base))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(transient)?;
        let status = response.status().as_u16();
        if status != 200 {
            let text = response.text().await.map_err(transient)?;
            return classify(status, &text).and(Err(ApiError::Transient(format!("HTTP {status}"))));
        }
        let mut head = Vec::with_capacity(limit);
        while head.len() < limit {
            match response.chunk().await.map_err(transient)? {
                Some(chunk) => head.extend_from_slice(&chunk),
                None => break,
            }
        }
        head.truncate(limit);
        Ok(head)
    }

    async fn answer(sent: Result<reqwest::Response, reqwest::Error>) -> Result<Value, ApiError> {
        // `without_url`: the URL carries the token, which must never reach a log.
        let response = sent.map_err(|e| ApiError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::Transient(e.without_url().to_string()))?;
        classify(status.as_u16(), &text)
    }
}

/// Maps an HTTP status and body to the result or the kind of failure.
pub fn classify(status: u16, body: &str) -> Result<Value, ApiError> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let ok = parsed
        .as_ref()
        .and_then(|v| v.get("ok"))
        .and_then(Value::as_bool);
    if let (Some(true), Some(v)) = (ok, &parsed) {
        return Ok(v.get("result").cloned().unwrap_or(Value::Null));
    }
    let code = parsed
        .as_ref()
        .and_then(|v| v.get("error_code"))
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let description = parsed
        .as_ref()
        .and_then(|v| v.get("description"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("HTTP {status}"));
    let retry_after = parsed
        .as_ref()
        .and_then(|v| v.pointer("/parameters/retry_after"))
        .and_then(Value::as_u64);
    match (code, retry_after) {
        (_, Some(seconds)) => Err(ApiError::RetryAfter(seconds.max(1))),
        (429, None) => Err(ApiError::RetryAfter(1)),
        (500..=599, _) => Err(ApiError::Transient(description)),
        // No JSON at all from a 2xx or an unexpected status: a proxy or a broken connection.
        _ if parsed.is_none() => Err(ApiError::Transient(description)),
        (400..=499, _) => Err(ApiError::Permanent { code, description }),
        _ => Err(ApiError::Transient(description)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_classified() {
        let cases: &[(u16, &str, Result<(), ApiError>)] = &[
            (200, r#"{"ok":true,"result":{"message_id":5}}"#, Ok(())),
            (
                429,
                r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#,
                Err(ApiError::RetryAfter(7)),
            ),
            (429, "", Err(ApiError::RetryAfter(1))),
            (
                500,
                r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#,
                Err(ApiError::Transient("Internal Server Error".into())),
            ),
            (
                502,
                "<html>Bad Gateway</html>",
                Err(ApiError::Transient("HTTP 502".into())),
            ),
            (
                403,
                r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
                Err(ApiError::Permanent {
                    code: 403,
                    description: "Forbidden: bot was blocked by the user".into(),
                }),
            ),
            (
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
                Err(ApiError::Permanent {
                    code: 400,
                    description: "Bad Request: chat not found".into(),
                }),
            ),
            (200, "not json", Err(ApiError::Transient("HTTP 200".into()))),
        ];
        for (status, body, expected) in cases {
            let got = classify(*status, body).map(|_| ());
            assert_eq!(&got, expected, "status {status} body {body}");
        }
    }
}
