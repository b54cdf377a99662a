//! Unit tests of the bench's fake Bot API and figures.

use super::fake_json::{Params, params};
use super::fake_state::Inner;
use super::report::percentile;
use axum::http::{HeaderMap, HeaderValue, header};
use serde_json::json;
use std::time::Duration;
use tokio::time::Instant;

#[tokio::test]
async fn get_updates_forgets_below_the_offset_and_hands_out_the_rest() {
    let mut inner = Inner::new(false);
    for text in ["/start", "a", "b"] {
        inner.offer_text(7, text);
    }
    let now = Instant::now();
    let first = inner.take(0, 2, now);
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["update_id"], json!(1));
    assert_eq!(
        first[0]["message"]["entities"][0]["type"],
        json!("bot_command")
    );
    // Not confirmed yet: the same updates come again.
    assert_eq!(inner.take(0, 100, now).len(), 3);
    let rest = inner.take(3, 100, now);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["update_id"], json!(3));
    assert!(inner.take(4, 100, now).is_empty());
    assert_eq!(
        inner.fetch_waits.len(),
        3,
        "each update's wait is counted once"
    );
}

#[tokio::test]
async fn limits_allow_a_burst_then_answer_retry_after() {
    let mut inner = Inner::new(true);
    let now = Instant::now();
    let send = Params::from_iter([("text".to_string(), json!("hi"))]);
    for _ in 0..3 {
        assert!(inner.send(1, "sendmessage", &send, now).is_ok());
    }
    assert_eq!(inner.send(1, "sendmessage", &send, now), Err(1));
    let later = now + Duration::from_millis(1000);
    assert!(inner.send(1, "sendmessage", &send, later).is_ok());
    // 30 a second overall: other chats are refused once 30 went out in the last second.
    let mut refused = 0;
    for chat in 2..40 {
        if inner.send(chat, "sendmessage", &send, later).is_err() {
            refused += 1;
        }
    }
    assert_eq!(
        refused,
        38 - 29,
        "one send in this second already, 29 more fit"
    );
}

#[tokio::test]
async fn sent_buttons_are_recorded_for_the_student() {
    let mut inner = Inner::new(false);
    let send = Params::from_iter([
        ("text".to_string(), json!("menu")),
        (
            "reply_markup".to_string(),
            json!({ "inline_keyboard": [[{ "text": "A", "callback_data": "b:1:register" }]] }),
        ),
    ]);
    let message = inner.send(5, "sendmessage", &send, Instant::now());
    assert_eq!(message.map(|m| m["message_id"].clone()), Ok(json!(1)));
    let replies = &inner.chat(5).replies;
    assert_eq!(replies[0].buttons, vec!["b:1:register".to_string()]);
}

#[test]
fn multipart_fields_are_read() {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("multipart/form-data; boundary=X"),
    );
    let body = "--X\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n--X\r\n\
        Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\u{ff}\r\n--X\r\n\
        Content-Disposition: form-data; name=\"reply_markup\"\r\n\r\n{\"inline_keyboard\":[]}\r\n--X--\r\n";
    let p = params(&headers, body.as_bytes());
    assert_eq!(p.get("chat_id"), Some(&json!("42")));
    assert_eq!(p.get("photo"), Some(&json!("<file>")));
    assert_eq!(
        p.get("reply_markup"),
        Some(&json!({ "inline_keyboard": [] }))
    );
}

#[test]
fn percentiles_use_the_nearest_rank() {
    let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
    assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(50));
    assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
    assert_eq!(percentile(&sorted, 100.0), Duration::from_millis(100));
    assert_eq!(percentile(&[], 50.0), Duration::ZERO);
}
