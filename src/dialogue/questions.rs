//! Questions over the cards on screen, answered by picking cards: "any of these
//! multiplayer?" (the cards that meet what the turn names) and "which one is the cheapest?"
//! (the card with the lowest or highest price, year or review rating).

use super::{
    action::CardQuestion, constraints::Constraints, route::cards, state::DialogueState,
    verdict::answering,
};
use crate::{
    intent::refs::CardRef,
    retrieve::{Filters, Retriever},
};

/// Phrases that ask about the cards as a set.
const OVER_CARDS: &[&str] = &[
    "any of these",
    "any of them",
    "any of those",
    "which of these",
    "which of them",
    "which of those",
    "which ones",
    "which one",
    "are any",
    "is any",
    "do any",
    "does any",
];

/// The cards on screen that meet `filters` when the turn asks about the cards as a set
/// ("any of these multiplayer?", "which ones are free?"); `None` when it does not, or names
/// nothing to check. The list may be empty: none of them does.
pub(super) fn matching_cards(
    r: &Retriever,
    state: &DialogueState,
    lower: &str,
    filters: &Filters,
) -> Option<Vec<usize>> {
    if filters.is_empty() || !OVER_CARDS.iter().any(|p| lower.contains(p)) {
        return None;
    }
    let items = r.items();
    let either = asks_either(lower);
    // A co-op card answers "any of these multiplayer?" (see `verdict::answering`).
    let answers = |i: usize, l: &String| answering(&items[i], l).is_some();
    let labels_met = |i: usize| {
        if either {
            filters.labels.is_empty() || filters.labels.iter().any(|l| answers(i, l))
        } else {
            filters.labels.iter().all(|l| answers(i, l))
        }
    };
    Some(
        cards(r, state, Some(CardRef::All))
            .into_iter()
            .filter(|&i| {
                filters.admits_hard(&items[i])
                    && labels_met(i)
                    && (!filters.well_rated || items[i].well_rated() == Some(true))
            })
            .collect(),
    )
}

/// "multiplayer or co-op?" asks for either label; otherwise every label named counts.
fn asks_either(lower: &str) -> bool {
    format!(" {lower} ").contains(" or ")
}

/// The answer when no card meets what the question names: "None of the 5 cards on screen is
/// multiplayer or coop." (labels joined by "or" when the question asks for either; price and
/// year bounds hold either way, so they are never joined by "or").
pub(super) fn none_match(filters: &Filters, text: &str, shown: usize) -> String {
    let joiner = if asks_either(&text.to_lowercase()) {
        " or "
    } else {
        ", "
    };
    let values = Constraints {
        filters: Filters {
            labels: Vec::new(),
            ..filters.clone()
        },
        ..Constraints::default()
    }
    .describe(&|_| None);
    let what: Vec<String> = [values, filters.labels.join(joiner)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    format!(
        "None of the {shown} cards on screen is {}.\n",
        what.join(", ")
    )
}

/// What a superlative question ranks the cards by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// The price.
    Price,
    /// The release year.
    Year,
    /// Reviews: Steam's sentiment label, then the metascore.
    Rating,
}

impl Key {
    /// What the catalog lacks when no card has a value, for the answer.
    pub(super) fn missing(self) -> &'static str {
        match self {
            Key::Price => "prices",
            Key::Year => "release years",
            Key::Rating => "review scores",
        }
    }
}

/// Superlatives over the cards on screen: (phrases, ranked by, highest wins).
const SUPERLATIVES: &[(&[&str], Key, bool)] = &[
    (
        &["cheapest", "least expensive", "lowest price"],
        Key::Price,
        false,
    ),
    (&["most expensive", "priciest"], Key::Price, true),
    (&["newest", "most recent"], Key::Year, true),
    (&["oldest"], Key::Year, false),
    (
        &[
            "best review",
            "best-review",
            "best rated",
            "best-rated",
            "highest rated",
            "highest-rated",
            "top rated",
            "top-rated",
            "best rating",
            "highest rating",
            "best score",
            "highest score",
            "best reception",
        ],
        Key::Rating,
        true,
    ),
    (
        &[
            "worst review",
            "worst rated",
            "lowest rated",
            "lowest-rated",
            "worst rating",
            "lowest rating",
            "lowest score",
        ],
        Key::Rating,
        false,
    ),
];

/// What a superlative question asks for ("which one is the cheapest?"), if it is one.
/// A question ("which…", "…?"), or, in a turn that asks for nothing else, "the cheapest
/// one" ("show me the cheapest one"; "the cheapest horror games" is a request).
pub(super) fn superlative_key(lower: &str, has_request: bool) -> Option<(Key, bool)> {
    let asks = lower.contains("which") || lower.trim_end().ends_with('?');
    let comparative = || {
        // "Which one is newer?": a comparative in a which-question picks a card too.
        COMPARATIVES
            .iter()
            .find(|(ps, _, _)| lower.contains("which") && ps.iter().any(|p| lower.contains(p)))
    };
    SUPERLATIVES
        .iter()
        .find(|(ps, _, _)| {
            ps.iter().any(|p| {
                (asks && lower.contains(p)) || (!has_request && lower.contains(&format!("the {p}")))
            })
        })
        .or_else(comparative)
        .map(|&(_, key, highest)| (key, highest))
}

/// Comparatives that pick a card in a which-question ("which one is newer?").
const COMPARATIVES: &[(&[&str], Key, bool)] = &[
    (&["newer", "more recent"], Key::Year, true),
    (&["older"], Key::Year, false),
    (&["cheaper", "less expensive"], Key::Price, false),
    (&["more expensive", "pricier"], Key::Price, true),
    (
        &[
            "better rated",
            "better reviewed",
            "rated higher",
            "better reviews",
        ],
        Key::Rating,
        true,
    ),
];

/// The card a superlative question picks ("which one is the cheapest?"): the shown card (or
/// one of `among`, or after a comparison one of the items compared) with the lowest or
/// highest price, year or rating; the first such card on a tie. `Some(None)`:
/// it is such a question, and no card on screen has the value.
pub(super) fn superlative(
    r: &Retriever,
    state: &DialogueState,
    lower: &str,
    has_request: bool,
    among: Option<&[usize]>,
) -> Option<(Key, Option<usize>)> {
    let (key, highest) = superlative_key(lower, has_request)?;
    // Between the cards the turn names, or, after a comparison, the items compared ("compare
    // the first and third", then "which one is newer?").
    let shown = if let Some(a) = among {
        a.to_vec()
    } else if state.compared.is_empty() {
        cards(r, state, Some(CardRef::All))
    } else {
        state
            .compared
            .iter()
            .filter_map(|id| r.index_of(id))
            .collect()
    };
    // Ratings on one scale: the sentiment labels when any card has one, else metascores.
    let by_sentiment = shown.iter().any(|&i| r.items()[i].rating(true).is_some());
    let value = |i: usize| {
        let it = &r.items()[i];
        match key {
            Key::Price => it.price.map(crate::catalog::Price::amount),
            Key::Year => it.year.map(f64::from),
            Key::Rating => it.rating(by_sentiment),
        }
    };
    let mut best: Option<(usize, f64)> = None;
    for i in shown {
        if let Some(v) = value(i) {
            let better = best.is_none_or(|(_, b)| if highest { v > b } else { v < b });
            if better {
                best = Some((i, v));
            }
        }
    }
    Some((key, best.map(|b| b.0)))
}

/// Whether `lower` asks why a card was picked ("why?", "why that one?", "how come?", "looks
/// dope, why'd you pick it"): about the card it names, else the card in focus.
#[must_use]
pub(super) fn asks_why(lower: &str) -> bool {
    let words: Vec<String> = crate::retrieve::lexical::words(lower).collect();
    let rest_ok = |from: usize| {
        words.iter().skip(from).all(|w| {
            matches!(
                w.as_str(),
                "that"
                    | "this"
                    | "one"
                    | "it"
                    | "them"
                    | "those"
                    | "these"
                    | "the"
                    | "first"
                    | "second"
                    | "third"
                    | "fourth"
                    | "fifth"
                    | "last"
                    | "so"
                    | "pick"
            )
        })
    };
    // "…, why'd you pick it", "why did you recommend the second one?": a why-question
    // about a pick anywhere in the turn.
    let about_pick = words.windows(2).any(|w| {
        w[0] == "why"
            && matches!(
                w[1].as_str(),
                "d" | "did"
                    | "do"
                    | "would"
                    | "you"
                    | "this"
                    | "that"
                    | "these"
                    | "those"
                    | "pick"
                    | "picked"
                    | "recommend"
                    | "recommended"
                    | "suggest"
                    | "suggested"
            )
    });
    about_pick
        || match words.first().map(String::as_str) {
            Some("why") => rest_ok(1),
            Some("how") => words.get(1).is_some_and(|w| w == "come") && rest_ok(2),
            _ => false,
        }
}

/// Whether `lower` (lowercased, padded with spaces) opens a yes-or-no question about an item
/// ("is Portal 2 co-op?", "do you think he'd like Encino Man?"), not one that asks for items
/// ("is there anything like Portal?").
pub(super) fn yes_no(lower: &str) -> bool {
    let has = |ps: &[&str]| ps.iter().any(|p| lower.contains(p));
    super::phrases::YES_NO.iter().any(|p| lower.starts_with(p))
        && !has(super::phrases::SIMILAR_TO)
        && !has(&["is there", "are there", "anything", "something", " any "])
}

/// A question over the cards on screen (no card named by position): the cards on sale
/// ("any of these on sale?"), the cards that meet what it names ("any of these
/// multiplayer?"; none may), the card a superlative picks ("which is the cheapest?"; after a
/// comparison, between the items compared); or between cards named by position ("which one
/// is newer, the 1st or the 2nd?"). The question kind says what an empty answer means.
pub(super) fn over_cards(
    r: &Retriever,
    state: &DialogueState,
    lower: &str,
    refs: Option<&CardRef>,
    card_targets: &[usize],
    filters: Option<&Filters>,
    has_request: bool,
) -> Option<(CardQuestion, Vec<usize>)> {
    let on_screen = !state.shown.is_empty();
    let by_position = matches!(refs, Some(CardRef::At(_)));
    let has = |ps: &[&str]| ps.iter().any(|p| lower.contains(p));
    if (on_screen || !state.compared.is_empty()) && !by_position {
        let over = refs.is_none() && has(&[" any", " which ", " these", " those", " them"]);
        if super::sale::asks_sale(lower) && over && !has_request && on_screen {
            return Some((CardQuestion::Sale, super::sale::cards_on_sale(r, state)));
        }
        if let Some(t) = filters
            .filter(|_| on_screen)
            .and_then(|f| matching_cards(r, state, lower, f))
        {
            return Some((CardQuestion::Matching, t));
        }
        if let Some((key, t)) = superlative(r, state, lower, has_request, None) {
            return Some((
                CardQuestion::Superlative(key.missing()),
                t.into_iter().collect(),
            ));
        }
    }
    if card_targets.len() >= 2 {
        let (key, t) = superlative(r, state, lower, has_request, Some(card_targets))?;
        return Some((
            CardQuestion::Superlative(key.missing()),
            t.into_iter().collect(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_questions() {
        assert!(asks_why(" why? ") && asks_why(" why that one? ") && asks_why(" how come "));
        assert!(asks_why(" that first one looks dope, why'd you pick it "));
        assert!(asks_why(" why did you recommend the second one? "));
        assert!(!asks_why(" why not hades? "));
        assert!(!asks_why(" i don't know why but i love zombies "));
    }

    #[test]
    fn the_none_answer_joins_labels_as_asked() {
        let f = Filters {
            labels: vec!["multiplayer".into(), "coop".into()],
            ..Filters::default()
        };
        assert_eq!(
            none_match(&f, "any of them multiplayer or co-op?", 5),
            "None of the 5 cards on screen is multiplayer or coop.\n"
        );
        let g = Filters {
            free: true,
            labels: vec!["horror".into()],
            ..Filters::default()
        };
        assert_eq!(
            none_match(&g, "which ones are free horror?", 4),
            "None of the 4 cards on screen is free, horror.\n"
        );
    }
}
