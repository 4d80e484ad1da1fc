//! What the catalog says about one item, in the forms the support check compares with: the
//! stems of every word of its fields, the numbers in them (price, year, counts in tags,
//! attributes and description), and its distinguishing facts against other items, each
//! with a short phrase a reason can carry ("with Local Co-op", "by Valve", "from 2011").

use std::collections::HashSet;

use super::words::{stem, stems};
use crate::catalog::{Item, Price};

/// Attribute keys whose values are not facts about the item itself (links).
fn is_link(value: &str) -> bool {
    value.starts_with("http://") || value.starts_with("https://")
}

/// Labels that say little about what an item is like (store features): ranked last.
const MINOR_LABELS: &[&str] = &[
    "steam achievements",
    "steam trading cards",
    "steam cloud",
    "steam leaderboards",
    "steam workshop",
    "full controller support",
    "partial controller support",
    "stats",
    "in app purchases",
    "includes level editor",
    "captions available",
    "commentary available",
    "valve anti cheat enabled",
    "downloadable content",
    "single player",
    "indie",
];

/// The facts of one item.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The item.
    pub item: &'a Item,
    /// Stems of all words of its title, labels, developer, publisher, description and
    /// attributes.
    pub stems: HashSet<String>,
    /// Numbers stated in its fields (price, year, and digits in the text).
    pub numbers: Vec<f64>,
    /// The item's full text (title, labels, developer, publisher, description, attributes).
    pub text: String,
}

/// Numbers written in `text` ("$19.99" → 19.99, "1-8" → 1 and 8, "2.5D" → 2.5), with the
/// byte span of each.
#[must_use]
pub fn numbers(text: &str) -> Vec<(f64, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            // A thousands separator: ",ddd" not followed by another digit.
            let group = i + 4 <= b.len()
                && b[i] == b','
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit);
            if !group {
                break;
            }
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let s: String = text[start..i].chars().filter(|c| *c != ',').collect();
        if let Ok(v) = s.parse::<f64>() {
            out.push((v, start, i));
        }
    }
    out
}

impl<'a> Facts<'a> {
    /// Gather the facts of `item`.
    #[must_use]
    pub fn of(item: &'a Item) -> Self {
        let mut text = item.title.clone();
        for l in item.labels() {
            text.push_str(" | ");
            text.push_str(l);
        }
        for s in [&item.developer, &item.publisher, &item.description]
            .into_iter()
            .flatten()
        {
            text.push_str(" | ");
            text.push_str(s);
        }
        for v in item.attributes.values().filter(|v| !is_link(v)) {
            text.push_str(" | ");
            text.push_str(v);
        }
        let mut numbers: Vec<f64> = numbers(&text).into_iter().map(|(v, _, _)| v).collect();
        let mut all = stems(&text);
        if let Some(y) = item.year {
            numbers.push(f64::from(y));
        }
        match item.price {
            Some(Price::Paid(p)) => numbers.push(p),
            Some(Price::Free) => {
                numbers.push(0.0);
                all.insert(stem("free"));
            }
            None => {}
        }
        Self {
            item,
            stems: all,
            numbers,
            text,
        }
    }

    /// Whether `n` is one of the item's numbers.
    #[must_use]
    pub fn has_number(&self, n: f64) -> bool {
        self.numbers.iter().any(|m| (m - n).abs() < 0.005)
    }

    /// Whether the folded word is written in the item's developer or publisher.
    #[must_use]
    pub fn made_by(&self, folded: &str) -> bool {
        let it = self.item;
        it.developer
            .iter()
            .chain(&it.publisher)
            .any(|t| has_word(t, folded))
    }
}

/// Whether `folded` is one of the words of `text` once folded (a whole word, not a stem).
#[must_use]
pub fn has_word(text: &str, folded: &str) -> bool {
    crate::text::fold(text).split(' ').any(|x| x == folded)
}

/// One fact that can set an item apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A genre or tag.
    Label(String),
    /// Its developer.
    Developer(String),
    /// Its release year.
    Year(i32),
    /// Its price.
    Price(Price),
}

impl Fact {
    /// The words a reason uses to name this fact, and how it is added to a reason.
    #[must_use]
    pub fn phrase(&self) -> String {
        match self {
            Fact::Label(l) => format!("with {l}"),
            Fact::Developer(d) => format!("by {d}"),
            Fact::Year(y) => format!("from {y}"),
            Fact::Price(Price::Free) => "free".to_string(),
            Fact::Price(p) => format!("at {p}"),
        }
    }

    /// Whether `text` (a reason) names this fact.
    #[must_use]
    pub fn named_in(&self, text: &str) -> bool {
        match self {
            Fact::Label(l) | Fact::Developer(l) => {
                let want = stems(l);
                let have = stems(text);
                !want.is_empty() && want.is_subset(&have)
            }
            Fact::Year(y) => numbers(text).iter().any(|(v, _, _)| *v == f64::from(*y)),
            Fact::Price(Price::Free) => stems(text).contains(&stem("free")),
            Fact::Price(Price::Paid(p)) => {
                numbers(text).iter().any(|(v, _, _)| (v - p).abs() < 0.005)
            }
        }
    }
}

fn same_label(a: &str, b: &str) -> bool {
    crate::text::fold(a) == crate::text::fold(b)
}

/// The facts of `item` that none of `others` shares, most telling first: labels that match
/// the user's words, then the item's labels in catalog order (store features last), then
/// developer, year and price.
#[must_use]
pub fn distinguishing(item: &Item, others: &[&Item], user: &HashSet<String>) -> Vec<Fact> {
    let mut labels: Vec<(u8, usize, &str)> = item
        .tags
        .iter()
        .chain(item.genres.iter())
        .enumerate()
        .filter(|(_, l)| !others.iter().any(|o| o.labels().any(|m| same_label(l, m))))
        .map(|(i, l)| {
            let relevant = stems(l).iter().any(|s| user.contains(s));
            let minor = MINOR_LABELS.contains(&crate::text::fold(l).as_str());
            (u8::from(!relevant) + 2 * u8::from(minor), i, l.as_str())
        })
        .collect();
    labels.sort_by_key(|(rank, i, _)| (*rank, *i));
    labels.dedup_by(|a, b| same_label(a.2, b.2));
    let mut out: Vec<Fact> = labels
        .into_iter()
        .map(|(_, _, l)| Fact::Label(l.to_string()))
        .collect();
    if let Some(d) = &item.developer {
        if !others
            .iter()
            .any(|o| o.developer.as_deref().is_some_and(|e| same_label(d, e)))
        {
            out.push(Fact::Developer(d.clone()));
        }
    }
    if let Some(y) = item.year {
        if !others.iter().any(|o| o.year == Some(y)) {
            out.push(Fact::Year(y));
        }
    }
    if let Some(p) = item.price {
        if !others.iter().any(|o| o.price == Some(p)) {
            out.push(Fact::Price(p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, tags: &[&str], dev: &str, year: i32, price: f64) -> Item {
        Item {
            id: title.to_lowercase(),
            title: title.into(),
            tags: tags.iter().map(|t| (*t).to_string()).collect(),
            developer: Some(dev.into()),
            year: Some(year),
            price: Some(Price::Paid(price)),
            ..Item::default()
        }
    }

    #[test]
    fn numbers_are_read_whole() {
        let n: Vec<f64> = numbers("$19.99, 1-8 players, 2.5D, 1,200 reviews, in 2011.")
            .into_iter()
            .map(|(v, _, _)| v)
            .collect();
        assert_eq!(n, [19.99, 1.0, 8.0, 2.5, 1200.0, 2011.0]);
    }

    #[test]
    fn facts_hold_numbers_and_stems() {
        let it = item(
            "Unravel Two",
            &["Co-op", "Physics"],
            "Coldwood",
            2018,
            19.99,
        );
        let f = Facts::of(&it);
        assert!(f.has_number(19.99) && f.has_number(2018.0));
        assert!(!f.has_number(7.0));
        assert!(f.stems.contains("physic") && f.stems.contains("coldwood"));
    }

    #[test]
    fn distinguishing_facts_are_not_shared() {
        let a = item(
            "Outlast",
            &["Horror", "Gore", "Survival Horror"],
            "Red Barrels",
            2013,
            19.99,
        );
        let b = item(
            "Layers of Fear",
            &["Horror", "Psychological Horror"],
            "Bloober",
            2016,
            19.99,
        );
        let user = stems("scary but not too gory");
        let d = distinguishing(&a, &[&b], &user);
        assert_eq!(d[0], Fact::Label("Gore".into()), "{d:?}");
        assert!(!d.contains(&Fact::Label("Horror".into())));
        assert!(!d.iter().any(|f| matches!(f, Fact::Price(_))));
        assert!(d.contains(&Fact::Year(2013)));
        assert!(Fact::Label("Survival Horror".into()).named_in("a survival horror classic"));
        assert!(Fact::Year(2013).named_in("from 2013"));
        assert!(!Fact::Developer("Red Barrels".into()).named_in("red fog"));
    }
}
