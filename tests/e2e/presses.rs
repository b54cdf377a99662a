//! A press answered in place, against the real binary: the pressed step's message becomes
//! the next step (one edit instead of an edit and a message), a message worth keeping only
//! loses its buttons, an edit Telegram refuses is sent anew, and "not modified" is delivered.

use crate::accounts::{World, text_of};
use crate::pipeline::button;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{Fault, TestUser};

/// The message once its buttons are off (they go in a lane of their own, soon after).
async fn without_buttons(w: &World, chat: i64, message_id: i64) -> serde_json::Value {
    let until = std::time::Instant::now() + WAIT;
    loop {
        let message = w.tg.message(chat, message_id).expect("message");
        if message.get("reply_markup").is_none() || std::time::Instant::now() > until {
            return message;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_turns_its_message_into_the_next_step_where_that_reads_naturally() {
    let scratch = Scratch::new("presses");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(72_001, "");
        // The main menu keeps its message (it may hold a finished flow's last words).
        let menu = w.say(&student, "/start", "学信账号助手").await;
        let faq = w
            .press(&student, &menu, "常见问题", "请选择与您情况相符的一项")
            .await;
        assert_eq!(faq.method, "sendmessage", "{backend}: a new message");
        assert_ne!(faq.message_id, menu.message_id);
        let kept = without_buttons(&w, student.id, menu.message_id).await;
        assert!(kept.get("reply_markup").is_none(), "{backend}: {kept}");
        assert!(
            kept["text"]
                .as_str()
                .unwrap_or_default()
                .contains("学信账号助手")
        );

        // The FAQ list is only a choice: it becomes the answer in place.
        let answer = w.press(&student, &faq, "收不到校验码", "短信拦截").await;
        assert_eq!(
            answer.method,
            "editmessagetext",
            "{backend}: {}",
            text_of(&answer)
        );
        assert_eq!(answer.message_id, faq.message_id);
        // The answer is worth keeping: back to the list comes as a new message.
        let list = w
            .press(&student, &answer, "其他问题", "请选择与您情况相符的一项")
            .await;
        assert_eq!(list.method, "sendmessage", "{backend}");
        let kept = without_buttons(&w, student.id, answer.message_id).await;
        assert!(
            kept["text"]
                .as_str()
                .unwrap_or_default()
                .contains("短信拦截"),
            "{kept}"
        );
        assert!(kept.get("reply_markup").is_none(), "{backend}: {kept}");

        // Telegram refuses the edit (too old, say): the step is sent anew, the old buttons off
        // (after a pause: the fallback's two sends are within the chat's burst).
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        w.tg.inject(
            "editMessageText",
            Fault::Error(400, "Bad Request: message can't be edited".into()),
        );
        let anew = w.press(&student, &list, "收不到校验码", "短信拦截").await;
        assert_eq!(anew.method, "sendmessage", "{backend}: sent anew");
        let old = without_buttons(&w, student.id, list.message_id).await;
        assert!(old.get("reply_markup").is_none(), "{backend}: {old}");

        // "Not modified" is delivered: nothing is sent again, the edit is not retried.
        let more = w
            .press(&student, &anew, "其他问题", "请选择与您情况相符的一项")
            .await;
        let edits_before = w.tg.calls("editMessageText").len();
        w.tg.inject(
            "editMessageText",
            Fault::Error(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same".into(),
            ),
        );
        w.tg.user_press(&student, more.message_id, &button(&more, "收不到校验码"));
        w.quiet(&student).await;
        assert_eq!(
            w.tg.calls("editMessageText").len(),
            edits_before + 1,
            "{backend}: tried once, taken as done"
        );
    }
}
