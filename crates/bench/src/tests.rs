//! Unit tests of the bench's figures and command line.

use crate::Cli;
use crate::args::{BenchWhat, LimitsMode};
use crate::report::percentile;
use clap::Parser;
use std::time::Duration;

#[test]
fn percentiles_use_the_nearest_rank() {
    let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
    assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(50));
    assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
    assert_eq!(percentile(&sorted, 100.0), Duration::from_millis(100));
    assert_eq!(percentile(&[], 50.0), Duration::ZERO);
}

#[test]
fn the_options_of_the_bench_and_the_bots_settings_parse_together() {
    let cli = Cli::parse_from([
        "helpdesk-bench",
        "--database-url",
        "postgres://db.example.org/x",
        "--students",
        "40",
        "--instances",
        "2",
        "--limits",
        "on",
    ]);
    assert_eq!(cli.settings.database_url, "postgres://db.example.org/x");
    assert_eq!(
        (cli.args.what, cli.args.students, cli.args.instances),
        (BenchWhat::Pipeline, 40, 2)
    );
    assert_eq!(cli.args.limits, LimitsMode::On);
    let intents = Cli::parse_from(["helpdesk-bench", "intents", "--misses"]);
    assert_eq!(intents.args.what, BenchWhat::Intents);
    assert!(intents.args.misses);
    assert!(Cli::try_parse_from(["helpdesk-bench", "--instances", "9"]).is_err());
}
