//! The private inbox attacked, as the attacker's transcript: an agent opts in, is removed
//! from the agents' group, and tries to keep receiving students' tickets — the cards stop,
//! the take button of a card received before is refused, and opting in again is refused.

use crate::agents::{AGENT, GROUP, agent_world, in_group};
use crate::agents_budget::ticket_of;
use crate::agents_inbox::audited;
use crate::pipeline::texts;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use helpdesk::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_agent_stops_receiving_cards_and_cannot_take_from_old_ones() {
    let scratch = Scratch::new("attack-inbox-removed");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (one, two, three) = (
            TestUser::new(65_001, ""),
            TestUser::new(65_002, ""),
            TestUser::new(65_003, ""),
        );
        let agent = TestUser::new(AGENT, "");
        // The agent opts in while a member, and receives a new ticket's card.
        w.say(&agent, "/inbox on", "私聊收件箱已开启").await;
        w.say(&one, "/human", "工单号").await;
        let old_card = w.then(&agent, "人工客服").await;
        let first = ticket_of(&old_card);
        // Removed from the group: within seconds the bot notices and says the inbox is off.
        w.tg.set_chat_member(GROUP, AGENT, "left");
        w.then(&agent, "私聊收件箱已关闭").await;
        // A student's new ticket (name, masked ID, what they asked) no longer reaches them.
        w.say(&two, "/human", "工单号").await;
        let second = format!("#{}", first.parse::<i64>().unwrap_or(0) + 1);
        in_group(&w.tg, &second).await;
        // The take button of the card received before: refused, the ticket stays open.
        w.press(&agent, &old_card, "接管", "您不是客服").await;
        // Opting in again: refused.
        w.say(&agent, "/inbox on", "不能开启私聊收件箱").await;
        w.say(&three, "/human", "工单号").await;
        let third = format!("#{}", first.parse::<i64>().unwrap_or(0) + 2);
        in_group(&w.tg, &third).await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let got = texts(&w.tg, agent.id);
        assert!(
            !got.iter()
                .any(|t| t.contains(&second) || t.contains(&third)),
            "{backend}: a removed agent received a card: {got:?}"
        );
        assert!(
            !texts(&w.tg, one.id)
                .iter()
                .any(|t| t.contains("客服已接入")),
            "{backend}: a removed agent took a ticket"
        );
        let store = Store::connect(&url).await.expect("db");
        let (opted,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agent_inbox")
            .fetch_one(&store.pool)
            .await
            .expect("inbox");
        assert_eq!(opted, 0, "{backend}: the opt-in is gone");
        assert_eq!(audited(&url, "inbox_rights_lost").await, 1, "{backend}");
        assert_eq!(audited(&url, "inbox_refused").await, 1, "{backend}");
        assert_eq!(audited(&url, "agent_action_refused").await, 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_waiting_when_its_agent_is_removed_is_not_delivered() {
    let scratch = Scratch::new("attack-inbox-queued");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (one, two) = (TestUser::new(66_001, ""), TestUser::new(66_002, ""));
        let agent = TestUser::new(AGENT, "");
        w.say(&agent, "/inbox on", "私聊收件箱已开启").await;
        w.say(&one, "/human", "工单号").await;
        let card = w.then(&agent, "人工客服").await;
        let first = ticket_of(&card).parse::<i64>().unwrap_or(0);
        // Removed, and a student asks for a person at once, before the bot asks again about
        // its agents: the card is made while the bot still believes them an agent, and is
        // checked once more as it goes.
        w.tg.set_chat_member(GROUP, AGENT, "left");
        w.say(&two, "/human", "工单号").await;
        let second = format!("#{}", first + 1);
        in_group(&w.tg, &second).await;
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let got = texts(&w.tg, agent.id);
        assert!(
            !got.iter().any(|t| t.contains(&second)),
            "{backend}: a removed agent received a card made before the bot knew: {got:?}"
        );
    }
}
