//! The active constraints of a conversation: the request text so far, hard filters merged
//! turn by turn, and the items the request is anchored on. A refinement merges into them
//! ("with co-op" adds a label, "not horror" a negation, "under $10" a price bound) and
//! relative requests are read against the cards on screen: "cheaper" puts the price bound
//! below the median price of the shown cards, "newer" the year bound above their median
//! year (or, when the request has a last year, "a comedy from the 80s", after it), "older"
//! and "more expensive" the other way.

use serde::{Deserialize, Serialize};

pub use super::relative::{relatives, without_relatives, Relative};

use crate::{
    catalog::Item,
    retrieve::{lexical, Filters, ParsedQuery},
};

/// Request texts kept for retrieval (the most recent ones).
const MAX_TEXTS: usize = 3;

/// What the conversation is currently asking for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    /// The request texts, oldest first (filter words already removed).
    pub texts: Vec<String>,
    /// Merged hard filters.
    pub filters: Filters,
    /// Ids of the items the request is anchored on ("like Portal").
    pub anchors: Vec<String>,
    /// Whether add-ons were asked for.
    pub addons: bool,
    /// Whether software was asked for ("a level editor"): then it is not put after games.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub software: bool,
    /// How many cards were asked for ("recommend me 3 rpgs"), if said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// Labels that cannot both be asked for: a later one replaces the earlier.
const CONTRADICTS: &[(&str, &[&str])] = &[
    (
        "singleplayer",
        &[
            "coop",
            "onlinecoop",
            "localcoop",
            "multiplayer",
            "localmultiplayer",
            "onlinemultiplayer",
            "massivelymultiplayer",
            "mmo",
            "pvp",
        ],
    ),
    ("coop", &["singleplayer"]),
    ("onlinecoop", &["singleplayer"]),
    ("localcoop", &["singleplayer"]),
    ("multiplayer", &["singleplayer"]),
];

/// The labels `label` replaces when asked for.
fn contradicted_by(label: &str) -> &'static [&'static str] {
    CONTRADICTS
        .iter()
        .find(|(l, _)| *l == label)
        .map_or(&[], |(_, against)| against)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}

impl Constraints {
    /// Whether nothing is constrained.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The text retrieval searches with: the recent request texts.
    #[must_use]
    pub fn query_text(&self) -> String {
        self.texts.join(" ")
    }

    /// Start a new request from a parsed turn (its filters and text replace everything).
    pub fn replace(&mut self, parsed: &ParsedQuery, text: &str, anchors: Vec<String>) {
        *self = Self::default();
        self.merge(parsed, text, anchors);
    }

    /// Merge a parsed turn into the active constraints. `text` is the turn's remaining
    /// request text (named titles and filter words removed).
    pub fn merge(&mut self, parsed: &ParsedQuery, text: &str, anchors: Vec<String>) {
        let n = &parsed.filters;
        let f = &mut self.filters;
        if n.price_max.is_some() {
            f.price_max = n.price_max;
        }
        if n.price_min.is_some() {
            f.price_min = n.price_min;
        }
        f.free |= n.free;
        f.well_rated |= n.well_rated;
        if n.year_min.is_some() {
            f.year_min = n.year_min;
        }
        if n.year_max.is_some() {
            f.year_max = n.year_max;
        }
        if !n.makers.is_empty() {
            f.makers.clone_from(&n.makers);
        }
        // A label that contradicts one asked for before replaces it: "but single player"
        // after co-op games.
        for l in &n.labels {
            let against = contradicted_by(l);
            f.labels.retain(|x| !against.contains(&x.as_str()));
        }
        // A label said again, wanted, refused or avoided, leaves the other two lists.
        for (said, list) in [(&n.labels, 0), (&n.not_labels, 1), (&n.avoid_labels, 2)] {
            for l in said {
                let mut lists = [&mut f.labels, &mut f.not_labels, &mut f.avoid_labels];
                for other in &mut lists {
                    other.retain(|x| x != l);
                }
                lists[list].push(l.clone());
            }
        }
        if let (Some(lo), Some(hi)) = (f.price_min, f.price_max) {
            if lo > hi {
                f.price_min = None;
            }
        }
        if let (Some(lo), Some(hi)) = (f.year_min, f.year_max) {
            if lo > hi {
                // The newer bound wins over an older, contradicting one.
                if n.year_min.is_some() {
                    f.year_max = None;
                } else {
                    f.year_min = None;
                }
            }
        }
        self.addons |= parsed.wants_addons;
        self.software |= parsed.wants_software;
        if parsed.count.is_some() {
            self.count = parsed.count;
        }
        let content = lexical::words(text)
            .filter(|w| !lexical::STOPWORDS.contains(&w.as_str()))
            .count();
        if content > 0 {
            self.texts.push(text.trim().to_string());
            if self.texts.len() > MAX_TEXTS {
                self.texts.remove(0);
            }
        }
        for a in anchors {
            if !self.anchors.contains(&a) {
                self.anchors.push(a);
            }
        }
    }

    /// Apply relative changes against the cards on screen, or a year change against the
    /// request's own bound. Returns the changes that could be applied (a price change needs
    /// shown cards with prices, a year change years or a bound).
    pub fn apply_relative(&mut self, rel: &[Relative], shown: &[&Item]) -> Vec<Relative> {
        let prices = median(
            shown
                .iter()
                .filter_map(|i| i.price.map(crate::catalog::Price::amount))
                .collect(),
        );
        let years = median(shown.iter().filter_map(|i| i.year.map(f64::from)).collect());
        let mut applied = Vec::new();
        for r in rel {
            match (r, prices, years) {
                (Relative::Cheaper, Some(m), _) if m > 0.0 => {
                    // Strictly below the median: a bound of m − 1 cent.
                    let bound = (m - 0.01).max(0.0);
                    self.filters.price_max =
                        Some(self.filters.price_max.map_or(bound, |b| b.min(bound)));
                    if self.filters.price_min.is_some_and(|lo| lo > bound) {
                        self.filters.price_min = None;
                    }
                    self.filters.free = false;
                }
                (Relative::Pricier, Some(m), _) => {
                    self.filters.price_min = Some(m + 0.01);
                    self.filters.free = false;
                    if self.filters.price_max.is_some_and(|hi| hi < m + 0.01) {
                        self.filters.price_max = None;
                    }
                }
                // Newer than a bound asked for ("a comedy from the 80s" or "before 2005",
                // then "something more recent"): after it.
                (Relative::Newer, _, _) if self.filters.year_max.is_some() => {
                    self.filters.year_min = self.filters.year_max.map(|hi| hi + 1);
                    self.filters.year_max = None;
                }
                (Relative::Older, _, _) if self.filters.year_min.is_some() => {
                    // Older than "from 2016 on" or "the 90s": before it.
                    self.filters.year_max = self.filters.year_min.map(|lo| lo - 1);
                    self.filters.year_min = None;
                }
                // Else against the cards: after (before) their median year.
                (Relative::Newer, _, Some(y)) => {
                    self.filters.year_min = Some(y.floor() as i32 + 1);
                }
                (Relative::Older, _, Some(y)) => {
                    self.filters.year_max = Some(y.ceil() as i32 - 1);
                }
                _ => continue,
            }
            applied.push(*r);
        }
        applied
    }

    /// A short human description ("under $9.99, co-op, not horror, like Portal").
    #[must_use]
    pub fn describe(&self, title_of: &dyn Fn(&str) -> Option<String>) -> String {
        let f = &self.filters;
        let mut parts: Vec<String> = Vec::new();
        if let Some(t) = self.texts.last() {
            parts.push(format!("\"{t}\""));
        }
        if f.free {
            parts.push("free".into());
        }
        if let Some(p) = f.price_max {
            parts.push(format!("under ${p:.2}"));
        }
        if let Some(p) = f.price_min {
            parts.push(format!("over ${p:.2}"));
        }
        match (f.year_min, f.year_max) {
            (Some(a), Some(b)) if a == b => parts.push(format!("from {a}")),
            (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
            (Some(a), None) => parts.push(format!("from {a} on")),
            (None, Some(b)) => parts.push(format!("up to {b}")),
            _ => {}
        }
        if !f.makers.is_empty() {
            parts.push(format!("by {}", f.makers.join(" or ")));
        }
        parts.extend(f.labels.iter().cloned());
        parts.extend(f.not_labels.iter().map(|l| format!("not {l}")));
        parts.extend(f.avoid_labels.iter().map(|l| format!("rather not {l}")));
        if f.well_rated {
            parts.push("well rated".to_string());
        }
        let likes: Vec<String> = self.anchors.iter().filter_map(|a| title_of(a)).collect();
        if !likes.is_empty() {
            parts.push(format!("like {}", likes.join(" and ")));
        }
        parts.join(", ")
    }
}

#[cfg(test)]
#[path = "constraints_tests.rs"]
mod tests;
