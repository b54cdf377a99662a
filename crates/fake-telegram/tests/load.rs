//! The load mode and the webhook delivery the benchmark uses, over HTTP as the bot calls them.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use fake_telegram::{FakeTelegram, TestUser};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "123456:TEST-token_for_the_fake";

async fn call(fake: &FakeTelegram, method: &str, body: Value) -> Value {
    let url = format!("{}/bot{TOKEN}/{method}", fake.api_url());
    let answer = reqwest::Client::new().post(url).json(&body).send().await;
    answer
        .expect("the fake answers")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn load_mode_counts_calls_keeps_replies_and_accepts_unkept_messages() {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_load_mode(true);
    fake.set_rate_limits(false);
    let user = TestUser::new(7, "");
    fake.user_text(&user, "/start");
    let first = call(&fake, "getUpdates", json!({ "offset": 0 })).await;
    assert_eq!(first["result"][0]["update_id"], json!(1));
    let entity = &first["result"][0]["message"]["entities"][0];
    assert_eq!(entity["type"], json!("bot_command"));
    // Not confirmed yet: handed out again, its wait counted once.
    let again = call(&fake, "getUpdates", json!({ "offset": 0 })).await;
    assert_eq!(again["result"].as_array().map(Vec::len), Some(1));
    assert_eq!(fake.fetch_waits().len(), 1);

    let count = fake.subscribe(7);
    let keyboard =
        json!({ "inline_keyboard": [[{ "text": "A", "callback_data": "b:1:register" }]] });
    let sent = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 7, "text": "menu", "reply_markup": keyboard }),
    )
    .await;
    let menu = sent["result"]["message_id"].as_i64().expect("a message id");
    assert_eq!(*count.borrow(), 1);
    let replies = fake.replies(7, 0);
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].message_id, menu);
    assert_eq!(replies[0].buttons, vec!["b:1:register".to_string()]);
    assert_eq!(replies[0].text, None, "texts only for the traced chat");
    fake.trace(8);
    call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 8, "text": "hello" }),
    )
    .await;
    assert_eq!(fake.replies(8, 0)[0].text.as_deref(), Some("hello"));

    // Messages are not kept: edits and deletions of any of them succeed.
    let edit = json!({ "chat_id": 7, "message_id": menu });
    let edited = call(&fake, "editMessageReplyMarkup", edit).await;
    assert_eq!(edited["ok"], json!(true), "{edited}");
    let deleted = call(
        &fake,
        "deleteMessage",
        json!({ "chat_id": 7, "message_id": 99 }),
    )
    .await;
    assert_eq!(deleted["ok"], json!(true), "{deleted}");
    fake.user_press(&user, menu, "b:1:register");
    let press = call(&fake, "getUpdates", json!({ "offset": 2 })).await;
    let message = &press["result"][0]["callback_query"]["message"];
    assert_eq!(message["from"]["is_bot"], json!(true), "{press}");
    assert_ne!(message["date"], json!(0), "an accessible message");

    let counts = fake.call_counts();
    assert_eq!(counts.get("getupdates"), Some(&3));
    assert_eq!(counts.get("sendmessage"), Some(&2));
    assert!(fake.calls("*").is_empty() && fake.sent(7).is_empty());
    assert_eq!(fake.updates_pushed(), 2);
}

#[tokio::test]
async fn without_load_mode_replies_are_kept_beside_the_sent_messages() {
    let fake = FakeTelegram::start(TOKEN).await;
    call(&fake, "sendMessage", json!({ "chat_id": 5, "text": "hi" })).await;
    assert_eq!(fake.sent(5).len(), 1);
    assert_eq!(fake.replies(5, 0)[0].text.as_deref(), Some("hi"));
    assert_eq!(fake.calls("sendmessage").len(), 1);
}

#[tokio::test]
async fn the_sms_gateway_accepts_and_counts() {
    let fake = FakeTelegram::start(TOKEN).await;
    let url = format!("{}/sms", fake.api_url());
    let answer = reqwest::Client::new()
        .post(url)
        .json(&json!({ "to": "+8613900000001", "text": "123456" }))
        .send()
        .await
        .expect("the gateway answers");
    assert!(answer.status().is_success());
    assert_eq!(fake.sms_count(), 1);
}

type Received = Arc<Mutex<Vec<(i64, Option<String>)>>>;

/// A webhook endpoint on loopback that notes the id and secret of every update posted to it.
async fn endpoint() -> (String, Received) {
    async fn take(State(seen): State<Received>, headers: HeaderMap, body: String) {
        let update: Value = serde_json::from_str(&body).unwrap_or_default();
        let secret = headers
            .get("X-Telegram-Bot-Api-Secret-Token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let id = update["update_id"].as_i64().unwrap_or(-1);
        seen.lock().expect("lock").push((id, secret));
    }
    let seen = Received::default();
    let app = Router::new()
        .route("/hook", post(take))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn updates_are_posted_to_every_webhook_in_turn() {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_load_mode(true);
    fake.deliver_to_webhooks();
    let (first, seen_first) = endpoint().await;
    let (second, seen_second) = endpoint().await;
    for (url, secret) in [(&first, "secret-one"), (&second, "secret-two")] {
        let set = call(
            &fake,
            "setWebhook",
            json!({ "url": url, "secret_token": secret }),
        )
        .await;
        assert_eq!(set["ok"], json!(true), "{set}");
    }
    let polled = call(&fake, "getUpdates", json!({})).await;
    assert_eq!(polled["error_code"], json!(409));
    let user = TestUser::new(9, "");
    for text in ["a", "b", "c", "d"] {
        fake.user_text(&user, text);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let total =
        || seen_first.lock().map_or(0, |s| s.len()) + seen_second.lock().map_or(0, |s| s.len());
    while total() < 4 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut one = seen_first.lock().expect("lock").clone();
    let mut two = seen_second.lock().expect("lock").clone();
    one.sort();
    two.sort();
    let secret = |s: &str| Some(s.to_string());
    assert_eq!(
        one,
        vec![(2, secret("secret-one")), (4, secret("secret-one"))]
    );
    assert_eq!(
        two,
        vec![(1, secret("secret-two")), (3, secret("secret-two"))]
    );
    assert_eq!(fake.fetch_waits().len(), 4);
    assert_eq!(fake.pending_updates(), 0);
}
