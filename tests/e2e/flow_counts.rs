//! What each flow costs in Telegram's sends, against the real binary: the bot's messages and
//! edits (both count against the limits) and callback answers (which do not) per completed
//! registration, record check and duplicate-ID case (case 2 → ID scans submitted). The
//! figures are the README's; a change that sends more fails here.

use crate::accounts::{ID, register};
use crate::duplicates::{dup_menu, register_pending, send_scans};
use crate::records::{fresh_menu, world_with_roster};
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use helpdesk::store::Store;
use std::time::Duration;

/// Sends Telegram accepted so far: messages into `chat`, messages there edited into the next
/// step, buttons taken off there, callback answers.
fn sends(tg: &FakeTelegram, chat: i64) -> [usize; 4] {
    let (mut messages, mut steps, mut buttons, mut answers) = (0, 0, 0, 0);
    for call in tg.calls("*").into_iter().filter(|c| c.status == 200) {
        let to_chat = call.body["chat_id"].as_i64() == Some(chat)
            || call.body["chat_id"].as_str() == Some(&chat.to_string());
        match call.method.as_str() {
            "sendmessage" | "sendphoto" | "senddocument" | "copymessage" if to_chat => {
                messages += 1
            }
            "editmessagetext" if to_chat => steps += 1,
            "editmessagereplymarkup" if to_chat => buttons += 1,
            "answercallbackquery" => answers += 1,
            _ => {}
        }
    }
    [messages, steps, buttons, answers]
}

/// What happened between two counts, once the outbox is empty (buttons are taken off after
/// the answers: tidying yields to replies).
async fn since(tg: &FakeTelegram, url: &str, chat: i64, before: [usize; 4]) -> [usize; 4] {
    let store = Store::connect(url).await.expect("db");
    for _ in 0..200 {
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 0")
            .fetch_one(&store.pool)
            .await
            .expect("outbox");
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The last delivery's answer reaches the fake a moment after the row is gone.
    tokio::time::sleep(Duration::from_millis(500)).await;
    store.pool.close().await;
    let now = sends(tg, chat);
    std::array::from_fn(|i| now[i] - before[i])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_flow_costs_the_sends_the_readme_gives() {
    let scratch = Scratch::new("flow-counts");
    for (backend, url) in backends(&scratch.dir).await {
        let w = world_with_roster(&scratch.dir.join(backend), &url).await;
        let (name, id, _) = helpdesk::demo::identities(1).remove(0);
        let student = TestUser::new(73_001, "");
        let start = sends(&w.tg, student.id);
        register(&w, &student, "count@example.com", &name, &id, "13900000073").await;
        let registration = since(&w.tg, &url, student.id, start).await;

        let start = sends(&w.tg, student.id);
        let menu = fresh_menu(&w, &student, "学信账号助手").await;
        let question = w
            .press(&student, &menu, "核对学籍信息", "是否全部正确")
            .await;
        let photo = w.press(&student, &question, "信息正确", "毕业生照片").await;
        w.press(&student, &photo, "确认照片", "核对完成").await;
        let record = since(&w.tg, &url, student.id, start).await;

        // Case 2: the number is held; the student goes on, then sends the ID scans.
        let (holder, taken) = (TestUser::new(73_002, ""), TestUser::new(73_003, ""));
        register(&w, &holder, "holder@example.com", "张三", ID, "13900000074").await;
        let start = sends(&w.tg, taken.id);
        register_pending(&w, &taken, "taken@example.com", "13900000075").await;
        let options = dup_menu(&w, &taken, "请选择一种方式").await;
        send_scans(&w, &taken, &options, &url).await;
        let duplicate = since(&w.tg, &url, taken.id, start).await;

        println!(
            "{backend}: [messages, steps edited in place, buttons taken off, callback answers] registration {registration:?}, record check {record:?}, duplicate ID {duplicate:?}"
        );
        assert_eq!(registration, [11, 1, 2, 3], "{backend}: registration");
        assert_eq!(record, [5, 1, 2, 3], "{backend}: record check");
        assert_eq!(duplicate, [15, 4, 3, 7], "{backend}: duplicate ID");
    }
}
