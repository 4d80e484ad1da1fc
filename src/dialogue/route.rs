//! From what a turn is (its [`Intent`]) and what it points at (cards on screen, items it
//! names) to what reco does ([`Action`]). The classifier decides the kind of turn, except
//! where its words decide first (small talk, `talk`; a request by an item's makers, `maker`;
//! a verdict on cards named by position, `sentiment`; a yes-or-no question about a named
//! item; a comparison, a start over, a refusal); the router resolves its targets and falls back to a
//! recommendation when the classifier is unsure or a feedback turn has nothing to point at
//! (to more of the same when the turn asks for nothing over cards on screen, to a change of
//! the request on screen when it refuses something).

pub use super::action::{Action, CardQuestion, Facts, FeedbackKind, Route};
pub(super) use super::targets::cards;
use super::{
    cues::*,
    phrases::*,
    questions::{asks_why, over_cards},
    state::DialogueState,
    words::says_liked,
};
use crate::{
    intent::{refs::CardRef, Intent},
    retrieve::Retriever,
};

/// Below this confidence a turn is answered as a recommendation request.
pub const MIN_CONFIDENCE: f32 = 0.3;

/// Decide what to do with a turn.
#[must_use]
pub fn route(r: &Retriever, state: &DialogueState, f: &Facts<'_>) -> Route {
    let Facts {
        text,
        intent,
        named,
        refused,
        ref refs,
        relative,
        has_request,
        filters_only,
        filters,
    } = *f;
    let lower = format!(" {} ", text.to_lowercase());
    let refs = super::targets::kept_refs(refs.clone(), &lower, named, refused);
    let has = |ps: &[&str]| ps.iter().any(|p| lower.contains(p));
    let card_targets = cards(r, state, refs.clone());
    let named_idx: Vec<usize> = named.iter().map(|n| n.index).collect();
    let mut targets: Vec<usize> = card_targets.clone();
    for i in &named_idx {
        if !targets.contains(i) {
            targets.push(*i);
        }
    }
    let on_screen = !state.shown.is_empty();
    let p = intent.primary;
    let opens = |ps: &[&str]| ps.iter().any(|a| lower.starts_with(a));
    // "Something like X", "games like X": the turn asks for items like those it names.
    let like_named = has(LIKE_NAMED) || named.iter().any(|n| like_before(text, n.start));
    let fresh = super::targets::fresh(r, state, f, &lower, like_named) && refs.is_none();
    let out = |action, targets: Vec<usize>| Route {
        action,
        targets,
        has_request,
        question: None,
        fresh,
        by_makers: false,
    };
    let over = |question, targets: Vec<usize>| Route {
        question: Some(question),
        ..out(Action::Inquire, targets)
    };
    // 0. A question about reco itself, thanks or goodbye, small talk, talk of the person's
    // hardware (`talk::talk_route`).
    match super::talk::talk_route(
        text,
        named_idx.is_empty() && refs.is_none(),
        has_request,
        filters,
    ) {
        // (The cards and items it names, for a choice said in passing: "ill try the second
        // one thanks, bye".)
        Some(None) => return out(Action::ChitChat, targets),
        Some(Some(missing)) => return over(CardQuestion::Missing(missing), Vec::new()),
        None => {}
    }
    // 1. Start over.
    if has(START_OVER) || (p == "STO" && intent.confidence >= 0.5 && !has_request) {
        return out(Action::StartOver, Vec::new());
    }
    // 1b. Items by the makers of one item ("more from the same studio as the first one",
    // "what else did they make?") or by a maker the turn names ("what else has valve made").
    if let Some(t) =
        super::maker::maker_route(r, state, text, refs.as_ref(), &card_targets, &named_idx)
    {
        return Route {
            by_makers: true,
            fresh: true,
            ..out(Action::Recommend, t)
        };
    }
    // 2. Comparison of two or more items; also two named items offered as a choice ("portal
    // 2 or it takes two for a couple?"), not items to be like ("games like hades or dead
    // cells?"). A turn the classifier reads as a verdict compares only when it asks which.
    // "Is Clueless newer than Mean Girls?" asks which of the two, too.
    let choice = named_idx.len() >= 2
        && (has(&[" or "]) || has(COMPARATIVE_THAN))
        && text.trim_end().ends_with('?')
        && !like_named
        && !has(SIMILAR_TO);
    let verdict_label = matches!(p, "REJ" | "SEE" | "ACC") && !has(&["which "]);
    if targets.len() >= 2 && (has(COMPARE) || choice) && !verdict_label {
        return out(Action::Compare, targets);
    }
    // 3. A card the turn says no to ("not the second one").
    if refs.is_some() && !card_targets.is_empty() && says_not_ref(&lower) && !has(ABOUT) {
        return out(Action::Feedback(FeedbackKind::Rejected), card_targets);
    }
    // 3a. A verdict on cards named by position ("not a fan of the first one", "ive seen 1
    // and 3", "loved the second one, anything similar?"), read from its words however unsure
    // the classifier is, unless it asks something about them ("is the second one any good?")
    // or asks for items like them ("something like the second one but not too long", 4b).
    // "Why'd you pick it?" asks; "the third one sounds good, why that one?" says it liked it
    // first (feedback, as before the why).
    let verdict = super::sentiment::verdict(text);
    let why = asks_why(&lower) && verdict != Some(FeedbackKind::Liked);
    // ("Played the first one already, anything under $10?": the question is the request
    // beside the verdict, not one about the card.)
    let asks_of_cards = opens(QUESTION_WORDS)
        || has(ABOUT)
        || why
        || (text.trim_end().ends_with('?')
            && !has(SIMILAR_TO)
            && !has(MORE_OF)
            && super::sentiment::beside_verdict(text).is_empty());
    let like_a_card = has(SIMILAR_TO) && verdict != Some(FeedbackKind::Liked);
    if matches!(refs, Some(CardRef::At(_) | CardRef::Last))
        && !card_targets.is_empty()
        && named_idx.is_empty()
        && !asks_of_cards
        && !like_a_card
    {
        if let Some(kind) = verdict {
            // "Looks fun but I've already got it": seen, whatever else it says.
            let kind = if has(OWNED) { FeedbackKind::Seen } else { kind };
            // "Loved the second one, anything similar?", "I like the second one but
            // cheaper": the request, anchored on that card.
            let wants_more = has(SIMILAR_TO) || has(MORE_OF) || has_request || !relative.is_empty();
            if kind == FeedbackKind::Liked && wants_more {
                return out(Action::Refine, card_targets);
            }
            return out(Action::Feedback(kind), card_targets);
        }
    }
    // 3b. Items the turn refuses by name, and nothing else ("not the witcher").
    if !refused.is_empty() && named_idx.is_empty() && refs.is_none() && !has_request {
        let t = refused.iter().map(|n| n.index).collect();
        return out(Action::Feedback(FeedbackKind::Rejected), t);
    }
    // 3c. A yes-or-no question about one named item ("is Lady Bird kids friendly?", "do you
    // think he'd like Encino Man?", "is half life 2 in there"): about that item, not a
    // request for items like it.
    if named_idx.len() == 1 && refs.is_none() && !like_named && super::questions::yes_no(&lower) {
        return out(Action::Inquire, named_idx);
    }
    // 4. A question over the cards on screen, or between cards named by position
    // (`questions::over_cards`).
    if named_idx.is_empty() {
        let q = over_cards(
            r,
            state,
            &lower,
            refs.as_ref(),
            &card_targets,
            filters,
            has_request,
        );
        if let Some((question, t)) = q {
            return over(question, t);
        }
    }
    // 4b. Items like a card ("more like the second one but single player"), unless the turn
    // asks whether it is like something ("is the second one similar to Portal?").
    if !card_targets.is_empty() && has(SIMILAR_TO) && !opens(QUESTION_WORDS) {
        return out(Action::Refine, card_targets);
    }
    // 5. A question about one item ("is it on mac?" too: the catalog has no platforms, and
    // the answer says so).
    let platform = asks_platform(&lower) && !has_request && named_idx.len() <= 1;
    // "Why?", "why that one?": about the card in focus (`why`, above).
    // The classifier's primary label counts only when it is sure enough ("10 to 20 bucks"
    // at INQ 0.04 is a refinement).
    let sure = intent.confidence >= MIN_CONFIDENCE;
    let inq = p == "INQ" && sure;
    let asked = matches!(p, "INQ" | "ASK") && sure;
    let asks = asked || intent.prob("INQ") >= 0.5 || has(ABOUT) || platform || why;
    // "Anything like it takes two?" asks for items, not about one.
    if asks && !has_request_only(intent) && !like_named {
        // The item in focus: the card in focus, or the item the last answer was about
        // ("tell me about Portal 2" → "who made it?").
        let focus = || {
            if on_screen {
                cards(r, state, Some(CardRef::That))
            } else {
                state.focus.iter().filter_map(|f| r.index_of(f)).collect()
            }
        };
        // A question with nothing else in it ("who made it?", "how much is it?").
        let bare_question = p != "OTH"
            && ABOUT.iter().any(|cue| {
                lower.contains(cue)
                    && super::words::content_words(&lower.replacen(cue, " ", 1)) == 0
            });
        let target = targets.first().copied().or_else(|| {
            ((inq || bare_question || platform || why) && refs.is_none() && named_idx.is_empty())
                .then(focus)
                .and_then(|v| v.first().copied())
        });
        if let Some(t) = target {
            if asked || has(ABOUT) || platform || why || !card_targets.is_empty() {
                return out(Action::Inquire, vec![t]);
            }
        }
    }
    // 6. Feedback on items.
    let feedback = [
        ("REJ", FeedbackKind::Rejected),
        ("SEE", FeedbackKind::Seen),
        ("ACC", FeedbackKind::Liked),
    ];
    let mut kinds: Vec<(f32, FeedbackKind)> = feedback
        .iter()
        .filter(|(l, _)| (*l == p && intent.confidence >= MIN_CONFIDENCE) || intent.prob(l) >= 0.5)
        .map(|(l, k)| (intent.prob(l), *k))
        .collect();
    if has(OWNED) {
        // "The first one looks fun but I've already got it": seen, not liked.
        kinds = vec![(1.0, FeedbackKind::Seen)];
    }
    kinds.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let Some(k) = super::sentiment::overrides(kinds.first().map(|k| k.1), verdict) {
        kinds = vec![(1.0, k)];
    }
    // "Nah", "those all look boring": the cards as a whole are turned down; more of the same.
    if on_screen && refs.is_none() && named_idx.is_empty() && turns_down_cards(text) {
        return out(Action::More, Vec::new());
    }
    if let Some(&(_, kind)) = kinds.first() {
        // "I liked the last one you showed": liked, not seen, unless the turn says it was
        // played ("I played it and liked it" is both, see `Agent::act`).
        let kind = if kind == FeedbackKind::Seen && says_liked(text) && !has(PLAYED) {
            FeedbackKind::Liked
        } else {
            kind
        };
        // "Loved the second one, anything similar?": liked, and items like it; "How about a
        // comedy? I really liked The Other Woman": liked, and a request beside it.
        if kind == FeedbackKind::Liked && (has(SIMILAR_TO) || has(MORE_OF)) {
            if !card_targets.is_empty() {
                return out(Action::Refine, card_targets);
            }
            if !named_idx.is_empty() {
                return out(Action::Recommend, named_idx);
            }
        }
        if kind == FeedbackKind::Liked
            && has_request
            && card_targets.is_empty()
            && !named_idx.is_empty()
        {
            return out(Action::Recommend, named_idx);
        }
        let mut t = if card_targets.is_empty() {
            named_idx.clone()
        } else {
            card_targets.clone()
        };
        if t.is_empty() && kind != FeedbackKind::Liked {
            // "Not Saving Private Ryan, seen it a million times": the item it refuses, not
            // the card in focus.
            t = refused.iter().map(|n| n.index).collect();
        }
        // "not a cartoon pls" among films without genres: a refusal of a kind of item, not a
        // verdict on the card in focus (which "not a fan", "not for me" are).
        let refuses_kind = (opens(REFUSE) || has(REFUSE_VERBS))
            && super::words::content_words(text) > 0
            && verdict.is_none();
        if t.is_empty()
            && on_screen
            && refs.is_none()
            && (has_request || !relative.is_empty() || refuses_kind)
            && !has(NONE_OF)
        {
            // "no shooting", "I hate roguelikes", "not that old": no card pointed at, and what
            // is said no to is a change to the request, not a verdict on the card in focus.
            let action = if fresh {
                Action::Recommend
            } else {
                Action::Refine
            };
            return out(action, Vec::new());
        }
        if t.is_empty() && on_screen {
            t = if kind == FeedbackKind::Rejected && has(NONE_OF) {
                cards(r, state, Some(CardRef::All))
            } else {
                cards(r, state, Some(CardRef::That))
            };
        }
        if !t.is_empty() {
            return out(Action::Feedback(kind), t);
        }
    }
    // 7. Items like a card, asked as a question ("is there anything more like the second
    // one?"), once no feedback was read: the request on screen, anchored on it.
    if !card_targets.is_empty() && has(SIMILAR_TO) {
        return out(Action::Refine, card_targets);
    }
    // 8. Changes to the request on screen, also a request that opens as one ("with base
    // building", "but not horror", "not interested in anime") or names nothing but conditions
    // ("any that are free?"), however unsure the classifier is.
    let refining = matches!(p, "REF" | "CRI-F" | "CRI-A" | "CRI-C" | "PRO" | "ANS");
    // A title that starts with "No" ("No Man's Sky but with more story") opens no refusal.
    let title_first = named.iter().chain(refused).any(|n| n.start == 0);
    let adds = has_request
        && (filters_only
            || opens(ADDS)
            || (opens(REFUSE) && !title_first)
            || (has(REFUSE_VERBS) && named.is_empty()));
    if on_screen
        && !fresh
        && (!relative.is_empty() || adds || (refining && intent.confidence >= MIN_CONFIDENCE))
    {
        let t = if p == "CRI-C" { targets } else { named_idx };
        return out(Action::Refine, t);
    }
    // 9. More of the same.
    if p == "CON" && sure && on_screen && !has_request && named_idx.is_empty() {
        // The cards it points at ("loved the second one, what else?"), if any.
        return out(Action::More, card_targets);
    }
    // 10. Small talk, when there is no request in the turn ("what should I play tonight?" is
    // one, with nothing else said).
    if p == "OTH"
        && intent.confidence >= 0.5
        && !has_request
        && named_idx.is_empty()
        && !has(ANY_PICK)
    {
        return out(Action::ChitChat, Vec::new());
    }
    // 10b. A card named and nothing else said of it ("the second one?", "I haven't played
    // the second one yet"): about that card.
    if on_screen
        && !has_request
        && named_idx.is_empty()
        && !card_targets.is_empty()
        && super::words::content_words(text) == 0
    {
        return out(Action::Inquire, vec![card_targets[0]]);
    }
    // 11. A turn with no word of a request, no item and no card over cards on screen ("hmm",
    // "ok what else"): more of the same, never a request that clears the one on screen.
    if on_screen
        && !has_request
        && named_idx.is_empty()
        && refs.is_none()
        && super::words::content_words(text) == 0
    {
        return out(Action::More, Vec::new());
    }
    // 11b. A refusal the catalog has no label for ("no cartoons" among films without
    // genres, "anything that isnt battle royale"): a change to the request on screen, never
    // a request that clears it.
    if on_screen
        && !fresh
        && named_idx.is_empty()
        && refs.is_none()
        && (opens(REFUSE) || has(REFUSE_VERBS) || has(NEGATED))
    {
        return out(Action::Refine, Vec::new());
    }
    // 12. Everything else (and anything the classifier is unsure of) is a request.
    out(Action::Recommend, named_idx)
}

/// The classifier is sure this is a fresh request, not a question about an item.
fn has_request_only(intent: &Intent) -> bool {
    intent.primary == "IQU" && intent.confidence >= 0.7
}
