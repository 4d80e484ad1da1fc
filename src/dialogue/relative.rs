//! Relative changes read from a turn ("cheaper", "newer", "too old", "more affordable"): what
//! they ask for, and the text without them. [`super::constraints::Constraints::apply_relative`]
//! applies them.

use crate::retrieve::{lexical, Filters};

/// A relative change read from a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// Lower price than shown.
    Cheaper,
    /// Higher price than shown.
    Pricier,
    /// More recent than shown.
    Newer,
    /// Older than shown.
    Older,
}

impl Relative {
    /// Whether the turn's own filters state the value this change would move, which then
    /// wins ("too expensive, anything under 15" is under $15; "older ones, like before 2012"
    /// is before 2012).
    #[must_use]
    pub fn stated_in(self, f: &Filters) -> bool {
        match self {
            Relative::Cheaper => f.price_max.is_some() || f.free,
            Relative::Pricier => f.price_min.is_some(),
            Relative::Newer => f.year_min.is_some(),
            Relative::Older => f.year_max.is_some(),
        }
    }
}

const RELATIVE: &[(&[&str], Relative)] = &[
    (&["cheaper"], Relative::Cheaper),
    (&["less", "expensive"], Relative::Cheaper),
    (&["too", "expensive"], Relative::Cheaper),
    (&["not", "that", "expensive"], Relative::Cheaper),
    (&["not", "that", "much", "money"], Relative::Cheaper),
    (&["not", "much", "money"], Relative::Cheaper),
    (&["not", "so", "expensive"], Relative::Cheaper),
    (&["too", "pricey"], Relative::Cheaper),
    (&["lower", "price"], Relative::Cheaper),
    (&["cheaper", "ones"], Relative::Cheaper),
    (&["more", "affordable"], Relative::Cheaper),
    (&["pricier"], Relative::Pricier),
    (&["more", "expensive"], Relative::Pricier),
    (&["too", "cheap"], Relative::Pricier),
    (&["newer"], Relative::Newer),
    (&["more", "recent"], Relative::Newer),
    (&["too", "old"], Relative::Newer),
    (&["not", "that", "old"], Relative::Newer),
    (&["not", "so", "old"], Relative::Newer),
    (&["more", "modern"], Relative::Newer),
    (&["older"], Relative::Older),
    (&["too", "new"], Relative::Older),
    (&["not", "that", "new"], Relative::Older),
    (&["less", "recent"], Relative::Older),
];

/// Relative changes named in `text`.
#[must_use]
pub fn relatives(text: &str) -> Vec<Relative> {
    let w: Vec<String> = lexical::words(text).collect();
    let mut out = Vec::new();
    for (_, r) in relative_spans(&w) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// `text` without the words of its relative phrases: "cheaper" is a change of the price
/// bound, not something to search for, and kept as request text it would pull in whatever
/// the word itself matches.
#[must_use]
pub fn without_relatives(text: &str) -> String {
    let w: Vec<String> = lexical::words(text).collect();
    let mut covered = vec![false; w.len()];
    for (range, _) in relative_spans(&w) {
        covered[range].iter_mut().for_each(|c| *c = true);
    }
    // Keep each whitespace-separated token unless every word in it is part of a phrase.
    let mut at = 0;
    let mut kept: Vec<&str> = Vec::new();
    for tok in text.split_whitespace() {
        let n = lexical::words(tok).count();
        if n == 0 || !covered[at..at + n].iter().all(|c| *c) {
            kept.push(tok);
        }
        at += n;
    }
    kept.join(" ")
}

/// Words after "older" that make it about people ("older kids").
const PEOPLE_AFTER: &[&str] = &[
    "kids",
    "kid",
    "children",
    "child",
    "teens",
    "teenagers",
    "audience",
    "audiences",
    "people",
    "brother",
    "sister",
    "son",
    "daughter",
    "sibling",
    "siblings",
    "cousin",
    "cousins",
    "players",
    "gamers",
    "crowd",
    "folks",
    "adults",
    "viewers",
];

/// The word ranges of the relative phrases in `w`, with what each asks for ("cheaper than
/// $10" is an absolute bound, which the filter parser reads, so it is not one).
fn relative_spans(w: &[String]) -> Vec<(std::ops::Range<usize>, Relative)> {
    let absolute = |at: usize| w.get(at + 1).is_some_and(|x| x == "than");
    let mut out = Vec::new();
    for (phrase, r) in RELATIVE {
        for at in 0..w.len().saturating_sub(phrase.len() - 1) {
            let hit = w[at..at + phrase.len()]
                .iter()
                .zip(phrase.iter())
                .all(|(a, b)| a == b);
            // "For older kids", "my younger brother": people, not items.
            let people = matches!(r, Relative::Older | Relative::Newer)
                && w.get(at + phrase.len())
                    .is_some_and(|x| PEOPLE_AFTER.contains(&x.as_str()));
            if hit && !people && !(*r == Relative::Cheaper && w[at] == "cheaper" && absolute(at)) {
                out.push((at..at + phrase.len(), *r));
            }
        }
    }
    out
}
