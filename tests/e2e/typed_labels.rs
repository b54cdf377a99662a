//! Typing a button's label does what pressing it does, against the real binary: the ID type
//! typed allows a Latin name, and the e-mail choice typed at the SMS code step sends an e-mail.

use crate::accounts::{World, register_to_phone};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_labels_set_what_their_buttons_set() {
    let scratch = Scratch::new("typed-labels");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (traveller, student) = (TestUser::new(71_001, ""), TestUser::new(71_002, ""));
        let menu = w.say(&traveller, "/start", "学信账号助手").await;
        w.press(&traveller, &menu, "注册账号", "电子邮箱").await;
        w.say(&traveller, "john@example.com", "6 位激活码").await;
        let mail = w.smtp.wait_for("john@example.com", 1, WAIT).await;
        w.say(&traveller, &code_in(&mail.body), "证件类型").await;
        w.say(&traveller, "护照", "真实姓名").await;
        // A Latin name is allowed for a passport, as when the button is pressed.
        w.say(&traveller, "John Smith", "证件号码").await;

        register_to_phone(
            &w,
            &student,
            "li.si@example.com",
            "李四",
            "310104199003074561",
        )
        .await;
        w.say(&student, "13800000071", "校验码已通过短信发送到")
            .await;
        w.then(&student, "6 位校验码").await;
        w.sms.wait_for("+8613800000071", 1, WAIT).await;
        // Typed without its emoji, the e-mail choice sends an e-mail, not another SMS.
        w.say(&student, "改用邮件接收", "l***i@example.com").await;
        let mail = w.smtp.wait_for("li.si@example.com", 2, WAIT).await;
        w.then(&student, "6 位校验码").await;
        w.say(&student, &code_in(&mail.body), "注册完成").await;
        assert_eq!(w.sms_to("+8613800000071"), 1, "{backend}: no second SMS");
    }
}
