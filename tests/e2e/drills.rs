//! Drills: SIGKILL at random moments while students walk their flows, a Bot API that fails
//! a share of calls, getUpdates failing for a while, the SMTP server down and back, every
//! odd kind of update, and a flooding chat.

use crate::accounts::World;
use crate::pipeline::{button, text_update, texts};
use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{Chaos, FakeTelegram, Fault, TestUser};
use crate::support::mail::code_in;
use serde_json::json;
use std::time::Duration;

/// A drill's size: `DRILL_CHATS` / `DRILL_KILLS` raise it for local runs at large size.
pub(crate) fn drill_size(name: &str, ci_default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ci_default)
}

/// One student's walk: each step's input and a text its reply contains.
pub(crate) async fn walk(tg: &FakeTelegram, user: &TestUser) {
    let wait = Duration::from_secs(60);
    tg.user_text(user, "/start");
    let menu = tg.wait_text(user.id, "学信账号助手", wait).await;
    tg.user_press(user, menu.message_id, &button(&menu, "常见问题"));
    let faq = tg
        .wait_text(user.id, "请选择与您情况相符的一项", wait)
        .await;
    tg.user_press(user, faq.message_id, &button(&faq, "收不到校验码"));
    tg.wait_text(user.id, "校验码 5 分钟内有效", wait).await;
    tg.user_text(user, "/status");
    tg.wait_text(user.id, "我的进度", wait).await;
    tg.user_text(user, "/lang");
    tg.wait_text(user.id, "Please choose your language", wait)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_drill_sigkill_at_random_moments_loses_and_repeats_nothing() {
    let scratch = Scratch::new("drill-crash");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let mut bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let chats = drill_size("DRILL_CHATS", 12);
        let kill_count = drill_size("DRILL_KILLS", 20);
        let students: Vec<TestUser> = (0..chats)
            .map(|i| TestUser::new(50_000 + i as i64, ""))
            .collect();
        let walks = students.iter().map(|s| walk(&tg, s));
        let mut kill_times = Vec::new();
        let kills = async {
            let mut seed = 0x2545_F491_4F6C_DD1D_u64;
            for _ in 0..kill_count {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                tokio::time::sleep(Duration::from_millis(150 + seed % 600)).await;
                kill_times.push(tg.elapsed());
                bot.restart();
            }
        };
        tokio::join!(futures_join(walks), kills);
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let mut duplicates = 0;
        for s in &students {
            // /start, FAQ, its answer and /lang each showed one prompt; /status changed nothing.
            let (node, version): (String, i64) =
                sqlx::query_as("SELECT node, version FROM chat_state WHERE chat_id = $1")
                    .bind(s.id)
                    .fetch_one(&store.pool)
                    .await
                    .expect("state");
            assert_eq!(
                (node.as_str(), version),
                ("lang.choose", 4),
                "{backend}: chat {} was handled exactly once per update",
                s.id
            );
            for needle in [
                "学信账号助手",
                "请选择与您情况相符的一项",
                "校验码 5 分钟内有效",
                "我的进度",
                "Please choose your language",
            ] {
                let sends = send_times(&tg, s.id, needle);
                assert!(!sends.is_empty(), "{backend}: chat {}: {needle} lost", s.id);
                // A reply sent just before a kill, not yet marked sent, goes out once more
                // after the restart: every repeat must have a kill between it and the one before.
                for pair in sends.windows(2) {
                    assert!(
                        kill_times
                            .iter()
                            .any(|k| pair[0] <= *k + Duration::from_millis(50) && *k <= pair[1]),
                        "{backend}: chat {}: {needle} repeated at {:?} and {:?} with no kill between",
                        s.id,
                        pair[0],
                        pair[1]
                    );
                }
                duplicates += sends.len() - 1;
            }
        }
        eprintln!(
            "crash drill {backend}: {chats} chats, {kill_count} kills, replies lost 0, duplicates {duplicates}"
        );
        let pending: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL")
                .fetch_one(&store.pool)
                .await
                .expect("q");
        assert_eq!(pending.0, 0, "{backend}");
    }
}

/// When the fake accepted each message to `chat` containing `needle`.
fn send_times(tg: &FakeTelegram, chat: i64, needle: &str) -> Vec<Duration> {
    // A pressed step's answer may come as an edit of the pressed message.
    let mut calls = tg.calls("sendMessage");
    calls.extend(tg.calls("editMessageText"));
    calls.sort_by_key(|c| c.at);
    calls
        .into_iter()
        .filter(|c| c.status == 200 && chat_of(&c.body) == Some(chat))
        .filter(|c| c.body["text"].as_str().is_some_and(|t| t.contains(needle)))
        .map(|c| c.at)
        .collect()
}

fn chat_of(body: &serde_json::Value) -> Option<i64> {
    let id = &body["chat_id"];
    id.as_i64()
        .or_else(|| id.as_str().and_then(|s| s.parse().ok()))
}

/// Runs every walk at once (students do not wait for each other).
pub(crate) async fn futures_join<F: std::future::Future<Output = ()>>(
    walks: impl Iterator<Item = F>,
) {
    futures_util::future::join_all(walks).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_drill_429s_5xx_drops_and_failing_get_updates_lose_nothing() {
    let scratch = Scratch::new("drill-faults");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let tg = FakeTelegram::start(TOKEN).await;
    for _ in 0..5 {
        tg.inject("getUpdates", Fault::Status(502));
    }
    tg.inject("getUpdates", Fault::Drop);
    tg.set_chaos(Some(Chaos {
        p429: 0.1,
        p500: 0.1,
        pdrop: 0.05,
        seed: 7,
    }));
    let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir, &[]);
    let chats = drill_size("DRILL_CHATS", 8);
    let students: Vec<TestUser> = (0..chats)
        .map(|i| TestUser::new(51_000 + i as i64, ""))
        .collect();
    futures_join(students.iter().map(|s| walk(&tg, s))).await;
    let faults = |status: u16| tg.calls("*").iter().filter(|c| c.status == status).count();
    eprintln!(
        "fault drill: {chats} chats, faults injected: {} × 429, {} × 5xx, {} dropped connections; replies lost 0",
        tg.count_429(),
        faults(500) + faults(502),
        faults(0)
    );
    for s in &students {
        for needle in ["学信账号助手", "请选择与您情况相符的一项", "我的进度"]
        {
            let n = texts(&tg, s.id)
                .iter()
                .filter(|t| t.contains(needle))
                .count();
            assert_eq!(n, 1, "chat {}: {needle}", s.id);
        }
    }
    assert!(tg.count_429() > 0, "the drill did inject 429s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_the_smtp_server_is_down_and_goes_when_it_is_back() {
    let scratch = Scratch::new("drill-smtp");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = World::start(&scratch.dir, &url).await;
    w.smtp.set_down(true);
    let student = TestUser::new(52_001, "");
    let menu = w.say(&student, "/start", "学信账号助手").await;
    w.press(&student, &menu, "注册账号", "电子邮箱").await;
    w.say(&student, "late@example.com", "6 位激活码").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(w.smtp.received().is_empty(), "refused while down");
    w.smtp.set_down(false);
    let mail = w
        .smtp
        .wait_for("late@example.com", 1, Duration::from_secs(60))
        .await;
    w.say(&student, &code_in(&mail.body), "证件类型").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_odd_update_gets_a_sensible_answer_or_is_ignored() {
    let scratch = Scratch::new("drill-odd");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let tg = FakeTelegram::start(TOKEN).await;
    let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir, &[]);
    let user = TestUser::new(53_001, "");
    tg.user_text(&user, "/help");
    let faq = tg
        .wait_text(user.id, "请选择与您情况相符的一项", WAIT)
        .await;
    let from = json!({ "id": user.id, "is_bot": false, "first_name": "T" });
    let chat = json!({ "id": user.id, "type": "private", "first_name": "T" });
    let message = |extra: serde_json::Value| {
        let mut m = json!({ "message_id": 9, "date": 0, "chat": chat, "from": from });
        if let (Some(m), Some(e)) = (m.as_object_mut(), extra.as_object()) {
            m.extend(e.clone());
        }
        m
    };
    let odd = [
        json!({ "message": message(json!({ "voice": { "file_id": "v", "file_unique_id": "v", "duration": 1 } })) }),
        json!({ "message": message(json!({ "location": { "latitude": 39.9, "longitude": 116.4 } })) }),
        json!({ "message": message(json!({ "contact": { "phone_number": "+8613800000000", "first_name": "X", "user_id": 1 } })) }),
        json!({ "message": message(json!({ "dice": { "emoji": "🎲", "value": 3 } })) }),
        json!({ "message": message(json!({ "poll": { "id": "p", "question": "?", "options": [], "total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false } })) }),
        json!({ "message": message(json!({ "text": "x".repeat(4096) })) }),
        json!({ "message": message(json!({ "text": "\u{200B}\u{202E}\u{0007}مرحبا" })) }),
        json!({ "message": message(json!({ "text": "/start@otherbot", "entities": [{ "type": "bot_command", "offset": 0, "length": 15 }] })) }),
        json!({ "edited_message": message(json!({ "text": "edited" })) }),
        json!({ "channel_post": { "message_id": 1, "date": 0, "chat": { "id": -100_555, "type": "channel", "title": "C" }, "text": "post" } }),
        json!({ "message": { "message_id": 2, "date": 0, "chat": { "id": -100_777, "type": "supergroup", "title": "G" }, "from": from, "text": "/start" } }),
        json!({ "my_chat_member": { "chat": chat, "from": from, "date": 0,
            "old_chat_member": { "user": from, "status": "member" }, "new_chat_member": { "user": from, "status": "kicked", "until_date": 0 } } }),
        json!({ "some_future_update": { "x": 1 } }),
        json!({ "callback_query": { "id": "forged-1", "chat_instance": "1", "from": from, "data": "t:1:approve" } }),
        json!({ "callback_query": { "id": "forged-2", "chat_instance": "1", "from": from, "data": "p:1:accept" } }),
        json!({ "callback_query": { "id": "forged-3", "chat_instance": "1", "from": from, "data": "\u{0000}garbage" } }),
    ];
    for update in odd {
        tg.push_update(update);
    }
    tg.user_press(&user, faq.message_id, &button(&faq, "收不到校验码"));
    tg.wait_text(user.id, "校验码 5 分钟内有效", WAIT).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let replies = texts(&tg, user.id);
    assert!(replies.iter().all(|t| t.chars().count() <= 4096));
    assert!(
        replies.iter().any(|t| t.contains("请点击下面的按钮")),
        "odd messages are pointed to the buttons"
    );
    assert!(
        tg.sent(-100_555).is_empty() && tg.sent(-100_777).is_empty(),
        "channels and other groups get nothing"
    );
    let answered = tg
        .calls("answercallbackquery")
        .iter()
        .filter(|c| {
            c.body["callback_query_id"]
                .as_str()
                .is_some_and(|i| i.starts_with("forged"))
        })
        .count();
    assert_eq!(answered, 3, "every callback query is answered");
    assert_eq!(tg.pending_updates(), 0, "everything was confirmed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_chat_is_told_once_and_then_dropped_until_calm() {
    let scratch = Scratch::new("drill-flood");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let tg = FakeTelegram::start(TOKEN).await;
    for i in 0..40 {
        tg.push_update(text_update(1000 + i, 54_001, "/status"));
    }
    let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir, &[]);
    tg.wait_text(54_001, "发送消息太快", Duration::from_secs(60))
        .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let replies = texts(&tg, 54_001);
    assert_eq!(
        replies
            .iter()
            .filter(|t| t.contains("发送消息太快"))
            .count(),
        1
    );
    assert_eq!(
        replies.iter().filter(|t| t.contains("我的进度")).count(),
        20
    );
}
