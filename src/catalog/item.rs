//! The normalised catalog item: what every importer produces and every later stage reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The price of an item: free, or an amount in the catalog's currency (US dollars for Steam).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Price {
    /// Costs nothing ("Free", "Free to Play", 0.0).
    Free,
    /// Costs this much.
    Paid(f64),
}

impl Price {
    /// The amount, with free as 0.
    #[must_use]
    pub fn amount(self) -> f64 {
        match self {
            Price::Free => 0.0,
            Price::Paid(p) => p,
        }
    }
}

impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Price::Free => write!(f, "free"),
            Price::Paid(p) => write!(f, "${p:.2}"),
        }
    }
}

/// One catalog item in reco's normalised schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Item {
    /// Unique within its catalog (Steam app id, ReDial movie id, ...).
    pub id: String,
    /// Display title, without the year.
    pub title: String,
    /// Release year, when known and plausible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Price, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Price>,
    /// Broad genres ("Action", "Strategy").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub genres: Vec<String>,
    /// Finer tags and features ("Co-op", "Puzzle", "Single-player").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Who made it (developer, director, author, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    /// Who published it (publisher, studio, label, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// A short free-text description, when the source has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Everything else the source had that is worth keeping (sentiment, metascore, url, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

impl Item {
    /// The text the embedding backbone sees for this item: title first, then the attributes
    /// that describe what the item is like. Kept short: MiniLM reads 256 word pieces at most.
    #[must_use]
    pub fn embed_text(&self) -> String {
        let mut s = self.title.clone();
        if let Some(y) = self.year {
            s.push_str(&format!(" ({y})"));
        }
        s.push('.');
        if !self.genres.is_empty() {
            s.push_str(" Genres: ");
            s.push_str(&self.genres.join(", "));
            s.push('.');
        }
        if !self.tags.is_empty() {
            s.push_str(" Tags: ");
            let tags: Vec<&str> = self.tags.iter().take(12).map(String::as_str).collect();
            s.push_str(&tags.join(", "));
            s.push('.');
        }
        if let Some(d) = &self.developer {
            s.push_str(" By ");
            s.push_str(d);
            s.push('.');
        }
        if let Some(d) = &self.description {
            s.push(' ');
            s.push_str(d);
        }
        s
    }

    /// All genres and tags, for filters and lexical matching.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.genres
            .iter()
            .chain(self.tags.iter())
            .map(String::as_str)
    }

    /// Whether this item carries `label` as a genre or tag (case-insensitive).
    #[must_use]
    pub fn has_label(&self, label: &str) -> bool {
        self.labels().any(|l| l.eq_ignore_ascii_case(label))
    }
}
