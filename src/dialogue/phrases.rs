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
    let negated = |w: Option<String>| {
        w.is_some_and(|w| {
            matches!(
                w.as_str(),
                "not" | "never" | "dont" | "didnt" | "cant" | "couldnt"
            ) || w.ends_with("n't")
        })
    };
    // "I hated Hollow Knight", "I didn't like Celeste", "can't stand X", "not a fan of X".
    let panned = PANNED.contains(&last.as_str())
        || (matches!(last.as_str(), "like" | "enjoy" | "stand" | "into") && negated(key(2)))
        || (last == "into" && key(2).as_deref() == Some("get") && negated(key(3)))
        || (last == "of"
            && key(2).as_deref() == Some("fan")
            && (negated(key(3)) || negated(key(4)) || negated(key(5))));
    !corrects
        && !asks
        && (matches!(last.as_str(), "not" | "no" | "without")
            || panned
            || (matches!(last.as_str(), "but" | "except") && anything)
            || (last == "like" && second.as_deref() == Some("nothing")))
}

/// Verbs right before a name that say the person did not like it ("I hated Hollow Knight").
const PANNED: &[&str] = &[
    "hated", "hate", "disliked", "dislike", "detest", "detested", "loathe", "loathed",
];

/// Whether the words right after an item named at `end` pan it ("Hollow Knight was too
/// frustrating", "Celeste sucked", "Portal bored me").
#[must_use]
pub fn panned_after(text: &str, end: usize) -> bool {
    let after: Vec<String> = text
        .get(end..)
        .unwrap_or("")
        .split_whitespace()
        .take(3)
        .map(crate::text::word_key)
        .collect();
    let w = |i: usize| after.get(i).map_or("", String::as_str);
    let verdict = |x: &str| {
        matches!(
            x,
            "boring"
                | "bad"
                | "awful"
                | "terrible"
                | "meh"
                | "frustrating"
                | "annoying"
                | "overrated"
        )
    };
    matches!(w(0), "sucked" | "sucks" | "bored")
        || (matches!(w(0), "was" | "is" | "felt" | "got")
            && (verdict(w(1))
                || (matches!(w(1), "too" | "so" | "really" | "pretty") && verdict(w(2)))))
}

/// Words that make a turn carrying a request a new request rather than a change to the one
/// on screen ("not a romance this time, maybe an action movie", "something else, a
/// metroidvania").
pub(super) const NEW_REQUEST: &[&str] = &[
    " this time",
    " instead",
    "something else",
    "something different",
    "something completely different",
    "change of pace",
    " switch to ",
    "different kind of",
    "different type of",
    " suggest ",
    " recommend ",
    "looking for",
    "can you find",
];
/// Words that point back at the request on screen ("can you recommend one with co-op?"):
/// a turn with them is no new request, whatever else it says.
pub(super) const POINTS_BACK: &[&str] = &[
    " one ",
    " ones ",
    " of these",
    " of those",
    " of them",
    " it ",
    " them ",
    " those ",
    " these ",
];

/// Openings of a question (padded with spaces, as the router reads a turn).
pub(super) const QUESTION_WORDS: &[&str] = &[
    " is ", " does ", " do ", " are ", " was ", " would ", " will ", " what ", " how ", " why ",
    " which ", " who ",
];

/// Words that ask for items like a named one ("I loved The Notebook, anything similar?";
/// not "I like Titanic", which says what the person likes).
pub(super) const LIKE_NAMED: &[&str] = &[
    "something like",
    "anything like",
    "games like",
    "game like",
    "movies like",
    "movie like",
    "films like",
    "film like",
    "shows like",
    "stuff like",
    "similar",
    "-like",
    " inspired by ",
    " in the vein of ",
    " along the lines of ",
    " reminds me of ",
    " in the style of ",
];

/// Asking for a recommendation with nothing else said ("what should I play tonight?",
/// "surprise me"): recommended from the catalog's best, never small talk.
pub(super) const ANY_PICK: &[&str] = &[
    "what should i play",
    "what should i watch",
    "what should i try",
    "what do you recommend",
    "what would you recommend",
    "what do you suggest",
    "what would you suggest",
    "recommend me something",
    "recommend something",
    "suggest something",
    "any suggestions",
    "any recommendations",
    "surprise me",
    "give me something",
    "something good",
];

/// Small talk about reco's tastes or feelings ("what's your favorite game?"): answered as
/// small talk, never taken as a request.
pub(super) const SMALL_TALK: &[&str] = &[
    "your favorite",
    "your favourite",
    "ur favorite",
    "ur favourite",
    "your fav ",
    "ur fav ",
    "how are you",
    "how r u",
    "how's it going",
    "do you play",
    "do you like games",
    "do you like movies",
    "are you a bot",
    "are you human",
    "are you real",
];

/// Words that ask where an item runs; the catalogs reco reads have no platform data.
pub(super) const PLATFORMS: &[&str] = &[
    " mac",
    " macos",
    " macbook",
    " linux",
    " windows",
    " steam deck",
    " switch",
    " ps4",
    " ps5",
    " playstation",
    " xbox",
    " console",
    " consoles",
    " phone",
    " android",
    " iphone",
    " ios",
    " mobile",
    " tablet",
    " ipad",
];

/// Whether `lower` (lowercased, padded with spaces) asks about platforms.
#[must_use]
pub fn asks_platform(lower: &str) -> bool {
    PLATFORMS.iter().any(|p| {
        lower.match_indices(p).any(|(at, _)| {
            lower[at + p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}
/// Words that say an item was played or watched ("I played it and liked it"): seen as well
/// as liked.
pub(super) const PLAYED: &[&str] = &[
    "played",
    "seen",
    "watched",
    "finished",
    "beat ",
    "already",
    "before",
    "completed",
];
/// Asking for more of what was liked ("loved it, what else?").
pub(super) const MORE_OF: &[&str] = &["similar", "what else", "anything else", "more of"];
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
        assert!(at("i hated hollow knight, too hard", "hollow knight"));
        assert!(at("I didn't like Celeste", "Celeste"));
        assert!(at("I can't stand Fortnite", "Fortnite"));
        assert!(at("not a big fan of Portal", "Portal"));
        assert!(!at("I liked Portal", "Portal"));
        assert!(!at("something I'd like Portal", "Portal"));
        let after =
            |t: &str, name: &str| panned_after(t, t.find(name).expect("name in text") + name.len());
        assert!(after("Hollow Knight was too frustrating", "Hollow Knight"));
        assert!(after("celeste sucked", "celeste"));
        assert!(!after("Hollow Knight was great", "Hollow Knight"));
        assert!(asks_platform(" what about on mac? "));
        assert!(asks_platform(" does it run on linux "));
        assert!(!asks_platform(" a machine gun game "));
        assert!(!asks_platform(" switchblade "));
    }
}
