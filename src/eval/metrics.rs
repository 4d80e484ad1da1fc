//! Ranking metrics for the generated queries of [`crate::eval::queries`], on their graded
//! relevance (0–3, see [`Query::grade`]).
//!
//! In: a query, the ranking a retriever returned (item ids best first, the query's `exclude`
//! already left out) and the query's [`IdealCounts`]. Out: [`Scores`], averaged by [`mean`].
//! Definitions (following RecLM-emb's `infer_metrics.py` where it defines them):
//!
//! - **Hit@5**: 1 if the target (grade 3) is in the top 5; for target-less types (VC2I, NA2I),
//!   1 if any item in the top 5 has grade ≥ 2.
//! - **Coverage@5**: the share of the top-5 items that meet *every* stated condition
//!   (grade ≥ 2), over the number of items actually returned up to 5 (0 for an empty ranking).
//!   This is RecLM-emb's coverage for its attribute tasks (an item counts when all of the
//!   query's attributes match); graded queries let us report it for every type.
//! - **nDCG@10**: gain 2^grade − 1, discount 1/log2(rank + 1); the ideal DCG is that of the
//!   best possible top 10, taken from the whole catalog's grade counts (0 when no item is
//!   relevant).
//! - **P@20**: items with grade ≥ 2 in the top 20, over 20 (short rankings are not rewarded).
//!
//! Aggregates: the **macro mean** is the mean over query types of each type's mean (so a type
//! with more queries weighs no more), [`bootstrap`] gives its 95 % interval by resampling
//! queries with replacement within each type (percentile method, seeded), and [`paired`]
//! compares two rankers on the same queries: the macro mean of the per-query differences,
//! its interval, and the share of resamples in which the difference is ≤ 0 (a one-sided
//! bootstrap p-value for "A beats B").

use serde::{Deserialize, Serialize};

use crate::catalog::item::Item;

use super::queries::{GradeContext, Query};

/// The four numbers reported per query, and their means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Hit@5.
    pub hit5: f64,
    /// Coverage@5.
    pub coverage5: f64,
    /// nDCG@10.
    pub ndcg10: f64,
    /// P@20.
    pub p20: f64,
}

/// How many catalog items have each grade for one query: `counts[g]` items of grade `g`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdealCounts {
    /// Items per grade 0, 1, 2, 3.
    pub counts: [usize; 4],
}

impl IdealCounts {
    /// Grades every item of `items` once.
    #[must_use]
    pub fn compute(query: &Query, items: &[Item], ctx: &GradeContext<'_>) -> Self {
        let mut counts = [0usize; 4];
        for item in items {
            counts[usize::from(query.grade(item, ctx).min(3))] += 1;
        }
        Self { counts }
    }

    /// The DCG of the best possible top `k`.
    #[must_use]
    pub fn ideal_dcg(&self, k: usize) -> f64 {
        let mut dcg = 0.0;
        let mut rank = 0;
        for g in (1..=3u8).rev() {
            for _ in 0..self.counts[usize::from(g)] {
                if rank == k {
                    return dcg;
                }
                dcg += gain(g) * discount(rank);
                rank += 1;
            }
        }
        dcg
    }
}

/// Scores one query: grades the ranking with `ctx`, then [`score_grades`].
#[must_use]
pub fn score(
    query: &Query,
    ranking: &[&Item],
    ideal: &IdealCounts,
    ctx: &GradeContext<'_>,
) -> Scores {
    let grades: Vec<u8> = ranking
        .iter()
        .take(20)
        .map(|item| query.grade(item, ctx))
        .collect();
    score_grades(&grades, query.kind.has_target(), ideal)
}

/// Scores a ranking given as grades, best first; `has_target` picks the Hit@5 rule.
#[must_use]
pub fn score_grades(grades: &[u8], has_target: bool, ideal: &IdealCounts) -> Scores {
    let top = |k: usize| &grades[..grades.len().min(k)];
    let hit5 = if has_target {
        top(5).iter().any(|&g| g >= 3)
    } else {
        top(5).iter().any(|&g| g >= 2)
    };
    let met = |k: usize| top(k).iter().filter(|&&g| g >= 2).count();
    let coverage5 = if grades.is_empty() {
        0.0
    } else {
        ratio(met(5), top(5).len())
    };
    let dcg: f64 = top(10)
        .iter()
        .enumerate()
        .map(|(rank, &g)| gain(g) * discount(rank))
        .sum();
    let idcg = ideal.ideal_dcg(10);
    Scores {
        hit5: if hit5 { 1.0 } else { 0.0 },
        coverage5,
        ndcg10: if idcg > 0.0 {
            (dcg / idcg).min(1.0)
        } else {
            0.0
        },
        p20: ratio(met(20), 20),
    }
}

/// The mean of each field (all zero for no scores).
#[must_use]
pub fn mean(scores: &[Scores]) -> Scores {
    if scores.is_empty() {
        return Scores::default();
    }
    let n = ratio(scores.len(), 1);
    let sum = |f: fn(&Scores) -> f64| scores.iter().map(f).sum::<f64>() / n;
    Scores {
        hit5: sum(|s| s.hit5),
        coverage5: sum(|s| s.coverage5),
        ndcg10: sum(|s| s.ndcg10),
        p20: sum(|s| s.p20),
    }
}

impl Scores {
    /// The four numbers in field order (Hit@5, Coverage@5, nDCG@10, P@20).
    #[must_use]
    pub fn to_array(self) -> [f64; 4] {
        [self.hit5, self.coverage5, self.ndcg10, self.p20]
    }

    /// The inverse of [`Scores::to_array`].
    #[must_use]
    pub fn from_array(a: [f64; 4]) -> Self {
        Self {
            hit5: a[0],
            coverage5: a[1],
            ndcg10: a[2],
            p20: a[3],
        }
    }

    /// Field by field `self − other`.
    #[must_use]
    pub fn minus(self, other: Self) -> Self {
        let (a, b) = (self.to_array(), other.to_array());
        Self::from_array(std::array::from_fn(|i| a[i] - b[i]))
    }
}

/// The mean over groups (query types) of each non-empty group's mean.
#[must_use]
pub fn macro_mean<G: AsRef<[Scores]>>(groups: &[G]) -> Scores {
    let means: Vec<Scores> = groups
        .iter()
        .map(AsRef::as_ref)
        .filter(|g| !g.is_empty())
        .map(mean)
        .collect();
    mean(&means)
}

/// A 95 % interval, low then high.
pub type Interval = [f64; 2];

/// Resamples drawn by [`bootstrap`] and [`paired`].
pub const RESAMPLES: usize = 2000;

/// The 95 % percentile interval of the macro mean of each metric: `resamples` times, every
/// group is resampled with replacement (same size), and the macro mean recomputed.
#[must_use]
pub fn bootstrap<G: AsRef<[Scores]>>(groups: &[G], resamples: usize, seed: u64) -> [Interval; 4] {
    let draws = resampled_means(groups, resamples, seed);
    std::array::from_fn(|m| {
        let mut xs: Vec<f64> = draws.iter().map(|d| d[m]).collect();
        xs.sort_by(f64::total_cmp);
        [percentile(&xs, 0.025), percentile(&xs, 0.975)]
    })
}

/// Two rankers on the same queries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    /// Macro mean of A − B.
    pub diff: Scores,
    /// Its 95 % intervals (Hit@5, Coverage@5, nDCG@10, P@20).
    pub ci95: [Interval; 4],
    /// Share of resamples in which A − B ≤ 0, per metric.
    pub p: [f64; 4],
}

/// Compare A and B query by query (`a[g][i]` and `b[g][i]` score the same query).
///
/// # Panics
/// Never for groups of equal shape; a shape mismatch is a programming error and is caught by
/// `debug_assert`.
#[must_use]
pub fn paired<G: AsRef<[Scores]>>(a: &[G], b: &[G], resamples: usize, seed: u64) -> Paired {
    debug_assert_eq!(a.len(), b.len());
    let diffs: Vec<Vec<Scores>> = a
        .iter()
        .zip(b)
        .map(|(x, y)| {
            x.as_ref()
                .iter()
                .zip(y.as_ref())
                .map(|(p, q)| p.minus(*q))
                .collect()
        })
        .collect();
    let draws = resampled_means(&diffs, resamples, seed);
    let n = ratio(draws.len().max(1), 1);
    Paired {
        diff: macro_mean(&diffs),
        ci95: bootstrap(&diffs, resamples, seed),
        p: std::array::from_fn(|m| ratio(draws.iter().filter(|d| d[m] <= 0.0).count(), 1) / n),
    }
}

fn resampled_means<G: AsRef<[Scores]>>(groups: &[G], resamples: usize, seed: u64) -> Vec<[f64; 4]> {
    let mut rng = crate::rng::SplitMix64::new(seed);
    let mut sample: Vec<Vec<Scores>> = groups.iter().map(|g| g.as_ref().to_vec()).collect();
    (0..resamples)
        .map(|_| {
            for (s, g) in sample.iter_mut().zip(groups) {
                let g = g.as_ref();
                for x in s.iter_mut() {
                    *x = g[rng.below(g.len())];
                }
            }
            macro_mean(&sample).to_array()
        })
        .collect()
}

/// Linear-interpolated percentile of sorted `xs` (0 for none).
fn percentile(xs: &[f64], q: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let pos = q * ratio(xs.len() - 1, 1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(xs.len() - 1);
    xs[lo] + (xs[hi] - xs[lo]) * (pos - pos.floor())
}

fn gain(g: u8) -> f64 {
    f64::from((1u32 << g.min(3)) - 1)
}

/// 1 / log2(rank + 2) for a 0-based rank.
fn discount(rank: usize) -> f64 {
    1.0 / (ratio(rank, 1) + 2.0).log2()
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact 0/1 values
mod tests {
    use super::*;

    fn ideal(c: [usize; 4]) -> IdealCounts {
        IdealCounts { counts: c }
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let i = ideal([100, 5, 30, 1]);
        let mut grades = vec![3u8];
        grades.extend([2u8; 19]);
        let s = score_grades(&grades, true, &i);
        assert!((s.ndcg10 - 1.0).abs() < 1e-12);
        assert_eq!(s.hit5, 1.0);
        assert_eq!(s.coverage5, 1.0);
        assert_eq!(s.p20, 1.0);
    }

    #[test]
    fn hand_computed_example() {
        // Grades 0, 3, 1 with one target and one grade-1 item in the catalog.
        let i = ideal([10, 1, 0, 1]);
        let s = score_grades(&[0, 3, 1], true, &i);
        let dcg = 7.0 / 3f64.log2() + 1.0 / 2.0;
        let idcg = 7.0 + 1.0 / 3f64.log2();
        assert!((s.ndcg10 - dcg / idcg).abs() < 1e-12);
        assert_eq!(s.hit5, 1.0);
        assert!((s.coverage5 - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.p20 - 0.05).abs() < 1e-12);
    }

    #[test]
    fn misses_and_target_less_hits() {
        let i = ideal([10, 3, 2, 0]);
        let miss = score_grades(&[1, 1, 0, 0, 0, 2], true, &i);
        assert_eq!(miss.hit5, 0.0);
        assert_eq!(miss.coverage5, 0.0);
        let vague = score_grades(&[1, 2, 0], false, &i);
        assert_eq!(vague.hit5, 1.0);
        assert_eq!(score_grades(&[], true, &i), Scores::default());
        assert_eq!(
            score_grades(&[0, 0], false, &ideal([5, 0, 0, 0])).ndcg10,
            0.0
        );
    }

    fn hits(xs: &[f64]) -> Vec<Scores> {
        xs.iter()
            .map(|&h| Scores {
                hit5: h,
                ..Scores::default()
            })
            .collect()
    }

    #[test]
    fn macro_mean_weighs_types_equally_and_intervals_cover_it() {
        let groups = vec![hits(&[1.0; 90]), hits(&[0.0; 10]), Vec::new()];
        assert!((macro_mean(&groups).hit5 - 0.5).abs() < 1e-12);
        assert!((mean(&groups.concat()).hit5 - 0.9).abs() < 1e-12);
        let mixed = vec![
            hits(&[1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]),
            hits(&[0.0, 1.0]),
        ];
        let m = macro_mean(&mixed).hit5;
        let [lo, hi] = bootstrap(&mixed, 500, 1)[0];
        assert!(lo < m && m < hi && lo >= 0.0 && hi <= 1.0, "{lo} {m} {hi}");
        assert_eq!(bootstrap(&mixed, 500, 1), bootstrap(&mixed, 500, 1));
    }

    #[test]
    fn paired_comparison_sees_a_consistent_gain() {
        let a = vec![hits(&[1.0; 30]), hits(&[1.0, 0.0].repeat(15))];
        let b = vec![hits(&[0.0; 30]), hits(&[1.0, 0.0].repeat(15))];
        let p = paired(&a, &b, 500, 3);
        assert!((p.diff.hit5 - 0.5).abs() < 1e-12);
        assert!(p.ci95[0][0] > 0.0 && p.p[0] < 0.01, "{p:?}");
        let same = paired(&b, &b, 500, 3);
        assert!(same.diff.hit5.abs() < 1e-12 && (same.p[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn mean_averages_fields() {
        let a = Scores {
            hit5: 1.0,
            coverage5: 0.5,
            ndcg10: 0.2,
            p20: 0.0,
        };
        let b = Scores {
            hit5: 0.0,
            coverage5: 0.5,
            ndcg10: 0.4,
            p20: 1.0,
        };
        let m = mean(&[a, b]);
        assert!((m.hit5 - 0.5).abs() < 1e-12 && (m.coverage5 - 0.5).abs() < 1e-12);
        assert!((m.ndcg10 - 0.3).abs() < 1e-12 && (m.p20 - 0.5).abs() < 1e-12);
        assert_eq!(mean(&[]), Scores::default());
    }
}
