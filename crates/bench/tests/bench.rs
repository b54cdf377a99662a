//! `helpdesk-bench`, run as a user runs it: a small burst on SQLite (long polling), and on
//! PostgreSQL with two instances behind the fake's webhook delivery. Every student finishes,
//! every update is answered and handled once, nothing is left in the outbox. The figures
//! themselves are not asserted (the machine is shared); that the run completes is.

use std::process::Command;

const STUDENTS: usize = 40;

/// Runs the bench binary with `args`; returns its standard output.
fn bench(database_url: Option<&str>, args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdesk-bench"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    let output = command
        .args(args)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run the bench");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The value after `label` on its line of the report.
fn line<'a>(report: &'a str, label: &str) -> &'a str {
    report
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no `{label}` in\n{report}"))
}

fn assert_complete(report: &str, instances: &str) {
    assert!(report.contains(instances), "{report}");
    assert_eq!(
        line(report, "students"),
        format!("{STUDENTS} started, {STUDENTS} finished"),
        "{report}"
    );
    let updates = STUDENTS * 5;
    assert_eq!(
        line(report, "updates"),
        format!("{updates} offered, {updates} answered, {updates} handled by the processor"),
        "{report}"
    );
    assert!(
        line(report, "outbox").contains(" 0 failed, 0 pending"),
        "{report}"
    );
    assert_eq!(line(report, "429 answers"), "0", "{report}");
}

#[test]
fn the_bench_runs_a_burst_on_sqlite() {
    let students = STUDENTS.to_string();
    let report = bench(None, &["--students", &students, "--timeout", "60"]);
    assert_complete(&report, "limits Off ==");
    assert!(line(&report, "database").starts_with("SQLite"), "{report}");
}

/// The bench makes its own fresh database on the server of `TEST_DATABASE_URL` (and drops it).
#[test]
fn the_bench_runs_two_instances_on_postgres() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        println!("skipped: several instances need PostgreSQL; set TEST_DATABASE_URL");
        return;
    };
    let students = STUDENTS.to_string();
    let args = [
        "--students",
        &students,
        "--instances",
        "2",
        "--timeout",
        "60",
    ];
    let report = bench(Some(&url), &args);
    assert_complete(&report, "limits Off, 2 instances ==");
    let calls = line(&report, "Bot API calls");
    assert!(
        calls.contains("setwebhook 2") && !calls.contains("getupdates"),
        "both instances took their updates by webhook: {calls}"
    );
}
