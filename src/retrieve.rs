//! Retrieval: a query's text in, ranked catalog items out.
//!
//! [`Retriever`] holds one catalog in memory — items, their vectors (row-aligned with the
//! items), a BM25 index and the label vocabulary — and answers [`Retriever::search`]:
//! parse hard filters from the text ([`filters`]), score by exact dense similarity
//! ([`dense`]) and BM25 with typo tolerance ([`lexical`]), and fuse the two rankings with
//! reciprocal-rank fusion ([`fusion`]). [`Searcher`] adds the embedder that turns the query
//! into a vector; [`index`] builds and refreshes the stored vectors.

pub mod dense;
pub mod filters;
pub mod fusion;
pub mod index;
pub mod lexical;

use std::collections::{HashMap, HashSet};

pub use filters::{Filters, ParsedQuery};
pub use fusion::Mode;

use crate::{
    catalog::Item,
    embed::{clean_text, Embedder},
    store::{Store, VectorSet},
    Error, Result,
};
use filters::LabelVocab;
use lexical::LexicalIndex;

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
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            k: 10,
            mode: Mode::Fused,
            exclude: HashSet::new(),
            filters: true,
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
    /// True when too few items carried every named label, so labels only boosted the ranking.
    pub labels_relaxed: bool,
}

/// One catalog, ready to search.
#[derive(Debug)]
pub struct Retriever {
    catalog: String,
    items: Vec<Item>,
    by_id: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
    label_ids: HashMap<String, u32>,
    item_labels: Vec<Vec<u32>>,
    vectors: VectorSet,
    vectorless: usize,
    lexical: LexicalIndex,
    vocab: LabelVocab,
}

impl Retriever {
    /// Load a catalog and its vectors from the store.
    pub fn load(store: &Store, catalog: &str) -> Result<Self> {
        store.require_catalog(catalog)?;
        let items = store.items(catalog)?;
        let vectors = store.vectors(catalog)?;
        Ok(Self::from_parts(catalog, items, vectors))
    }

    /// Build from items and vectors (vectors may cover only some items, in any order).
    #[must_use]
    pub fn from_parts(catalog: &str, items: Vec<Item>, vectors: VectorSet) -> Self {
        let by_id: HashMap<String, usize> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.clone(), i))
            .collect();
        let mut by_title = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            by_title.entry(filters::norm_label(&it.title)).or_insert(i);
        }
        let mut label_ids: HashMap<String, u32> = HashMap::new();
        let item_labels: Vec<Vec<u32>> = items
            .iter()
            .map(|it| {
                let mut v: Vec<u32> = it
                    .labels()
                    .map(|l| {
                        let n = label_ids.len() as u32;
                        *label_ids.entry(filters::norm_label(l)).or_insert(n)
                    })
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let aligned = vectors.ids.len() == items.len()
            && vectors.ids.iter().zip(&items).all(|(a, b)| *a == b.id);
        let (vectors, vectorless) = if aligned || vectors.is_empty() {
            let missing = if vectors.is_empty() { items.len() } else { 0 };
            (vectors, missing)
        } else {
            align(&items, &vectors)
        };
        Self {
            catalog: catalog.to_string(),
            lexical: LexicalIndex::build(&items),
            vocab: LabelVocab::build(&items, 3),
            items,
            by_id,
            by_title,
            label_ids,
            item_labels,
            vectors,
            vectorless,
        }
    }

    /// The catalog's name.
    #[must_use]
    pub fn catalog(&self) -> &str {
        &self.catalog
    }

    /// All items, in index order.
    #[must_use]
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// An item by id.
    #[must_use]
    pub fn by_id(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|i| &self.items[*i])
    }

    /// The item whose title is `title` (ignoring case, spaces and punctuation).
    #[must_use]
    pub fn by_title(&self, title: &str) -> Option<&Item> {
        self.title_index(title).map(|i| &self.items[i])
    }

    /// Index of the item whose title is `title` (ignoring case, spaces and punctuation).
    #[must_use]
    pub fn title_index(&self, title: &str) -> Option<usize> {
        self.by_title.get(&filters::norm_label(title)).copied()
    }

    /// Items that have no vector (the index is stale).
    #[must_use]
    pub fn vectorless(&self) -> usize {
        self.vectorless
    }

    /// Whether dense search is available.
    #[must_use]
    pub fn has_vectors(&self) -> bool {
        !self.vectors.is_empty()
    }

    /// Clean and parse a query; errors on an empty one.
    pub fn parse(&self, query: &str) -> Result<ParsedQuery> {
        let cleaned = clean_text(query);
        let mut end = cleaned.len().min(MAX_QUERY_BYTES);
        while !cleaned.is_char_boundary(end) {
            end -= 1;
        }
        let cleaned = cleaned[..end].trim();
        if cleaned.is_empty() {
            return Err(Error::Retrieve("the query is empty".into()));
        }
        Ok(filters::parse(cleaned, &self.vocab))
    }

    /// Search with a parsed query and (for dense and fused modes) its vector.
    pub fn search_parsed(
        &self,
        parsed: ParsedQuery,
        query_vector: Option<&[f32]>,
        opts: &SearchOptions,
    ) -> Result<SearchResult> {
        let f = if opts.filters {
            parsed.filters.clone()
        } else {
            Filters::default()
        };
        let ids = |ls: &[String]| -> Vec<Option<u32>> {
            ls.iter().map(|l| self.label_ids.get(l).copied()).collect()
        };
        let (not_ids, want_ids) = (ids(&f.not_labels), ids(&f.labels));
        let mut keep: Vec<bool> = self
            .items
            .iter()
            .zip(&self.item_labels)
            .map(|(it, ls)| {
                f.admits_values(it)
                    && !not_ids.iter().flatten().any(|l| ls.contains(l))
                    && (opts.exclude.is_empty() || !opts.exclude.contains(&it.id))
            })
            .collect();
        let mut labels_relaxed = false;
        if !f.labels.is_empty() {
            let has_all = |ls: &[u32]| want_ids.iter().all(|w| w.is_some_and(|w| ls.contains(&w)));
            let with: Vec<bool> = self
                .item_labels
                .iter()
                .zip(&keep)
                .map(|(ls, k)| *k && has_all(ls))
                .collect();
            if with.iter().filter(|x| **x).count() >= opts.k {
                keep = with;
            } else {
                labels_relaxed = true;
            }
        }
        let dense = match (opts.mode.uses_dense(), query_vector) {
            (false, _) => Vec::new(),
            (true, Some(q)) if self.has_vectors() => {
                dense::search(&self.vectors, q, fusion::DEPTH, &|i| keep[i])
            }
            (true, _) => {
                return Err(Error::Retrieve(format!(
                    "catalog `{}` has no vectors: run `reco catalog index {}`",
                    self.catalog, self.catalog
                )))
            }
        };
        let lexical = if opts.mode.uses_lexical() {
            let s = self.lexical.scores(&parsed.text);
            dense::top_k(&s, fusion::DEPTH, |i| keep[i] && s[i] > 0.0)
        } else {
            Vec::new()
        };
        let boost = |i: usize| {
            if labels_relaxed {
                want_ids
                    .iter()
                    .flatten()
                    .filter(|w| self.item_labels[i].contains(w))
                    .count()
            } else {
                0
            }
        };
        let hits = fusion::fuse(opts.mode, &dense, &lexical, opts.k, boost);
        Ok(SearchResult {
            hits,
            parsed,
            labels_relaxed,
        })
    }
}

fn align(items: &[Item], vectors: &VectorSet) -> (VectorSet, usize) {
    let pos: HashMap<&str, usize> = vectors
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let dim = vectors.dim;
    let mut out = VectorSet {
        ids: Vec::with_capacity(items.len()),
        dim,
        data: vec![0.0; items.len() * dim],
    };
    let mut missing = 0;
    for (i, it) in items.iter().enumerate() {
        out.ids.push(it.id.clone());
        match pos.get(it.id.as_str()) {
            Some(&r) => out.data[i * dim..(i + 1) * dim].copy_from_slice(vectors.row(r)),
            None => missing += 1,
        }
    }
    (out, missing)
}

/// A retriever plus the embedder that turns queries into vectors.
pub struct Searcher {
    /// The catalog.
    pub retriever: Retriever,
    /// The embedding model.
    pub embedder: Box<dyn Embedder>,
}

impl Searcher {
    /// Parse, embed (when the mode needs it) and search.
    pub fn search(&mut self, query: &str, opts: &SearchOptions) -> Result<SearchResult> {
        let parsed = self.retriever.parse(query)?;
        let qv = if opts.mode.uses_dense() {
            Some(self.embedder.embed_one(&parsed.text)?)
        } else {
            None
        };
        self.retriever.search_parsed(parsed, qv.as_deref(), opts)
    }
}
