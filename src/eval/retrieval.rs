//! Scores lexical-only, dense-only and fused retrieval on a generated query set: per query
//! type and overall, Hit@5, Coverage@5, nDCG@10 and P@20.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    metrics::{self, IdealCounts, Scores},
    queries::{GradeContext, Query, QueryType},
};
use crate::{
    catalog::Item,
    retrieve::{Mode, SearchOptions, Searcher},
    Result,
};

/// The three retrieval variants compared.
pub const MODES: [Mode; 3] = [Mode::Lexical, Mode::Dense, Mode::Fused];

/// Mean scores of one mode.
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

/// The whole report: means over all queries and per type, for each mode.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Catalog evaluated.
    pub catalog: String,
    /// Number of queries scored.
    pub queries: usize,
    /// Mean over every query, by mode name.
    pub mean: BTreeMap<&'static str, ModeScores>,
    /// Per query type, by mode name.
    pub per_type: BTreeMap<&'static str, BTreeMap<&'static str, ModeScores>>,
    /// Queries per type.
    pub counts: BTreeMap<&'static str, usize>,
}

/// Score every query with each mode.
pub fn run(searcher: &Searcher, queries: &[Query], progress: bool) -> Result<Report> {
    let items: &[Item] = searcher.retriever.items();
    let ctx = GradeContext::new(items);
    let mut all: BTreeMap<&'static str, Vec<Scores>> = BTreeMap::new();
    let mut by_type: BTreeMap<&'static str, BTreeMap<&'static str, Vec<Scores>>> = BTreeMap::new();
    let bar = crate::progress::bar(
        progress,
        queries.len() as u64,
        "evaluating [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        "",
    );
    for q in queries {
        let ideal = IdealCounts::compute(q, items, &ctx);
        let parsed = searcher.retriever.parse(&q.text)?;
        let qv = searcher.embedder.embed_one(&parsed.text)?;
        for mode in MODES {
            let opts = SearchOptions {
                k: 20,
                mode,
                exclude: q.exclude.iter().cloned().collect(),
                ..SearchOptions::default()
            };
            let r = searcher
                .retriever
                .search_parsed(parsed.clone(), Some(&qv), &opts)?;
            let ranking: Vec<&Item> = r.hits.iter().map(|h| &items[h.index]).collect();
            let s = metrics::score(q, &ranking, &ideal, &ctx);
            all.entry(mode.as_str()).or_default().push(s);
            by_type
                .entry(q.kind.as_str())
                .or_default()
                .entry(mode.as_str())
                .or_default()
                .push(s);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mean = all
        .iter()
        .map(|(m, v)| (*m, metrics::mean(v).into()))
        .collect();
    let mut counts = BTreeMap::new();
    for t in QueryType::ALL {
        counts.insert(t.as_str(), queries.iter().filter(|q| q.kind == t).count());
    }
    let per_type = by_type
        .into_iter()
        .map(|(t, modes)| {
            (
                t,
                modes
                    .iter()
                    .map(|(m, v)| (*m, metrics::mean(v).into()))
                    .collect(),
            )
        })
        .collect();
    Ok(Report {
        catalog: searcher.retriever.catalog().to_string(),
        queries: queries.len(),
        mean,
        per_type,
        counts,
    })
}

/// The report as a Markdown table.
#[must_use]
pub fn table(r: &Report) -> String {
    let mut s = format!(
        "retrieval on `{}`: {} queries\n\n| type | n | mode | Hit@5 | Cov@5 | nDCG@10 | P@20 |\n|---|---:|---|---:|---:|---:|---:|\n",
        r.catalog, r.queries
    );
    let row = |s: &mut String, t: &str, n: usize, m: &str, x: &ModeScores| {
        s.push_str(&format!(
            "| {t} | {n} | {m} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
            x.hit5, x.coverage5, x.ndcg10, x.p20
        ));
    };
    for t in QueryType::ALL {
        if let Some(modes) = r.per_type.get(t.as_str()) {
            for m in MODES {
                if let Some(x) = modes.get(m.as_str()) {
                    row(
                        &mut s,
                        t.as_str(),
                        r.counts.get(t.as_str()).copied().unwrap_or(0),
                        m.as_str(),
                        x,
                    );
                }
            }
        }
    }
    for m in MODES {
        if let Some(x) = r.mean.get(m.as_str()) {
            row(&mut s, "**mean**", r.queries, m.as_str(), x);
        }
    }
    s
}
