//! Start-up and wiring: settings → store, dialogue tree, service, transports, workers;
//! runs until SIGINT/SIGTERM, then stops intake, finishes the update in hand and flushes.

use crate::config::{ConfigError, FileStoreKind, Settings};
use crate::delivery::pacer::Limits;
use crate::delivery::{Transports, Worker};
use crate::dialogue::{Tree, TreeError};
use crate::files::FileStore;
use crate::notify::{Mailer, NotifyError, SmsGateway};
use crate::service::{Clock, Service};
use crate::store::{Store, StoreError, outbox};
use crate::telegram::api::{ApiError, BotApi};
use crate::telegram::intake::{self, ALLOWED_UPDATES, Converter};
use crate::telegram::send::TelegramTransport;
use crate::telegram::startup;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Tree(#[from] TreeError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("Telegram: {0}")]
    Telegram(#[from] ApiError),
    #[error("{0}")]
    Notify(#[from] NotifyError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("import: {0}")]
    Import(#[from] crate::service::records::import::ImportError),
    #[error("{0}")]
    Service(#[from] crate::service::ServiceError),
    /// A command's arguments cannot be used; the message says why.
    #[error("{0}")]
    Usage(String),
    #[error(
        "TELOXIDE_TOKEN is not set. Put it in .env (TELOXIDE_TOKEN=123456:ABC…) or the environment; to try the bot without Telegram run `helpdesk console`."
    )]
    NoToken,
}

/// What both the bot and the console start from.
pub struct Core {
    pub service: Service,
    pub files: FileStore,
    pub mailer: Mailer,
}

/// Loads the dialogue tree, connects the store and builds the service. `sms_available`
/// says whether SMS can reach the student (a gateway, or the console that shows them).
pub async fn core(settings: &Settings, sms_available: bool) -> Result<Core, AppError> {
    core_with_secret(settings, sms_available, None).await
}

/// Like [`core`], with the code key already worked out (the bot's, see [`telegram_secret`]).
async fn core_with_secret(
    settings: &Settings,
    sms_available: bool,
    given: Option<String>,
) -> Result<Core, AppError> {
    settings.validate()?;
    let tree = Tree::load_or_embedded(settings.dialogues_dir.as_deref())?;
    let mut store = connect_waiting(&settings.database_url).await?;
    store.instance = Arc::from(settings.instance().as_str());
    let clock = match &settings.clock_offset_file {
        Some(file) => Clock::with_offset_file(file.clone()),
        None => Clock::system(),
    };
    let mailer = Mailer::new(
        settings.smtp_url.as_ref().map(|u| u.expose_secret()),
        &settings.mail_from,
        settings.mail_dir.clone(),
    )?;
    let secret = loop {
        if let Some(secret) = &given {
            break secret.clone();
        }
        match code_secret(settings, &store).await {
            Err(AppError::Store(e)) if e.is_transient() => wait_for_database(&e).await,
            other => break other?,
        }
    };
    let files = match settings.file_store {
        FileStoreKind::Local => FileStore::local(&settings.files_dir),
        FileStoreKind::Database => FileStore::database(store.clone(), &settings.files_dir),
    };
    Ok(Core {
        service: Service::new(
            store,
            Arc::new(tree),
            clock,
            secret.as_bytes(),
            sms_available,
        )
        .with_agents(crate::config::agents::Agents::from_settings(settings)?)
        .with_dispute_window(i64::from(settings.dispute_window_hours) * 3_600_000)
        .with_files(files.clone())
        .with_school(settings.school.checked()?),
        files,
        mailer,
    })
}

/// Connects to the database, waiting while it is unreachable (a server restarting as the bot
/// starts); bad settings and failed migrations stop start-up at once.
async fn connect_waiting(url: &str) -> Result<Store, AppError> {
    loop {
        match Store::connect(url).await {
            Err(e) if e.is_transient() => wait_for_database(&e).await,
            other => return Ok(other?),
        }
    }
}

async fn wait_for_database(error: &crate::store::StoreError) {
    tracing::warn!(%error, "database unavailable at start-up; retrying in 2 s");
    tokio::time::sleep(Duration::from_secs(2)).await;
}

/// The key for code hashes: CODE_SECRET (or its file), or, for the console only, one
/// generated once and kept in the database so codes survive restarts.
async fn code_secret(settings: &Settings, store: &Store) -> Result<String, AppError> {
    if let Some(secret) = settings.checked_code_secret()? {
        return Ok(secret);
    }
    if let Some(stored) = store.kv_get("code_secret").await? {
        return Ok(stored);
    }
    let generated: String = (0..32)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    // Two instances starting at once agree on whichever secret was stored first.
    let kept = store.kv_insert_or_get("code_secret", &generated).await?;
    tracing::info!("CODE_SECRET is not set: using one generated once and kept in the database");
    Ok(kept)
}

/// Where the bot keeps a key it generated when none is given (SQLite only).
pub const GENERATED_SECRET_FILE: &str = "helpdesk.secret";

/// The code key against Telegram: CODE_SECRET or CODE_SECRET_FILE; never one kept in the
/// database beside the hashes it protects (whoever read the database could then recover live
/// codes). On SQLite without either, one is generated once into `helpdesk.secret` (mode 600)
/// beside the working directory's files, with a warning; several instances on PostgreSQL must
/// share one, so there it is required.
fn telegram_secret(settings: &Settings) -> Result<String, AppError> {
    if let Some(secret) = settings.checked_code_secret()? {
        return Ok(secret);
    }
    if !settings.database_url.starts_with("sqlite:") {
        return Err(crate::config::bad(
            "CODE_SECRET",
            "required with PostgreSQL (every instance needs the same key): set CODE_SECRET or CODE_SECRET_FILE (at least 16 characters, e.g. openssl rand -hex 32)",
        )
        .into());
    }
    let path = std::path::Path::new(GENERATED_SECRET_FILE);
    if let Ok(kept) = std::fs::read_to_string(path) {
        let kept = kept.trim().to_string();
        if kept.len() >= 16 {
            return Ok(kept);
        }
    }
    let generated: String = (0..32)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    write_private(path, &generated)?;
    tracing::warn!(
        file = GENERATED_SECRET_FILE,
        "CODE_SECRET is not set: generated one into this file, outside the database; set CODE_SECRET or CODE_SECRET_FILE in production"
    );
    Ok(generated)
}

/// Writes `text` to a new file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// Runs the Telegram bot until a signal.
pub async fn run_bot(settings: &Settings) -> Result<(), AppError> {
    let running = start_bot(settings).await?;
    wait_for_signal().await;
    tracing::info!("stopping: intake first, then the update in hand, then the outbox");
    running.stop().await;
    Ok(())
}

/// The bot's tasks, running until [`Running::stop`].
pub struct Running {
    pub service: Service,
    stop: watch::Sender<bool>,
    /// Intake, processor, sender: stopped and awaited in this order.
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops intake first, then finishes the update in hand, then flushes the outbox.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Connects everything `settings` names and starts the bot's tasks: intake (long polling,
/// or the webhook server), processor, outbox worker, housekeeping, `/metrics`.
pub async fn start_bot(settings: &Settings) -> Result<Running, AppError> {
    let token = settings
        .checked_token()?
        .ok_or(AppError::NoToken)?
        .to_string();
    let secret = telegram_secret(settings)?;
    let Core {
        service,
        files,
        mailer,
    } = core_with_secret(settings, settings.sms_gateway_url.is_some(), Some(secret)).await?;
    let api = BotApi::new(&settings.api_url, &token)?;
    let service = service
        .with_uploads(Arc::new(crate::telegram::uploads::TelegramUploads::new(
            api.clone(),
        )))
        .with_members(crate::telegram::members::members(api.clone()));
    let me = startup::get_me(&api).await?;
    let username = me
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    tracing::info!(bot = %username, "connected to the Bot API");
    startup::set_commands(&api).await;

    let sms = match &settings.sms_gateway_url {
        Some(url) => Some(SmsGateway::new(
            url,
            settings
                .sms_gateway_token
                .as_ref()
                .map(|t| t.expose_secret().to_string()),
        )?),
        None => {
            tracing::warn!(
                "SMS_GATEWAY_URL is not set: SMS codes cannot be delivered; students are offered e-mail"
            );
            None
        }
    };
    let limits = if settings.telegram_limits == "off" {
        Limits::off()
    } else {
        Limits::telegram().with_group_window(settings.group_window()?)
    };
    let transports = Transports {
        telegram: Some(Arc::new(TelegramTransport {
            api: api.clone(),
            files,
            topics: Some(crate::service::desk::topics::Topics::new(service.clone())),
        })),
        mail: Some(mailer),
        sms,
    };
    let (stop, stopped) = watch::channel(false);
    let processed = Arc::new(Notify::new());
    let converter = Arc::new(Converter::new(&username));
    let webhook = settings.webhook()?;
    // Claims this instance's previous run left are stale; other instances' are not touched.
    outbox::release_claims(&service.store).await?;
    tracing::info!(instance = %service.store.instance, "instance");
    let worker = Arc::new(
        Worker::new(
            service.store.clone(),
            service.clock.clone(),
            transports,
            service.wake.clone(),
            limits,
            crate::message::ANY_LANE,
        )
        .with_queue_notices(service.tree.clone()),
    );
    let sender = tokio::spawn(worker.run(stopped.clone(), Duration::from_secs(5)));
    tokio::spawn(crate::housekeeping::run(
        service.store.clone(),
        service.clock.clone(),
        i64::from(settings.scan_retention_days) * 86_400_000,
        stopped.clone(),
    ));
    tokio::spawn(crate::service::school::remind::run(
        service.clone(),
        stopped.clone(),
    ));
    tokio::spawn(crate::service::desk::inbox::watch(
        service.clone(),
        stopped.clone(),
    ));
    let processor = tokio::spawn(crate::handling::process(
        service.clone(),
        processed.clone(),
        stopped.clone(),
    ));
    if let Some(addr) = settings
        .metrics_listen
        .as_deref()
        .and_then(|a| a.parse::<std::net::SocketAddr>().ok())
    {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let ops = crate::ops::router(service.store.clone(), service.clock.clone());
        tracing::info!(listen = %addr, "serving /healthz and /metrics");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, ops).await {
                tracing::error!(error = %e, "metrics server stopped");
            }
        });
    }
    let intake_task = match webhook {
        Some(hook) => {
            let body = json!({ "url": hook.url.as_str(), "secret_token": hook.secret.expose_secret(), "allowed_updates": ALLOWED_UPDATES });
            startup::call_retrying(&api, "setWebhook", &body).await?;
            let path = hook.url.path().to_string();
            let app = crate::telegram::webhook::router(
                &path,
                service.clone(),
                converter,
                hook.secret.expose_secret(),
                processed.clone(),
            );
            let listener = tokio::net::TcpListener::bind(hook.listen).await?;
            tracing::info!(listen = %hook.listen, "webhook set; listening");
            let mut stopped = stopped.clone();
            tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.changed().await;
                };
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    tracing::error!(error = %e, "webhook server stopped");
                }
            })
        }
        None => {
            startup::call_retrying(
                &api,
                "deleteWebhook",
                &json!({ "drop_pending_updates": false }),
            )
            .await?;
            tracing::info!("long polling");
            tokio::spawn(intake::poll(
                api.clone(),
                service.clone(),
                converter,
                processed.clone(),
                stopped.clone(),
            ))
        }
    };
    Ok(Running {
        service,
        stop,
        tasks: vec![intake_task, processor, sender],
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
