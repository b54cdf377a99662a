//! The foundation: menus in the student's language, flows by buttons and text, restarts,
//! duplicate updates, Telegram errors, crashes between intake and processing, the webhook.

use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, Fault, Sent, TestUser};
use serde_json::{Value, json};
use std::time::Duration;

/// The callback data of the button labelled `label` in `sent`.
pub fn button(sent: &Sent, label: &str) -> String {
    sent.buttons()
        .into_iter()
        .find(|(text, _)| text.contains(label))
        .map(|(_, data)| data)
        .unwrap_or_else(|| panic!("no button `{label}` in {:?}", sent.buttons()))
}

/// A raw private-chat text update with a chosen id.
pub fn text_update(update_id: i64, user_id: i64, text: &str) -> Value {
    let mut message = json!({
        "message_id": update_id, "date": 0,
        "chat": { "id": user_id, "type": "private", "first_name": "Test" },
        "from": { "id": user_id, "is_bot": false, "first_name": "Test" },
        "text": text,
    });
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .map(|w| w.encode_utf16().count())
            .unwrap_or(0);
        message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": len }]);
    }
    json!({ "update_id": update_id, "message": message })
}

/// Texts the bot sent to a chat, in order.
pub fn texts(tg: &FakeTelegram, chat: i64) -> Vec<String> {
    tg.sent(chat)
        .into_iter()
        .filter_map(|s| s.text.or(s.caption))
        .collect()
}

fn count_containing(tg: &FakeTelegram, chat: i64, needle: &str) -> usize {
    texts(tg, chat)
        .iter()
        .filter(|t| t.contains(needle))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_shows_the_menu_in_the_students_language() {
    let scratch = Scratch::new("menu");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let (zh, en) = (TestUser::new(1001, ""), TestUser::new(1002, "en-GB"));
        tg.user_text(&zh, "/start");
        tg.user_text(&en, "/start");
        let menu = tg.wait_text(1001, "学信账号助手", WAIT).await;
        assert!(
            menu.buttons().iter().any(|(t, _)| t.contains("常见问题")),
            "{backend}"
        );
        let menu = tg.wait_text(1002, "student account assistant", WAIT).await;
        assert!(
            menu.buttons()
                .iter()
                .any(|(t, _)| t.contains("Questions and answers")),
            "{backend}"
        );
        let commands = tg.calls("setmycommands");
        assert_eq!(
            commands.len(),
            2,
            "{backend}: the command menu in both languages"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_is_walked_by_buttons_and_text() {
    let scratch = Scratch::new("walk");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let student = TestUser::new(2001, "zh-hans");
        tg.user_text(&student, "/start");
        let menu = tg.wait_text(2001, "学信账号助手", WAIT).await;
        tg.user_press(&student, menu.message_id, &button(&menu, "常见问题"));
        let faq = tg.wait_text(2001, "请选择与您情况相符的一项", WAIT).await;
        // The pressed button was answered and its keyboard taken away (tidying goes after
        // the answer: it yields to replies).
        tokio::time::timeout(WAIT, async {
            while tg.calls("answercallbackquery").is_empty() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the press is answered");
        tokio::time::timeout(WAIT, async {
            while !tg
                .calls("editmessagereplymarkup")
                .iter()
                .any(|c| c.body["message_id"] == json!(menu.message_id))
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the old keyboard is taken away");
        // Text on a menu that is no question the bot knows says so, and the step is kept.
        tg.user_text(&student, "你好");
        tg.wait_text(2001, "没能理解您的问题", WAIT).await;
        tg.user_press(&student, faq.message_id, &button(&faq, "证件号码已被注册"));
        tg.wait_text(2001, "表示系统中已有可用的账号", WAIT).await;
        // An old button (the first menu) gets a notice and changes nothing.
        let before = tg.sent(2001).len();
        tg.user_press(&student, menu.message_id, &button(&menu, "我的进度"));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            tg.sent(2001).len(),
            before,
            "{backend}: a stale button sends nothing new"
        );
        let answers = tg.calls("answercallbackquery");
        assert!(
            answers.iter().any(|c| c.body["text"]
                .as_str()
                .is_some_and(|t| t.contains("已过期"))),
            "{backend}"
        );
        // Switching language answers in English from then on.
        tg.user_text(&student, "/lang");
        let choose = tg
            .wait_text(2001, "Please choose your language", WAIT)
            .await;
        tg.user_press(&student, choose.message_id, &button(&choose, "English"));
        tg.wait_text(2001, "Language set to English", WAIT).await;
        tg.user_text(&student, "/help");
        tg.wait_text(2001, "Choose the one that matches your situation", WAIT)
            .await;
        // A sticker and an unknown command get specific answers.
        tg.user_sticker(&student);
        tg.wait_text(2001, "Please choose one of the buttons", WAIT)
            .await;
        tg.user_text(&student, "/nonsense");
        tg.wait_text(2001, "There is no /nonsense command", WAIT)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_mid_flow_resumes_at_the_same_step() {
    let scratch = Scratch::new("restart");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let mut bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let student = TestUser::new(3001, "");
        tg.user_text(&student, "/help");
        let faq = tg.wait_text(3001, "请选择与您情况相符的一项", WAIT).await;
        let status = bot.stop().expect("the bot was running");
        assert!(
            status.success(),
            "{backend}: SIGTERM ends the bot cleanly, got {status:?}"
        );
        bot.restart();
        tg.user_press(&student, faq.message_id, &button(&faq, "收不到校验码"));
        tg.wait_text(3001, "校验码 5 分钟内有效", WAIT).await;
        assert_eq!(
            count_containing(&tg, 3001, "请选择与您情况相符的一项"),
            1,
            "{backend}: nothing repeated"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicated_update_id_produces_one_reply() {
    let scratch = Scratch::new("dupe");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        // Both copies are waiting before the bot starts, so they arrive in one batch.
        tg.push_update(text_update(500, 4001, "/status"));
        tg.push_update(text_update(500, 4001, "/status"));
        tg.push_update(text_update(501, 4001, "/help"));
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        tg.wait_text(4001, "请选择与您情况相符的一项", WAIT).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            count_containing(&tg, 4001, "我的进度"),
            1,
            "{backend}: {:?}",
            texts(&tg, 4001)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_and_a_500_are_retried_and_the_reply_arrives_once() {
    let scratch = Scratch::new("faults");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        tg.inject("sendMessage", Fault::RetryAfter(2));
        tg.inject("sendMessage", Fault::Status(500));
        tg.inject("sendMessage", Fault::Drop);
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let student = TestUser::new(5001, "en");
        tg.user_text(&student, "/start");
        tg.wait_text(5001, "student account assistant", WAIT).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            count_containing(&tg, 5001, "student account assistant"),
            1,
            "{backend}"
        );
        let attempts: Vec<_> = tg.calls("sendmessage");
        let statuses: Vec<u16> = attempts.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [429, 500, 0, 200],
            "{backend}: each fault was met by a retry"
        );
        let waited = attempts[1].at.saturating_sub(attempts[0].at);
        assert!(
            waited >= Duration::from_millis(1900),
            "{backend}: retry_after honoured, waited {waited:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_refused_for_good_is_recorded_and_not_retried() {
    let scratch = Scratch::new("blocked");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let tg = FakeTelegram::start(TOKEN).await;
    let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir, &[]);
    tg.set_blocked(6001, true);
    tg.user_text(&TestUser::new(6001, ""), "/start");
    let other = TestUser::new(6002, "");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    tg.user_text(&other, "/start");
    tg.wait_text(6002, "学信账号助手", WAIT).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let to_blocked = tg
        .calls("sendmessage")
        .into_iter()
        .filter(|c| c.body["chat_id"] == json!(6001))
        .count();
    assert_eq!(to_blocked, 1, "a 403 is final");
    let store = helpdesk::store::Store::connect(&url).await.expect("db");
    let failed: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 2 AND lane = 'tg:6001'")
            .fetch_one(&store.pool)
            .await
            .expect("query");
    assert_eq!(failed.0, 1, "the refusal is recorded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_stored_but_not_handled_before_a_crash_is_handled_after_restart() {
    let scratch = Scratch::new("crash");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let mut bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        let student = TestUser::new(7001, "");
        tg.user_text(&student, "/start");
        tg.wait_text(7001, "学信账号助手", WAIT).await;
        bot.kill9();
        // What intake had stored when the process died: in the inbox, not yet handled.
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let inbound = helpdesk::message::Inbound {
            update_id: Some(9_000_001),
            chat_id: 7001,
            user_id: 7001,
            user_name: "Test".into(),
            language_code: None,
            message_id: Some(77),
            callback_id: None,
            place: helpdesk::message::Place::Private,
            input: helpdesk::dialogue::Input::Command(helpdesk::dialogue::Command::Help),
            meta: Default::default(),
        };
        let row = helpdesk::message::Arrival {
            update_id: 9_000_001,
            inbound,
        };
        helpdesk::store::inbox::insert_batch(&store, &[row], 0, None)
            .await
            .expect("insert");
        store.pool.close().await;
        bot.restart();
        tg.wait_text(7001, "请选择与您情况相符的一项", WAIT).await;
        // And killed right after Telegram was told the update arrived: handled once.
        tg.user_text(&student, "/status");
        let acked = tokio::time::timeout(WAIT, async {
            while tg.pending_updates() > 0 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
        .await;
        assert!(acked.is_ok(), "{backend}: the update was confirmed");
        bot.kill9();
        bot.restart();
        tg.wait_text(7001, "我的进度", WAIT).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let status_replies = count_containing(&tg, 7001, "我的进度");
        assert!(
            (1..=2).contains(&status_replies),
            "{backend}: got {status_replies}"
        );
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let handled: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM inbox WHERE chat_id = 7001 AND processed_at IS NOT NULL",
        )
        .fetch_one(&store.pool)
        .await
        .expect("query");
        assert_eq!(handled.0, 3, "{backend}: three updates, each handled once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_checks_its_secret_and_stores_before_answering() {
    let scratch = Scratch::new("webhook");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let listen = crate::support::balancer::free_port();
        let env = [
            ("WEBHOOK_URL", "https://bot.example.org/telegram/hook"),
            ("WEBHOOK_LISTEN", listen.as_str()),
            ("WEBHOOK_SECRET", "s3cret-token-0123"),
        ];
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &env);
        let client = reqwest::Client::new();
        let hook = format!("http://{listen}/telegram/hook");
        let update = text_update(800, 8001, "/start");
        let mut status = None;
        for _ in 0..100 {
            if let Ok(r) = client.post(&hook).json(&update).send().await {
                status = Some(r.status().as_u16());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(status, Some(401), "{backend}: no secret, no entry");
        assert_eq!(
            tg.webhook(),
            Some((
                "https://bot.example.org/telegram/hook".into(),
                Some("s3cret-token-0123".into())
            ))
        );
        for _ in 0..2 {
            let r = client
                .post(&hook)
                .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-token-0123")
                .json(&update)
                .send()
                .await
                .expect("post");
            assert_eq!(r.status().as_u16(), 200, "{backend}");
        }
        tg.wait_text(8001, "学信账号助手", WAIT).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            count_containing(&tg, 8001, "学信账号助手"),
            1,
            "{backend}: the same update twice, one reply"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_metrics_are_served() {
    let scratch = Scratch::new("ops");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let tg = FakeTelegram::start(TOKEN).await;
    let listen = crate::support::balancer::free_port();
    let _bot = Bot::start(
        &tg.api_url(),
        &url,
        &scratch.dir,
        &[("METRICS_LISTEN", listen.as_str())],
    );
    tg.user_text(&TestUser::new(9001, ""), "/start");
    tg.wait_text(9001, "学信账号助手", WAIT).await;
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{listen}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    let mut metrics = String::new();
    for _ in 0..50 {
        metrics = client
            .get(format!("http://{listen}/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("body");
        if metrics.contains("helpdesk_replies_sent_total 1")
            || metrics.contains("helpdesk_replies_sent_total 2")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        metrics.contains("helpdesk_updates_handled_total 1"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("helpdesk_replies_sent_total 0"),
        "{metrics}"
    );
    assert!(
        metrics.contains("helpdesk_handling_seconds_count 1")
            && metrics.contains("helpdesk_outbox_depth"),
        "{metrics}"
    );
}
