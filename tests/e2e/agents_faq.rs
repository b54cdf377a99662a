//! Saved replies and what the bot did not understand, on the agents' side: `/faq` lists the
//! FAQ's answers, `/faq code` in a ticket's topic sends that answer to the ticket's student in
//! their language, and `/stats` counts the questions nothing matched.

use crate::agents::{AGENT, GROUP, agent_world, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sends_a_saved_faq_answer_and_sees_what_nobody_understood() {
    let scratch = Scratch::new("agents-faq");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent) = (TestUser::new(62_001, "en"), TestUser::new(AGENT, ""));
        w.say(&student, "/start", "student account assistant").await;
        w.say(
            &student,
            "what is the weather on mars",
            "did not understand",
        )
        .await;
        w.say(&student, "/human", "ticket").await;
        let card = in_group(&w.tg, "#1").await;
        let topic = card.thread_id;

        // The list, anywhere in the group.
        let from = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, None, &agent, "/faq");
        let (_, list) = w.tg.wait_text_from(GROUP, from, "/faq", WAIT).await;
        let text = list.text.clone().unwrap_or_default();
        assert!(text.contains("code — 收不到校验码"), "{backend}: {text}");

        // One answer, to the ticket's student, in English.
        let before = w.tg.sent(student.id).len();
        let from = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, topic, &agent, "/faq code");
        let (_, answer) = w.tg.wait_text_from(student.id, before, "code", WAIT).await;
        let answer = answer.text.unwrap_or_default();
        assert!(answer.contains("5 minutes"), "{backend}: {answer}");
        let (_, note) = w.tg.wait_text_from(GROUP, from, "“code”", WAIT).await;
        assert_eq!(
            note.thread_id, topic,
            "{backend}: the note is in the ticket's topic"
        );

        // An unknown name lists the names instead of sending anything.
        let sent = w.tg.sent(student.id).len();
        let from = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, topic, &agent, "/faq weather");
        w.tg.wait_text_from(GROUP, from, "code — ", WAIT).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(w.tg.sent(student.id).len(), sent, "{backend}: nothing sent");

        // A stranger in the group is refused.
        let stranger = TestUser::new(999, "");
        w.tg.set_chat_member(GROUP, stranger.id, "left");
        w.tg.group_text(GROUP, topic, &stranger, "/faq code");
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(
            w.tg.sent(student.id).len(),
            sent,
            "{backend}: a stranger sends nothing"
        );

        let from = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, None, &agent, "/stats");
        let (_, stats) = w.tg.wait_text_from(GROUP, from, "统计", WAIT).await;
        let text = stats.text.unwrap_or_default();
        assert!(
            text.contains("近 7 天没能理解的问题：1 条"),
            "{backend}: {text}"
        );
    }
}
