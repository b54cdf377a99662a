//! The binary copied out of the checkout: started from an empty folder with no settings, it
//! checks and exports its built-in dialogues and runs the console on a local SQLite file.

use crate::support::app::Scratch;
use std::io::Write;
use std::process::{Command, Stdio};

pub(crate) fn helpdesk(dir: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdesk"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("start helpdesk");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let out = child.wait_with_output().expect("helpdesk output");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn the_binary_runs_from_a_folder_that_is_not_the_checkout() {
    let scratch = Scratch::new("elsewhere");
    let (ok, text) = helpdesk(&scratch.dir, &["check"], "");
    assert!(ok && text.contains("built-in dialogues"), "{text}");

    let (ok, text) = helpdesk(&scratch.dir, &["dialogues", "export", "mine"], "");
    assert!(ok, "{text}");
    assert!(scratch.dir.join("mine/registration.toml").exists());
    assert!(scratch.dir.join("mine/locales/zh-CN/accounts.ftl").exists());
    let (ok, text) = helpdesk(&scratch.dir, &["dialogues", "export", "mine"], "");
    assert!(!ok && text.contains("--force"), "{text}");

    // No token: the console, on a SQLite file here, with the demo roster.
    let (ok, text) = helpdesk(&scratch.dir, &[], "1\n/quit\n");
    assert!(ok, "{text}");
    assert!(
        text.contains("demo roster") && text.contains("电子邮箱"),
        "{text}"
    );
    assert!(scratch.dir.join("helpdesk.db").exists());

    // Started again it comes back to the e-mail step; two students from one terminal, and
    // the e-mailed code printed where it can be read.
    let (ok, text) = helpdesk(
        &scratch.dir,
        &[],
        "console.student@example.com\n/as 2\n/as 12\n/quit\n",
    );
    assert!(ok, "{text}");
    assert!(text.contains("(where this chat was left)"), "{text}");
    assert!(
        text.contains("[e-mail to console.student@example.com]"),
        "the activation mail is printed: {text}"
    );
    assert!(
        text.contains("now typing as student 2") && text.contains("[2]>"),
        "{text}"
    );
    assert!(
        text.contains("/as takes a student number from 1 to 9"),
        "{text}"
    );
}
