//! [`Retriever`]: one catalog in memory, ready to search — items, vectors row-aligned with
//! the items, the BM25 index, the label vocabulary, interned labels per item, the title
//! matcher, and per-item add-on flags and popularity priors.

use std::{collections::HashMap, sync::OnceLock};

use super::{anchor::Aliases, filters, lexical::LexicalIndex, ParsedQuery, MAX_QUERY_BYTES};
use crate::{
    catalog::Item,
    embed::clean_text,
    store::{Store, VectorSet},
    text::TitleMatcher,
    Error, Result,
};

/// One catalog, ready to search.
#[derive(Debug)]
pub struct Retriever {
    catalog: String,
    pub(super) items: Vec<Item>,
    by_id: HashMap<String, usize>,
    pub(super) label_ids: HashMap<String, u32>,
    /// Interned, sorted, deduplicated labels of each item.
    pub(super) item_labels: Vec<Vec<u32>>,
    /// Number of items carrying each interned label.
    pub(super) label_counts: Vec<u32>,
    pub(super) vectors: VectorSet,
    vectorless: usize,
    pub(super) lexical: LexicalIndex,
    pub(super) vocab: filters::LabelVocab,
    titles: TitleMatcher,
    pub(super) addon: Vec<bool>,
    /// Per item: software, not a game ([`Item::is_software`]).
    pub(super) software: Vec<bool>,
    pub(super) popularity: Vec<f32>,
    aliases: OnceLock<Aliases>,
    makers: OnceLock<HashMap<String, usize>>,
    /// Per item, its folded developer and publisher names ([`Item::maker_names`]).
    item_makers: OnceLock<Vec<Vec<String>>>,
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
        let mut label_ids: HashMap<String, u32> = HashMap::new();
        let mut label_counts: Vec<u32> = Vec::new();
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
                for &l in &v {
                    if label_counts.len() <= l as usize {
                        label_counts.resize(l as usize + 1, 0);
                    }
                    label_counts[l as usize] += 1;
                }
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
            vocab: filters::LabelVocab::build(&items, 3),
            titles: TitleMatcher::build(&items),
            addon: items.iter().map(Item::is_addon).collect(),
            software: items.iter().map(Item::is_software).collect(),
            popularity: items.iter().map(Item::popularity).collect(),
            aliases: OnceLock::new(),
            makers: OnceLock::new(),
            item_makers: OnceLock::new(),
            items,
            by_id,
            label_ids,
            item_labels,
            label_counts,
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

    /// Index of an item by id.
    #[must_use]
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The best item whose folded title is the folded `title` (base items first).
    #[must_use]
    pub fn by_title(&self, title: &str) -> Option<&Item> {
        self.title_index(title).map(|i| &self.items[i])
    }

    /// Index of the best item whose folded title is the folded `title`.
    #[must_use]
    pub fn title_index(&self, title: &str) -> Option<usize> {
        self.titles.exact(title).and_then(|v| v.first().copied())
    }

    /// The title matcher (which items a text names).
    #[must_use]
    pub fn titles(&self) -> &TitleMatcher {
        &self.titles
    }

    /// Abbreviation and leading-words tables (built on first use, ~0.1 s for 32k items).
    pub(super) fn aliases(&self) -> &Aliases {
        self.aliases.get_or_init(|| Aliases::build(self))
    }

    /// The lexical index (BM25 scores for candidate lookups).
    #[must_use]
    pub fn lexical(&self) -> &LexicalIndex {
        &self.lexical
    }

    /// Whether item `i` is an add-on (DLC, soundtrack, demo, pack).
    #[must_use]
    pub fn is_addon(&self, i: usize) -> bool {
        self.addon.get(i).copied().unwrap_or(false)
    }

    /// Popularity prior of item `i` (see [`Item::popularity`]).
    #[must_use]
    pub fn popularity(&self, i: usize) -> f32 {
        self.popularity.get(i).copied().unwrap_or(0.0)
    }

    /// The stored vector of item `i`, if the catalog is indexed.
    #[must_use]
    pub fn vector(&self, i: usize) -> Option<&[f32]> {
        (!self.vectors.is_empty() && i < self.vectors.len()).then(|| self.vectors.row(i))
    }

    /// The `k` items whose vectors are closest to `query` (no filters), best first.
    #[must_use]
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(usize, f32)> {
        if self.vectors.is_empty() || query.len() != self.vectors.dim {
            return Vec::new();
        }
        super::dense::search(&self.vectors, query, k, &|_| true)
    }

    /// The label vocabulary (labels a query may name).
    #[must_use]
    /// How many items each maker (folded developer or publisher name, [`Item::made_by`])
    /// made or published; built on first use.
    pub fn makers(&self) -> &HashMap<String, usize> {
        self.makers.get_or_init(|| {
            let mut m: HashMap<String, usize> = HashMap::new();
            for names in self.item_makers() {
                let mut names = names.clone();
                names.sort();
                names.dedup();
                for n in names {
                    *m.entry(n).or_default() += 1;
                }
            }
            m
        })
    }

    /// Per item (catalog order), its folded developer and publisher names; folded once, on
    /// first use, so a search by makers compares strings instead of folding 32k fields.
    pub fn item_makers(&self) -> &[Vec<String>] {
        self.item_makers
            .get_or_init(|| self.items.iter().map(Item::maker_names).collect())
    }

    pub fn vocab(&self) -> &filters::LabelVocab {
        &self.vocab
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
