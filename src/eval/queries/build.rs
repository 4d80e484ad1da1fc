//! The query builders for the eight types that have a target item, and the [`Gen`] driver
//! that walks the catalog in a seeded order until it has `per_type` queries of a type.

use std::collections::{HashMap, HashSet};

use crate::catalog::item::Item;

use super::context::GradeContext;
use super::data::Data;
use super::history::history;
use super::phrase::{join_list, mentions, natural, price, say, year, Spec, YearForm};
use super::rng::{hash_str, mix, SplitMix64};
use super::{targetless, typo, Condition, Query, QueryType, Split};

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
            if target.id.is_empty() || target.title.trim().is_empty() {
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
        if hash_str(key, self.seed) % TEST_EVERY == 0 {
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

    fn query(&self, kind: QueryType, t: usize, text: String, conditions: Vec<Condition>, exclude: Vec<String>) -> Query {
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

    fn build(&self, kind: QueryType, t: usize, rng: &mut SplitMix64, counts: &mut [u16]) -> Option<Query> {
        let items = self.ctx.items();
        let item = &items[t];
        let similar = || Condition::SimilarTo(item.id.clone());
        match kind {
            QueryType::UH2I => {
                let h = history(self.ctx, t, rng, counts)?;
                let text = say(&self.data, rng, "UH2I", &[("history", &titles(items, &h))]);
                Some(self.query(kind, t, text, vec![similar()], ids(items, &h)))
            }
            QueryType::I2I => {
                let h = history(self.ctx, t, rng, counts)?;
                let anchor = &items[*h.last()?];
                let text = say(&self.data, rng, "I2I", &[("title", anchor.title.trim())]);
                let cond = vec![Condition::SimilarTo(anchor.id.clone())];
                Some(self.query(kind, t, text, cond, vec![anchor.id.clone()]))
            }
            QueryType::US2I => {
                let h = history(self.ctx, t, rng, counts)?;
                let text = self.summary(&h, rng)?;
                Some(self.query(kind, t, text, vec![similar()], Vec::new()))
            }
            QueryType::FA2I => self.full(item, rng).map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
            QueryType::SA2I => self.sampled(item, rng).map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
            QueryType::AS2I => self.described(item, rng).map(|(text, c)| self.query(kind, t, text, c, Vec::new())),
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
                let h = history(self.ctx, t, rng, counts)?;
                let (request, mut conds) = self.request(item, rng)?;
                let text = say(&self.data, rng, "UQ2I", &[("history", &titles(items, &h)), ("request", &request)]);
                conds.insert(0, similar());
                Some(self.query(kind, t, text, conds, ids(items, &h)))
            }
            QueryType::VC2I | QueryType::NA2I => None,
        }
    }

    /// US2I: the history's common labels (in ≥ 2 items) and maybe a shared developer.
    fn summary(&self, h: &[usize], rng: &mut SplitMix64) -> Option<String> {
        let items = self.ctx.items();
        let mut freq: Vec<(String, &str, usize)> = Vec::new();
        let mut devs: Vec<(String, &str, usize)> = Vec::new();
        for &j in h {
            for l in self.descriptive(&items[j]) {
                bump(&mut freq, l);
            }
            if let Some(d) = items[j].developer.as_deref().filter(|d| !d.trim().is_empty()) {
                bump(&mut devs, d.trim());
            }
        }
        freq.retain(|f| f.2 >= 2);
        freq.sort_by(|a, b| b.2.cmp(&a.2));
        let n = rng.range(2, 4);
        if freq.len() < 2 {
            return None;
        }
        let labels: Vec<String> = freq.iter().take(n).map(|f| natural(f.1)).collect();
        let dev = devs.iter().find(|d| d.2 >= 2).filter(|_| rng.chance(0.5));
        let dev = dev.map_or(String::new(), |d| say(&self.data, rng, "US2I.dev", &[("developer", d.1)]));
        Some(say(&self.data, rng, "US2I", &[("labels", &join_list(&labels)), ("dev", &dev)]))
    }

    /// FA2I: genres, up to 5 tags, developer, year and price of the item.
    fn full(&self, item: &Item, rng: &mut SplitMix64) -> Option<(String, Vec<Condition>)> {
        let labels = self.descriptive(item);
        let genres: Vec<&str> = labels.iter().copied().filter(|l| item.genres.iter().any(|g| g == l)).take(3).collect();
        let mut spec = Spec::default();
        for g in &genres {
            spec.kind(g);
        }
        for l in labels.iter().filter(|l| !genres.contains(l)).take(if genres.is_empty() { 6 } else { 5 }) {
            if spec.kinds.is_empty() {
                spec.kind(l);
            } else {
                spec.with.push((*l).to_string());
                spec.conditions.push(Condition::Label((*l).to_string()));
            }
        }
        if spec.conditions.len() < 2 {
            return None;
        }
        if let Some(d) = item.developer.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            let text = say(&self.data, rng, "dev", &[("developer", d)]);
            spec.tail(text, vec![Condition::Developer(d.to_string())]);
        }
        if let Some(y) = item.year {
            let (text, c) = year(&self.data, rng, y, YearForm::Exact);
            spec.tail(format!(", {text}"), c);
        }
        if let Some((text, c)) = item.price.and_then(|p| price(&self.data, rng, p)) {
            spec.tail(format!(", {text}"), vec![c]);
        }
        let (games, game) = spec.render(&self.data, rng);
        Some((say(&self.data, rng, "FA2I", &[("games", &games), ("game", &game)]), spec.conditions))
    }

    /// SA2I: 2–3 attributes, at least one a label.
    fn sampled(&self, item: &Item, rng: &mut SplitMix64) -> Option<(String, Vec<Condition>)> {
        let labels: Vec<&str> = self.descriptive(item).into_iter().take(8).collect();
        let first = *rng.pick(&labels)?;
        let mut options: Vec<u8> = vec![0];
        if item.developer.as_deref().is_some_and(|d| !d.trim().is_empty()) {
            options.push(1);
        }
        if item.year.is_some() {
            options.push(2);
        }
        if item.price.is_some() {
            options.push(3);
        }
        rng.shuffle(&mut options);
        let mut spec = Spec::default();
        spec.kind(first);
        for o in options.into_iter().take(rng.range(1, 2)) {
            self.add(&mut spec, o, item, &labels, rng);
        }
        if spec.conditions.len() < 2 {
            return None;
        }
        let (games, game) = spec.render(&self.data, rng);
        Some((say(&self.data, rng, "SA2I", &[("games", &games), ("game", &game)]), spec.conditions))
    }

    /// Adds attribute `o` (0 label, 1 developer, 2 year, 3 price) of `item` to `spec`.
    fn add(&self, spec: &mut Spec, o: u8, item: &Item, labels: &[&str], rng: &mut SplitMix64) {
        match o {
            0 => {
                let said: Vec<String> = spec.kinds.clone();
                let rest: Vec<&str> = labels.iter().copied().filter(|l| !said.contains(&natural(l))).collect();
                if let Some(l) = rng.pick(&rest) {
                    spec.kind(l);
                }
            }
            1 => {
                if let Some(d) = item.developer.as_deref().map(str::trim) {
                    let text = say(&self.data, rng, "dev", &[("developer", d)]);
                    spec.tail(text, vec![Condition::Developer(d.to_string())]);
                }
            }
            2 => {
                if let Some(y) = item.year {
                    let form = [YearForm::Decade, YearForm::After, YearForm::Before][rng.below(3)];
                    let (text, c) = year(&self.data, rng, y, form);
                    spec.tail(text, c);
                }
            }
            _ => {
                if let Some((text, c)) = item.price.and_then(|p| price(&self.data, rng, p)) {
                    spec.tail(text, vec![c]);
                }
            }
        }
    }

    /// AS2I: 1–2 kind labels and maybe a feature, as a user would describe the item.
    fn described(&self, item: &Item, rng: &mut SplitMix64) -> Option<(String, Vec<Condition>)> {
        let labels = self.descriptive(item);
        let kinds: Vec<&str> = labels.iter().copied().filter(|l| self.data.feature_words(l).is_none()).take(6).collect();
        let features: Vec<&str> = labels.iter().copied().filter(|l| self.data.feature_words(l).is_some()).collect();
        let mut spec = Spec::default();
        let feature = if rng.chance(0.7) { rng.pick(&features).copied() } else { None };
        let n = if feature.is_some() { rng.range(1, 2) } else { 2 };
        let mut picked: Vec<&str> = Vec::new();
        while picked.len() < n.min(kinds.len()) {
            let k = *rng.pick(&kinds)?;
            if !picked.contains(&k) {
                picked.push(k);
            }
        }
        picked.sort_by_key(|k| kinds.iter().position(|x| x == k));
        picked.reverse(); // the broadest label (listed first) reads best next to the noun
        for k in picked {
            spec.kind(k);
        }
        if let Some(f) = feature {
            spec.tail(self.data.feature_words(f)?.to_string(), vec![Condition::Label(f.to_string())]);
        }
        if spec.conditions.len() < 2 || spec.kinds.is_empty() {
            return None;
        }
        let (games, game) = spec.render(&self.data, rng);
        Some((say(&self.data, rng, "AS2I", &[("games", &games), ("game", &game)]), spec.conditions))
    }

    /// UQ2I: 1–2 explicit requests the target meets: a label, a feature, a price, a year.
    fn request(&self, item: &Item, rng: &mut SplitMix64) -> Option<(String, Vec<Condition>)> {
        let labels: Vec<&str> = self.descriptive(item).into_iter().take(6).collect();
        let features: Vec<&str> = labels.iter().copied().filter(|l| self.data.feature_words(l).is_some()).collect();
        let kinds: Vec<&str> = labels.iter().copied().filter(|l| self.data.feature_words(l).is_none()).collect();
        let mut options: Vec<u8> = Vec::new();
        if !kinds.is_empty() {
            options.push(0);
        }
        if !features.is_empty() {
            options.push(4);
        }
        if item.year.is_some() {
            options.push(2);
        }
        if item.price.is_some_and(|p| p.amount() <= 30.0) {
            options.push(3);
        }
        rng.shuffle(&mut options);
        options.truncate(rng.range(1, 2));
        options.sort_unstable();
        let mut spec = Spec::default();
        for o in options {
            if o == 4 {
                let f = *rng.pick(&features)?;
                spec.tail(self.data.feature_words(f)?.to_string(), vec![Condition::Label(f.to_string())]);
            } else {
                self.add(&mut spec, o, item, &kinds, rng);
            }
        }
        if spec.conditions.is_empty() {
            return None;
        }
        let text = if spec.kinds.is_empty() {
            format!("something {}", spec.tails.join(" "))
        } else {
            spec.render(&self.data, rng).1
        };
        Some((text, spec.conditions))
    }
}

/// Counts `key` case-insensitively, keeping its first spelling.
fn bump<'s>(counts: &mut Vec<(String, &'s str, usize)>, key: &'s str) {
    let k = key.to_lowercase();
    match counts.iter_mut().find(|c| c.0 == k) {
        Some(c) => c.2 += 1,
        None => counts.push((k, key, 1)),
    }
}

fn titles(items: &[Item], h: &[usize]) -> String {
    let t: Vec<&str> = h.iter().map(|&j| items[j].title.trim()).collect();
    join_list(&t)
}

fn ids(items: &[Item], h: &[usize]) -> Vec<String> {
    h.iter().map(|&j| items[j].id.clone()).collect()
}
