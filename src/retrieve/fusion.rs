//! Fusion of the dense and lexical rankings: a weighted sum of min-max normalised scores
//! (reciprocal-rank fusion was measured too and lost on the train split), with
//! a small boost per named label an item carries when label filters had to be relaxed.

use super::Hit;

/// How deep each single-signal list goes before fusion.
pub const DEPTH: usize = 200;
/// Weights of the normalised scores, chosen on the train split of the Steam queries
/// (`reco eval retrieval --split train`): lexical matching is the stronger signal on this
/// metadata-only catalog, dense similarity adds what words miss.
const DENSE_WEIGHT: f32 = 0.4;
const LEXICAL_WEIGHT: f32 = 1.0;
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

/// Fuse ranked (index, score) lists into the top `k` hits.
#[must_use]
pub fn fuse(
    mode: Mode,
    dense: &[(usize, f32)],
    lexical: &[(usize, f32)],
    k: usize,
    boost: impl Fn(usize) -> usize,
) -> Vec<Hit> {
    let mut hits: std::collections::HashMap<usize, Hit> = std::collections::HashMap::new();
    for (weight, list, is_dense) in [
        (DENSE_WEIGHT, dense, true),
        (LEXICAL_WEIGHT, lexical, false),
    ] {
        let top = list.first().map_or(1.0, |x| x.1.max(1e-6));
        let bottom = list.last().map_or(0.0, |x| x.1);
        for (r, &(i, s)) in list.iter().enumerate() {
            // Scores are min-max normalised within each list (best = 1, the list's last = 0).
            let h = hits.entry(i).or_insert(Hit {
                index: i,
                score: 0.0,
                dense_rank: None,
                lexical_rank: None,
            });
            if is_dense {
                h.dense_rank = Some(r + 1);
            } else {
                h.lexical_rank = Some(r + 1);
            }
            h.score += match mode {
                // A list whose scores are all equal (one item, say) counts fully.
                Mode::Fused if top - bottom < 1e-6 => weight,
                Mode::Fused => weight * (s - bottom) / (top - bottom),
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

    #[test]
    fn fusion_rewards_agreement() {
        let dense = [(1, 0.9), (2, 0.5), (3, 0.1)];
        let lexical = [(1, 5.0), (4, 4.0), (3, 1.0)];
        let hits = fuse(Mode::Fused, &dense, &lexical, 2, |_| 0);
        let ids: Vec<usize> = hits.iter().map(|h| h.index).collect();
        assert_eq!(ids, vec![1, 4]);
        assert_eq!(
            (hits[0].dense_rank, hits[0].lexical_rank),
            (Some(1), Some(1))
        );
        let single = fuse(Mode::Fused, &dense, &[(3, 2.0)], 1, |_| 0);
        assert_eq!(single[0].index, 3, "a one-item lexical list still counts");
        let hits = fuse(Mode::Lexical, &[], &lexical, 3, |_| 0);
        assert_eq!(
            hits.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![1, 4, 3]
        );
        assert_eq!(hits[0].lexical_rank, Some(1));
    }
}
