//! Personal data: /privacy shows what is kept (masked), /delete_my_data erases it after a
//! one-time code, and no log line holds an ID number, an address or a code.

use crate::accounts::{ID, World, register};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::TestUser;
use crate::support::mail::code_in;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_sees_and_deletes_their_data() {
    let scratch = Scratch::new("privacy");
    for (backend, url) in backends(&scratch.dir).await {
        let w = World::start(&scratch.dir.join(backend), &url).await;
        let student = TestUser::new(60_001, "");
        register(
            &w,
            &student,
            "Private.Person@Example.com",
            "张三",
            ID,
            "13800000061",
        )
        .await;
        let shown = w
            .say(&student, "/privacy", "我们为您保存的信息")
            .await
            .text
            .unwrap_or_default();
        assert!(
            shown.contains("P***n@Example.com")
                && shown.contains("110105********002X")
                && shown.contains("138****0061"),
            "{backend}: {shown}"
        );
        assert!(
            !shown.contains(ID) && !shown.contains("Private.Person@Example.com"),
            "{backend}: masked"
        );
        let confirm = w.say(&student, "/delete_my_data", "无法恢复").await;
        let n = w.sms_to("+8613800000061") + 1;
        w.press(&student, &confirm, "确认删除", "确认删除").await;
        let sms = w.sms.wait_for("+8613800000061", n, WAIT).await;
        w.say(&student, &code_in(&sms.text), "个人数据已删除").await;
        let status = w
            .say(&student, "/status", "我的进度")
            .await
            .text
            .unwrap_or_default();
        assert!(status.contains("尚未注册或登录"), "{backend}: {status}");
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let left: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM accounts WHERE id_number = $1 OR email_norm = $2 OR phone = $3",
        )
        .bind(ID)
        .bind("private.person@example.com")
        .bind("+8613800000061")
        .fetch_one(&store.pool)
        .await
        .expect("q");
        assert_eq!(left.0, 0, "{backend}: nothing personal is left");
        let codes: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM codes WHERE chat_id = $1")
            .bind(student.id)
            .fetch_one(&store.pool)
            .await
            .expect("q");
        // The codes stay: they are the send and try limits of the phone and the address, and
        // a deletion must not reset them.
        assert!(
            codes.0 > 0,
            "{backend}: the codes' limits outlive the deletion"
        );
        let actors: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE actor = $1")
            .bind(format!("chat:{}", student.id))
            .fetch_one(&store.pool)
            .await
            .expect("q");
        assert_eq!(actors.0, 0, "{backend}: the audit trail no longer says who");
        let logs = w.bot.logs();
        for secret in [
            ID,
            "Private.Person@Example.com",
            "13800000061",
            code_in(&sms.text).as_str(),
        ] {
            assert!(!logs.contains(secret), "{backend}: the log holds {secret}");
        }
    }
}
