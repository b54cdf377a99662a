//! Reminders: a run asks that the students of a scope who talked to the bot and are not
//! finished be told what is left to them. A loop in the bot tops the reminders' outbox lane up
//! a few at a time (so what a reminder says is current when it goes, and replies to students
//! are never queued behind a thousand reminders): each student is claimed in
//! `reminders_sent` in the transaction that enqueues their message, so a run that a crash
//! interrupted resumes without a second reminder to anyone. `REMINDERS` starts runs by itself
//! on their days before the deadline; `/remind` and `helpdesk remind` start one now.

use super::deadline::deadline_text;
use super::progress::{Progress, StudentRow};
use super::report::Labels;
use super::{Part, Scope};
use crate::dialogue::{Locale, Text};
use crate::message::Outbound;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, outbox, reminders};
use chrono::{Duration as Days, NaiveDate};
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::watch;

/// Reminders waiting in the outbox at most: the lane is topped up to this every second,
/// about what it sends in a second against Telegram (one at a time, each after the last was
/// accepted), so a reminder says what is left when it goes, not when the run began.
pub const WINDOW: i64 = 10;
/// Scheduled reminders go from this hour (China Standard Time) on their day, not at night.
pub const FROM_HOUR: i64 = 9;

/// Whether a student is due a reminder at all: not finished, with something left to do
/// themselves (not only waiting for the school), reachable, not muted.
pub fn due(row: &StudentRow) -> bool {
    !row.steps_left.is_empty() && row.chat.is_some() && !row.muted
}

/// The scheduled reminder due at `now_ms`: the latest of `days_before` whose day (from
/// [`FROM_HOUR`]) has come, while the deadline has not passed; `deadline:DATE:Nd`.
pub fn scheduled(deadline: NaiveDate, days_before: &[u32], now_ms: i64) -> Option<String> {
    const HOUR: i64 = 3_600_000;
    let cst = |date: NaiveDate, hour: i64| {
        date.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis() - 8 * HOUR + hour * HOUR)
    };
    let end = cst(deadline + Days::days(1), 0)?;
    if now_ms >= end {
        return None;
    }
    days_before
        .iter()
        .filter_map(|d| {
            let start = cst(deadline - Days::days(i64::from(*d)), FROM_HOUR)?;
            (start <= now_ms).then_some((start, *d))
        })
        .max()
        .map(|(_, d)| format!("deadline:{deadline}:{d}d"))
}

/// The run's scope as a [`Scope`].
pub(crate) fn scope_of(run: &reminders::Run) -> Scope {
    let given = |s: &str| (!s.is_empty()).then(|| s.to_string());
    if run.college.is_empty() && run.class_name.is_empty() {
        return Scope::everything();
    }
    Scope::of(Part {
        college: given(&run.college),
        class: given(&run.class_name),
    })
}

/// Reminds until `shutdown`: a round every second while runs are open, every 3 s otherwise.
pub async fn run(service: Service, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        let busy = match service.remind_round().await {
            Ok(busy) => busy,
            Err(e) => {
                tracing::warn!(error = %e, "reminders: a round failed; trying again");
                false
            }
        };
        let pause = Duration::from_secs(if busy { 1 } else { 3 });
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown.changed() => {}
        }
    }
}

impl Service {
    /// One round: starts the scheduled reminder when its day has come, then enqueues the next
    /// students of the open runs. Returns whether a run is still open.
    pub async fn remind_round(&self) -> Result<bool, ServiceError> {
        let now = self.clock.now_ms();
        if let Some(key) = self
            .school
            .deadline
            .and_then(|d| scheduled(d, &self.school.reminders, now))
        {
            let mut tx = self.store.begin().await?;
            if !reminders::asked_before(&mut tx, &key).await? {
                reminders::ask(&mut tx, &key, ("", ""), "system", now).await?;
                let ended = reminders::supersede(&mut tx, &key, now).await?;
                tracing::info!(reminder = %key, superseded = ended, "reminders: scheduled run started");
            }
            tx.commit().await?;
        }
        let mut tx = self.store.pool.begin().await?;
        let runs = reminders::open_runs(&mut tx).await?;
        if runs.is_empty() {
            return Ok(false);
        }
        let mut room = WINDOW - reminders::waiting(&mut tx).await?;
        if room <= 0 {
            return Ok(true);
        }
        // Read outside the write lock: the roster may be large, and claims re-check below.
        let all = self.progress(&mut tx, &[]).await?;
        let mut already = Vec::with_capacity(runs.len());
        for run in &runs {
            already.push(reminders::reminded_of(&mut tx, &run.reminder).await?);
        }
        tx.rollback().await?;
        let mut tx = self.store.begin().await?;
        let mut sent = 0;
        for (run, already) in runs.iter().zip(already) {
            let records: HashSet<i64> = already.iter().map(|r| r.0).collect();
            let chats: HashSet<i64> = already.iter().map(|r| r.1).collect();
            let scope = scope_of(run);
            let waiting: Vec<&StudentRow> = all
                .rows
                .iter()
                .filter(|r| due(r) && scope.contains(&r.college, &r.class_name))
                .filter(|r| !records.contains(&r.record_id))
                .filter(|r| r.chat.is_some_and(|(c, _)| !chats.contains(&c)))
                .collect();
            let mut taken = 0;
            for row in &waiting {
                if room <= 0 {
                    break;
                }
                room -= 1;
                taken += 1;
                let Some((chat, locale)) = row.chat else {
                    continue;
                };
                if reminders::claim(&mut tx, row.record_id, &run.reminder, chat, now).await? {
                    let message = self.reminder_message(row, chat, locale);
                    outbox::enqueue_in(&mut tx, &reminders::LANE, &message, now).await?;
                    sent += 1;
                }
            }
            if taken == waiting.len() {
                reminders::finish(&mut tx, run.id, now).await?;
                tracing::info!(reminder = %run.reminder, "reminders: run finished");
            }
        }
        tx.commit().await?;
        if sent > 0 {
            self.wake.notify_one();
        }
        Ok(true)
    }

    /// What a reminder tells one student: the deadline and what is left to them.
    pub(crate) fn reminder_message(&self, row: &StudentRow, chat: i64, locale: Locale) -> Outbound {
        let labels = Labels {
            texts: &self.tree.texts,
            locale,
        };
        let when = match self.school.deadline {
            Some(d) => self
                .tree
                .texts
                .render(locale, &deadline_text(d, self.clock.today(), locale)),
            None => self.tree.texts.get(locale, "school-reminder-no-deadline"),
        };
        let text = Text::new("school-reminder")
            .arg("when", crate::dialogue::texts::html_to_plain(&when))
            .arg("left", labels.left(row));
        Outbound::Text {
            chat_id: chat,
            text: self.tree.texts.render(locale, &text),
            buttons: Vec::new(),
            contact_button: None,
            thread_id: None,
        }
    }

    /// Asks in `tx` for a reminder now (`manual:DATE`: one a day per student, however often
    /// asked) of the students in `parts` (none: everyone); returns the scope's progress and
    /// how many are due it and not reminded of it yet.
    pub(crate) async fn ask_reminder(
        &self,
        tx: &mut Tx,
        parts: &[Part],
        by: &str,
        now: i64,
    ) -> Result<(Progress, usize), ServiceError> {
        let key = format!("manual:{}", self.clock.today());
        let scope = Scope {
            parts: parts.to_vec(),
        };
        let scopes: Vec<(String, String)> = if parts.is_empty() {
            vec![(String::new(), String::new())]
        } else {
            parts
                .iter()
                .map(|p| {
                    let college = p.college.clone().unwrap_or_default();
                    (college, p.class.clone().unwrap_or_default())
                })
                .collect()
        };
        for (college, class) in &scopes {
            reminders::ask(tx, &key, (college, class), by, now).await?;
        }
        let progress = self.progress(tx, &[&scope]).await?;
        let already: HashSet<i64> = reminders::reminded_of(tx, &key)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let due_now = progress
            .rows
            .iter()
            .filter(|r| due(r) && !already.contains(&r.record_id))
            .count();
        Ok((progress, due_now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_reminder_whose_day_has_come_is_due_until_the_deadline_ends() {
        let deadline = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
        let at = |date: &str, hour: i64| {
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .expect("date")
                .and_hms_opt(0, 0, 0)
                .expect("time")
                .and_utc()
                .timestamp_millis()
                + (hour - 8) * 3_600_000
        };
        let days = [14, 3, 1];
        assert_eq!(scheduled(deadline, &days, at("2026-06-15", 23)), None);
        assert_eq!(scheduled(deadline, &days, at("2026-06-16", 8)), None);
        assert_eq!(
            scheduled(deadline, &days, at("2026-06-16", 9)).as_deref(),
            Some("deadline:2026-06-30:14d")
        );
        // Started late: only the latest reminder goes, not all three at once.
        assert_eq!(
            scheduled(deadline, &days, at("2026-06-29", 12)).as_deref(),
            Some("deadline:2026-06-30:1d")
        );
        assert_eq!(
            scheduled(deadline, &days, at("2026-06-30", 23)).as_deref(),
            Some("deadline:2026-06-30:1d")
        );
        assert_eq!(scheduled(deadline, &days, at("2026-07-01", 0)), None);
        assert_eq!(scheduled(deadline, &[], at("2026-06-29", 12)), None);
    }
}
