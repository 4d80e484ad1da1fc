//! Scores rankers on a generated query set: per query type, Hit@5, Coverage@5, nDCG@10 and
//! P@20; over types, macro means with bootstrap 95 % intervals; between rankers, paired
//! comparisons on the same queries ([`metrics::paired`]).
//!
//! A [`Ranker`] is a named (searcher, mode) pair: `reco eval retrieval` compares lexical,
//! dense and fused retrieval of one searcher; `reco adapter eval` compares the same mode with
//! and without a query adapter (two searchers that share one catalog and one backbone). Each
//! query is parsed and embedded once; each ranker adapts the vector its own way.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    metrics::{self, IdealCounts, Interval, Scores},
    queries::{GradeContext, Query, QueryType},
};
use crate::{
    catalog::Item,
    retrieve::{fusion::Weights, Mode, SearchOptions, Searcher},
    Error, Result,
};

/// The three retrieval variants `reco eval retrieval` compares.
pub const MODES: [Mode; 3] = [Mode::Lexical, Mode::Dense, Mode::Fused];

/// Seed of the bootstrap resampling (fixed: reports are reproducible).
const BOOTSTRAP_SEED: u64 = 0x5EED;

/// One way to rank: a searcher (with or without an adapter) and a mode.
#[derive(Debug, Clone)]
pub struct Ranker<'a> {
    /// Name in reports ("fused", "base", "adapted").
    pub name: String,
    /// The searcher.
    pub searcher: &'a Searcher,
    /// The signals used.
    pub mode: Mode,
    /// Fusion weights (fused mode).
    pub weights: Weights,
}

impl<'a> Ranker<'a> {
    /// A ranker with the searcher's own fusion weights (its adapter's, or the defaults).
    #[must_use]
    pub fn new(name: impl Into<String>, searcher: &'a Searcher, mode: Mode) -> Self {
        Self {
            name: name.into(),
            searcher,
            mode,
            weights: searcher.weights(),
        }
    }
}

/// Mean scores (of one type, or macro means over types).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ModeScores {
    /// Hit@5.
    #[serde(rename = "hit@5")]
    pub hit5: f64,
    /// Coverage@5.
    #[serde(rename = "coverage@5")]
    pub coverage5: f64,
    /// nDCG@10.
    #[serde(rename = "ndcg@10")]
    pub ndcg10: f64,
    /// P@20.
    #[serde(rename = "p@20")]
    pub p20: f64,
}

impl From<Scores> for ModeScores {
    fn from(s: Scores) -> Self {
        Self {
            hit5: s.hit5,
            coverage5: s.coverage5,
            ndcg10: s.ndcg10,
            p20: s.p20,
        }
    }
}

/// One number per metric, named as in [`ModeScores`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PerMetric<T> {
    /// Hit@5.
    #[serde(rename = "hit@5")]
    pub hit5: T,
    /// Coverage@5.
    #[serde(rename = "coverage@5")]
    pub coverage5: T,
    /// nDCG@10.
    #[serde(rename = "ndcg@10")]
    pub ndcg10: T,
    /// P@20.
    #[serde(rename = "p@20")]
    pub p20: T,
}

impl<T: Copy> From<[T; 4]> for PerMetric<T> {
    fn from(a: [T; 4]) -> Self {
        Self {
            hit5: a[0],
            coverage5: a[1],
            ndcg10: a[2],
            p20: a[3],
        }
    }
}

/// Macro means over query types with their 95 % intervals.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    /// The macro means.
    #[serde(flatten)]
    pub scores: ModeScores,
    /// Bootstrap 95 % intervals of the macro means.
    pub ci95: PerMetric<Interval>,
}

/// A paired comparison of two rankers on the same queries.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The ranker hoped to be better.
    pub a: String,
    /// The ranker it is compared with.
    pub b: String,
    /// Macro mean of the per-query differences A − B.
    pub diff: ModeScores,
    /// Their 95 % intervals.
    pub ci95: PerMetric<Interval>,
    /// Share of bootstrap resamples in which A − B ≤ 0 (one-sided p-value).
    pub p: PerMetric<f64>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Catalog evaluated.
    pub catalog: String,
    /// Number of queries scored.
    pub queries: usize,
    /// Ranker names, in the order given.
    pub rankers: Vec<String>,
    /// Macro mean over query types, by ranker.
    pub mean: BTreeMap<String, Summary>,
    /// Per query type, by ranker.
    pub per_type: BTreeMap<&'static str, BTreeMap<String, ModeScores>>,
    /// Queries per type.
    pub counts: BTreeMap<&'static str, usize>,
    /// Paired comparisons added with [`Report::compare`].
    pub paired: Vec<Comparison>,
    /// Per type, the Hit@5 ceiling of a ranker that knows every item's grade up to 2 but
    /// cannot tell the target from the other items that meet every condition (grade 2): the
    /// mean over queries of min(1, 5 / items of grade ≥ 2); for target-less types 1 when any
    /// item meets the query. What no ranker reading only the query can beat on average.
    pub hit5_ceiling: BTreeMap<&'static str, f64>,
    /// Macro mean of [`Report::hit5_ceiling`].
    pub hit5_ceiling_mean: f64,
    /// Per ranker, per type (in [`QueryType::ALL`] order), per query.
    #[serde(skip)]
    pub scores: BTreeMap<String, Vec<Vec<Scores>>>,
}

/// Score every query with every ranker.
pub fn run(rankers: &[Ranker<'_>], queries: &[Query], progress: bool) -> Result<Report> {
    let first = rankers
        .first()
        .ok_or_else(|| Error::Invalid("no ranker to evaluate".into()))?;
    let items: &[Item] = first.searcher.retriever.items();
    if rankers
        .iter()
        .any(|r| r.searcher.retriever.catalog() != first.searcher.retriever.catalog())
    {
        return Err(Error::Invalid(
            "rankers compared must search the same catalog".into(),
        ));
    }
    let ctx = GradeContext::new(items);
    let mut scores: BTreeMap<String, Vec<Vec<Scores>>> = rankers
        .iter()
        .map(|r| (r.name.clone(), vec![Vec::new(); QueryType::ALL.len()]))
        .collect();
    let bar = crate::progress::bar(
        progress,
        queries.len() as u64,
        "evaluating [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        "",
    );
    let mut ceiling = vec![Vec::new(); QueryType::ALL.len()];
    for q in queries {
        let ideal = IdealCounts::compute(q, items, &ctx);
        let met = ideal.counts[2] + ideal.counts[3];
        ceiling[type_index(q.kind)].push(match (q.kind.has_target(), met) {
            (_, 0) => 0.0,
            (true, n) => (5.0 / n as f64).min(1.0),
            (false, _) => 1.0,
        });
        let parsed = first.searcher.retriever.parse(&q.text)?;
        let needs_vector = rankers.iter().any(|r| r.mode.uses_dense());
        let base = if needs_vector {
            Some(first.searcher.embedder.embed_one(&parsed.text)?)
        } else {
            None
        };
        let t = type_index(q.kind);
        for r in rankers {
            let qv = match &base {
                Some(v) if r.mode.uses_dense() => Some(r.searcher.adapt(v, &parsed.text)?),
                _ => None,
            };
            let opts = SearchOptions {
                k: 20,
                mode: r.mode,
                weights: r.weights,
                exclude: q.exclude.iter().cloned().collect(),
                ..SearchOptions::default()
            };
            let res = r
                .searcher
                .retriever
                .search_parsed(parsed.clone(), qv.as_deref(), &opts)?;
            let ranking: Vec<&Item> = res.hits.iter().map(|h| &items[h.index]).collect();
            if let Some(per) = scores.get_mut(&r.name) {
                per[t].push(metrics::score(q, &ranking, &ideal, &ctx));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut report = Report {
        catalog: first.searcher.retriever.catalog().to_string(),
        queries: queries.len(),
        rankers: rankers.iter().map(|r| r.name.clone()).collect(),
        mean: BTreeMap::new(),
        per_type: BTreeMap::new(),
        counts: BTreeMap::new(),
        paired: Vec::new(),
        hit5_ceiling: BTreeMap::new(),
        hit5_ceiling_mean: 0.0,
        scores: BTreeMap::new(),
    };
    let mut typed = Vec::new();
    for (i, kind) in QueryType::ALL.iter().enumerate() {
        if !ceiling[i].is_empty() {
            let m = ceiling[i].iter().sum::<f64>() / ceiling[i].len() as f64;
            report.hit5_ceiling.insert(kind.as_str(), m);
            typed.push(m);
        }
    }
    report.hit5_ceiling_mean = typed.iter().sum::<f64>() / typed.len().max(1) as f64;
    for (i, kind) in QueryType::ALL.iter().enumerate() {
        let n = queries.iter().filter(|q| q.kind == *kind).count();
        report.counts.insert(kind.as_str(), n);
        if n == 0 {
            continue;
        }
        let row = scores
            .iter()
            .map(|(name, per)| (name.clone(), metrics::mean(&per[i]).into()))
            .collect();
        report.per_type.insert(kind.as_str(), row);
    }
    for (name, per) in &scores {
        let ci = metrics::bootstrap(per, metrics::RESAMPLES, BOOTSTRAP_SEED);
        report.mean.insert(
            name.clone(),
            Summary {
                scores: metrics::macro_mean(per).into(),
                ci95: ci.into(),
            },
        );
    }
    report.scores = scores;
    Ok(report)
}

fn type_index(kind: QueryType) -> usize {
    QueryType::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

impl Report {
    /// Add a paired comparison of ranker `a` against ranker `b`.
    ///
    /// # Errors
    /// [`Error::Invalid`] when either ranker is not in the report.
    pub fn compare(&mut self, a: &str, b: &str) -> Result<()> {
        let get = |n: &str| {
            self.scores
                .get(n)
                .ok_or_else(|| Error::Invalid(format!("no ranker `{n}` in the report")))
        };
        let p = metrics::paired(get(a)?, get(b)?, metrics::RESAMPLES, BOOTSTRAP_SEED);
        self.paired.push(Comparison {
            a: a.to_string(),
            b: b.to_string(),
            diff: p.diff.into(),
            ci95: p.ci95.into(),
            p: p.p.into(),
        });
        Ok(())
    }
}

/// The report as Markdown tables: per type, macro means with intervals, paired comparisons.
#[must_use]
pub fn table(r: &Report) -> String {
    let mut s = format!(
        "retrieval on `{}`: {} queries\n\n| type | n | ranker | Hit@5 | Cov@5 | nDCG@10 | P@20 |\n|---|---:|---|---:|---:|---:|---:|\n",
        r.catalog, r.queries
    );
    for t in QueryType::ALL {
        let Some(row) = r.per_type.get(t.as_str()) else {
            continue;
        };
        let n = r.counts.get(t.as_str()).copied().unwrap_or(0);
        for name in &r.rankers {
            if let Some(x) = row.get(name) {
                s.push_str(&format!(
                    "| {t} | {n} | {name} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
                    x.hit5, x.coverage5, x.ndcg10, x.p20
                ));
            }
        }
        if let Some(c) = r.hit5_ceiling.get(t.as_str()) {
            s.push_str(&format!("| {t} | {n} | *ceiling* | {c:.3} | | | |\n"));
        }
    }
    let ci = |v: f64, i: Interval| format!("{v:.3} [{:.3}, {:.3}]", i[0], i[1]);
    s.push_str(&format!(
        "\nmacro mean over {} types, bootstrap 95 % intervals\n\n| ranker | Hit@5 | Cov@5 | nDCG@10 | P@20 |\n|---|---:|---:|---:|---:|\n",
        r.per_type.len()
    ));
    for name in &r.rankers {
        if let Some(m) = r.mean.get(name) {
            let (x, c) = (m.scores, m.ci95);
            s.push_str(&format!(
                "| {name} | {} | {} | {} | {} |\n",
                ci(x.hit5, c.hit5),
                ci(x.coverage5, c.coverage5),
                ci(x.ndcg10, c.ndcg10),
                ci(x.p20, c.p20)
            ));
        }
    }
    s.push_str(&format!(
        "| *ceiling* | {:.3} | | | |\n\n*ceiling*: the best Hit@5 a ranker can expect when it knows which items meet every condition of the query but cannot tell the target from the others that do (mean of min(1, 5 / such items)).\n",
        r.hit5_ceiling_mean
    ));
    if !r.paired.is_empty() {
        s.push_str("\npaired differences (A − B, macro mean), 95 % intervals, p = share of resamples with A − B ≤ 0\n\n| A − B | Hit@5 | Cov@5 | nDCG@10 | P@20 |\n|---|---:|---:|---:|---:|\n");
        for c in &r.paired {
            let cell = |v: f64, i: Interval, p: f64| {
                format!("{v:+.3} [{:+.3}, {:+.3}] p={p:.3}", i[0], i[1])
            };
            s.push_str(&format!(
                "| {} − {} | {} | {} | {} | {} |\n",
                c.a,
                c.b,
                cell(c.diff.hit5, c.ci95.hit5, c.p.hit5),
                cell(c.diff.coverage5, c.ci95.coverage5, c.p.coverage5),
                cell(c.diff.ndcg10, c.ci95.ndcg10, c.p.ndcg10),
                cell(c.diff.p20, c.ci95.p20, c.p.p20)
            ));
        }
    }
    s
}
