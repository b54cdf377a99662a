//! `/take`, `/drop` and `/close` typed in a ticket's topic act as the card's buttons do, and
//! are refused to someone who is not an agent (the attacker's transcript: a member of the
//! group who is not an agent types `/take` in a topic).

use crate::agents::{AGENT, GROUP, agent_world, in_group};
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_typed_in_a_topic_act_like_the_cards_buttons() {
    let scratch = Scratch::new("agents-typed");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent, stranger) = (
            TestUser::new(74_001, ""),
            TestUser::new(AGENT, ""),
            TestUser::new(74_900, ""),
        );
        w.tg.set_chat_member(GROUP, stranger.id, "left");
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        let topic = card.thread_id;

        // Not an agent: refused, nothing taken, nothing said to the student.
        w.tg.group_text(GROUP, topic, &stranger, "/take");
        w.tg.group_text(GROUP, topic, &agent, "/take");
        w.then(&student, "客服已接入").await;
        let taken = in_group(&w.tg, "已接管").await;
        assert!(
            taken.text.unwrap_or_default().contains("User900"),
            "{backend}: taken by the agent, not the stranger"
        );
        w.tg.group_text(GROUP, topic, &agent, "/drop");
        w.then(&student, "机器人继续为您服务").await;
        w.tg.group_text(GROUP, topic, &agent, "/close");
        w.then(&student, "已关闭").await;
        let audit = helpdesk::store::Store::connect(&url).await.expect("db");
        let (refused,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit WHERE action LIKE '%refused%' AND actor LIKE '%74900%'",
        )
        .fetch_one(&audit.pool)
        .await
        .expect("audit");
        assert!(
            refused >= 1,
            "{backend}: the stranger's /take is recorded as refused"
        );
    }
}
