//! The figures of each input of the script beside the floor Telegram's overall limit sets
//! for it, and what the bot sent per student.
//!
//! The floor of a step: when every student's next message comes in turn, each of the
//! active chats gets one message per round of the queue, so a step of m messages costs
//! everyone about (active chats × m) ÷ 30 seconds, however the bot is written. The messages
//! of a step are all it sends into the students' chats: its answers and the "you are in the
//! queue" notices it sent in that step (they take their slot like any message); the floor
//! of the answers alone is shown beside it. The first step is the exception in a burst: all
//! start at once, so its answers spread from 0 to one round (p50 about half the floor).

use crate::report::{Figures, ms, percentile};
use crate::students::StepTimes;
use std::fmt::Write;
use std::time::Duration;

/// Telegram's overall limit, sends a second: the floor of every wait under the limits.
pub const OVERALL_PER_SECOND: f64 = 30.0;

/// A duration as people read it: milliseconds below ten seconds, seconds above.
fn dur(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        ms(d)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// One line per input: answers and notices per student, the floor (with limits; of all the
/// step's messages, and of the answers alone), the answer's p50/p95/p99 and their ratio to
/// the floor, the whole turn, and how long the notices took.
pub fn table(
    steps: &mut [StepTimes],
    labels: &[&str],
    active: u64,
    floor_rate: Option<f64>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<15} {:>8} {:>7} {:>9} {:>9}  {:<32} {:<13} {:<20} notice after",
        "input",
        "messages",
        "notices",
        "floor",
        "(answers)",
        "answer p50 / p95 / p99",
        "× floor",
        "whole turn p50 / p99"
    );
    for (label, step) in labels.iter().zip(steps.iter_mut()) {
        step.first.sort();
        step.whole.sort();
        step.notices.sort();
        let students = step.first.len().max(1) as f64;
        let answers = step.messages as f64 / students;
        let notices = step.notices.len() as f64 / students;
        let (p50, p95, p99) = (
            percentile(&step.first, 50.0),
            percentile(&step.first, 95.0),
            percentile(&step.first, 99.0),
        );
        let floor = |messages: f64| {
            floor_rate
                .map(|rate| Duration::from_secs_f64(active as f64 * messages / rate))
                .filter(|f| !f.is_zero())
        };
        let (whole, bare) = (floor(answers + notices), floor(answers));
        let ratio = match whole {
            Some(f) => format!(
                "{:.2} / {:.2}",
                p50.as_secs_f64() / f.as_secs_f64(),
                p99.as_secs_f64() / f.as_secs_f64()
            ),
            None => "—".into(),
        };
        let shown = |f: Option<Duration>| f.map_or_else(|| "—".to_string(), dur);
        let notice_after = match step.notices.is_empty() {
            true => "—".to_string(),
            false => format!("p50 {}", dur(percentile(&step.notices, 50.0))),
        };
        let _ = writeln!(
            out,
            "  {label:<15} {answers:>8.2} {notices:>7.2} {:>9} {:>9}  {:<32} {ratio:<13} {:<20} {notice_after}",
            shown(whole),
            shown(bare),
            format!("{} / {} / {}", dur(p50), dur(p95), dur(p99)),
            format!(
                "{} / {}",
                dur(percentile(&step.whole, 50.0)),
                dur(percentile(&step.whole, 99.0))
            ),
        );
    }
    out
}

/// What the bot sent per student who finished, and the floor of the whole run: every send
/// Telegram counts, at its overall rate.
pub fn sends(f: &Figures, rate: f64) -> String {
    let students = f.students_finished.max(1) as f64;
    let calls = |methods: &[&str]| -> u64 {
        methods
            .iter()
            .map(|m| f.calls.get(*m).copied().unwrap_or(0))
            .sum()
    };
    let messages = calls(&["sendmessage", "sendphoto", "senddocument", "copymessage"]);
    let edits = calls(&["editmessagetext", "editmessagereplymarkup"]);
    let notices: usize = f.steps.iter().map(|s| s.notices.len()).sum();
    let waiting = u64::try_from(f.edits_waiting).unwrap_or(0);
    let whole = Duration::from_secs_f64(f.counted_sends as f64 / rate);
    format!(
        "sends per student   {:.2} messages ({:.2} of them queue notices), {:.2} edits ({} sent, {waiting} still waiting: tidying yields to answers); {} sends counted by the limits during the run: {} at {rate:.0}/s (first offer → last reply {})\n",
        messages as f64 / students,
        notices as f64 / students,
        (edits + waiting) as f64 / students,
        edits,
        f.counted_sends,
        dur(whole),
        dur(f.busy),
    )
}
