//! Webhook delivery, for several instances behind a load balancer: every webhook set is
//! kept, and waiting updates are posted to them in turn (update id modulo their number, so
//! each chat's updates reach every instance), up to [`CONNECTIONS`] at once as Telegram's
//! `max_connections` default allows, each until an instance answers 200.

use crate::server::Shared;
use crate::{AbortOnDrop, FakeTelegram};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Webhook requests in flight at once (Telegram's default `max_connections`).
const CONNECTIONS: usize = 40;
/// Updates taken from the queue at a time.
const PAGE: usize = 100;

/// The webhooks updates are posted to: (URL, secret token).
#[derive(Default)]
pub(crate) struct Fanout {
    pub(crate) on: bool,
    pub(crate) hooks: Vec<(String, Option<String>)>,
}

impl Fanout {
    pub(crate) fn add(&mut self, url: &str, secret: Option<String>) {
        if !self.hooks.iter().any(|(known, _)| known == url) {
            self.hooks.push((url.to_owned(), secret));
        }
    }
}

impl FakeTelegram {
    /// Plays Telegram's webhook delivery in front of several instances from now on: each
    /// webhook an instance sets (plain `http://` allowed, for loopback) joins the others
    /// instead of replacing them, deleteWebhook forgets none (instances stopping one by one
    /// do not take the others' updates away), and waiting updates are posted to them in turn.
    pub fn deliver_to_webhooks(&self) {
        self.lock().fanout.on = true;
        let task = tokio::spawn(run(self.shared.clone()));
        if let Ok(mut pusher) = self.pusher.lock() {
            *pusher = Some(AbortOnDrop(task));
        }
    }
}

/// Posts updates to the webhooks set so far, page by page, until the fake stops.
async fn run(shared: Arc<Shared>) {
    let client = reqwest::Client::new();
    let connections = Arc::new(Semaphore::new(CONNECTIONS));
    loop {
        let arrived = shared.updates.notified();
        tokio::pin!(arrived);
        arrived.as_mut().enable();
        let (hooks, page) = {
            let mut st = shared.lock();
            let hooks = st.fanout.hooks.clone();
            let page = if hooks.is_empty() {
                Vec::new()
            } else {
                st.take_page(PAGE)
            };
            (hooks, page)
        };
        if page.is_empty() {
            tokio::select! {
                _ = &mut arrived => {}
                _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            }
            continue;
        }
        let mut posts = JoinSet::new();
        for update in page {
            let id = update.get("update_id").and_then(Value::as_i64).unwrap_or(0);
            let hook = hooks[usize::try_from(id).unwrap_or(0) % hooks.len()].clone();
            let (client, connections) = (client.clone(), connections.clone());
            posts.spawn(async move {
                let Ok(_permit) = connections.acquire_owned().await else {
                    return;
                };
                post_until_accepted(&client, &hook, &update).await;
            });
        }
        while posts.join_next().await.is_some() {}
    }
}

/// One update to one webhook, again after a pause until the instance answers 200.
async fn post_until_accepted(
    client: &reqwest::Client,
    hook: &(String, Option<String>),
    update: &Value,
) {
    let (url, secret) = hook;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let mut post = client.post(url).json(update);
        if let Some(secret) = secret {
            post = post.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let sent = post.timeout(Duration::from_secs(10)).send().await;
        if sent.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tracing::error!(
        url,
        "fake telegram: a webhook refused an update for a minute; dropped"
    );
}
