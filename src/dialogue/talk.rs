//! Phrases of small talk and courtesy, and of questions no catalog reco reads can answer
//! (platforms, play time, system requirements): the router's word lists beside
//! [`super::phrases`], the router's first step, which reads them, and the line a catalog
//! without people gives for a question about them ([`no_cast`]).

use crate::retrieve::{Filters, Retriever};

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
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "cheers",
    "ok",
    "okay",
    "cool",
    "bye",
    "goodbye",
    "great",
    "awesome",
    "nice",
    "lol",
    "much",
    "a",
    "lot",
    "so",
    "see",
    "ya",
    "later",
    "k",
    "kk",
    "for",
    "all",
    "the",
    "ideas",
    "suggestions",
    "recommendations",
    "recs",
    "help",
    "helpful",
    "have",
    "good",
    "night",
    "day",
    "evening",
    "weekend",
    "now",
    "that",
    "thats",
    "that's",
    "was",
    "is",
    "it",
    "very",
    "really",
    "super",
    "man",
    "dude",
    "again",
    "well",
    "i",
    "i'll",
    "ill",
    "will",
    "check",
    "out",
    "them",
    "those",
    "try",
    "take",
    "care",
    "appreciate",
    "appreciated",
    "perfect",
    "wonderful",
    "helped",
    "lots",
    "tons",
    "bunch",
    "been",
    "youve",
    "you've",
    "your",
    "ur",
    "time",
    "talk",
    "soon",
    "bye-bye",
    "cya",
    "ciao",
    "goodnight",
];

/// Goodbyes that are no verdict on the cards ("nah im good thanks", "that's it").
pub(super) const CLOSING: &[&str] = &[
    "im good",
    "i'm good",
    "i am good",
    "that's it",
    "thats it",
    "that's all",
    "thats all",
    "no thanks",
    "nah thanks",
    "all good",
    "i'm done",
    "im done",
];

/// Words about the person's hardware: the catalogs have no system requirements.
pub(super) const HARDWARE: &[&str] = &[
    " good pc",
    " my pc",
    " my laptop",
    " low end",
    " low-end",
    " potato",
    " system requirements",
    " specs",
    " graphics card",
    " old computer",
    " weak computer",
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
    "do u like movies",
    "do u like games",
    "do you even like",
    "do u even like",
    "do u play",
    "are you a bot",
    "ur a bot",
    "r u a bot",
    "are u a bot",
    "you a bot",
    "u a bot",
    "ur an ai",
    "are you an ai",
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

/// Questions about how long an item takes: the catalogs have no play times.
pub(super) const LENGTH: &[&str] = &[
    "how long",
    "how many hours",
    "hours to beat",
    "length of",
    "time to beat",
    "playtime",
    "play time",
    "is it long",
    "is it short",
    "long is it",
];

/// The router's first step: `Some(None)` for small talk — a question about reco itself,
/// thanks or goodbye and nothing else, small talk about reco's tastes ("what's your favorite
/// game?"; "what's your favorite horror game?" names a label, a request) — never a request
/// nor a verdict on the card in focus; `Some(Some(what))` for talk of the person's hardware
/// ("I don't have a good PC": the catalogs have no system requirements, and the answer says
/// so). `unpointed`: the turn names no item and points at no card.
pub(super) fn talk_route(
    text: &str,
    unpointed: bool,
    has_request: bool,
    filters: Option<&Filters>,
) -> Option<Option<&'static str>> {
    let lower = format!(" {} ", text.to_lowercase());
    let has = |ps: &[&str]| ps.iter().any(|p| lower.contains(p));
    if super::cues::asks_about_reco(text) && unpointed && !has_request {
        return Some(None);
    }
    let no_filters = filters.is_none_or(Filters::is_empty);
    let small_talk = has(SMALL_TALK)
        && !has(super::phrases::ANY_PICK)
        && text.split_whitespace().count() <= 6
        && no_filters
        && unpointed;
    let closing = has(CLOSING) && !has_request && unpointed;
    if super::cues::is_courtesy(text)
        || small_talk
        || closing
        || super::cues::ends_with_goodbye(text)
    {
        return Some(None);
    }
    (has(HARDWARE) && no_filters && unpointed).then_some(Some("system requirements"))
}

/// "Movies directed by Christopher Nolan", "starring Tom Hanks": a catalog without people
/// (no item names a developer or publisher) says so before its cards.
pub(super) fn no_cast(r: &Retriever, text: &str) -> Option<String> {
    const ASKS: &[&str] = &[
        "directed by",
        "director",
        "starring",
        "actor",
        "actress",
        " cast ",
        "stars ",
    ];
    let lower = format!(" {} ", text.to_lowercase());
    // The catalog is read only when the turn asks about people.
    let asks = ASKS.iter().any(|p| lower.contains(p));
    let people = || {
        r.items()
            .iter()
            .any(|it| it.developer.is_some() || it.publisher.is_some())
    };
    (asks && !people()).then(|| {
        "The catalog has no cast or crew, so these match the rest of what you asked.\n".to_string()
    })
}
