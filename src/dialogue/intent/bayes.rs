//! A naive-Bayes view of the same features: how likely each intent's phrasings, taken
//! together, make the question's n-grams. It learns which n-grams tell intents apart (收不到
//! says "code" whatever else is said; 注册 is said about many things), which the cosine against
//! one example at a time does not; the matcher uses it to re-weigh its ranking, never alone
//! (its posteriors are sure of themselves even for a question about the weather).

use std::collections::HashMap;

/// Additive smoothing of the counts.
const ALPHA: f32 = 0.2;
/// Softens the posterior: log-likelihoods are divided by this before the softmax.
const TEMPERATURE: f32 = 3.0;

#[derive(Default)]
pub struct Bayes {
    /// Per feature, the log-probability under each intent.
    log_p: HashMap<String, Vec<f32>>,
    intents: usize,
}

impl Bayes {
    /// `examples`: each example's intent and its features with their weights.
    pub fn build(intents: usize, examples: &[(usize, &[(String, f32)])]) -> Bayes {
        let mut counts: HashMap<&str, Vec<f32>> = HashMap::new();
        let mut totals = vec![0.0f32; intents];
        for (intent, features) in examples {
            for (feature, w) in *features {
                counts
                    .entry(feature.as_str())
                    .or_insert_with(|| vec![0.0; intents])[*intent] += w;
                totals[*intent] += w;
            }
        }
        let vocabulary = counts.len().max(1) as f32;
        let log_p = counts
            .into_iter()
            .map(|(feature, per_intent)| {
                let logs = per_intent
                    .iter()
                    .zip(&totals)
                    .map(|(n, total)| ((n + ALPHA) / (total + ALPHA * vocabulary)).ln())
                    .collect();
                (feature.to_string(), logs)
            })
            .collect();
        Bayes { log_p, intents }
    }

    /// Each intent's posterior for the question's features, relative to the most likely one
    /// (which gets 1); all ones when no feature is known.
    pub fn relative(&self, features: &[(String, f32)]) -> Vec<f32> {
        let mut sums = vec![0.0f32; self.intents];
        for (feature, w) in features {
            if let Some(logs) = self.log_p.get(feature) {
                for (s, l) in sums.iter_mut().zip(logs) {
                    *s += w * l;
                }
            }
        }
        let top = sums.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        sums.iter()
            .map(|s| ((s - top) / TEMPERATURE).exp())
            .collect()
    }
}
