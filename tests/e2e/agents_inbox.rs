//! The agents' private inbox: `/inbox on` in a private chat with the bot, and every new
//! ticket's card comes there too, with a take button that works from there.

use crate::agents::{AGENT, GROUP, agent_world, in_group};
use crate::agents_budget::ticket_of;
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{Fault, TestUser};
use helpdesk::store::Store;

/// How many audit records of `action` there are.
pub async fn audited(url: &str, action: &str) -> i64 {
    let store = Store::connect(url).await.expect("db");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = $1")
        .bind(action)
        .fetch_one(&store.pool)
        .await
        .expect("audit");
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_gets_new_tickets_privately_takes_one_and_answers_from_there() {
    let scratch = Scratch::new("agents-inbox");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent, stranger) = (
            TestUser::new(53_001, ""),
            TestUser::new(AGENT, ""),
            TestUser::new(901, ""),
        );
        // The agent opts in; `/inbox` alone says which it is.
        w.say(&agent, "/inbox", "私聊收件箱：未开启").await;
        w.say(&agent, "/inbox on", "私聊收件箱已开启").await;
        w.say(&agent, "/inbox", "私聊收件箱：已开启").await;
        // Someone who is not an agent is refused, and the refusal is recorded.
        w.say(&stranger, "/inbox on", "不能开启私聊收件箱").await;
        assert_eq!(audited(&url, "inbox_refused").await, 1, "{backend}");
        // A student asks for a person: the card goes to the group and to the agent.
        w.say(&student, "/human", "工单号").await;
        let in_topic = in_group(&w.tg, "人工客服").await;
        let ticket = ticket_of(&in_topic);
        let card = w.then(&agent, "人工客服").await;
        assert_eq!(card.text, in_topic.text, "{backend}: the group card's text");
        assert!(
            !texts(&w.tg, stranger.id)
                .iter()
                .any(|t| t.contains(&format!("#{ticket}"))),
            "{backend}: only the agent who opted in gets it"
        );
        // Taken from the private chat: the private desk's take.
        w.press(&agent, &card, "接管", "私聊中处理工单").await;
        w.then(&student, "客服已接入").await;
        in_group(&w.tg, "私聊中接管").await;
        w.tg.user_text(&student, "收件箱里的问题");
        w.then(&agent, "收件箱里的问题").await;
        w.tg.user_text(&agent, "收件箱里的答复");
        w.then(&student, "收件箱里的答复").await;
        // The button again, now that the agent holds it: nothing to take.
        w.press(&agent, &card, "接管", "已有客服接管或已结束").await;
        w.say(&agent, "/close", "工单已关闭").await;
        // Opted out: the next ticket's card goes to the group only.
        w.say(&agent, "/inbox off", "私聊收件箱已关闭").await;
        let other = TestUser::new(53_002, "");
        w.say(&other, "/human", "工单号").await;
        let next = format!("#{}", ticket.parse::<i64>().unwrap_or(0) + 1);
        in_group(&w.tg, &next).await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert!(
            !texts(&w.tg, agent.id).iter().any(|t| t.contains(&next)),
            "{backend}: a card after /inbox off"
        );
        assert_eq!(audited(&url, "inbox_on").await, 1, "{backend}");
        assert_eq!(audited(&url, "inbox_off").await, 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listed_agents_get_cards_and_the_unlisted_are_refused() {
    let scratch = Scratch::new("agents-inbox-ids");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, &AGENT.to_string()).await;
        let (student, agent, member) = (
            TestUser::new(53_101, ""),
            TestUser::new(AGENT, ""),
            TestUser::new(904, ""),
        );
        // With AGENT_IDS, a group member who is not listed is not an agent.
        w.tg.set_chat_member(GROUP, member.id, "member");
        w.say(&member, "/inbox on", "不能开启私聊收件箱").await;
        w.say(&agent, "/inbox on", "私聊收件箱已开启").await;
        w.say(&student, "/human", "工单号").await;
        let card = w.then(&agent, "人工客服").await;
        w.press(&agent, &card, "接管", "私聊中处理工单").await;
        w.then(&student, "客服已接入").await;
        assert!(
            !texts(&w.tg, member.id)
                .iter()
                .any(|t| t.contains("人工客服")),
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_student_writes_while_the_card_waits_goes_with_the_card() {
    let scratch = Scratch::new("agents-fold");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents_budget::budget_world(&scratch.dir.join(backend), &url, &[]).await;
        let (student, agent) = (TestUser::new(53_201, ""), TestUser::new(AGENT, ""));
        // Telegram holds the group back: the new ticket's card waits in the outbox.
        w.tg.inject("createForumTopic", Fault::RetryAfter(3));
        w.say(&student, "/human", "工单号").await;
        tokio::time::timeout(WAIT, async {
            while !w
                .tg
                .calls("createforumtopic")
                .iter()
                .any(|c| c.status == 429)
            {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the group is held back");
        w.tg.user_text(&student, "我的证件号码被占用了");
        w.tg.user_text(&student, "<第二句>");
        let card = in_group(&w.tg, "学生留言").await;
        let text = card.text.clone().unwrap_or_default();
        assert!(
            text.contains("我的证件号码被占用了\n&lt;第二句&gt;"),
            "{backend}: both in order on the card: {text}"
        );
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let in_topic = texts(&w.tg, GROUP);
        assert_eq!(
            in_topic.iter().filter(|t| t.contains("第二句")).count(),
            1,
            "{backend}: not relayed again: {in_topic:?}"
        );
        assert_eq!(w.tg.calls("editmessagetext").len(), 0, "{backend}");
        // The card stands for the student's words: the agent takes it and answers as usual.
        crate::agents::group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        w.tg.group_text(GROUP, card.thread_id, &agent, "看到您的留言了");
        w.then(&student, "看到您的留言了").await;
    }
}
