//! The query builders for the eight types that have a target item, and the [`Gen`] driver
//! that walks the catalog in a seeded order until it has `per_type` queries of a type (of one
//! split, when asked).
//!
//! Splits: a target's split comes from a hash of (its id, the seed): 2 in 10 test, 1 in 10
//! validation, the rest train. A query is phrased with the view of the data of its split
//! (held-out templates, vague phrases, typo kinds and history lengths for test), and its
//! history only holds train items or items of its own split, so no test or validation target
//! ever appears in a training query.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use crate::catalog::item::Item;

use super::context::GradeContext;
use super::data::Data;
use super::history::history;
use super::phrase::{join_list, mentions, say};
use super::{targetless, typo, Condition, Query, QueryType, Split};
use crate::rng::{hash_str, mix, SplitMix64};

/// Of every ten hash buckets, how many go to test and to validation (the rest: train).
const TEST_IN_10: u64 = 2;
/// See [`TEST_IN_10`].
const VALIDATION_IN_10: u64 = 1;

/// History lengths of train and validation queries; test queries use [`TEST_HISTORY`].
const TRAIN_HISTORY: [usize; 2] = [3, 4];
/// Held-out history lengths, used only by test queries.
const TEST_HISTORY: [usize; 2] = [2, 5];

/// Query generation over one catalog.
pub(crate) struct Gen<'c, 'a> {
    pub(crate) ctx: &'c GradeContext<'a>,
    train_data: Data,
    test_data: Data,
    pub(crate) seed: u64,
    titles: HashMap<String, usize>,
    /// Only queries of this split, when set.
    pub(crate) want: Option<Split>,
    /// The split of the query being built (selects the phrasing view).
    current: Cell<Split>,
}

impl<'c, 'a> Gen<'c, 'a> {
    pub(crate) fn new(ctx: &'c GradeContext<'a>, seed: u64, want: Option<Split>) -> Self {
        let mut titles: HashMap<String, usize> = HashMap::new();
        for item in ctx.items() {
            *titles.entry(item.title.trim().to_lowercase()).or_default() += 1;
        }
        Self {
            ctx,
            train_data: Data::load(false),
            test_data: Data::load(true),
            seed,
            titles,
            want,
            current: Cell::new(Split::Train),
        }
    }

    /// The phrasing data of the query being built: the held-out view for test queries.
    pub(crate) fn data(&self) -> &Data {
        if self.current.get() == Split::Test {
            &self.test_data
        } else {
            &self.train_data
        }
    }

    /// Select the phrasing view for a query of `split`.
    pub(crate) fn phrase_for(&self, split: Split) {
        self.current.set(split);
    }

    /// Whether a query of split `s` is wanted.
    pub(crate) fn wants(&self, s: Split) -> bool {
        self.want.is_none_or(|w| w == s)
    }

    /// Up to `per_type` queries of `kind`.
    pub(crate) fn run(&self, kind: QueryType, per_type: usize) -> Vec<Query> {
        let k = QueryType::ALL.iter().position(|&x| x == kind).unwrap_or(0) as u64;
        let mut rng = SplitMix64::new(mix(self.seed ^ (k + 1).wrapping_mul(0xA24B_AED4_963E_E407)));
        if per_type == 0 {
            return Vec::new();
        }
        match kind {
            QueryType::VC2I => return targetless::vague(self, per_type, &mut rng),
            QueryType::NA2I => return targetless::negative(self, per_type, &mut rng),
            _ => {}
        }
        let items = self.ctx.items();
        let mut order: Vec<usize> = (0..items.len()).collect();
        rng.shuffle(&mut order);
        let mut counts = vec![0u16; items.len()];
        let mut texts = HashSet::new();
        let mut out = Vec::with_capacity(per_type);
        for t in order {
            if out.len() == per_type {
                break;
            }
            let target = &items[t];
            if target.id.is_empty()
                || target.title.trim().is_empty()
                || self.train_data.is_addon(&target.title)
            {
                continue;
            }
            let split = self.split_of(&target.id);
            if !self.wants(split) {
                continue;
            }
            self.phrase_for(split);
            let Some(q) = self.build(kind, t, &mut rng, &mut counts) else {
                continue;
            };
            let leaks = kind != QueryType::NM2I && mentions(&q.text, &target.title);
            if !leaks && texts.insert(q.text.clone()) {
                out.push(q);
            }
        }
        out
    }

    /// The split of a query with this target id (or, target-less, this key).
    pub(crate) fn split_of(&self, key: &str) -> Split {
        split_of(key, self.seed)
    }

    /// Whether an item may appear in the history of a query of `split`: train items always,
    /// held-out items only in queries of their own split.
    fn may_show(&self, item: &Item, split: Split) -> bool {
        let s = self.split_of(&item.id);
        s == Split::Train || s == split
    }

    /// An item's genres then tags, deduplicated, without labels nobody says.
    pub(crate) fn descriptive<'i>(&self, item: &'i Item) -> Vec<&'i str> {
        let mut seen = HashSet::new();
        item.labels()
            .filter(|l| self.data().is_descriptive(l) && seen.insert(l.trim().to_lowercase()))
            .collect()
    }

    fn query(
        &self,
        kind: QueryType,
        t: usize,
        text: String,
        conditions: Vec<Condition>,
        exclude: Vec<String>,
    ) -> Query {
        let id = self.ctx.items()[t].id.clone();
        Query {
            kind,
            text,
            split: self.current.get(),
            target: Some(id),
            conditions,
            exclude,
        }
    }

    fn build(
        &self,
        kind: QueryType,
        t: usize,
        rng: &mut SplitMix64,
        counts: &mut [u16],
    ) -> Option<Query> {
        let items = self.ctx.items();
        let item = &items[t];
        let similar = || Condition::SimilarTo(item.id.clone());
        match kind {
            QueryType::UH2I => {
                let h = self.history(t, rng, counts)?;
                let text = say(self.data(), rng, "UH2I", &[("history", &titles(items, &h))]);
                Some(self.query(kind, t, text, vec![similar()], ids(items, &h)))
            }
            QueryType::I2I => {
                let h = self.history(t, rng, counts)?;
                let anchor = &items[*h.last()?];
                let text = say(self.data(), rng, "I2I", &[("title", anchor.title.trim())]);
                let cond = vec![Condition::SimilarTo(anchor.id.clone())];
                Some(self.query(kind, t, text, cond, vec![anchor.id.clone()]))
            }
            QueryType::US2I => {
                let h = self.history(t, rng, counts)?;
                let text = self.summary(&h, rng)?;
                Some(self.query(kind, t, text, vec![similar()], Vec::new()))
            }
            QueryType::FA2I => self
                .full(item, rng)
                .map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
            QueryType::SA2I => self
                .sampled(item, rng)
                .map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
            QueryType::AS2I => self
                .described(item, rng)
                .map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
            QueryType::NM2I => {
                let title = item.title.trim();
                if self.titles.get(&title.to_lowercase()).copied() != Some(1) {
                    return None;
                }
                let name = typo::misspell(title, rng, self.current.get() == Split::Test)?;
                if self.titles.contains_key(&name.to_lowercase()) {
                    return None;
                }
                let text = say(self.data(), rng, "NM2I", &[("name", &name)]);
                Some(self.query(kind, t, text, Vec::new(), Vec::new()))
            }
            QueryType::UQ2I => {
                let h = self.history(t, rng, counts)?;
                let (request, mut conds) = self.request(item, rng)?;
                let text = say(
                    self.data(),
                    rng,
                    "UQ2I",
                    &[("history", &titles(items, &h)), ("request", &request)],
                );
                conds.insert(0, similar());
                Some(self.query(kind, t, text, conds, ids(items, &h)))
            }
            QueryType::VC2I | QueryType::NA2I => None,
        }
    }
}

/// The split of the item (or target-less key) `key` under `seed`.
pub(crate) fn split_of(key: &str, seed: u64) -> Split {
    match hash_str(key, seed) % 10 {
        b if b < TEST_IN_10 => Split::Test,
        b if b < TEST_IN_10 + VALIDATION_IN_10 => Split::Validation,
        _ => Split::Train,
    }
}

impl Gen<'_, '_> {
    /// A history for target `t` (see [`history`]) in the current split: its items are train
    /// items or of the same split, and its length is one of the split's lengths.
    fn history(&self, t: usize, rng: &mut SplitMix64, counts: &mut [u16]) -> Option<Vec<usize>> {
        let split = self.current.get();
        let lengths: &[usize] = if split == Split::Test {
            &TEST_HISTORY
        } else {
            &TRAIN_HISTORY
        };
        let keep = |i: &Item| !self.train_data.is_addon(&i.title) && self.may_show(i, split);
        history(self.ctx, t, rng, counts, &keep, lengths)
    }
}

fn titles(items: &[Item], h: &[usize]) -> String {
    let t: Vec<&str> = h.iter().map(|&j| items[j].title.trim()).collect();
    join_list(&t)
}

fn ids(items: &[Item], h: &[usize]) -> Vec<String> {
    h.iter().map(|&j| items[j].id.clone()).collect()
}
