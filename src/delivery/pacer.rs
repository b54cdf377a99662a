//! Telegram's sending limits, kept on our side so Telegram never has to say 429:
//! about one message a second per chat, 20 a minute per group, 30 a second overall.

use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_chat: Duration,
    pub per_group: Duration,
    pub overall: Duration,
}

impl Limits {
    /// Telegram's published limits, spread evenly so no window is ever exceeded.
    pub fn telegram() -> Limits {
        Limits {
            per_chat: Duration::from_millis(1000),
            per_group: Duration::from_millis(3100),
            overall: Duration::from_millis(36),
        }
    }

    /// Telegram's limits with the group's minute scaled to `window` (tests against a fake
    /// that scales it the same way).
    pub fn with_group_window(self, window: Duration) -> Limits {
        Limits {
            per_group: window * 31 / 600,
            ..self
        }
    }

    /// No limits (benchmarks of raw capacity).
    pub fn off() -> Limits {
        Limits {
            per_chat: Duration::ZERO,
            per_group: Duration::ZERO,
            overall: Duration::ZERO,
        }
    }
}

/// Hands out send slots: each reservation says when a message to a chat may go.
#[derive(Debug)]
pub struct Pacer {
    limits: Limits,
    /// Instances sending for the same bot: each takes this share of the overall rate.
    share: u32,
    next_overall: Instant,
    next_by_chat: HashMap<i64, Instant>,
}

impl Pacer {
    pub fn new(limits: Limits) -> Pacer {
        Pacer {
            limits,
            share: 1,
            next_overall: Instant::now(),
            next_by_chat: HashMap::new(),
        }
    }

    /// When a message to `chat_id` could go, without reserving it.
    pub fn earliest(&self, chat_id: i64, now: Instant) -> Instant {
        let chat = self.next_by_chat.get(&chat_id).copied().unwrap_or(now);
        now.max(chat).max(self.next_overall)
    }

    /// Reserves the earliest slot for a message to `chat_id` and returns it.
    pub fn reserve(&mut self, chat_id: i64, now: Instant) -> Instant {
        let at = self.earliest(chat_id, now);
        let gap = if chat_id < 0 {
            self.limits.per_group
        } else {
            self.limits.per_chat
        };
        self.next_by_chat.insert(chat_id, at + gap);
        self.next_overall = at + self.limits.overall * self.share;
        at
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
    pub fn hold(&mut self, chat_id: i64, until: Instant) {
        let entry = self.next_by_chat.entry(chat_id).or_insert(until);
        *entry = (*entry).max(until);
    }

    /// How far ahead the overall schedule is booked.
    pub fn booked_ahead(&self, now: Instant) -> Duration {
        self.next_overall.saturating_duration_since(now)
    }

    /// Forgets chats whose slots are in the past, so the map stays small.
    pub fn forget_idle(&mut self, now: Instant) {
        self.next_by_chat.retain(|_, at| *at > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_respect_every_limit() {
        let mut pacer = Pacer::new(Limits::telegram());
        let t0 = Instant::now();
        let a1 = pacer.reserve(1, t0);
        let a2 = pacer.reserve(1, t0);
        let b1 = pacer.reserve(2, t0);
        let g1 = pacer.reserve(-100, t0);
        let g2 = pacer.reserve(-100, t0);
        assert_eq!(a1, t0);
        assert!(
            a2 - a1 >= Duration::from_millis(1000),
            "one message a second per chat"
        );
        assert!(b1 - a1 >= Duration::from_millis(34), "30 a second overall");
        assert!(
            g2 - g1 >= Duration::from_millis(3100),
            "20 a minute per group"
        );
        let mut overall = Pacer::new(Limits::telegram());
        let slots: Vec<Instant> = (0..60).map(|chat| overall.reserve(chat, t0)).collect();
        let in_first_second = slots
            .iter()
            .filter(|s| **s < t0 + Duration::from_secs(1))
            .count();
        assert!(
            in_first_second <= 30,
            "{in_first_second} sends in one second"
        );
    }

    #[test]
    fn instances_share_the_overall_rate() {
        let t0 = Instant::now();
        for (instances, most_in_a_second) in [(1, 28), (2, 14), (3, 10)] {
            let mut pacer = Pacer::new(Limits::telegram());
            let _ = pacer.set_share(instances);
            let slots: Vec<Instant> = (0..90).map(|chat| pacer.reserve(chat, t0)).collect();
            let in_first_second = slots
                .iter()
                .filter(|s| **s < t0 + Duration::from_secs(1))
                .count();
            assert_eq!(in_first_second, most_in_a_second, "{instances} instances");
        }
    }

    #[test]
    fn a_hold_delays_the_chat_only() {
        let mut pacer = Pacer::new(Limits::off());
        let t0 = Instant::now();
        pacer.hold(7, t0 + Duration::from_secs(5));
        assert_eq!(pacer.earliest(8, t0), t0);
        assert!(pacer.earliest(7, t0) >= t0 + Duration::from_secs(5));
        assert!(pacer.reserve(7, t0) >= t0 + Duration::from_secs(5));
    }
}
