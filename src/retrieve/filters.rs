//! Hard attribute filters understood from the query text: price bounds, "free", year ranges,
//! negated labels ("not horror", "without multiplayer") and positive labels (genres/tags the
//! catalog actually has). What the filters consume is cut from the text that dense and lexical
//! search see, so "not horror" does not pull horror games closer.

use crate::catalog::Item;

mod counts;
mod either;
mod parse;
mod qualities;
mod recent;
mod values;
mod vocab;

pub use counts::MAX_COUNT;
pub use parse::{parse, quality_labels, without_label_words, without_negated_words};
pub use vocab::{norm_label, LabelVocab};

/// Filters read from one query.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Highest acceptable price (inclusive).
    pub price_max: Option<f64>,
    /// Lowest acceptable price (inclusive).
    pub price_min: Option<f64>,
    /// Only free items.
    pub free: bool,
    /// Earliest year (inclusive).
    pub year_min: Option<i32>,
    /// Latest year (inclusive).
    pub year_max: Option<i32>,
    /// Labels every result should carry (relaxed when too few items qualify).
    pub labels: Vec<String>,
    /// Labels no result may carry.
    pub not_labels: Vec<String>,
    /// Labels results should rather not carry ("easier" is not Difficult): left out of the
    /// results while enough items remain without them, else ignored (the souls-likes of a
    /// catalog may all be tagged Difficult, and "souls-like but easier" still wants them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub avoid_labels: Vec<String>,
    /// Well rated items asked for ("with good reviews"): items people rate poorly leave the
    /// results while enough well rated items remain ([`Item::well_rated`]); nothing changes
    /// in a catalog without ratings.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub well_rated: bool,
    /// Makers every result must have (folded names, [`Item::makers`]): "more from the same
    /// studio as the first one".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub makers: Vec<String>,
}

/// A query split into filters and the remaining free text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    /// The filters.
    pub filters: Filters,
    /// The text left for dense and lexical matching.
    pub text: String,
    /// The query asks for add-ons (DLC, soundtracks, demos, packs), so they may rank with
    /// base items.
    pub wants_addons: bool,
    /// How many items it asks for ("recommend me 3 rpgs"), if it says.
    pub count: Option<usize>,
    /// It asks for games (says "game(s)" or "play", or names a game genre): software that
    /// is no game follows the games in its results ([`Item::is_software`]).
    pub wants_games: bool,
    /// It asks for software (a tool genre, or "tool", "engine", "editor", …): never demoted.
    pub wants_software: bool,
}

impl Filters {
    /// Whether any filter is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The hard part: price, free, years and negations. Items with an unknown price or year
    /// fail a price or year bound (a user who says "under $20" wants to know it is).
    #[must_use]
    pub fn admits_hard(&self, item: &Item) -> bool {
        self.admits_values(item)
            && !self
                .not_labels
                .iter()
                .any(|l| item.labels().any(|x| norm_label(x) == *l))
    }

    /// Price, free, year bounds and makers only.
    #[must_use]
    pub fn admits_values(&self, item: &Item) -> bool {
        let price = item.price.map(crate::catalog::Price::amount);
        if self.free && price != Some(0.0) {
            return false;
        }
        if let Some(max) = self.price_max {
            if !price.is_some_and(|p| p <= max + 1e-9) {
                return false;
            }
        }
        if let Some(min) = self.price_min {
            if !price.is_some_and(|p| p >= min - 1e-9) {
                return false;
            }
        }
        if !self.makers.is_empty() && !item.made_by(&self.makers) {
            return false;
        }
        if self.year_min.is_some() || self.year_max.is_some() {
            let Some(y) = item.year else { return false };
            if self.year_min.is_some_and(|m| y < m) || self.year_max.is_some_and(|m| y > m) {
                return false;
            }
        }
        true
    }

    /// Whether the item carries every positive label.
    #[must_use]
    pub fn admits_labels(&self, item: &Item) -> bool {
        self.labels
            .iter()
            .all(|l| item.labels().any(|x| norm_label(x) == *l))
    }

    /// How many positive labels the item carries.
    #[must_use]
    pub fn label_matches(&self, item: &Item) -> usize {
        self.labels
            .iter()
            .filter(|l| item.labels().any(|x| norm_label(x) == **l))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Price;

    #[test]
    fn hard_filters() {
        let item = Item {
            id: "1".into(),
            title: "X".into(),
            year: Some(2015),
            price: Some(Price::Paid(9.99)),
            tags: vec!["Horror".into(), "Multi-player".into()],
            ..Item::default()
        };
        let mut f = Filters {
            price_max: Some(10.0),
            ..Filters::default()
        };
        assert!(f.admits_hard(&item));
        f.price_max = Some(5.0);
        assert!(!f.admits_hard(&item));
        let f = Filters {
            not_labels: vec!["multiplayer".into()],
            ..Filters::default()
        };
        assert!(!f.admits_hard(&item));
        let f = Filters {
            free: true,
            ..Filters::default()
        };
        assert!(!f.admits_hard(&item));
        let f = Filters {
            year_min: Some(2010),
            year_max: Some(2019),
            ..Filters::default()
        };
        assert!(f.admits_hard(&item));
    }
}
