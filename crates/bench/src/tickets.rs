//! `helpdesk-bench tickets`: a crowd asks for a person at once. Every student sends /human
//! and gets a ticket, whose card (a forum topic and a message, two sends) goes into an
//! agents' group at the group's budget of 20 sends a window; with `--groups 3` the kind is
//! routed to three groups and each new ticket goes to the least busy. Measured: when the
//! last card was visible to the agents. `--group-window` shortens Telegram's minute (the bot
//! and the fake together) so the run is short; the figures are then also scaled back to the
//! minute, which is honest for what the group budget holds up (everything here but the
//! students' own answers, which wait for the overall limit only). With `--words` each
//! student types their question right after /human, and the run also counts every send into
//! the groups until they settle: what one new ticket costs the groups' budget.

use crate::args::BenchArgs;
use crate::db::BenchDb;
use crate::driver::start_fake;
use crate::pipeline::{self, Pipeline};
use crate::report::percentile;
use crate::students::CHAT_BASE;
use fake_telegram::{FakeTelegram, TestUser};
use helpdesk::app::AppError;
use helpdesk::config::Settings;
use std::path::Path;
use std::time::Duration;

/// The first agents' group; the others count down from it.
const GROUP: i64 = -1_002_000_000_001;
/// What a student asking for a person types next (`--words`); the FAQ knows the question.
const WORDS: &str = "提示证件号码已被注册怎么办？";

/// Runs the ticket burst and prints its figures.
pub async fn run(
    settings: &Settings,
    args: &BenchArgs,
    db: &BenchDb,
    scratch: &Path,
) -> Result<(), AppError> {
    let window = Duration::from_secs(args.group_window.max(1));
    let groups: Vec<i64> = (0..i64::from(args.groups.max(1)))
        .map(|i| GROUP - i)
        .collect();
    let fake = start_fake(true, false).await?;
    fake.set_group_window(window);
    for group in &groups {
        fake.set_forum(*group);
    }
    let mut bench = pipeline::bench_settings(settings, &db.url()?, scratch, &fake.api_url(), true);
    bench.agent_chat_id = groups.first().copied();
    bench.agent_groups = match groups.len() {
        1 => Vec::new(),
        _ => groups.iter().map(|g| format!("human={g}")).collect(),
    };
    bench.telegram_group_window = format!("{}s", window.as_secs());
    let bot = Pipeline::start(&bench).await?;
    let tickets = args.students;
    eprintln!(
        "bench: {tickets} students ask for a person at once, {} group(s), group window {} s, on {}",
        groups.len(),
        window.as_secs(),
        db.describe()
    );
    let start = fake.elapsed();
    for n in 0..tickets {
        let user = TestUser::new(CHAT_BASE + i64::try_from(n).unwrap_or(0), "");
        fake.user_text(&user, "/human");
        if args.words {
            fake.user_text(&user, WORDS);
        }
    }
    let limit = Duration::from_secs(args.timeout);
    let cards = tokio::time::timeout(limit, all_cards(&fake, &groups, tickets)).await;
    let timed_out = cards.is_err();
    if args.words && !timed_out {
        settle(&fake, &groups, window).await;
    }
    let sends = group_sends(&fake, &groups);
    let answers: Vec<Duration> = (0..tickets)
        .filter_map(|n| {
            let chat = CHAT_BASE + i64::try_from(n).unwrap_or(0);
            fake.replies(chat, 0)
                .first()
                .map(|r| r.at.saturating_sub(start))
        })
        .collect();
    bot.stop().await;
    fake.stop();
    let mut times: Vec<Duration> = groups
        .iter()
        .flat_map(|g| card_times(&fake, *g))
        .map(|at| at.saturating_sub(start))
        .collect();
    times.sort();
    let per_group: Vec<String> = groups
        .iter()
        .map(|g| card_times(&fake, *g).len().to_string())
        .collect();
    let mut answers = answers;
    answers.sort();
    let last = times.last().copied().unwrap_or_default();
    let scale = 60.0 / window.as_secs_f64();
    let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
    println!(
        "\n== helpdesk-bench tickets: {tickets} students ask for a person at once, {} group(s), group window {} s ==",
        groups.len(),
        window.as_secs()
    );
    if timed_out {
        println!("!! TIMED OUT: the figures below cover the cards sent by then");
    }
    println!(
        "cards               {} of {tickets} visible ({} per group); the last after {}, p50 {}",
        times.len(),
        per_group.join(" / "),
        secs(last),
        secs(percentile(&times, 50.0))
    );
    println!(
        "at a 60 s window    the last after ≈ {} (× {scale:.1}: the groups' budget is what the cards wait for)",
        secs(last.mul_f64(scale))
    );
    println!(
        "students told       their ticket's number: p50 {} p99 {} (the overall limit; not scaled)",
        secs(percentile(&answers, 50.0)),
        secs(percentile(&answers, 99.0))
    );
    let per_ticket = sends.total() as f64 / tickets.max(1) as f64;
    println!(
        "sends to the groups {} = {:.2} a ticket: {} topics created, {} messages, {} card edits",
        sends.total(),
        per_ticket,
        sends.topics,
        sends.messages,
        sends.edits
    );
    println!("429 answers         {}", fake.count_429());
    let calls: Vec<String> = fake
        .call_counts()
        .iter()
        .map(|(m, n)| format!("{m} {n}"))
        .collect();
    println!("Bot API calls       {}", calls.join(", "));
    Ok(())
}

/// Waits until `tickets` cards are in the groups.
async fn all_cards(fake: &FakeTelegram, groups: &[i64], tickets: usize) {
    loop {
        let cards: usize = groups.iter().map(|g| card_times(fake, *g).len()).sum();
        if cards >= tickets {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// When the cards (the group's messages with buttons) arrived in `group`.
fn card_times(fake: &FakeTelegram, group: i64) -> Vec<Duration> {
    fake.replies(group, 0)
        .into_iter()
        .filter(|r| !r.buttons.is_empty())
        .map(|r| r.at)
        .collect()
}

/// What the groups' budget paid: topics created, messages into the groups, cards redrawn.
struct GroupSends {
    topics: u64,
    messages: u64,
    edits: u64,
}

impl GroupSends {
    fn total(&self) -> u64 {
        self.topics + self.messages + self.edits
    }
}

/// The sends into `groups` so far. Only cards are edited with editMessageText here: the
/// students' menus are tidied with editMessageReplyMarkup.
fn group_sends(fake: &FakeTelegram, groups: &[i64]) -> GroupSends {
    let calls = fake.call_counts();
    let count = |m: &str| calls.get(m).copied().unwrap_or(0);
    GroupSends {
        topics: count("createforumtopic"),
        messages: groups
            .iter()
            .map(|g| fake.replies(*g, 0).len() as u64)
            .sum(),
        edits: count("editmessagetext"),
    }
}

/// Waits until nothing more went into the groups for a window and a bit (relays and card
/// redraws still paced behind the last card).
async fn settle(fake: &FakeTelegram, groups: &[i64], window: Duration) {
    let quiet = window + Duration::from_secs(3);
    let mut last = group_sends(fake, groups).total();
    let mut since = tokio::time::Instant::now();
    while since.elapsed() < quiet {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let now = group_sends(fake, groups).total();
        if now != last {
            last = now;
            since = tokio::time::Instant::now();
        }
    }
}
