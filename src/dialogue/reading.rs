//! What a turn says beyond its route: the names it refuses, the conditions a question asks
//! about, what the catalog cannot say about an item, the cards it dismisses.

use std::collections::HashSet;

use super::{
    constraints::relatives, cues, phrases, sentiment::beside_verdict, words::search_words,
    Conversation,
};
use crate::{
    catalog::Item,
    retrieve::{anchor::Named, filters::quality_labels, ParsedQuery, Retriever},
};

/// The cards a turn dismisses ("none of those, something more like StarCraft"): left out of
/// its new cards, without being rejected for the session.
pub(super) fn dismissed(conv: &Conversation, text: &str) -> HashSet<String> {
    if cues::dismisses_cards(text) {
        conv.state.shown.iter().cloned().collect()
    } else {
        HashSet::new()
    }
}

/// Split named items into those the turn refuses and the rest: refused by the words right
/// before it ([`cues::refused_at`]) or right after it ([`cues::panned_after`]), or listed after a refused one with only "or", "and",
/// "nor" or a comma between ("not Hades or Dead Cells").
pub(super) fn refused_names(text: &str, all: &[Named]) -> (Vec<Named>, Vec<Named>) {
    let (mut refused, mut named) = (Vec::new(), Vec::new());
    let mut prev: Option<(usize, bool)> = None;
    for n in all {
        let listed = prev.is_some_and(|(end, was_refused)| {
            was_refused
                && text.get(end..n.start).is_some_and(|between| {
                    crate::retrieve::lexical::words(between)
                        .all(|w| matches!(w.as_str(), "or" | "and" | "nor"))
                })
        });
        let is_refused =
            listed || cues::refused_at(text, n.start) || cues::panned_after(text, n.end);
        prev = Some((n.end, is_refused));
        if is_refused {
            refused.push(n.clone());
        } else {
            named.push(n.clone());
        }
    }
    (refused, named)
}

/// The conditions a question asks about: the parsed filters without the labels complaint
/// phrases name ("is it too long?" asks nothing of Short) and without soft refusals
/// ("easier" asks nothing), except that "too hard" and a bare "hard" ask about Difficult.
pub(super) fn asked_filters(
    r: &crate::retrieve::Retriever,
    parsed: &ParsedQuery,
    request: &str,
) -> crate::retrieve::Filters {
    let framed = quality_labels(request, r.vocab());
    let mut f = parsed.filters.clone();
    f.labels.retain(|l| !framed.contains(l));
    // "Is it too hard?", "any of these too hard?": asks whether it is Difficult; "is it
    // hard?" too, though a bare "hard" names nothing in a request ("a hard day").
    let mut asked: Vec<String> = std::mem::take(&mut f.avoid_labels)
        .into_iter()
        .filter(|l| framed.contains(l))
        .collect();
    let hard = crate::retrieve::lexical::words(request).any(|w| w == "hard");
    if hard && r.vocab().has("difficult") {
        asked.push("difficult".to_string());
    }
    for l in asked {
        if !f.labels.contains(&l) && !f.not_labels.contains(&l) {
            f.labels.push(l);
        }
    }
    f
}

/// What the catalog cannot say about one item that a question asks ("what about on mac?":
/// platforms; "how long is it?": play time, with its Short tag where it has one).
pub(super) fn missing_facts(
    r: &crate::retrieve::Retriever,
    i: usize,
    text: &str,
) -> Option<String> {
    let lower = format!(" {} ", text.to_lowercase());
    let it = &r.items()[i];
    let title = crate::text::terminal_line(&it.title);
    if cues::asks_platform(&lower) {
        return Some(format!(
            "The catalog does not say which platforms {title} runs on.\n"
        ));
    }
    if phrases::LENGTH.iter().any(|p| lower.contains(p)) {
        let short = it
            .labels()
            .any(|l| crate::retrieve::filters::norm_label(l) == "short");
        let tagged = if short { "; it is tagged Short" } else { "" };
        return Some(format!(
            "The catalog does not say how long {title} is{tagged}.\n"
        ));
    }
    None
}

/// Whether the catalog has labels for playing together, so that "with my friends" searches
/// for them.
pub(super) fn plays_together(r: &Retriever) -> bool {
    r.vocab().has("coop") || r.vocab().has("multiplayer")
}

/// A verdict turn that also asks for something ("seen the first one, anything scarier?",
/// "nah not the second one, something cheaper"): what it asks beside the verdict changes the
/// request on screen, as a refinement would (relative changes against the cards on screen).
/// `request` is the turn without the titles it names.
pub(super) fn refine_beside_verdict(r: &Retriever, conv: &mut Conversation, request: &str) {
    let rest = beside_verdict(request);
    if rest.is_empty() {
        return;
    }
    let Ok(parsed) = r.parse(&rest) else {
        return;
    };
    let mut rel = relatives(&rest);
    rel.retain(|x| !x.stated_in(&parsed.filters));
    let words = search_words(&parsed.text, plays_together(r));
    let shown: Vec<&Item> = conv
        .state
        .shown
        .iter()
        .filter_map(|id| r.by_id(id))
        .collect();
    let mut c = conv.state.constraints.clone();
    c.merge(&parsed, &words, Vec::new());
    c.apply_relative(&rel, &shown);
    conv.state.constraints = c;
}

/// A turn that gives cards named by position different verdicts ("loved #1, hated #3", "i
/// loved the 5th, seen the 1st"): each card is marked with its clause's verdict, and the
/// cards of the route's `kind` are returned (what the answer is about). `None`, and nothing
/// marked, when the turn gives one verdict.
pub(super) fn mark_clause_verdicts(
    r: &Retriever,
    conv: &mut Conversation,
    text: &str,
    kind: super::action::FeedbackKind,
) -> Option<Vec<usize>> {
    let per = super::sentiment::clause_verdicts(text);
    if per.iter().all(|(_, k)| *k == per[0].1) {
        return None;
    }
    let mut about = Vec::new();
    for (positions, k) in per {
        for p in positions {
            let Some(id) = conv.state.shown.get(p).cloned() else {
                continue;
            };
            conv.mark(&id, k.into());
            if k == kind {
                about.extend(r.index_of(&id));
            }
        }
    }
    Some(about)
}
