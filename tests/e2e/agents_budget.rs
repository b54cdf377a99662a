//! The group budget: the fake forum takes 20 messages per (scaled) minute and answers 429
//! beyond; relays wait in the outbox, merge while they wait, and nothing is lost.

use crate::accounts::World;
use crate::agents::{AGENT, GROUP, agent_world_with, group_press, in_group};
use crate::support::WAIT;
use crate::support::app::Scratch;
use crate::support::db::backends;
use crate::support::fake_telegram::{Fault, Sent, TestUser};
use std::time::Duration;

/// A group takes 20 messages per this window, in the fake and in the bot's pacing.
const WINDOW: Duration = Duration::from_secs(3);

pub async fn budget_world(dir: &std::path::Path, url: &str, extra: &[(&str, &str)]) -> World {
    let mut env = vec![("TELEGRAM_GROUP_WINDOW", "3s"), ("RUST_LOG", "warn")];
    env.extend_from_slice(extra);
    let w = agent_world_with(dir, url, "", &env).await;
    w.tg.set_group_window(WINDOW);
    w
}

/// The student's messages relayed into the group for ticket `ticket` (texts and captions).
pub fn relays(sent: &[Sent], ticket: &str) -> Vec<Sent> {
    let label = format!("[#{ticket}] User");
    sent.iter()
        .filter(|s| {
            s.text
                .as_deref()
                .or(s.caption.as_deref())
                .is_some_and(|t| t.contains(&label))
        })
        .cloned()
        .collect()
}

/// The ticket number on a card.
pub fn ticket_of(card: &Sent) -> String {
    let text = card.text.clone().unwrap_or_default();
    text.split('#')
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_relays_merge_in_order_and_the_card_shows_the_backlog() {
    let scratch = Scratch::new("agents-merge");
    for (backend, url) in backends(&scratch.dir).await {
        let w = budget_world(&scratch.dir.join(backend), &url, &[]).await;
        let (student, agent) = (TestUser::new(45_001, ""), TestUser::new(AGENT, ""));
        w.say(&student, "/human", "工单号").await;
        let card = in_group(&w.tg, "人工客服").await;
        let ticket = ticket_of(&card);
        group_press(&w.tg, &agent, &card, "接管");
        w.then(&student, "客服已接入").await;
        in_group(&w.tg, "已接管").await;
        // Telegram holds the group back for 5 s; meanwhile the student keeps writing.
        w.tg.inject("sendMessage", Fault::RetryAfter(5));
        w.tg.user_text(&student, "m1 第一条");
        tokio::time::timeout(WAIT, async {
            while !w.tg.calls("sendmessage").iter().any(|c| c.status == 429) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the group is held back");
        w.tg.user_text(&student, "m2 第二条");
        w.tg.user_text(&student, "m3 <第三条>");
        w.tg.user_photo(&student, "merge-photo", 40_000, None);
        w.tg.user_text(&student, "m5 第五条");
        w.tg.user_text(&student, "m6 第六条");
        let all = tokio::time::timeout(WAIT, async {
            loop {
                let relayed = relays(&w.tg.sent(GROUP), &ticket);
                let text: String = relayed
                    .iter()
                    .filter_map(|s| s.text.clone().or(s.caption.clone()))
                    .collect::<Vec<_>>()
                    .join("\n");
                if text.contains("m6") {
                    return (relayed, text);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("every message reaches the topic");
        let (relayed, text) = all;
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} lost: {text}"))
        };
        assert!(
            at("m1") < at("m2")
                && at("m2") < at("m3")
                && at("m3") < at("m5")
                && at("m5") < at("m6"),
            "{backend}: in order: {text}"
        );
        assert!(
            text.contains("m3 &lt;第三条&gt;"),
            "{backend}: escaped once: {text}"
        );
        assert_eq!(
            relayed.len(),
            3,
            "{backend}: m2+m3, then the photo with m5+m6: {text}"
        );
        assert_eq!(relayed[2].method, "sendphoto", "{backend}");
        assert!(
            relayed.iter().all(|r| r.thread_id == card.thread_id),
            "{backend}"
        );
        // The card showed the backlog while it waited, and no longer once it was sent.
        let shown = w.tg.calls("editmessagetext").iter().any(|c| {
            c.body["message_id"].as_i64() == Some(card.message_id)
                && c.body["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("待转发"))
        });
        assert!(shown, "{backend}: the card showed the backlog");
        tokio::time::timeout(WAIT, async {
            loop {
                let now = w.tg.message(GROUP, card.message_id).expect("card");
                let text = now["text"].as_str().unwrap_or_default().to_string();
                if !text.contains("待转发") && now.get("edit_date").is_some() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the backlog line goes once the relays are sent");
        assert_eq!(
            w.tg.calls("sendmessage")
                .iter()
                .filter(|c| c.status == 429)
                .count(),
            1
        );
    }
}

/// Waits (up to `limit`) until `check` finds what it looks for in the agents' group.
async fn until<T>(
    w: &World,
    limit: Duration,
    what: &str,
    check: impl Fn(&[Sent]) -> Option<T>,
) -> T {
    tokio::time::timeout(limit, async {
        loop {
            if let Some(found) = check(&w.tg.sent(GROUP)) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_students_at_once_within_the_group_budget_lose_nothing() {
    const STUDENTS: i64 = 50;
    const LONG: Duration = Duration::from_secs(240);
    let scratch = Scratch::new("agents-fifty");
    for (backend, url) in backends(&scratch.dir).await {
        let w = budget_world(&scratch.dir.join(backend), &url, &[]).await;
        let agent = TestUser::new(AGENT, "");
        let students: Vec<TestUser> = (0..STUDENTS)
            .map(|i| TestUser::new(51_000 + i, ""))
            .collect();
        for s in &students {
            w.tg.user_text(s, "/human");
        }
        let cards: Vec<Sent> = until(&w, LONG, "a card per ticket", |sent| {
            students
                .iter()
                .map(|s| {
                    let needle = format!("对话：{}", s.id);
                    sent.iter()
                        .find(|m| m.text.as_deref().is_some_and(|t| t.contains(&needle)))
                        .cloned()
                })
                .collect()
        })
        .await;
        for card in &cards {
            group_press(&w.tg, &agent, card, "接管");
        }
        for s in &students {
            tokio::time::timeout(LONG, w.tg.wait_text(s.id, "客服已接入", LONG))
                .await
                .expect("taken over");
        }
        // Everyone writes three messages at once.
        for round in 1..=3 {
            for s in &students {
                w.tg.user_text(s, &format!("s{}-m{round}", s.id));
            }
        }
        let topics: Vec<String> = until(&w, LONG, "every message in the group", |sent| {
            let all: Vec<String> = cards
                .iter()
                .map(|card| {
                    relays(sent, &ticket_of(card))
                        .iter()
                        .filter(|r| r.thread_id == card.thread_id)
                        .filter_map(|r| r.text.clone())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            all.iter()
                .zip(&students)
                .all(|(topic, s)| topic.contains(&format!("s{}-m3", s.id)))
                .then_some(all)
        })
        .await;
        for (topic, s) in topics.iter().zip(&students) {
            let at = |round: i64| {
                topic
                    .find(&format!("s{}-m{round}", s.id))
                    .unwrap_or_else(|| panic!("{backend}: s{} m{round} lost: {topic}", s.id))
            };
            assert!(
                at(1) < at(2) && at(2) < at(3),
                "{backend}: in order: {topic}"
            );
            assert_eq!(
                topic.matches(&format!("s{}-", s.id)).count(),
                3,
                "{backend}: once each"
            );
        }
        let store = helpdesk::store::Store::connect(&url).await.expect("db");
        let failed: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 2")
            .fetch_one(&store.pool)
            .await
            .expect("outbox");
        assert_eq!(
            failed.0,
            0,
            "{backend}: no delivery failed ({} answers 429)",
            w.tg.count_429()
        );
        let group_sends = w.tg.sent(GROUP).len();
        assert!(
            group_sends <= 250,
            "{backend}: {group_sends} messages into the group"
        );
    }
}
