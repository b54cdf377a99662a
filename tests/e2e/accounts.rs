//! Accounts: registration with codes read from a real SMTP server and an HTTP SMS gateway,
//! ID numbers (check digit, legacy 15 digits), taken addresses and numbers, log-in from another
//! chat, username retrieval, restarts mid-flow, and the whole registration in English. The
//! rules of the codes themselves (wrong, dead, locked, cooldown, expiry, delivery) are in
//! `accounts_codes.rs`.

use crate::pipeline::{button, texts};
use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, Sent, TestUser};
use crate::support::mail::{SmtpServer, code_in};
use crate::support::sms::{Sms, SmsGateway};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// What the main menu's text says (in both languages), to tell the menu by.
const MENU_MARKS: [&str; 2] = ["学信账号助手", "student account assistant"];

/// The fakes and the bot for one test.
pub struct World {
    pub tg: FakeTelegram,
    pub smtp: SmtpServer,
    pub sms: SmsGateway,
    pub bot: Bot,
    pub dir: std::path::PathBuf,
    /// Per chat: how many of its messages the transcript has read, and what the last read
    /// one was looked for by (see [`World::then`]).
    read: Mutex<HashMap<i64, (usize, String)>>,
}

impl World {
    pub async fn start(dir: &Path, url: &str) -> World {
        World::start_with(dir, url, &[]).await
    }

    /// Like [`World::start`], with more settings for the bot.
    pub async fn start_with(dir: &Path, url: &str, extra: &[(&str, &str)]) -> World {
        let tg = FakeTelegram::start(TOKEN).await;
        let smtp = SmtpServer::start(&dir.join("smtp"));
        let sms = SmsGateway::start().await;
        let env = [
            ("SMTP_URL", smtp.url()),
            ("SMS_GATEWAY_URL", sms.url.clone()),
            ("SMS_GATEWAY_TOKEN", "gateway-token".to_string()),
        ];
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.extend_from_slice(extra);
        let bot = Bot::start(&tg.api_url(), url, dir, &env);
        World {
            tg,
            smtp,
            sms,
            bot,
            dir: dir.to_path_buf(),
            read: Mutex::new(HashMap::new()),
        }
    }

    /// Moves the bot's clock forward.
    pub fn advance(&self, seconds: i64) {
        let file = self.dir.join("clock");
        let now: i64 = std::fs::read_to_string(&file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        std::fs::write(file, (now + seconds).to_string()).expect("clock file");
    }

    /// Sends `text` and waits for a reply containing `expect` (among messages sent after it).
    pub async fn say(&self, user: &TestUser, text: &str, expect: &str) -> Sent {
        let from = self.tg.sent(user.id).len();
        self.tg.user_text(user, text);
        self.read_from(user, from, expect).await
    }

    /// Presses the button labelled `label` on `message` and waits for `expect`.
    pub async fn press(&self, user: &TestUser, message: &Sent, label: &str, expect: &str) -> Sent {
        let from = self.tg.sent(user.id).len();
        self.tg
            .user_press(user, message.message_id, &button(message, label));
        self.read_from(user, from, expect).await
    }

    /// Waits for a further message containing `expect`, after the last one read in this chat
    /// (the second message of one answer, or a message to a chat the student is not typing in).
    /// The message last read counts when `expect` is the main menu's and the message holds
    /// it: a flow's last words and the menu after them come as one message.
    pub async fn then(&self, user: &TestUser, expect: &str) -> Sent {
        let (from, last) = self.lock().get(&user.id).cloned().unwrap_or_default();
        // Only the main menu comes in the same message as what went before it.
        let menu = MENU_MARKS.iter().any(|m| expect.contains(m));
        if from > 0
            && menu
            && last != expect
            && let Some(read) = self.tg.sent(user.id).get(from - 1).cloned()
            && text_of(&read).contains(expect)
        {
            self.lock().insert(user.id, (from, expect.to_string()));
            return read;
        }
        self.read_from(user, from, expect).await
    }

    async fn read_from(&self, user: &TestUser, from: usize, expect: &str) -> Sent {
        let (index, sent) = self.tg.wait_text_from(user.id, from, expect, WAIT).await;
        self.lock().insert(user.id, (index + 1, expect.to_string()));
        sent
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (usize, String)>> {
        self.read.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits a moment and checks that nothing more was sent to the chat than was read.
    pub async fn quiet(&self, user: &TestUser) {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let read = self.lock().get(&user.id).map_or(0, |r| r.0);
        let all = self.tg.sent(user.id);
        let more: Vec<String> = all.iter().skip(read).map(text_of).collect();
        assert!(
            more.is_empty(),
            "unexpected messages to {}: {more:?}",
            user.id
        );
    }

    /// Accepted SMS to `e164` so far.
    pub fn sms_to(&self, e164: &str) -> usize {
        self.sms.received().iter().filter(|s| s.to == e164).count()
    }

    /// Mail to `address` (any case) so far.
    pub fn mail_to(&self, address: &str) -> usize {
        self.smtp
            .received()
            .iter()
            .filter(|m| m.to.eq_ignore_ascii_case(address))
            .count()
    }
}

/// The text (or caption) of a sent message.
pub fn text_of(sent: &Sent) -> String {
    sent.text
        .clone()
        .or_else(|| sent.caption.clone())
        .unwrap_or_default()
}

pub const ID: &str = "11010519491231002X";
pub const EMAIL: &str = "Zhang.San@Example.com";
pub const PHONE: &str = "13812345678";
pub const E164: &str = "+8613812345678";

/// From the main menu to the ID-number prompt, in Chinese: e-mail, activation code from the
/// mail, ID type, name.
pub async fn register_to_id_number(w: &World, user: &TestUser, email: &str, name: &str) {
    let menu = w.say(user, "/start", "学信账号助手").await;
    w.press(user, &menu, "注册账号", "电子邮箱").await;
    let n = w.mail_to(email) + 1;
    w.say(user, email, "6 位激活码").await;
    let mail = w.smtp.wait_for(email, n, WAIT).await;
    let types = w.say(user, &code_in(&mail.body), "证件类型").await;
    w.press(user, &types, "居民身份证", "真实姓名").await;
    w.say(user, name, "证件号码").await;
}

/// … then the ID number, confirmed, to the phone prompt.
pub async fn register_to_phone(w: &World, user: &TestUser, email: &str, name: &str, id: &str) {
    register_to_id_number(w, user, email, name).await;
    let confirm = w.say(user, id, "请确认您的信息").await;
    w.press(user, &confirm, "信息正确", "手机号").await;
}

/// … then the phone number: the code prompt (with its buttons) and the SMS that came.
pub async fn register_to_sms_code(
    w: &World,
    user: &TestUser,
    email: &str,
    name: &str,
    id: &str,
    phone: &str,
) -> (Sent, Sms) {
    register_to_phone(w, user, email, name, id).await;
    let e164 = format!("+86{phone}");
    let n = w.sms_to(&e164) + 1;
    w.say(user, phone, "校验码已通过短信发送到").await;
    let prompt = w.then(user, "6 位校验码").await;
    let sms = w.sms.wait_for(&e164, n, WAIT).await;
    (prompt, sms)
}

/// Registers `email` with phone `phone` from `user`'s chat, in Chinese, back to the main menu.
pub async fn register(w: &World, user: &TestUser, email: &str, name: &str, id: &str, phone: &str) {
    let (_, sms) = register_to_sms_code(w, user, email, name, id, phone).await;
    w.say(user, &code_in(&sms.text), "注册完成").await;
    w.then(user, "学信账号助手").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_registers_activates_verifies_the_phone_and_sees_the_status() {
    let scratch = Scratch::new("register");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_001, "");
        register(&w, &student, EMAIL, "张三", ID, PHONE).await;
        let confirm = texts(&w.tg, student.id)
            .into_iter()
            .find(|t| t.contains("请确认您的信息"))
            .expect("confirm");
        assert!(
            confirm.contains("1949年12月31日") && confirm.contains("女"),
            "{backend}: {confirm}"
        );
        let sms = w.sms.received();
        assert_eq!(sms[0].token.as_deref(), Some("gateway-token"), "{backend}");
        let status = w.say(&student, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(
            text.contains("Z***n@Example.com") && text.contains("实名信息已绑定"),
            "{backend}: {text}"
        );
        // No code, secret, full ID number or address in the log.
        let logs = w.bot.logs();
        assert!(
            !logs.contains(ID) && !logs.contains(EMAIL) && !logs.contains(&code_in(&sms[0].text)),
            "{backend}: {logs}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_check_digit_names_the_expected_character_and_keeps_the_step() {
    let scratch = Scratch::new("check-digit");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_101, "");
        register_to_id_number(&w, &student, EMAIL, "张三").await;
        // The last character of 11010519491231002X typed as 1.
        let error = w.say(&student, "110105194912310021", "校验位").await;
        let text = text_of(&error);
        assert!(text.contains("校验位应为 X"), "{backend}: {text}");
        // Another number, another expected character: it is computed, not a fixed hint.
        let error = w.say(&student, "440301198506151230", "校验位").await;
        let text = text_of(&error);
        assert!(text.contains("校验位应为 8"), "{backend}: {text}");
        // Still at the ID-number step: the right number (lowercase x) is taken.
        let confirm = w
            .say(&student, "11010519491231002x", "请确认您的信息")
            .await;
        let text = text_of(&confirm);
        assert!(
            text.contains("110105********002X")
                && !text.contains(ID)
                && text.contains("张三")
                && text.contains("1949年12月31日"),
            "{backend}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_15_digit_id_number_is_accepted_with_birth_date_and_gender_shown() {
    let scratch = Scratch::new("legacy-id");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_201, "");
        register_to_id_number(&w, &student, EMAIL, "王五").await;
        let confirm = w.say(&student, "440301850615123", "请确认您的信息").await;
        let text = text_of(&confirm);
        assert!(
            text.contains("440301********1238")
                && !text.contains("440301198506151238")
                && text.contains("1985年6月15日")
                && text.contains("性别：男"),
            "{backend}: the 18-character form (masked), born 15 June 1985, male: {text}"
        );
        w.press(&student, &confirm, "信息正确", "手机号").await;
        w.say(&student, PHONE, "校验码已通过短信发送到").await;
        w.then(&student, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 1, WAIT).await;
        w.say(&student, &code_in(&sms.text), "注册完成").await;
        // The account keeps the converted number.
        let store = helpdesk::store::Store::connect(&url).await.expect("store");
        let stored: Vec<(String,)> =
            sqlx::query_as("SELECT id_number FROM accounts WHERE email_norm = $1")
                .bind(EMAIL.to_lowercase())
                .fetch_all(&store.pool)
                .await
                .expect("accounts");
        assert_eq!(
            stored,
            vec![("440301198506151238".to_string(),)],
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_email_offers_log_in_or_another_address() {
    let scratch = Scratch::new("email-taken");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (first, second) = (TestUser::new(10_301, ""), TestUser::new(10_302, ""));
        register(&w, &first, EMAIL, "张三", ID, PHONE).await;

        let menu = w.say(&second, "/start", "学信账号助手").await;
        w.press(&second, &menu, "注册账号", "电子邮箱").await;
        let taken = w
            .say(&second, "zhang.san@EXAMPLE.com", "已经注册过账号")
            .await;
        let labels: Vec<String> = taken.buttons().into_iter().map(|(t, _)| t).collect();
        assert!(
            labels.iter().any(|l| l.contains("用这个账号登录"))
                && labels.iter().any(|l| l.contains("换一个邮箱")),
            "{backend}: {labels:?}"
        );
        // Another address: back at the e-mail step.
        w.press(&second, &taken, "换一个邮箱", "请输入您的<b>电子邮箱</b>")
            .await;
        let taken = w
            .say(&second, "ZHANG.SAN@example.com", "已经注册过账号")
            .await;
        // Log in instead: the log-in flow asks for the username.
        w.press(&second, &taken, "用这个账号登录", "注册时使用的电子邮箱")
            .await;
        w.quiet(&second).await;
        assert_eq!(
            w.mail_to(EMAIL),
            1,
            "{backend}: only the first registration's activation mail"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_number_of_another_account_is_allowed_after_the_student_confirms() {
    let scratch = Scratch::new("phone-used");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (first, second) = (TestUser::new(10_401, ""), TestUser::new(10_402, ""));
        register(&w, &first, EMAIL, "张三", ID, PHONE).await;

        register_to_phone(
            &w,
            &second,
            "li.si@example.com",
            "李四",
            "310104199003074561",
        )
        .await;
        // The resend cooldown follows the number, whichever chat asks: a minute passes.
        w.advance(61);
        let used = w.say(&second, PHONE, "已被其他账号使用").await;
        let text = text_of(&used);
        assert!(text.contains("138****5678"), "{backend}: {text}");
        assert_eq!(w.sms_to(E164), 1, "{backend}: no code before confirming");
        w.press(&second, &used, "继续使用这个号码", "校验码已通过短信发送到")
            .await;
        w.then(&second, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 2, WAIT).await;
        w.say(&second, &code_in(&sms.text), "注册完成").await;
        w.then(&second, "学信账号助手").await;

        let status = w.say(&second, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(
            text.contains("l***i@example.com") && text.contains("实名信息已绑定"),
            "{backend}: {text}"
        );
        let status = w.say(&first, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(text.contains("Z***n@Example.com"), "{backend}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_in_from_another_chat_signs_the_old_chat_out() {
    let scratch = Scratch::new("login");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (old, new) = (TestUser::new(10_801, ""), TestUser::new(10_802, ""));
        register(&w, &old, EMAIL, "张三", ID, PHONE).await;

        let menu = w.say(&new, "/start", "学信账号助手").await;
        w.press(&new, &menu, "登录已有账号", "注册时使用的电子邮箱")
            .await;
        let channel = w
            .say(&new, "zhang.san@example.com", "校验码发送到哪里")
            .await;
        let text = text_of(&channel);
        assert!(
            text.contains("138****5678") && text.contains("Z***n@Example.com"),
            "{backend}: {text}"
        );
        w.press(&new, &channel, "短信", "校验码已通过短信发送到 138****5678")
            .await;
        w.then(&new, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 2, WAIT).await;
        assert!(sms.text.contains("登录校验码"), "{backend}: {}", sms.text);
        w.say(&new, &code_in(&sms.text), "登录成功").await;
        w.then(&new, "学信账号助手").await;

        w.then(&old, "已在另一个 Telegram 对话中登录").await;
        let status = w.say(&new, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(
            text.contains("Z***n@Example.com") && text.contains("实名信息已绑定"),
            "{backend}: {text}"
        );
        let status = w.say(&old, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(text.contains("尚未注册或登录"), "{backend}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_username_is_found_masked_and_mailed_and_lookups_are_limited() {
    let scratch = Scratch::new("username");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (owner, student) = (TestUser::new(10_901, ""), TestUser::new(10_902, ""));
        register(&w, &owner, EMAIL, "张三", ID, PHONE).await;

        // 1st look-up: found, masked here, in full by mail to the account's address.
        let menu = w.say(&student, "/start", "学信账号助手").await;
        w.press(&student, &menu, "找回用户名", "真实姓名").await;
        w.say(&student, "张三", "证件号码").await;
        let found = w.say(&student, ID, "找到了您的用户名").await;
        let text = text_of(&found);
        assert!(
            text.contains("Z***n@Example.com") && !text.contains(EMAIL),
            "{backend}: {text}"
        );
        let mail = w.smtp.wait_for(EMAIL, 2, WAIT).await;
        assert!(
            mail.subject.contains("找回用户名") && mail.body.contains(EMAIL),
            "{backend}: {mail:?}"
        );
        let menu = w.then(&student, "学信账号助手").await;

        // 2nd to 5th: no account with this name and number.
        w.press(&student, &menu, "找回用户名", "真实姓名").await;
        w.say(&student, "李四", "证件号码").await;
        let mut none = w
            .say(&student, ID, "没有找到与这个姓名和证件号码对应的账号")
            .await;
        for _ in 3..=5 {
            w.press(&student, &none, "重新输入", "真实姓名").await;
            w.say(&student, "李四", "证件号码").await;
            none = w.say(&student, ID, "没有找到").await;
        }

        // 6th within the hour: refused, even with the right name.
        w.press(&student, &none, "重新输入", "真实姓名").await;
        w.say(&student, "张三", "证件号码").await;
        w.say(&student, ID, "查询次数过多").await;
        w.then(&student, "学信账号助手").await;
        w.quiet(&student).await;
        assert_eq!(
            w.mail_to(EMAIL),
            2,
            "{backend}: no mail for a refused look-up"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_mid_registration_continues_at_the_same_step_with_the_answers() {
    let scratch = Scratch::new("register-restart");
    for (backend, url) in backends(&scratch.dir).await {
        let mut w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(11_001, "");
        register_to_id_number(&w, &student, EMAIL, "张三").await;

        w.bot.stop();
        w.bot.restart();
        let confirm = w.say(&student, ID, "请确认您的信息").await;
        let text = text_of(&confirm);
        assert!(text.contains("张三"), "{backend}: the name is kept: {text}");
        w.press(&student, &confirm, "信息正确", "手机号").await;
        w.say(&student, PHONE, "校验码已通过短信发送到").await;
        w.then(&student, "6 位校验码").await;
        let sms = w.sms.wait_for(E164, 1, WAIT).await;

        w.bot.stop();
        w.bot.restart();
        let done = w.say(&student, &code_in(&sms.text), "注册完成").await;
        let text = text_of(&done);
        assert!(
            text.contains(EMAIL),
            "{backend}: the e-mail is kept: {text}"
        );
        let status = w.say(&student, "/status", "我的进度").await;
        let text = text_of(&status);
        assert!(text.contains("实名信息已绑定"), "{backend}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_registration_in_english() {
    let scratch = Scratch::new("register-en");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(11_201, "en");
        let menu = w.say(&student, "/start", "student account assistant").await;
        w.press(&student, &menu, "Register an account", "e-mail address")
            .await;
        w.say(
            &student,
            EMAIL,
            "A code has been e-mailed to Z***n@Example.com",
        )
        .await;
        w.then(&student, "6-digit activation code").await;
        let mail = w.smtp.wait_for(EMAIL, 1, WAIT).await;
        assert!(
            mail.subject.contains("Your activation code")
                && mail.body.contains("Your activation code is"),
            "{backend}: {mail:?}"
        );
        let types = w
            .say(&student, &code_in(&mail.body), "choose your ID type")
            .await;
        w.press(&student, &types, "Resident ID card", "real name")
            .await;
        w.say(&student, "张三", "Please type your ID number").await;
        let confirm = w.say(&student, ID, "Please confirm").await;
        let text = text_of(&confirm);
        assert!(
            text.contains("31 December 1949") && text.contains("Gender: female"),
            "{backend}: {text}"
        );
        w.press(&student, &confirm, "That is right", "mobile number")
            .await;
        w.say(&student, PHONE, "sent by SMS to 138****5678").await;
        w.then(&student, "6-digit code").await;
        let sms = w.sms.wait_for(E164, 1, WAIT).await;
        assert!(
            sms.text.contains("Your phone verification code is"),
            "{backend}: {}",
            sms.text
        );
        let done = w
            .say(&student, &code_in(&sms.text), "Registration complete!")
            .await;
        let text = text_of(&done);
        assert!(text.contains(EMAIL), "{backend}: {text}");
        w.then(&student, "student account assistant").await;
        let status = w.say(&student, "/status", "My progress").await;
        let text = text_of(&status);
        assert!(
            text.contains("Z***n@Example.com · active · phone verified · real-name details bound"),
            "{backend}: {text}"
        );
        let all = texts(&w.tg, student.id).join("\n");
        assert!(
            !all.chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && c != '张' && c != '三'),
            "{backend}: Chinese text in an English chat: {all}"
        );
    }
}
