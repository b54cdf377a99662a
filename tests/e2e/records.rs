//! Student records: the roster import (library and command line) and the record check
//! transcripts — confirm all, a correction with evidence, a photo ticket, no match → fix
//! the name, and nobody sees another student's record.

use crate::accounts::{World, register};
use crate::pipeline::texts;
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use helpdesk::files::FileStore;
use helpdesk::service::records::import::{self, Summary};
use helpdesk::store::Store;
use std::path::Path;

const HEADER: &str = "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo";

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

fn row(student_no: &str, name: &str, id: &str, major: &str, photo: &str) -> String {
    let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
    let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 {
        "男"
    } else {
        "女"
    };
    format!(
        "{student_no},{name},{gender},{birth},mainland,{id},示例大学,计算机学院,{major},本科,全日制,软件2201,2022-09-01,2026-06-30,李老师,{photo}"
    )
}

async fn run_import(store: &Store, files: &FileStore, dir: &Path, csv: &str) -> Summary {
    let file = dir.join(format!("roster-{}.csv", csv.len()));
    std::fs::write(&file, csv).expect("write csv");
    import::import(
        store,
        files,
        &file,
        Some(&dir.join("photos")),
        today(),
        1_000,
    )
    .await
    .expect("import")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_imports_with_line_numbers_reimports_and_keeps_confirmations() {
    let scratch = Scratch::new("import");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        std::fs::create_dir_all(dir.join("photos")).expect("photos");
        std::fs::write(dir.join("photos/a.png"), helpdesk::demo::portrait(1)).expect("photo");
        std::fs::write(dir.join("photos/fake.jpg"), b"not an image at all").expect("photo");
        let store = Store::connect(&url).await.expect("db");
        let files = FileStore::local(dir.join("files"));
        let ids = helpdesk::demo::identities(4);
        let csv = format!(
            "\u{feff}{HEADER}\n{}\n{}\n{}\n{}\n{}\n",
            row(&ids[0].2, &ids[0].0, &ids[0].1, "软件工程", "a.png"),
            row(&ids[1].2, &ids[1].0, "110105200302021019", "软件工程", ""),
            row(&ids[2].2, &ids[2].0, &ids[2].1, "软件工程", "missing.png"),
            row(&ids[3].2, &ids[3].0, &ids[3].1, "软件工程", "fake.jpg"),
            "2022999,张三,女",
        );
        let summary = run_import(&store, &files, &dir, &csv).await;
        assert_eq!(
            (summary.added, summary.updated),
            (1, 0),
            "{backend}: {summary}"
        );
        let lines: Vec<u64> = summary.rejected.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 5, 6], "{backend}: {summary}");
        assert!(
            summary.rejected[0].1.contains("id_number"),
            "{backend}: {summary}"
        );
        assert!(
            summary.rejected[1].1.contains("photo"),
            "{backend}: {summary}"
        );
        assert!(
            summary.rejected[2].1.contains("not a JPEG or PNG"),
            "{backend}: {summary}"
        );
        assert!(
            summary.rejected[3].1.contains("columns"),
            "{backend}: {summary}"
        );
        // A confirmation survives a re-import that changes the major.
        sqlx::query("UPDATE records SET info_confirmed_at = 42")
            .execute(&store.pool)
            .await
            .expect("confirm");
        let again = format!(
            "{HEADER}\n{}\n",
            row(&ids[0].2, &ids[0].0, &ids[0].1, "人工智能", "")
        );
        let summary = run_import(&store, &files, &dir, &again).await;
        assert_eq!(
            (summary.added, summary.updated, summary.rejected.len()),
            (0, 1, 0),
            "{backend}"
        );
        let (major, confirmed, photo): (String, Option<i64>, Option<String>) =
            sqlx::query_as("SELECT major, info_confirmed_at, photo_key FROM records")
                .fetch_one(&store.pool)
                .await
                .expect("row");
        assert_eq!(
            (major.as_str(), confirmed),
            ("人工智能", Some(42)),
            "{backend}"
        );
        assert!(
            photo.is_some(),
            "{backend}: the photo is kept when the new import has none"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_rows_import_correctly() {
    let scratch = Scratch::new("import-big");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        std::fs::create_dir_all(dir.join("photos")).expect("photos");
        let store = Store::connect(&url).await.expect("db");
        let files = FileStore::local(dir.join("files"));
        let mut csv = format!("{HEADER}\n");
        for (name, id, no) in helpdesk::demo::identities(20_000) {
            csv.push_str(&row(&no, &name, &id, "软件工程", ""));
            csv.push('\n');
        }
        let summary = run_import(&store, &files, &dir, &csv).await;
        assert_eq!(
            (summary.added, summary.rejected.len()),
            (20_000, 0),
            "{backend}: {summary}"
        );
        let count: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
            .fetch_one(&store.pool)
            .await
            .expect("count");
        assert_eq!(count.0, 20_000, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_command_prints_its_summary() {
    let scratch = Scratch::new("import-cli");
    let dir = &scratch.dir;
    let ids = helpdesk::demo::identities(2);
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row(&ids[0].2, &ids[0].0, &ids[0].1, "软件工程", ""),
        "bad,row"
    );
    std::fs::write(dir.join("roster.csv"), csv).expect("csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .arg("import-records")
        .arg(dir.join("roster.csv"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("db.sqlite").display()),
        )
        .env(
            "DIALOGUES_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/dialogues"),
        )
        .env("FILES_DIR", dir.join("files"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "a roster with a refused row exits non-zero: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 added, 0 updated, 1 rejected") && stdout.contains("line 3"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_checks_every_problem_and_conflicting_identities_without_writing() {
    let scratch = Scratch::new("import-dry");
    let dir = &scratch.dir;
    let ids = helpdesk::demo::identities(3);
    let mut bad = row(&ids[1].2, &ids[1].0, &ids[1].1, "软件工程", "");
    bad = bad
        .replace("本科", "博士")
        .replace("2026-06-30", "2020-01-01");
    let csv = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n",
        row(&ids[0].2, &ids[0].0, &ids[0].1, "软件工程", ""),
        bad,
        // The same student number again, and the first ID number under another name.
        row(&ids[0].2, &ids[2].0, &ids[2].1, "软件工程", ""),
        row("2099001", "王芳", &ids[0].1, "软件工程", ""),
    );
    std::fs::write(dir.join("roster.csv"), csv).expect("csv");
    let db = dir.join("db.sqlite");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"))
            .arg("import-records")
            .arg(dir.join("roster.csv"))
            .args(extra)
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .env("FILES_DIR", dir.join("files"))
            .output()
            .expect("run")
    };
    let output = run(&["--dry-run"]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout.contains("dry run, nothing written: would be 1 added, 0 updated, 3 rejected"),
        "{stdout}"
    );
    assert!(
        stdout.contains("level:") && stdout.contains("graduates_on:"),
        "every problem of a row: {stdout}"
    );
    assert!(stdout.contains("also on line 2"), "{stdout}");
    assert!(stdout.contains("one ID number is one person"), "{stdout}");
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("db");
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records")
        .fetch_one(&store.pool)
        .await
        .expect("count");
    assert_eq!(count, 0, "a dry run writes nothing");
    store.pool.close().await;
    // Imported for real, then a student number re-used for another person is refused.
    run(&[]);
    let again = format!(
        "{HEADER}\n{}\n",
        row(&ids[0].2, &ids[2].0, &ids[2].1, "软件工程", "")
    );
    std::fs::write(dir.join("roster.csv"), again).expect("csv");
    let output = run(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        stdout.contains("belongs to another student in the roster"),
        "{stdout}"
    );
    let store = Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("db");
    let (name,): (String,) = sqlx::query_as("SELECT name FROM records WHERE student_no = $1")
        .bind(&ids[0].2)
        .fetch_one(&store.pool)
        .await
        .expect("row");
    assert_eq!(name, ids[0].0, "nobody was renamed");
}

/// The main menu, asked for once the replies to the last step have all arrived.
pub(crate) async fn fresh_menu(
    w: &World,
    user: &TestUser,
    expect: &str,
) -> crate::support::fake_telegram::Sent {
    // The menu that follows "registration complete" is paced a second behind it.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    w.say(user, "/start", expect).await
}

/// A world whose database holds the demo roster (students with photos).
pub(crate) async fn world_with_roster(dir: &Path, url: &str) -> World {
    let store = Store::connect(url).await.expect("db");
    helpdesk::demo::load(
        &store,
        &FileStore::local(dir.join("files")),
        &dir.join("roster"),
        6,
        today(),
        1_000,
    )
    .await
    .expect("roster");
    store.pool.close().await;
    World::start(dir, url).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_confirms_the_record_and_the_photo() {
    let scratch = Scratch::new("record-ok");
    for (backend, url) in backends(&scratch.dir).await {
        let w = world_with_roster(&scratch.dir.join(backend), &url).await;
        let (name, id, student_no) = helpdesk::demo::identities(1).remove(0);
        let student = TestUser::new(20_001, "");
        register(
            &w,
            &student,
            "zhang.wei@example.com",
            &name,
            &id,
            "13900000001",
        )
        .await;
        let menu = fresh_menu(&w, &student, "学信账号助手").await;
        let question = w
            .press(&student, &menu, "核对学籍信息", "是否全部正确")
            .await;
        let card = texts(&w.tg, student.id)
            .into_iter()
            .find(|t| t.contains("<b>学籍信息</b>"))
            .expect("card");
        assert!(
            card.contains(&student_no) && card.contains("110105********") && !card.contains(&id),
            "{backend}: {card}"
        );
        let photos: Vec<_> =
            w.tg.sent(student.id)
                .into_iter()
                .filter(|s| s.method == "sendphoto")
                .collect();
        assert_eq!(photos.len(), 1, "{backend}: the graduate photo is sent");
        let photo_q = w.press(&student, &question, "信息正确", "毕业生照片").await;
        w.press(&student, &photo_q, "确认照片", "核对完成").await;
        let status = w.say(&student, "/status", "我的进度").await;
        assert!(
            status.text.unwrap_or_default().contains("学籍核对：已完成"),
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_major_is_reported_with_two_evidence_photos_and_the_photo_rejected() {
    let scratch = Scratch::new("record-fix");
    for (backend, url) in backends(&scratch.dir).await {
        let w = world_with_roster(&scratch.dir.join(backend), &url).await;
        let (name, id, _) = helpdesk::demo::identities(2).remove(1);
        let student = TestUser::new(20_002, "en");
        register_en(
            &w,
            &student,
            "wang.wei@example.com",
            &name,
            &id,
            "13900000002",
        )
        .await;
        let menu = fresh_menu(&w, &student, "student account assistant").await;
        let question = w
            .press(&student, &menu, "Check my record", "Are they all correct")
            .await;
        let fields = w
            .press(
                &student,
                &question,
                "Something is wrong",
                "Which field is wrong",
            )
            .await;
        w.press(&student, &fields, "Major", "type the correct major")
            .await;
        let more = w
            .say(&student, "计算机科学与技术", "Is anything else wrong")
            .await;
        assert!(
            more.text
                .clone()
                .unwrap_or_default()
                .contains("Major → 计算机科学与技术"),
            "{backend}"
        );
        let evidence = w
            .press(&student, &more, "Send evidence", "Please send")
            .await;
        w.tg.user_sticker(&student);
        w.tg.wait_text(student.id, "A photo or a file is needed here", WAIT)
            .await;
        // A program renamed to .jpg is refused by its content and changes nothing.
        let program = b"MZ\x90\x00\x03\x00\x00\x00 not a photo".to_vec();
        let program_len = program.len() as i64;
        w.tg.set_file("renamed-program", program);
        w.tg.user_document(
            &student,
            "renamed-program",
            "photo.jpg",
            "image/jpeg",
            program_len,
        );
        w.tg.wait_text(student.id, "its content says otherwise", WAIT)
            .await;
        w.tg.user_photo(&student, "evidence-1", 50_000, None);
        w.tg.wait_text(student.id, "Received 1 file", WAIT).await;
        w.tg.user_document(
            &student,
            "evidence-2",
            "letter.pdf",
            "application/pdf",
            80_000,
        );
        w.tg.wait_text(student.id, "Received 2 file", WAIT).await;
        w.tg.user_document(
            &student,
            "huge",
            "scan.pdf",
            "application/pdf",
            30 * 1024 * 1024,
        );
        w.tg.wait_text(student.id, "too large", WAIT).await;
        let review = w
            .press(
                &student,
                &evidence,
                "Done",
                "Please confirm your correction request",
            )
            .await;
        assert!(
            review
                .text
                .clone()
                .unwrap_or_default()
                .contains("Evidence: 2 file"),
            "{backend}"
        );
        let sent = w
            .press(
                &student,
                &review,
                "Submit",
                "Your correction request is ticket",
            )
            .await;
        let reason = w
            .press(&student, &sent, "Check the photo", "graduate photo")
            .await;
        let reason = w
            .press(
                &student,
                &reason,
                "Photo is wrong",
                "What is wrong with the photo",
            )
            .await;
        w.press(
            &student,
            &reason,
            "It is not me",
            "You may upload a new photo",
        )
        .await;
        // A PDF declared as a PNG: the content decides, and it is not a picture.
        let pdf = b"%PDF-1.7\n%fake scan".to_vec();
        let pdf_len = pdf.len() as i64;
        w.tg.set_file("pdf-as-png", pdf);
        w.tg.user_document(&student, "pdf-as-png", "me.png", "image/png", pdf_len);
        w.tg.wait_text(student.id, "That file is not a picture", WAIT)
            .await;
        w.tg.user_photo(&student, "new-photo", 60_000, None);
        w.tg.wait_text(student.id, "Your photo change request is ticket", WAIT)
            .await;
        let store = Store::connect(&url).await.expect("db");
        let tickets: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, detail FROM tickets WHERE chat_id = $1 ORDER BY id")
                .bind(student.id)
                .fetch_all(&store.pool)
                .await
                .expect("tickets");
        assert_eq!(
            tickets.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            ["correction", "photo"],
            "{backend}"
        );
        assert!(
            tickets[0].1.contains("计算机科学与技术")
                && tickets[0].1.contains("evidence-1")
                && tickets[0].1.contains("evidence-2"),
            "{backend}"
        );
        assert!(
            tickets[1].1.contains("not_me") && tickets[1].1.contains("new-photo"),
            "{backend}"
        );
        let status = w
            .say(&student, "/status", "My progress")
            .await
            .text
            .unwrap_or_default();
        assert!(
            status.contains("photo not confirmed")
                && status.contains("correction")
                && status.contains("photo"),
            "{backend}: {status}"
        );
    }
}

/// Registration in English (the flow of `register`, English texts).
async fn register_en(w: &World, user: &TestUser, email: &str, name: &str, id: &str, phone: &str) {
    use crate::support::mail::code_in;
    let menu = w.say(user, "/start", "student account assistant").await;
    w.press(user, &menu, "Register", "e-mail address").await;
    w.say(user, email, "6-digit activation code").await;
    let mail = w.smtp.wait_for(email, 1, WAIT).await;
    let types = w.say(user, &code_in(&mail.body), "ID type").await;
    w.press(user, &types, "Resident ID card", "real name").await;
    w.say(user, name, "ID number").await;
    let confirm = w.say(user, id, "Please confirm").await;
    w.press(user, &confirm, "That is right", "mobile number")
        .await;
    let e164 = format!("+86{phone}");
    w.say(user, phone, "6-digit code").await;
    let sms = w.sms.wait_for(&e164, 1, WAIT).await;
    w.say(user, &code_in(&sms.text), "Registration complete")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_record_found_then_the_name_is_fixed_and_the_record_found() {
    let scratch = Scratch::new("record-none");
    for (backend, url) in backends(&scratch.dir).await {
        let w = world_with_roster(&scratch.dir.join(backend), &url).await;
        let (_, id, _) = helpdesk::demo::identities(1).remove(0);
        let student = TestUser::new(20_003, "");
        // The roster says 张伟; the student typed a different name at registration.
        register(&w, &student, "zw@example.com", "张玮", &id, "13900000003").await;
        let menu = fresh_menu(&w, &student, "学信账号助手").await;
        let help = w.press(&student, &menu, "核对学籍信息", "姓名有误").await;
        let detail = texts(&w.tg, student.id)
            .into_iter()
            .find(|t| t.contains("逐字核对"))
            .expect("self-help A");
        assert!(detail.contains("1:张  2:玮"), "{backend}: {detail}");
        w.press(&student, &help, "修改基本信息", "请输入正确的姓名")
            .await;
        w.say(&student, "张伟", "是否全部正确").await;
        let store = Store::connect(&url).await.expect("db");
        let audit: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'record_viewed'")
                .fetch_one(&store.pool)
                .await
                .expect("audit");
        assert_eq!(audit.0, 1, "{backend}: every view is recorded");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_characters_are_flagged_by_position_against_the_students_own_record() {
    let scratch = Scratch::new("record-lookalike");
    let (backend, url) = backends(&scratch.dir).await.remove(0);
    let dir = scratch.dir.join(backend);
    let store = Store::connect(&url).await.expect("db");
    let files = FileStore::local(dir.join("files"));
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let (_, id, no) = helpdesk::demo::identities(1).remove(0);
    run_import(
        &store,
        &files,
        &dir,
        &format!("{HEADER}\n{}\n", row(&no, "李己", &id, "软件工程", "")),
    )
    .await;
    store.pool.close().await;
    let w = World::start(&dir, &url).await;
    let student = TestUser::new(20_004, "");
    register(&w, &student, "lj@example.com", "李已", &id, "13900000004").await;
    let menu = fresh_menu(&w, &student, "学信账号助手").await;
    w.press(&student, &menu, "核对学籍信息", "姓名有误").await;
    let detail = texts(&w.tg, student.id)
        .into_iter()
        .find(|t| t.contains("逐字核对"))
        .expect("self-help A");
    assert!(
        detail.contains("1:李  2:已") && detail.contains("第 2 个字") && !detail.contains('己'),
        "the position is pointed out, never the roster's character: {detail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_sees_a_record_without_their_own_bound_account() {
    let scratch = Scratch::new("record-private");
    let (backend, url) = backends(&scratch.dir).await.remove(0);
    let w = world_with_roster(&scratch.dir.join(backend), &url).await;
    let stranger = TestUser::new(20_005, "");
    let menu = w.say(&stranger, "/start", "学信账号助手").await;
    w.press(&stranger, &menu, "核对学籍信息", "需要先注册或登录")
        .await;
    let (name, id, student_no) = helpdesk::demo::identities(1).remove(0);
    // Typing someone's name and ID number as free text shows nothing either.
    w.tg.user_text(&stranger, &name);
    w.tg.user_text(&stranger, &id);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        texts(&w.tg, stranger.id)
            .iter()
            .all(|t| !t.contains(&student_no)),
        "no record reached the stranger"
    );
    assert!(
        w.tg.sent(stranger.id)
            .iter()
            .all(|s| s.method != "sendphoto")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn done_before_any_evidence_shows_no_unfilled_text_and_asks_for_a_file() {
    let scratch = Scratch::new("record-no-evidence");
    for (backend, url) in backends(&scratch.dir).await {
        let w = world_with_roster(&scratch.dir.join(backend), &url).await;
        let (name, id, _) = helpdesk::demo::identities(3).remove(2);
        let student = TestUser::new(20_301, "");
        register(
            &w,
            &student,
            "li.wei@example.com",
            &name,
            &id,
            "13900000003",
        )
        .await;
        let menu = fresh_menu(&w, &student, "学信账号助手").await;
        let question = w
            .press(&student, &menu, "核对学籍信息", "是否全部正确")
            .await;
        let fields = w.press(&student, &question, "信息有误", "哪一项有误").await;
        w.press(&student, &fields, "专业", "请输入正确的专业").await;
        let more = w.say(&student, "计算机科学与技术", "还有其他有误").await;
        let evidence = w
            .press(&student, &more, "上传佐证材料", "请上传佐证材料")
            .await;
        let review = w.press(&student, &evidence, "完成", "请确认更正申请").await;
        let text = review.text.clone().unwrap_or_default();
        assert!(
            text.contains("佐证材料：0 份") && !text.contains('{') && !text.contains('$'),
            "{backend}: {text}"
        );
        w.press(&student, &review, "提交", "请至少上传一份佐证材料")
            .await;
    }
}
