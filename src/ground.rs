//! Grounding: nothing is shown that the catalog and the user do not back.
//!
//! - **Picks by construction.** A recommendation must match [`pick_constraint`], a regular
//!   expression whose only item references are the cards' numbers, enforced by mistral.rs
//!   while decoding; a pick is read back from its number, so it is always a card.
//! - **Every sentence checked.** [`compose::Composer`] takes the model's stream and shows
//!   each reason or sentence only after [`support::check`] found it backed by the item's
//!   facts ([`facts::Facts`]: title, year, price, labels, developer, publisher, description,
//!   attributes) and the user's words ([`words`]: folded, stemmed, with data-file lists of
//!   function, generic and paraphrase words). An unsupported tail is cut, an unsupported
//!   sentence dropped, a pick's unsupported or repeated reason replaced by one built from the
//!   facts that set the item apart; all of it is counted in [`Grounding`].
//! - **Mentions** ([`mentions`]) are found with the catalog's aho-corasick title matcher
//!   over folded titles, so every title shown is linked to its catalog id.

pub mod compose;
pub mod facts;
pub mod support;
pub mod words;

use serde::Serialize;

pub use compose::{summary, Composed, Composer, Cut, Grounding, Mode};
pub use support::Context;
pub use words::Lexicon;

use crate::retrieve::Retriever;

/// Regex for one to `max_picks` lines of `[n] because it …`, each `n` a different number of
/// `numbers` (the model's numbers of the cards). Reasons may not contain brackets,
/// parentheses or `|`, which keeps the model from copying fact lines instead of explaining.
#[must_use]
pub fn pick_constraint(numbers: &[usize], max_picks: usize) -> String {
    fn lines(left: &[usize], depth: usize) -> String {
        let alts: Vec<String> = left
            .iter()
            .map(|&n| {
                let rest: Vec<usize> = left.iter().copied().filter(|&m| m != n).collect();
                let tail = if depth > 1 && !rest.is_empty() {
                    format!("({})?", lines(&rest, depth - 1))
                } else {
                    String::new()
                };
                format!(r"\[{n}\] {LEAD}{REASON}\n{tail}")
            })
            .collect();
        alts.join("|")
    }
    let all: Vec<usize> = numbers.iter().copied().take(9).collect();
    lines(&all, max_picks.clamp(1, 3))
}

/// Every reason starts with these words, which turns a tiny model from copying the
/// candidate list to explaining.
pub const LEAD: &str = "because it";
const REASON: &str = r"[^\n\[\]|()]{8,140}";

/// A recommendation, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pick {
    /// Catalog id.
    pub id: String,
    /// Catalog title.
    pub title: String,
    /// The reason shown.
    pub reason: String,
    /// Whether the reason is the model's (checked, maybe cut, maybe with a distinguishing
    /// fact added) rather than built from the facts.
    pub by_model: bool,
}

/// A catalog title found in an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// The phrase as written.
    pub text: String,
    /// The catalog item it names, if any.
    pub id: Option<String>,
    /// Whether that item is one of the answer's items (cards or subjects).
    pub candidate: bool,
}

/// Catalog titles in `text` (the catalog's multi-pattern matcher over folded titles), each
/// linked to its best item.
#[must_use]
pub fn mentions(text: &str, answer_items: &[&str], catalog: &Retriever) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for m in catalog.titles().find(text) {
        let items = &catalog.items();
        let best = m
            .items
            .iter()
            .find(|&&i| answer_items.contains(&items[i].id.as_str()))
            .or(m.items.first());
        let Some(&i) = best else { continue };
        let id = items[i].id.clone();
        if out.iter().any(|x| x.id.as_deref() == Some(&id)) {
            continue;
        }
        out.push(Mention {
            text: text[m.start..m.end].to_string(),
            candidate: answer_items.contains(&id.as_str()),
            id: Some(id),
        });
    }
    out
}

#[cfg(test)]
mod maker_tests;
#[cfg(test)]
mod tests;
