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

/// Steam's review sentiment labels, worst first.
pub const SENTIMENTS: &[&str] = &[
    "overwhelmingly negative",
    "very negative",
    "negative",
    "mostly negative",
    "mixed",
    "mostly positive",
    "positive",
    "very positive",
    "overwhelmingly positive",
];

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

    /// Who made it, one name a maker: its developers, or its publishers when the catalog
    /// names no developer ("Valve, Hidden Path" is two), folded for matching.
    #[must_use]
    pub fn makers(&self) -> Vec<String> {
        self.developer
            .as_deref()
            .or(self.publisher.as_deref())
            .map(super::makers::split_makers)
            .unwrap_or_default()
    }

    /// Every folded developer and publisher name.
    #[must_use]
    pub fn maker_names(&self) -> Vec<String> {
        [&self.developer, &self.publisher]
            .into_iter()
            .flatten()
            .flat_map(|s| super::makers::split_makers(s))
            .collect()
    }

    /// Whether any of the folded `makers` developed or published it.
    #[must_use]
    pub fn made_by(&self, makers: &[String]) -> bool {
        self.maker_names().iter().any(|m| makers.contains(m))
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

/// Title words that mark an add-on rather than a base item (soundtracks, demos, packs).
const ADDON_TITLE_WORDS: &[&str] = &[
    "soundtrack",
    "ost",
    "demo",
    "dlc",
    "pack",
    "expansion",
    "artbook",
    "wallpaper",
    "wallpapers",
    "costume",
    "costumes",
    "skin",
    "skins",
    "upgrade",
    "addon",
    "booster",
];
/// Labels that mark an add-on (Steam's "Downloadable Content" spec, soundtrack genres).
const ADDON_LABELS: &[&str] = &["downloadablecontent", "dlc", "soundtrack"];

/// Labels of software that is no game (Steam's tool genres).
pub const SOFTWARE_LABELS: &[&str] = &[
    "utilities",
    "designillustration",
    "animationmodeling",
    "videoproduction",
    "webpublishing",
    "softwaretraining",
    "audioproduction",
    "photoediting",
    "accounting",
    "gamedevelopment",
];

/// Genres that make an item a game whatever tool genres it also has.
pub const GAME_GENRES: &[&str] = &[
    "action",
    "adventure",
    "rpg",
    "strategy",
    "simulation",
    "casual",
    "racing",
    "sports",
    "puzzle",
    "shooter",
    "platformer",
    "horror",
    "massivelymultiplayer",
];

impl Item {
    /// Whether this is software rather than a game: a tool genre (`SOFTWARE_LABELS`) and no
    /// game genre. Such items follow the games in results when the query asks for games.
    #[must_use]
    pub fn is_software(&self) -> bool {
        let labels: Vec<String> = self
            .labels()
            .map(crate::retrieve::filters::norm_label)
            .collect();
        labels.iter().any(|l| SOFTWARE_LABELS.contains(&l.as_str()))
            && !labels.iter().any(|l| GAME_GENRES.contains(&l.as_str()))
    }

    /// Whether this is an add-on to another item (DLC, soundtrack, demo, pack, season pass)
    /// rather than a base item: Steam marks DLC with the "Downloadable Content" spec; the rest
    /// is read from title words.
    #[must_use]
    pub fn is_addon(&self) -> bool {
        let label = self.labels().any(|l| {
            let n = crate::retrieve::filters::norm_label(l);
            ADDON_LABELS.contains(&n.as_str())
        });
        if label {
            return true;
        }
        let folded = crate::text::fold(&self.title);
        let words: Vec<&str> = folded.split(' ').collect();
        words.iter().any(|w| ADDON_TITLE_WORDS.contains(w))
            || words.windows(2).any(|p| {
                matches!(
                    (p[0], p[1]),
                    ("season", "pass") | ("add", "on") | ("art", "book") | ("bonus", "content")
                )
            })
    }

    /// The item's review standing on one scale: the sentiment label's rank (1–9, see
    /// [`SENTIMENTS`]) when `by_sentiment`, else the metascore (0–100).
    #[must_use]
    pub fn rating(&self, by_sentiment: bool) -> Option<f64> {
        if by_sentiment {
            // Compared without case and without allocating: the well-rated filter reads
            // every admitted item of a 32k catalog.
            self.attributes.get("sentiment").and_then(|s| {
                SENTIMENTS
                    .iter()
                    .position(|x| x.eq_ignore_ascii_case(s.trim()))
                    .map(|p| p as f64 + 1.0)
            })
        } else {
            self.attributes
                .get("metascore")
                .and_then(|m| m.trim().parse::<f64>().ok())
                .filter(|m| m.is_finite())
        }
    }

    /// Whether people rate the item well: a sentiment of "Mostly Positive" or better, else
    /// a metascore of 75 or more. `None` when the catalog says neither.
    #[must_use]
    pub fn well_rated(&self) -> Option<bool> {
        self.rating(true)
            .map(|r| r >= 6.0)
            .or_else(|| self.rating(false).map(|m| m >= 75.0))
    }

    /// A popularity prior for ranking ties and cold starts (higher = more popular): ReDial's
    /// mention count, or for Steam an estimate of the review count from the sentiment label
    /// ("Overwhelmingly …" needs 500+ reviews, "Very …" 50+, other labels 10+, "N user
    /// reviews"), plus the number of user tags and whether a metascore exists.
    #[must_use]
    pub fn popularity(&self) -> f32 {
        if let Some(m) = self
            .attributes
            .get("mentions")
            .and_then(|m| m.trim().parse::<f32>().ok())
        {
            return (1.0 + m.max(0.0)).ln();
        }
        let reviews = match self.attributes.get("sentiment").map(String::as_str) {
            Some(s) if s.starts_with("Overwhelmingly") => 2000.0,
            Some(s) if s.starts_with("Very") => 200.0,
            Some(s) if s.ends_with("user reviews") => s
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<f32>().ok())
                .unwrap_or(1.0),
            Some(_) => 25.0,
            None => 0.0,
        };
        let meta = if self.attributes.contains_key("metascore") {
            1.0
        } else {
            0.0
        };
        (1.0 + reviews).ln() + 0.1 * self.tags.len().min(20) as f32 + meta
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, tags: &[&str]) -> Item {
        Item {
            id: "x".into(),
            title: title.into(),
            tags: tags.iter().map(|t| (*t).to_string()).collect(),
            ..Item::default()
        }
    }

    #[test]
    fn addons_are_recognised() {
        assert!(item("Portal Knights - Lobot Box", &["Downloadable Content"]).is_addon());
        assert!(item("Stardew Valley Soundtrack", &[]).is_addon());
        assert!(item("Racing Car Pack", &["Racing"]).is_addon());
        assert!(item("Witcher 3 Season Pass", &[]).is_addon());
        assert!(!item("Portal 2", &["Co-op", "Puzzle"]).is_addon());
        assert!(!item("Packet Loss", &[]).is_addon());
    }

    #[test]
    fn popularity_orders_by_reviews() {
        let mut a = item("A", &[]);
        a.attributes
            .insert("sentiment".into(), "Overwhelmingly Positive".into());
        let mut b = item("B", &[]);
        b.attributes
            .insert("sentiment".into(), "3 user reviews".into());
        assert!(a.popularity() > b.popularity());
        let mut m = item("M", &[]);
        m.attributes.insert("mentions".into(), "40".into());
        assert!(m.popularity() > 3.0);
    }

    #[test]
    fn software_is_a_tool_genre_without_a_game_genre() {
        let mut tool = Item {
            genres: vec!["Utilities".into(), "Design & Illustration".into()],
            ..Item::default()
        };
        assert!(tool.is_software());
        tool.genres.push("Action".into());
        assert!(
            !tool.is_software(),
            "a game maker that is also an action game"
        );
        assert!(!Item::default().is_software());
    }

    #[test]
    fn ratings_on_one_scale() {
        let mut it = Item::default();
        assert_eq!(it.well_rated(), None);
        it.attributes
            .insert("sentiment".into(), "Mostly Positive".into());
        assert_eq!((it.rating(true), it.well_rated()), (Some(6.0), Some(true)));
        it.attributes.insert("sentiment".into(), "Mixed".into());
        assert_eq!(it.well_rated(), Some(false));
        it.attributes.remove("sentiment");
        it.attributes.insert("metascore".into(), "81".into());
        assert_eq!(it.well_rated(), Some(true));
    }
}
