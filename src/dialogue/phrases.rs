//! The phrase tables the router reads a turn with (start over, compare, ask about, refuse,
//! dismiss …; thanks and small talk are in [`super::talk`], re-exported here). Kept as data,
//! apart from the routing order in [`super::route`] and the small tests built on them in
//! [`super::cues`].

pub(super) use super::talk::*;

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
    "whats better",
    "what's better",
    "which should i",
    "which one should i",
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
    "does it have",
    "does it support",
    "how are the reviews",
    "what are the reviews",
    "how are its reviews",
    "reviews like",
    "how is it rated",
    "how's it rated",
];

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
/// Verbs that refuse what follows anywhere in a turn ("he hates cartoons", "my wife doesn't
/// like horror"): a change to the request on screen, like an opening "no".
pub(super) const REFUSE_VERBS: &[&str] = &[
    " hates ",
    " hate ",
    " dislikes ",
    " dislike ",
    " doesnt like ",
    " doesn't like ",
    " dont like ",
    " don't like ",
    " cant stand ",
    " can't stand ",
    " not into ",
    " not a fan of ",
    " not big on ",
];
pub(super) const NONE_OF: &[&str] = &["none", "neither", "all of", "these", "those", "any of"];
/// Openings that refuse what follows ("not interested in anime", "no horror please"); "no,"
/// opens a correction ("no, Portal 2") and is not one.
pub(super) const REFUSE: &[&str] = &[" not ", " no ", " anything but ", " except "];
/// A refusal inside a request ("anything that isnt battle royale", "something without
/// microtransactions").
pub(super) const NEGATED: &[&str] = &[" isnt ", " isn't ", " arent ", " aren't ", " without "];

/// Verbs right before a name that say the person did not like it ("I hated Hollow Knight").
pub(super) const PANNED: &[&str] = &[
    "hated", "hate", "disliked", "dislike", "detest", "detested", "loathe", "loathed",
];

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
];
/// Asking for a new object ("can you suggest a game for a 7 year old?"): a new request
/// even when it names only conditions. Not the verbs alone: "can you recommend something
/// with co-op?" refines.
pub(super) const NEW_OBJECT: &[&str] = &[
    "suggest a game",
    "suggest a movie",
    "suggest a film",
    "suggest some games",
    "suggest some movies",
    "recommend a game",
    "recommend a movie",
    "recommend a film",
    "recommend some games",
    "recommend some movies",
    "looking for a game",
    "looking for a movie",
    "looking for a film",
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
/// Asking for other cards than those on screen after a verdict ("I already played Stardew,
/// anything else").
/// Openings of a yes-or-no question about an item ("is Portal 2 co-op?", "do you think he'd
/// like Encino Man?").
pub(super) const YES_NO: &[&str] = &[
    " is ",
    " does ",
    " was ",
    " do you think",
    " would he ",
    " would she ",
    " would they ",
    " would i ",
    " will he ",
    " will she ",
    " do you have ",
    " have you got ",
];
/// Comparatives between two named items ("is Clueless newer than Mean Girls?").
pub(super) const COMPARATIVE_THAN: &[&str] = &[
    " newer than ",
    " older than ",
    " better than ",
    " worse than ",
    " cheaper than ",
    " funnier than ",
    " scarier than ",
    " longer than ",
    " shorter than ",
];
/// Words that say an item was not played or watched ("I've never seen Good Will Hunting").
pub(super) const NOT_SEEN: &[&str] = &[
    "never watched",
    "never seen",
    "never saw",
    "never played",
    "havent seen",
    "haven't seen",
    "havent watched",
    "haven't watched",
    "havent played",
    "haven't played",
    "not seen",
    "didnt see",
    "didn't see",
    "not played",
];
pub(super) const OTHERS: &[&str] = &[
    "anything else",
    "what else",
    "something else",
    "show me more",
    "some more",
    "more please",
    "more pls",
    "any more",
    "more options",
];
/// Asking for more of what was liked ("loved it, what else?").
pub(super) const MORE_OF: &[&str] = &[
    "similar",
    "what else",
    "anything else",
    "more of",
    "any other",
    "any others",
    "other suggestions",
    "more suggestions",
    "other recommendations",
    "any more",
    "anything more",
];
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
