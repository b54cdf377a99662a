//! Group commit: the processor handles several chats' updates in one transaction. An update
//! whose handling keeps failing is set aside after five attempts, holds back neither the
//! chats it shared a batch with nor its own chat's later updates, and is the only one counted.

use crate::support::WAIT;
use crate::support::app::{Bot, Scratch, TOKEN};
use crate::support::db::backends;
use crate::support::fake_telegram::{FakeTelegram, TestUser};
use helpdesk::store::{Backend, Store};
use std::time::Duration;

const POISONED: i64 = 4_000;
const OTHERS: i64 = 20;

/// Makes every reply to `chat` fail to be stored: a real database error, not a transient one.
async fn poison(store: &Store, chat: i64) {
    let statements: Vec<String> = match store.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER poison BEFORE INSERT ON outbox WHEN NEW.lane = 'tg:{chat}'
             BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END"
        )],
        Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
                   IF NEW.lane = 'tg:{chat}' THEN RAISE EXCEPTION 'poisoned by the test'; END IF;
                   RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER poison BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION poison()"
                .to_string(),
        ],
    };
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&store.pool)
            .await
            .expect("create the trigger");
    }
}

async fn cure(store: &Store) {
    let sql = match store.backend {
        Backend::Sqlite => "DROP TRIGGER poison",
        Backend::Postgres => "DROP TRIGGER poison ON outbox",
    };
    sqlx::query(sql)
        .execute(&store.pool)
        .await
        .expect("drop the trigger");
}

/// (attempts, error) of the chat's inbox rows, oldest first.
async fn inbox_rows(store: &Store, chat: i64) -> Vec<(i64, Option<String>)> {
    sqlx::query_as("SELECT attempts, error FROM inbox WHERE chat_id = $1 ORDER BY update_id")
        .bind(chat)
        .fetch_all(&store.pool)
        .await
        .expect("inbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_update_is_set_aside_without_holding_back_its_batch() {
    let scratch = Scratch::new("batch-poison");
    for (backend, url) in backends(&scratch.dir).await {
        let store = Store::connect(&url).await.expect("db");
        poison(&store, POISONED).await;
        let tg = FakeTelegram::start(TOKEN).await;
        let poisoned = TestUser::new(POISONED, "");
        let others: Vec<TestUser> = (1..=OTHERS)
            .map(|i| TestUser::new(POISONED + i, ""))
            .collect();
        // Waiting before the bot starts: its first page holds them all, one batch.
        tg.user_text(&poisoned, "/start");
        for user in &others {
            tg.user_text(user, "/start");
        }
        let _bot = Bot::start(&tg.api_url(), &url, &scratch.dir.join(backend), &[]);
        for i in 1..=OTHERS {
            tg.wait_text(POISONED + i, "学信账号助手", WAIT).await;
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        let rows = loop {
            let rows = inbox_rows(&store, POISONED).await;
            if rows.iter().any(|(_, error)| error.is_some()) {
                break rows;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{backend}: {rows:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(rows.len(), 1, "{backend}");
        assert_eq!(rows[0].0, 5, "{backend}: five attempts, then set aside");
        assert!(
            rows[0].1.as_deref().is_some_and(|e| e.contains("poisoned")),
            "{backend}: the reason is kept: {rows:?}"
        );
        assert!(tg.sent(POISONED).is_empty(), "{backend}");
        for i in 1..=OTHERS {
            let counted = inbox_rows(&store, POISONED + i).await;
            assert_eq!(
                counted,
                [(0, None)],
                "{backend}: chat {} handled once, no failure counted against it",
                POISONED + i
            );
        }
        // The chat goes on with its next update.
        cure(&store).await;
        tg.user_text(&poisoned, "/start");
        tg.wait_text(POISONED, "学信账号助手", WAIT).await;
        assert_eq!(tg.sent(POISONED).len(), 1, "{backend}");
    }
}
