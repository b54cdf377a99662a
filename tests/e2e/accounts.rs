//! Accounts: registration with codes read from a real SMTP server and an HTTP SMS gateway,
//! the code rules, log-in from another chat, username retrieval.

use crate::pipeline::{button, texts};
use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, Sent, TestUser};
use crate::support::mail::{SmtpServer, code_in};
use crate::support::sms::SmsGateway;
use std::path::Path;

/// The fakes and the bot for one test.
pub struct World {
    pub tg: FakeTelegram,
    pub smtp: SmtpServer,
    pub sms: SmsGateway,
    pub bot: Bot,
    pub dir: std::path::PathBuf,
}

impl World {
    pub async fn start(dir: &Path, url: &str) -> World {
        let tg = FakeTelegram::start(TOKEN).await;
        let smtp = SmtpServer::start(&dir.join("smtp"));
        let sms = SmsGateway::start().await;
        let env = [
            ("SMTP_URL", smtp.url()),
            ("SMS_GATEWAY_URL", sms.url.clone()),
            ("SMS_GATEWAY_TOKEN", "gateway-token".to_string()),
        ];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bot = Bot::start(&tg.api_url(), url, dir, &env);
        World {
            tg,
            smtp,
            sms,
            bot,
            dir: dir.to_path_buf(),
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

    /// Sends `text` and waits for a reply containing `expect`.
    pub async fn say(&self, user: &TestUser, text: &str, expect: &str) -> Sent {
        self.tg.user_text(user, text);
        self.tg.wait_text(user.id, expect, WAIT).await
    }

    /// Presses the button labelled `label` on `message` and waits for `expect`.
    pub async fn press(&self, user: &TestUser, message: &Sent, label: &str, expect: &str) -> Sent {
        self.tg
            .user_press(user, message.message_id, &button(message, label));
        self.tg.wait_text(user.id, expect, WAIT).await
    }
}

pub const ID: &str = "11010519491231002X";

/// Registers `email` with phone `phone` from `user`'s chat, in Chinese.
pub async fn register(w: &World, user: &TestUser, email: &str, name: &str, id: &str, phone: &str) {
    let menu = w.say(user, "/start", "学信账号助手").await;
    w.press(user, &menu, "注册账号", "电子邮箱").await;
    w.say(user, email, "6 位激活码").await;
    let mail = w.smtp.wait_for(email, 1, WAIT).await;
    let types = w.say(user, &code_in(&mail.body), "证件类型").await;
    w.press(user, &types, "居民身份证", "真实姓名").await;
    w.say(user, name, "证件号码").await;
    let confirm = w.say(user, id, "请确认您的信息").await;
    w.press(user, &confirm, "信息正确", "手机号").await;
    let e164 = format!("+86{phone}");
    let n = w.sms.received().iter().filter(|s| s.to == e164).count() + 1;
    w.say(user, phone, "6 位校验码").await;
    let sms = w.sms.wait_for(&e164, n, WAIT).await;
    w.say(user, &code_in(&sms.text), "注册完成").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_registers_activates_verifies_the_phone_and_sees_the_status() {
    let scratch = Scratch::new("register");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(10_001, "");
        register(
            &w,
            &student,
            "Zhang.San@Example.com",
            "张三",
            ID,
            "13812345678",
        )
        .await;
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
        let text = status.text.unwrap_or_default();
        assert!(
            text.contains("Z***n@Example.com") && text.contains("实名信息已绑定"),
            "{backend}: {text}"
        );
        // No code, secret, full ID number or address in the log.
        let logs = w.bot.logs();
        assert!(
            !logs.contains(ID)
                && !logs.contains("Zhang.San@Example.com")
                && !logs.contains(&code_in(&sms[0].text)),
            "{backend}: {logs}"
        );
    }
}
