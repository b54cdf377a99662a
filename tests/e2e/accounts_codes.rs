//! The rules of one-time codes, end to end: five wrong tries kill a code, three dead codes
//! lock the step and open a ticket, the resend cooldown, expiry, a flaky SMS gateway, and the
//! e-mail fallback for the phone code.

use crate::accounts::{
    E164, EMAIL, ID, PHONE, World, register_to_phone, register_to_sms_code, text_of,
};
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;
use std::time::Duration;

/// A code that is certainly not `code`: its last digit changed.
fn wrong(code: &str) -> String {
    let mut digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if let Some(last) = digits.last_mut() {
        *last = (*last + 1) % 10;
    }
    digits.iter().map(|d| d.to_string()).collect()
}

/// The number just before `unit` in `text` ("请 42 秒后" → 42).
fn number_before(text: &str, unit: &str) -> i64 {
    let head = text.split(unit).next().unwrap_or_default().trim_end();
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before {unit:?} in {text:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_tries_kill_a_code_and_three_dead_codes_lock_the_step_with_a_ticket() {
    let scratch = Scratch::new("code-lock");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents::agent_world(&scratch.dir.join(backend), &url, "").await;
        let student = TestUser::new(10_501, "");
        let (_, mut sms) = register_to_sms_code(&w, &student, EMAIL, "张三", ID, PHONE).await;

        for round in 1..=3 {
            let bad = wrong(&code_in(&sms.text));
            for tries in [4, 3, 2, 1] {
                w.say(
                    &student,
                    &bad,
                    &format!("校验码不正确，还可以再试 {tries} 次"),
                )
                .await;
            }
            if round < 3 {
                w.say(&student, &bad, "这个校验码已输错 5 次，已经失效")
                    .await;
                let prompt = w.then(&student, "6 位校验码").await;
                // A minute later (the resend cooldown), a new code.
                w.advance(61);
                w.press(&student, &prompt, "重新发送", "校验码已通过短信发送到")
                    .await;
                w.then(&student, "6 位校验码").await;
                sms = w.sms.wait_for(E164, round + 1, WAIT).await;
            }
        }
        // The fifth wrong try on the third code: dead again, and the step is locked.
        let locked = w
            .say(&student, &wrong(&code_in(&sms.text)), "这一步已锁定")
            .await;
        let text = text_of(&locked);
        assert!(text.contains("请 30 分钟后再试"), "{backend}: {text}");
        // The ticket the lock opened is named to the student.
        w.then(&student, "已为您登记人工客服工单").await;
        let stuck = w.then(&student, "这一步暂时无法继续").await;
        let labels: Vec<String> = stuck.buttons().into_iter().map(|(t, _)| t).collect();
        assert!(
            labels.iter().any(|l| l.contains("人工客服")),
            "{backend}: a human is offered: {labels:?}"
        );

        // A ticket is open for support.
        let status = w.say(&student, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(
            text.contains("未结束的工单：1") && text.contains("多次失败 · 待处理"),
            "{backend}: {text}"
        );
        let store = helpdesk::store::Store::connect(&url).await.expect("store");
        let tickets: Vec<(String, String, String)> =
            sqlx::query_as("SELECT kind, status, summary FROM tickets WHERE chat_id = $1")
                .bind(student.id)
                .fetch_all(&store.pool)
                .await
                .expect("tickets");
        assert_eq!(
            tickets,
            vec![("escalation".into(), "open".into(), "code_locked".into())],
            "{backend}"
        );

        // While locked, no new code is sent.
        let prompt = w.say(&student, "/back", "6 位校验码").await;
        let locked = w.press(&student, &prompt, "重新发送", "分钟后再试").await;
        let minutes = number_before(&text_of(&locked), "分钟后再试");
        assert!((1..=30).contains(&minutes), "{backend}: {minutes}");
        w.then(&student, "这一步暂时无法继续").await;
        w.quiet(&student).await;
        assert_eq!(w.sms_to(E164), 3, "{backend}: no code while locked");

        // After the 30 minutes the step works again.
        w.advance(31 * 60);
        let prompt = w.say(&student, "/back", "6 位校验码").await;
        w.press(&student, &prompt, "重新发送", "校验码已通过短信发送到")
            .await;
        w.then(&student, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 4, WAIT).await;
        w.say(&student, &code_in(&sms.text), "注册完成").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resending_too_early_tells_the_seconds_left_and_another_channel_goes_at_once() {
    let scratch = Scratch::new("code-cooldown");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_601, "");
        let (prompt, _) = register_to_sms_code(&w, &student, EMAIL, "张三", ID, PHONE).await;

        // Half the cooldown later: at most 30 of the 60 seconds are left.
        w.advance(30);
        let cooldown = w
            .press(&student, &prompt, "重新发送", "校验码刚刚发送过")
            .await;
        let text = text_of(&cooldown);
        let seconds = number_before(&text, "秒后再重新获取");
        assert!((1..=30).contains(&seconds), "{backend}: {text}");
        let prompt = w.then(&student, "6 位校验码").await;
        w.quiet(&student).await;
        assert_eq!(w.sms_to(E164), 1, "{backend}: no second code");
        assert_eq!(w.sms.attempts(), 1, "{backend}");

        // The cooldown is per channel: the e-mail can go at once, and its code is the one.
        w.press(&student, &prompt, "改用邮件接收", "校验码已发送到邮箱")
            .await;
        let mail = w.smtp.wait_for(EMAIL, 2, WAIT).await;
        assert_eq!(w.sms_to(E164), 1, "{backend}: still one SMS");
        w.then(&student, "6 位校验码").await;
        w.say(&student, &code_in(&mail.body), "注册完成").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_code_is_refused_and_a_new_one_works() {
    let scratch = Scratch::new("code-expired");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_701, "");
        let (_, sms) = register_to_sms_code(&w, &student, EMAIL, "张三", ID, PHONE).await;

        // The phone code is valid 5 minutes.
        w.advance(6 * 60);
        w.say(&student, &code_in(&sms.text), "校验码已过期或已使用")
            .await;
        let prompt = w.then(&student, "6 位校验码").await;
        w.press(&student, &prompt, "重新发送", "校验码已通过短信发送到")
            .await;
        w.then(&student, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 2, WAIT).await;
        w.say(&student, &code_in(&sms.text), "注册完成").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sms_gateway_is_retried_and_the_code_arrives_once() {
    let scratch = Scratch::new("sms-retry");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(11_101, "");
        register_to_phone(&w, &student, EMAIL, "张三", ID).await;

        w.sms.fail_next(2);
        w.say(&student, PHONE, "校验码已通过短信发送到").await;
        w.then(&student, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 1, WAIT).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(
            w.sms.attempts(),
            3,
            "{backend}: two refusals, then accepted"
        );
        assert_eq!(w.sms_to(E164), 1, "{backend}: exactly one SMS");
        w.say(&student, &code_in(&sms.text), "注册完成").await;
        let all = texts(&w.tg, student.id).join("\n");
        assert!(!all.contains("未能送达"), "{backend}: {all}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_code_may_come_by_email_instead() {
    let scratch = Scratch::new("code-by-mail");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(11_301, "");
        let (prompt, sms) = register_to_sms_code(&w, &student, EMAIL, "张三", ID, PHONE).await;

        // A minute on, no SMS in sight: the student asks for the code by mail.
        w.advance(61);
        w.press(
            &student,
            &prompt,
            "改用邮件接收",
            "校验码已发送到邮箱 Z***n@Example.com",
        )
        .await;
        w.then(&student, "6 位校验码").await;
        let mail = w.smtp.wait_for(EMAIL, 2, WAIT).await;
        assert!(
            mail.subject.contains("手机验证") && mail.body.contains("手机验证校验码"),
            "{backend}: {mail:?}"
        );
        let mailed = code_in(&mail.body);
        // The mailed code replaced the SMS one.
        let by_sms = code_in(&sms.text);
        if by_sms != mailed {
            w.say(&student, &by_sms, "还可以再试 4 次").await;
        }
        w.say(&student, &mailed, "注册完成").await;
        assert_eq!(w.sms_to(E164), 1, "{backend}: no second SMS");
    }
}
