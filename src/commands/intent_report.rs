//! The report of `reco eval intents`: its `--json` shape, the Markdown tables, and the
//! per-turn dump.

use serde::Serialize;

use crate::{
    eval::intents::{confusion_table, table, LevelScore},
    intent::{data::Example, Intent, SUB_INTENTS, TOP_LEVELS},
    Error, Result,
};

/// Scores of one classifier variant.
#[derive(Debug, Serialize)]
pub struct Variant {
    /// Top-level intents.
    pub top_level: LevelScore,
    /// Sub-intents.
    pub sub_intents: LevelScore,
}

/// The `--json` report of `reco eval intents`.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Seeker turns scored.
    pub turns: usize,
    /// Dialogues they come from.
    pub dialogues: usize,
    /// Catalog used for augmentation.
    pub catalog: String,
    /// The classifier trained on reco's own examples only, with retrieval augmentation.
    pub top_level: LevelScore,
    /// Same, sub-intents.
    pub sub_intents: LevelScore,
    /// The same classifier and training data without retrieval augmentation.
    pub without_retrieval: Variant,
    /// 95% interval of (augmented − not augmented) macro F1, top level and sub-intents.
    pub augmentation_gain_ci: [[f64; 2]; 2],
    /// Own examples plus the other folds of `--data`, dialogue-level cross-validation.
    pub with_data_cv: Option<Variant>,
    /// Classification latency per turn on top of the shared query embedding, ms.
    pub latency_ms: Latency,
}

/// Latency percentiles.
#[derive(Debug, Serialize)]
pub struct Latency {
    /// Median over the timed turns.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Median over the timed turns that are one message (one segment).
    pub single_p50: f64,
    /// Timed turns.
    pub turns: usize,
    /// Of which single-segment.
    pub single_turns: usize,
}

pub fn dump(path: &std::path::Path, data: &[Example], pred: &[Intent]) -> Result<()> {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (e, p) in data.iter().zip(pred) {
        let gold_sub: Vec<&str> = e.sub.iter().map(|&i| SUB_INTENTS[i]).collect();
        let gold_top: Vec<&str> = e.top.iter().map(|&i| TOP_LEVELS[i]).collect();
        let line = serde_json::json!({"dialogue": e.group, "text": e.text, "prev": e.prev,
            "gold_top": gold_top, "gold_sub": gold_sub, "top": p.top, "sub": p.sub,
            "confidence": p.confidence});
        let _ = writeln!(out, "{line}");
    }
    std::fs::write(path, out).map_err(|e| Error::io(path, e))
}

pub fn print_report(r: &Report, data: &std::path::Path) {
    println!(
        "intent classification on {} ({} seeker turns, {} dialogues; augmentation catalog `{}`)\n",
        data.display(),
        r.turns,
        r.dialogues,
        r.catalog
    );
    println!("## Trained on reco's own examples only, retrieval-augmented\n");
    println!("### Top level\n\n{}", table(&r.top_level));
    println!("{}", confusion_table(&TOP_LEVELS, &r.top_level));
    println!("### Sub-intents\n\n{}", table(&r.sub_intents));
    println!("{}", confusion_table(&SUB_INTENTS, &r.sub_intents));
    println!("## Summary\n");
    println!("| classifier | top-level macro F1 | top-level micro F1 | sub-intent macro F1 | sub-intent micro F1 |");
    println!("|---|---:|---:|---:|---:|");
    let row = |name: &str, v: (&LevelScore, &LevelScore)| {
        println!(
            "| {name} | {:.3} [{:.3}, {:.3}] | {:.3} | {:.3} [{:.3}, {:.3}] | {:.3} |",
            v.0.macro_f1,
            v.0.macro_f1_ci[0],
            v.0.macro_f1_ci[1],
            v.0.micro_f1,
            v.1.macro_f1,
            v.1.macro_f1_ci[0],
            v.1.macro_f1_ci[1],
            v.1.micro_f1
        );
    };
    row(
        "own examples, retrieval-augmented",
        (&r.top_level, &r.sub_intents),
    );
    row(
        "own examples, no augmentation",
        (
            &r.without_retrieval.top_level,
            &r.without_retrieval.sub_intents,
        ),
    );
    if let Some(cv) = &r.with_data_cv {
        row(
            "own + data (dialogue-level CV), augmented",
            (&cv.top_level, &cv.sub_intents),
        );
    }
    println!(
        "\naugmentation gain (paired, 95% interval over dialogues): top level [{:+.3}, {:+.3}], sub-intents [{:+.3}, {:+.3}]",
        r.augmentation_gain_ci[0][0], r.augmentation_gain_ci[0][1], r.augmentation_gain_ci[1][0], r.augmentation_gain_ci[1][1]
    );
    println!(
        "classification latency per turn (shared query embedding excluded; {} turns): p50 {:.2} ms, p95 {:.2} ms; single-message turns ({}): p50 {:.2} ms",
        r.latency_ms.turns, r.latency_ms.p50, r.latency_ms.p95, r.latency_ms.single_turns, r.latency_ms.single_p50
    );
}
