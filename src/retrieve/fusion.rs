//! Fusion of ranked lists: a weighted sum of min-max normalised scores (reciprocal-rank
//! fusion was measured too and lost on the train split), with a small boost per named label
//! an item carries when label filters had to be relaxed. The lists are dense similarity,
//! BM25, and, when present, similarity to anchor items and collaborative scores.

use super::Hit;

/// How deep each single-signal list goes before fusion.
pub const DEPTH: usize = 200;
/// Weights of the normalised scores, chosen on the train split of the Steam queries
/// (`reco eval retrieval --split train`): lexical matching is the stronger signal on this
/// metadata-only catalog, dense similarity adds what words miss.
pub const DENSE_WEIGHT: f32 = 0.4;
/// See [`DENSE_WEIGHT`].
pub const LEXICAL_WEIGHT: f32 = 1.0;
const LABEL_BOOST: f32 = 0.004;

/// Which signals a search uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// BM25 only.
    Lexical,
    /// Embedding similarity only.
    Dense,
    /// Both, fused.
    Fused,
}

impl Mode {
    /// Whether the dense signal is used.
    #[must_use]
    pub fn uses_dense(self) -> bool {
        matches!(self, Mode::Dense | Mode::Fused)
    }

    /// Whether the lexical signal is used.
    #[must_use]
    pub fn uses_lexical(self) -> bool {
        matches!(self, Mode::Lexical | Mode::Fused)
    }

    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Lexical => "lexical",
            Mode::Dense => "dense",
            Mode::Fused => "fused",
        }
    }
}

/// What a fused list is, for the ranks recorded in [`Hit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Dense similarity.
    Dense,
    /// BM25.
    Lexical,
    /// Anything else (anchor similarity, collaborative scores).
    Other,
}

/// One ranked list with its weight.
#[derive(Debug, Clone, Copy)]
pub struct Signal<'a> {
    /// Weight of the normalised scores.
    pub weight: f32,
    /// (item index, score), best first.
    pub list: &'a [(usize, f32)],
    /// What it is.
    pub source: Source,
}

/// Fuse ranked lists into the top `k` hits. In [`Mode::Fused`] each list's scores are min-max
/// normalised (best = 1, the list's last = 0; a list whose scores are all equal counts fully)
/// and summed with the lists' weights; in a single-signal mode the raw scores are summed.
#[must_use]
pub fn fuse(
    mode: Mode,
    signals: &[Signal<'_>],
    k: usize,
    boost: impl Fn(usize) -> usize,
) -> Vec<Hit> {
    let mut hits: std::collections::HashMap<usize, Hit> = std::collections::HashMap::new();
    for sig in signals {
        let list = sig.list;
        let top = list.first().map_or(1.0, |x| x.1.max(1e-6));
        let bottom = list.last().map_or(0.0, |x| x.1);
        for (r, &(i, s)) in list.iter().enumerate() {
            let h = hits.entry(i).or_insert(Hit {
                index: i,
                score: 0.0,
                dense_rank: None,
                lexical_rank: None,
            });
            match sig.source {
                Source::Dense => h.dense_rank = Some(r + 1),
                Source::Lexical => h.lexical_rank = Some(r + 1),
                Source::Other => {}
            }
            h.score += match mode {
                Mode::Fused if top - bottom < 1e-6 => sig.weight,
                Mode::Fused => sig.weight * (s - bottom) / (top - bottom),
                _ => s,
            };
        }
    }
    let mut out: Vec<Hit> = hits
        .into_values()
        .map(|mut h| {
            h.score += LABEL_BOOST * boost(h.index) as f32;
            h
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    out.truncate(k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two<'a>(dense: &'a [(usize, f32)], lexical: &'a [(usize, f32)]) -> [Signal<'a>; 2] {
        [
            Signal {
                weight: DENSE_WEIGHT,
                list: dense,
                source: Source::Dense,
            },
            Signal {
                weight: LEXICAL_WEIGHT,
                list: lexical,
                source: Source::Lexical,
            },
        ]
    }

    #[test]
    fn fusion_rewards_agreement() {
        let dense = [(1, 0.9), (2, 0.5), (3, 0.1)];
        let lexical = [(1, 5.0), (4, 4.0), (3, 1.0)];
        let hits = fuse(Mode::Fused, &two(&dense, &lexical), 2, |_| 0);
        let ids: Vec<usize> = hits.iter().map(|h| h.index).collect();
        assert_eq!(ids, vec![1, 4]);
        assert_eq!(
            (hits[0].dense_rank, hits[0].lexical_rank),
            (Some(1), Some(1))
        );
        let single = fuse(Mode::Fused, &two(&dense, &[(3, 2.0)]), 1, |_| 0);
        assert_eq!(single[0].index, 3, "a one-item lexical list still counts");
        let hits = fuse(Mode::Lexical, &two(&[], &lexical), 3, |_| 0);
        assert_eq!(
            hits.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![1, 4, 3]
        );
        assert_eq!(hits[0].lexical_rank, Some(1));
    }
}
