//! Registration-season bursts under Telegram's limits, which the fake enforces: a crowd
//! writing at once is answered without a 429, each chat in order; a student whose answer
//! waits long is told first, once, in their language; edits count like messages; tickets of
//! a kind with several agents' groups spread over them and stay in theirs.

use crate::agents::{GROUP, agent_world_with};
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
        // answers with a new message, or turns the pressed message into the answer (an edit
        // too), more than a chat's burst of three within a second.
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
        // Tidying yields to the answers, so the old buttons go once the answers went.
        let edits = tokio::time::timeout(WAIT, async {
            loop {
                let mut edits = tg.calls("editmessagereplymarkup");
                edits.extend(tg.calls("editmessagetext"));
                if edits.len() >= 6 {
                    return edits;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("the old buttons are cleared or edited");
        assert!(
            edits.iter().all(|c| c.status == 200) && tg.count_429() == 0,
            "{backend}: every edit within the chat's limit"
        );
    }
}

/// The number in "#N" of a text.
fn ticket_number(text: &str) -> String {
    text.split('#')
        .nth(1)
        .map(|s| s.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_of_a_kind_spread_over_its_groups_and_stay_in_theirs() {
    let scratch = Scratch::new("bursts-groups");
    for (backend, url) in backends(&scratch.dir).await {
        let second = GROUP - 1;
        let routes = format!("human={GROUP},human={second}");
        let env = [
            ("AGENT_GROUPS", routes.as_str()),
            ("TELEGRAM_GROUP_WINDOW", "3s"),
            ("RUST_LOG", "warn"),
        ];
        let w = agent_world_with(&scratch.dir.join(backend), &url, "", &env).await;
        w.tg.set_forum(second);
        w.tg.set_group_window(Duration::from_secs(3));
        let students: Vec<TestUser> = (0..8).map(|i| TestUser::new(7_200_000 + i, "")).collect();
        for student in &students {
            w.tg.user_text(student, "/human");
        }
        let cards = |group: i64| -> Vec<_> {
            w.tg.sent(group)
                .into_iter()
                .filter(|s| s.text.as_deref().is_some_and(|t| t.contains("工单 #")))
                .collect()
        };
        tokio::time::timeout(WAIT, async {
            while cards(GROUP).len() + cards(second).len() < students.len() {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("every ticket's card is shown");
        let (first, other) = (cards(GROUP), cards(second));
        assert!(
            !first.is_empty() && !other.is_empty(),
            "{backend}: both groups take tickets: {} / {}",
            first.len(),
            other.len()
        );
        // What a student writes next goes to the topic of their ticket, in its group.
        for (i, student) in students.iter().enumerate() {
            let told = w.tg.wait_text(student.id, "工单号", WAIT).await;
            let ticket = ticket_number(&told.text.unwrap_or_default());
            let note = format!("补充说明 {i}");
            w.tg.user_text(student, &note);
            let (group, card) = [(GROUP, &first), (second, &other)]
                .into_iter()
                .find_map(|(g, cards)| {
                    let card = cards
                        .iter()
                        .find(|c| ticket_number(c.text.as_deref().unwrap_or_default()) == ticket)?;
                    Some((g, card.clone()))
                })
                .unwrap_or_else(|| panic!("{backend}: a card for ticket #{ticket}"));
            let relayed = w.tg.wait_text(group, &note, WAIT).await;
            assert_eq!(relayed.thread_id, card.thread_id, "{backend}: in its topic");
        }
        assert_eq!(
            w.tg.count_429(),
            0,
            "{backend}: within both groups' budgets"
        );
    }
}
