//! The order sends leave in, on injected time: each case holds sends (turn, chat, name),
//! lets them go as the limits allow (every send answered 1 ms after it started) and reads
//! the order back.

use super::*;
use crate::delivery::pacer::Limits;
use std::time::Duration;

/// Sends `items` (turn time, chat, name) in the order the queue picks, `arrivals` joining at
/// the given offset (ms); returns the names with the offsets they left at.
fn order(
    prior: &[(i64, u64)],
    items: &[(i64, i64, &'static str)],
    arrivals: &[(u64, i64, i64, &'static str)],
) -> Vec<(&'static str, u64)> {
    let t0 = Instant::now();
    let mut pacer = Pacer::new(Limits::telegram());
    for (chat, at) in prior {
        let ticket = pacer.start(Some(*chat), 1, t0 + Duration::from_millis(*at));
        pacer.answered(ticket, t0 + Duration::from_millis(*at + 1));
    }
    let mut queue = Queue::default();
    let push = |queue: &mut Queue<&'static str>, (turn, chat, name): (i64, i64, &'static str)| {
        let waiting = Waiting {
            chat: Some(chat),
            cost: 1,
            since: t0,
            job: name,
        };
        queue.push((turn, turn), waiting);
    };
    for item in items {
        push(&mut queue, *item);
    }
    let mut pending: Vec<_> = arrivals.to_vec();
    let mut now = t0 + Duration::from_millis(prior.last().map_or(0, |p| p.1 + 1));
    let mut left = Vec::new();
    for _ in 0..100 {
        let offset = u64::try_from((now - t0).as_millis()).unwrap_or(0);
        pending.retain(|(at, turn, chat, name)| {
            let due = *at <= offset;
            if due {
                push(&mut queue, (*turn, *chat, *name));
            }
            !due
        });
        let next_arrival = pending
            .iter()
            .map(|(at, ..)| t0 + Duration::from_millis(*at))
            .min();
        match queue.pick(&mut pacer, now) {
            Pick::Go(name, ticket) => {
                left.push((name, offset));
                pacer.answered(ticket, now + Duration::from_millis(1));
            }
            // Time moves on to what comes first: the wait's end or the next arrival.
            Pick::Wait(at) => now = next_arrival.map_or(at, |a| a.min(at)),
            Pick::Idle => match next_arrival {
                Some(a) => now = a,
                None => break,
            },
        }
    }
    left
}

fn names(left: &[(&'static str, u64)]) -> Vec<&'static str> {
    left.iter().map(|(n, _)| *n).collect()
}

/// A case: its name, earlier sends (chat, at), the queued sends (turn, chat, name), sends
/// arriving later (at, turn, chat, name) and the order expected.
type Case = (
    &'static str,
    Vec<(i64, u64)>,
    Vec<(i64, i64, &'static str)>,
    Vec<(u64, i64, i64, &'static str)>,
    Vec<&'static str>,
);

#[test]
fn sends_leave_in_turn_unless_their_chat_must_wait() {
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("in turn across chats",
            vec![], vec![(30, 3, "c"), (10, 1, "a"), (20, 2, "b")], vec![], vec!["a", "b", "c"]),
        ("a chat that used its burst waits; the others do not wait for it",
            vec![(1, 0), (1, 1), (1, 2)], vec![(10, 1, "a"), (20, 2, "b"), (30, 3, "c")], vec![], vec!["b", "c", "a"]),
        ("a send that arrives with an earlier turn goes before those already held",
            vec![], vec![(10, 1, "a"), (20, 2, "b"), (30, 3, "c"), (40, 4, "d")], vec![(40, 5, 5, "early")], vec!["a", "b", "early", "c", "d"]),
        ("one chat's burst of three goes at once, the fourth later",
            vec![], vec![(10, 1, "a1"), (11, 1, "a2"), (12, 1, "a3"), (13, 1, "a4"), (50, 2, "b")], vec![], vec!["a1", "a2", "a3", "b", "a4"]),
        ("past its burst, a chat's next waits a second while the others go",
            vec![], vec![(10, 1, "a1"), (11, 1, "a2"), (12, 1, "a3"), (13, 1, "a4")], vec![(200, 50, 2, "b")], vec!["a1", "a2", "a3", "b", "a4"]),
    ];
    for (name, prior, items, arrivals, expected) in cases {
        assert_eq!(names(&order(&prior, &items, &arrivals)), expected, "{name}");
    }
}

#[test]
fn sends_are_spaced_at_the_overall_pace() {
    let items: Vec<(i64, i64, &'static str)> =
        vec![(1, 1, "a"), (2, 2, "b"), (3, 3, "c"), (4, 4, "d")];
    let left = order(&[], &items, &[]);
    let offsets: Vec<u64> = left.iter().map(|(_, at)| *at).collect();
    assert_eq!(offsets, vec![0, 33, 66, 99]);
}

#[test]
fn nothing_goes_to_a_chat_while_its_notice_is_in_flight() {
    let t0 = Instant::now();
    let mut pacer = Pacer::new(Limits::off());
    let mut queue = Queue::default();
    for (turn, chat, job) in [(1, 7, "reply"), (2, 8, "other")] {
        let waiting = Waiting {
            chat: Some(chat),
            cost: 1,
            since: t0,
            job,
        };
        queue.push((turn, turn), waiting);
    }
    queue.notice_in_flight(7, true);
    assert!(matches!(queue.pick(&mut pacer, t0), Pick::Go("other", _)));
    assert!(matches!(queue.pick(&mut pacer, t0), Pick::Idle));
    queue.notice_in_flight(7, false);
    assert!(matches!(queue.pick(&mut pacer, t0), Pick::Go("reply", _)));
    assert!(queue.is_empty());
}

#[test]
fn what_waited_too_long_is_given_back() {
    let t0 = Instant::now();
    let mut queue = Queue::default();
    for (turn, since, job) in [(1, 0, "old"), (2, 10, "new")] {
        let waiting = Waiting {
            chat: None,
            cost: 1,
            since: t0 + Duration::from_secs(since),
            job,
        };
        queue.push((turn, turn), waiting);
    }
    assert_eq!(queue.take_stale(t0 + Duration::from_secs(5)), vec!["old"]);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.drain(), vec!["new"]);
}
