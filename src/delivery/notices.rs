//! Saying it when it is busy: when a student's reply will wait longer than a few seconds,
//! the first thing their chat gets is one short "you are in the queue, about N s" message,
//! in their language. It is a send like any other (the limits count it) and goes before
//! every reply, so it is sent once per chat in a while, not once per reply: a student who was
//! told knows, and every notice makes everyone's wait one send longer.
//!
//! The worker looks at new replies into private chats every half second (each row once,
//! across instances: see `store::outbox::waiting`), counts the lane heads ahead of them, and
//! estimates the wait at the overall rate. The texts come from the dialogue tree loaded at
//! start-up, rendered here; the notice is not an outbox row (a crash loses it, which is
//! fine for a notice about a wait).

use crate::dialogue::{Locale, Text, Tree};
use crate::store::outbox::waiting::Fresh;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// A reply that will wait longer than this is announced.
pub const NOTICE_AFTER: Duration = Duration::from_secs(10);
/// A chat that was told is not told again for this long.
pub const TELL_AGAIN: Duration = Duration::from_secs(600);
/// How often new replies are looked at.
pub const LOOK_EVERY: Duration = Duration::from_millis(500);
/// New rows looked at per look, at most.
pub const LOOK_MAX: i64 = 2000;

/// The notices' texts and which chats were told when.
#[derive(Debug)]
pub struct Notices {
    tree: Arc<Tree>,
    told: HashMap<i64, Instant>,
    last_look: Option<Instant>,
}

impl Notices {
    pub fn new(tree: Arc<Tree>) -> Notices {
        Notices {
            tree,
            told: HashMap::new(),
            last_look: None,
        }
    }

    /// Whether it is time to look at new replies again (and, if so, marks the look).
    pub fn look_now(&mut self, now: Instant) -> bool {
        if self.last_look.is_some_and(|last| now < last + LOOK_EVERY) {
            return false;
        }
        self.last_look = Some(now);
        true
    }

    /// Which of `fresh` (new replies, oldest first, with `ahead` lane heads waiting before
    /// the first of them) to announce, at `per_second` sends overall: the chats whose reply
    /// will wait longer than [`NOTICE_AFTER`] and that were not told lately, with the wait
    /// to announce in seconds. Every notice chosen goes first, so it adds to the waits after it.
    pub fn choose(
        &mut self,
        fresh: &[Fresh],
        ahead: i64,
        per_second: f64,
        now: Instant,
    ) -> Vec<(i64, u64)> {
        self.told.retain(|_, at| *at + TELL_AGAIN > now);
        let mut chosen = Vec::new();
        for (i, f) in fresh.iter().enumerate() {
            let before = ahead.max(0) as f64 + i as f64 + chosen.len() as f64;
            let wait = (before + 1.0) / per_second.max(0.001);
            if wait <= NOTICE_AFTER.as_secs_f64() || self.told.contains_key(&f.chat) {
                continue;
            }
            self.told.insert(f.chat, now);
            chosen.push((f.chat, about(wait)));
        }
        chosen
    }

    /// The notice in the locale `code` (the default locale when unknown).
    pub fn text(&self, code: Option<&str>, seconds: u64) -> String {
        let locale = code.and_then(Locale::from_code).unwrap_or_default();
        let text = Text::new("queue-notice").arg("seconds", seconds.to_string());
        self.tree.texts.render(locale, &text)
    }
}

/// How the notice begins in every locale (its text before the number): what tells it apart
/// from other messages, for the bench.
pub fn prefixes(tree: &Tree) -> Vec<String> {
    Locale::ALL
        .iter()
        .filter_map(|locale| {
            let text = Text::new("queue-notice").arg("seconds", "\u{1}");
            let shown = tree.texts.render(*locale, &text);
            shown
                .split_once('\u{1}')
                .map(|(start, _)| start.to_string())
        })
        .filter(|start| !start.is_empty())
        .collect()
}

/// A wait rounded up as people say it: to 5 s under a minute, to 10 s above.
pub fn about(seconds: f64) -> u64 {
    let s = seconds.max(0.0).ceil() as u64;
    let step = if s < 60 { 5 } else { 10 };
    s.div_ceil(step) * step
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(chats: &[i64]) -> Vec<Fresh> {
        chats
            .iter()
            .enumerate()
            .map(|(i, chat)| Fresh {
                id: i as i64,
                chat: *chat,
                turn: 0,
            })
            .collect()
    }

    fn notices() -> Notices {
        let tree = Tree::embedded();
        Notices::new(Arc::new(tree.unwrap_or_else(|e| panic!("{e:?}"))))
    }

    #[test]
    fn only_long_waits_are_announced_and_each_chat_once_in_a_while() {
        let now = Instant::now();
        type Case = (&'static str, i64, Vec<i64>, Vec<(i64, u64)>);
        let cases: Vec<Case> = vec![
            ("a short queue: nobody is told", 100, vec![1, 2, 3], vec![]),
            (
                // 30 a second: 299 ahead → the first waits 10 s exactly, the next longer.
                "a long queue: those beyond ten seconds are told, each notice counted",
                299,
                vec![1, 2, 3],
                vec![(2, 15), (3, 15)],
            ),
            (
                "told chats are not told again",
                2000,
                vec![2, 4],
                vec![(4, 70)],
            ),
        ];
        let mut n = notices();
        for (name, ahead, chats, expected) in cases {
            assert_eq!(
                n.choose(&fresh(&chats), ahead, 30.0, now),
                expected,
                "{name}"
            );
        }
        let later = now + TELL_AGAIN + Duration::from_secs(1);
        assert_eq!(n.choose(&fresh(&[2]), 2000, 30.0, later), vec![(2, 70)]);
    }

    #[test]
    fn waits_are_rounded_up_as_people_say_them() {
        for (seconds, said) in [(0.2, 5), (10.1, 15), (44.0, 45), (59.5, 60), (61.0, 70)] {
            assert_eq!(about(seconds), said, "{seconds}");
        }
    }

    #[test]
    fn the_notice_speaks_the_students_language() {
        let n = notices();
        assert!(n.text(Some("zh-CN"), 40).starts_with("排队中，约 40 秒"));
        assert!(
            n.text(Some("en"), 40)
                .starts_with("You are in the queue, about 40 s")
        );
        assert!(n.text(None, 40).starts_with("排队中"));
        let starts = prefixes(&n.tree);
        assert_eq!(starts, ["排队中，约 ", "You are in the queue, about "]);
    }
}
