//! `helpdesk`: the bot, its console, and the operator's commands.

use clap::Parser;
use helpdesk::app::{self, AppError};
use helpdesk::cli::{Cli, Cmd, DialoguesCmd, IntentsCmd};
use helpdesk::config::LogFormat;
use helpdesk::dialogue::Tree;
use secrecy::ExposeSecret;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A missing .env is normal; the environment and flags still apply.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    init_logs(
        cli.settings.log_format,
        matches!(cli.command, None | Some(Cmd::Console)) && cli.settings.token.is_none(),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("helpdesk: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli) -> Result<ExitCode, AppError> {
    let settings = cli.settings;
    match cli.command {
        Some(Cmd::Run) => app::run_bot(&settings).await.map(|_| ExitCode::SUCCESS),
        Some(Cmd::Console) => helpdesk::console::run(app::core(&settings, true).await?)
            .await
            .map(|_| ExitCode::SUCCESS),
        None if settings
            .token
            .as_ref()
            .is_some_and(|t| !t.expose_secret().is_empty()) =>
        {
            app::run_bot(&settings).await.map(|_| ExitCode::SUCCESS)
        }
        None => {
            eprintln!(
                "No TELOXIDE_TOKEN configured: starting the console (see README to run the Telegram bot)."
            );
            helpdesk::console::run(app::core(&settings, true).await?)
                .await
                .map(|_| ExitCode::SUCCESS)
        }
        Some(Cmd::Check) => Ok(check(settings.dialogues_dir.as_deref())),
        Some(Cmd::Dialogues {
            action: DialoguesCmd::Export { dir, force },
        }) => {
            let written = helpdesk::dialogue::embedded::export(&dir, force)?;
            println!("{} files written to {}", written.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Graph { format }) => {
            let tree = Tree::load_or_embedded(settings.dialogues_dir.as_deref())?;
            print!("{}", helpdesk::dialogue::graph::render(&tree, format));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::ImportRecords {
            file,
            photos,
            dry_run,
        }) => {
            let core = app::core(&settings, false).await?;
            let service = &core.service;
            let source = helpdesk::service::records::import::Source {
                csv_path: &file,
                photos: photos.as_deref(),
            };
            let summary = helpdesk::service::records::import::import_with(
                &service.store,
                &core.files,
                source,
                service.clock.today(),
                service.clock.now_ms(),
                dry_run,
            )
            .await?;
            print!("{summary}");
            // A roster with refused rows is not imported as it stands: scripts must notice.
            Ok(if summary.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Cmd::Report(args)) => {
            let core = app::core(&settings, false).await?;
            let written = core.service.report(&args).await?.map_err(AppError::Usage)?;
            if let Some(path) = &args.chart {
                std::fs::write(path, core.service.report_chart(&written)?)?;
            }
            match &args.output {
                Some(path) => {
                    std::fs::write(path, &written.bytes)?;
                    println!(
                        "{} student(s) written to {}\n\n{}",
                        written.progress.rows.len(),
                        path.display(),
                        core.service.report_summary(&written)
                    );
                }
                None => {
                    use std::io::Write as _;
                    std::io::stdout().write_all(&written.bytes)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Remind(args)) => {
            let core = app::core(&settings, false).await?;
            let said = core
                .service
                .remind_cli(&args)
                .await?
                .map_err(AppError::Usage)?;
            println!("{said}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Intents {
            action: IntentsCmd::Unmatched { days, limit },
        }) => {
            settings.validate()?;
            let store = helpdesk::store::Store::connect(&settings.database_url).await?;
            let now = chrono::Utc::now().timestamp_millis();
            let since = now - days.max(0) * 86_400_000;
            let listed = helpdesk::store::unmatched::list(&store.pool, since, limit).await?;
            print!("{}", unmatched_report(&listed, days));
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Migrate) => {
            settings.validate()?;
            helpdesk::store::Store::connect(&settings.database_url).await?;
            println!(
                "migrations applied to {}",
                redact_url(&settings.database_url)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(dir: Option<&std::path::Path>) -> ExitCode {
    let name = dir.map_or("built-in dialogues".to_string(), |d| {
        d.display().to_string()
    });
    match Tree::load_or_embedded(dir) {
        Ok(tree) => {
            println!(
                "{name}: {} flows, {} nodes, {} intents, all checks passed",
                tree.flows.len(),
                tree.nodes.len(),
                tree.intents.list.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The unmatched questions as a table: times, last seen (China Standard Time), languages,
/// why, the question.
fn unmatched_report(listed: &[helpdesk::store::unmatched::Listed], days: i64) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{} unmatched question(s) in the last {days} day(s)\n",
        listed.len()
    );
    for q in listed {
        // China Standard Time is UTC+8 all year.
        let last = chrono::DateTime::from_timestamp_millis(q.last_at + 8 * 3_600_000)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>5}  {last}  {:<8} {:<24} {}",
            q.times, q.locales, q.reasons, q.text
        );
    }
    out
}

/// A database URL without its password, for messages.
fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Logs go to stderr; the console keeps them quiet unless RUST_LOG asks.
fn init_logs(format: LogFormat, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if quiet { "warn" } else { "info,sqlx=warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// mimalloc: under load glibc's malloc took a fifth of the CPU profile (arena locks shared by
/// the runtime's threads and SQLite's); built without transparent huge pages, whose 2 MiB
/// granules would raise the resident memory of a small bot for nothing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
