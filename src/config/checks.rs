//! Checking the settings once at start-up, each problem naming its variable, and the
//! values other settings are worked out from (the instance's name, the webhook, the key).

use super::{ConfigError, Settings, Webhook, bad};
use secrecy::ExposeSecret;
use std::net::SocketAddr;

/// This machine's host name (an instance's default name).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

impl Settings {
    /// The token, checked for BotFather's shape (`123456:ABC-…`).
    pub fn checked_token(&self) -> Result<Option<&str>, ConfigError> {
        let token = self.token.as_ref().map(|t| t.expose_secret());
        let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let (id, key) = token.split_once(':').unwrap_or(("", ""));
        let shaped = !id.is_empty()
            && id.chars().all(|c| c.is_ascii_digit())
            && key.len() >= 10
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if shaped {
            Ok(Some(token))
        } else {
            Err(bad(
                "TELOXIDE_TOKEN",
                "expected the form 123456789:ABC-DEF… from @BotFather",
            ))
        }
    }

    /// Checks every setting the bot needs, naming the first variable at fault.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.checked_token()?;
        let api =
            url::Url::parse(&self.api_url).map_err(|e| bad("TELOXIDE_API_URL", e.to_string()))?;
        if !matches!(api.scheme(), "http" | "https") {
            return Err(bad("TELOXIDE_API_URL", "must be an http(s) URL"));
        }
        let scheme = self.database_url.split(':').next().unwrap_or_default();
        if !matches!(scheme, "sqlite" | "postgres" | "postgresql") {
            return Err(bad(
                "DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ));
        }
        self.webhook()?;
        if let Some(addr) = &self.metrics_listen {
            addr.parse::<SocketAddr>()
                .map_err(|_| bad("METRICS_LISTEN", "expected host:port, e.g. 127.0.0.1:9100"))?;
        }
        if let Some(url) = &self.sms_gateway_url {
            url::Url::parse(url).map_err(|e| bad("SMS_GATEWAY_URL", e.to_string()))?;
        }
        self.checked_code_secret()?;
        if !matches!(self.agent_signature.as_str(), "name" | "neutral") {
            return Err(bad("AGENT_SIGNATURE", "must be name or neutral"));
        }
        if let Some(id) = self.agent_chat_id
            && id >= 0
        {
            return Err(bad(
                "AGENT_CHAT_ID",
                "a supergroup's id is negative, like -1001234567890",
            ));
        }
        if let Some(id) = &self.instance_id
            && (id.len() > 100 || id.chars().any(char::is_control))
        {
            return Err(bad(
                "INSTANCE_ID",
                "up to 100 printable characters, unique per instance",
            ));
        }
        super::agents::Agents::from_settings(self)?;
        self.school.checked()?;
        self.group_window()?;
        if !matches!(self.telegram_limits.as_str(), "on" | "off") {
            return Err(bad("TELEGRAM_LIMITS", "must be on or off"));
        }
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| bad("MAIL_FROM", e.to_string()))?;
        Ok(())
    }

    /// Who this process is among the instances sharing the database: `INSTANCE_ID`, or the
    /// host name (with the webhook's port in webhook mode, so instances on one machine differ).
    pub fn instance(&self) -> String {
        if let Some(id) = self
            .instance_id
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            return id.to_string();
        }
        let host = host_name();
        match self.webhook() {
            Ok(Some(hook)) => format!("{host}:{}", hook.listen.port()),
            _ => host,
        }
    }

    /// The window in which a group takes 20 messages.
    pub fn group_window(&self) -> Result<std::time::Duration, ConfigError> {
        super::agents::duration_ms(&self.telegram_group_window)
            .filter(|ms| *ms > 0)
            .map(|ms| std::time::Duration::from_millis(ms.unsigned_abs()))
            .ok_or_else(|| bad("TELEGRAM_GROUP_WINDOW", "expected a duration like 60s"))
    }

    /// CODE_SECRET, or the contents of CODE_SECRET_FILE (one trailing newline dropped), at
    /// least 16 characters (32 random bytes recommended); `None` when neither is set.
    pub fn checked_code_secret(&self) -> Result<Option<String>, ConfigError> {
        let secret = match (&self.code_secret, &self.code_secret_file) {
            (Some(secret), _) => secret.expose_secret().to_string(),
            (None, Some(file)) => std::fs::read_to_string(file)
                .map_err(|e| bad("CODE_SECRET_FILE", e.to_string()))?
                .trim_end_matches(['\n', '\r'])
                .to_string(),
            (None, None) => return Ok(None),
        };
        if secret.chars().count() < 16 {
            return Err(bad(
                "CODE_SECRET",
                "use at least 16 characters (e.g. openssl rand -hex 32)",
            ));
        }
        Ok(Some(secret))
    }

    /// The webhook settings when `WEBHOOK_URL` is set.
    pub fn webhook(&self) -> Result<Option<Webhook>, ConfigError> {
        let Some(raw) = self.webhook_url.as_deref().filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        let url = url::Url::parse(raw).map_err(|e| bad("WEBHOOK_URL", e.to_string()))?;
        let listen = self
            .webhook_listen
            .parse()
            .map_err(|_| bad("WEBHOOK_LISTEN", "expected host:port, e.g. 0.0.0.0:8443"))?;
        let secret = self
            .webhook_secret
            .clone()
            .ok_or_else(|| bad("WEBHOOK_SECRET", "required when WEBHOOK_URL is set"))?;
        // Telegram's own rule for secret_token; fewer than 16 characters can be guessed.
        let exposed = secret.expose_secret();
        let valid = (16..=256).contains(&exposed.len())
            && exposed
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(bad(
                "WEBHOOK_SECRET",
                "16-256 characters of A-Z, a-z, 0-9, _ and -",
            ));
        }
        Ok(Some(Webhook {
            url,
            listen,
            secret,
        }))
    }
}
