//! The catalog items card references point at: the cards on screen by position, the last
//! one, all of them, or the one in focus (with no cards on screen, the item the last answer
//! was about), which references a turn keeps once what it names is known, and whether it
//! starts a new request.

use super::{
    action::Facts,
    cues::that_of_degree,
    phrases::{ADDS, COMPARE, DISMISS, NEW_OBJECT, NEW_REQUEST, POINTS_BACK},
    state::DialogueState,
};
use crate::{
    intent::refs::CardRef,
    retrieve::{anchor::Named, Retriever},
};

/// Resolve card references to catalog indices.
pub(super) fn cards(r: &Retriever, state: &DialogueState, refs: Option<CardRef>) -> Vec<usize> {
    let shown: Vec<usize> = state.shown.iter().filter_map(|id| r.index_of(id)).collect();
    if shown.is_empty() {
        // "Have you seen Jaws?" → "I loved it": the item the last answer was about.
        return match refs {
            Some(CardRef::That) => state.focus.iter().filter_map(|f| r.index_of(f)).collect(),
            _ => Vec::new(),
        };
    }
    let focus = state
        .focus
        .as_deref()
        .and_then(|f| r.index_of(f))
        .or_else(|| shown.first().copied());
    match refs {
        Some(CardRef::At(v)) => v
            .into_iter()
            .filter_map(|i| shown.get(i).copied())
            .collect(),
        Some(CardRef::Last) => shown.last().copied().into_iter().collect(),
        Some(CardRef::All) => shown,
        Some(CardRef::That) => focus.into_iter().collect(),
        None => Vec::new(),
    }
}

/// The card references a turn keeps once what it names is known: "it" and "that" are not a
/// card when the turn names or refuses an item ("Have you seen Step Brothers? I loved it";
/// "not gone girl, I've seen that"), except in a comparison ("compare it with civ 5"), nor
/// when "that" is a word of degree ("not that old"); "both" is the people when the turn names
/// items ("we both like Stardew Valley") unless it also says "these", "those", "them".
pub(super) fn kept_refs(
    refs: Option<CardRef>,
    lower: &str,
    named: &[Named],
    refused: &[Named],
) -> Option<CardRef> {
    refs.filter(|r| match r {
        CardRef::That => {
            ((named.is_empty() && refused.is_empty()) || COMPARE.iter().any(|c| lower.contains(c)))
                && !that_of_degree(lower)
        }
        CardRef::All => {
            named.is_empty()
                || [" these", " those", " them", " all of"]
                    .iter()
                    .any(|p| lower.contains(p))
        }
        CardRef::At(_) | CardRef::Last => true,
    })
}

/// Whether a turn starts a new request over the cards on screen (not a change to them): it
/// names an item to be like other than those the request is anchored on ("I loved The
/// Notebook, anything similar?"; "None of those, more like StarCraft" still reacts to the
/// cards), or says it wants something else ("not a romance this time, maybe an action
/// movie"; a marker with only conditions, "co-op instead", changes the request on screen);
/// never when it opens as an addition ("but like Portal"). `lower` is the turn lowercased
/// and padded with spaces; `like_named` whether it asks for items like those it names. (The
/// router also requires that it points at no card.)
pub(super) fn fresh(
    r: &Retriever,
    state: &DialogueState,
    f: &Facts<'_>,
    lower: &str,
    like_named: bool,
) -> bool {
    let has = |ps: &[&str]| ps.iter().any(|p| lower.contains(p));
    let named: Vec<usize> = f.named.iter().map(|n| n.index).collect();
    let anchored: Vec<usize> = state
        .constraints
        .anchors
        .iter()
        .filter_map(|id| r.index_of(id))
        .collect();
    let new_anchor = named.iter().any(|i| !anchored.contains(i))
        && like_named
        && !has(&["more like"])
        && !has(DISMISS);
    (new_anchor
        || (f.has_request
            && !has(POINTS_BACK)
            && f.relative.is_empty()
            && (has(NEW_OBJECT) || (has(NEW_REQUEST) && (!named.is_empty() || !f.filters_only)))))
        && !ADDS.iter().any(|a| lower.starts_with(a))
}
