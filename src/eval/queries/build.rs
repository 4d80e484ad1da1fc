//! The query builders for the eight types that have a target item, and the [`Gen`] driver
//! that walks the catalog in a seeded order until it has `per_type` queries of a type.

use std::collections::{HashMap, HashSet};

use crate::catalog::item::Item;

use super::context::GradeContext;
use super::data::Data;
use super::history::history;
use super::phrase::{join_list, mentions, say};
use super::{targetless, typo, Condition, Query, QueryType, Split};
use crate::rng::{hash_str, mix, SplitMix64};

/// Share of targets (and target-less texts) that go to the test split: 1 in `TEST_EVERY`.
const TEST_EVERY: u64 = 5;

/// Query generation over one catalog.
pub(crate) struct Gen<'c, 'a> {
    pub(crate) ctx: &'c GradeContext<'a>,
    pub(crate) data: Data,
    pub(crate) seed: u64,
    titles: HashMap<String, usize>,
}

impl<'c, 'a> Gen<'c, 'a> {
    pub(crate) fn new(ctx: &'c GradeContext<'a>, seed: u64) -> Self {
        let mut titles: HashMap<String, usize> = HashMap::new();
        for item in ctx.items() {
            *titles.entry(item.title.trim().to_lowercase()).or_default() += 1;
        }
        Self {
            ctx,
            data: Data::load(),
            seed,
            titles,
        }
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
                || self.data.is_addon(&target.title)
            {
                continue;
            }
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

    /// The split of a query with this target id (or, target-less, this text).
    pub(crate) fn split_of(&self, key: &str) -> Split {
        if hash_str(key, self.seed).is_multiple_of(TEST_EVERY) {
            Split::Test
        } else {
            Split::Train
        }
    }

    /// An item's genres then tags, deduplicated, without labels nobody says.
    pub(crate) fn descriptive<'i>(&self, item: &'i Item) -> Vec<&'i str> {
        let mut seen = HashSet::new();
        item.labels()
            .filter(|l| self.data.is_descriptive(l) && seen.insert(l.trim().to_lowercase()))
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
            split: self.split_of(&id),
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
                let h = history(self.ctx, t, rng, counts, &|i: &Item| {
                    !self.data.is_addon(&i.title)
                })?;
                let text = say(&self.data, rng, "UH2I", &[("history", &titles(items, &h))]);
                Some(self.query(kind, t, text, vec![similar()], ids(items, &h)))
            }
            QueryType::I2I => {
                let h = history(self.ctx, t, rng, counts, &|i: &Item| {
                    !self.data.is_addon(&i.title)
                })?;
                let anchor = &items[*h.last()?];
                let text = say(&self.data, rng, "I2I", &[("title", anchor.title.trim())]);
                let cond = vec![Condition::SimilarTo(anchor.id.clone())];
                Some(self.query(kind, t, text, cond, vec![anchor.id.clone()]))
            }
            QueryType::US2I => {
                let h = history(self.ctx, t, rng, counts, &|i: &Item| {
                    !self.data.is_addon(&i.title)
                })?;
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
                let name = typo::misspell(title, rng)?;
                if self.titles.contains_key(&name.to_lowercase()) {
                    return None;
                }
                let text = say(&self.data, rng, "NM2I", &[("name", &name)]);
                Some(self.query(kind, t, text, Vec::new(), Vec::new()))
            }
            QueryType::UQ2I => {
                let h = history(self.ctx, t, rng, counts, &|i: &Item| {
                    !self.data.is_addon(&i.title)
                })?;
                let (request, mut conds) = self.request(item, rng)?;
                let text = say(
                    &self.data,
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

fn titles(items: &[Item], h: &[usize]) -> String {
    let t: Vec<&str> = h.iter().map(|&j| items[j].title.trim()).collect();
    join_list(&t)
}

fn ids(items: &[Item], h: &[usize]) -> Vec<String> {
    h.iter().map(|&j| items[j].id.clone()).collect()
}
