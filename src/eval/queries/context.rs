//! [`GradeContext`]: indexes built once from a catalog's `&[Item]` so that grading a query
//! against 32k items, and generating queries from them, stays cheap.
//!
//! Labels are an item's genres and tags, lowercased and deduplicated; each distinct label gets
//! a small integer id so that label sets compare by merging sorted id lists.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::catalog::item::Item;

/// How similar two items are, by the rule shared by I2I, UH2I, US2I and UQ2I.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Similarity {
    /// Same developer, or Jaccard ≥ 0.5 on lowercased genres ∪ tags.
    Strong,
    /// At least one genre or tag in common.
    Weak,
    /// Nothing in common.
    None,
}

/// Lookups over one catalog, built once by [`GradeContext::new`] and shared by every query.
#[derive(Debug)]
pub struct GradeContext<'a> {
    items: &'a [Item],
    by_id: HashMap<&'a str, usize>,
    label_ids: HashMap<String, u32>,
    item_labels: Vec<Vec<u32>>,
    postings: Vec<Vec<u32>>,
    devs: Vec<Option<String>>,
    dev_postings: HashMap<String, Vec<u32>>,
}

/// An item's label ids and developer, borrowed from the context or computed for a stranger.
struct Features<'b> {
    labels: Cow<'b, [u32]>,
    /// Labels the context has never seen (only for items outside the catalog).
    unknown: usize,
    dev: Option<Cow<'b, str>>,
}

impl<'a> GradeContext<'a> {
    /// Indexes `items`: ids, label sets, label → items and developer → items.
    #[must_use]
    pub fn new(items: &'a [Item]) -> Self {
        let mut label_ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut item_labels = Vec::with_capacity(items.len());
        let mut dev_postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut devs = Vec::with_capacity(items.len());
        let mut by_id = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            by_id.entry(item.id.as_str()).or_insert(i);
            let mut ids: Vec<u32> = item
                .labels()
                .map(|l| {
                    let key = l.trim().to_lowercase();
                    let next = u32::try_from(label_ids.len()).unwrap_or(u32::MAX);
                    *label_ids.entry(key).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for &l in &ids {
                let l = l as usize;
                if postings.len() <= l {
                    postings.resize_with(l + 1, Vec::new);
                }
                postings[l].push(idx);
            }
            item_labels.push(ids);
            let dev = item
                .developer
                .as_deref()
                .map(|d| d.trim().to_lowercase())
                .filter(|d| !d.is_empty());
            if let Some(d) = &dev {
                dev_postings.entry(d.clone()).or_default().push(idx);
            }
            devs.push(dev);
        }
        Self {
            items,
            by_id,
            label_ids,
            item_labels,
            postings,
            devs,
            dev_postings,
        }
    }

    /// The catalog this context indexes.
    #[must_use]
    pub fn items(&self) -> &'a [Item] {
        self.items
    }

    /// The item with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&'a Item> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    /// The position of the item with this id.
    #[must_use]
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Sorted label ids of the item at `idx`.
    pub(crate) fn labels_at(&self, idx: usize) -> &[u32] {
        &self.item_labels[idx]
    }

    /// Indices of the items carrying the lowercased `label`, ascending.
    pub(crate) fn items_with(&self, label: &str) -> &[u32] {
        self.label_ids
            .get(&label.trim().to_lowercase())
            .and_then(|&l| self.postings.get(l as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Indices of the items carrying label id `l`, ascending.
    pub(crate) fn items_with_id(&self, l: u32) -> &[u32] {
        self.postings.get(l as usize).map_or(&[], Vec::as_slice)
    }

    /// Indices of the items by the developer of the item at `idx` (itself included).
    pub(crate) fn same_developer(&self, idx: usize) -> &[u32] {
        self.devs[idx]
            .as_ref()
            .and_then(|d| self.dev_postings.get(d))
            .map_or(&[], Vec::as_slice)
    }

    /// How similar `item` is to `anchor` (see [`Similarity`]).
    #[must_use]
    pub fn similarity(&self, anchor: &Item, item: &Item) -> Similarity {
        let a = self.features(anchor);
        let b = self.features(item);
        if let (Some(x), Some(y)) = (&a.dev, &b.dev) {
            if x == y {
                return Similarity::Strong;
            }
        }
        let common = intersection(&a.labels, &b.labels);
        let union = a.labels.len() + a.unknown + b.labels.len() + b.unknown - common;
        if union > 0 && 2 * common >= union {
            Similarity::Strong
        } else if common > 0 || shares_unknown(anchor, item, &a, &b) {
            Similarity::Weak
        } else {
            Similarity::None
        }
    }

    /// Jaccard similarity of the label sets of the items at `i` and `j`.
    pub(crate) fn jaccard_at(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (&self.item_labels[i], &self.item_labels[j]);
        let common = intersection(a, b);
        let union = a.len() + b.len() - common;
        if union == 0 {
            0.0
        } else {
            ratio(common, union)
        }
    }

    /// Whether the items at `i` and `j` have the same (non-empty) developer.
    pub(crate) fn same_dev_at(&self, i: usize, j: usize) -> bool {
        matches!((&self.devs[i], &self.devs[j]), (Some(x), Some(y)) if x == y)
    }

    /// Where `item` sits in the catalog: by address when it is borrowed from it (no hashing on
    /// the grading hot path), else by id.
    fn position(&self, item: &Item) -> Option<usize> {
        let size = std::mem::size_of::<Item>().max(1);
        let base = self.items.as_ptr() as usize;
        let at = std::ptr::from_ref(item) as usize;
        if at >= base && (at - base).is_multiple_of(size) && (at - base) / size < self.items.len() {
            return Some((at - base) / size);
        }
        self.by_id.get(item.id.as_str()).copied()
    }

    fn features<'b>(&'b self, item: &'b Item) -> Features<'b> {
        if let Some(i) = self.position(item) {
            let stored: &Item = &self.items[i];
            if std::ptr::eq(stored, item) || stored == item {
                return Features {
                    labels: Cow::Borrowed(&self.item_labels[i]),
                    unknown: 0,
                    dev: self.devs[i].as_deref().map(Cow::Borrowed),
                };
            }
        }
        let mut labels = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for l in item.labels() {
            let key = l.trim().to_lowercase();
            match self.label_ids.get(&key) {
                Some(&id) => labels.push(id),
                None => unknown.push(key),
            }
        }
        labels.sort_unstable();
        labels.dedup();
        unknown.sort_unstable();
        unknown.dedup();
        Features {
            labels: Cow::Owned(labels),
            unknown: unknown.len(),
            dev: item
                .developer
                .as_deref()
                .map(|d| d.trim().to_lowercase())
                .filter(|d| !d.is_empty())
                .map(Cow::Owned),
        }
    }
}

/// Labels unknown to the context can still be shared by two strangers.
fn shares_unknown(a: &Item, b: &Item, fa: &Features<'_>, fb: &Features<'_>) -> bool {
    fa.unknown > 0 && fb.unknown > 0 && a.labels().any(|l| b.has_label(l))
}

/// Size of the intersection of two sorted, deduplicated lists.
pub(crate) fn intersection(xs: &[u32], ys: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < xs.len() && j < ys.len() {
        match xs[i].cmp(&ys[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// `a / b` as a float, for counts far below 2^52.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b as f64
}
