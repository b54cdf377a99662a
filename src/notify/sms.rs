//! SMS through an HTTP gateway: `POST url` with `{"to": "+86…", "text": "…"}` and a bearer
//! token when one is set; any 2xx means the gateway accepted the message.

use super::NotifyError;
use std::time::Duration;

#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmsGateway")
    }
}

impl SmsGateway {
    pub fn new(url: &str, token: Option<String>) -> Result<SmsGateway, NotifyError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| NotifyError::Permanent(e.without_url().to_string()))?;
        Ok(SmsGateway {
            client,
            url: url.to_string(),
            token,
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send(&self, to: &str, text: &str) -> Result<(), NotifyError> {
        let mut request = self
            .client
            .post(&self.url)
            .json(&serde_json::json!({ "to": to, "text": text }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| NotifyError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => Ok(()),
            408 | 429 | 500..=599 => {
                Err(NotifyError::Transient(format!("gateway answered {status}")))
            }
            _ => Err(NotifyError::Permanent(format!("gateway answered {status}"))),
        }
    }
}
