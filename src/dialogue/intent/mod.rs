//! Free-text questions as data: intents (where a question leads, in `dialogues/intents/
//! intents.toml`), their phrasings per locale (`dialogues/intents/<locale>.toml`), and the
//! matcher that ranks them for a typed question and decides by two gates (score and margin).

mod bayes;
pub mod check;
pub mod eval;
pub mod fold;
mod hant;
pub mod matcher;
pub mod scrub;
mod synonyms;

use super::model::Target;
use super::texts::Locale;
use matcher::{Matcher, Ranked, Source};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where files of intents live in the dialogue folder (and their names in `Tree::from_sources`).
pub const DIR: &str = "intents";
pub const STRUCTURE_FILE: &str = "intents.toml";

/// What kind of place an intent leads to: how the bot behaves when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A flow's start (or the action that opens it).
    Flow,
    /// A step inside a flow, always through the action that checks it may be entered.
    Step,
    /// An answer of the FAQ: at an input step it is answered in place.
    Faq,
    /// A person.
    Human,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentSpec {
    id: String,
    kind: Kind,
    target: String,
    label: String,
    #[serde(default)]
    exact: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureFile {
    gates: Gates,
    #[serde(rename = "intent", default)]
    intents: Vec<IntentSpec>,
}

/// The two gates, tuned on the evaluation set (see `helpdesk bench intents`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gates {
    /// A best score at or above this, ahead of the runner-up by `margin`: go straight there.
    pub confident: f32,
    pub margin: f32,
    /// A best score at or above this (but not confident): offer the top few.
    pub suggest: f32,
}

impl Default for Gates {
    fn default() -> Gates {
        Gates {
            confident: 1.0,
            margin: 1.0,
            suggest: 1.0,
        }
    }
}

/// One locale's phrasings of one intent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrasings {
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub kind: Kind,
    pub target: Target,
    /// Text key naming the intent on buttons and in "I understood …".
    pub label: String,
    /// The site's error texts that mean this intent when pasted.
    pub exact: Vec<String>,
    pub phrasings: BTreeMap<&'static str, Phrasings>,
}

/// What to do with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// One of the site's error texts, pasted: certain.
    Exact(usize),
    /// Above the score gate and clear of the runner-up.
    Confident(usize),
    /// Plausible but not clear: the best few, to offer.
    Close(Vec<usize>),
    /// Nothing fits.
    Unknown,
}

/// How many intents a close call offers.
pub const OFFERED: usize = 3;

/// All intents with their matcher.
#[derive(Default)]
pub struct Intents {
    pub list: Vec<Intent>,
    pub gates: Gates,
    matcher: Matcher,
}

impl std::fmt::Debug for Intents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intents")
            .field("intents", &self.list.len())
            .finish()
    }
}

impl Intents {
    /// Parses the structure file and the phrasings files (`(file name, source)` pairs, names
    /// relative to [`DIR`]); problems are returned one line each.
    pub fn parse(files: &[(String, String)]) -> (Intents, Vec<String>) {
        let mut problems = Vec::new();
        let Some((_, src)) = files.iter().find(|(n, _)| n == STRUCTURE_FILE) else {
            if !files.is_empty() {
                problems.push(format!("{DIR}/{STRUCTURE_FILE} is missing"));
            }
            return (Intents::default(), problems);
        };
        let structure: StructureFile = match toml::from_str(src) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{DIR}/{STRUCTURE_FILE}: {}", e.to_string().trim()));
                return (Intents::default(), problems);
            }
        };
        let mut list: Vec<Intent> = structure
            .intents
            .into_iter()
            .map(|s| Intent {
                target: Target::parse(&s.target, "menu"),
                id: s.id,
                kind: s.kind,
                label: s.label,
                exact: s.exact,
                phrasings: BTreeMap::new(),
            })
            .collect();
        for (name, src) in files.iter().filter(|(n, _)| n != STRUCTURE_FILE) {
            let Some(locale) = name.strip_suffix(".toml").and_then(Locale::from_code) else {
                problems.push(format!(
                    "{DIR}/{name}: phrasings files are named after a locale (zh-CN.toml, en.toml)"
                ));
                continue;
            };
            let parsed: BTreeMap<String, Phrasings> = match toml::from_str(src) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(format!("{DIR}/{name}: {}", e.to_string().trim()));
                    continue;
                }
            };
            for (id, phrasings) in parsed {
                match list.iter_mut().find(|i| i.id == id) {
                    Some(intent) => {
                        intent.phrasings.insert(locale.code(), phrasings);
                    }
                    None => problems.push(format!("{DIR}/{name}: unknown intent `{id}`")),
                }
            }
        }
        let sources: Vec<Source<'_>> = list
            .iter()
            .map(|i| Source {
                examples: i
                    .phrasings
                    .values()
                    .flat_map(|p| p.examples.iter().map(String::as_str))
                    .collect(),
                keywords: i
                    .phrasings
                    .values()
                    .flat_map(|p| p.keywords.iter().map(String::as_str))
                    .collect(),
                exact: i.exact.iter().map(String::as_str).collect(),
            })
            .collect();
        let matcher = Matcher::build(&sources);
        let intents = Intents {
            list,
            gates: structure.gates,
            matcher,
        };
        (intents, problems)
    }

    pub fn get(&self, id: &str) -> Option<&Intent> {
        self.list.iter().find(|i| i.id == id)
    }

    /// Intents ranked for `question`, best first (an exact text scores 1 and comes first).
    pub fn rank(&self, question: &str) -> Vec<Ranked> {
        let mut ranked = self.matcher.rank(question);
        if let Some(exact) = self.matcher.exact(question) {
            ranked.retain(|r| r.intent != exact);
            ranked.insert(
                0,
                Ranked {
                    intent: exact,
                    score: 1.0,
                },
            );
        }
        ranked
    }

    /// The decision for `question` under the gates.
    pub fn decide(&self, question: &str) -> Decision {
        if let Some(exact) = self.matcher.exact(question) {
            return Decision::Exact(exact);
        }
        let ranked = self.matcher.rank(question);
        decide_ranked(&ranked, self.gates)
    }
}

/// The gates applied to a ranking.
pub fn decide_ranked(ranked: &[Ranked], gates: Gates) -> Decision {
    let Some(best) = ranked.first() else {
        return Decision::Unknown;
    };
    let second = ranked.get(1).map_or(0.0, |r| r.score);
    if best.score >= gates.confident && best.score - second >= gates.margin {
        return Decision::Confident(best.intent);
    }
    if best.score >= gates.suggest {
        // The runner-ups worth offering: within reach of the best.
        let offered = ranked
            .iter()
            .take(OFFERED)
            .filter(|r| r.score >= gates.suggest * 0.75)
            .map(|r| r.intent)
            .collect();
        return Decision::Close(offered);
    }
    Decision::Unknown
}

#[cfg(test)]
mod tests;
