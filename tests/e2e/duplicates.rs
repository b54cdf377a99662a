//! Duplicate ID numbers: case 1 and case 2 at registration, the ID-scan review (approved,
//! rejected), peer assistance (accepted, declined, expired, the limit), the student-status
//! check, binding that unbinds the others, and two students binding at once.

use crate::accounts::{ID, World, register, register_to_id_number};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{Sent, TestUser};
use crate::support::mail::code_in;
use helpdesk::store::Store;

/// Registers `user` with the taken number `ID`, choosing "I never registered with it".
pub(crate) async fn register_pending(w: &World, user: &TestUser, email: &str, phone: &str) {
    register_to_id_number(w, user, email, "张三").await;
    let taken = w.say(user, ID, "已被注册").await;
    w.press(user, &taken, "我没有用这个号码注册过", "手机号")
        .await;
    let e164 = format!("+86{phone}");
    let n = w.sms_to(&e164) + 1;
    w.say(user, phone, "校验码已通过短信发送到").await;
    let sms = w.sms.wait_for(&e164, n, WAIT).await;
    w.say(user, &code_in(&sms.text), "确认身份后绑定实名信息")
        .await;
    w.then(user, "学信账号助手").await;
}

/// Opens the duplicate-ID menu.
pub(crate) async fn dup_menu(w: &World, user: &TestUser, expect: &str) -> Sent {
    let menu = w.say(user, "/menu", "学信账号助手").await;
    w.press(user, &menu, "证件号码重复", expect).await
}

/// Sends both ID photos and submits them; returns the review id.
pub(crate) async fn send_scans(w: &World, user: &TestUser, options: &Sent, url: &str) -> i64 {
    let rules = w.press(user, options, "上传证件照片", "上传要求").await;
    w.press(user, &rules, "我已了解", "第一张").await;
    w.tg.user_photo(user, &format!("front-{}", user.id), 100_000, None);
    w.then(user, "第二张").await;
    w.tg.user_photo(user, &format!("back-{}", user.id), 100_000, None);
    let confirm = w.then(user, "两张照片都已收到").await;
    w.press(user, &confirm, "提交审核", "已提交审核").await;
    w.then(user, "学信账号助手").await;
    let store = Store::connect(url).await.expect("db");
    let row: (i64,) = sqlx::query_as("SELECT MAX(id) FROM reviews")
        .fetch_one(&store.pool)
        .await
        .expect("review");
    row.0
}

async fn service(url: &str) -> helpdesk::service::Service {
    let store = Store::connect(url).await.expect("db");
    let tree = helpdesk::dialogue::Tree::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/dialogues"
    )))
    .expect("tree");
    helpdesk::service::Service::new(
        store,
        std::sync::Arc::new(tree),
        helpdesk::service::Clock::system(),
        b"unused-in-this-test",
        false,
    )
}

pub(crate) async fn bind(w: &World, user: &TestUser, offer: &Sent, phone: &str) {
    let e164 = format!("+86{phone}");
    let n = w.sms_to(&e164) + 1;
    w.press(user, offer, "绑定实名信息（短信校验码）", "确认绑定")
        .await;
    let sms = w.sms.wait_for(&e164, n, WAIT).await;
    w.say(user, &code_in(&sms.text), "实名信息已绑定").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_2_scans_approved_then_binding_unbinds_the_other_account_and_case_1_follows() {
    let scratch = Scratch::new("dup-review");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let (a, b, c) = (
            TestUser::new(30_001, ""),
            TestUser::new(30_002, ""),
            TestUser::new(30_003, ""),
        );
        register(&w, &a, "first@example.com", "张三", ID, "13800000001").await;
        register_pending(&w, &b, "second@example.com", "13800000002").await;
        let status = w
            .say(&b, "/status", "我的进度")
            .await
            .text
            .unwrap_or_default();
        assert!(status.contains("实名信息待绑定"), "{backend}: {status}");
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        // A file that is not a picture is refused with a clear message.
        let rules = w.press(&b, &options, "上传证件照片", "上传要求").await;
        w.press(&b, &rules, "我已了解", "第一张").await;
        w.tg.user_document(&b, "scan.pdf", "scan.pdf", "application/pdf", 10_000);
        w.then(&b, "内容不是图片").await;
        w.tg.user_photo(&b, "huge", 12 * 1024 * 1024, None);
        w.then(&b, "文件太大了").await;
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        let review = send_scans(&w, &b, &options, &url).await;
        // Case 1: a third student entering the number is told it waits for review.
        register_to_id_number(&w, &c, "third@example.com", "张三").await;
        w.say(&c, ID, "客服审核通过后才能被再次注册").await;
        // Support approves; the student is told in the chat and can bind.
        assert!(
            service(&url)
                .await
                .decide_review(review, true, None, "agent:1")
                .await
                .expect("decide"),
            "{backend}"
        );
        w.then(&b, "审核<b>已通过</b>").await;
        let offer = dup_menu(&w, &b, "现在可以<b>绑定实名信息</b>").await;
        bind(&w, &b, &offer, "13800000002").await;
        w.then(&a, "已被解除绑定").await;
        let status = w
            .say(&a, "/status", "我的进度")
            .await
            .text
            .unwrap_or_default();
        assert!(status.contains("实名信息已解除绑定"), "{backend}: {status}");
        let store = Store::connect(&url).await.expect("db");
        let decisions: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit WHERE action IN ('review_approved', 'bound', 'unbound')",
        )
        .fetch_one(&store.pool)
        .await
        .expect("audit");
        assert_eq!(
            decisions.0, 3,
            "{backend}: every decision is in the audit table"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_review_says_why_and_allows_new_scans() {
    let scratch = Scratch::new("dup-reject");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = World::start(&scratch.dir, &url).await;
    let (a, b) = (TestUser::new(31_001, ""), TestUser::new(31_002, ""));
    register(&w, &a, "first@example.com", "张三", ID, "13800000011").await;
    register_pending(&w, &b, "second@example.com", "13800000012").await;
    let options = dup_menu(&w, &b, "请选择一种方式").await;
    let review = send_scans(&w, &b, &options, &url).await;
    let svc = service(&url).await;
    assert!(
        svc.decide_review(review, false, Some("照片模糊"), "agent:1")
            .await
            .expect("decide")
    );
    assert!(
        !svc.decide_review(review, true, None, "agent:1")
            .await
            .expect("decide"),
        "a decided review stays decided"
    );
    w.then(&b, "原因：照片模糊").await;
    let options = dup_menu(&w, &b, "请选择一种方式").await;
    let progress = w.press(&b, &options, "查看审核进度", "未通过").await;
    // One review, one number: the ticket's, as the submission said it.
    let store = Store::connect(&url).await.expect("db");
    let (ticket,): (i64,) = sqlx::query_as("SELECT ticket_id FROM reviews WHERE id = $1")
        .bind(review)
        .fetch_one(&store.pool)
        .await
        .expect("the review's ticket");
    let said = progress.text.clone().unwrap_or_default();
    assert!(said.contains(&format!("工单 #{ticket}")), "{said}");
    let submitted = crate::pipeline::texts(&w.tg, b.id)
        .into_iter()
        .find(|t| t.contains("已提交审核"))
        .unwrap_or_default();
    assert!(submitted.contains(&format!("#{ticket}")), "{submitted}");
    let after = w.then(&b, "还可以选择其他方式").await;
    let again = w.press(&b, &after, "其他确认方式", "请选择一种方式").await;
    let second = send_scans(&w, &b, &again, &url).await;
    assert!(second > review);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_assistance_accepted_declined_expired_and_limited() {
    let scratch = Scratch::new("dup-peer");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        // The classmate must be bound to a roster record of the same school and class.
        crate::attacks_identity::roster(&dir, &url, "").await;
        let w = World::start(&dir, &url).await;
        let (a, b, helper) = (
            TestUser::new(32_001, ""),
            TestUser::new(32_002, ""),
            TestUser::new(32_003, ""),
        );
        register(&w, &a, "first@example.com", "张三", ID, "13800000021").await;
        register(
            &w,
            &helper,
            "helper@example.com",
            "李四",
            crate::attacks_identity::HELPER_ID,
            "13800000023",
        )
        .await;
        register_pending(&w, &b, "second@example.com", "13800000022").await;
        let ask = |name: &'static str, username: &'static str| {
            let (w, b) = (&w, &b);
            async move {
                let options = dup_menu(w, b, "请选择一种方式").await;
                w.press(b, &options, "请同学协助", "真实姓名").await;
                w.say(b, name, "用户名").await;
                w.tg.user_text(b, username);
            }
        };
        // Declined, then accepted.
        ask("李四", "helper@example.com").await;
        w.then(&b, "协助请求已发送").await;
        w.then(&b, "学信账号助手").await;
        let request = w.then(&helper, "协助请求").await;
        assert!(
            request
                .text
                .clone()
                .unwrap_or_default()
                .contains("110105********002X"),
            "{backend}: the ID is masked"
        );
        // Someone else pressing the classmate's button changes nothing.
        w.tg.user_press(
            &a,
            request.message_id,
            &crate::pipeline::button(&request, "接受"),
        );
        w.press(&helper, &request, "拒绝", "已拒绝协助请求").await;
        w.then(&b, "被拒绝").await;
        ask("李四", "helper@example.com").await;
        w.then(&b, "学信账号助手").await;
        let request = w.then(&helper, "协助请求").await;
        let status = w
            .say(&helper, "/status", "我的进度")
            .await
            .text
            .unwrap_or_default();
        assert!(
            status.contains("待您处理的协助请求：1"),
            "{backend}: {status}"
        );
        w.press(&helper, &request, "接受", "已接受协助请求").await;
        w.then(&b, "同学已确认您的身份").await;
        // The holder is told and may object; binding opens after the dispute window.
        w.then(&a, "申请确认证件号码").await;
        dup_menu(&w, &b, "异议期内").await;
        w.then(&b, "学信账号助手").await;
        w.advance(73 * 3600);
        dup_menu(&w, &b, "现在可以<b>绑定实名信息</b>").await;
        let store = Store::connect(&url).await.expect("db");
        let refused: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'assist_refused'")
                .fetch_one(&store.pool)
                .await
                .expect("audit");
        assert_eq!(
            refused.0, 1,
            "{backend}: the stranger's press was refused and recorded"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_expire_after_seven_days_and_a_fourth_pending_is_refused() {
    let scratch = Scratch::new("dup-expire");
    let (_, url) = backends(&scratch.dir).await.remove(0);
    let w = World::start(&scratch.dir, &url).await;
    let (a, b) = (TestUser::new(33_001, ""), TestUser::new(33_002, ""));
    register(&w, &a, "first@example.com", "张三", ID, "13800000031").await;
    register_pending(&w, &b, "second@example.com", "13800000032").await;
    for (i, expect) in [
        "协助请求已发送",
        "协助请求已发送",
        "协助请求已发送",
        "3 个待处理的协助请求",
    ]
    .iter()
    .enumerate()
    {
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        w.press(&b, &options, "请同学协助", "真实姓名").await;
        w.say(&b, "王五", "用户名").await;
        w.say(&b, &format!("nobody{i}@example.com"), expect).await;
        w.then(&b, "学信账号助手").await;
    }
    w.advance(8 * 24 * 3600);
    let options = dup_menu(&w, &b, "请选择一种方式").await;
    w.press(&b, &options, "请同学协助", "真实姓名").await;
    w.say(&b, "王五", "用户名").await;
    w.say(&b, "later@example.com", "协助请求已发送").await;
    let store = Store::connect(&url).await.expect("db");
    let expired: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM assist_requests WHERE status = 'expired'")
            .fetch_one(&store.pool)
            .await
            .expect("q");
    assert_eq!(expired.0, 3, "the three unanswered requests expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_student_status_check_resolves_or_hands_over_after_three_tries() {
    let scratch = Scratch::new("dup-quiz");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        let store = Store::connect(&url).await.expect("db");
        let files = helpdesk::files::FileStore::local(dir.join("files"));
        std::fs::create_dir_all(dir.join("roster/photos")).expect("dir");
        let csv = format!(
            "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo\n20220007,张三,女,1949-12-31,mainland,{ID},示例大学,计算机学院,软件工程,本科,全日制,软件2201,2022-09-01,2026-06-30,李老师,\n"
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
        // With an agents' group, so that a person can be brought in.
        let w = crate::agents::agent_world(&dir, &url, "").await;
        let (a, b, c) = (
            TestUser::new(34_001, ""),
            TestUser::new(34_002, ""),
            TestUser::new(34_003, ""),
        );
        register(&w, &a, "first@example.com", "张三", ID, "13800000041").await;
        register_pending(&w, &b, "second@example.com", "13800000042").await;
        register_pending(&w, &c, "third@example.com", "13800000043").await;
        // Three tries per account and per ID number a day: c uses them up for the number.
        let options = dup_menu(&w, &c, "请选择一种方式").await;
        w.press(&c, &options, "回答学籍问题", "学号").await;
        for attempt in 1..=3 {
            w.say(&c, "11111111", "入学年月").await;
            w.say(&c, "2021-09", "专业").await;
            let expect = if attempt < 3 {
                "还可以再试"
            } else {
                "无法通过学籍信息确认身份"
            };
            w.say(&c, "软件工程", expect).await;
        }
        let status = w
            .say(&c, "/status", "我的进度")
            .await
            .text
            .unwrap_or_default();
        assert!(
            status.contains("多次失败"),
            "{backend}: a human is brought in: {status}"
        );
        // The next day b, who knows the record, is confirmed (after the dispute window).
        w.advance(25 * 3600);
        let options = dup_menu(&w, &b, "请选择一种方式").await;
        w.press(&b, &options, "回答学籍问题", "学号").await;
        w.say(&b, "20220007", "入学年月").await;
        w.say(&b, "2022-09", "专业").await;
        w.say(&b, "软件工程", "身份已确认").await;
        w.then(&a, "申请确认证件号码").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_students_binding_the_same_number_at_once_exactly_one_wins() {
    let scratch = Scratch::new("dup-race");
    for (backend, url) in backends(&scratch.dir).await {
        let store = Store::connect(&url).await.expect("db");
        for i in 0..20_i64 {
            let number = format!("race-{i}");
            let mut ids = Vec::new();
            for who in 0..2 {
                let row: (i64,) = sqlx::query_as(
                    "INSERT INTO accounts (email, email_norm, name, id_type, id_number, phone, status, binding, activated_at, phone_verified_at, created_at, updated_at)
                     VALUES ($1, $1, '张三', 'mainland', $2, '+8613800000000', 'active', 'resolved', 0, 0, 0, 0) RETURNING id",
                )
                .bind(format!("r{i}-{who}@example.com"))
                .bind(&number)
                .fetch_one(&store.pool)
                .await
                .expect("account");
                ids.push(row.0);
            }
            let attempts = ids.iter().map(|id| {
                let (store, number, id) = (store.clone(), number.clone(), *id);
                tokio::spawn(async move {
                    let mut tx = store.begin().await.expect("begin");
                    let won =
                        helpdesk::store::duplicates::bind(&mut tx, store.backend, id, &number, 1)
                            .await
                            .expect("bind");
                    tx.commit().await.expect("commit");
                    won.is_some()
                })
            });
            let mut wins = 0;
            for attempt in attempts.collect::<Vec<_>>() {
                wins += usize::from(attempt.await.expect("task"));
            }
            assert_eq!(wins, 1, "{backend}: round {i}");
            let bound: (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM accounts WHERE id_number = $1 AND binding = 'bound'",
            )
            .bind(&number)
            .fetch_one(&store.pool)
            .await
            .expect("count");
            assert_eq!(bound.0, 1, "{backend}: round {i}");
        }
    }
}
