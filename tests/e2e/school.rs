//! The school's view: a roster of three classes in two colleges walked to different stages
//! through the real dialogues; `helpdesk report` read back as CSV and as a spreadsheet;
//! `/progress` in the main agents' group and in a counsellor's class group (text, spreadsheet,
//! chart), the counsellor's group getting its class's tickets; non-agents get nothing.

use crate::accounts::{World, register, register_to_id_number};
use crate::agents::{AGENT, GROUP, agent_world_with, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, Sent, TestUser};
use helpdesk::files::FileStore;
use helpdesk::store::Store;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub const CLASS_GROUP: i64 = -1_001_000_000_017;
pub const COUNSELLOR: i64 = 917;
pub const CLASS1: &str = "2022级计算机1班";
pub const CLASS2: &str = "2022级计算机2班";
pub const ENGLISH: &str = "2022级英语1班";

/// (class, college, counsellor) of each of the nine students, in roster order.
pub const PLACES: [(&str, &str, &str); 9] = [
    (CLASS1, "计算机学院", "李老师"),
    (CLASS1, "计算机学院", "李老师"),
    (CLASS1, "计算机学院", "李老师"),
    (CLASS1, "计算机学院", "李老师"),
    (CLASS2, "计算机学院", "王老师"),
    (CLASS2, "计算机学院", "王老师"),
    (ENGLISH, "外国语学院", "赵老师"),
    (ENGLISH, "外国语学院", "赵老师"),
    (ENGLISH, "外国语学院", "赵老师"),
];

/// Imports the nine students (with photos) into the database at `url`.
pub async fn import_roster(dir: &Path, url: &str) -> Vec<(String, String, String)> {
    let ids = helpdesk::demo::identities(PLACES.len());
    let photos = dir.join("photos");
    std::fs::create_dir_all(&photos).expect("photos");
    let mut csv = String::from(
        "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo\n",
    );
    for (i, ((name, id, no), (class, college, counsellor))) in ids.iter().zip(PLACES).enumerate() {
        std::fs::write(
            photos.join(format!("{no}.png")),
            helpdesk::demo::portrait(i),
        )
        .expect("photo");
        let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
        let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 {
            "男"
        } else {
            "女"
        };
        csv.push_str(&format!(
            "{no},{name},{gender},{birth},mainland,{id},示例大学,{college},软件工程,本科,全日制,{class},2022-09-01,2026-06-30,{counsellor},{no}.png\n"
        ));
    }
    std::fs::write(dir.join("roster.csv"), csv).expect("csv");
    let store = Store::connect(url).await.expect("db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let summary = helpdesk::service::records::import::import(
        &store,
        &FileStore::local(dir.join("files")),
        &dir.join("roster.csv"),
        Some(&photos),
        today,
        1_000,
    )
    .await
    .expect("import");
    assert_eq!(summary.added, PLACES.len(), "{summary}");
    store.pool.close().await;
    ids
}

/// A world with the main agents' group and a counsellor's group for class 1.
pub async fn school_world(dir: &Path, url: &str, extra: &[(&str, &str)]) -> World {
    let rule = format!("class={CLASS1}:{CLASS_GROUP}");
    let mut env = vec![("AGENT_GROUPS", rule.as_str())];
    env.extend_from_slice(extra);
    let w = agent_world_with(dir, url, "", &env).await;
    w.tg.set_forum(CLASS_GROUP);
    w.tg.set_chat_member(CLASS_GROUP, COUNSELLOR, "member");
    w
}

pub fn student(i: usize) -> TestUser {
    TestUser::new(17_000 + i as i64, "")
}

fn email(i: usize) -> String {
    format!("student{i}@example.edu")
}

fn phone(i: usize) -> String {
    format!("1390017{i:04}")
}

/// Registers student `i` and opens the record check: the question under the record card.
pub async fn to_record(w: &World, ids: &[(String, String, String)], i: usize) -> Sent {
    let (name, id, _) = &ids[i];
    let user = student(i);
    register(w, &user, &email(i), name, id, &phone(i)).await;
    // The menu that follows "registration complete" is paced a second behind it.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let menu = w.say(&user, "/start", "学信账号助手").await;
    w.press(&user, &menu, "核对学籍信息", "是否全部正确").await
}

/// Walks the roster: 0 done, 1 a photo ticket, 2 halfway through registering, 4 bound,
/// 6 the record confirmed; 3, 5, 7 and 8 never write.
pub async fn walk(w: &World, ids: &[(String, String, String)]) {
    let done = async {
        let q = to_record(w, ids, 0).await;
        let photo = w.press(&student(0), &q, "信息正确", "毕业生照片").await;
        w.press(&student(0), &photo, "确认照片", "核对完成").await;
    };
    let photo_ticket = async {
        let q = to_record(w, ids, 1).await;
        let photo = w.press(&student(1), &q, "信息正确", "毕业生照片").await;
        let reason = w
            .press(&student(1), &photo, "照片有误", "照片哪里不对")
            .await;
        let upload = w.press(&student(1), &reason, "不清晰", "新的照片").await;
        w.press(&student(1), &upload, "跳过", "已提交照片修改申请")
            .await;
    };
    // Stops halfway through registration: the name and ID number typed tie the chat to them.
    let started = async {
        let (name, id, _) = &ids[2];
        register_to_id_number(w, &student(2), &email(2), name).await;
        w.say(&student(2), id, "请确认您的信息").await;
    };
    let bound = async {
        let (name, id, _) = &ids[4];
        register(w, &student(4), &email(4), name, id, &phone(4)).await;
    };
    let info = async {
        let q = to_record(w, ids, 6).await;
        w.press(&student(6), &q, "信息正确", "毕业生照片").await;
    };
    futures_util::join!(done, photo_ticket, started, bound, info);
}

/// The date `days` from today in China Standard Time, as DEADLINE takes it.
pub fn days_from_today(days: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Runs `helpdesk ARGS` against the world's database; (success, stdout, stderr).
pub fn helpdesk(dir: &Path, url: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env(
            "DIALOGUES_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/dialogues"),
        )
        .env("FILES_DIR", dir.join("files"))
        .env("CODE_SECRET", "test-secret-0123456789-abcdefghijklmnop")
        .current_dir(dir)
        .output()
        .expect("run helpdesk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The bytes of the file (document or photo) message `sent` carries.
pub fn file_of(tg: &FakeTelegram, sent: &Sent) -> Vec<u8> {
    let msg = tg.message(sent.chat_id, sent.message_id).expect("message");
    let id = msg["document"]["file_id"]
        .as_str()
        .or_else(|| msg["photo"][0]["file_id"].as_str())
        .expect("a file");
    tg.file_bytes(id).expect("uploaded bytes")
}

async fn sent_by(tg: &FakeTelegram, chat: i64, method: &str, from: usize) -> Sent {
    tokio::time::timeout(WAIT, async {
        loop {
            if let Some(s) = tg
                .sent(chat)
                .into_iter()
                .skip(from)
                .find(|s| s.method == method)
            {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {method} to {chat}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_school_sees_who_is_stuck_where_as_a_report_a_spreadsheet_and_a_chart() {
    let scratch = Scratch::new("school-progress");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        std::fs::create_dir_all(&dir).expect("dir");
        let ids = import_roster(&dir, &url).await;
        let deadline = days_from_today(10);
        let w = school_world(&dir, &url, &[("DEADLINE", deadline.as_str())]).await;
        walk(&w, &ids).await;

        // The photo ticket of a class-1 student went to the counsellor's group, naming them.
        let card = w.tg.wait_text(CLASS_GROUP, "照片", WAIT).await;
        let card_text = card.text.clone().unwrap_or_default();
        assert!(
            card_text.contains("辅导员：李老师") && card_text.contains(CLASS1),
            "{backend}: {card_text}"
        );
        assert!(
            !crate::pipeline::texts(&w.tg, GROUP)
                .iter()
                .any(|t| t.contains("工单 #")),
            "{backend}: the main group got no class-1 ticket"
        );

        // The report, as CSV.
        let csv_path = dir.join("report.csv");
        let (ok, out, err) = helpdesk(
            &dir,
            &url,
            &["report", "-o", csv_path.to_str().expect("path")],
        );
        assert!(ok, "{backend}: {out} {err}");
        assert!(
            out.contains("9 student(s)") && out.contains("共 9 人，已完成 1 人（11%）"),
            "{backend}: {out}"
        );
        let bytes = std::fs::read(&csv_path).expect("csv");
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{backend}: a byte-order mark for Excel"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let (students, totals) = text.split_once("\n\n").expect("two sections");
        let mut reader = csv::Reader::from_reader(students.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 9, "{backend}");
        let stage_of = |i: usize| {
            let row = rows
                .iter()
                .find(|r| &r[3] == ids[i].2.as_str())
                .expect("student row");
            assert!(
                !row.iter().any(|c| c == ids[i].1),
                "{backend}: the ID number is masked"
            );
            assert!(row[5].contains("********"), "{backend}: {:?}", row);
            (
                row[6].to_string(),
                row[7].to_string(),
                row[14].to_string(),
                row[15].to_string(),
            )
        };
        let expected = [
            (0, "已完成", "", "能"),
            (1, "更正/照片待处理", "", "能"),
            (2, "未注册", "注册账号、核对学籍信息、核对照片", "能"),
            (
                3,
                "未注册",
                "注册账号、核对学籍信息、核对照片",
                "未使用机器人",
            ),
            (4, "已绑定实名", "核对学籍信息、核对照片", "能"),
            (6, "已确认信息", "核对照片", "能"),
            (
                8,
                "未注册",
                "注册账号、核对学籍信息、核对照片",
                "未使用机器人",
            ),
        ];
        for (i, stage, left, reach) in expected {
            let (s, l, tickets, r) = stage_of(i);
            assert_eq!(
                (s.as_str(), l.as_str(), r.as_str()),
                (stage, left, reach),
                "{backend}: student {i}"
            );
            assert_eq!(
                tickets.starts_with('#'),
                i == 1,
                "{backend}: student {i}: {tickets}"
            );
        }
        let mut reader = csv::Reader::from_reader(totals.as_bytes());
        let header = reader.headers().expect("header").clone();
        let totals: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let column = |name: &str| header.iter().position(|h| h == name).expect(name);
        let line = |class: &str| totals.iter().find(|r| &r[1] == class).expect(class).clone();
        let class1 = line(CLASS1);
        assert_eq!(
            (
                &class1[column("人数")],
                &class1[column("已完成")],
                &class1[column("未注册")],
                &class1[column("完成率")],
                &class1[column("无法联系")]
            ),
            ("4", "1", "2", "25%", "1"),
            "{backend}"
        );
        let english = line(ENGLISH);
        assert_eq!(
            (&english[column("已确认信息")], &english[column("无法联系")]),
            ("1", "2"),
            "{backend}"
        );
        let college = totals
            .iter()
            .find(|r| &r[0] == "计算机学院" && &r[1] == "全院合计")
            .expect("college");
        assert_eq!(&college[column("人数")], "6", "{backend}");
        let all = totals.last().expect("total");
        assert_eq!(
            (&all[0], &all[column("人数")], &all[column("无法联系")]),
            ("合计", "9", "4"),
            "{backend}"
        );

        // One class only; an unknown class is named with the ones there are.
        let (ok, out, _) = helpdesk(&dir, &url, &["report", "--class", CLASS2, "--format", "md"]);
        assert!(
            ok && out.contains(CLASS2) && !out.contains(ENGLISH),
            "{backend}: {out}"
        );
        let (ok, _, err) = helpdesk(&dir, &url, &["report", "--class", "2022级化学9班"]);
        assert!(
            !ok && err.contains("no class named `2022级化学9班`") && err.contains(CLASS1),
            "{backend}: {err}"
        );
        let (ok, _, err) = helpdesk(&dir, &url, &["report", "--format", "xlsx"]);
        assert!(!ok && err.contains("-o FILE.xlsx"), "{backend}: {err}");

        // The spreadsheet, read back: students with a frozen header, totals on their own sheet.
        let xlsx_path = dir.join("report.xlsx");
        let (ok, out, err) = helpdesk(
            &dir,
            &url,
            &["report", "-o", xlsx_path.to_str().expect("path")],
        );
        assert!(ok, "{backend}: {out} {err}");
        check_workbook(&std::fs::read(&xlsx_path).expect("xlsx"), &ids, backend);

        // /progress in the main group: the whole school, as text, spreadsheet and chart.
        let agent = TestUser::new(AGENT, "");
        let before = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, None, &agent, "/progress");
        let answer = in_group(&w.tg, "完成情况 · 全校").await;
        let answer = answer.text.unwrap_or_default();
        assert!(
            answer.contains("共 9 人，已完成 1 人（11%）；4 人从未使用机器人"),
            "{backend}: {answer}"
        );
        assert!(
            answer.contains("2022级计算机1班（李老师）：1/4 完成（25%）"),
            "{backend}: {answer}"
        );
        let document = sent_by(&w.tg, GROUP, "senddocument", before).await;
        check_workbook(&file_of(&w.tg, &document), &ids, backend);
        assert!(
            document.body["document"]["file_name"]
                .as_str()
                .is_some_and(|n| n.ends_with(".xlsx") && n.contains("全校")),
            "{backend}: {:?}",
            document.body
        );
        let photo = sent_by(&w.tg, GROUP, "sendphoto", before).await;
        let png = file_of(&w.tg, &photo);
        let info = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .expect("a PNG");
        let size = (info.info().width, info.info().height);
        assert_eq!(
            size,
            (960, helpdesk::service::school::chart::height(3)),
            "{backend}: one bar per class"
        );

        // The counsellor's group: its class, with who is stuck where; nothing beyond it.
        let counsellor = TestUser::new(COUNSELLOR, "");
        w.tg.group_text(
            CLASS_GROUP,
            None,
            &counsellor,
            &format!("/progress {CLASS1}"),
        );
        let answer =
            w.tg.wait_text(CLASS_GROUP, "完成情况 · 2022级计算机1班", WAIT)
                .await;
        let answer = answer.text.unwrap_or_default();
        assert!(
            answer.contains(&format!("未注册：{}、{}", ids[2].0, ids[3].0))
                && !answer.contains(&ids[4].0),
            "{backend}: {answer}"
        );
        w.tg.group_text(
            CLASS_GROUP,
            None,
            &counsellor,
            &format!("/progress {ENGLISH}"),
        );
        w.tg.wait_text(CLASS_GROUP, "不在本群负责的范围内", WAIT)
            .await;
        w.tg.group_text(GROUP, None, &agent, "/progress 化学");
        w.tg.wait_text(GROUP, "没有名为“化学”的班级或学院", WAIT)
            .await;

        // The deadline is in the start message and in /status.
        let start = w.say(&student(4), "/start", "学信账号助手").await;
        let start = start.text.unwrap_or_default();
        assert!(
            start.starts_with("📅 请在 <b>") && start.contains("（还有 10 天）"),
            "{backend}: {start}"
        );
        let status = w.say(&student(4), "/status", "我的进度").await;
        assert!(
            status.text.unwrap_or_default().contains("还有 10 天"),
            "{backend}"
        );

        // One command reminds the stragglers, each with what is left to them.
        let (ok, out, err) = helpdesk(&dir, &url, &["remind", "--dry-run", "--class", CLASS1]);
        assert!(
            ok && out.contains("1 student(s) would be reminded") && out.contains(&ids[2].0),
            "{backend}: {out} {err}"
        );
        w.tg.group_text(GROUP, None, &agent, "/remind");
        let queued = in_group(&w.tg, "提醒 · 全校")
            .await
            .text
            .unwrap_or_default();
        assert!(
            queued.contains("3 名学生将收到提醒")
                && queued.contains("4 人从未使用机器人")
                && queued.contains("1 人只需等待学校处理"),
            "{backend}: {queued}"
        );
        for (i, left) in [
            (2, "还差：注册账号、核对学籍信息、核对照片。"),
            (4, "还差：核对学籍信息、核对照片。"),
            (6, "还差：核对照片。"),
        ] {
            let reminder =
                w.tg.wait_text(student(i).id, "⏰", WAIT)
                    .await
                    .text
                    .unwrap_or_default();
            assert!(
                reminder.contains(left) && reminder.contains("/mute"),
                "{backend}: {i}: {reminder}"
            );
        }
        w.tg.group_text(CLASS_GROUP, None, &counsellor, "/remind");
        let again =
            w.tg.wait_text(CLASS_GROUP, "提醒 · 2022级计算机1班", WAIT)
                .await;
        assert!(
            again
                .text
                .unwrap_or_default()
                .contains("0 名学生将收到提醒"),
            "{backend}: reminded once a day"
        );
        for i in [0, 1, 3, 5, 7, 8] {
            assert!(
                !crate::pipeline::texts(&w.tg, student(i).id)
                    .iter()
                    .any(|t| t.contains("⏰")),
                "{backend}: {i}"
            );
        }

        // Someone who is not an agent gets nothing, and the refusal is recorded.
        let stranger = TestUser::new(666, "");
        let before = w.tg.sent(GROUP).len();
        w.tg.group_text(GROUP, None, &stranger, "/progress");
        w.tg.group_text(GROUP, None, &stranger, "/remind");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(
            w.tg.sent(GROUP).len(),
            before,
            "{backend}: a stranger gets no answer"
        );
        let store = Store::connect(&url).await.expect("db");
        let refused: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit WHERE action = 'agent_command_refused' AND subject IN ('progress', 'remind')",
        )
        .fetch_one(&store.pool)
        .await
        .expect("audit");
        assert_eq!(refused.0, 2, "{backend}");
        store.pool.close().await;
    }
}

/// The spreadsheet has the nine students under a frozen header and the totals sheet.
fn check_workbook(bytes: &[u8], ids: &[(String, String, String)], backend: &str) {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    assert_eq!(book.sheet_names(), ["学生", "汇总"], "{backend}");
    let students = book.worksheet_range("学生").expect("students");
    assert_eq!(
        students.height(),
        10,
        "{backend}: a header and nine students"
    );
    let header: Vec<String> = students
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..4],
        ["学院", "班级", "辅导员", "学号"],
        "{backend}"
    );
    let done = students
        .rows()
        .find(|r| r[3].to_string() == ids[0].2)
        .expect("student 0");
    assert_eq!(done[6].to_string(), "已完成", "{backend}");
    let totals = book.worksheet_range("汇总").expect("totals");
    let all = totals.rows().next_back().expect("total row");
    assert_eq!(
        (all[0].to_string(), all[3].to_string()),
        ("合计".to_string(), "9".to_string()),
        "{backend}"
    );
    // The frozen header: the sheet's view has a pane split below the first row.
    let mut zip = zip_entry(bytes, "xl/worksheets/sheet1.xml");
    assert!(
        zip.contains(r#"<pane ySplit="1""#),
        "{backend}: the header row is frozen"
    );
    zip.clear();
}

/// One file of the spreadsheet's zip, as text.
fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut file = archive.by_name(name).expect("entry");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).expect("read");
    text
}

/// Students of the reminder run: 0..36 due (every fourth with the record confirmed), 36..39
/// finished, 39 mutes, 40..42 only wait for a photo ticket, 42..45 never wrote.
const DUE: usize = 36;
const ROSTER: usize = 45;
const MUTED: usize = 39;

fn chat_of(i: usize) -> i64 {
    27_000 + i as i64
}

/// The roster of the reminder run, with each student's account and chat written directly
/// (the dialogues that lead there are walked in the test above).
async fn reminder_roster(dir: &Path, url: &str) {
    let ids = helpdesk::demo::identities(ROSTER);
    let mut csv = String::from(
        "student_no,name,gender,birth_date,id_type,id_number,school,college,major,level,study_mode,class,enrolled_on,graduates_on,counsellor,photo\n",
    );
    for (i, (name, id, no)) in ids.iter().enumerate() {
        let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
        let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 {
            "男"
        } else {
            "女"
        };
        let class = if i % 2 == 0 { CLASS1 } else { CLASS2 };
        csv.push_str(&format!(
            "{no},{name},{gender},{birth},mainland,{id},示例大学,计算机学院,软件工程,本科,全日制,{class},2022-09-01,2026-06-30,李老师,\n"
        ));
    }
    std::fs::write(dir.join("roster.csv"), csv).expect("csv");
    let store = Store::connect(url).await.expect("db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let files = FileStore::local(dir.join("files"));
    helpdesk::service::records::import::import(
        &store,
        &files,
        &dir.join("roster.csv"),
        None,
        today,
        1_000,
    )
    .await
    .expect("import");
    for (i, (name, id, no)) in ids.iter().enumerate().take(42) {
        let chat = chat_of(i);
        sqlx::query(
            "INSERT INTO accounts (email, email_norm, name, id_type, id_number, phone, status, binding, chat_id,
                 activated_at, email_verified_at, phone_verified_at, created_at, updated_at)
             VALUES ($1, $1, $2, 'mainland', $3, $4, 'active', 'bound', $5, 1000, 1000, 1000, 1000, 1000)",
        )
        .bind(format!("r{i}@example.edu"))
        .bind(name)
        .bind(id)
        .bind(format!("+861380000{i:04}"))
        .bind(chat)
        .execute(&store.pool)
        .await
        .expect("account");
        sqlx::query(
            "INSERT INTO account_chats (account_id, chat_id, at)
             SELECT id, chat_id, 1000 FROM accounts WHERE email_norm = $1",
        )
        .bind(format!("r{i}@example.edu"))
        .execute(&store.pool)
        .await
        .expect("account chat");
        sqlx::query(
            "INSERT INTO chat_state (chat_id, user_id, node, answers, history, locale, created_at, updated_at)
             VALUES ($1, $1, 'menu.main', '{}', '[]', 'zh-CN', 1000, 1000)",
        )
        .bind(chat)
        .execute(&store.pool)
        .await
        .expect("chat");
        let (info, photo) = match i {
            _ if i < DUE => (i % 4 == 0, false),
            36..=38 => (true, true),
            40 | 41 => (true, false),
            _ => (false, false),
        };
        sqlx::query(
            "UPDATE records SET info_confirmed_at = CASE WHEN $1 = 1 THEN 2000 END,
                 photo_confirmed_at = CASE WHEN $2 = 1 THEN 3000 END WHERE student_no = $3",
        )
        .bind(i64::from(info))
        .bind(i64::from(photo))
        .bind(no)
        .execute(&store.pool)
        .await
        .expect("confirmations");
        if matches!(i, 40 | 41) {
            sqlx::query(
                "INSERT INTO tickets (chat_id, kind, status, node, summary, created_at, updated_at, detail, record_id)
                 SELECT $1, 'photo', 'open', 'record.photo_upload', 'photo', 1000, 1000, '{}', id
                 FROM records WHERE student_no = $2",
            )
            .bind(chat)
            .bind(no)
            .execute(&store.pool)
            .await
            .expect("ticket");
        }
    }
    store.pool.close().await;
}

fn reminders_to(tg: &FakeTelegram, i: usize) -> Vec<String> {
    crate::pipeline::texts(tg, chat_of(i))
        .into_iter()
        .filter(|t| t.contains("⏰"))
        .collect()
}

fn reminded(tg: &FakeTelegram) -> usize {
    (0..ROSTER)
        .filter(|i| !reminders_to(tg, *i).is_empty())
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_run_killed_halfway_reaches_every_due_student_exactly_once() {
    let scratch = Scratch::new("school-remind");
    for (backend, url) in backends(&scratch.dir).await {
        let dir = scratch.dir.join(backend);
        std::fs::create_dir_all(&dir).expect("dir");
        reminder_roster(&dir, &url).await;
        let deadline = days_from_today(2);
        // First without reminders: a student mutes them.
        let mut w = World::start_with(&dir, &url, &[("DEADLINE", deadline.as_str())]).await;
        let muted = TestUser::new(chat_of(MUTED), "");
        w.say(&muted, "/mute", "不再向您发送截止日期提醒").await;
        w.bot.stop();
        drop(w);

        // The reminder three days before the deadline is due: the run starts by itself.
        let mut w = World::start_with(
            &dir,
            &url,
            &[("DEADLINE", deadline.as_str()), ("REMINDERS", "14d,3d")],
        )
        .await;
        tokio::time::timeout(WAIT, async {
            while reminded(&w.tg) < 8 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("reminders start");
        // Telegram refuses everything for a moment, so no send is in flight when the bot is
        // killed (one accepted at that instant would be sent again after the restart: the
        // outbox's one duplicate, README "Crash safety"); any duplicate now is the run's own.
        w.tg.set_chaos(Some(crate::support::fake_telegram::Chaos {
            p429: 1.0,
            p500: 0.0,
            pdrop: 0.0,
            seed: 1,
        }));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        w.bot.kill9();
        let before = reminded(&w.tg);
        assert!(
            before < DUE,
            "{backend}: the run was interrupted halfway ({before} of {DUE})"
        );
        let store = Store::connect(&url).await.expect("db");
        let (claimed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reminders_sent")
            .fetch_one(&store.pool)
            .await
            .expect("count");
        assert!(
            claimed < DUE as i64,
            "{backend}: not every student was enqueued yet ({claimed})"
        );
        w.tg.set_chaos(None);
        w.bot.restart();
        tokio::time::timeout(Duration::from_secs(60), async {
            while reminded(&w.tg) < DUE {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{backend}: only {} of {DUE} reminded", reminded(&w.tg)));
        tokio::time::sleep(Duration::from_secs(4)).await;
        for i in 0..ROSTER {
            let got = reminders_to(&w.tg, i);
            let expected = usize::from(i < DUE);
            assert_eq!(got.len(), expected, "{backend}: student {i}: {got:?}");
            if i < DUE {
                let left = if i % 4 == 0 {
                    "还差：核对照片。"
                } else {
                    "还差：核对学籍信息、核对照片。"
                };
                assert!(
                    got[0].contains(left) && got[0].contains("还有 2 天"),
                    "{backend}: {i}: {}",
                    got[0]
                );
            }
        }
        let (runs,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM reminder_runs WHERE done_at IS NOT NULL AND reminder LIKE '%:3d'",
        )
        .fetch_one(&store.pool)
        .await
        .expect("runs");
        assert_eq!(runs, 1, "{backend}: the run is finished");
        store.pool.close().await;
    }
}
