//! Attacks on one-time codes, each written as the attacker's transcript against the real
//! binary: a code sent to one target used for another account, registration or phone; a code
//! for another purpose; limits reset by /delete_my_data or dodged by switching purposes; a
//! phone marked verified by an e-mailed code; probing which usernames exist; an old button.

use crate::accounts::{E164, EMAIL, ID, PHONE, World, register, register_to_phone, text_of};
use crate::pipeline::button;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;
use std::time::Duration;

const ATTACKER_EMAIL: &str = "mallory@example.com";
const ATTACKER_PHONE: &str = "13900000002";
const ATTACKER_E164: &str = "+8613900000002";

/// A valid mainland ID number born 1990-01-01 with sequence `seq` (GB 11643 check digit).
pub fn id_number(seq: u32) -> String {
    let body = format!("11010519900101{seq:03}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// The victim's account id and the chat it is signed in to.
async fn signed_in_chat(url: &str, email: &str) -> Option<i64> {
    let store = helpdesk::store::Store::connect(url).await.expect("store");
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT chat_id FROM accounts WHERE email_norm = $1")
            .bind(email.to_lowercase())
            .fetch_optional(&store.pool)
            .await
            .expect("account");
    row.and_then(|r| r.0)
}

/// From the main menu to the log-in channel choice for `username`.
async fn login_channel(
    w: &World,
    user: &TestUser,
    username: &str,
) -> crate::support::fake_telegram::Sent {
    let menu = w.say(user, "/start", "学信账号助手").await;
    w.press(user, &menu, "登录已有账号", "注册时使用的电子邮箱")
        .await;
    w.say(user, username, "校验码发送到哪里").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_sent_to_the_attackers_phone_does_not_sign_in_to_the_victims_account() {
    let scratch = Scratch::new("attack-login");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (victim, attacker) = (TestUser::new(70_001, ""), TestUser::new(70_002, ""));
        register(&w, &victim, EMAIL, "张三", ID, PHONE).await;
        w.advance(61);
        register(
            &w,
            &attacker,
            ATTACKER_EMAIL,
            "李四",
            &id_number(123),
            ATTACKER_PHONE,
        )
        .await;

        // A code as the victim (it goes to the victim's phone)…
        let channel = login_channel(&w, &attacker, EMAIL).await;
        w.press(&attacker, &channel, "短信", "138****5678").await;
        w.then(&attacker, "6 位校验码").await;
        // … then one as themself: the attacker's code is now the chat's newest…
        let channel = login_channel(&w, &attacker, ATTACKER_EMAIL).await;
        w.press(&attacker, &channel, "短信", "139****0002").await;
        let own = w.sms.wait_for(ATTACKER_E164, 2, WAIT).await;
        // … then the victim's username again: the cooldown leads to the code prompt.
        let channel = login_channel(&w, &attacker, EMAIL).await;
        w.press(&attacker, &channel, "短信", "刚刚发送过").await;
        w.then(&attacker, "6 位校验码").await;
        let refused = w
            .say(&attacker, &code_in(&own.text), "校验码已过期或已使用")
            .await;
        assert!(!text_of(&refused).contains("登录成功"), "{backend}");
        w.advance(61);
        assert_eq!(
            signed_in_chat(&url, EMAIL).await,
            Some(victim.id),
            "{backend}: the victim's account stays with the victim"
        );
        let status = w.say(&attacker, "/status", "我的进度").await;
        assert!(
            text_of(&status).contains("m***y@example.com"),
            "{backend}: the attacker is still only themself: {}",
            text_of(&status)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activation_code_mailed_to_the_attacker_does_not_register_the_victims_address() {
    let scratch = Scratch::new("attack-activation");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let attacker = TestUser::new(70_101, "");
        let victim_email = "victim@example.com";
        let start_registration = |email: &'static str| {
            let w = &w;
            let attacker = &attacker;
            async move {
                let menu = w.say(attacker, "/start", "学信账号助手").await;
                w.press(attacker, &menu, "注册账号", "电子邮箱").await;
                w.say(attacker, email, "").await
            }
        };
        start_registration(victim_email).await;
        w.smtp.wait_for(victim_email, 1, WAIT).await;
        start_registration(ATTACKER_EMAIL).await;
        let own = w.smtp.wait_for(ATTACKER_EMAIL, 1, WAIT).await;
        let again = start_registration(victim_email).await;
        assert!(
            text_of(&again).contains("刚刚发送过"),
            "{backend}: {}",
            text_of(&again)
        );
        w.then(&attacker, "6 位激活码").await;
        w.say(&attacker, &code_in(&own.body), "校验码已过期或已使用")
            .await;
        w.then(&attacker, "6 位激活码").await;
        w.quiet(&attacker).await;
        let store = helpdesk::store::Store::connect(&url).await.expect("store");
        let state: (String,) = sqlx::query_as("SELECT node FROM chat_state WHERE chat_id = $1")
            .bind(attacker.id)
            .fetch_one(&store.pool)
            .await
            .expect("state");
        assert_eq!(
            state.0, "registration.activation",
            "{backend}: still not activated"
        );
        assert_eq!(w.mail_to(victim_email), 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_code_to_the_attackers_phone_does_not_verify_the_victims_number() {
    let scratch = Scratch::new("attack-phone");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let attacker = TestUser::new(70_201, "");
        register_to_phone(&w, &attacker, ATTACKER_EMAIL, "李四", &id_number(125)).await;
        // The victim's number first (the code goes to the victim)…
        let prompt = {
            w.say(&attacker, PHONE, "138****5678").await;
            w.then(&attacker, "6 位校验码").await
        };
        // … then their own…
        w.press(&attacker, &prompt, "换一个手机号", "手机号").await;
        w.say(&attacker, ATTACKER_PHONE, "139****0002").await;
        let prompt = w.then(&attacker, "6 位校验码").await;
        let own = w.sms.wait_for(ATTACKER_E164, 1, WAIT).await;
        // … then the victim's again: cooldown, the code prompt, and the attacker's code.
        w.press(&attacker, &prompt, "换一个手机号", "手机号").await;
        w.say(&attacker, PHONE, "刚刚发送过").await;
        w.then(&attacker, "6 位校验码").await;
        let refused = w
            .say(&attacker, &code_in(&own.text), "校验码已过期或已使用")
            .await;
        assert!(!text_of(&refused).contains("注册完成"), "{backend}");
        w.then(&attacker, "6 位校验码").await;
        w.quiet(&attacker).await;
        let store = helpdesk::store::Store::connect(&url).await.expect("store");
        let accounts: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(&store.pool)
            .await
            .expect("count");
        assert_eq!(
            accounts.0, 0,
            "{backend}: no account with the victim's number"
        );
        assert_eq!(w.sms_to(E164), 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_in_code_does_not_confirm_a_deletion_nor_the_other_way_round() {
    let scratch = Scratch::new("attack-purpose");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (owner, second) = (TestUser::new(70_301, ""), TestUser::new(70_302, ""));
        register(&w, &owner, EMAIL, "张三", ID, PHONE).await;
        w.advance(61);
        // A log-in code to the phone from a second chat, not typed there…
        let channel = login_channel(&w, &second, EMAIL).await;
        w.press(&second, &channel, "短信", "138****5678").await;
        w.then(&second, "6 位校验码").await;
        let login = w.sms.wait_for(E164, 2, WAIT).await;
        // … and a deletion code in the first chat.
        let confirm = w.say(&owner, "/delete_my_data", "无法恢复").await;
        w.press(&owner, &confirm, "确认删除", "确认删除").await;
        let erase = w.sms.wait_for(E164, 3, WAIT).await;
        w.say(&owner, &code_in(&login.text), "校验码不正确").await;
        w.say(&second, &code_in(&erase.text), "校验码不正确").await;
        assert_eq!(
            signed_in_chat(&url, EMAIL).await,
            Some(owner.id),
            "{backend}"
        );
        // Each in its own place still works.
        w.say(&second, &code_in(&login.text), "登录成功").await;
        assert_eq!(
            signed_in_chat(&url, EMAIL).await,
            Some(second.id),
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_chat_data_does_not_reset_the_limits_on_codes_to_a_phone() {
    let scratch = Scratch::new("attack-reset");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (victim, attacker) = (TestUser::new(70_401, ""), TestUser::new(70_402, ""));
        register(&w, &victim, EMAIL, "张三", ID, PHONE).await;
        let mut refusals = Vec::new();
        for round in 0..7 {
            let channel = login_channel(&w, &attacker, EMAIL).await;
            let from = w.tg.sent(attacker.id).len();
            w.tg.user_press(&attacker, channel.message_id, &button(&channel, "短信"));
            let (_, reply) = w.tg.wait_text_from(attacker.id, from, "", WAIT).await;
            refusals.push(text_of(&reply));
            // A chat without an account erases itself without a code.
            let confirm = w.say(&attacker, "/delete_my_data", "无法恢复").await;
            w.press(&attacker, &confirm, "确认删除", "个人数据已删除")
                .await;
            w.then(&attacker, "学信账号助手").await;
            if round % 2 == 1 {
                w.advance(61);
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let sent = w.sms_to(E164);
        assert!(
            sent <= 5,
            "{backend}: {sent} codes reached the phone within the hour: {refusals:?}"
        );
        assert!(
            refusals.iter().filter(|r| r.contains("刚刚发送过")).count() >= 3,
            "{backend}: the cooldown held across deletions: {refusals:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_purposes_does_not_get_more_than_five_codes_an_hour_to_one_number() {
    let scratch = Scratch::new("attack-purposes");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (owner, second) = (TestUser::new(70_501, ""), TestUser::new(70_502, ""));
        // 1: the phone code at registration.
        register(&w, &owner, EMAIL, "张三", ID, PHONE).await;
        let mut answers = Vec::new();
        for _ in 0..3 {
            // A deletion code in one chat and a log-in code in another, each a purpose of its own.
            let confirm = w.say(&owner, "/delete_my_data", "无法恢复").await;
            let reply = w.press(&owner, &confirm, "确认删除", "").await;
            answers.push(text_of(&reply));
            w.say(&owner, "/cancel", "").await;
            let channel = login_channel(&w, &second, EMAIL).await;
            let reply = w.press(&second, &channel, "短信", "").await;
            answers.push(text_of(&reply));
            w.advance(61);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(w.sms_to(E164), 5, "{backend}: {answers:?}");
        assert!(
            answers
                .iter()
                .filter(|a| a.contains("一小时内已发送 5 次"))
                .count()
                == 2,
            "{backend}: {answers:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_confirmed_only_by_e_mail_stays_unverified_and_gets_no_codes() {
    let scratch = Scratch::new("attack-unverified");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (student, later) = (TestUser::new(70_601, ""), TestUser::new(70_602, ""));
        // Someone else's number, and the code by e-mail instead.
        register_to_phone(&w, &student, ATTACKER_EMAIL, "李四", &id_number(127)).await;
        w.say(&student, PHONE, "138****5678").await;
        let prompt = w.then(&student, "6 位校验码").await;
        w.press(&student, &prompt, "改用邮件接收", "m***y@example.com")
            .await;
        w.then(&student, "6 位校验码").await;
        let mail = w.smtp.wait_for(ATTACKER_EMAIL, 2, WAIT).await;
        let done = w.say(&student, &code_in(&mail.body), "注册完成").await;
        assert!(
            text_of(&done).contains("手机号未通过短信验证")
                && !text_of(&done).contains("手机已验证"),
            "{backend}: {}",
            text_of(&done)
        );
        let store = helpdesk::store::Store::connect(&url).await.expect("store");
        let verified: (i64,) =
            sqlx::query_as("SELECT phone_verified_at FROM accounts WHERE email_norm = $1")
                .bind(ATTACKER_EMAIL)
                .fetch_one(&store.pool)
                .await
                .expect("account");
        assert_eq!(verified.0, 0, "{backend}: the phone was never proved");
        w.say(&student, "/status", "手机号未通过短信验证").await;
        // Log-in codes do not go to that number.
        w.advance(61);
        let channel = login_channel(&w, &later, ATTACKER_EMAIL).await;
        w.press(&later, &channel, "短信", "尚未通过短信验证").await;
        let channel = w.then(&later, "校验码发送到哪里").await;
        w.press(&later, &channel, "邮件", "m***y@example.com").await;
        w.then(&later, "6 位校验码").await;
        let mail = w.smtp.wait_for(ATTACKER_EMAIL, 3, WAIT).await;
        w.say(&later, &code_in(&mail.body), "登录成功").await;
        assert_eq!(
            w.sms_to(E164),
            1,
            "{backend}: only the first code reached the number"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probing_usernames_is_limited_per_chat_and_deletion_does_not_lift_it() {
    let scratch = Scratch::new("attack-probe");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let attacker = TestUser::new(70_701, "");
        for n in 0..10 {
            let menu = w.say(&attacker, "/start", "学信账号助手").await;
            w.press(&attacker, &menu, "登录已有账号", "注册时使用的电子邮箱")
                .await;
            w.say(
                &attacker,
                &format!("guess{n}@example.com"),
                "没有找到这个用户名",
            )
            .await;
        }
        let probe = |label: &'static str| {
            let (w, attacker) = (&w, &attacker);
            async move {
                let menu = w.say(attacker, "/start", "学信账号助手").await;
                w.press(attacker, &menu, "登录已有账号", "注册时使用的电子邮箱")
                    .await;
                w.say(attacker, label, "查询次数过多").await
            }
        };
        probe("guess10@example.com").await;
        // Erasing the chat's data does not start the count again.
        let confirm = w.say(&attacker, "/delete_my_data", "无法恢复").await;
        w.press(&attacker, &confirm, "确认删除", "个人数据已删除")
            .await;
        w.then(&attacker, "学信账号助手").await;
        let refused = probe("guess11@example.com").await;
        assert!(!text_of(&refused).contains("没有找到"), "{backend}");
        // Registration's "is this e-mail taken?" shares the limit.
        let menu = w.say(&attacker, "/start", "学信账号助手").await;
        w.press(&attacker, &menu, "注册账号", "电子邮箱").await;
        w.say(&attacker, "guess12@example.com", "查询次数过多")
            .await;
        assert_eq!(w.mail_to("guess12@example.com"), 0, "{backend}");
        // An hour later it works again.
        w.advance(61 * 60);
        let menu = w.say(&attacker, "/start", "学信账号助手").await;
        w.press(&attacker, &menu, "登录已有账号", "注册时使用的电子邮箱")
            .await;
        w.say(&attacker, "guess13@example.com", "没有找到这个用户名")
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_channel_button_does_not_send_a_code_for_the_username_typed_before() {
    let scratch = Scratch::new("attack-replay");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (victim, attacker) = (TestUser::new(70_801, ""), TestUser::new(70_802, ""));
        register(&w, &victim, EMAIL, "张三", ID, PHONE).await;
        w.advance(61);
        let old = login_channel(&w, &attacker, EMAIL).await;
        let data = button(&old, "短信");
        w.say(&attacker, "/start", "学信账号助手").await;
        let before = w.tg.sent(attacker.id).len();
        w.tg.user_press(&attacker, old.message_id, &data);
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            w.tg.sent(attacker.id).len(),
            before,
            "{backend}: nothing new"
        );
        let answers = w.tg.calls("answercallbackquery");
        assert!(
            answers.iter().any(|c| c.body["text"]
                .as_str()
                .is_some_and(|t| t.contains("已过期"))),
            "{backend}"
        );
        assert_eq!(w.sms_to(E164), 1, "{backend}: no code went to the victim");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn username_retrieval_stays_limited_per_id_number_across_deletion_and_new_chats() {
    let scratch = Scratch::new("attack-username");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let victim = TestUser::new(70_901, "");
        register(&w, &victim, EMAIL, "张三", ID, PHONE).await;
        let ask = |user: TestUser, expect: &'static str| {
            let w = &w;
            async move {
                let menu = w.say(&user, "/start", "学信账号助手").await;
                w.press(&user, &menu, "找回用户名", "真实姓名").await;
                w.say(&user, "张三", "证件号码").await;
                w.say(&user, ID, expect).await
            }
        };
        // Five look-ups of the number from one chat, each erased afterwards…
        let prober = TestUser::new(70_902, "");
        for _ in 0..5 {
            ask(prober.clone(), "找到了您的用户名").await;
            let confirm = w.say(&prober, "/delete_my_data", "无法恢复").await;
            w.press(&prober, &confirm, "确认删除", "个人数据已删除")
                .await;
            w.then(&prober, "学信账号助手").await;
        }
        // … and the sixth is refused, from that chat and from a fresh one, all day.
        ask(prober.clone(), "查询次数过多").await;
        w.advance(2 * 60 * 60);
        ask(TestUser::new(70_903, ""), "查询次数过多").await;
        assert_eq!(
            w.mail_to(EMAIL),
            1 + 5,
            "{backend}: activation and five look-ups"
        );
    }
}
