//! `helpdesk-bench intents`: the free-text matcher on the evaluation set — top-1 and top-3 per
//! language and split, questions sent straight to the right place, honest "not sure" on
//! out-of-scope questions, and the time per question.

use helpdesk::app::AppError;
use helpdesk::dialogue::Tree;
use helpdesk::dialogue::intent::eval::{self, Figures, Item};
use helpdesk::dialogue::intent::{Decision, Gates, Intents, decide_ranked};
use std::path::Path;

/// Runs the evaluation (`set`: another evaluation file) and prints the figures.
pub fn run(
    dialogues: Option<&Path>,
    set: Option<&Path>,
    tune: bool,
    misses: bool,
) -> Result<(), AppError> {
    let tree = Tree::load_or_embedded(dialogues)?;
    let src = match set {
        Some(path) => std::fs::read_to_string(path)?,
        None => eval::BUILT_IN.to_string(),
    };
    let items = eval::parse(&src).map_err(std::io::Error::other)?;
    let intents = &tree.intents;
    let mut gates = intents.gates;
    if tune {
        let dev: Vec<&Item> = items.iter().filter(|i| i.split == "dev").collect();
        gates = eval::tune(intents, &dev);
        println!(
            "tuned on dev: confident = {:.2}, margin = {:.2}, suggest = {:.2}",
            gates.confident, gates.margin, gates.suggest
        );
    }
    println!(
        "intents: {} intents, gates confident {:.2} / margin {:.2} / suggest {:.2}",
        intents.list.len(),
        gates.confident,
        gates.margin,
        gates.suggest
    );
    println!(
        "{:<5} {:<3} {:>4} {:>7} {:>7} {:>7} {:>6} {:>5} {:>8} {:>8} {:>9}",
        "split",
        "lng",
        "n",
        "top-1",
        "top-3",
        "direct",
        "wrong",
        "oos",
        "honest",
        "unknown",
        "µs/quest"
    );
    for split in ["dev", "held"] {
        for lang in ["zh", "en"] {
            let chosen: Vec<&Item> = items
                .iter()
                .filter(|i| i.split == split && i.lang == lang)
                .collect();
            if chosen.is_empty() {
                continue;
            }
            // Once to warm up, then the measured pass.
            let _ = eval::evaluate(intents, &chosen, gates);
            let (f, micros) = eval::evaluate(intents, &chosen, gates);
            println!(
                "{split:<5} {lang:<3} {:>4} {:>6.1}% {:>6.1}% {:>6.1}% {:>6} {:>5} {:>7.1}% {:>7.1}% {:>9.1}",
                f.in_scope,
                f.top1_pct(),
                f.top3_pct(),
                Figures::pct(f.direct, f.in_scope),
                f.wrong_direct,
                f.out_of_scope,
                f.honest_pct(),
                Figures::pct(f.unknown, f.out_of_scope),
                micros
            );
            if misses {
                print_misses(intents, &chosen, gates);
            }
        }
    }
    Ok(())
}

fn print_misses(intents: &Intents, items: &[&Item], gates: Gates) {
    for item in items {
        let ranked = intents.rank(&item.question);
        let decision = match intents.decide(&item.question) {
            Decision::Exact(i) => Decision::Exact(i),
            _ => decide_ranked(&ranked, gates),
        };
        let top: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|r| format!("{}={:.2}", intents.list[r.intent].id, r.score))
            .collect();
        let first = ranked.first().map(|r| intents.list[r.intent].id.as_str());
        let bad = match (&item.expected, &decision) {
            (Some(e), _) => first != Some(e.as_str()) || matches!(decision, Decision::Unknown),
            (None, Decision::Exact(_) | Decision::Confident(_)) => true,
            (None, _) => false,
        };
        if bad {
            println!(
                "    {:<14} {:<40} {:?} {}",
                item.expected.as_deref().unwrap_or("-"),
                item.question,
                std::mem::discriminant(&decision),
                top.join(" ")
            );
        }
    }
}
