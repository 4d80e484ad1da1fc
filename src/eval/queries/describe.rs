//! The attribute phrasings of the target-based types: US2I's taste summary, FA2I's full
//! description, SA2I's sampled attributes, AS2I's user-style description and UQ2I's request.
//! Each returns the text and the conditions it states, all met by the target.

use crate::catalog::item::Item;

use super::build::Gen;
use super::phrase::{join_list, natural, price, say, year, Spec, YearForm};
use super::Condition;
use crate::rng::SplitMix64;

impl Gen<'_, '_> {
    /// US2I: the history's common labels (in ≥ 2 items) and maybe a shared developer.
    pub(crate) fn summary(&self, h: &[usize], rng: &mut SplitMix64) -> Option<String> {
        let items = self.ctx.items();
        let mut freq: Vec<(String, &str, usize)> = Vec::new();
        let mut devs: Vec<(String, &str, usize)> = Vec::new();
        for &j in h {
            for l in self.descriptive(&items[j]) {
                if self.data().feature_words(l).is_some() {
                    continue;
                }
                bump(&mut freq, l);
            }
            if let Some(d) = items[j]
                .developer
                .as_deref()
                .filter(|d| !d.trim().is_empty())
            {
                bump(&mut devs, d.trim());
            }
        }
        freq.retain(|f| f.2 >= 2);
        freq.sort_by_key(|f| std::cmp::Reverse(f.2));
        let n = rng.range(2, 4);
        if freq.len() < 2 {
            return None;
        }
        let labels: Vec<String> = freq.iter().take(n).map(|f| natural(f.1)).collect();
        let dev = devs.iter().find(|d| d.2 >= 2).filter(|_| rng.chance(0.5));
        let dev = dev.map_or(String::new(), |d| {
            say(self.data(), rng, "US2I.dev", &[("developer", d.1)])
        });
        Some(say(
            self.data(),
            rng,
            "US2I",
            &[("labels", &join_list(&labels)), ("dev", &dev)],
        ))
    }

    /// FA2I: genres, up to 5 tags, developer, year and price of the item.
    pub(crate) fn full(
        &self,
        item: &Item,
        rng: &mut SplitMix64,
    ) -> Option<(String, Vec<Condition>)> {
        let labels = self.descriptive(item);
        let genres: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| item.genres.iter().any(|g| g == l))
            .take(3)
            .collect();
        let mut spec = Spec::default();
        for g in &genres {
            spec.kind(g);
        }
        for l in labels
            .iter()
            .filter(|l| !genres.contains(l))
            .take(if genres.is_empty() { 6 } else { 5 })
        {
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
        if let Some(d) = item
            .developer
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            let text = say(self.data(), rng, "dev", &[("developer", d)]);
            spec.tail(text, vec![Condition::Developer(d.to_string())]);
        }
        if let Some(y) = item.year {
            let (text, c) = year(self.data(), rng, y, YearForm::Exact);
            spec.tail(format!(", {text}"), c);
        }
        if let Some((text, c)) = item.price.and_then(|p| price(self.data(), rng, p)) {
            spec.tail(format!(", {text}"), vec![c]);
        }
        let (games, game) = spec.render(self.data(), rng);
        Some((
            say(
                self.data(),
                rng,
                "FA2I",
                &[("games", &games), ("game", &game)],
            ),
            spec.conditions,
        ))
    }

    /// SA2I: 2–3 attributes, at least one a label.
    pub(crate) fn sampled(
        &self,
        item: &Item,
        rng: &mut SplitMix64,
    ) -> Option<(String, Vec<Condition>)> {
        let labels: Vec<&str> = self.descriptive(item).into_iter().take(8).collect();
        let first = *rng.pick(&labels)?;
        let mut options: Vec<u8> = vec![0];
        if item
            .developer
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
        {
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
        spec.label(self.data(), first);
        for o in options.into_iter().take(rng.range(1, 2)) {
            self.add(&mut spec, o, item, &labels, rng);
        }
        if spec.conditions.len() < 2 {
            return None;
        }
        let (games, game) = spec.render(self.data(), rng);
        Some((
            say(
                self.data(),
                rng,
                "SA2I",
                &[("games", &games), ("game", &game)],
            ),
            spec.conditions,
        ))
    }

    /// Adds attribute `o` (0 label, 1 developer, 2 year, 3 price) of `item` to `spec`.
    pub(crate) fn add(
        &self,
        spec: &mut Spec,
        o: u8,
        item: &Item,
        labels: &[&str],
        rng: &mut SplitMix64,
    ) {
        match o {
            0 => {
                let said: Vec<String> = spec.kinds.clone();
                let rest: Vec<&str> = labels
                    .iter()
                    .copied()
                    .filter(|l| !said.contains(&natural(l)))
                    .collect();
                if let Some(l) = rng.pick(&rest) {
                    spec.label(self.data(), l);
                }
            }
            1 => {
                if let Some(d) = item.developer.as_deref().map(str::trim) {
                    let text = say(self.data(), rng, "dev", &[("developer", d)]);
                    spec.tail(text, vec![Condition::Developer(d.to_string())]);
                }
            }
            2 => {
                if let Some(y) = item.year {
                    let form = [YearForm::Decade, YearForm::After, YearForm::Before][rng.below(3)];
                    let (text, c) = year(self.data(), rng, y, form);
                    spec.tail(text, c);
                }
            }
            _ => {
                if let Some((text, c)) = item.price.and_then(|p| price(self.data(), rng, p)) {
                    spec.tail(text, vec![c]);
                }
            }
        }
    }

    /// AS2I: 1–2 kind labels and maybe a feature, as a user would describe the item.
    pub(crate) fn described(
        &self,
        item: &Item,
        rng: &mut SplitMix64,
    ) -> Option<(String, Vec<Condition>)> {
        let labels = self.descriptive(item);
        let kinds: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| self.data().feature_words(l).is_none())
            .take(6)
            .collect();
        let features: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| self.data().feature_words(l).is_some())
            .collect();
        let mut spec = Spec::default();
        let feature = if rng.chance(0.7) {
            rng.pick(&features).copied()
        } else {
            None
        };
        let n = if feature.is_some() {
            rng.range(1, 2)
        } else {
            2
        };
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
            spec.tail(
                self.data().feature_words(f)?.to_string(),
                vec![Condition::Label(f.to_string())],
            );
        }
        if spec.conditions.len() < 2 || spec.kinds.is_empty() {
            return None;
        }
        let (games, game) = spec.render(self.data(), rng);
        Some((
            say(
                self.data(),
                rng,
                "AS2I",
                &[("games", &games), ("game", &game)],
            ),
            spec.conditions,
        ))
    }

    /// UQ2I: 1–2 explicit requests the target meets: a label, a feature, a price, a year.
    pub(crate) fn request(
        &self,
        item: &Item,
        rng: &mut SplitMix64,
    ) -> Option<(String, Vec<Condition>)> {
        let labels: Vec<&str> = self.descriptive(item).into_iter().take(6).collect();
        let features: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| self.data().feature_words(l).is_some())
            .collect();
        let kinds: Vec<&str> = labels
            .iter()
            .copied()
            .filter(|l| self.data().feature_words(l).is_none())
            .collect();
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
                spec.tail(
                    self.data().feature_words(f)?.to_string(),
                    vec![Condition::Label(f.to_string())],
                );
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
            spec.render(self.data(), rng).1
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
