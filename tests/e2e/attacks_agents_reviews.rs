//! A student flooding the agents with review requests, from several chats of one account:
//! one open ticket per kind per account.

use crate::accounts::{World, register};
use crate::agents::{GROUP, agent_world_with};
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{Sent, TestUser};
use crate::support::mail::code_in;
use helpdesk::files::FileStore;
use helpdesk::store::Store;
use std::path::Path;

/// The demo roster in the database, then a bot with the agents' forum group.
async fn roster_agent_world(dir: &Path, url: &str, extra: &[(&str, &str)]) -> World {
    let store = Store::connect(url).await.expect("db");
    let today = chrono::Utc::now().date_naive();
    let files = FileStore::local(dir.join("files"));
    helpdesk::demo::load(&store, &files, &dir.join("roster"), 6, today, 1_000)
        .await
        .expect("roster");
    store.pool.close().await;
    agent_world_with(dir, url, "", extra).await
}

/// Signs `user`'s chat in to the account of `email` (phone `e164`), by SMS code.
pub(crate) async fn log_in(w: &World, user: &TestUser, email: &str, e164: &str) {
    let menu = w.say(user, "/start", "学信账号助手").await;
    w.press(user, &menu, "登录已有账号", "注册时使用的电子邮箱")
        .await;
    let channel = w.say(user, email, "校验码发送到哪里").await;
    let n = w.sms.received().iter().filter(|s| s.to == e164).count() + 1;
    w.press(user, &channel, "短信", "校验码已通过短信发送到")
        .await;
    let sms = w.sms.wait_for(e164, n, WAIT).await;
    w.say(user, &code_in(&sms.text), "登录成功").await;
    w.then(user, "学信账号助手").await;
}

/// The ticket number a message names (`#12`).
fn number_of(sent: &Sent) -> String {
    let text = sent.text.clone().unwrap_or_default();
    let after = text.split('#').nth(1).unwrap_or_default();
    after.chars().take_while(char::is_ascii_digit).collect()
}

/// From the main menu through the record check to a photo change request with a new photo.
async fn ask_for_a_new_photo(w: &World, user: &TestUser, photo: &str) -> Sent {
    // The menu that follows the last reply is paced a second behind it.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let menu = w.say(user, "/start", "学信账号助手").await;
    let info = w.press(user, &menu, "核对学籍信息", "是否全部正确").await;
    let question = w.press(user, &info, "信息正确", "毕业生照片").await;
    let reason = w.press(user, &question, "照片有误", "照片哪里不对").await;
    w.press(user, &reason, "不是本人", "可以上传").await;
    w.tg.user_photo(user, photo, 60_000, None);
    w.then(user, "已提交照片修改申请").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_photo_requests_from_two_chats_make_one_ticket_one_topic_one_card() {
    let scratch = Scratch::new("attack-review-flood");
    for (backend, url) in backends(&scratch.dir).await {
        let w = roster_agent_world(&scratch.dir.join(backend), &url, &[]).await;
        let (name, id, _) = helpdesk::demo::identities(1).remove(0);
        let (first, second) = (TestUser::new(63_001, ""), TestUser::new(63_002, ""));
        let email = "flood@example.com";
        register(&w, &first, email, &name, &id, "13900000063").await;
        let sent = ask_for_a_new_photo(&w, &first, "flood-1").await;
        let ticket = number_of(&sent);
        for n in 2..=4 {
            let again = ask_for_a_new_photo(&w, &first, &format!("flood-{n}")).await;
            assert_eq!(number_of(&again), ticket, "{backend}: the same ticket");
            assert!(
                texts(&w.tg, first.id)
                    .iter()
                    .filter(|t| t.contains("还在处理中"))
                    .count()
                    >= n - 1,
                "{backend}: the student is told the open ticket"
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        w.say(&first, "/human", "工单号").await;
        let human = texts(&w.tg, first.id).last().cloned().unwrap_or_default();
        // From another chat of the same account: still the same tickets.
        log_in(&w, &second, email, "+8613900000063").await;
        let fifth = ask_for_a_new_photo(&w, &second, "flood-5").await;
        assert_eq!(number_of(&fifth), ticket, "{backend}");
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        w.say(&second, "/human", "已有一个待处理的人工客服工单")
            .await;
        let store = Store::connect(&url).await.expect("db");
        let kinds: Vec<(String,)> = sqlx::query_as("SELECT kind FROM tickets ORDER BY id")
            .fetch_all(&store.pool)
            .await
            .expect("tickets");
        let kinds: Vec<&str> = kinds.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(kinds, ["photo", "human"], "{backend}: {human}");
        // The photos the student added are in the one topic; one card, one topic for it.
        for n in 2..=5 {
            let file = format!("flood-{n}");
            for _ in 0..100 {
                if w.tg
                    .sent(GROUP)
                    .iter()
                    .any(|s| s.body["photo"] == file.as_str())
                {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert!(
                w.tg.sent(GROUP)
                    .iter()
                    .any(|s| s.body["photo"] == file.as_str()),
                "{backend}: {file} reaches the topic"
            );
        }
        let cards =
            w.tg.sent(GROUP)
                .iter()
                .filter(|s| {
                    s.buttons()
                        .iter()
                        .any(|b| b.1 == format!("t:{ticket}:approve"))
                })
                .count();
        assert_eq!(cards, 1, "{backend}: one card");
        assert_eq!(
            w.tg.calls("createforumtopic").len(),
            2,
            "{backend}: photo + human"
        );
    }
}
