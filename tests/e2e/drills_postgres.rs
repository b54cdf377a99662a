//! The database goes away mid-run: every connection of the bot's PostgreSQL database is
//! terminated and new ones refused for a while, as during a server restart, three times
//! while students walk their flows. The bot recovers without a restart and loses nothing.

use crate::drills::{futures_join, walk};
use crate::pipeline::texts;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::fresh_postgres;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use sqlx::Connection;
use std::time::Duration;

/// Takes the database down for `outage` as a restart would: refuse new connections, cut the
/// open ones, then accept again. Other tests' databases on the same server are untouched.
async fn restart_database(admin_url: &str, database: &str, outage: Duration) {
    // Locally, DRILL_PG_RESTART_CMD (e.g. `pg_ctlcluster 15 main restart`) restarts the whole
    // server instead; not in CI, where other tests share the server.
    if let Ok(command) = std::env::var("DRILL_PG_RESTART_CMD") {
        let status = std::process::Command::new("sh")
            .args(["-c", &command])
            .status()
            .expect("run DRILL_PG_RESTART_CMD");
        assert!(status.success(), "{command}");
        return;
    }
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("admin connection");
    let statements = [
        format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false"),
        format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        ),
    ];
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .expect("take the database down");
    }
    tokio::time::sleep(outage).await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {database} ALLOW_CONNECTIONS true"
    )))
    .execute(&mut admin)
    .await
    .expect("bring the database back");
}

/// A new database on the test server: its URL and its name.
async fn fresh_database(admin_url: &str) -> (String, String) {
    let url = fresh_postgres(admin_url).await;
    let name = url::Url::parse(&url)
        .expect("url")
        .path()
        .trim_start_matches('/')
        .to_owned();
    (url, name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_three_times_mid_run_loses_nothing() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped: TEST_DATABASE_URL is not set (no PostgreSQL to restart)");
        return;
    };
    let scratch = Scratch::new("drill-postgres");
    let (url, database) = fresh_database(&admin).await;
    let tg = FakeTelegram::start(TOKEN).await;
    let bot = Bot::start(&tg.api_url(), &url, &scratch.dir, &[]);
    let chats = crate::drills::drill_size("DRILL_CHATS", 10);
    let students: Vec<TestUser> = (0..chats)
        .map(|i| TestUser::new(53_000 + i as i64, ""))
        .collect();
    let outages = async {
        // The outages start once the bot is serving (start-up waits out an outage on its own).
        while tg.calls("sendMessage").is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for pause in [400, 1_500, 2_500] {
            tokio::time::sleep(Duration::from_millis(pause)).await;
            restart_database(&admin, &database, Duration::from_secs(2)).await;
        }
    };
    tokio::join!(futures_join(students.iter().map(|s| walk(&tg, s))), outages);
    let mut duplicates = 0;
    for s in &students {
        let replies = texts(&tg, s.id);
        for needle in [
            "学信账号助手",
            "请选择与您情况相符的一项",
            "校验码 5 分钟内有效",
            "我的进度",
            "Please choose your language",
        ] {
            let n = replies.iter().filter(|t| t.contains(needle)).count();
            // Outcomes are kept in memory until recorded, so a 2 s outage repeats nothing; a
            // repeat is tolerated only as in a crash window (an outage longer than a claim).
            assert!((1..=2).contains(&n), "chat {}: {n} × {needle}", s.id);
            if n > 1 {
                eprintln!("duplicate: chat {} {needle}", s.id);
            }
            duplicates += n - 1;
        }
    }
    eprintln!(
        "postgres drill: 3 outages, {} chats, {duplicates} duplicate replies",
        students.len()
    );
    assert!(
        [
            "database unavailable",
            "claiming failed",
            "could not record a delivery"
        ]
        .iter()
        .any(|seen| bot.logs().contains(seen)),
        "the outages were noticed by the bot"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_waits_for_a_database_that_is_not_there_yet() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let scratch = Scratch::new("drill-postgres-start");
    let (url, database) = fresh_database(&admin).await;
    let tg = FakeTelegram::start(TOKEN).await;
    let down = restart_database(&admin, &database, Duration::from_secs(4));
    let start = async {
        // The bot starts while the database refuses connections.
        tokio::time::sleep(Duration::from_millis(300)).await;
        Bot::start(&tg.api_url(), &url, &scratch.dir, &[])
    };
    let (_, bot) = tokio::join!(down, start);
    let student = TestUser::new(53_900, "");
    walk(&tg, &student).await;
    assert!(
        bot.logs().contains("database unavailable at start-up"),
        "the bot waited for the database"
    );
}
