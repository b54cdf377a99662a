//! Ranks intents for a question: the site's exact error texts first, then a TF-IDF cosine over
//! character n-grams and words against every example phrasing, plus a bonus for keywords,
//! re-weighed by a naive-Bayes posterior over all phrasings of each intent (`bayes`).
//! Everything is in memory; one question costs a few microseconds.

use super::bayes::Bayes;
use super::fold::{Folded, fold, is_han, squash};
use std::collections::HashMap;

/// Share of the score that keyword hits give; the rest is the best example's cosine.
const KEYWORD_SHARE: f32 = 0.3;
/// How far the naive-Bayes posterior (relative to the likeliest intent) scales a score down:
/// the likeliest intent keeps its score, an unlikely one keeps half of it.
const BAYES_SHARE: f32 = 0.5;

/// One intent's material, as the matcher needs it.
pub struct Source<'a> {
    pub examples: Vec<&'a str>,
    pub keywords: Vec<&'a str>,
    pub exact: Vec<&'a str>,
}

/// An intent (by index) and how well it fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub intent: usize,
    pub score: f32,
}

struct Example {
    intent: usize,
    norm: f32,
}

/// A keyword as compared: Chinese by substring of the squashed question, other scripts by word
/// (one edit allowed in words of five letters or more).
enum Keyword {
    Han(String),
    Words(Vec<String>),
}

#[derive(Default)]
pub struct Matcher {
    idf: HashMap<String, f32>,
    unseen_idf: f32,
    postings: HashMap<String, Vec<(u32, f32)>>,
    examples: Vec<Example>,
    keywords: Vec<Vec<Keyword>>,
    /// Squashed exact texts, longest first, with their intent.
    exact: Vec<(String, usize)>,
    intents: usize,
    bayes: Bayes,
}

impl Matcher {
    pub fn build(sources: &[Source<'_>]) -> Matcher {
        let folded: Vec<(usize, Folded)> = sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.examples.iter().map(move |e| (i, fold(e))))
            .collect();
        let mut df: HashMap<&str, f32> = HashMap::new();
        for (_, f) in &folded {
            for (feature, _) in &f.features {
                *df.entry(feature.as_str()).or_default() += 1.0;
            }
        }
        let n = folded.len().max(1) as f32;
        let idf: HashMap<String, f32> = df
            .iter()
            .map(|(f, d)| (f.to_string(), (1.0 + n / d).ln()))
            .collect();
        let unseen_idf = (1.0 + n).ln();
        let mut postings: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
        let mut examples = Vec::with_capacity(folded.len());
        for (index, (intent, f)) in folded.iter().enumerate() {
            let mut norm = 0.0;
            for (feature, tf) in &f.features {
                let w = tf * idf.get(feature).copied().unwrap_or(unseen_idf);
                norm += w * w;
                postings
                    .entry(feature.clone())
                    .or_default()
                    .push((index as u32, w));
            }
            examples.push(Example {
                intent: *intent,
                norm: norm.sqrt().max(f32::EPSILON),
            });
        }
        let keywords = sources
            .iter()
            .map(|s| s.keywords.iter().map(|k| keyword(k)).collect())
            .collect();
        let mut exact: Vec<(String, usize)> = sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.exact.iter().map(move |e| (squash(e), i)))
            .filter(|(e, _)| !e.is_empty())
            .collect();
        exact.sort_by_key(|(e, _)| std::cmp::Reverse(e.chars().count()));
        Matcher {
            idf,
            unseen_idf,
            postings,
            examples,
            keywords,
            exact,
            intents: sources.len(),
            bayes: Bayes::build(
                sources.len(),
                &folded
                    .iter()
                    .map(|(i, f)| (*i, f.features.as_slice()))
                    .collect::<Vec<_>>(),
            ),
        }
    }

    /// The intent whose exact text (one of the site's error messages) the question contains.
    pub fn exact(&self, question: &str) -> Option<usize> {
        let squashed = squash(question);
        self.exact
            .iter()
            .find(|(e, _)| squashed.contains(e.as_str()))
            .map(|(_, i)| *i)
    }

    /// Every intent with a score above zero, best first.
    pub fn rank(&self, question: &str) -> Vec<Ranked> {
        let q = fold(question);
        let mut best = vec![0.0f32; self.intents];
        let mut qnorm = 0.0;
        let mut dots = vec![0.0f32; self.examples.len()];
        for (feature, tf) in &q.features {
            let w = tf * self.idf.get(feature).copied().unwrap_or(self.unseen_idf);
            qnorm += w * w;
            for (ex, ew) in self.postings.get(feature).into_iter().flatten() {
                dots[*ex as usize] += w * ew;
            }
        }
        let qnorm = qnorm.sqrt().max(f32::EPSILON);
        for (example, dot) in self.examples.iter().zip(dots) {
            if dot <= 0.0 {
                continue;
            }
            let cos = dot / (qnorm * example.norm);
            let slot = &mut best[example.intent];
            *slot = slot.max(cos.min(1.0));
        }
        let relative = self.bayes.relative(&q.features);
        let squashed = squash(question);
        let words: Vec<&str> = q.text.split([' ', '|']).filter(|w| !w.is_empty()).collect();
        let mut ranked: Vec<Ranked> = best
            .into_iter()
            .enumerate()
            .map(|(intent, cos)| {
                let hits = self.keywords[intent]
                    .iter()
                    .filter(|k| k.hits(&squashed, &words));
                // Several keywords say more than one (capped: all of the share at most).
                let bonus = hits.map(Keyword::strength).sum::<f32>().min(1.0) * KEYWORD_SHARE;
                let base = cos * (1.0 - KEYWORD_SHARE) + bonus;
                Ranked {
                    intent,
                    score: base * (1.0 - BAYES_SHARE + BAYES_SHARE * relative[intent]),
                }
            })
            .filter(|r| r.score > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
        ranked
    }
}

fn keyword(raw: &str) -> Keyword {
    if raw.chars().any(is_han) {
        Keyword::Han(squash(raw))
    } else {
        let f = fold(raw);
        Keyword::Words(
            f.text
                .split([' ', '|'])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }
}

impl Keyword {
    /// How much a hit says: longer keywords are more specific (two Chinese characters or one
    /// word: half; four characters or three words: all).
    fn strength(&self) -> f32 {
        match self {
            Keyword::Han(k) => (k.chars().count() as f32 / 4.0).clamp(0.5, 1.0),
            Keyword::Words(ws) => (0.25 + 0.25 * ws.len() as f32).clamp(0.5, 1.0),
        }
    }

    fn hits(&self, squashed: &str, words: &[&str]) -> bool {
        match self {
            Keyword::Han(k) => !k.is_empty() && squashed.contains(k.as_str()),
            // Every word of the keyword, in any order, each typed nearly right.
            Keyword::Words(ks) => {
                !ks.is_empty() && ks.iter().all(|k| words.iter().any(|w| near(k, w)))
            }
        }
    }
}

/// Equal, or one edit apart (insert, delete, substitute, swap) when both have five letters.
fn near(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // Lengths first: most pairs are told apart without collecting their characters.
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 5 || la.abs_diff(lb) > 1 {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let longest = a.len().max(b.len());
    if prefix + suffix + 1 >= longest {
        return true;
    }
    // A swap of two neighbours.
    a.len() == b.len()
        && prefix + 2 <= a.len()
        && a[prefix] == b[prefix + 1]
        && a[prefix + 1] == b[prefix]
        && a[prefix + 2..] == b[prefix + 2..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typo_is_near_short_words_must_be_exact() {
        let cases = [
            ("register", "regster", true),
            ("register", "registre", true),
            ("register", "reigster", true),
            ("password", "pasword", true),
            ("code", "cod", false),
            ("register", "regist", false),
            ("photo", "photo", true),
        ];
        for (a, b, expected) in cases {
            assert_eq!(near(a, b), expected, "{a} {b}");
        }
    }
}
