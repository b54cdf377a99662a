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
