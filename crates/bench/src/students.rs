//! Simulated students. Each walks the start of registration like a person: one input, wait
//! for the bot's answer, the next input. All at once (`burst`) or arriving at a steady rate.
//! A "you are in the queue" notice from the bot is counted as such, not as the answer.

use crate::codes::{MailCodes, code_in};
use crate::script::{Input, Until, complete_script, script};
use fake_telegram::{FakeTelegram, Reply, TestUser};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Private chat (and user) id of student 0.
pub const CHAT_BASE: i64 = 100_000_000;
/// After the first reply of a turn, how long at most to wait for the rest of it (the message
/// with the buttons of the step the dialogue now waits at). Under Telegram's limits the rest
/// of a turn waits for its turn in the queue like the first message (the run's timeout
/// bounds it).
pub const SETTLE: Duration = Duration::from_secs(5);
pub const SETTLE_LIMITED: Duration = Duration::from_secs(3600);

/// Times of one input of the script, over all students.
#[derive(Debug, Default, Clone)]
pub struct StepTimes {
    /// Offered → first reply that is not a queue notice (the answer).
    pub first: Vec<Duration>,
    /// Offered → the message the student waited for (the next question, or the notice).
    pub whole: Vec<Duration>,
    /// Offered → the queue notice, for the turns that began with one.
    pub notices: Vec<Duration>,
    /// The bot's messages in the turn, queue notices apart, summed over the students.
    pub messages: u64,
}

/// What the students saw, shared by all of them; times on the fake's clock
/// ([`FakeTelegram::elapsed`]).
#[derive(Debug, Default)]
pub struct Tally {
    /// Update offered → first reply to that chat received by the fake.
    pub latencies: Vec<Duration>,
    pub started: u64,
    pub finished: u64,
    pub failures: BTreeMap<&'static str, u64>,
    pub first_offer: Option<Duration>,
    pub last_offer: Option<Duration>,
    pub last_reply: Option<Duration>,
    /// By input of the script.
    pub steps: Vec<StepTimes>,
    /// When the last student arrived (all at once in a burst).
    pub last_arrival: Option<Duration>,
}

pub type Shared = Arc<Mutex<Tally>>;

fn lock(tally: &Shared) -> MutexGuard<'_, Tally> {
    tally.lock().unwrap_or_else(|p| p.into_inner())
}

fn fail(tally: &Shared, why: &'static str) {
    *lock(tally).failures.entry(why).or_insert(0) += 1;
}

/// How a student walks: the inputs of the script it takes, how long it waits for the rest of
/// a turn, whether its conversation is printed, and (for the whole registration) where the
/// mailed codes are read.
#[derive(Debug, Clone)]
pub struct Walk {
    pub steps: usize,
    pub settle: Duration,
    pub trace: bool,
    pub codes: Option<Arc<MailCodes>>,
}

/// Waits (up to a minute) for a code to arrive.
async fn code(read: impl Fn() -> Option<String>) -> Option<String> {
    for _ in 0..600 {
        if let Some(code) = read() {
            return Some(code);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// Walks the first `walk.steps` inputs of the script for student `n`.
async fn walk(fake: FakeTelegram, n: usize, walk: Walk, tally: Shared) {
    let chat = CHAT_BASE + i64::try_from(n).unwrap_or(0);
    // Private chat id = user id; no language_code, so the bot speaks its default language.
    let user = TestUser::new(chat, "");
    let mut count = fake.subscribe(chat);
    let mut received: Vec<Reply> = Vec::new();
    lock(&tally).started += 1;
    let inputs = match walk.codes {
        Some(_) => complete_script(n),
        None => script(n),
    };
    for (i, (step, until)) in inputs.into_iter().take(walk.steps).enumerate() {
        let offered = match &step {
            Input::Text(text) => {
                let offered = fake.elapsed();
                fake.user_text(&user, text);
                offered
            }
            Input::MailCode(address) => {
                let Some(typed) = code(|| walk.codes.as_ref()?.code_for(address)).await else {
                    return fail(&tally, "no code was mailed");
                };
                let offered = fake.elapsed();
                fake.user_text(&user, &typed);
                offered
            }
            Input::SmsCode(number) => {
                let sent = || fake.last_sms(number).and_then(|t| code_in(&t));
                let Some(typed) = code(sent).await else {
                    return fail(&tally, "no code came by SMS");
                };
                let offered = fake.elapsed();
                fake.user_text(&user, &typed);
                offered
            }
            Input::Press(id) => {
                let Some((message_id, data)) = button(&received, id) else {
                    return fail(&tally, "the button to press was not offered");
                };
                let offered = fake.elapsed();
                fake.user_press(&user, message_id, &data);
                offered
            }
        };
        {
            let mut t = lock(&tally);
            t.first_offer = Some(t.first_offer.map_or(offered, |f| f.min(offered)));
            t.last_offer = Some(t.last_offer.map_or(offered, |l| l.max(offered)));
        }
        let seen = received.len();
        // The answer is the first reply that is not a queue notice (those come first).
        let mut turn: Vec<Reply> = Vec::new();
        while !turn.iter().any(|r| !r.marked) {
            let have = seen + turn.len();
            if count.wait_for(|c| *c > have).await.is_err() {
                return fail(&tally, "the fake stopped");
            }
            turn.extend(fake.replies(chat, have));
        }
        let Some(first) = turn.iter().find(|r| !r.marked).map(|r| r.at) else {
            return fail(&tally, "reply missing");
        };
        lock(&tally).latencies.push(first.saturating_sub(offered));
        while until == Until::Buttons && !turn.iter().any(|r| !r.buttons.is_empty()) {
            let have = seen + turn.len();
            match tokio::time::timeout(walk.settle, count.wait_for(|c| *c > have)).await {
                Ok(Ok(_)) => turn.extend(fake.replies(chat, have)),
                _ => {
                    fail(&tally, "a turn ended without the next question");
                    break;
                }
            }
        }
        if walk.trace {
            println!("  student {n}: {step:?}");
            for r in &turn {
                let text = r.text.as_deref().unwrap_or("").replace('\n', " ");
                let short: String = text.chars().take(110).collect();
                println!("    bot: {short}  {:?}", r.buttons);
            }
        }
        if let Some(last) = turn.last().map(|r| r.at) {
            let mut t = lock(&tally);
            t.last_reply = Some(t.last_reply.map_or(last, |l| l.max(last)));
            if t.steps.len() <= i {
                t.steps.resize(i + 1, StepTimes::default());
            }
            let step = &mut t.steps[i];
            step.first.push(first.saturating_sub(offered));
            step.whole.push(last.saturating_sub(offered));
            for notice in turn.iter().filter(|r| r.marked) {
                step.notices.push(notice.at.saturating_sub(offered));
            }
            step.messages += turn.iter().filter(|r| !r.marked).count() as u64;
        }
        received.extend(turn);
    }
    lock(&tally).finished += 1;
}

/// The message and callback data of the newest dialogue button with this id among the
/// replies (`b:{version}:{id}`).
fn button(received: &[Reply], id: &str) -> Option<(i64, String)> {
    let suffix = format!(":{id}");
    received.iter().rev().find_map(|r| {
        let data = r
            .buttons
            .iter()
            .find(|d| d.starts_with("b:") && d.ends_with(&suffix))?;
        Some((r.message_id, data.clone()))
    })
}

/// All `students` start at once, each walking as `how` says (student 0 traced).
pub async fn burst(fake: FakeTelegram, students: usize, how: Walk, tally: Shared) {
    let mut set = JoinSet::new();
    for n in 0..students {
        let how = Walk {
            trace: how.trace && n == 0,
            ..how.clone()
        };
        set.spawn(walk(fake.clone(), n, how, tally.clone()));
    }
    lock(&tally).last_arrival = Some(fake.elapsed());
    while set.join_next().await.is_some() {}
}

/// Students arrive evenly for `seconds` so that `rate` updates a second are offered (each
/// sends `how.steps`); then the run waits for the last of them to finish.
pub async fn steady(fake: FakeTelegram, (rate, seconds): (f64, f64), how: Walk, tally: Shared) {
    let per_student = how.steps.max(1) as f64;
    let students = (rate * seconds / per_student).round().max(1.0) as usize;
    let gap = Duration::from_secs_f64(per_student / rate.max(0.001));
    let start = Instant::now();
    let mut set = JoinSet::new();
    for n in 0..students {
        let at = start + gap.mul_f64(n as f64);
        tokio::time::sleep_until(at).await;
        let how = Walk {
            trace: how.trace && n == 0,
            ..how.clone()
        };
        set.spawn(walk(fake.clone(), n, how, tally.clone()));
        while set.try_join_next().is_some() {}
    }
    lock(&tally).last_arrival = Some(fake.elapsed());
    while set.join_next().await.is_some() {}
}
