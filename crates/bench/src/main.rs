//! `helpdesk-bench`: load benchmark of the helpdesk's real intake → engine → outbox → sender
//! path, in-process against the fake Bot API on loopback, with simulated students; and
//! `helpdesk-bench intents`, the free-text matcher on its evaluation set.

mod args;
mod baseline;
mod codes;
mod compare;
mod db;
mod driver;
mod intents;
mod pipeline;
mod report;
mod run;
mod sampler;
mod script;
mod steps;
mod students;
#[cfg(test)]
mod tests;
mod tickets;

use clap::Parser;
use helpdesk::config::{LogFormat, Settings};
use std::process::ExitCode;

/// The bench's options, and every setting of the bot it runs (the database, dialogues…).
#[derive(Debug, Parser)]
#[command(
    name = "helpdesk-bench",
    version,
    about = "Measure the helpdesk's throughput, latency and memory against an in-process fake Bot API"
)]
pub struct Cli {
    #[command(flatten)]
    pub args: args::BenchArgs,
    #[command(flatten)]
    pub settings: Settings,
}

fn main() -> ExitCode {
    // A missing .env is normal; the environment and flags still apply.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    init_logs(cli.settings.log_format);
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
    match runtime.block_on(run::run(&cli.settings, cli.args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("helpdesk-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, warnings only unless RUST_LOG asks: the bench prints its figures, and
/// the bot's start-up lines would only get between them.
fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// The bot runs in this process, so it gets the allocator `helpdesk` runs with (mimalloc
/// without transparent huge pages; see the helpdesk's `src/main.rs`), or the figures would
/// measure another allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
