//! The collaborative ranker: what people did with a catalog, turned into scores.
//!
//! In: a catalog ([`Retriever`], for item indices) and its [`Interaction`]s (users'
//! histories, sessions, dialogues). Out: a [`Collab`] model that scores catalog items from
//! the items a conversation has mentioned or liked ([`Collab::related`]: co-occurrence,
//! popularity-normalised item-kNN or EASE, see [`Method`]), from the words the person used
//! ([`Collab::word_scores`]: item descriptions learned from the words people use around each
//! item's mentions in dialogues), and from popularity alone ([`Collab::popular`], the
//! cold-start prior). [`Collab::extra`] turns these into the weighted lists that
//! [`super::SearchOptions::extra`] fuses with dense and lexical retrieval.
//!
//! Training is counting (plus one matrix inverse for EASE): a 7k-item model over the ReDial
//! dialogues trains in well under a second, so a model is simply retrained whenever the
//! stored interactions change (their version moves).

mod ease;
mod train;
mod words;

use std::time::Instant;

use serde::Serialize;

use super::{dense::top_k, Retriever};
use crate::{catalog::interactions::Interaction, Result};

pub use words::{WordModel, STOPWORDS};

/// The method the product uses (chosen on the ReDial replay; see docs/ARCHITECTURE.md).
pub const DEFAULT_METHOD: Method = Method::Cooccurrence;

/// Neighbours kept per item.
pub const NEIGHBOURS: usize = 300;

/// How item-to-item scores are learned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Method {
    /// Raw co-occurrence counts (interactions holding both items).
    Cooccurrence,
    /// Co-occurrence over `pop(a)^(1-alpha) · pop(b)^alpha`: `alpha` 0.5 is cosine, lower
    /// values punish popular neighbours less.
    Knn {
        /// Popularity exponent of the neighbour.
        alpha: f32,
    },
    /// EASE (Steck, WWW 2019): ridge regression of each item on all others, closed form.
    Ease {
        /// L2 penalty.
        lambda: f32,
    },
    /// RP3β (Paudel et al., TiiS 2017): three-step random walk item → interaction → item,
    /// transition probabilities raised to `alpha`, divided by the target's popularity to the
    /// `beta`. With `beta` 0 this is P3α (Cooper et al., WWW 2014): a seed's co-occurrences
    /// become a distribution, and a long interaction's pairs count less than a short one's.
    Rp3 {
        /// Exponent of the transition probabilities.
        alpha: f32,
        /// Popularity penalty of the target item.
        beta: f32,
    },
}

impl Method {
    /// Parse `cooc`, `knn[:alpha]`, `ease[:lambda]`, `rp3[:alpha[,beta]]`.
    pub fn parse(s: &str) -> Result<Self> {
        let (name, args) = s.split_once(':').unwrap_or((s, ""));
        let mut args = args.split(',');
        let mut num = |default: f32| -> Result<f32> {
            match args.next().map(str::trim) {
                None | Some("") => Ok(default),
                Some(arg) => arg
                    .parse::<f32>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        crate::Error::Invalid(format!("`{s}`: `{arg}` is not a number ≥ 0"))
                    }),
            }
        };
        let m = match name {
            "cooc" | "cooccurrence" => Self::Cooccurrence,
            "knn" => Self::Knn { alpha: num(0.2)? },
            "ease" => Self::Ease { lambda: num(50.0)? },
            "rp3" => Self::Rp3 {
                alpha: num(1.0)?,
                beta: num(0.0)?,
            },
            _ => {
                return Err(crate::Error::Invalid(format!(
                    "collaborative method `{s}`: expected cooc, knn[:alpha], ease[:lambda] or rp3[:alpha[,beta]]"
                )))
            }
        };
        if args.next().is_some() {
            return Err(crate::Error::Invalid(format!(
                "collaborative method `{s}`: too many parameters"
            )));
        }
        Ok(m)
    }
}

/// Weights of the collaborative lists in the fused ranking (dense is 0.4, lexical 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    /// Items related to those mentioned or liked.
    pub related: f32,
    /// Learned descriptions matched against the person's words.
    pub words: f32,
    /// Popularity among the interactions.
    pub popularity: f32,
    /// Factor on the content signals (dense, lexical, anchor labels) when this model is used.
    pub content: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            related: 2.0,
            words: 0.6,
            popularity: 0.3,
            // Measured on the ReDial replay (docs/ARCHITECTURE.md): at 1 the content signals,
            // which find almost nothing on titles-only items, pull Recall@10 from 0.205 to 0.155.
            content: 0.25,
        }
    }
}

/// What training saw and how long it took.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct TrainStats {
    /// Interactions used.
    pub interactions: usize,
    /// Catalog items that occur in them.
    pub items: usize,
    /// Item pairs with a co-occurrence.
    pub pairs: usize,
    /// Words with learned item associations.
    pub words: usize,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// A trained collaborative model over one catalog.
#[derive(Debug, Clone)]
pub struct Collab {
    n: usize,
    popularity: Vec<f32>,
    cooc: Vec<Vec<(u32, f32)>>,
    related: Vec<Vec<(u32, f32)>>,
    words: WordModel,
    /// How `related` was learned.
    pub method: Method,
    /// Weights of the lists handed to fusion.
    pub weights: Weights,
    /// Training statistics.
    pub stats: TrainStats,
}

impl Collab {
    /// Train on `interactions` (ids the catalog lacks are ignored).
    pub fn train(r: &Retriever, interactions: &[Interaction], method: Method) -> Result<Self> {
        let t = Instant::now();
        let sets = train::index_sets(r, interactions);
        let n = r.items().len();
        let (popularity, cooc) = train::cooccurrence(n, &sets);
        let related = match method {
            Method::Cooccurrence => cooc.clone(),
            Method::Knn { alpha } => train::knn(&popularity, &cooc, alpha),
            Method::Ease { lambda } => ease::train(&popularity, &cooc, lambda)?,
            Method::Rp3 { alpha, beta } => train::rp3(n, &sets, &popularity, alpha, beta),
        };
        let words = WordModel::train(r, interactions);
        let stats = TrainStats {
            interactions: sets.iter().filter(|s| !s.is_empty()).count(),
            items: popularity.iter().filter(|p| **p > 0.0).count(),
            pairs: cooc.iter().map(Vec::len).sum::<usize>() / 2,
            words: words.len(),
            seconds: t.elapsed().as_secs_f64(),
        };
        Ok(Self {
            n,
            popularity,
            cooc,
            related: related
                .into_iter()
                .map(|mut v| {
                    v.truncate(NEIGHBOURS);
                    v
                })
                .collect(),
            words,
            method,
            weights: Weights::default(),
            stats,
        })
    }

    /// Interactions holding item `i`.
    #[must_use]
    pub fn popularity_of(&self, i: usize) -> f32 {
        self.popularity.get(i).copied().unwrap_or(0.0)
    }

    /// The `k` most popular items `keep` admits.
    #[must_use]
    pub fn popular(&self, k: usize, keep: &dyn Fn(usize) -> bool) -> Vec<(usize, f32)> {
        top_k(&self.popularity, k, |i| self.popularity[i] > 0.0 && keep(i))
    }

    /// Items related to the weighted `seeds`, by the trained method.
    #[must_use]
    pub fn related(
        &self,
        seeds: &[(usize, f32)],
        k: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        self.spread(&self.related, seeds, k, keep)
    }

    /// Items by raw co-occurrence with the seeds (the baseline).
    #[must_use]
    pub fn cooccurrence(
        &self,
        seeds: &[(usize, f32)],
        k: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        self.spread(&self.cooc, seeds, k, keep)
    }

    fn spread(
        &self,
        rows: &[Vec<(u32, f32)>],
        seeds: &[(usize, f32)],
        k: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        if seeds.is_empty() {
            return Vec::new();
        }
        let mut s = vec![0f32; self.n];
        for &(i, w) in seeds {
            for &(j, x) in rows.get(i).map_or(&[][..], Vec::as_slice) {
                s[j as usize] += w * x;
            }
        }
        top_k(&s, k, |i| s[i] > 0.0 && keep(i))
    }

    /// Items whose learned descriptions match the weighted texts.
    #[must_use]
    pub fn word_scores(
        &self,
        texts: &[(&str, f32)],
        k: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let s = self.words.scores(self.n, texts);
        top_k(&s, k, |i| s[i] > 0.0 && keep(i))
    }

    /// The weighted lists for fusion: related items (when there are seeds), description
    /// matches (when the texts have words the model knows), and the popularity prior.
    #[must_use]
    pub fn extra(
        &self,
        seeds: &[(usize, f32)],
        texts: &[(&str, f32)],
        depth: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<(f32, Vec<(usize, f32)>)> {
        let w = self.weights;
        let mut out = Vec::new();
        if w.related > 0.0 && !seeds.is_empty() {
            out.push((w.related, self.related(seeds, depth, keep)));
        }
        if w.words > 0.0 {
            out.push((w.words, self.word_scores(texts, depth, keep)));
        }
        if w.popularity > 0.0 {
            out.push((w.popularity, self.popular(depth, keep)));
        }
        out.retain(|(_, l)| !l.is_empty());
        out
    }

    /// Learned descriptions: for every item with enough evidence, its most telling words.
    #[must_use]
    pub fn descriptions(&self, r: &Retriever) -> Vec<(String, String)> {
        self.words
            .descriptions(self.n)
            .into_iter()
            .filter_map(|(i, d)| r.items().get(i).map(|it| (it.id.clone(), d)))
            .collect()
    }
}
