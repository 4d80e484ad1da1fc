//! Scoring a replay: the ranks at which each system placed a turn's target movies go in;
//! Recall@k, nDCG@10, Recall@k curves and bootstrap intervals over dialogues come out.
//!
//! - **Recall@k** of a turn: targets in the top k over targets; a system's Recall@k is the
//!   mean over scored turns (each recommender turn that suggests at least one movie not
//!   mentioned before counts once, as in He et al., CIKM 2023).
//! - **nDCG@10**: binary gain, discount 1/log2(rank + 1), ideal = all targets first.
//! - **95% intervals**: percentile bootstrap over dialogues (turns of a dialogue are not
//!   independent), [`RESAMPLES`] resamples with a fixed seed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;

/// Cut-offs reported.
pub const KS: [usize; 4] = [1, 5, 10, 50];
/// Length of the ranked lists (and of the Recall@k curves).
pub const DEPTH: usize = 50;
/// Bootstrap resamples.
pub const RESAMPLES: usize = 1000;

/// One scored turn: how many targets, and per system the 1-based rank of each target in its
/// list (0 when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredTurn {
    /// Target movies (suggested here, not mentioned before).
    pub targets: usize,
    /// System name → ranks of the targets.
    pub ranks: BTreeMap<String, Vec<u16>>,
}

/// The 1-based rank of each target in `list` (0 when absent).
#[must_use]
pub fn ranks(list: &[String], targets: &[String]) -> Vec<u16> {
    targets
        .iter()
        .map(|t| {
            list.iter()
                .position(|x| x == t)
                .map_or(0, |p| u16::try_from(p + 1).unwrap_or(u16::MAX))
        })
        .collect()
}

/// Recall@k of one turn.
#[must_use]
pub fn recall(ranks: &[u16], targets: usize, k: usize) -> f64 {
    if targets == 0 {
        return 0.0;
    }
    let hits = ranks
        .iter()
        .filter(|&&r| r > 0 && usize::from(r) <= k)
        .count();
    hits as f64 / targets as f64
}

/// nDCG@k of one turn (binary gains).
#[must_use]
pub fn ndcg(ranks: &[u16], targets: usize, k: usize) -> f64 {
    let disc = |r: usize| 1.0 / ((r + 1) as f64).log2();
    let dcg: f64 = ranks
        .iter()
        .filter(|&&r| r > 0 && usize::from(r) <= k)
        .map(|&r| disc(usize::from(r)))
        .sum();
    let ideal: f64 = (1..=targets.min(k)).map(disc).sum();
    if ideal > 0.0 {
        dcg / ideal
    } else {
        0.0
    }
}

/// One system's means and intervals.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SystemScores {
    /// Recall@1.
    #[serde(rename = "recall@1")]
    pub recall1: f64,
    /// Recall@5.
    #[serde(rename = "recall@5")]
    pub recall5: f64,
    /// Recall@10.
    #[serde(rename = "recall@10")]
    pub recall10: f64,
    /// Recall@50.
    #[serde(rename = "recall@50")]
    pub recall50: f64,
    /// nDCG@10.
    #[serde(rename = "ndcg@10")]
    pub ndcg10: f64,
    /// 95% bootstrap intervals, by metric name.
    pub ci95: BTreeMap<String, [f64; 2]>,
    /// Turns this system was scored on.
    pub turns: usize,
}

/// The five metrics of one turn, in [`metric_names`] order.
fn metrics(ranks: &[u16], targets: usize) -> [f64; 5] {
    [
        recall(ranks, targets, 1),
        recall(ranks, targets, 5),
        recall(ranks, targets, 10),
        recall(ranks, targets, 50),
        ndcg(ranks, targets, 10),
    ]
}

/// Metric names in the order of the scores.
#[must_use]
pub fn metric_names() -> [&'static str; 5] {
    ["recall@1", "recall@5", "recall@10", "recall@50", "ndcg@10"]
}

/// Scores of `system` over dialogues (each a list of scored turns).
#[must_use]
pub fn summarise(system: &str, dialogues: &[&[ScoredTurn]], seed: u64) -> SystemScores {
    // Per dialogue: sums of each metric and the number of turns the system was scored on.
    let per: Vec<([f64; 5], usize)> = dialogues
        .iter()
        .map(|turns| {
            let mut sum = [0.0; 5];
            let mut n = 0;
            for t in turns.iter() {
                if let Some(r) = t.ranks.get(system) {
                    for (s, m) in sum.iter_mut().zip(metrics(r, t.targets)) {
                        *s += m;
                    }
                    n += 1;
                }
            }
            (sum, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let mean = |idx: &mut dyn Iterator<Item = usize>| -> [f64; 5] {
        let (mut sum, mut n) = ([0.0; 5], 0usize);
        for i in idx {
            for (s, x) in sum.iter_mut().zip(per[i].0) {
                *s += x;
            }
            n += per[i].1;
        }
        sum.map(|s| if n > 0 { s / n as f64 } else { 0.0 })
    };
    let m = mean(&mut (0..per.len()));
    let mut samples = resample(per.len(), seed, mean);
    let mut ci95 = BTreeMap::new();
    for (j, name) in metric_names().iter().enumerate() {
        samples.sort_by(|a, b| a[j].total_cmp(&b[j]));
        if let (Some(lo), Some(hi)) = (samples.get(LOW), samples.get(HIGH)) {
            ci95.insert((*name).to_string(), [lo[j], hi[j]]);
        }
    }
    SystemScores {
        recall1: m[0],
        recall5: m[1],
        recall10: m[2],
        recall50: m[3],
        ndcg10: m[4],
        ci95,
        turns: per.iter().map(|p| p.1).sum(),
    }
}

/// Recall@10 of `a` minus that of `b` on the turns both were scored on, with its 95%
/// interval from a paired bootstrap over dialogues (the same resampled dialogues for both):
/// whether a lead is more than noise.
#[must_use]
pub fn paired_recall10(a: &str, b: &str, dialogues: &[&[ScoredTurn]], seed: u64) -> [f64; 3] {
    let per: Vec<(f64, usize)> = dialogues
        .iter()
        .map(|turns| {
            turns
                .iter()
                .filter_map(|t| Some((t.ranks.get(a)?, t.ranks.get(b)?, t.targets)))
                .fold((0.0, 0), |(s, n), (ra, rb, k)| {
                    (s + recall(ra, k, 10) - recall(rb, k, 10), n + 1)
                })
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let mean = |idx: &mut dyn Iterator<Item = usize>| -> f64 {
        let (s, n) = idx.fold((0.0, 0), |(s, n), i| (s + per[i].0, n + per[i].1));
        if n > 0 {
            s / n as f64
        } else {
            0.0
        }
    };
    let d = mean(&mut (0..per.len()));
    let mut samples = resample(per.len(), seed, mean);
    samples.sort_by(f64::total_cmp);
    match (samples.get(LOW), samples.get(HIGH)) {
        (Some(lo), Some(hi)) => [d, *lo, *hi],
        _ => [0.0; 3],
    }
}

/// Positions of the 2.5th and 97.5th percentiles among [`RESAMPLES`] sorted resamples.
const LOW: usize = RESAMPLES * 25 / 1000;
const HIGH: usize = RESAMPLES * 975 / 1000;

/// [`RESAMPLES`] bootstrap statistics over `n` dialogues (none when `n` is 0): `stat` of
/// dialogue indices drawn with replacement, from a fixed seed.
fn resample<T>(n: usize, seed: u64, stat: impl Fn(&mut dyn Iterator<Item = usize>) -> T) -> Vec<T> {
    let mut rng = SplitMix64::new(seed);
    (0..if n == 0 { 0 } else { RESAMPLES })
        .map(|_| stat(&mut (0..n).map(|_| rng.below(n))))
        .collect()
}

/// Recall@k for k = 1..=[`DEPTH`] of `system`, mean over its scored turns.
#[must_use]
pub fn curve(system: &str, turns: &[&ScoredTurn]) -> Vec<f64> {
    let scored: Vec<(&Vec<u16>, usize)> = turns
        .iter()
        .filter_map(|t| t.ranks.get(system).map(|r| (r, t.targets)))
        .collect();
    (1..=DEPTH)
        .map(|k| {
            let s: f64 = scored.iter().map(|(r, n)| recall(r, *n, k)).sum();
            s / scored.len().max(1) as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_a_turn() {
        let list: Vec<String> = ["a", "b", "c"].iter().map(|s| (*s).to_string()).collect();
        let r = ranks(&list, &["c".to_string(), "z".to_string()]);
        assert_eq!(r, [3, 0]);
        assert!((recall(&r, 2, 1) - 0.0).abs() < 1e-12);
        assert!((recall(&r, 2, 3) - 0.5).abs() < 1e-12);
        // dcg = 1/log2(4) = 0.5; ideal = 1 + 1/log2(3)
        let want = 0.5 / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg(&r, 2, 10) - want).abs() < 1e-12);
        assert!((ndcg(&[1], 1, 10) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn summaries_and_intervals() {
        let turn = |rank: u16| ScoredTurn {
            targets: 1,
            ranks: [("s".to_string(), vec![rank])].into_iter().collect(),
        };
        let d1 = vec![turn(1), turn(0)];
        let d2 = vec![turn(2)];
        let s = summarise("s", &[&d1, &d2], 7);
        assert_eq!(s.turns, 3);
        assert!((s.recall1 - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.recall5 - 2.0 / 3.0).abs() < 1e-12);
        let [lo, hi] = s.ci95["recall@5"];
        assert!(lo <= s.recall5 && s.recall5 <= hi && lo >= 0.0 && hi <= 1.0);
        assert_eq!(summarise("other", &[&d1], 7).turns, 0);
        let both = |a: u16, b: u16| ScoredTurn {
            targets: 1,
            ranks: [("a".to_string(), vec![a]), ("b".to_string(), vec![b])]
                .into_iter()
                .collect(),
        };
        let p = paired_recall10("a", "b", &[&[both(1, 0), both(3, 3)], &[both(0, 0)]], 7);
        assert!((p[0] - 1.0 / 3.0).abs() < 1e-12, "{p:?}");
        assert!(p[1] <= p[0] && p[0] <= p[2] && p[1] >= 0.0 && p[2] <= 1.0);
        let c = curve("s", &[&d1[0], &d1[1], &d2[0]]);
        assert_eq!(c.len(), DEPTH);
        assert!((c[0] - 1.0 / 3.0).abs() < 1e-12 && (c[1] - 2.0 / 3.0).abs() < 1e-12);
    }
}
