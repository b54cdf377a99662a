//! Attacks on the agents' side and on the operator's settings, each written as the attacker's
//! transcript: a forged button from another group, a removed agent, an unchecked upload
//! relayed, secrets printed or guessed. Floods of reviews: `attacks_agents_reviews.rs`;
//! deletion and retention: `attacks_agents_erase.rs`.

use crate::agents::{AGENT, GROUP, agent_world, group_press, in_group};
use crate::agents_budget::ticket_of;
use crate::agents_groups::{AGENT2, OTHER, two_group_world};
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use helpdesk::store::Store;
use serde_json::json;
use std::process::Command;

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
    // Against Telegram the key is never one kept in the database beside the hashes.
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
    // With PostgreSQL (several instances share one key) it must be given.
    let mut postgres = base.to_vec();
    postgres.retain(|(k, _)| *k != "DATABASE_URL");
    postgres.push(("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none"));
    let (ok, said) = helpdesk(&["run"], &postgres);
    assert!(!ok && said.contains("CODE_SECRET"), "{said}");
    let mut short = base.to_vec();
    short.push(("CODE_SECRET", "fifteen-chars!!"));
    let (ok, said) = helpdesk(&["run"], &short);
    assert!(!ok && said.contains("at least 16"), "{said}");
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
        let w = two_group_world(&scratch.dir.join(backend), &url).await;
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

#[test]
fn without_a_code_secret_on_sqlite_the_bot_keeps_a_generated_key_outside_the_database() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("helpdesk-keyfile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .arg("run")
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TELOXIDE_TOKEN", "123456:TOKEN-value-abcdefghij")
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start helpdesk");
    let key = dir.join("helpdesk.secret");
    let db = dir.join("helpdesk.db");
    for _ in 0..200 {
        if key.exists() && db.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let _ = child.kill();
    let _ = child.wait();
    let mode = std::fs::metadata(&key)
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "only the owner reads the key: {mode:o}");
    let secret = std::fs::read_to_string(&key).expect("key");
    assert_eq!(secret.trim().len(), 64);
    let mut stored = std::fs::read(&db).expect("database");
    stored.extend(std::fs::read(dir.join("helpdesk.db-wal")).unwrap_or_default());
    let needle = secret.trim().as_bytes();
    assert!(
        !stored.windows(needle.len()).any(|w| w == needle),
        "the key is not in the database"
    );
    let _ = std::fs::remove_dir_all(dir);
}
