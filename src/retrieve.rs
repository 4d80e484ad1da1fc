//! Retrieval: a query's text in, ranked catalog items out.
//!
//! [`Retriever`] holds one catalog in memory — items, their vectors (row-aligned with the
//! items), a BM25 index, the label vocabulary and a title matcher — and answers
//! [`Retriever::search_parsed`]: hard filters parsed from the text ([`filters`]), exact dense
//! similarity ([`dense`]), BM25 with typo tolerance ([`lexical`]), similarity to the items
//! the request is anchored on ([`anchor`]: "like Portal"), fused as a weighted sum of
//! min-max-normalised scores ([`fusion`]); add-ons (DLC, soundtracks, demos, packs) rank
//! after base items unless the query asks for them. [`collab`] learns item-to-item and
//! word-to-item scores from interactions, fused as extra lists. [`Searcher`] adds the embedder
//! that turns the query into a vector, and optionally a per-catalog query adapter
//! ([`crate::adapter`]) applied to that vector only (item vectors and the index are never
//! touched, so swapping adapters with [`Searcher::with_adapter`] costs nothing); [`index`]
//! builds and refreshes the stored vectors.

pub mod anchor;
mod catalog;
pub mod collab;
pub mod dense;
pub mod filters;
pub mod fusion;
pub mod index;
pub mod lexical;
mod search;

use std::{collections::HashSet, sync::Arc};

pub use catalog::Retriever;
pub use filters::{Filters, ParsedQuery};
pub use fusion::Mode;

use crate::{adapter::QueryAdapter, embed::Embedder, Result};

/// Longest query accepted; longer input is cut (at a character boundary) before parsing.
pub const MAX_QUERY_BYTES: usize = 2048;

/// How to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Number of results.
    pub k: usize,
    /// Which signals to use.
    pub mode: Mode,
    /// Item ids never to return (rejected or already seen, the anchor of a similarity query).
    pub exclude: HashSet<String>,
    /// Whether to apply filters parsed from the text.
    pub filters: bool,
    /// Items (indices) the request is anchored on: "like Portal". Their vectors pull the
    /// dense query, items sharing their labels rank higher, and they are never returned.
    pub anchors: Vec<usize>,
    /// Extra scored lists to fuse (a collaborative ranker, say): (weight, (index, score)).
    pub extra: Vec<(f32, Vec<(usize, f32)>)>,
    /// Weights of the dense and lexical signals in fused mode.
    pub weights: fusion::Weights,
    /// Factor on the content signals (dense, lexical, anchor labels): 1 by default; lower
    /// when `extra` carries stronger evidence (a collaborative model on a catalog whose
    /// items have titles only).
    pub content: f32,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            k: 10,
            mode: Mode::Fused,
            exclude: HashSet::new(),
            filters: true,
            anchors: Vec::new(),
            extra: Vec::new(),
            weights: fusion::Weights::default(),
            content: 1.0,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Position of the item in [`Retriever::items`].
    pub index: usize,
    /// Fused (or single-signal) score; higher is better.
    pub score: f32,
    /// 1-based rank in the dense list, if it was there.
    pub dense_rank: Option<usize>,
    /// 1-based rank in the lexical list, if it was there.
    pub lexical_rank: Option<usize>,
}

/// Results of one search.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// Best first.
    pub hits: Vec<Hit>,
    /// What was understood from the query.
    pub parsed: ParsedQuery,
    /// True when too few items carried every named label, so the items carrying the most of
    /// them were kept (all but one, else fewer) and labels boosted the ranking.
    pub labels_relaxed: bool,
}

/// A catalog plus the embedder that turns queries into vectors. Cheap to clone; shareable
/// between tasks.
#[derive(Clone)]
pub struct Searcher {
    /// The catalog.
    pub retriever: Arc<Retriever>,
    /// The embedding model.
    pub embedder: Arc<dyn Embedder>,
    /// The query adapter applied to query vectors, if any.
    pub adapter: Option<Arc<QueryAdapter>>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("catalog", &self.retriever.catalog())
            .field("adapter", &self.adapter.as_ref().map(|a| a.name()))
            .finish_non_exhaustive()
    }
}

impl Searcher {
    /// A searcher without adapter.
    #[must_use]
    pub fn new(retriever: Arc<Retriever>, embedder: Arc<dyn Embedder>) -> Self {
        Self {
            retriever,
            embedder,
            adapter: None,
        }
    }

    /// The same catalog and backbone with another adapter (or none): a clone of three
    /// pointers, no re-indexing.
    #[must_use]
    pub fn with_adapter(&self, adapter: Option<Arc<QueryAdapter>>) -> Self {
        Self {
            retriever: Arc::clone(&self.retriever),
            embedder: Arc::clone(&self.embedder),
            adapter,
        }
    }

    /// The query vector of `text` whose backbone vector is `base`, adapted with this
    /// searcher's adapter (`base` unchanged without one). A token adapter reads the backbone's
    /// per-token states of `text` instead, a second run of the backbone.
    pub fn adapt(&self, base: &[f32], text: &str) -> Result<Vec<f32>> {
        match &self.adapter {
            None => Ok(base.to_vec()),
            Some(a) if a.needs_tokens() => self.token_vector(a, text),
            Some(a) => a.adapt(base, None),
        }
    }

    /// The query vector of `text`: embedded by the backbone (its per-token states for a token
    /// adapter), then adapted.
    pub fn query_vector(&self, text: &str) -> Result<Vec<f32>> {
        match &self.adapter {
            Some(a) if a.needs_tokens() => self.token_vector(a, text),
            _ => self.adapt(&self.embedder.embed_one(text)?, text),
        }
    }

    fn token_vector(&self, a: &QueryAdapter, text: &str) -> Result<Vec<f32>> {
        let states = self.embedder.embed_tokens(&[text])?;
        let s = states
            .first()
            .ok_or_else(|| crate::Error::embed("the model returned no token states"))?;
        Ok(a.apply_tokens(s))
    }

    /// The fusion weights to search with: the adapter's (chosen with it), else the defaults.
    #[must_use]
    pub fn weights(&self) -> fusion::Weights {
        self.adapter
            .as_ref()
            .map_or_else(fusion::Weights::default, |a| fusion::Weights {
                dense: a.fusion().dense,
                lexical: a.fusion().lexical,
            })
    }

    /// Parse, embed (when the mode needs it), adapt and search. Options with the default
    /// fusion weights take the adapter's.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResult> {
        let parsed = self.retriever.parse(query)?;
        let qv = if opts.mode.uses_dense() {
            Some(self.query_vector(&parsed.text)?)
        } else {
            None
        };
        if opts.weights == fusion::Weights::default() && self.adapter.is_some() {
            let opts = SearchOptions {
                weights: self.weights(),
                ..opts.clone()
            };
            return self.retriever.search_parsed(parsed, qv.as_deref(), &opts);
        }
        self.retriever.search_parsed(parsed, qv.as_deref(), opts)
    }
}
