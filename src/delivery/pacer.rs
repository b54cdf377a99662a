//! Telegram's sending limits, kept on our side so Telegram never has to say 429: 30 sends a
//! second overall, a short burst then about one a second per chat, 20 a minute per group.
//!
//! Each limit is a sliding window ("at most N sends in any span"). A send counts from the
//! moment it starts until `span` after its answer came back: Telegram counted it somewhere
//! in between, so a window kept this way holds at least every send Telegram still counts,
//! however late a request travels. Time is passed in, so the rules are tested without
//! clocks.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// At most `sends` in any `span` (a zero span is no limit); past that, when `then_every`
/// is set, one more `then_every` after the last was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub sends: u32,
    pub span: Duration,
    pub then_every: Duration,
}

impl Window {
    pub const NONE: Window = Window::new(0, Duration::ZERO);

    pub const fn new(sends: u32, span: Duration) -> Window {
        Window {
            sends,
            span,
            then_every: Duration::ZERO,
        }
    }

    pub const fn then_every(self, gap: Duration) -> Window {
        Window {
            then_every: gap,
            ..self
        }
    }

    /// Sends a second this window allows on average (infinite when unlimited).
    pub fn per_second(self) -> f64 {
        if self.unlimited() {
            return f64::INFINITY;
        }
        f64::from(self.sends) / self.span.as_secs_f64()
    }

    pub fn unlimited(self) -> bool {
        self.span.is_zero() || self.sends == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub overall: Window,
    pub per_chat: Window,
    pub per_group: Window,
}

impl Limits {
    /// Telegram's published limits: 30 a second per bot, 20 a minute per group, and in a
    /// private chat about one a second with short bursts (three in three seconds, then one a
    /// second).
    pub fn telegram() -> Limits {
        Limits {
            overall: Window::new(30, Duration::from_secs(1)),
            per_chat: Window::new(3, Duration::from_secs(3)).then_every(Duration::from_secs(1)),
            per_group: Window::new(20, Duration::from_secs(60)),
        }
    }

    /// Telegram's limits with the group's minute scaled to `window` (tests against a fake
    /// that scales it the same way).
    pub fn with_group_window(self, window: Duration) -> Limits {
        Limits {
            per_group: Window::new(self.per_group.sends, window),
            ..self
        }
    }

    /// No limits (benchmarks of raw capacity).
    pub fn off() -> Limits {
        Limits {
            overall: Window::NONE,
            per_chat: Window::NONE,
            per_group: Window::NONE,
        }
    }
}

/// A send in a window: in flight until answered.
#[derive(Debug, Clone, Copy)]
struct Entry {
    ticket: u64,
    cost: u32,
    answered: Option<Instant>,
}

/// The sends one window still counts, oldest first.
#[derive(Debug, Default)]
struct Log(VecDeque<Entry>);

impl Log {
    /// When `cost` more sends fit into `window` (at `now` or later); `None` while only an
    /// answer still outstanding can make room.
    fn ready(&self, window: Window, cost: u32, now: Instant) -> Option<Instant> {
        if window.unlimited() {
            return Some(now);
        }
        // A send dearer than the whole window goes once the window is empty.
        let room = window.sends.max(cost);
        let live: Vec<&Entry> = self
            .0
            .iter()
            .filter(|e| e.answered.is_none_or(|a| a + window.span > now))
            .collect();
        let used: u32 = live.iter().map(|e| e.cost).sum();
        let Some(mut excess) = (used + cost).checked_sub(room).filter(|x| *x > 0) else {
            return Some(now);
        };
        let mut leaving: Vec<(Instant, u32)> = live
            .iter()
            .filter_map(|e| e.answered.map(|a| (a + window.span, e.cost)))
            .collect();
        leaving.sort();
        let mut by_window = None;
        for (at, cost) in leaving {
            excess = excess.saturating_sub(cost);
            if excess == 0 {
                by_window = Some(at);
                break;
            }
        }
        // Past the burst, one more a while after the last answer (nothing in flight).
        let last = live.iter().map(|e| e.answered).try_fold(None, |last, a| {
            a.map(|a| Some(last.map_or(a, |l: Instant| l.max(a))))
        });
        let by_gap = match last {
            Some(Some(last)) if !window.then_every.is_zero() => Some(last + window.then_every),
            _ => None,
        };
        match (by_window, by_gap) {
            (Some(w), Some(g)) => Some(w.min(g)),
            (w, g) => w.or(g),
        }
    }

    fn answered(&mut self, ticket: u64, now: Instant) {
        if let Some(e) = self.0.iter_mut().find(|e| e.ticket == ticket) {
            e.answered = Some(now);
        }
    }

    /// Drops sends the window no longer counts.
    fn prune(&mut self, span: Duration, now: Instant) {
        self.0.retain(|e| e.answered.is_none_or(|a| a + span > now));
    }
}

/// A send the pacer let start; handed back with [`Pacer::answered`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    id: u64,
    chat: Option<i64>,
}

/// Keeps the windows and says when a send to a chat may start.
#[derive(Debug)]
pub struct Pacer {
    limits: Limits,
    /// Instances sending for the same bot: each takes this share of the overall rate.
    share: u32,
    overall: Log,
    chats: HashMap<i64, Log>,
    holds: HashMap<i64, Instant>,
    /// Sends overall are also spaced evenly, so a window fills smoothly, not in bursts.
    last_start: Option<Instant>,
    next_ticket: u64,
}

impl Pacer {
    pub fn new(limits: Limits) -> Pacer {
        Pacer {
            limits,
            share: 1,
            overall: Log::default(),
            chats: HashMap::new(),
            holds: HashMap::new(),
            last_start: None,
            next_ticket: 0,
        }
    }

    /// This instance's part of the overall window.
    fn overall_window(&self) -> Window {
        let w = self.limits.overall;
        Window::new((w.sends / self.share).max(1), w.span)
    }

    fn chat_window(&self, chat: i64) -> Window {
        if chat < 0 {
            self.limits.per_group
        } else {
            self.limits.per_chat
        }
    }

    /// When `cost` sends may start overall; `None`: once an outstanding answer came back.
    pub fn overall_ready(&self, cost: u32, now: Instant) -> Option<Instant> {
        let window = self.overall_window();
        let at = self.overall.ready(window, cost, now)?;
        let spaced = match (self.last_start, window.unlimited()) {
            (Some(last), false) => last + window.span / window.sends,
            _ => now,
        };
        Some(at.max(spaced).max(now))
    }

    /// When `cost` sends to `chat` may start as far as the chat is concerned (its window and
    /// any wait Telegram asked for); `None`: once an outstanding answer came back.
    pub fn chat_ready(&self, chat: i64, cost: u32, now: Instant) -> Option<Instant> {
        let window = self.chat_window(chat);
        let at = match self.chats.get(&chat) {
            Some(log) => log.ready(window, cost, now)?,
            None => now,
        };
        let held = self.holds.get(&chat).copied().unwrap_or(now);
        Some(at.max(held).max(now))
    }

    /// When `cost` sends to `chat` (none: no chat's limit applies) may start.
    pub fn ready(&self, chat: Option<i64>, cost: u32, now: Instant) -> Option<Instant> {
        let overall = self.overall_ready(cost, now)?;
        match chat {
            Some(chat) => Some(overall.max(self.chat_ready(chat, cost, now)?)),
            None => Some(overall),
        }
    }

    /// Counts `cost` sends to `chat` starting now; hand the ticket back once answered.
    pub fn start(&mut self, chat: Option<i64>, cost: u32, now: Instant) -> Ticket {
        self.next_ticket += 1;
        let id = self.next_ticket;
        let entry = Entry {
            ticket: id,
            cost,
            answered: None,
        };
        // Unlimited windows keep nothing (the capacity bench sends thousands a second).
        if !self.overall_window().unlimited() {
            self.overall.0.push_back(entry);
        }
        if let Some(chat) = chat.filter(|c| !self.chat_window(*c).unlimited()) {
            self.chats.entry(chat).or_default().0.push_back(entry);
        }
        self.last_start = Some(now);
        Ticket { id, chat }
    }

    /// The send of `ticket` was answered (whatever the answer): its windows start to close.
    pub fn answered(&mut self, ticket: Ticket, now: Instant) {
        self.overall.answered(ticket.id, now);
        if let Some(log) = ticket.chat.and_then(|c| self.chats.get_mut(&c)) {
            log.answered(ticket.id, now);
        }
    }

    /// `instances` (at least 1) send for the same bot; each keeps to its share of the
    /// overall rate, so that together they keep to Telegram's.
    /// Returns whether the share changed.
    pub fn set_share(&mut self, instances: u32) -> bool {
        let share = instances.max(1);
        let changed = share != self.share;
        self.share = share;
        changed
    }

    /// Telegram asked us to wait: nothing more to this chat until then.
    pub fn hold(&mut self, chat: i64, until: Instant) {
        let entry = self.holds.entry(chat).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// Forgets what no window counts any more, so the maps stay small.
    pub fn forget_idle(&mut self, now: Instant) {
        self.overall.prune(self.limits.overall.span, now);
        let (chat_span, group_span) = (self.limits.per_chat.span, self.limits.per_group.span);
        self.chats.retain(|chat, log| {
            log.prune(if *chat < 0 { group_span } else { chat_span }, now);
            !log.0.is_empty()
        });
        self.holds.retain(|_, until| *until > now);
    }
}

#[cfg(test)]
#[path = "pacer_tests.rs"]
mod tests;
