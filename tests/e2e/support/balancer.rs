//! Several instances in webhook mode for the tests: their addresses and settings, and a load
//! balancer that plays Telegram's webhook delivery over their endpoints.

use super::db::fresh_postgres;
use super::fake_telegram::FakeTelegram;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SECRET: &str = "scale-out-secret";
pub const HOOK_URL: &str = "https://bot.example.org/telegram/hook";

/// A PostgreSQL database for the test, or None (and why) when there is no server.
pub async fn postgres() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) => Some(fresh_postgres(&admin).await),
        Err(_) => {
            println!("skipped: several instances need PostgreSQL; set TEST_DATABASE_URL");
            None
        }
    }
}

/// A loopback address free now and never handed out before in this test process: a port
/// just released can be the next one the kernel gives out, and two instances (or an
/// instance's webhook and metrics) on one port would fail to start.
pub fn free_port() -> String {
    format!("127.0.0.1:{}", free_port_number())
}

/// The port of [`free_port`].
pub fn free_port_number() -> u16 {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// One instance's addresses: its webhook and its /healthz and /metrics.
pub struct Instance {
    pub listen: String,
    pub metrics: String,
}

impl Instance {
    pub fn new() -> Instance {
        Instance {
            listen: free_port(),
            metrics: free_port(),
        }
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("WEBHOOK_URL", HOOK_URL.to_string()),
            ("WEBHOOK_LISTEN", self.listen.clone()),
            ("WEBHOOK_SECRET", SECRET.to_string()),
            ("METRICS_LISTEN", self.metrics.clone()),
            ("FILE_STORE", "database".to_string()),
        ]
    }

    pub fn hook(&self) -> String {
        format!("http://{}/telegram/hook", self.listen)
    }
}

pub fn borrowed<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Plays Telegram's webhook delivery through a load balancer: takes the fake's waiting updates
/// and posts them over `lanes` connections at once, a chat's updates in order on one of them,
/// each chat's updates to the endpoints in turn (so one chat's updates reach every instance).
/// An endpoint that does not answer 200 (starting, stopped) is passed over, as a balancer's
/// health check would.
pub struct Balancer {
    stop: Arc<AtomicBool>,
    /// (chat, endpoint index) of every update delivered.
    delivered: Arc<Mutex<Vec<(i64, usize)>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Balancer {
    pub fn start(tg: &FakeTelegram, hooks: Vec<String>, lanes: usize) -> Balancer {
        let stop = Arc::new(AtomicBool::new(false));
        let delivered = Arc::new(Mutex::new(Vec::new()));
        let hooks = Arc::new(hooks);
        let mut senders = Vec::new();
        let mut tasks = Vec::new();
        for _ in 0..lanes {
            let (send, mut receive) = tokio::sync::mpsc::unbounded_channel::<Value>();
            senders.push(send);
            let (hooks, log) = (hooks.clone(), delivered.clone());
            tasks.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut turns: std::collections::HashMap<i64, usize> = Default::default();
                while let Some(update) = receive.recv().await {
                    let chat = chat_of(&update);
                    let turn = turns.entry(chat).or_insert(chat.unsigned_abs() as usize);
                    let target = post(&client, &hooks, *turn, &update).await;
                    *turn += 1;
                    log.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((chat, target));
                }
            }));
        }
        let (tg, flag) = (tg.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !flag.load(Ordering::SeqCst) {
                let updates = tg.take_updates();
                if updates.is_empty() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                for update in updates {
                    let lane = chat_of(&update).unsigned_abs() as usize % senders.len();
                    let _ = senders[lane].send(update);
                }
            }
        }));
        Balancer {
            stop,
            delivered,
            tasks,
        }
    }

    pub fn delivered(&self) -> Vec<(i64, usize)> {
        self.delivered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Balancer lanes (posting connections at once) in the tests.
pub const LANES: usize = 4;

/// Posts `update` to the endpoint whose turn it is, or the next one that accepts it.
async fn post(client: &reqwest::Client, hooks: &[String], turn: usize, update: &Value) -> usize {
    for attempt in 0..hooks.len() * 400 {
        let target = (turn + attempt) % hooks.len();
        let sent = client
            .post(&hooks[target])
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(update)
            .send()
            .await;
        if sent.is_ok_and(|r| r.status().is_success()) {
            return target;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no instance accepted update {update}");
}

pub fn chat_of(update: &Value) -> i64 {
    let message = &update["message"];
    let message = if message.is_object() {
        message
    } else {
        &update["callback_query"]["message"]
    };
    message["chat"]["id"].as_i64().unwrap_or(0)
}

/// A counter from an instance's /metrics (after checking /healthz answers 200).
pub async fn metric(instance: &Instance, name: &str) -> f64 {
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{}/healthz", instance.metrics))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200, "healthz in webhook mode");
    let body = client
        .get(format!("http://{}/metrics", instance.metrics))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics body");
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}
