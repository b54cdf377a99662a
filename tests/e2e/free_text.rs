//! Free text: a student who types instead of pressing buttons gets where they need to go in
//! one message, the site's pasted error texts included; a question at the code step is
//! answered without losing the step; what nobody understood is kept for the operator with no
//! phone, e-mail or ID number in it.

use crate::accounts::{E164, EMAIL, ID, PHONE, World, register_to_sms_code, text_of};
use crate::pipeline::texts;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_questions_and_pasted_error_texts_lead_straight_to_the_answer() {
    let scratch = Scratch::new("free-text");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents::agent_world(&scratch.dir.join(backend), &url, "").await;
        let student = TestUser::new(16_001, "");
        w.say(&student, "/start", "学信账号助手").await;
        // One message: what was understood, then the answer itself.
        let code = w.say(&student, "收不到验证码", "我理解您要办的是").await;
        assert!(
            text_of(&code).contains("收不到校验码"),
            "{backend}: {code:?}"
        );
        let taken = w
            .say(
                &student,
                "证件号码已被注册,查看【解决方法】",
                "我理解您要办的是",
            )
            .await;
        assert!(
            text_of(&taken).contains("表示系统中已有可用的账号"),
            "{backend}: {}",
            text_of(&taken)
        );
        let review = w
            .say(
                &student,
                "证件号码已经被注册，客服审核通过后才能被再次注册",
                "我理解您要办的是",
            )
            .await;
        assert!(text_of(&review).contains("等待客服审核"), "{backend}");
        let human = w.say(&student, "转人工", "工单号").await;
        assert!(text_of(&human).contains("人工客服"), "{backend}");
        assert!(
            !texts(&w.tg, student.id)
                .iter()
                .any(|t| t.contains("请点击下面的按钮进行选择")),
            "{backend}: no typed question is told to press a button"
        );

        let english = TestUser::new(16_002, "en");
        w.say(&english, "/start", "student account assistant").await;
        let steps = w.say(&english, "what are the steps", "I understood").await;
        assert!(
            text_of(&steps).contains("The steps to register and check"),
            "{backend}: {}",
            text_of(&steps)
        );
        // A typo and traditional characters still find their way.
        let username = w.say(&english, "I forgot my usernme", "I understood").await;
        assert!(text_of(&username).contains("username"), "{backend}");
        w.say(&english, "/menu", "student account assistant").await;
        w.say(&english, "驗證碼收不到", "I understood").await;
        w.quiet(&english).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_at_the_code_step_is_answered_and_the_step_is_kept() {
    let scratch = Scratch::new("free-text-step");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(16_011, "");
        let (_, sms) = register_to_sms_code(&w, &student, EMAIL, "张三", ID, PHONE).await;
        w.say(&student, "我没收到验证码", "收不到校验码").await;
        w.then(&student, "6 位校验码").await;
        // The step is still the code step: the code that came completes the registration.
        w.say(&student, &code_in(&sms.text), "注册完成").await;
        assert_eq!(w.sms_to(E164), 1, "{backend}: no code was sent again");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_nobody_understood_is_kept_for_the_operator_without_personal_data() {
    let scratch = Scratch::new("free-text-unmatched");
    for (backend, url) in backends(&scratch.dir).await {
        let w = crate::agents::agent_world(&scratch.dir.join(backend), &url, "").await;
        let student = TestUser::new(16_021, "");
        w.say(&student, "/start", "学信账号助手").await;
        let unknown = w
            .say(
                &student,
                "我的快递到了吗 13812345678 zhang.san@example.com 11010519491231002X",
                "没能理解您的问题",
            )
            .await;
        let labels: Vec<String> = unknown.buttons().into_iter().map(|(t, _)| t).collect();
        assert!(
            labels.iter().any(|l| l.contains("常见问题"))
                && labels.iter().any(|l| l.contains("人工")),
            "{backend}: {labels:?}"
        );
        // A close call: the best few, and "none of these" brings a person.
        let close = w.say(&student, "注册还是登录", "不太确定").await;
        assert!(
            close.buttons().len() >= 3,
            "{backend}: {:?}",
            close.buttons()
        );
        w.press(&student, &close, "都不是", "工单号").await;

        let output = std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"))
            .args(["intents", "unmatched"])
            .env("DATABASE_URL", &url)
            .output()
            .expect("run helpdesk intents unmatched");
        let listed = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{backend}: {listed}");
        assert!(
            listed.contains("我的快递到了吗 [phone] [email] [id number]")
                && listed.contains("no_match")
                && listed.contains("注册还是登录")
                && listed.contains("none_of_these"),
            "{backend}: {listed}"
        );
        for secret in [
            "13812345678",
            "zhang.san",
            "example.com",
            "11010519491231002X",
        ] {
            assert!(
                !listed.contains(secret),
                "{backend}: {secret} kept: {listed}"
            );
        }
    }
}
