//! The sends a worker holds, in the order they are owed their turn, and the choice of the
//! next one: the first in turn that the limits let go now. A send whose chat must wait keeps
//! its place while the ones behind it go; nothing is booked ahead, so a send that arrives
//! with an earlier turn (a chat that has waited longer) still goes first.

use super::pacer::{Pacer, Ticket};
use std::collections::{BTreeMap, HashSet};
use tokio::time::Instant;

/// A send's place: ordered by the time it waits for, then by age.
pub type Turn = (i64, i64);

/// A send waiting for its slot.
#[derive(Debug)]
pub struct Waiting<T> {
    /// The chat whose limits it counts against, if any.
    pub chat: Option<i64>,
    /// How many sends Telegram counts for it.
    pub cost: u32,
    /// When the worker took it (claims expire, so it is given back when held too long).
    pub since: Instant,
    pub job: T,
}

/// What to do next.
#[derive(Debug)]
pub enum Pick<T> {
    /// Send this now; hand the ticket back to the pacer once answered.
    Go(T, Ticket),
    /// Nothing may go before this instant (or before something new arrives).
    Wait(Instant),
    /// Nothing may go until an answer comes back or something new arrives.
    Idle,
}

#[derive(Debug)]
pub struct Queue<T> {
    items: BTreeMap<Turn, Waiting<T>>,
    /// Chats with a notice in flight: nothing else goes to them until it is answered, so
    /// the notice stays the first thing they get.
    noticing: HashSet<i64>,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            items: BTreeMap::new(),
            noticing: HashSet::new(),
        }
    }
}

impl<T> Queue<T> {
    pub fn push(&mut self, turn: Turn, waiting: Waiting<T>) {
        self.items.insert(turn, waiting);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// While a notice to `chat` is in flight, nothing else goes there.
    pub fn notice_in_flight(&mut self, chat: i64, in_flight: bool) {
        if in_flight {
            self.noticing.insert(chat);
        } else {
            self.noticing.remove(&chat);
        }
    }

    /// The first send in turn that may go now, taken out and counted by the pacer; or how
    /// long to wait.
    pub fn pick(&mut self, pacer: &mut Pacer, now: Instant) -> Pick<T> {
        match pacer.overall_ready(1, now) {
            Some(at) if at > now => return Pick::Wait(at),
            None => return Pick::Idle,
            Some(_) => {}
        }
        let mut wait: Option<Instant> = None;
        let mut chosen = None;
        for (turn, w) in &self.items {
            if w.chat.is_some_and(|c| self.noticing.contains(&c)) {
                continue;
            }
            match pacer.ready(w.chat, w.cost, now) {
                Some(at) if at <= now => {
                    chosen = Some(*turn);
                    break;
                }
                Some(at) => wait = Some(wait.map_or(at, |w| w.min(at))),
                None => {}
            }
        }
        let Some(w) = chosen.and_then(|turn| self.items.remove(&turn)) else {
            return wait.map_or(Pick::Idle, Pick::Wait);
        };
        let ticket = pacer.start(w.chat, w.cost, now);
        Pick::Go(w.job, ticket)
    }

    /// Takes out what waited since before `since` (to give back before its claim expires).
    pub fn take_stale(&mut self, since: Instant) -> Vec<T> {
        let stale: Vec<Turn> = self
            .items
            .iter()
            .filter(|(_, w)| w.since < since)
            .map(|(turn, _)| *turn)
            .collect();
        stale
            .into_iter()
            .filter_map(|turn| self.items.remove(&turn))
            .map(|w| w.job)
            .collect()
    }

    /// Takes out everything (shutdown).
    pub fn drain(&mut self) -> Vec<T> {
        std::mem::take(&mut self.items)
            .into_values()
            .map(|w| w.job)
            .collect()
    }
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
