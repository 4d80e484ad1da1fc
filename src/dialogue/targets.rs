//! The catalog items card references point at: the cards on screen by position, the last
//! one, all of them, or the one in focus (with no cards on screen, the item the last answer
//! was about).

use super::state::DialogueState;
use crate::{intent::refs::CardRef, retrieve::Retriever};

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
