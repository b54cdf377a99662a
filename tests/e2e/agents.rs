//! Support agents: a forum topic and card per ticket, take over, relay both ways, release,
//! close, authorization, a deleted topic, reviews decided from the card, /queue and /stats.

use crate::accounts::World;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, Sent, TestUser};
use serde_json::json;
use std::time::Duration;

pub const GROUP: i64 = -1_001_000_000_001;
pub const AGENT: i64 = 900;

/// A world whose bot has an agents' forum group; `ids` limits who may act.
pub async fn agent_world(dir: &std::path::Path, url: &str, ids: &str) -> World {
    agent_world_with(dir, url, ids, &[]).await
}

/// Like [`agent_world`], with more settings; [`AGENT`] is a member of the group.
pub async fn agent_world_with(
    dir: &std::path::Path,
    url: &str,
    ids: &str,
    extra: &[(&str, &str)],
) -> World {
    let group = GROUP.to_string();
    let mut env = vec![
        ("AGENT_CHAT_ID", group.as_str()),
        ("AGENT_SIGNATURE", "name"),
    ];
    if !ids.is_empty() {
        env.push(("AGENT_IDS", ids));
    }
    env.extend_from_slice(extra);
    let w = World::start_with(dir, url, &env).await;
    w.tg.set_forum(GROUP);
    w.tg.set_chat_member(GROUP, AGENT, "member");
    w
}

/// Waits for a message in the agents' group containing `needle`.
pub async fn in_group(tg: &FakeTelegram, needle: &str) -> Sent {
    tg.wait_text(GROUP, needle, WAIT).await
}

/// An agent (or anyone in the group) presses a button on a group message, as the message
/// shows it now (a redrawn card has the buttons of its redraw).
pub fn group_press(tg: &FakeTelegram, user: &TestUser, message: &Sent, label: &str) {
    let shown = tg
        .message(message.chat_id, message.message_id)
        .map(|now| now["reply_markup"]["inline_keyboard"].clone());
    let current = shown.and_then(|rows| {
        rows.as_array()?
            .iter()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .find(|b| b["text"].as_str().is_some_and(|t| t.contains(label)))
            .and_then(|b| b["callback_data"].as_str().map(str::to_string))
    });
    let data = current.unwrap_or_else(|| crate::pipeline::button(message, label));
    let query_id = format!("g{}-{}-{}", user.id, message.message_id, data.len());
    tg.push_update(json!({ "callback_query": {
        "id": query_id, "chat_instance": "1", "data": data,
        "from": { "id": user.id, "is_bot": false, "first_name": user.first_name },
        "message": { "message_id": message.message_id, "date": 0, "message_thread_id": message.thread_id,
            "chat": { "id": message.chat_id, "type": "supergroup", "title": "Agents", "is_forum": true } },
    }}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_gets_a_topic_and_an_agent_takes_over_relays_and_releases() {
    let scratch = Scratch::new("agents-relay");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (student, agent) = (TestUser::new(40_001, ""), TestUser::new(AGENT, ""));
        // Three failed inputs in a row escalate by themselves.
        let menu = w.say(&student, "/start", "学信账号助手").await;
        w.press(&student, &menu, "注册账号", "电子邮箱").await;
        for _ in 0..3 {
            w.say(&student, "not an address", "不能有空格").await;
        }
        w.then(&student, "已为您登记人工客服工单").await;
        let card = in_group(&w.tg, "多次失败").await;
        assert!(
            card.thread_id.is_some(),
            "{backend}: the card is in the ticket's topic"
        );
        assert_eq!(w.tg.calls("createforumtopic").len(), 1, "{backend}");
        // The agent takes over; the student's messages go to the topic.
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        w.tg.user_text(&student, "我的邮箱格式总是不对");
        let relayed = in_group(&w.tg, "我的邮箱格式总是不对").await;
        assert_eq!(relayed.thread_id, card.thread_id, "{backend}");
        w.tg.user_photo(
            &student,
            "student-photo",
            40_000,
            Some("这是我的<邮箱>截图"),
        );
        let photo = tokio::time::timeout(WAIT, async {
            loop {
                if let Some(s) =
                    w.tg.sent(GROUP)
                        .into_iter()
                        .find(|s| s.method == "sendphoto")
                {
                    return s;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the photo reaches the topic");
        assert_eq!(photo.thread_id, card.thread_id, "{backend}");
        assert!(
            photo
                .caption
                .as_deref()
                .is_some_and(|c| c.contains("这是我的&lt;邮箱&gt;截图")),
            "{backend}: the student's caption goes with the photo, escaped in the HTML: {:?}",
            photo.caption
        );
        // The agent's reply reaches the student, signed, and is marked delivered.
        w.tg.group_text(
            GROUP,
            card.thread_id,
            &agent,
            "请输入完整的邮箱，例如 a@b.cn",
        );
        let reply = w.then(&student, "请输入完整的邮箱").await;
        assert!(
            reply.text.unwrap_or_default().contains(&agent.first_name),
            "{backend}: signed with the agent's name"
        );
        tokio::time::timeout(WAIT, async {
            while !w
                .tg
                .calls("setmessagereaction")
                .iter()
                .any(|c| c.status == 200)
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the agent sees the reply was delivered");
        // Release: the bot resumes at the student's step and says so.
        let card =
            w.tg.sent(GROUP)
                .into_iter()
                .find(|s| s.text.as_deref().is_some_and(|t| t.contains("多次失败")))
                .expect("card");
        group_press(&w.tg, &agent, &card, "交还机器人");
        w.then(&student, "机器人继续为您服务").await;
        w.then(&student, "电子邮箱").await;
        w.say(&student, "good@example.com", "6 位激活码").await;
        // After closing, an agent's message is refused with an explanation.
        group_press(&w.tg, &agent, &card, "关闭");
        w.then(&student, "已关闭").await;
        w.tg.group_text(GROUP, card.thread_id, &agent, "还在吗？");
        in_group(&w.tg, "没有</b>发送给学生").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_agents_can_act_and_a_deleted_topic_is_recreated() {
    let scratch = Scratch::new("agents-auth");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = agent_world(&scratch.dir, &url, &AGENT.to_string()).await;
    let (student, agent, stranger) = (
        TestUser::new(41_001, ""),
        TestUser::new(AGENT, ""),
        TestUser::new(901, ""),
    );
    w.say(&student, "/human", "工单号").await;
    let card = in_group(&w.tg, "人工客服").await;
    group_press(&w.tg, &stranger, &card, "接管");
    tokio::time::timeout(WAIT, async {
        while !w.tg.calls("answercallbackquery").iter().any(|c| {
            c.body["text"]
                .as_str()
                .is_some_and(|t| t.contains("您不是客服"))
        }) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the stranger is told");
    // A forged button in the student's own chat changes nothing either.
    let id: i64 = card
        .text
        .clone()
        .unwrap_or_default()
        .split('#')
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .expect("ticket id");
    w.tg.push_update(json!({ "callback_query": { "id": "forged", "chat_instance": "2", "data": format!("t:{id}:take"),
        "from": { "id": student.id, "is_bot": false, "first_name": "S" } } }));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !crate::pipeline::texts(&w.tg, student.id)
            .iter()
            .any(|t| t.contains("客服已接入")),
        "nobody took over"
    );
    let store = helpdesk::store::Store::connect(&url).await.expect("db");
    let refused: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action IN ('agent_action_refused', 'agent_other_group_refused')")
            .fetch_one(&store.pool)
            .await
            .expect("audit");
    assert_eq!(refused.0, 2, "both attempts are recorded");
    // The agent takes over; the topic was deleted meanwhile: it is recreated for the next message.
    group_press(&w.tg, &agent, &card, "接管");
    w.then(&student, "客服已接入").await;
    w.tg.delete_topic(GROUP, card.thread_id.expect("topic"));
    w.tg.user_text(&student, "有人吗");
    let relayed = in_group(&w.tg, "有人吗").await;
    assert_ne!(relayed.thread_id, card.thread_id, "a new topic");
    // The new topic starts with the card again, its summary and the buttons that apply.
    let in_new: Vec<Sent> =
        w.tg.sent(GROUP)
            .into_iter()
            .filter(|s| s.thread_id == relayed.thread_id)
            .collect();
    let again = in_new
        .first()
        .filter(|s| s.text.as_deref().is_some_and(|t| t.contains("状态")))
        .expect("the card is the new topic's first message");
    assert!(
        again
            .buttons()
            .iter()
            .any(|(label, _)| label.contains("交还机器人")),
        "the card shows the held ticket's buttons: {:?}",
        again.buttons()
    );
    assert_eq!(
        w.tg.calls("createforumtopic")
            .iter()
            .filter(|c| c.status == 200)
            .count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_and_stats_match_the_tickets() {
    let scratch = Scratch::new("agents-stats");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = agent_world(&scratch.dir, &url, "").await;
    let agent = TestUser::new(AGENT, "");
    for id in [42_001, 42_002, 42_003] {
        w.say(&TestUser::new(id, ""), "/human", "工单号").await;
    }
    let card = in_group(&w.tg, "人工客服").await;
    group_press(&w.tg, &agent, &card, "接管");
    w.then(&TestUser::new(42_001, ""), "客服已接入").await;
    w.tg.group_text(GROUP, None, &agent, "/queue");
    let queue = in_group(&w.tg, "待处理工单：3").await;
    assert_eq!(queue.text.unwrap_or_default().matches(" min").count(), 3);
    w.tg.group_text(GROUP, None, &agent, "/stats");
    let stats = in_group(&w.tg, "统计").await.text.unwrap_or_default();
    assert!(
        stats.contains("待处理：2")
            && stats.contains("处理中：1")
            && stats.contains("首次响应时间中位数：0 分钟"),
        "{stats}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_scans_are_approved_or_rejected_from_the_card() {
    use crate::accounts::{ID, register};
    use crate::duplicates::{bind, dup_menu, register_pending, send_scans};
    let scratch = Scratch::new("agents-review");
    for (backend, url) in backends(&scratch.dir).await {
        let w = agent_world(&scratch.dir.join(backend), &url, "").await;
        let (a, b, agent) = (
            TestUser::new(43_001, ""),
            TestUser::new(43_002, ""),
            TestUser::new(AGENT, ""),
        );
        register(&w, &a, "first@example.com", "张三", ID, "13800000051").await;
        register_pending(&w, &b, "second@example.com", "13800000052").await;
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        send_scans(&w, &b, &options, &url).await;
        let card = in_group(&w.tg, "证件审核").await;
        // The scans are re-sent into the topic.
        tokio::time::timeout(WAIT, async {
            while w
                .tg
                .sent(GROUP)
                .iter()
                .filter(|s| s.method == "sendphoto")
                .count()
                < 2
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("both scans in the topic");
        // Rejected with a reason typed in the topic…
        group_press(&w.tg, &agent, &card, "驳回");
        in_group(&w.tg, "驳回原因").await;
        w.tg.group_text(GROUP, card.thread_id, &agent, "照片不清晰");
        w.then(&b, "原因：照片不清晰").await;
        // …then new scans, approved: the student binds, the other account is told.
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        send_scans(&w, &b, &options, &url).await;
        let cards: Vec<Sent> =
            w.tg.sent(GROUP)
                .into_iter()
                .filter(|s| {
                    s.text
                        .as_deref()
                        .is_some_and(|t| t.contains("证件审核") && t.contains("工单"))
                })
                .collect();
        let second = match cards.last() {
            Some(c) if cards.len() == 2 => c.clone(),
            _ => in_group_nth(&w.tg, "证件审核", 2).await,
        };
        group_press(&w.tg, &agent, &second, "通过");
        w.then(&b, "审核<b>已通过</b>").await;
        let offer = dup_menu(&w, &b, "现在可以<b>绑定实名信息</b>").await;
        bind(&w, &b, &offer, "13800000052").await;
        w.then(&a, "已被解除绑定").await;
    }
}

/// The `n`-th card (1-based) containing `needle` in the agents' group.
async fn in_group_nth(tg: &FakeTelegram, needle: &str, n: usize) -> Sent {
    tokio::time::timeout(WAIT, async {
        loop {
            let found: Vec<Sent> = tg
                .sent(GROUP)
                .into_iter()
                .filter(|s| {
                    s.text
                        .as_deref()
                        .is_some_and(|t| t.contains(needle) && t.contains("工单"))
                })
                .collect();
            if let Some(s) = found.get(n - 1) {
                return s.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("card")
}
