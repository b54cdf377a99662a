//! Several agents' groups sharing the tickets by rule, who counts as an agent (membership of
//! the group, checked and cached), and `/find`.

use crate::agents::{AGENT, GROUP, agent_world_with, group_press, in_group};
use crate::agents_budget::ticket_of;
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;

const OTHER: i64 = -1_001_000_000_002;
const AGENT2: i64 = 902;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_groups_share_the_tickets_by_rule() {
    let scratch = Scratch::new("agents-groups");
    for (backend, url) in backends(&scratch.dir).await {
        let rule = format!("escalation={OTHER}");
        let dir = scratch.dir.join(backend);
        let w = agent_world_with(&dir, &url, "", &[("AGENT_GROUPS", rule.as_str())]).await;
        w.tg.set_forum(OTHER);
        w.tg.set_chat_member(OTHER, AGENT2, "member");
        let (a, b) = (TestUser::new(46_001, ""), TestUser::new(46_002, ""));
        let (agent, agent2) = (TestUser::new(AGENT, ""), TestUser::new(AGENT2, ""));
        w.say(&a, "/human", "工单号").await;
        let card_a = in_group(&w.tg, "人工客服").await;
        let menu = w.say(&b, "/start", "学信账号助手").await;
        w.press(&b, &menu, "注册账号", "电子邮箱").await;
        for _ in 0..3 {
            w.say(&b, "not an address", "不能有空格").await;
        }
        let card_b = w.tg.wait_text(OTHER, "多次失败", WAIT).await;
        assert!(
            !texts(&w.tg, GROUP).iter().any(|t| t.contains("多次失败"))
                && !texts(&w.tg, OTHER).iter().any(|t| t.contains("人工客服")),
            "{backend}: each ticket in its own group only"
        );
        // Each group's agent works its own ticket; topic ids may coincide across groups.
        group_press(&w.tg, &agent2, &card_b, "接管");
        w.then(&b, "客服已接入").await;
        group_press(&w.tg, &agent, &card_a, "接管");
        w.then(&a, "客服已接入").await;
        w.tg.group_text(OTHER, card_b.thread_id, &agent2, "来自第二组");
        w.then(&b, "来自第二组").await;
        w.tg.group_text(GROUP, card_a.thread_id, &agent, "来自第一组");
        w.then(&a, "来自第一组").await;
        w.tg.user_text(&b, "学生乙的问题");
        let relayed = w.tg.wait_text(OTHER, "学生乙的问题", WAIT).await;
        assert_eq!(relayed.thread_id, card_b.thread_id, "{backend}");
        assert!(
            !texts(&w.tg, a.id).iter().any(|t| t.contains("来自第二组"))
                && !texts(&w.tg, b.id).iter().any(|t| t.contains("来自第一组")),
            "{backend}: nothing reaches the wrong student"
        );
        // /queue in a group lists that group's tickets.
        w.tg.group_text(OTHER, None, &agent2, "/queue");
        let queue = w.tg.wait_text(OTHER, "待处理工单：1", WAIT).await;
        let queue = queue.text.unwrap_or_default();
        assert!(
            queue.contains(&format!("#{}", ticket_of(&card_b)))
                && !queue.contains(&format!("#{} ", ticket_of(&card_a))),
            "{backend}: {queue}"
        );
    }
}
