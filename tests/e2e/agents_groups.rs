//! Several agents' groups sharing the tickets by rule, who counts as an agent (membership of
//! the group, checked and cached), and `/find`.

use crate::agents::{AGENT, GROUP, agent_world_with, group_press, in_group};
use crate::agents_budget::ticket_of;
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;

/// A second agents' group (escalations go there) and its agent, who is no member of `GROUP`.
pub const OTHER: i64 = -1_001_000_000_002;
pub const AGENT2: i64 = 902;

/// A world with two agents' groups: escalations go to [`OTHER`], the rest to `GROUP`.
pub async fn two_group_world(dir: &std::path::Path, url: &str) -> crate::accounts::World {
    let rule = format!("escalation={OTHER}");
    let w = agent_world_with(dir, url, "", &[("AGENT_GROUPS", rule.as_str())]).await;
    w.tg.set_forum(OTHER);
    w.tg.set_chat_member(OTHER, AGENT2, "member");
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_groups_share_the_tickets_by_rule() {
    let scratch = Scratch::new("agents-groups");
    for (backend, url) in backends(&scratch.dir).await {
        let w = two_group_world(&scratch.dir.join(backend), &url).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_of_the_agents_group_act_and_others_are_refused_and_recorded() {
    let scratch = Scratch::new("agents-members");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world_with(&scratch.dir.join(backend), &url, "", &[]).await;
        let (student, agent) = (TestUser::new(48_001, ""), TestUser::new(AGENT, ""));
        let (stranger, restricted) = (TestUser::new(901, ""), TestUser::new(903, ""));
        w.tg.set_chat_member(GROUP, restricted.id, "restricted");
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        // Not a member: the button, a command and a message in the topic do nothing.
        group_press(&w.tg, &stranger, &card, "接管");
        w.tg.group_text(GROUP, None, &stranger, "/queue");
        group_press(&w.tg, &restricted, &card, "接管");
        w.then(&student, "客服已接入").await;
        w.tg.group_text(GROUP, card.thread_id, &stranger, "我不是客服");
        w.tg.group_text(GROUP, None, &agent, "/queue");
        in_group(&w.tg, "待处理工单").await;
        w.tg.group_text(GROUP, card.thread_id, &agent, "真正的客服");
        w.then(&student, "真正的客服").await;
        let queues = texts(&w.tg, GROUP)
            .iter()
            .filter(|t| t.contains("待处理工单"))
            .count();
        assert_eq!(queues, 1, "{backend}: only the agent's /queue is answered");
        assert!(
            !texts(&w.tg, student.id)
                .iter()
                .any(|t| t.contains("我不是客服")),
            "{backend}"
        );
        let asked = |user: i64| {
            w.tg.calls("getchatmember")
                .iter()
                .filter(|c| c.body["user_id"].as_i64() == Some(user))
                .count()
        };
        assert_eq!(asked(AGENT), 1, "{backend}: the answer is remembered");
        // Five minutes later the agent has left the group: asked again, and refused.
        w.tg.set_chat_member(GROUP, AGENT, "left");
        w.advance(301);
        w.tg.group_text(GROUP, card.thread_id, &agent, "离开后的消息");
        w.tg.group_text(GROUP, card.thread_id, &restricted, "还在的客服");
        w.then(&student, "还在的客服").await;
        assert!(
            !texts(&w.tg, student.id)
                .iter()
                .any(|t| t.contains("离开后的消息")),
            "{backend}"
        );
        assert_eq!(asked(AGENT), 2, "{backend}");
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let refused: Vec<(String,)> = sqlx::query_as(
            "SELECT action FROM audit WHERE action LIKE 'agent_%_refused' ORDER BY id",
        )
        .fetch_all(&store.pool)
        .await
        .expect("audit");
        let refused: Vec<&str> = refused.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            refused,
            [
                "agent_action_refused",
                "agent_command_refused",
                "agent_message_refused",
                "agent_message_refused"
            ],
            "{backend}"
        );
    }
}
