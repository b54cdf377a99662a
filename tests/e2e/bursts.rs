//! Registration-season bursts under Telegram's limits, which the fake enforces: a crowd
//! writing at once is answered without a 429, each chat in order; a student whose answer
//! waits long is told first, once, in their language; edits count like messages.

use crate::pipeline::button;
use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use std::time::Duration;

/// Students writing at once: more than 30 a second for ten seconds, so that some answers
/// wait longer than the notice's threshold however fast the bot handles them.
const CROWD: i64 = 450;
const FIRST: i64 = 7_000_000;

/// Waits until every chat of the crowd got its menu.
async fn every_menu(tg: &FakeTelegram, chats: impl Iterator<Item = i64> + Clone) {
    tokio::time::timeout(Duration::from_secs(180), async {
        loop {
            let missing = chats
                .clone()
                .filter(|chat| {
                    !tg.sent(*chat).iter().any(|s| {
                        s.text.as_deref().is_some_and(|t| {
                            t.contains("学信账号助手") || t.contains("student account assistant")
                        })
                    })
                })
                .count();
            if missing == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("every student gets the menu");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_is_answered_within_the_limits_and_told_first_when_it_waits() {
    let scratch = Scratch::new("bursts-crowd");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let env = [("RUST_LOG", "warn")];
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &env);
        let chats = FIRST..FIRST + CROWD;
        // Every third student's client speaks English.
        let english = |chat: i64| chat % 3 == 0;
        for chat in chats.clone() {
            let user = TestUser::new(chat, if english(chat) { "en" } else { "" });
            tg.user_text(&user, "/start");
        }
        every_menu(&tg, chats.clone()).await;
        let mut told = 0;
        for chat in chats {
            let sent = tg.sent(chat);
            let texts: Vec<String> = sent.iter().filter_map(|s| s.text.clone()).collect();
            let notices: Vec<usize> = texts
                .iter()
                .enumerate()
                .filter(|(_, t)| t.starts_with("排队中") || t.starts_with("You are in the queue"))
                .map(|(i, _)| i)
                .collect();
            assert!(notices.len() <= 1, "{backend}: told once: {texts:?}");
            if let Some(i) = notices.first() {
                told += 1;
                assert_eq!(*i, 0, "{backend}: the notice comes first: {texts:?}");
                let prefix = if english(chat) {
                    "You are in the queue, about "
                } else {
                    "排队中，约 "
                };
                assert!(
                    texts[0].starts_with(prefix),
                    "{backend}: in the student's language: {texts:?}"
                );
                assert!(
                    sent[0].buttons().is_empty(),
                    "{backend}: a notice has no buttons"
                );
            }
            assert_eq!(
                texts.len(),
                notices.len() + 1,
                "{backend}: one menu: {texts:?}"
            );
        }
        assert!(
            told > 0,
            "{backend}: some answers waited longer than ten seconds"
        );
        assert!(told < CROWD, "{backend}: the first answers did not wait");
        assert_eq!(tg.count_429(), 0, "{backend}: the bot kept to the limits");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_count_against_a_chats_limit_like_messages() {
    let scratch = Scratch::new("bursts-edits");
    for (backend, url) in backends(&scratch.dir).await {
        let tg = FakeTelegram::start(TOKEN).await;
        let _bot = Bot::start(
            &tg.api_url(),
            &url,
            &scratch.dir.join(backend),
            &[("RUST_LOG", "warn")],
        );
        let user = TestUser::new(7_100_001, "");
        // Pressing through menus quickly: each press clears the old buttons (an edit) and
        // answers with a new message, more than a chat's burst of three within a second.
        tg.user_text(&user, "/start");
        let (mut at, mut menu) = tg.wait_text_from(user.id, 0, "学信账号助手", WAIT).await;
        for _ in 0..3 {
            let faq = button(&menu, "常见问题");
            tg.user_press(&user, menu.message_id, &faq);
            let (next, answer) = tg.wait_text_from(user.id, at + 1, "常见问题", WAIT).await;
            let back = button(&answer, "主菜单");
            tg.user_press(&user, answer.message_id, &back);
            (at, menu) = tg
                .wait_text_from(user.id, next + 1, "学信账号助手", WAIT)
                .await;
        }
        let edits = tg.calls("editmessagereplymarkup");
        assert!(
            edits.len() >= 6,
            "{backend}: old buttons cleared: {}",
            edits.len()
        );
        assert!(
            edits.iter().all(|c| c.status == 200) && tg.count_429() == 0,
            "{backend}: every edit within the chat's limit"
        );
    }
}
