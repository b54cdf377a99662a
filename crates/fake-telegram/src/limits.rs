//! Telegram's flood control: 30 sends a second overall, 20 a window per group, a short
//! burst then one a second per private chat. Every call Telegram counts as a message is a
//! send here: new messages, copies and forwards, edits of text or buttons, reactions and
//! the creation of a forum topic.

use crate::error::ApiError;
use crate::state::State;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub(crate) const GLOBAL_PER_SECOND: usize = 30;
pub(crate) const GROUP_PER_MINUTE: usize = 20;

impl State {
    pub(crate) fn check_rate(&mut self, chat: i64, now: Instant) -> Result<(), ApiError> {
        if !self.rate_limits {
            return Ok(());
        }
        let second = Duration::from_secs(1);
        let until = |t: Instant, window: Duration| (t + window).saturating_duration_since(now);
        prune(&mut self.all_sends, now, second);
        let mut wait = nth_recent(&self.all_sends, GLOBAL_PER_SECOND)
            .map_or(Duration::ZERO, |t| until(t, second));
        let log = self.chat_sends.entry(chat).or_default();
        if chat < 0 {
            let minute = self.group_window;
            prune(log, now, minute);
            if let Some(t) = nth_recent(log, GROUP_PER_MINUTE) {
                wait = wait.max(until(t, minute));
            }
        } else {
            let window = Duration::from_secs(3);
            prune(log, now, window);
            if let Some(&last) = log.back()
                && now.duration_since(last) < second
                && log.len() >= self.burst
            {
                let gap = until(last, second);
                wait = wait
                    .max(nth_recent(log, self.burst).map_or(gap, |t| until(t, window).min(gap)));
            }
        }
        if wait.is_zero() {
            return Ok(());
        }
        Err(ApiError::retry(
            u64::try_from(wait.as_millis().div_ceil(1000))
                .unwrap_or(u64::MAX)
                .max(1),
        ))
    }
}

impl State {
    /// Checks the limits for a send to `chat` and, when it may go, counts it: for calls
    /// that cannot fail after this check.
    pub(crate) fn take_send(&mut self, chat: i64) -> Result<(), ApiError> {
        let now = Instant::now();
        self.check_rate(chat, now)?;
        self.count_send(chat, now);
        Ok(())
    }

    /// Counts a send to `chat` that went through.
    pub(crate) fn count_send(&mut self, chat: i64, now: Instant) {
        self.chat_sends.entry(chat).or_default().push_back(now);
        self.all_sends.push_back(now);
        self.load.counted += 1;
    }
}

pub(crate) fn prune(log: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while log
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        log.pop_front();
    }
}

/// The send that must leave the window before fewer than `limit` remain in it.
pub(crate) fn nth_recent(log: &VecDeque<Instant>, limit: usize) -> Option<Instant> {
    let index = log.len().checked_sub(limit).filter(|_| limit > 0)?;
    log.get(index).copied()
}
