//! Deletion that must reach every chat of the account and the agents' topics, and the ID
//! scans' retention after the decision.

use crate::accounts::register;
use crate::agents::{AGENT, GROUP, agent_world, group_press, in_group};
use crate::attacks_agents_reviews::log_in;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;
use helpdesk::store::Store;

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
