//! The pacer's rules on injected time: each case sends at given moments (milliseconds from
//! a start), with answers at given moments, and asks when the next send may start.

use super::*;

const MS: fn(u64) -> Duration = Duration::from_millis;

/// A send in a case: to `chat` (None: no chat limit), started and answered at these offsets
/// (`None`: still in flight).
struct Sent {
    chat: Option<i64>,
    cost: u32,
    at: u64,
    answered: Option<u64>,
}

fn sent(chat: i64, at: u64, answered: u64) -> Sent {
    Sent {
        chat: Some(chat),
        cost: 1,
        at,
        answered: Some(answered),
    }
}

/// Replays `sends` and asks when `cost` sends to `chat` may start at `now` (offsets in ms;
/// `None`: only once an outstanding answer is back).
fn ready_after(
    limits: Limits,
    share: u32,
    sends: Vec<Sent>,
    (chat, cost, now): (Option<i64>, u32, u64),
) -> Option<u64> {
    let t0 = Instant::now();
    let mut pacer = Pacer::new(limits);
    let _ = pacer.set_share(share);
    let mut events: Vec<(u64, bool, usize)> = Vec::new();
    for (i, s) in sends.iter().enumerate() {
        events.push((s.at, false, i));
        if let Some(a) = s.answered {
            events.push((a, true, i));
        }
    }
    events.sort();
    let mut tickets = vec![None; sends.len()];
    for (at, answer, i) in events {
        if answer {
            if let Some(ticket) = tickets[i] {
                pacer.answered(ticket, t0 + MS(at));
            }
        } else {
            tickets[i] = Some(pacer.start(sends[i].chat, sends[i].cost, t0 + MS(at)));
        }
    }
    pacer.forget_idle(t0 + MS(now));
    pacer
        .ready(chat, cost, t0 + MS(now))
        .map(|at| u64::try_from((at - t0).as_millis()).unwrap_or(u64::MAX))
}

/// A case: its name, the limits and share, the sends, the question (chat, cost, at) and
/// the answer (ms from the start; `None`: after an answer).
type Case = (
    &'static str,
    Limits,
    u32,
    Vec<Sent>,
    (Option<i64>, u32, u64),
    Option<u64>,
);

#[test]
fn each_window_says_when_the_next_send_may_start() {
    let tg = Limits::telegram();
    // Thirty sends to thirty chats, 1 ms apart, each answered 5 ms after it started.
    let thirty = || (0..30).map(|i| sent(i, i as u64, i as u64 + 5)).collect();
    let in_flight = |n: i64| {
        (0..n)
            .map(|i| Sent {
                chat: Some(i),
                cost: 1,
                at: 0,
                answered: None,
            })
            .collect()
    };
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("nothing sent: at once", tg, 1, vec![], (Some(7), 1, 0), Some(0)),
        ("overall: evenly spaced, 1 s / 30", tg, 1, vec![sent(1, 0, 2)], (Some(2), 1, 2), Some(33)),
        ("overall: the 31st waits a second after the first answer", tg, 1, thirty(), (Some(99), 1, 1000), Some(1005)),
        ("overall: thirty in flight wait for an answer", tg, 1, in_flight(30), (Some(99), 1, 1000), None),
        ("overall: two instances take 15 each", tg, 2, (0..15).map(|i| sent(i, i as u64 * 10, i as u64 * 10 + 1)).collect(), (Some(99), 1, 1000), Some(1001)),
        ("overall: two instances space 1 s / 15", tg, 2, vec![sent(1, 0, 1)], (Some(2), 1, 1), Some(66)),
        ("chat: a burst of three goes at once", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41)], (Some(5), 1, 80), Some(80)),
        ("chat: past the burst, one a second after the last answer", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41), sent(5, 80, 81)], (Some(5), 1, 120), Some(1081)),
        ("chat: past the burst with one in flight, when the window allows", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41), Sent { chat: Some(5), cost: 1, at: 80, answered: None }], (Some(5), 1, 120), Some(3001)),
        ("chat: other chats are not held back", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41), sent(5, 80, 81)], (Some(6), 1, 120), Some(120)),
        ("chat: after three quiet seconds a burst again", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41), sent(5, 80, 81)], (Some(5), 1, 3100), Some(3100)),
        ("group: twenty a minute, then the window", tg, 1, (0..20).map(|i| sent(-100, i * 40, i * 40 + 10)).collect(), (Some(-100), 1, 900), Some(60_010)),
        ("group: a topic and its card cost two", tg, 1, (0..19).map(|i| sent(-100, i * 40, i * 40 + 10)).collect(), (Some(-100), 2, 900), Some(60_010)),
        ("group: its window scaled for tests", tg.with_group_window(MS(3000)), 1, (0..20).map(|i| sent(-100, i * 40, i * 40 + 10)).collect(), (Some(-100), 1, 900), Some(3010)),
        ("no chat: only the overall limit", tg, 1, vec![sent(5, 0, 1), sent(5, 40, 41), sent(5, 80, 81)], (None, 1, 120), Some(120)),
        ("limits off: nothing waits", Limits::off(), 1, in_flight(100), (Some(1), 1, 0), Some(0)),
    ];
    for (name, limits, share, sends, ask, expected) in cases {
        assert_eq!(ready_after(limits, share, sends, ask), expected, "{name}");
    }
}

#[test]
fn a_hold_delays_the_chat_only() {
    let mut pacer = Pacer::new(Limits::off());
    let t0 = Instant::now();
    pacer.hold(7, t0 + Duration::from_secs(5));
    assert_eq!(pacer.ready(Some(8), 1, t0), Some(t0));
    assert_eq!(
        pacer.ready(Some(7), 1, t0),
        Some(t0 + Duration::from_secs(5))
    );
    pacer.forget_idle(t0 + Duration::from_secs(6));
    assert_eq!(
        pacer.ready(Some(7), 1, t0 + Duration::from_secs(6)),
        Some(t0 + Duration::from_secs(6))
    );
}

#[test]
fn no_second_holds_more_than_the_limit_when_answers_come_back_late() {
    // Whatever the answers' delays, sends started as the pacer allows never put more than
    // 30 into any second of their answers (where Telegram counted them at the latest).
    let t0 = Instant::now();
    let mut pacer = Pacer::new(Limits::telegram());
    let mut now = t0;
    let mut answered: Vec<Instant> = Vec::new();
    let mut outstanding: Vec<(Ticket, Instant)> = Vec::new();
    for i in 0..300u64 {
        let delay = MS((i * 37) % 90);
        loop {
            outstanding.retain(|(ticket, at)| {
                if *at <= now {
                    pacer.answered(*ticket, *at);
                    answered.push(*at);
                    false
                } else {
                    true
                }
            });
            match pacer.ready(Some(i as i64), 1, now) {
                Some(at) if at <= now => break,
                Some(at) => now = at,
                None => now += MS(1),
            }
        }
        let ticket = pacer.start(Some(i as i64), 1, now);
        outstanding.push((ticket, now + delay));
    }
    answered.sort();
    for (i, a) in answered.iter().enumerate() {
        let in_second = answered[i..]
            .iter()
            .take_while(|b| **b < *a + Duration::from_secs(1))
            .count();
        assert!(in_second <= 30, "{in_second} answers within a second");
    }
}
