//! Webhook delivery by the fake Bot API, for several instances behind a load balancer: once
//! webhooks are set, waiting updates are posted to them in turn (update id modulo their
//! number, so each chat's updates reach every instance), up to [`CONNECTIONS`] at once as
//! Telegram's `max_connections` default allows, each until an instance answers 200.

use super::fake::Shared;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Webhook requests in flight at once (Telegram's default `max_connections`).
const CONNECTIONS: usize = 40;
/// Updates taken from the queue at a time.
const PAGE: i64 = 100;

/// Posts updates to the webhooks set so far, page by page, until the fake stops.
pub async fn run(shared: Arc<Shared>) {
    let client = reqwest::Client::new();
    let connections = Arc::new(Semaphore::new(CONNECTIONS));
    let mut offset = 0;
    loop {
        let arrived = shared.arrived.notified();
        tokio::pin!(arrived);
        arrived.as_mut().enable();
        let hooks = shared.hooks();
        let page = if hooks.is_empty() {
            Vec::new()
        } else {
            shared.take(offset, PAGE)
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
            offset = offset.max(id + 1);
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
async fn post_until_accepted(client: &reqwest::Client, hook: &(String, String), update: &Value) {
    let (url, secret) = hook;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let sent = client
            .post(url)
            .header("X-Telegram-Bot-Api-Secret-Token", secret)
            .json(update)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        if sent.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tracing::error!(
        url,
        "bench: a webhook refused an update for a minute; dropped"
    );
}
