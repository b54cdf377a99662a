//! The evaluation set (`tests/data/intents_eval.tsv`: split, language, expected intent or `-`
//! for out of scope, question) and its figures: top-1/top-3 per language, how many questions
//! went straight to the right place, honest "not sure" on out-of-scope ones, time per question.

use super::{Decision, Gates, Intents, decide_ranked};
use std::time::Instant;

/// The set shipped with the sources, so `helpdesk bench intents` runs from anywhere.
pub const BUILT_IN: &str = include_str!("../../../tests/data/intents_eval.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `dev` (used to write phrasings and tune the gates) or `held` (never looked at for that).
    pub split: String,
    pub lang: String,
    /// The intent id, or `None` for a question the bot cannot answer.
    pub expected: Option<String>,
    pub question: String,
}

/// Parses the set; bad lines are reported by number.
pub fn parse(src: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(4, '\t').collect();
        let [split, lang, expected, question] = parts[..] else {
            return Err(format!("line {}: expected 4 tab-separated fields", n + 1));
        };
        items.push(Item {
            split: split.to_string(),
            lang: lang.to_string(),
            expected: (expected != "-").then(|| expected.to_string()),
            question: question.to_string(),
        });
    }
    Ok(items)
}

/// Figures for one group of questions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub in_scope: usize,
    pub top1: usize,
    pub top3: usize,
    /// Sent straight to the right place (exact or confident).
    pub direct: usize,
    /// Sent straight to a wrong place: the failure that matters most.
    pub wrong_direct: usize,
    /// Answered "I did not understand" although the bot could have helped.
    pub missed: usize,
    pub out_of_scope: usize,
    /// Out-of-scope questions not sent anywhere confidently.
    pub honest: usize,
    /// Out-of-scope questions answered "I did not understand" (no suggestions).
    pub unknown: usize,
}

impl Figures {
    pub fn pct(n: usize, of: usize) -> f64 {
        if of == 0 {
            100.0
        } else {
            100.0 * n as f64 / of as f64
        }
    }
    pub fn top1_pct(&self) -> f64 {
        Self::pct(self.top1, self.in_scope)
    }
    pub fn top3_pct(&self) -> f64 {
        Self::pct(self.top3, self.in_scope)
    }
    pub fn honest_pct(&self) -> f64 {
        Self::pct(self.honest, self.out_of_scope)
    }
}

/// Scores `items` with `gates`; also returns the mean time per question in microseconds.
pub fn evaluate(intents: &Intents, items: &[&Item], gates: Gates) -> (Figures, f64) {
    let mut f = Figures::default();
    let started = Instant::now();
    for item in items {
        let ranked = intents.rank(&item.question);
        let decision = match intents.decide(&item.question) {
            Decision::Exact(i) => Decision::Exact(i),
            _ => decide_ranked(&ranked, gates),
        };
        let id = |i: usize| intents.list[i].id.as_str();
        let chosen = match decision {
            Decision::Exact(i) | Decision::Confident(i) => Some(id(i)),
            _ => None,
        };
        match &item.expected {
            Some(expected) => {
                f.in_scope += 1;
                let top: Vec<&str> = ranked.iter().take(3).map(|r| id(r.intent)).collect();
                f.top1 += usize::from(top.first() == Some(&expected.as_str()));
                f.top3 += usize::from(top.contains(&expected.as_str()));
                match chosen {
                    Some(c) if c == expected => f.direct += 1,
                    Some(_) => f.wrong_direct += 1,
                    None if decision == Decision::Unknown => f.missed += 1,
                    None => {}
                }
            }
            None => {
                f.out_of_scope += 1;
                f.honest += usize::from(chosen.is_none());
                f.unknown += usize::from(decision == Decision::Unknown);
            }
        }
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / items.len().max(1) as f64;
    (f, micros)
}

/// The gates (a margin of at least 0.06, so that a near tie is never a sure thing) that send
/// the most dev questions straight to the right place with no
/// out-of-scope question and (almost) no in-scope one sent to a wrong place.
pub fn tune(intents: &Intents, items: &[&Item]) -> Gates {
    let mut best = (i64::MIN, intents.gates);
    for c in (30..=90).step_by(2) {
        for m in (6..=30).step_by(2) {
            for s in (10..=c).step_by(4) {
                let gates = Gates {
                    confident: c as f32 / 100.0,
                    margin: m as f32 / 100.0,
                    suggest: s as f32 / 100.0,
                };
                let (f, _) = evaluate(intents, items, gates);
                if f.honest < f.out_of_scope {
                    continue;
                }
                // A wrong flow costs more than a detour through "did you mean".
                let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
                let value = count(f.direct) - 4 * count(f.wrong_direct) - count(f.missed)
                    + count(f.unknown);
                if value > best.0 {
                    best = (value, gates);
                }
            }
        }
    }
    best.1
}
