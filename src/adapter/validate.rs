//! Scoring a query adapter on the validation split (early stopping) and choosing the fusion
//! weights of the adapted backbone there.

use rayon::prelude::*;

use super::{train_data::Prepared, FusionWeights, QueryAdapter};
use crate::{
    embed::TokenStates,
    eval::{
        metrics::{self, IdealCounts, Scores},
        queries::{GradeContext, Query, QueryType},
    },
    retrieve::{fusion::Weights, Mode, Retriever, SearchOptions},
    Result,
};

/// Dense weights tried when choosing fusion weights on the validation split.
const DENSE_GRID: [f32; 7] = [0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0];

/// Validation queries with their vectors and ideal grade counts, computed once.
pub(super) struct Validation<'q> {
    queries: &'q [Query],
    vectors: &'q [f32],
    tokens: &'q [TokenStates],
    ideal: Vec<IdealCounts>,
}

impl<'q> Validation<'q> {
    pub(super) fn new(retriever: &Retriever, data: &'q Prepared) -> Self {
        let items = retriever.items();
        let ctx = GradeContext::new(items);
        let ideal = data
            .validation
            .par_iter()
            .map(|q| IdealCounts::compute(q, items, &ctx))
            .collect();
        Self {
            queries: &data.validation,
            vectors: &data.validation_vectors,
            tokens: &data.validation_tokens,
            ideal,
        }
    }

    /// Macro mean over types of (Hit@5 + nDCG@10) / 2 of one ranking.
    pub(super) fn score(
        &self,
        r: &Retriever,
        adapter: Option<&QueryAdapter>,
        mode: Mode,
        weights: Weights,
    ) -> Result<f64> {
        let items = r.items();
        let ctx = GradeContext::new(items);
        let d = self.vectors.len() / self.queries.len().max(1);
        let scored: Vec<(usize, Scores)> = self
            .queries
            .par_iter()
            .enumerate()
            .map(|(i, q)| -> Result<(usize, Scores)> {
                let base = &self.vectors[i * d..(i + 1) * d];
                let qv = match adapter {
                    Some(a) => a.adapt(base, self.tokens.get(i))?,
                    None => base.to_vec(),
                };
                let opts = SearchOptions {
                    k: 20,
                    mode,
                    exclude: q.exclude.iter().cloned().collect(),
                    weights,
                    ..SearchOptions::default()
                };
                let res = r.search_parsed(r.parse(&q.text)?, Some(&qv), &opts)?;
                let ranking: Vec<_> = res.hits.iter().map(|h| &items[h.index]).collect();
                let t = QueryType::ALL
                    .iter()
                    .position(|k| *k == q.kind)
                    .unwrap_or(0);
                Ok((t, metrics::score(q, &ranking, &self.ideal[i], &ctx)))
            })
            .collect::<Result<_>>()?;
        let mut groups = vec![Vec::new(); QueryType::ALL.len()];
        for (t, s) in scored {
            groups[t].push(s);
        }
        let m = metrics::macro_mean(&groups);
        Ok((m.hit5 + m.ndcg10) / 2.0)
    }
}

/// The dense weight (lexical fixed at 1) that scores best on the validation split.
pub(super) fn tune_fusion(
    r: &Retriever,
    valid: &Validation<'_>,
    adapter: &QueryAdapter,
) -> Result<(FusionWeights, f64)> {
    let mut best = (
        FusionWeights {
            dense: 0.0,
            lexical: 1.0,
        },
        f64::MIN,
    );
    for dense in DENSE_GRID {
        let w = Weights {
            dense,
            lexical: 1.0,
        };
        let s = valid.score(r, Some(adapter), Mode::Fused, w)?;
        if s > best.1 + 1e-9 {
            best = (
                FusionWeights {
                    dense,
                    lexical: 1.0,
                },
                s,
            );
        }
    }
    Ok(best)
}
