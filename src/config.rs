//! Settings: every flag can also come from the environment or `.env`.
//! `Settings::validate` turns raw values into a checked `Config`, naming the variable at fault.

use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where stored files live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileStoreKind {
    /// A folder on this machine (FILES_DIR): one instance.
    Local,
    /// A table in the database: every instance reaches every file.
    Database,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Bot token from @BotFather.
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// Bot API base URL (tests point it at a local fake).
    #[arg(
        long,
        env = "TELOXIDE_API_URL",
        default_value = "https://api.telegram.org",
        global = true
    )]
    pub api_url: String,
    /// sqlite://FILE or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://helpdesk.db",
        global = true
    )]
    pub database_url: String,
    /// Folder of dialogue files and their locale texts; unset: the dialogues built into the
    /// binary (`helpdesk dialogues export DIR` writes them out to edit).
    #[arg(long, env = "DIALOGUES_DIR", global = true)]
    pub dialogues_dir: Option<PathBuf>,
    /// Public HTTPS URL Telegram should post updates to; unset means long polling.
    #[arg(long, env = "WEBHOOK_URL", hide_env_values = true, global = true)]
    pub webhook_url: Option<String>,
    /// Address the webhook server listens on.
    #[arg(
        long,
        env = "WEBHOOK_LISTEN",
        default_value = "0.0.0.0:8443",
        global = true
    )]
    pub webhook_listen: String,
    /// Secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token (required with a webhook).
    #[arg(long, env = "WEBHOOK_SECRET", hide_env_values = true, global = true)]
    pub webhook_secret: Option<String>,
    /// The agents' forum supergroup.
    #[arg(long, env = "AGENT_CHAT_ID", global = true)]
    pub agent_chat_id: Option<i64>,
    /// Telegram user ids allowed to act as agents (comma-separated); empty: every member of the agents' group.
    #[arg(long, env = "AGENT_IDS", value_delimiter = ',', global = true)]
    pub agent_ids: Vec<i64>,
    /// Sign agents' replies with their name (`name`) or a neutral "客服" (`neutral`).
    #[arg(
        long,
        env = "AGENT_SIGNATURE",
        default_value = "neutral",
        global = true
    )]
    pub agent_signature: String,
    /// Tickets of some kinds to other agents' groups: `kind=group_id`, comma-separated
    /// (kinds: human, escalation, correction, photo, id_review, data_deletion).
    #[arg(long, env = "AGENT_GROUPS", value_delimiter = ',', global = true)]
    pub agent_groups: Vec<String>,
    /// How long after closing a student may reopen a ticket: `30m`, `72h`, `7d`.
    #[arg(
        long,
        env = "TICKET_REOPEN_WINDOW",
        default_value = "7d",
        global = true
    )]
    pub ticket_reopen_window: String,
    /// Hours a claim on an ID number by a classmate or the record questions waits for the
    /// holder's objection before the claimant may bind it.
    #[arg(
        long,
        env = "DISPUTE_WINDOW_HOURS",
        default_value_t = 72,
        global = true
    )]
    pub dispute_window_hours: u32,
    /// smtp://user:pass@host:port (?tls=required) — unset writes .eml files to MAIL_DIR.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Helpdesk <helpdesk@localhost>",
        global = true
    )]
    pub mail_from: String,
    #[arg(long, env = "MAIL_DIR", default_value = "mail", global = true)]
    pub mail_dir: PathBuf,
    /// HTTP SMS gateway; unset means SMS codes appear in the console only.
    #[arg(long, env = "SMS_GATEWAY_URL", hide_env_values = true, global = true)]
    pub sms_gateway_url: Option<String>,
    #[arg(long, env = "SMS_GATEWAY_TOKEN", hide_env_values = true, global = true)]
    pub sms_gateway_token: Option<String>,
    /// Key for hashing one-time codes (at least 32 bytes); required with a token, only the
    /// console generates one (kept in the database) when unset.
    #[arg(long, env = "CODE_SECRET", hide_env_values = true, global = true)]
    pub code_secret: Option<String>,
    /// A file holding CODE_SECRET (kept outside the database and the environment).
    #[arg(long, env = "CODE_SECRET_FILE", global = true)]
    pub code_secret_file: Option<PathBuf>,
    /// Folder for stored files (photos, scans, evidence) with FILE_STORE=local.
    #[arg(long, env = "FILES_DIR", default_value = "files", global = true)]
    pub files_dir: PathBuf,
    /// Where stored files live: `local` (FILES_DIR) or `database` (reachable from every instance).
    #[arg(
        long,
        env = "FILE_STORE",
        value_enum,
        default_value = "local",
        global = true
    )]
    pub file_store: FileStoreKind,
    /// This process among instances sharing a database (unique per running instance); default:
    /// the host name, plus the webhook port in webhook mode.
    #[arg(long, env = "INSTANCE_ID", global = true)]
    pub instance_id: Option<String>,
    /// Address for /healthz and /metrics (Prometheus); unset: not served.
    #[arg(long, env = "METRICS_LISTEN", global = true)]
    pub metrics_listen: Option<String>,
    #[arg(
        long,
        env = "LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Keep Telegram's sending limits (turn off only against a local fake for capacity tests).
    #[arg(long, env = "TELEGRAM_LIMITS", default_value = "on", global = true)]
    pub telegram_limits: String,
    /// Testing: the window in which a group takes 20 messages (Telegram: 60s); scaled down
    /// only against a fake that scales its limit the same way.
    #[arg(
        long,
        env = "TELEGRAM_GROUP_WINDOW",
        default_value = "60s",
        global = true
    )]
    pub telegram_group_window: String,
    /// Days after the decision on an ID review when its scans are deleted.
    #[arg(long, env = "SCAN_RETENTION_DAYS", default_value_t = 30, global = true)]
    pub scan_retention_days: u32,
    /// Testing: a file holding seconds to add to the clock.
    #[arg(long, env = "CLOCK_OFFSET_FILE", global = true)]
    pub clock_offset_file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

pub(crate) fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

/// Webhook settings, all present together.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: url::Url,
    pub listen: SocketAddr,
    pub secret: String,
}

impl Settings {
    /// The token, checked for BotFather's shape (`123456:ABC-…`).
    pub fn checked_token(&self) -> Result<Option<&str>, ConfigError> {
        let Some(token) = self.token.as_deref().filter(|t| !t.trim().is_empty()) else {
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
        crate::service::desk::agents::Agents::from_settings(self)?;
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
        let host = crate::store::default_instance_id();
        match self.webhook() {
            Ok(Some(hook)) => format!("{host}:{}", hook.listen.port()),
            _ => host,
        }
    }

    /// The window in which a group takes 20 messages.
    pub fn group_window(&self) -> Result<std::time::Duration, ConfigError> {
        crate::service::desk::agents_config::duration_ms(&self.telegram_group_window)
            .filter(|ms| *ms > 0)
            .map(|ms| std::time::Duration::from_millis(ms.unsigned_abs()))
            .ok_or_else(|| bad("TELEGRAM_GROUP_WINDOW", "expected a duration like 60s"))
    }

    /// CODE_SECRET, or the contents of CODE_SECRET_FILE (one trailing newline dropped), at
    /// least 16 characters (32 random bytes recommended); `None` when neither is set.
    pub fn checked_code_secret(&self) -> Result<Option<String>, ConfigError> {
        let secret = match (&self.code_secret, &self.code_secret_file) {
            (Some(secret), _) => secret.clone(),
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
        let valid = (16..=256).contains(&secret.len())
            && secret
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings alone, as a command line would give them.
    #[derive(clap::Parser)]
    struct Only {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(vars: &[&str]) -> Settings {
        use clap::Parser as _;
        let mut args = vec!["helpdesk"];
        args.extend_from_slice(vars);
        Only::parse_from(args).settings
    }

    #[test]
    fn invalid_settings_name_their_variable() {
        let cases: &[(&[&str], &str)] = &[
            (&["--token", "nonsense"], "TELOXIDE_TOKEN"),
            (&["--api-url", "not a url"], "TELOXIDE_API_URL"),
            (&["--database-url", "mysql://x"], "DATABASE_URL"),
            (
                &["--webhook-url", "https://example.org/hook"],
                "WEBHOOK_SECRET",
            ),
            (
                &[
                    "--webhook-url",
                    "https://example.org/hook",
                    "--webhook-secret",
                    "s3cret-token-0123456",
                    "--webhook-listen",
                    "nowhere",
                ],
                "WEBHOOK_LISTEN",
            ),
            (&["--code-secret", "short"], "CODE_SECRET"),
            (&["--code-secret", "0123456789abcde"], "CODE_SECRET"),
            (
                &["--code-secret-file", "/nonexistent/secret"],
                "CODE_SECRET_FILE",
            ),
            (
                &[
                    "--webhook-url",
                    "https://example.org/hook",
                    "--webhook-secret",
                    "s3cret-token",
                ],
                "WEBHOOK_SECRET",
            ),
            (&["--telegram-limits", "maybe"], "TELEGRAM_LIMITS"),
            (&["--instance-id", "a\nb"], "INSTANCE_ID"),
            (&["--ticket-reopen-window", "soon"], "TICKET_REOPEN_WINDOW"),
            (&["--agent-groups", "photo=12"], "AGENT_GROUPS"),
        ];
        for (args, variable) in cases {
            let err = settings(args).validate().expect_err("should be refused");
            assert_eq!(err.variable, *variable, "{args:?}");
        }
        assert!(
            settings(&["--token", "123456:ABCDEFGHIJ_kl-mn"])
                .validate()
                .is_ok()
        );
        assert!(settings(&[]).validate().is_ok());
    }
}
