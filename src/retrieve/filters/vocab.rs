//! The catalog's label vocabulary: every genre and tag, normalised ("Multi-player" and
//! "multiplayer" are one label), with how many items carry it.

use std::collections::HashMap;

use crate::catalog::Item;

/// Normalise a label or query phrase: lowercase ASCII letters and digits only.
#[must_use]
pub fn norm_label(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Labels a query may name, by normalised form.
#[derive(Debug, Clone, Default)]
pub struct LabelVocab {
    counts: HashMap<String, usize>,
    /// Labels of [`NOT_FILTERS`] the catalog has: a single word never names them ("short"
    /// is ordinary speech), a quality phrase may ("something shorter" is Short).
    ordinary: HashMap<String, usize>,
    /// The catalog's latest year (see [`latest_year`]): what "recent" is measured from.
    latest_year: Option<i32>,
}

/// Labels that are words of ordinary speech more often than requests ("great", "short").
const NOT_FILTERS: &[&str] = &[
    "freetoplay",
    "free",
    "great",
    "good",
    "classic",
    "short",
    "long",
    "new",
    "old",
    "game",
    "games",
    "fun",
    "cute",
    "best",
    "masterpiece",
    "addictive",
    "singleplayer",
    "beautiful",
];

/// Everyday words for labels catalogs name otherwise (normalised word → normalised label),
/// used when the catalog has the label and not the word itself: "nothing scary" is "not
/// Horror".
const SYNONYMS: &[(&str, &str)] = &[
    ("scary", "horror"),
    ("spooky", "horror"),
    ("creepy", "horror"),
    ("frightening", "horror"),
    ("terrifying", "horror"),
    ("pointandclick", "pointclick"),
    ("gory", "gore"),
    ("bloody", "gore"),
    ("punishing", "difficult"),
    ("funny", "comedy"),
    ("hilarious", "comedy"),
    ("cooperative", "coop"),
    ("chill", "relaxing"),
    ("cozy", "relaxing"),
    ("sciencefiction", "scifi"),
    ("roleplaying", "rpg"),
    ("kidfriendly", "familyfriendly"),
    ("forkids", "familyfriendly"),
    ("kid", "familyfriendly"),
    ("kids", "familyfriendly"),
    ("child", "familyfriendly"),
    ("children", "familyfriendly"),
    ("shooting", "shooter"),
    ("pixelart", "pixelgraphics"),
    ("pixel", "pixelgraphics"),
    ("couch", "localcoop"),
    ("couchcoop", "localcoop"),
    ("challenging", "difficult"),
    ("realtimestrategy", "rts"),
    ("storydriven", "storyrich"),
    ("storybased", "storyrich"),
];

/// The year "now" is for a catalog: the latest year that at least 1 % of its dated items
/// reach (an import's few future dates or typos do not move it). A catalog of 2018's games
/// asked for "recent" ones answers from its last years, not from the calendar's.
fn latest_year(items: &[Item]) -> Option<i32> {
    let mut years: Vec<i32> = items.iter().filter_map(|i| i.year).collect();
    if years.is_empty() {
        return None;
    }
    years.sort_unstable();
    let at = years.len() - 1 - (years.len() / 100);
    Some(years[at])
}

impl LabelVocab {
    /// Build from items; labels carried by fewer than `min_items` items are left out.
    #[must_use]
    pub fn build(items: &[Item], min_items: usize) -> Self {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for item in items {
            let mut mine: Vec<String> = item.labels().map(norm_label).collect();
            mine.sort();
            mine.dedup();
            for l in mine {
                *counts.entry(l).or_default() += 1;
            }
        }
        counts.retain(|l, n| *n >= min_items && l.len() >= 2);
        let ordinary = counts
            .iter()
            .filter(|(l, _)| NOT_FILTERS.contains(&l.as_str()))
            .map(|(l, n)| (l.clone(), *n))
            .collect();
        counts.retain(|l, _| !NOT_FILTERS.contains(&l.as_str()));
        Self {
            counts,
            ordinary,
            latest_year: latest_year(items),
        }
    }

    /// The same vocabulary, with "recent" measured from `year` (tests).
    #[must_use]
    pub fn with_latest_year(mut self, year: i32) -> Self {
        self.latest_year = Some(year);
        self
    }

    /// The catalog's latest year, what "recent" and "the last few years" are measured from.
    #[must_use]
    pub fn latest(&self) -> Option<i32> {
        self.latest_year
    }

    /// A vocabulary from explicit labels (tests).
    #[must_use]
    pub fn from_labels(labels: &[&str]) -> Self {
        let (ordinary, counts) = labels
            .iter()
            .map(|l| (norm_label(l), 1))
            .partition(|(l, _)| NOT_FILTERS.contains(&l.as_str()));
        Self {
            counts,
            ordinary,
            latest_year: None,
        }
    }

    /// Whether the catalog has this (normalised) label, including labels a single word never
    /// names ([`NOT_FILTERS`]).
    #[must_use]
    pub fn has(&self, label: &str) -> bool {
        self.counts.contains_key(label) || self.ordinary.contains_key(label)
    }

    /// The normalised label that `phrase` names, trying a plural-less form too.
    #[must_use]
    pub fn lookup(&self, phrase: &str) -> Option<String> {
        let n = norm_label(phrase);
        if n.is_empty() {
            return None;
        }
        if self.counts.contains_key(&n) {
            return Some(n);
        }
        let singular = n
            .strip_suffix("es")
            .filter(|s| self.counts.contains_key(*s));
        let singular =
            singular.or_else(|| n.strip_suffix('s').filter(|s| self.counts.contains_key(*s)));
        if let Some(s) = singular {
            return Some(s.to_string());
        }
        // "zombie" for "Zombies"; not for short words ("card" is no "Cards" label).
        let plural = format!("{n}s");
        if n.len() >= 5 && self.counts.contains_key(&plural) {
            return Some(plural);
        }
        SYNONYMS
            .iter()
            .find(|(word, label)| *word == n && self.counts.contains_key(*label))
            .map(|(_, label)| (*label).to_string())
    }

    /// Number of items with this (normalised) label.
    #[must_use]
    pub fn count(&self, label: &str) -> usize {
        self.counts.get(label).copied().unwrap_or(0)
    }
}
