//! Scoring intent predictions against labelled turns: per-class precision, recall and F1,
//! macro and micro F1 (multi-label: a turn counts once for each of its labels), a confusion
//! matrix of primary labels (the first gold label against the predicted primary), and
//! bootstrap 95% intervals over dialogues for macro F1 and for the difference between two
//! classifiers scored on the same turns.

use serde::Serialize;

use crate::rng::SplitMix64;

/// Scores of one class.
#[derive(Debug, Clone, Serialize)]
pub struct ClassScore {
    /// Label.
    pub label: &'static str,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Gold turns with this label.
    pub support: usize,
}

/// Scores of one label level (top-level intents or sub-intents).
#[derive(Debug, Clone, Serialize)]
pub struct LevelScore {
    /// Mean F1 over the classes that occur in the gold labels.
    pub macro_f1: f64,
    /// 95% bootstrap interval of `macro_f1` (resampling dialogues).
    pub macro_f1_ci: [f64; 2],
    /// F1 of all (turn, label) decisions pooled.
    pub micro_f1: f64,
    /// Per class.
    pub per_class: Vec<ClassScore>,
    /// Row = gold primary label, column = predicted primary label.
    pub confusion: Vec<Vec<usize>>,
}

fn f1(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Macro F1 of the turns at `idx` (classes with gold support there).
fn macro_f1(n: usize, gold: &[Vec<usize>], pred: &[Vec<usize>], idx: &[usize]) -> f64 {
    let mut tp = vec![0usize; n];
    let mut fp = vec![0usize; n];
    let mut fn_ = vec![0usize; n];
    for &i in idx {
        for c in 0..n {
            match (gold[i].contains(&c), pred[i].contains(&c)) {
                (true, true) => tp[c] += 1,
                (false, true) => fp[c] += 1,
                (true, false) => fn_[c] += 1,
                _ => {}
            }
        }
    }
    let present: Vec<usize> = (0..n).filter(|&c| tp[c] + fn_[c] > 0).collect();
    if present.is_empty() {
        return 0.0;
    }
    present
        .iter()
        .map(|&c| f1(tp[c], fp[c], fn_[c]).2)
        .sum::<f64>()
        / present.len() as f64
}

/// Resamples of the turn indices, whole dialogues at a time.
fn resamples(groups: &[String], times: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut by: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by.entry(g.as_str()).or_default().push(i);
    }
    let dialogues: Vec<&Vec<usize>> = by.values().collect();
    let mut rng = SplitMix64::new(seed);
    (0..times)
        .map(|_| {
            (0..dialogues.len())
                .flat_map(|_| dialogues[rng.below(dialogues.len())].iter().copied())
                .collect()
        })
        .collect()
}

fn interval(mut v: Vec<f64>) -> [f64; 2] {
    if v.is_empty() {
        return [0.0, 0.0];
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    [at(0.025), at(0.975)]
}

/// Score one level. `gold` and `pred` hold label indices per turn (gold's first label is its
/// primary); `pred_primary` is the predicted primary label; `groups` the dialogue of each turn.
#[must_use]
pub fn score(
    names: &[&'static str],
    gold: &[Vec<usize>],
    pred: &[Vec<usize>],
    pred_primary: &[usize],
    groups: &[String],
) -> LevelScore {
    let n = names.len();
    let all: Vec<usize> = (0..gold.len()).collect();
    let (mut tp_all, mut fp_all, mut fn_all) = (0, 0, 0);
    let mut per_class = Vec::new();
    for (c, &label) in names.iter().enumerate() {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for i in &all {
            match (gold[*i].contains(&c), pred[*i].contains(&c)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        tp_all += tp;
        fp_all += fp;
        fn_all += fn_;
        let (precision, recall, f) = f1(tp, fp, fn_);
        per_class.push(ClassScore {
            label,
            precision,
            recall,
            f1: f,
            support: tp + fn_,
        });
    }
    let mut confusion = vec![vec![0usize; n]; n];
    for (g, &p) in gold.iter().zip(pred_primary) {
        if let Some(&g0) = g.first() {
            confusion[g0][p] += 1;
        }
    }
    let boot: Vec<f64> = resamples(groups, 1000, 17)
        .iter()
        .map(|idx| macro_f1(n, gold, pred, idx))
        .collect();
    LevelScore {
        macro_f1: macro_f1(n, gold, pred, &all),
        macro_f1_ci: interval(boot),
        micro_f1: f1(tp_all, fp_all, fn_all).2,
        per_class,
        confusion,
    }
}

/// 95% bootstrap interval (over dialogues) of macro F1 of `a` minus macro F1 of `b` on the
/// same turns.
#[must_use]
pub fn paired_difference(
    n: usize,
    gold: &[Vec<usize>],
    a: &[Vec<usize>],
    b: &[Vec<usize>],
    groups: &[String],
) -> [f64; 2] {
    interval(
        resamples(groups, 1000, 23)
            .iter()
            .map(|idx| macro_f1(n, gold, a, idx) - macro_f1(n, gold, b, idx))
            .collect(),
    )
}

/// A Markdown table of per-class scores.
#[must_use]
pub fn table(level: &LevelScore) -> String {
    let mut s =
        String::from("| class | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n");
    for c in &level.per_class {
        s.push_str(&format!(
            "| {} | {:.3} | {:.3} | {:.3} | {} |\n",
            c.label, c.precision, c.recall, c.f1, c.support
        ));
    }
    s.push_str(&format!(
        "| **macro F1** | | | **{:.3}** [{:.3}, {:.3}] | |\n| **micro F1** | | | **{:.3}** | |\n",
        level.macro_f1, level.macro_f1_ci[0], level.macro_f1_ci[1], level.micro_f1
    ));
    s
}

/// The confusion matrix as a Markdown table (rows gold, columns predicted; primary labels).
#[must_use]
pub fn confusion_table(names: &[&str], level: &LevelScore) -> String {
    let mut s = format!(
        "| gold \\ predicted | {} |\n|---|{}\n",
        names.join(" | "),
        "---:|".repeat(names.len())
    );
    for (g, row) in level.confusion.iter().enumerate() {
        if row.iter().sum::<usize>() == 0 {
            continue;
        }
        let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
        s.push_str(&format!("| {} | {} |\n", names[g], cells.join(" | ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_multi_label_turns() {
        let names = ["A", "B", "C"];
        let gold = vec![vec![0], vec![1], vec![0, 2], vec![2]];
        let pred = vec![vec![0], vec![0], vec![0, 2], vec![1]];
        let groups: Vec<String> = ["d1", "d1", "d2", "d3"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let s = score(&names, &gold, &pred, &[0, 0, 0, 1], &groups);
        // A: tp 2 fp 1 → p .667 r 1 f .8; B: tp 0 → 0; C: tp 1 fn 1 → p 1 r .5 f .667
        assert!(
            (s.macro_f1 - (0.8 + 0.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9,
            "{}",
            s.macro_f1
        );
        assert!((s.micro_f1 - f1(3, 2, 2).2).abs() < 1e-9);
        assert_eq!(s.confusion[1][0], 1);
        assert!(s.macro_f1_ci[0] <= s.macro_f1_ci[1]);
        let d = paired_difference(3, &gold, &gold, &pred, &groups);
        assert!(d[0] >= 0.0);
    }
}
