//! The real bot, in-process, started by `app::start_bot` as `helpdesk run` starts it, but
//! pointed at the fake Bot API: intake → inbox → processor → outbox → worker. Long polling
//! for one instance; with several, each serves a webhook the fake posts updates to.

use helpdesk::app::{self, AppError, Running};
use helpdesk::config::Settings;
use helpdesk::service::Service;
use std::path::Path;

pub const TOKEN: &str = "123456:BENCH-token_for_the_fake_api";
/// Secret of the instances' webhooks.
pub const WEBHOOK_SECRET: &str = "bench-webhook-secret";

/// The running bot.
pub struct Pipeline {
    running: Running,
}

/// The settings the bench runs the bot with: the user's, with the bench's database, a
/// scratch folder for mail and files, the fake's SMS gateway, and Telegram's limits on or off.
pub fn bench_settings(
    base: &Settings,
    database_url: &str,
    scratch: &Path,
    api: &str,
    limits_on: bool,
) -> Settings {
    let mut s = base.clone();
    s.token = Some(TOKEN.into());
    s.api_url = api.to_string();
    s.database_url = database_url.to_string();
    s.webhook_url = None;
    s.metrics_listen = None;
    s.instance_id = None;
    s.telegram_limits = if limits_on { "on" } else { "off" }.to_string();
    s.smtp_url = None;
    s.mail_dir = mail_dir(scratch);
    s.files_dir = scratch.join("files");
    s.sms_gateway_url = Some(format!("{api}/sms"));
    s.sms_gateway_token = None;
    s.code_secret = Some("bench-code-secret-0123456789-abcdefghij".into());
    s.clock_offset_file = None;
    s
}

/// `settings` for instance `index` of several: a webhook on its own loopback port.
pub fn instance_settings(settings: &Settings, index: usize, port: u16) -> Settings {
    let mut s = settings.clone();
    s.webhook_url = Some(format!("http://127.0.0.1:{port}/hook/{index}"));
    s.webhook_listen = format!("127.0.0.1:{port}");
    s.webhook_secret = Some(WEBHOOK_SECRET.into());
    s.instance_id = Some(format!("bench-{index}"));
    s
}

/// Where the bench's e-mail goes: a folder in memory (`/dev/shm`) when there is one. A real
/// deployment hands mail to an SMTP relay; thousands of new files a run on the disk measure
/// the file system's inode allocation (a fifth of the CPU profile), not the bot.
pub fn mail_dir(scratch: &Path) -> std::path::PathBuf {
    let shm = Path::new("/dev/shm");
    match scratch.file_name() {
        Some(name) if shm.is_dir() => shm.join(name).join("mail"),
        _ => scratch.join("mail"),
    }
}

impl Pipeline {
    pub async fn start(settings: &Settings) -> Result<Pipeline, AppError> {
        Ok(Pipeline {
            running: app::start_bot(settings).await?,
        })
    }

    pub fn service(&self) -> &Service {
        &self.running.service
    }

    /// Stops intake, the processor and the worker, and waits for them.
    pub async fn stop(self) {
        self.running.stop().await;
    }
}
