//! The real bot, in-process, wired as `app::run_bot` wires it (long-polling branch) but
//! pointed at the fake Bot API: intake → inbox → processor → outbox → worker.
//!
//! Copied from `run_bot` because it is one function that also waits for a signal: the
//! `getMe` / `deleteWebhook` / `setMyCommands` start-up calls and the task spawning.

use crate::app::{self, AppError, Core};
use crate::config::Settings;
use crate::delivery::{Transports, Worker};
use crate::notify::SmsGateway;
use crate::service::Service;
use crate::store::outbox;
use crate::telegram::api::BotApi;
use crate::telegram::intake::{self, Converter};
use crate::telegram::limits::Limits;
use crate::telegram::send::TelegramTransport;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub const TOKEN: &str = "123456:BENCH-token_for_the_fake_api";
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// The running bot.
pub struct Pipeline {
    pub service: Service,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// The settings the bench runs the bot with: the user's, with the bench's database, a
/// scratch folder for mail and files, and the fake's SMS gateway.
pub fn bench_settings(base: &Settings, database_url: &str, scratch: &Path, api: &str) -> Settings {
    let mut s = base.clone();
    s.token = None;
    s.api_url = api.to_string();
    s.database_url = database_url.to_string();
    s.webhook_url = None;
    s.smtp_url = None;
    s.mail_dir = mail_dir(scratch);
    s.files_dir = scratch.join("files");
    s.sms_gateway_url = Some(format!("{api}/sms"));
    s.sms_gateway_token = None;
    s.code_secret = Some("bench-code-secret-0123456789".into());
    s.clock_offset_file = None;
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
    pub async fn start(settings: &Settings, limits: Limits) -> Result<Pipeline, AppError> {
        let Core {
            service,
            files,
            mailer,
        } = app::core(settings, true).await?;
        let api = BotApi::new(&settings.api_url, TOKEN)?;
        let me = api.call("getMe", &json!({}), CALL_TIMEOUT).await?;
        let username = me
            .get("username")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let commands = json!({ "commands": [{ "command": "start", "description": "Start" }] });
        api.call("setMyCommands", &commands, CALL_TIMEOUT).await?;
        api.call(
            "deleteWebhook",
            &json!({ "drop_pending_updates": false }),
            CALL_TIMEOUT,
        )
        .await?;
        let sms = match &settings.sms_gateway_url {
            Some(url) => Some(SmsGateway::new(url, None)?),
            None => None,
        };
        let transports = Transports {
            telegram: Some(TelegramTransport {
                api: api.clone(),
                files,
                store: Some(service.store.clone()),
            }),
            mail: Some(mailer),
            sms,
        };
        outbox::release_claims(&service.store).await?;
        let (stop, stopped) = watch::channel(false);
        let processed = Arc::new(Notify::new());
        let converter = Arc::new(Converter::new(&username));
        let worker = Arc::new(Worker::new(
            service.store.clone(),
            service.clock.clone(),
            transports,
            service.wake.clone(),
            limits,
            "%",
        ));
        let tasks = vec![
            tokio::spawn(worker.run(stopped.clone(), Duration::from_secs(5))),
            tokio::spawn(intake::process(
                service.clone(),
                processed.clone(),
                stopped.clone(),
            )),
            tokio::spawn(intake::poll(
                api.clone(),
                service.clone(),
                converter,
                processed,
                stopped,
            )),
        ];
        Ok(Pipeline {
            service,
            stop,
            tasks,
        })
    }

    /// Stops intake, the processor and the worker, and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
