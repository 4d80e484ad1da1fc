//! The phrase tables the router reads a turn with (start over, compare, ask about, refuse,
//! dismiss, thanks …) and the small tests built on them. Kept as data, apart from the
//! routing order in [`super::route`].

/// Phrases that start a conversation over.
pub(super) const START_OVER: &[&str] = &[
    "start over",
    "start again",
    "start from scratch",
    "from scratch",
    "reset",
    "new search",
    "forget everything",
    "forget all that",
    "forget that",
    "begin again",
    "clear everything",
    "new topic",
];
pub(super) const COMPARE: &[&str] = &[
    "compare",
    " vs ",
    " vs. ",
    "versus",
    "difference between",
    "differences between",
    "which is better",
    "which one is better",
    "better than",
];
pub(super) const ABOUT: &[&str] = &[
    "tell me about",
    "tell me more",
    "what is",
    "what's",
    "whats",
    "describe",
    "who made",
    "who developed",
    "how much is",
    "how much does",
    "is it",
    "any good",
    "what about it",
];
/// Questions about reco itself: answered with what it can do, never by the model (which
/// describes a general assistant) and never taken as a request or as feedback on a card.
pub(super) const ABOUT_RECO: &[&str] = &[
    "what can you do",
    "what do you do",
    "what can i do",
    "what can i ask",
    "what should i ask",
    "how does this work",
    "how do you work",
    "how do i use",
    "how does reco",
    "what are you",
    "who are you",
    "what is reco",
];

/// Words of thanks and goodbye ("thanks!", "ok thank you", "cool, bye").
pub(super) const COURTESY: &[&str] = &[
    "thanks", "thank", "you", "thx", "ty", "cheers", "ok", "okay", "cool", "bye", "goodbye",
    "great", "awesome", "nice", "lol", "much", "a", "lot", "so", "see", "ya", "later",
];

/// Whether a turn is only thanks or a goodbye.
#[must_use]
pub fn is_courtesy(text: &str) -> bool {
    let words: Vec<String> = crate::retrieve::lexical::words(text).collect();
    let thanks = |w: &String| {
        matches!(
            w.as_str(),
            "thanks" | "thank" | "thx" | "ty" | "cheers" | "bye" | "goodbye"
        )
    };
    words.iter().any(thanks) && words.iter().all(|w| COURTESY.contains(&w.as_str()))
}

/// Whether `text` asks what reco is or can do.
#[must_use]
pub fn asks_about_reco(text: &str) -> bool {
    let lower = text.to_lowercase();
    ABOUT_RECO.iter().any(|p| lower.contains(p))
}

/// A negation right before a card reference ("not the second one", "no, not that one",
/// "skip #2") rejects that card, whatever the classifier made of the turn.
pub(super) const NOT_REF: &[&str] = &[
    " not the ",
    " not that ",
    " not this ",
    " not those ",
    " not these ",
    " not #",
    " not number ",
    " not no.",
    " skip the ",
    " skip that ",
    " skip #",
    " drop the ",
    " drop that ",
];
/// Asking for items like a card ("more like the first one", "something similar to it").
pub(super) const SIMILAR_TO: &[&str] = &[
    "more like",
    "similar to",
    "something like",
    "anything like",
    "others like",
    "ones like",
    "stuff like",
    "like that one",
    "like this one",
];
/// Openings of a turn that adds to the request on screen rather than starting a new one.
pub(super) const ADDS: &[&str] = &[
    " with ",
    " without ",
    " but ",
    " only ",
    " preferably ",
    " ideally ",
    " plus ",
    " except ",
    " and with ",
    " and without ",
    " also with ",
];
pub(super) const NONE_OF: &[&str] = &["none", "neither", "all of", "these", "those", "any of"];
/// Openings that refuse what follows ("not interested in anime", "no horror please"); "no,"
/// opens a correction ("no, Portal 2") and is not one.
pub(super) const REFUSE: &[&str] = &[" not ", " no ", " anything but ", " except "];

/// Whether the item named at byte `start` of `text` is refused by the words right before it
/// ("not the witcher", "a strategy game but not age of empires", "anything but Portal",
/// "nothing like Dead Cells"); not after "no," or "No!" ("no, Portal 2" corrects), nor in
/// "why not Hades?" or "is there no Hades?", which ask.
#[must_use]
pub fn refused_at(text: &str, start: usize) -> bool {
    let before: Vec<&str> = text.get(..start).unwrap_or("").split_whitespace().collect();
    let key = |k: usize| {
        before
            .len()
            .checked_sub(k)
            .map(|i| crate::text::word_key(before[i]))
    };
    let Some(last) = key(1) else { return false };
    let corrects = before
        .last()
        .is_some_and(|w| w.ends_with(|c: char| !c.is_alphanumeric()));
    let second = key(2);
    let asks = matches!(second.as_deref(), Some("why" | "there"));
    let anything = matches!(second.as_deref(), Some("anything" | "something"));
    !corrects
        && !asks
        && (matches!(last.as_str(), "not" | "no" | "without")
            || (matches!(last.as_str(), "but" | "except") && anything)
            || (last == "like" && second.as_deref() == Some("nothing")))
}
/// Phrases that say the person already has an item ("looks fun but I've already got it"):
/// seen, whatever else the turn says of it.
pub(super) const OWNED: &[&str] = &[
    "already got",
    "already have",
    "already own",
    "already bought",
    "already played",
    "got it already",
    "have it already",
    "own it already",
    "played it already",
    "i own it",
    "i own that",
];
/// Phrases that dismiss every card on screen ("none of those, something more like X").
pub(super) const DISMISS: &[&str] = &[
    "none of those",
    "none of these",
    "none of them",
    "neither of",
    "not those",
    "not these",
    "other than these",
    "other than those",
];

/// Whether a turn dismisses the cards on screen: its refinement shows none of them again
/// (without marking them rejected for the session).
#[must_use]
pub fn dismisses_cards(text: &str) -> bool {
    let lower = text.to_lowercase();
    DISMISS.iter().any(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courtesy_and_dismissal() {
        assert!(is_courtesy("thanks!"));
        assert!(is_courtesy("ok thank you so much"));
        assert!(is_courtesy("cool, bye"));
        assert!(!is_courtesy("great"));
        assert!(!is_courtesy("thanks, I'll take the second one"));
        assert!(dismisses_cards(
            "hmm none of those, something more like starcraft"
        ));
        assert!(!dismisses_cards("more like the second one"));
        assert!(asks_about_reco("what can you do?"));
        let at = |t: &str, name: &str| refused_at(t, t.find(name).expect("name in text"));
        assert!(at("not the witcher", "the witcher"));
        assert!(at(
            "a strategy game but not age of empires",
            "age of empires"
        ));
        assert!(at("anything but Portal", "Portal"));
        assert!(!at("no, Portal 2", "Portal 2"));
        assert!(!at("No Man's Sky", "No Man's Sky"));
        assert!(!at("like Portal", "Portal"));
        assert!(!at("No! Portal 2.", "Portal 2"));
        assert!(!at("why not Hades?", "Hades"));
        assert!(!at("I've played all of them except Hades", "Hades"));
        assert!(at("roguelikes, but nothing like Dead Cells", "Dead Cells"));
    }
}
