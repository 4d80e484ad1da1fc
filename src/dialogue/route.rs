//! Which kind of turn a question is, decided by a few transparent rules until the intent
//! classifier (IARD taxonomy) replaces them: a question about one named catalog item, a
//! comparison of named items, small talk, or — by default — a request for recommendations.
//! Names are resolved against the catalog's titles only, so a route never invents an item.

use crate::{generate::prompt::PromptKind, retrieve::Retriever};

/// How a turn is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Retrieve candidates and pick among them.
    Recommend,
    /// Answer about this item (index in the catalog).
    AboutItem(usize),
    /// Compare these items.
    Compare(Vec<usize>),
    /// Chit-chat: no items.
    SmallTalk,
}

impl Route {
    /// The prompt this route uses.
    #[must_use]
    pub fn prompt(&self) -> PromptKind {
        match self {
            Route::Recommend => PromptKind::Recommend,
            Route::AboutItem(_) => PromptKind::AnswerItem,
            Route::Compare(_) => PromptKind::Compare,
            Route::SmallTalk => PromptKind::SmallTalk,
        }
    }
}

const ABOUT: &[&str] = &[
    "tell me about ",
    "tell me more about ",
    "what is ",
    "what's ",
    "whats ",
    "describe ",
    "who made ",
    "who developed ",
    "how much is ",
    "how much does ",
    "is ",
];
const GREETINGS: &[&str] = &[
    "hi", "hello", "hey", "thanks", "thank", "you", "ok", "okay", "bye", "good", "morning",
    "evening", "how", "are", "who", "cool", "nice", "great", "cheers", "yo", "sup", "what", "up",
    "there", "again",
];

/// The catalog item named by `phrase`, or by its longest leading run of words.
fn resolve(catalog: &Retriever, phrase: &str) -> Option<usize> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    (1..=words.len()).rev().find_map(|n| {
        let candidate = words[..n].join(" ");
        let candidate = candidate.trim_matches(|c: char| !c.is_alphanumeric());
        (candidate.len() >= 3)
            .then(|| catalog.title_index(candidate))
            .flatten()
    })
}

/// Decide the route of `question`.
#[must_use]
pub fn route(catalog: &Retriever, question: &str) -> Route {
    let q = question.trim().trim_end_matches(['?', '!', '.']).trim();
    let lower = q.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if !words.is_empty() && words.iter().all(|w| GREETINGS.contains(w)) {
        return Route::SmallTalk;
    }
    let body = lower
        .strip_prefix("compare ")
        .map(|b| {
            (
                b,
                [" and ", " with ", " to ", " vs ", " versus "].as_slice(),
            )
        })
        .or_else(|| Some((lower.as_str(), [" vs ", " vs. ", " versus "].as_slice())));
    if let Some((body, seps)) = body {
        for sep in seps {
            if let Some((a, b)) = body.split_once(sep) {
                if let (Some(x), Some(y)) = (resolve(catalog, a), resolve(catalog, b)) {
                    if x != y {
                        return Route::Compare(vec![x, y]);
                    }
                }
            }
        }
    }
    for prefix in ABOUT {
        if let Some(rest) = lower.strip_prefix(prefix) {
            if let Some(i) = resolve(catalog, rest) {
                return Route::AboutItem(i);
            }
        }
    }
    Route::Recommend
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Item;

    fn catalog() -> Retriever {
        let items = ["Portal 2", "Stardew Valley", "Celeste"]
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                id: i.to_string(),
                title: (*t).to_string(),
                ..Item::default()
            })
            .collect();
        Retriever::from_parts("t", items, Default::default())
    }

    #[test]
    fn routes() {
        let c = catalog();
        assert_eq!(route(&c, "Tell me about Portal 2?"), Route::AboutItem(0));
        assert_eq!(
            route(&c, "is stardew valley good for couples"),
            Route::AboutItem(1)
        );
        assert_eq!(
            route(&c, "compare Celeste and Portal 2"),
            Route::Compare(vec![2, 0])
        );
        assert_eq!(
            route(&c, "Celeste vs Stardew Valley"),
            Route::Compare(vec![2, 1])
        );
        assert_eq!(route(&c, "hi there"), Route::SmallTalk);
        assert_eq!(route(&c, "hello, thanks!"), Route::SmallTalk);
        assert_eq!(route(&c, "tell me about Minecraft"), Route::Recommend);
        assert_eq!(
            route(&c, "a game like Portal 2 but co-op"),
            Route::Recommend
        );
        assert_eq!(route(&c, ""), Route::Recommend);
    }
}
