//! Agents' decisions take effect and do not undo each other: an approved correction writes
//! the record, an approved photo becomes the record's photo, the card is redrawn with only
//! the buttons that still apply, and a decision on one ticket leaves the chat with the agent
//! holding another. What a student writes while waiting for an agent reaches the topic;
//! after a close the student's buttons work, and rating keeps the reopen button.

use crate::accounts::{World, register};
use crate::agents::{AGENT, GROUP, agent_world, group_press, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use helpdesk::files::FileStore;
use helpdesk::store::Store;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// An agents' world whose database holds the demo roster.
async fn roster_agent_world(dir: &Path, url: &str) -> World {
    let store = Store::connect(url).await.expect("db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    helpdesk::demo::load(
        &store,
        &FileStore::local(dir.join("files")),
        &dir.join("roster"),
        6,
        today,
        1_000,
    )
    .await
    .expect("roster");
    store.pool.close().await;
    agent_world(dir, url, "").await
}

/// The card of the ticket whose card text contains `needle`, as it stands now (redraws
/// included): its text and its buttons' labels.
fn card_now(tg: &FakeTelegram, needle: &str) -> (String, Vec<String>) {
    let card = tg
        .sent(GROUP)
        .into_iter()
        .find(|s| s.text.as_deref().is_some_and(|t| t.contains(needle)))
        .expect("the card");
    let now = tg
        .message(GROUP, card.message_id)
        .expect("the card's message");
    let text = now["text"].as_str().unwrap_or_default().to_string();
    let labels = now["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["text"].as_str().map(str::to_string))
        .collect();
    (text, labels)
}

/// Waits until the card containing `needle` reads `expect`.
async fn card_reads(tg: &FakeTelegram, needle: &str, expect: &str) -> (String, Vec<String>) {
    tokio::time::timeout(WAIT, async {
        loop {
            let card = card_now(tg, needle);
            if card.0.contains(expect) {
                return card;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the card never read `{expect}`: {:?}", card_now(tg, needle)))
}

/// Submits a correction of the major (with one evidence photo), then a photo change with a
/// replacement; returns the main menu message shown afterwards.
async fn correction_and_photo(w: &World, student: &TestUser) {
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let menu = w.say(student, "/start", "学信账号助手").await;
    let question = w
        .press(student, &menu, "核对学籍信息", "是否全部正确")
        .await;
    let fields = w.press(student, &question, "信息有误", "哪一项有误").await;
    w.press(student, &fields, "专业", "专业").await;
    let more = w.say(student, "人工智能", "已记录的更正").await;
    let evidence = w.press(student, &more, "上传佐证材料", "佐证材料").await;
    w.tg.user_photo(student, "evidence-1", 50_000, None);
    w.tg.wait_text(student.id, "已收到 1 份材料", WAIT).await;
    let review = w.press(student, &evidence, "完成", "请确认更正申请").await;
    let sent = w.press(student, &review, "提交", "已提交更正申请").await;
    let reason = w.press(student, &sent, "核对照片", "照片").await;
    let reason = w.press(student, &reason, "照片有误", "照片哪里不对").await;
    w.press(student, &reason, "不是本人", "上传一张新的照片")
        .await;
    w.tg.user_photo(student, "new-photo", 60_000, None);
    w.tg.wait_text(student.id, "已提交照片修改申请", WAIT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_change_the_record_redraw_the_card_and_leave_a_held_chat_with_its_agent() {
    let scratch = Scratch::new("agents-decisions");
    for (backend, url) in backends(&scratch.dir).await {
        let w = roster_agent_world(&scratch.dir.join(backend), &url).await;
        let (name, id, _) = helpdesk::demo::identities(1).remove(0);
        let (student, agent) = (TestUser::new(46_001, ""), TestUser::new(AGENT, ""));
        register(
            &w,
            &student,
            "zhang.wei@example.com",
            &name,
            &id,
            "13900000001",
        )
        .await;
        correction_and_photo(&w, &student).await;
        // A request for a person, taken by the agent: the chat is theirs now.
        w.say(&student, "/human", "工单号").await;
        let human = in_group(&w.tg, "人工客服").await;
        group_press(&w.tg, &agent, &human, "接管");
        w.then(&student, "客服已接入").await;
        let (text, buttons) = card_reads(&w.tg, "人工客服", "处理中").await;
        assert!(
            text.contains(&agent.first_name),
            "{backend}: who holds it: {text}"
        );
        assert!(
            buttons.iter().any(|b| b.contains("交还机器人"))
                && !buttons.iter().any(|b| b.contains("接管")),
            "{backend}: a held ticket offers release and close, not take: {buttons:?}"
        );
        // The correction and the photo are approved from their cards.
        let correction = in_group(&w.tg, "学籍更正").await;
        // The cards speak words, not stored codes.
        let words = correction.text.clone().unwrap_or_default();
        assert!(words.contains("专业 → 人工智能"), "{backend}: {words}");
        assert!(
            !words.contains("record.") && !words.contains("major"),
            "{backend}: {words}"
        );
        let human_words = human.text.clone().unwrap_or_default();
        assert!(
            human_words.contains("学生请求人工客服"),
            "{backend}: {human_words}"
        );
        group_press(&w.tg, &agent, &correction, "通过");
        w.then(&student, "信息已更正并确认").await;
        let photo = in_group(&w.tg, "照片修改").await;
        let words = photo.text.clone().unwrap_or_default();
        assert!(
            words.contains("不是本人") && !words.contains("not_me"),
            "{backend}: {words}"
        );
        group_press(&w.tg, &agent, &photo, "通过");
        w.then(&student, "照片已确认").await;
        let (text, buttons) = card_reads(&w.tg, "学籍更正", "已解决").await;
        assert!(
            buttons.is_empty(),
            "{backend}: a decided card has no buttons: {text} {buttons:?}"
        );
        // The record says what was approved.
        let store = Store::connect(&url).await.expect("db");
        let (major, info, photo_file, photo_at): (String, Option<i64>, Option<String>, Option<i64>) =
            sqlx::query_as(
                "SELECT major, info_confirmed_at, photo_file_id, photo_confirmed_at FROM records WHERE id_number = $1",
            )
            .bind(&id)
            .fetch_one(&store.pool)
            .await
            .expect("record");
        assert_eq!(
            major, "人工智能",
            "{backend}: the approved correction is in the record"
        );
        assert!(
            info.is_some() && photo_at.is_some(),
            "{backend}: both confirmed"
        );
        assert_eq!(photo_file.as_deref(), Some("new-photo"), "{backend}");
        // The human ticket is still held: the student's words reach the agent.
        w.tg.user_text(&student, "还有一个问题想问");
        in_group(&w.tg, "还有一个问题想问").await;
        let (text, _) = card_now(&w.tg, "人工客服");
        assert!(text.contains("处理中"), "{backend}: still held: {text}");
        // Released: the step shown again has buttons that work.
        group_press(&w.tg, &agent, &human, "交还机器人");
        w.then(&student, "机器人继续为您服务").await;
        let shown = w.then(&student, "").await;
        if let Some((label, _)) = shown.buttons().into_iter().next() {
            w.press(&student, &shown, &label, "").await;
            let answers = w.tg.calls("answercallbackquery");
            let last = answers
                .last()
                .map(|c| c.body["text"].clone())
                .unwrap_or(Value::Null);
            assert!(
                !last.as_str().unwrap_or_default().contains("已过期"),
                "{backend}: the buttons shown after the release are current: {last}"
            );
        }
        store.pool.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_students_messages_reach_the_topic_and_a_rating_keeps_the_reopen_button() {
    let scratch = Scratch::new("agents-waiting");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = agent_world(&scratch.dir, &url, "").await;
    let (student, agent) = (TestUser::new(46_101, ""), TestUser::new(AGENT, ""));
    w.say(&student, "/human", "工单号").await;
    let card = in_group(&w.tg, "人工客服").await;
    // Before anyone takes it, what the student writes goes to the topic, told once.
    w.tg.user_text(&student, "我的验证码一直收不到");
    w.then(&student, "已把您的消息转给客服").await;
    let first = in_group(&w.tg, "我的验证码一直收不到").await;
    assert_eq!(first.thread_id, card.thread_id, "into the ticket's topic");
    // The card now offers the FAQ answer that fits, as a one-tap saved reply.
    let offered = tokio::time::timeout(WAIT, async {
        loop {
            let (_, buttons) = card_now(&w.tg, "人工客服");
            if let Some(b) = buttons.into_iter().find(|b| b.contains("发送常见回答")) {
                return b;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the card offers an FAQ answer");
    assert!(
        offered.contains("校验码"),
        "the answer about codes: {offered}"
    );
    w.tg.user_text(&student, "手机号是 138 开头的");
    in_group(&w.tg, "138 开头").await;
    w.tg.user_photo(&student, "screenshot", 40_000, None);
    tokio::time::timeout(WAIT, async {
        while !w.tg.sent(GROUP).iter().any(|s| s.method == "sendphoto") {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the photo reaches the topic");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let told = crate::pipeline::texts(&w.tg, student.id)
        .iter()
        .filter(|t| t.contains("已把您的消息转给客服"))
        .count();
    assert_eq!(told, 1, "the student is told once");
    assert!(
        !crate::pipeline::texts(&w.tg, student.id)
            .iter()
            .any(|t| t.contains("请点击下面的按钮")),
        "nothing is answered as a wrong button press"
    );
    // Taken; the suggested answer goes to the student in one tap.
    group_press(&w.tg, &agent, &card, "接管");
    w.then(&student, "客服已接入").await;
    group_press(&w.tg, &agent, &card, "发送常见回答");
    in_group(&w.tg, "的答复发给学生").await;
    w.then(&student, "收不到校验码").await;
    // Closed: the student rates it, and the reopen button stays.
    group_press(&w.tg, &agent, &card, "关闭");
    let closed = w.then(&student, "已关闭").await;
    w.press(&student, &closed, "5", "谢谢您的评分").await;
    let kept = tokio::time::timeout(WAIT, async {
        loop {
            let edits = w.tg.calls("editmessagereplymarkup");
            if let Some(edit) = edits
                .iter()
                .find(|c| c.body["message_id"] == closed.message_id)
            {
                return edit.body["reply_markup"].to_string();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the rated message's buttons are redrawn");
    assert!(kept.contains("重新打开"), "the reopen button stays: {kept}");
    assert!(!kept.contains("⭐"), "the stars go: {kept}");
}
