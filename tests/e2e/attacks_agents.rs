//! Attacks on the agents' side and on the operator's settings, each written as the attacker's
//! transcript: a forged button from another group, a removed agent, a flood of reviews,
//! deletion that must reach every chat and topic, secrets printed or guessed.

use crate::accounts::{World, register};
use crate::agents::{AGENT, GROUP, agent_world, agent_world_with, group_press, in_group};
use crate::agents_budget::ticket_of;
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::Sent;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;
use helpdesk::files::FileStore;
use helpdesk::store::Store;
use serde_json::json;
use std::path::Path;
use std::process::Command;

/// A second agents' group (escalations go there) and its agent, who is no member of [`GROUP`].
const OTHER: i64 = -1_001_000_000_002;
const AGENT2: i64 = 902;

/// `user` presses, in `chat`, a button whose data they wrote themselves.
fn forged_press(w: &crate::accounts::World, chat: i64, user: &TestUser, data: &str) -> String {
    let id = format!("forged-{}-{data}", user.id);
    w.tg.push_update(json!({ "callback_query": {
        "id": id, "chat_instance": "1", "data": data,
        "from": { "id": user.id, "is_bot": false, "first_name": user.first_name },
        "message": { "message_id": 1, "date": 0,
            "chat": { "id": chat, "type": "supergroup", "title": "Agents", "is_forum": true } },
    }}));
    id
}

/// The text the bot answered callback `id` with, once it has.
async fn answer_to(w: &crate::accounts::World, id: &str) -> String {
    for _ in 0..200 {
        let calls = w.tg.calls("answercallbackquery");
        if let Some(call) = calls.iter().find(|c| c.body["callback_query_id"] == id) {
            return call.body["text"].as_str().unwrap_or_default().to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("callback {id} never answered");
}

/// `helpdesk` with only `env` set, its stdout and stderr together, and whether it succeeded.
fn helpdesk(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdesk"));
    command.args(args).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("run helpdesk");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn help_never_prints_secrets_and_weak_secrets_stop_the_start() {
    let secrets = [
        (
            "DATABASE_URL",
            "postgres://bot:db-password-9f3@db.internal/helpdesk",
        ),
        ("SMTP_URL", "smtps://mailer:smtp-password-41c@mail.internal"),
        (
            "SMS_GATEWAY_URL",
            "https://gw.internal/send?key=sms-key-77a",
        ),
        ("SMS_GATEWAY_TOKEN", "sms-token-5e1"),
        ("TELOXIDE_TOKEN", "123456:TOKEN-value-abcdefghij"),
        ("CODE_SECRET", "code-secret-value-0123456789abcdefghij"),
        ("WEBHOOK_SECRET", "webhook-secret-value-2b"),
        ("WEBHOOK_URL", "https://bot.example.org/hook-path-c0ffee"),
    ];
    let (_, help) = helpdesk(&["--help"], &secrets);
    for (name, value) in secrets {
        assert!(!help.contains(value), "--help shows {name}: {help}");
    }
    // Against Telegram without a CODE_SECRET: refused, not a key generated into the database.
    let dir = std::env::temp_dir().join(format!("helpdesk-weak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite://{}", dir.join("weak.db").display());
    let base = [
        ("TELOXIDE_TOKEN", "123456:TOKEN-value-abcdefghij"),
        ("TELOXIDE_API_URL", "http://127.0.0.1:9"),
        ("DATABASE_URL", db.as_str()),
        (
            "DIALOGUES_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/dialogues"),
        ),
    ];
    let (ok, said) = helpdesk(&["run"], &base);
    assert!(!ok && said.contains("CODE_SECRET"), "{said}");
    let mut short = base.to_vec();
    short.push(("CODE_SECRET", "sixteen-chars-ok"));
    let (ok, said) = helpdesk(&["run"], &short);
    assert!(!ok && said.contains("32 bytes"), "{said}");
    let file = dir.join("code_secret");
    std::fs::write(&file, "short\n").expect("secret file");
    let mut from_file = base.to_vec();
    let file_name = file.display().to_string();
    from_file.push(("CODE_SECRET_FILE", file_name.as_str()));
    let (ok, said) = helpdesk(&["run"], &from_file);
    assert!(!ok && said.contains("CODE_SECRET"), "{said}");
    // A one-character webhook secret is refused, before anything listens.
    let mut hook = base.to_vec();
    hook.extend([
        ("CODE_SECRET", "code-secret-value-0123456789abcdefghij"),
        ("WEBHOOK_URL", "https://bot.example.org/hook"),
        ("WEBHOOK_LISTEN", "127.0.0.1:0"),
        ("WEBHOOK_SECRET", "s"),
    ]);
    let (ok, said) = helpdesk(&["run"], &hook);
    assert!(!ok && said.contains("WEBHOOK_SECRET"), "{said}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_an_agent_holds_the_chat_uploads_are_checked_before_they_are_relayed() {
    let scratch = Scratch::new("attack-relay-upload");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent) = (TestUser::new(61_001, ""), TestUser::new(AGENT, ""));
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        // A program named like a photo, then a file far over the size limit.
        let program = b"MZ\x90\x00\x03\x00\x00\x00 not a photo".to_vec();
        let len = program.len() as i64;
        w.tg.set_file("relay-program", program);
        w.tg.user_document(&student, "relay-program", "photo.jpg", "image/jpeg", len);
        w.then(&student, "内容不是照片或 PDF").await;
        let huge = 300 * 1024 * 1024;
        w.tg.user_document(&student, "relay-huge", "scan.pdf", "application/pdf", huge);
        w.then(&student, "文件太大了").await;
        w.tg.user_text(&student, "文字照常转达");
        in_group(&w.tg, "文字照常转达").await;
        let forwarded: Vec<String> =
            w.tg.sent(GROUP)
                .iter()
                .filter_map(|s| s.body["document"].as_str().map(str::to_string))
                .collect();
        assert!(
            !forwarded.iter().any(|f| f.starts_with("relay-")),
            "{backend}: refused uploads reached the agents: {forwarded:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_of_another_group_cannot_act_on_a_ticket_by_forging_its_button() {
    let scratch = Scratch::new("attack-other-group");
    for (backend, url) in backends(&scratch.dir).await {
        let rule = format!("escalation={OTHER}");
        let dir = scratch.dir.join(backend);
        let w = agent_world_with(&dir, &url, "", &[("AGENT_GROUPS", rule.as_str())]).await;
        w.tg.set_forum(OTHER);
        w.tg.set_chat_member(OTHER, AGENT2, "member");
        let (student, agent2) = (TestUser::new(62_001, ""), TestUser::new(AGENT2, ""));
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        let id = ticket_of(&card);
        // The other group's agent forges "take", "approve" and "close" for the first group's
        // ticket, from their own group where they are a member.
        for action in ["take", "approve", "close"] {
            let press = forged_press(&w, OTHER, &agent2, &format!("t:{id}:{action}"));
            let answer = answer_to(&w, &press).await;
            assert!(answer.contains("另一个客服群"), "{backend}: {answer}");
        }
        // /find and /stats in the other group know nothing of it.
        w.tg.group_text(OTHER, None, &agent2, &format!("/find #{id}"));
        w.tg.wait_text(OTHER, "没有找到", WAIT).await;
        w.tg.group_text(OTHER, None, &agent2, "/stats");
        let stats = w.tg.wait_text(OTHER, "统计", WAIT).await;
        assert!(
            stats.text.unwrap_or_default().contains("待处理：0"),
            "{backend}: the other group's figures count this ticket"
        );
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert!(
            !texts(&w.tg, student.id)
                .iter()
                .any(|t| t.contains("客服已接入") || t.contains("已关闭")),
            "{backend}: a forged button changed the ticket"
        );
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let (status,): (String,) = sqlx::query_as("SELECT status FROM tickets WHERE id = $1")
            .bind(id.parse::<i64>().expect("id"))
            .fetch_one(&store.pool)
            .await
            .expect("ticket");
        assert_eq!(status, "open", "{backend}");
        let refused: Vec<(String, String)> = sqlx::query_as(
            "SELECT actor, detail FROM audit WHERE action = 'agent_other_group_refused' ORDER BY id",
        )
        .fetch_all(&store.pool)
        .await
        .expect("audit");
        let actor = format!("user:{AGENT2}");
        assert_eq!(
            refused,
            ["take", "approve", "close"].map(|a| (actor.clone(), a.to_string())),
            "{backend}"
        );
    }
}

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
async fn log_in(w: &World, user: &TestUser, email: &str, e164: &str) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_agent_loses_rights_at_once_in_the_group_and_in_private() {
    let scratch = Scratch::new("attack-removed-agent");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        w.tg.set_chat_member(GROUP, AGENT2, "member");
        let (one, two) = (TestUser::new(64_001, ""), TestUser::new(64_002, ""));
        let (agent, agent2) = (TestUser::new(AGENT, ""), TestUser::new(AGENT2, ""));
        w.say(&one, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&one, "客服已接入").await;
        // Removed from the group a moment later, well within the five minutes remembered:
        // the close button is refused.
        w.tg.set_chat_member(GROUP, AGENT, "kicked");
        group_press(&w.tg, &agent, &card, "关闭");
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert!(
            !texts(&w.tg, one.id).iter().any(|t| t.contains("已关闭")),
            "{backend}: a removed agent closed the ticket"
        );
        // The second agent works a ticket from their private chat, then is removed.
        w.say(&two, "/human", "工单号").await;
        let card2 =
            w.tg.wait_text(
                GROUP,
                &format!("#{}", ticket_of(&card).parse::<i64>().unwrap_or(0) + 1),
                WAIT,
            )
            .await;
        let id2 = ticket_of(&card2);
        w.say(&agent2, &format!("/take {id2}"), "私聊中处理工单")
            .await;
        w.then(&two, "客服已接入").await;
        w.tg.user_text(&agent2, "私聊回复一");
        w.then(&two, "私聊回复一").await;
        w.tg.set_chat_member(GROUP, AGENT2, "left");
        w.say(&agent2, "私聊回复二", "您已不是这个客服群的成员")
            .await;
        w.then(&two, "机器人继续为您服务").await;
        in_group(&w.tg, "已不在客服群中").await;
        assert!(
            !texts(&w.tg, two.id)
                .iter()
                .any(|t| t.contains("私聊回复二")),
            "{backend}: a removed agent's private message reached the student"
        );
        // Nor can they close it now.
        w.tg.user_text(&agent2, "/close");
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let store = Store::connect(&url).await.expect("db");
        let statuses: Vec<(String,)> = sqlx::query_as("SELECT status FROM tickets ORDER BY id")
            .fetch_all(&store.pool)
            .await
            .expect("tickets");
        let statuses: Vec<&str> = statuses.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(statuses, ["in_progress", "open"], "{backend}");
        let (lost,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit WHERE action IN ('agent_action_refused', 'agent_rights_lost')",
        )
        .fetch_one(&store.pool)
        .await
        .expect("audit");
        assert_eq!(lost, 2, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_reaches_every_chat_of_the_account_and_the_agents_topics() {
    let scratch = Scratch::new("attack-deletion");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (holder, first, second) = (
            TestUser::new(65_001, ""),
            TestUser::new(65_002, ""),
            TestUser::new(65_003, ""),
        );
        let agent = TestUser::new(AGENT, "");
        let (email, phone, e164) = ("erase.me@example.com", "13800000652", "+8613800000652");
        register(
            &w,
            &holder,
            "holder@example.com",
            "张三",
            crate::accounts::ID,
            "13800000651",
        )
        .await;
        // From the first chat: an ID-scan review (its card and both scans in a topic), and a
        // human ticket an agent takes, with a document relayed into its topic.
        crate::duplicates::register_pending(&w, &first, email, phone).await;
        let options = crate::duplicates::dup_menu(&w, &first, "请选择一种方式").await;
        crate::duplicates::send_scans(&w, &first, &options, &url).await;
        let review_card = in_group(&w.tg, "证件").await;
        w.say(&first, "/human", "工单号").await;
        let human_card = in_group(&w.tg, "人工客服").await;
        group_press(&w.tg, &agent, &human_card, "接管");
        w.then(&first, "客服已接入").await;
        w.tg.user_document(&first, "erase-doc", "成绩单.pdf", "application/pdf", 20_000);
        for _ in 0..100 {
            if w.tg
                .sent(GROUP)
                .iter()
                .any(|s| s.body["document"] == "erase-doc")
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // Then from a second chat, signed in to the same account: delete my data.
        log_in(&w, &second, email, e164).await;
        let confirm = w.say(&second, "/delete_my_data", "无法恢复").await;
        let n = w.sms.received().iter().filter(|s| s.to == e164).count() + 1;
        w.press(&second, &confirm, "确认删除", "确认删除").await;
        let sms = w.sms.wait_for(e164, n, WAIT).await;
        w.say(&second, &code_in(&sms.text), "个人数据已删除").await;
        // The topics that showed the card, the scans and the relayed document are deleted.
        let topics: Vec<Option<i64>> = vec![review_card.thread_id, human_card.thread_id];
        for _ in 0..100 {
            let deleted = w.tg.calls("deleteforumtopic");
            if topics.iter().all(|t| {
                deleted
                    .iter()
                    .any(|c| c.body["message_thread_id"].as_i64() == *t)
            }) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let deleted = w.tg.calls("deleteforumtopic");
        for topic in &topics {
            assert!(
                deleted
                    .iter()
                    .any(|c| c.body["message_thread_id"].as_i64() == *topic),
                "{backend}: topic {topic:?} left in the agents' group"
            );
        }
        // No row holds the e-mail, phone, ID number or file ids (the holder's own account
        // keeps the ID number: it is theirs).
        let store = Store::connect(&url).await.expect("db");
        let needles = [
            email.to_string(),
            phone.to_string(),
            format!("front-{}", first.id),
            format!("back-{}", first.id),
            "erase-doc".to_string(),
        ];
        let columns = [
            "SELECT email || ' ' || name || ' ' || id_number || ' ' || phone FROM accounts WHERE email_norm <> 'holder@example.com'",
            "SELECT summary || ' ' || detail || ' ' || node FROM tickets",
            "SELECT id_number || ' ' || front || ' ' || back FROM reviews",
            "SELECT answers || ' ' || history FROM chat_state",
            "SELECT lane || ' ' || payload FROM outbox",
            "SELECT actor || ' ' || subject || ' ' || detail FROM audit",
        ];
        for sql in columns {
            let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&store.pool).await.expect(sql);
            for (row,) in &rows {
                for needle in &needles {
                    assert!(!row.contains(needle.as_str()), "{backend}: {sql}: {row}");
                }
                if !sql.contains("accounts") {
                    assert!(
                        !row.contains(crate::accounts::ID),
                        "{backend}: {sql}: {row}"
                    );
                }
            }
        }
        for (table, sql) in [
            ("relay_map", "SELECT COUNT(*) FROM relay_map"),
            ("reviews", "SELECT COUNT(*) FROM reviews"),
            (
                "the first chat's dialogue",
                "SELECT COUNT(*) FROM chat_state WHERE chat_id = 65002",
            ),
            (
                "the chats named in the audit trail",
                "SELECT COUNT(*) FROM audit WHERE actor IN ('chat:65002', 'chat:65003')",
            ),
            (
                "tickets naming the chats",
                "SELECT COUNT(*) FROM tickets WHERE chat_id IN (65002, 65003)",
            ),
        ] {
            let (count,): (i64,) = sqlx::query_as(sql).fetch_one(&store.pool).await.expect(sql);
            assert_eq!(count, 0, "{backend}: {table}");
        }
        let (erased,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE actor = 'erased'")
            .fetch_one(&store.pool)
            .await
            .expect("audit");
        assert!(erased > 1, "{backend}: the audit trail keeps what happened");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_scans_are_deleted_a_fixed_time_after_the_decision_and_old_limits_pruned() {
    let scratch = Scratch::new("attack-scan-retention");
    for (backend, url) in backends(&scratch.dir).await {
        let mut w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (holder, student) = (TestUser::new(66_001, ""), TestUser::new(66_002, ""));
        let agent = TestUser::new(AGENT, "");
        register(
            &w,
            &holder,
            "keeper@example.com",
            "张三",
            crate::accounts::ID,
            "13800000661",
        )
        .await;
        crate::duplicates::register_pending(&w, &student, "scanned@example.com", "13800000662")
            .await;
        let options = crate::duplicates::dup_menu(&w, &student, "请选择一种方式").await;
        crate::duplicates::send_scans(&w, &student, &options, &url).await;
        let card = in_group(&w.tg, "证件审核").await;
        group_press(&w.tg, &agent, &card, "通过");
        w.then(&student, "审核<b>已通过</b>").await;
        let store = Store::connect(&url).await.expect("db");
        let scans = |store: Store| async move {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM reviews WHERE front LIKE '%front-66002%' OR back LIKE '%back-66002%'",
            )
            .fetch_one(&store.pool)
            .await
            .expect("reviews");
            let (t,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM tickets WHERE detail LIKE '%front-66002%'")
                    .fetch_one(&store.pool)
                    .await
                    .expect("tickets");
            n + t
        };
        for (at, key) in [(0_i64, "old-limit"), (i64::MAX / 2, "recent-limit")] {
            sqlx::query("INSERT INTO limit_events (kind, key, at) VALUES ('test', $1, $2)")
                .bind(key)
                .bind(at)
                .execute(&store.pool)
                .await
                .expect("limit event");
        }
        // 29 days later the scans are still there; after 31 they are gone, with the topic.
        w.advance(29 * 86_400);
        w.bot.restart();
        w.say(&holder, "/start", "学信账号助手").await;
        assert_eq!(
            scans(store.clone()).await,
            2,
            "{backend}: kept within the retention"
        );
        assert!(w.tg.calls("deleteforumtopic").is_empty(), "{backend}");
        w.advance(2 * 86_400 + 60);
        w.bot.restart();
        w.say(&holder, "/start", "学信账号助手").await;
        for _ in 0..100 {
            if !w.tg.calls("deleteforumtopic").is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(
            scans(store.clone()).await,
            0,
            "{backend}: scans deleted after 30 days"
        );
        let deleted = w.tg.calls("deleteforumtopic");
        assert!(
            deleted
                .iter()
                .any(|c| c.body["message_thread_id"].as_i64() == card.thread_id),
            "{backend}: the topic showing the scans is deleted"
        );
        let keys: Vec<(String,)> =
            sqlx::query_as("SELECT key FROM limit_events WHERE kind = 'test'")
                .fetch_all(&store.pool)
                .await
                .expect("limits");
        assert_eq!(keys, [("recent-limit".to_string(),)], "{backend}");
    }
}
