//! Fusion of ranked lists: a weighted sum of normalised scores (reciprocal-rank fusion was
//! measured too and lost on the train split), with a small boost per named label an item
//! carries when label filters had to be relaxed. The lists are dense similarity, BM25, and,
//! when present, similarity to anchor items and collaborative scores.
//!
//! **Normalisation.** Each list's scores are mapped to [0, 1] against a *floor*, the score of
//! the best item that is not in the list: `(s − floor) / (top − floor)`. A list cut at
//! [`DEPTH`] (every dense list: every item has a cosine) has its last score as floor, which is
//! min-max normalisation. A shorter lexical or extra list holds every item that scored at all,
//! so its floor is 0 (or its lowest score if negative): its last item still earns credit over
//! the items it did not match, and a one-item list is scored like any other rather than by a
//! special case. A list whose scores span less than `1e-6` above its floor carries no order —
//! all-equal cosines of an empty query, say — and adds nothing (it used to add its full
//! weight to whichever items the cut happened to keep).

use super::Hit;

/// How deep each single-signal list goes before fusion.
pub const DEPTH: usize = 200;
/// Weights of the normalised scores, chosen on the train split of the Steam queries with
/// `reco eval fusion --catalog steam --split train` (a sweep over the dense weight, lexical
/// fixed at 1): lexical matching is the stronger signal on this metadata-only catalog, dense
/// similarity adds what words miss.
pub const DENSE_WEIGHT: f32 = 0.4;
/// See [`DENSE_WEIGHT`].
pub const LEXICAL_WEIGHT: f32 = 1.0;
const LABEL_BOOST: f32 = 0.004;

/// The weights of the two main signals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Dense similarity.
    pub dense: f32,
    /// BM25.
    pub lexical: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            dense: DENSE_WEIGHT,
            lexical: LEXICAL_WEIGHT,
        }
    }
}

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

/// Fuse ranked lists into the top `k` hits. In [`Mode::Fused`] each list's scores are
/// normalised against its floor (see the module doc) and summed with the lists' weights; in a
/// single-signal mode the raw scores are summed.
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
        let (top, floor) = span(sig);
        let informative = top - floor >= 1e-6;
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
                Mode::Fused if informative => sig.weight * (s - floor) / (top - floor),
                Mode::Fused => 0.0,
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

/// A list's best score and its floor (the score of the best item not in it).
fn span(sig: &Signal<'_>) -> (f32, f32) {
    let top = sig.list.first().map_or(0.0, |x| x.1);
    let last = sig.list.last().map_or(0.0, |x| x.1);
    let complete = sig.source != Source::Dense && sig.list.len() < DEPTH;
    let floor = if complete { last.min(0.0) } else { last };
    (top, floor)
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
        let tail = fuse(Mode::Fused, &two(&[], &lexical), 3, |_| 0);
        assert!(
            tail[2].score > 0.0,
            "a complete list's last item earns credit"
        );
        let hits = fuse(Mode::Lexical, &two(&[], &lexical), 3, |_| 0);
        assert_eq!(
            hits.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![1, 4, 3]
        );
        assert_eq!(hits[0].lexical_rank, Some(1));
    }

    #[test]
    fn lists_without_order_add_nothing() {
        // A cut dense list of equal cosines (an empty query): which items the cut kept is
        // arbitrary, so they must not outrank an item the lexical list found.
        let flat: Vec<(usize, f32)> = (100..100 + DEPTH).map(|i| (i, 0.0)).collect();
        let lexical = [(7, 3.0)];
        let hits = fuse(Mode::Fused, &two(&flat, &lexical), 3, |_| 0);
        assert_eq!(hits[0].index, 7);
        assert!((hits[0].score - LEXICAL_WEIGHT).abs() < 1e-6);
        assert!(hits[1..].iter().all(|h| h.score == 0.0));
        // Equal BM25 scores in a cut list carry no order either.
        let tied: Vec<(usize, f32)> = (0..DEPTH).map(|i| (i, 2.0)).collect();
        let dense = [(500, 0.9), (501, 0.5), (502, 0.1)];
        let hits = fuse(Mode::Fused, &two(&dense, &tied), 1, |_| 0);
        assert_eq!(hits[0].index, 500);
    }
}
