//! Questions over the cards on screen, answered by picking cards: "any of these
//! multiplayer?" (the cards that meet what the turn names) and "which one is the cheapest?"
//! (the card with the lowest or highest price or year).

use super::{constraints::Constraints, route::cards, state::DialogueState};
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
    let labels_met = |i: usize| {
        if either {
            filters.labels.is_empty() || filters.label_matches(&items[i]) > 0
        } else {
            filters.admits_labels(&items[i])
        }
    };
    Some(
        cards(r, state, Some(CardRef::All))
            .into_iter()
            .filter(|&i| filters.admits_hard(&items[i]) && labels_met(i))
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

/// Superlatives over the cards on screen: (phrases, by price (else year), highest wins).
const SUPERLATIVES: &[(&[&str], bool, bool)] = &[
    (
        &["cheapest", "least expensive", "lowest price"],
        true,
        false,
    ),
    (&["most expensive", "priciest"], true, true),
    (&["newest", "most recent"], false, true),
    (&["oldest"], false, false),
];

/// The card a superlative question picks ("which one is the cheapest?"): the shown card with
/// the lowest or highest price or year; the first such card on a tie.
pub(super) fn superlative(r: &Retriever, state: &DialogueState, lower: &str) -> Option<usize> {
    let asks = lower.contains("which") || lower.trim_end().ends_with('?');
    let &(_, by_price, highest) = SUPERLATIVES
        .iter()
        .find(|(ps, _, _)| asks && ps.iter().any(|p| lower.contains(p)))?;
    let value = |i: usize| {
        let it = &r.items()[i];
        if by_price {
            it.price.map(crate::catalog::Price::amount)
        } else {
            it.year.map(f64::from)
        }
    };
    let mut best: Option<(usize, f64)> = None;
    for i in cards(r, state, Some(CardRef::All)) {
        if let Some(v) = value(i) {
            let better = best.is_none_or(|(_, b)| if highest { v > b } else { v < b });
            if better {
                best = Some((i, v));
            }
        }
    }
    best.map(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
