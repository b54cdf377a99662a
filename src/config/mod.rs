//! Settings: every flag can also come from the environment or `.env`.
//! `Settings::validate` turns raw values into a checked `Config`, naming the variable at fault.

pub mod agents;
mod checks;
pub mod school;

pub use checks::host_name;

use clap::{Args, ValueEnum};
use secrecy::SecretString;
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
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true, global = true, value_parser = secret)]
    pub token: Option<SecretString>,
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
    #[arg(long, env = "WEBHOOK_SECRET", hide_env_values = true, global = true, value_parser = secret)]
    pub webhook_secret: Option<SecretString>,
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
    /// (kinds: human, escalation, correction, photo, id_review, id_objection), or by the
    /// student's class or college, `class=NAME:group_id`, `college=NAME:group_id`.
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
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true, value_parser = secret)]
    pub smtp_url: Option<SecretString>,
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
    #[arg(long, env = "SMS_GATEWAY_TOKEN", hide_env_values = true, global = true, value_parser = secret)]
    pub sms_gateway_token: Option<SecretString>,
    /// Key for hashing one-time codes (at least 32 bytes); required with a token, only the
    /// console generates one (kept in the database) when unset.
    #[arg(long, env = "CODE_SECRET", hide_env_values = true, global = true, value_parser = secret)]
    pub code_secret: Option<SecretString>,
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
    /// The deadline and the reminders before it (DEADLINE, REMINDERS).
    #[command(flatten)]
    pub school: school::SchoolSettings,
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

/// A secret setting: kept as a [`SecretString`], so no `Debug` or log line can print it.
fn secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw))
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
    pub secret: SecretString,
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
            (&["--deadline", "30 June"], "DEADLINE"),
            (
                &["--deadline", "2026-06-30", "--reminders", "3"],
                "REMINDERS",
            ),
            (&["--reminders", "3d"], "REMINDERS"),
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

    #[test]
    fn secrets_never_show_in_debug_output() {
        let s = settings(&[
            "--token",
            "123456789:SECRET-TOKEN-abcdef",
            "--code-secret",
            "code-secret-0123456789abcdef",
            "--webhook-secret",
            "webhook-secret-0123456789",
            "--smtp-url",
            "smtp://user:hunter2@mail.example:587",
            "--sms-gateway-token",
            "sms-token-0123",
        ]);
        let shown = format!("{s:?}");
        for secret in [
            "SECRET-TOKEN",
            "code-secret-01",
            "webhook-secret-01",
            "hunter2",
            "sms-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(s.checked_token().is_ok_and(|t| t.is_some()));
    }
}
