//! The message-id map: an agent's reply to a relayed message answers the student's original,
//! edits are relayed as notices answering the copy, and without the map replies still route
//! by topic and by the ticket number.

use crate::agents::{AGENT, GROUP, agent_world, group_press, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use helpdesk::store::Store;
use std::time::Duration;

/// Waits until the map holds `count` copies.
async fn mapped(store: &Store, count: i64) {
    tokio::time::timeout(WAIT, async {
        loop {
            let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM relay_map")
                .fetch_one(&store.pool)
                .await
                .expect("map");
            if row.0 >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the copies are mapped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_and_edits_find_their_counterpart_and_survive_a_lost_map() {
    let scratch = Scratch::new("agents-map");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent) = (TestUser::new(47_001, ""), TestUser::new(AGENT, ""));
        w.say(&student, "/human", "工单号").await;
        // Connected once the bot has migrated the database (two migrations at once collide).
        let store = Store::connect(&url).await.expect("db");
        let card = in_group(&w.tg, "人工客服").await;
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        in_group(&w.tg, "已接管").await;
        w.tg.user_text(&student, "第一个问题");
        let s1 = w.tg.newest_message_id(student.id);
        let t1 = in_group(&w.tg, "第一个问题").await;
        w.tg.user_text(&student, "第二个问题");
        let s2 = w.tg.newest_message_id(student.id);
        let t2 = in_group(&w.tg, "第二个问题").await;
        mapped(&store, 2).await;
        // The agent answers the first question: the copy answers the student's original.
        let a1 = w.tg.group_reply(
            GROUP,
            card.thread_id,
            &agent,
            "关于第一个问题的答复",
            t1.message_id,
        );
        let copy = w.then(&student, "关于第一个问题的答复").await;
        assert_eq!(
            copy.body["reply_parameters"]["message_id"].as_i64(),
            Some(s1),
            "{backend}"
        );
        // The student edits the second question: a notice answering its copy in the topic.
        w.tg.edit_text(student.id, s2, "第二个问题（改过）");
        let notice = in_group(&w.tg, "第二个问题（改过）").await;
        assert!(text(&notice).contains("修改"), "{backend}");
        assert_eq!(notice.thread_id, card.thread_id, "{backend}");
        assert_eq!(
            notice.body["reply_parameters"]["message_id"].as_i64(),
            Some(t2.message_id),
            "{backend}"
        );
        // The agent edits the answer: the student sees a notice answering the copy.
        mapped(&store, 3).await;
        w.tg.edit_text(GROUP, a1, "关于第一个问题的答复（更正）");
        let edited = w.then(&student, "（更正）").await;
        assert!(text(&edited).contains("修改"), "{backend}");
        assert_eq!(
            edited.body["reply_parameters"]["message_id"].as_i64(),
            Some(copy.message_id),
            "{backend}"
        );
        // The map is lost: replies still reach the student, by topic and by ticket number.
        sqlx::query("DELETE FROM relay_map")
            .execute(&store.pool)
            .await
            .expect("forget the map");
        w.tg.group_reply(
            GROUP,
            card.thread_id,
            &agent,
            "没有映射也能送达",
            t1.message_id,
        );
        let plain = w.then(&student, "没有映射也能送达").await;
        assert!(plain.body.get("reply_parameters").is_none(), "{backend}");
        w.tg.group_reply(GROUP, None, &agent, "从总话题回复", t2.message_id);
        w.then(&student, "从总话题回复").await;
        let copies = crate::pipeline::texts(&w.tg, student.id);
        assert_eq!(
            copies
                .iter()
                .filter(|t| t.contains("关于第一个问题的答复"))
                .count(),
            2,
            "{backend}: the answer and one edit notice, no duplicate: {copies:?}"
        );
    }
}

fn text(sent: &crate::support::fake_telegram::Sent) -> String {
    sent.text
        .clone()
        .or(sent.caption.clone())
        .unwrap_or_default()
}
