//! After a ticket: reopening it within the window, and the student's rating.

use crate::agents::{AGENT, GROUP, agent_world_with, group_press, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use std::time::Duration;

/// Waits until the card (message `card` in the agents' group) was redrawn with `needle`.
pub async fn card_redrawn(tg: &FakeTelegram, card: i64, needle: &str) {
    tokio::time::timeout(WAIT, async {
        loop {
            let text = tg
                .message(GROUP, card)
                .and_then(|m| m["text"].as_str().map(str::to_owned))
                .unwrap_or_default();
            if text.contains(needle) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the card never showed {needle:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_ticket_is_reopened_within_the_window_only() {
    let scratch = Scratch::new("agents-reopen");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        let w = agent_world_with(&dir, &url, "", &[("TICKET_REOPEN_WINDOW", "1h")]).await;
        let (student, agent) = (TestUser::new(44_001, ""), TestUser::new(AGENT, ""));
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        assert!(text(&card).contains("状态：待处理"), "{backend}");
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        group_press(&w.tg, &agent, &card, "关闭");
        let closed = w.then(&student, "已关闭").await;
        // Reopened by the student: the topic is told and the card shows the state.
        w.press(&student, &closed, "重新打开", "已重新打开").await;
        in_group(&w.tg, "学生重新打开了工单").await;
        card_redrawn(&w.tg, card.message_id, "状态：待处理").await;
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        let closed = w.say(&student, "/close", "已关闭").await;
        // Past the window, the same button points to a new ticket instead.
        w.advance(2 * 3600);
        w.press(&student, &closed, "重新打开", "超过可重新打开的期限")
            .await;
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let audit: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'ticket_reopened'")
                .fetch_one(&store.pool)
                .await
                .expect("audit");
        assert_eq!(audit.0, 1, "{backend}");
    }
}

fn text(sent: &crate::support::fake_telegram::Sent) -> String {
    sent.text.clone().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_shows_tickets_by_number_or_username_with_links() {
    use crate::accounts::{ID, register};
    use crate::agents_budget::ticket_of;
    let scratch = Scratch::new("agents-find");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents::agent_world(&scratch.dir.join(backend), &url, "").await;
        let (a, b, agent) = (
            TestUser::new(49_001, ""),
            TestUser::new(49_002, ""),
            TestUser::new(AGENT, ""),
        );
        register(&w, &a, "find.me@example.com", "张三", ID, "13800000071").await;
        w.say(&a, "/human", "工单号").await;
        let card_a = in_group(&w.tg, "张三").await;
        w.say(&b, "/human", "工单号").await;
        let (a_id, b_id) = (ticket_of(&card_a), {
            let cards: Vec<_> = w.tg.sent(GROUP);
            let card_b = cards
                .iter()
                .rev()
                .find(|s| text(s).contains("工单 #") && !text(s).contains("张三"));
            match card_b {
                Some(c) => ticket_of(c),
                None => ticket_of(&w.tg.wait_text(GROUP, "—（—）", WAIT).await),
            }
        });
        w.tg.group_text(GROUP, None, &agent, "/find FIND.ME@example.com");
        let found = text(&in_group(&w.tg, "找到工单：1").await);
        let link = format!(
            "https://t.me/c/1000000001/{}",
            card_a.thread_id.expect("topic")
        );
        assert!(
            found.contains(&format!("#{a_id} ")) && found.contains(&link),
            "{backend}: {found}"
        );
        let from = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, None, &agent, &format!("/find #{b_id}"));
        let (_, by_number) = w.tg.wait_text_from(GROUP, from, "找到工单", WAIT).await;
        let by_number = text(&by_number);
        assert!(
            by_number.contains(&format!("#{b_id} ")) && !by_number.contains(&format!("#{a_id} ")),
            "{backend}: {by_number}"
        );
        w.tg.group_text(GROUP, None, &agent, "/find nobody@example.com");
        in_group(&w.tg, "没有找到与“nobody@example.com”相符的工单").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn students_rate_closed_tickets_once_and_stats_show_the_average() {
    let scratch = Scratch::new("agents-rating");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents::agent_world(&scratch.dir.join(backend), &url, "").await;
        let agent = TestUser::new(AGENT, "");
        for (id, stars) in [(50_001, "4"), (50_002, "5")] {
            let student = TestUser::new(id, "");
            w.say(&student, "/human", "工单号").await;
            let card = in_group(&w.tg, &format!("对话：{id}")).await;
            group_press(&w.tg, &agent, &card, "接管");
            w.then(&student, "客服已接入").await;
            let closed = w.say(&student, "/close", "已关闭").await;
            w.press(&student, &closed, stars, "谢谢您的评分").await;
        }
        // A second press is not counted.
        let first = TestUser::new(50_001, "");
        let closed =
            w.tg.sent(first.id)
                .into_iter()
                .find(|s| text(s).contains("已关闭"))
                .expect("closing message");
        w.tg.user_press(
            &first,
            closed.message_id,
            &crate::pipeline::button(&closed, "1"),
        );
        w.tg.group_text(GROUP, None, &agent, "/stats");
        let stats = text(&in_group(&w.tg, "平均评分").await);
        assert!(stats.contains("平均评分：4.5 (2)"), "{backend}: {stats}");
    }
}
