//! An agent working a ticket from a private chat with the bot, outside the group's budget.

use crate::agents::{AGENT, GROUP, agent_world, in_group};
use crate::agents_budget::ticket_of;
use crate::pipeline::texts;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_a_ticket_from_a_private_chat() {
    let scratch = Scratch::new("agents-private");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent, stranger) = (
            TestUser::new(52_001, ""),
            TestUser::new(AGENT, ""),
            TestUser::new(901, ""),
        );
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        let ticket = ticket_of(&card);
        // Someone who is not a member of the agents' group cannot.
        w.say(&stranger, &format!("/take {ticket}"), "您不是客服")
            .await;
        // The agent takes it from the private chat: the student and the topic are told.
        w.say(&agent, &format!("/take {ticket}"), "私聊中处理工单")
            .await;
        w.then(&student, "客服已接入").await;
        in_group(&w.tg, "私聊中接管").await;
        // The student's messages come to the agent's private chat, not to the topic.
        w.tg.user_text(&student, "私聊里的问题");
        let relayed = w.then(&agent, "私聊里的问题").await;
        assert!(
            relayed
                .text
                .unwrap_or_default()
                .contains(&format!("[#{ticket}]")),
            "{backend}: labelled with the ticket"
        );
        let asked = w.tg.newest_message_id(student.id);
        w.tg.user_text(&agent, "私聊里的答复");
        let answer = w.tg.newest_message_id(agent.id);
        w.then(&student, "私聊里的答复").await;
        // Edits on either side reach the other as notices.
        w.tg.edit_text(student.id, asked, "私聊里的问题（改过）");
        w.then(&agent, "私聊里的问题（改过）").await;
        w.tg.edit_text(agent.id, answer, "私聊里的答复（更正）");
        w.then(&student, "私聊里的答复（更正）").await;
        // /drop: the topic gets the student's messages again.
        w.say(&agent, "/drop", "已交回话题").await;
        w.tg.user_text(&student, "回到话题的问题");
        in_group(&w.tg, "回到话题的问题").await;
        assert!(
            !texts(&w.tg, GROUP)
                .iter()
                .any(|t| t.contains("私聊里的问题")),
            "{backend}: the private part stayed out of the group"
        );
        assert!(
            !texts(&w.tg, agent.id)
                .iter()
                .any(|t| t.contains("回到话题的问题")),
            "{backend}"
        );
        // Taken again privately; the student closes: the agent is told.
        w.say(&agent, &format!("/take {ticket}"), "私聊中处理工单")
            .await;
        w.then(&student, "客服已接入").await;
        let closed = w.say(&student, "/close", "已关闭").await;
        w.then(&agent, &format!("[#{ticket}] 学生关闭了工单")).await;
        // Reopened, taken privately once more, and closed by the agent from there.
        w.press(&student, &closed, "重新打开", "已重新打开").await;
        w.say(&agent, &format!("/take {ticket}"), "私聊中处理工单")
            .await;
        w.then(&student, "客服已接入").await;
        w.say(&agent, "/close", "工单已关闭").await;
        w.then(&student, "已关闭").await;
    }
}
