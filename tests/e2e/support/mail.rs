//! A real SMTP server on 127.0.0.1 (Python's aiosmtpd, started per test) and the mail it got.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    out: PathBuf,
    down: PathBuf,
}

/// One received message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SmtpServer {
    pub fn start(dir: &std::path::Path) -> SmtpServer {
        std::fs::create_dir_all(dir).expect("dir");
        let port = super::balancer::free_port_number();
        let out = dir.join("received.jsonl");
        let down = dir.join("smtp-down");
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/e2e/support/smtp_sink.py"
        );
        let child = Command::new("python3")
            .args([script, "--port", &port.to_string(), "--out"])
            .arg(&out)
            .arg("--down")
            .arg(&down)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test installs it)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            child,
            port,
            out,
            down,
        }
    }

    /// The SMTP_URL the bot should use.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// While down, every message is refused with a temporary error.
    pub fn set_down(&self, down: bool) {
        if down {
            std::fs::write(&self.down, "").expect("down flag");
        } else {
            let _ = std::fs::remove_file(&self.down);
        }
    }

    pub fn received(&self) -> Vec<Mail> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| Mail {
                to: v["to"][0].as_str().unwrap_or_default().to_string(),
                subject: v["subject"].as_str().unwrap_or_default().to_string(),
                body: v["body"].as_str().unwrap_or_default().to_string(),
            })
            .collect()
    }

    /// Waits for the `n`-th message (1-based) to `to`.
    pub async fn wait_for(&self, to: &str, n: usize, timeout: Duration) -> Mail {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mine: Vec<Mail> = self
                .received()
                .into_iter()
                .filter(|m| m.to.eq_ignore_ascii_case(to))
                .collect();
            if let Some(mail) = mine.get(n - 1) {
                return mail.clone();
            }
            if tokio::time::Instant::now() > deadline {
                panic!("no mail #{n} to {to}; received: {:?}", self.received());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first run of six digits in a text (the code in a mail or SMS).
pub fn code_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    for window in chars.windows(6) {
        if window.iter().all(|c| c.is_ascii_digit()) {
            return window.iter().collect();
        }
    }
    panic!("no 6-digit code in {text:?}")
}
