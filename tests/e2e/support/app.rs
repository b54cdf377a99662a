//! Runs the real `helpdesk` binary against the fakes: start, SIGKILL, SIGTERM, restart.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub const TOKEN: &str = "123456:TEST-token_for_the_fake_api";
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A scratch folder for one test, removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("helpdesk-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The bot process and how it was started.
pub struct Bot {
    child: Option<Child>,
    env: Vec<(String, String)>,
    pub log: PathBuf,
    starts: usize,
}

impl Bot {
    /// Starts `helpdesk run` with `env` added to the defaults for a test in `dir`.
    pub fn start(api_url: &str, database_url: &str, dir: &Path, env: &[(&str, &str)]) -> Bot {
        let mut all: Vec<(String, String)> = vec![
            ("TELOXIDE_TOKEN".into(), TOKEN.into()),
            ("TELOXIDE_API_URL".into(), api_url.into()),
            ("DATABASE_URL".into(), database_url.into()),
            (
                "DIALOGUES_DIR".into(),
                concat!(env!("CARGO_MANIFEST_DIR"), "/dialogues").into(),
            ),
            ("MAIL_DIR".into(), dir.join("mail").display().to_string()),
            ("FILES_DIR".into(), dir.join("files").display().to_string()),
            (
                "CLOCK_OFFSET_FILE".into(),
                dir.join("clock").display().to_string(),
            ),
            (
                "CODE_SECRET".into(),
                "test-secret-0123456789-abcdefghijklmnop".into(),
            ),
            ("RUST_LOG".into(), "info,sqlx=warn".into()),
        ];
        for (k, v) in env {
            all.retain(|(key, _)| key != k);
            all.push((k.to_string(), v.to_string()));
        }
        std::fs::create_dir_all(dir).expect("test dir");
        let mut bot = Bot {
            child: None,
            env: all,
            log: dir.join("bot.log"),
            starts: 0,
        };
        bot.spawn();
        bot
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_helpdesk"));
        command
            .arg("run")
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        if let Ok(path) = std::env::var("PATH") {
            command.env("PATH", path);
        }
        for (k, v) in &self.env {
            command.env(k, v);
        }
        self.child = Some(command.spawn().expect("start helpdesk"));
        self.starts += 1;
    }

    /// SIGKILL: no chance to clean up, like a crash or the OOM killer.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and wait for a graceful exit.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait().ok()
    }

    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.kill9();
    }
}
