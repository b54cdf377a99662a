//! Attacks on identity, written as the attacker's transcript: guessing the record questions
//! past their limit, an accomplice or the holder confirming a claim, a claim taking effect
//! before the holder could object, walking a classmate's name to their record, and binding
//! one ID number from two chats at once.

use crate::accounts::{ID, World, register, register_to_sms_code, text_of};
use crate::duplicates::{dup_menu, register_pending};
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;
use helpdesk::store::Store;
use std::path::Path;

/// 李四, a classmate with their own number.
pub(crate) const HELPER_ID: &str = "110105199003071239";
/// A checksum-valid number nobody's roster has.
const STRAY_ID: &str = "110105200001010016";

/// Imports a roster: 张三 (ID), 李四 (HELPER_ID) in one class, plus `extra` rows.
pub(crate) async fn roster(dir: &Path, url: &str, extra: &str) {
    let store = Store::connect(url).await.expect("db");
    let files = helpdesk::files::FileStore::local(dir.join("files"));
    std::fs::create_dir_all(dir.join("roster")).expect("dir");
    let csv = format!(
        "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo\n\
         20220007,张三,女,1949-12-31,mainland,{ID},示例大学,计算机学院,软件工程,本科,全日制,软件2201,2022-09-01,2026-06-30,李老师,\n\
         20220008,李四,男,1990-03-07,mainland,{HELPER_ID},示例大学,计算机学院,软件工程,本科,全日制,软件2201,2022-09-01,2026-06-30,李老师,\n{extra}"
    );
    std::fs::write(dir.join("roster/r.csv"), csv).expect("csv");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    helpdesk::service::records::import::import(
        &store,
        &files,
        &dir.join("roster/r.csv"),
        None,
        today,
        0,
    )
    .await
    .expect("import");
    store.pool.close().await;
}

/// Answers the record questions once (student number, enrolment month, major).
async fn quiz(
    w: &World,
    user: &TestUser,
    no: &str,
    month: &str,
    major: &str,
    expect: &str,
) -> crate::support::fake_telegram::Sent {
    w.say(user, no, "入学年月").await;
    w.say(user, month, "专业").await;
    w.say(user, major, expect).await
}

async fn count(url: &str, sql: &str) -> i64 {
    let store = Store::connect(url).await.expect("db");
    let row: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&store.pool)
        .await
        .expect("count");
    row.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_questions_cannot_be_guessed_past_three_tries_by_going_round_or_a_second_account() {
    let scratch = Scratch::new("atk-quiz");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (holder, attacker, second) = (
            TestUser::new(60_001, ""),
            TestUser::new(60_002, ""),
            TestUser::new(60_003, ""),
        );
        register(&w, &holder, "holder@example.com", "张三", ID, "13800000601").await;
        register_pending(&w, &attacker, "atk@example.com", "13800000602").await;
        let options = dup_menu(&w, &attacker, "请选择一种方式").await;
        w.press(&attacker, &options, "回答学籍问题", "学号").await;
        // Sequential student numbers: two misses say how many tries are left, never which.
        quiz(
            &w,
            &attacker,
            "20220001",
            "2022-09",
            "软件工程",
            "还可以再试 2 次",
        )
        .await;
        quiz(
            &w,
            &attacker,
            "20220002",
            "2022-09",
            "软件工程",
            "还可以再试 1 次",
        )
        .await;
        let failed = quiz(
            &w,
            &attacker,
            "20220003",
            "2022-09",
            "软件工程",
            "无法通过学籍信息确认身份",
        )
        .await;
        // "Other ways" → the questions again: refused before a single question.
        let options = w
            .press(&attacker, &failed, "其他确认方式", "请选择一种方式")
            .await;
        w.press(
            &attacker,
            &options,
            "回答学籍问题",
            "无法通过学籍信息确认身份",
        )
        .await;
        // A second account with the same number, and the right answers: still refused.
        register_pending(&w, &second, "atk2@example.com", "13800000603").await;
        let options = dup_menu(&w, &second, "请选择一种方式").await;
        w.press(
            &second,
            &options,
            "回答学籍问题",
            "无法通过学籍信息确认身份",
        )
        .await;
        assert_eq!(
            count(
                &url,
                "SELECT COUNT(*) FROM accounts WHERE binding = 'resolved'"
            )
            .await,
            0,
            "{backend}: no guess resolved the duplicate"
        );
        assert!(
            texts(&w.tg, holder.id)
                .iter()
                .all(|t| !t.contains("申请确认")),
            "{backend}: nothing was claimed"
        );
        // A day later the student who knows the record gets their three tries back.
        w.advance(25 * 3600);
        let options = dup_menu(&w, &second, "请选择一种方式").await;
        w.press(&second, &options, "回答学籍问题", "学号").await;
        quiz(
            &w,
            &second,
            "20220007",
            "2022年9月",
            "软件 工程",
            "身份已确认",
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accomplice_or_the_holder_cannot_confirm_a_claim_and_the_answer_is_the_same() {
    let scratch = Scratch::new("atk-peer");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (holder, attacker, accomplice, classmate) = (
            TestUser::new(61_001, ""),
            TestUser::new(61_002, ""),
            TestUser::new(61_003, ""),
            TestUser::new(61_004, ""),
        );
        register(&w, &holder, "holder@example.com", "张三", ID, "13800000611").await;
        // A fresh account with an unused checksum-valid number: bound, but to no record.
        register(
            &w,
            &accomplice,
            "acc@example.com",
            "王五",
            STRAY_ID,
            "13800000613",
        )
        .await;
        register(
            &w,
            &classmate,
            "lisi@example.com",
            "李四",
            HELPER_ID,
            "13800000614",
        )
        .await;
        register_pending(&w, &attacker, "atk@example.com", "13800000612").await;
        let ask = |name: &'static str, username: &'static str| {
            let (w, a) = (&w, &attacker);
            async move {
                let options = dup_menu(w, a, "请选择一种方式").await;
                w.press(a, &options, "请同学协助", "真实姓名").await;
                w.say(a, name, "用户名").await;
                let answer = text_of(&w.say(a, username, "协助请求").await);
                w.then(a, "学信账号助手").await;
                answer
            }
        };
        let to_accomplice = ask("王五", "acc@example.com").await;
        let to_holder = ask("张三", "holder@example.com").await;
        let to_nobody = ask("赵六", "nobody@example.com").await;
        assert!(
            to_accomplice == to_holder && to_holder == to_nobody,
            "{backend}: the same answer whoever was named"
        );
        // The fourth request in a day on top of three waiting is refused by the cap.
        let options = dup_menu(&w, &attacker, "请选择一种方式").await;
        w.press(&attacker, &options, "请同学协助", "真实姓名").await;
        w.say(&attacker, "李四", "用户名").await;
        w.say(&attacker, "lisi@example.com", "已达上限").await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        for user in [&holder, &accomplice, &classmate] {
            assert!(
                texts(&w.tg, user.id)
                    .iter()
                    .all(|t| !t.contains("协助请求")),
                "{backend}: {} never got a request to confirm",
                user.id
            );
        }
        assert_eq!(
            count(
                &url,
                "SELECT COUNT(*) FROM assist_requests WHERE helper_account IS NOT NULL"
            )
            .await,
            0,
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_waits_out_the_dispute_window_the_holder_is_told_and_can_object() {
    let scratch = Scratch::new("atk-dispute");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (holder, attacker, classmate) = (
            TestUser::new(62_001, ""),
            TestUser::new(62_002, ""),
            TestUser::new(62_003, ""),
        );
        register(&w, &holder, "holder@example.com", "张三", ID, "13800000621").await;
        register(
            &w,
            &classmate,
            "lisi@example.com",
            "李四",
            HELPER_ID,
            "13800000623",
        )
        .await;
        register_pending(&w, &attacker, "atk@example.com", "13800000622").await;
        let options = dup_menu(&w, &attacker, "请选择一种方式").await;
        w.press(&attacker, &options, "请同学协助", "真实姓名").await;
        w.say(&attacker, "李四", "用户名").await;
        w.say(&attacker, "lisi@example.com", "协助请求已发送").await;
        // The classmate sees who asks before accepting.
        let request = w.then(&classmate, "协助请求").await;
        let shown = text_of(&request);
        assert!(
            shown.contains("张三") && shown.contains("110105********002X"),
            "{backend}: {shown}"
        );
        let mails = w.mail_to("holder@example.com");
        w.press(&classmate, &request, "接受", "已接受协助请求")
            .await;
        w.then(&attacker, "异议期").await;
        // The holder is told at once, in Telegram with a button and by e-mail.
        let notice = w.then(&holder, "申请确认证件号码").await;
        let mail = w.smtp.wait_for("holder@example.com", mails + 1, WAIT).await;
        assert!(mail.body.contains("这不是我"), "{backend}: {}", mail.body);
        // No binding before the window ends.
        dup_menu(&w, &attacker, "异议期内").await;
        w.then(&attacker, "学信账号助手").await;
        w.advance(24 * 3600);
        dup_menu(&w, &attacker, "异议期内").await;
        w.then(&attacker, "学信账号助手").await;
        // The holder objects: the claim is frozen and an agent gets a ticket.
        w.press(&holder, &notice, "这不是我", "已提出异议").await;
        w.then(&attacker, "提出了异议").await;
        w.advance(72 * 3600);
        dup_menu(&w, &attacker, "提出了异议").await;
        assert_eq!(
            count(
                &url,
                "SELECT COUNT(*) FROM tickets WHERE kind = 'id_objection'"
            )
            .await,
            1,
            "{backend}"
        );
        assert_eq!(
            count(&url, "SELECT COUNT(*) FROM accounts WHERE binding = 'bound' AND email = 'holder@example.com'").await,
            1,
            "{backend}: the holder keeps the number"
        );
        // Pressing the old notice again opens nothing more.
        w.tg.user_press(
            &holder,
            notice.message_id,
            &crate::pipeline::button(&notice, "这不是我"),
        );
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert_eq!(
            count(
                &url,
                "SELECT COUNT(*) FROM tickets WHERE kind = 'id_objection'"
            )
            .await,
            1,
            "{backend}: a replayed objection opens no second ticket"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_objection_binding_opens_after_the_window_and_a_holder_without_chat_gets_mail() {
    let scratch = Scratch::new("atk-window");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (holder, student) = (TestUser::new(63_001, ""), TestUser::new(63_002, ""));
        register(&w, &holder, "holder@example.com", "张三", ID, "13800000631").await;
        // The holder's chat moves on to another account: the first one has no chat now.
        register(
            &w,
            &holder,
            "other@example.com",
            "王五",
            STRAY_ID,
            "13800000633",
        )
        .await;
        register_pending(&w, &student, "real@example.com", "13800000632").await;
        let options = dup_menu(&w, &student, "请选择一种方式").await;
        w.press(&student, &options, "回答学籍问题", "学号").await;
        let mails = w.mail_to("holder@example.com");
        quiz(&w, &student, "20220007", "2022-09", "软件工程", "异议期").await;
        w.then(&student, "学信账号助手").await;
        let mail = w.smtp.wait_for("holder@example.com", mails + 1, WAIT).await;
        assert!(
            mail.body.contains("回答学籍问题"),
            "{backend}: {}",
            mail.body
        );
        w.advance(73 * 3600);
        let offer = dup_menu(&w, &student, "现在可以<b>绑定实名信息</b>").await;
        crate::duplicates::bind(&w, &student, &offer, "13800000632").await;
        let mail = w.smtp.wait_for("holder@example.com", mails + 2, WAIT).await;
        assert!(
            mail.body.contains("解除绑定")
                && mail.body.contains("回答学籍问题")
                && !mail.body.contains(ID),
            "{backend}: {}",
            mail.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowing_a_classmates_id_number_does_not_walk_the_name_to_their_record() {
    let scratch = Scratch::new("atk-walk");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        let third = "110105194912310038";
        roster(
            &dir,
            &url,
            &format!("20220009,李己,男,1949-12-31,mainland,{third},示例大学,计算机学院,软件工程,本科,全日制,软件2201,2022-09-01,2026-06-30,李老师,\n"),
        )
        .await;
        let w = World::start(&dir, &url).await;
        let attacker = TestUser::new(64_001, "");
        register(
            &w,
            &attacker,
            "atk@example.com",
            "李已",
            third,
            "13800000641",
        )
        .await;
        let confirm = texts(&w.tg, attacker.id)
            .into_iter()
            .find(|t| t.contains("请确认您的信息"))
            .expect("confirm");
        assert!(
            !confirm.contains(third)
                && confirm.contains("110105********0038")
                && confirm.contains("1949年12月31日"),
            "{backend}: the confirmation masks the number: {confirm}"
        );
        let menu = w.say(&attacker, "/menu", "学信账号助手").await;
        let help = w.press(&attacker, &menu, "核对学籍信息", "姓名有误").await;
        let detail = texts(&w.tg, attacker.id)
            .into_iter()
            .find(|t| t.contains("逐字核对"))
            .expect("self-help A");
        assert!(
            detail.contains("1:李  2:已") && detail.contains("第 2 个字") && !detail.contains('己'),
            "{backend}: the position, never the roster's character: {detail}"
        );
        assert!(
            !detail.contains(third) && !detail.contains("1:1"),
            "{backend}: {detail}"
        );
        // Walking the name: the registration and two corrections use up the day.
        let mut help = help;
        for guess in ["李巳", "李纪"] {
            w.press(&attacker, &help, "修改基本信息", "请输入正确的姓名")
                .await;
            w.say(&attacker, guess, "逐字核对").await;
            help = w.then(&attacker, "姓名有误").await;
        }
        w.press(&attacker, &help, "修改基本信息", "请输入正确的姓名")
            .await;
        w.say(&attacker, "李己", "次数已用完").await;
        let menu = w.say(&attacker, "/menu", "学信账号助手").await;
        w.press(&attacker, &menu, "核对学籍信息", "次数已用完")
            .await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert!(
            texts(&w.tg, attacker.id)
                .iter()
                .all(|t| !t.contains("20220009")),
            "{backend}: the record never reached the attacker"
        );
        assert!(
            w.tg.sent(attacker.id)
                .iter()
                .all(|s| s.method != "sendphoto")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_id_number_bound_from_two_chats_at_once_binds_exactly_one() {
    let scratch = Scratch::new("atk-race");
    for (backend, url) in backends(&scratch.dir).await {
        if backend != "postgres" {
            continue;
        }
        let dir = scratch.dir.join(backend);
        roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (a, b) = (TestUser::new(65_001, ""), TestUser::new(65_002, ""));
        let (_, sms_a) =
            register_to_sms_code(&w, &a, "a@example.com", "张三", ID, "13800000651").await;
        let (_, sms_b) =
            register_to_sms_code(&w, &b, "b@example.com", "张三", ID, "13800000652").await;
        w.tg.user_text(&a, &code_in(&sms_a.text));
        w.tg.user_text(&b, &code_in(&sms_b.text));
        let answers = [
            text_of(&w.then(&a, "注册").await),
            text_of(&w.then(&b, "注册").await),
        ];
        let done = answers.iter().filter(|t| t.contains("注册完成")).count();
        // The winner's message ends with the menu, which also names “证件号码已被注册”.
        let taken = answers
            .iter()
            .filter(|t| !t.contains("注册完成") && t.contains("证件号码已被注册"))
            .count();
        assert_eq!((done, taken), (1, 1), "{answers:?}");
        assert_eq!(
            count(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM accounts WHERE id_number = '{ID}' AND binding = 'bound'"
                )
            )
            .await,
            1
        );
    }
}
