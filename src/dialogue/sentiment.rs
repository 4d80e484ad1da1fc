//! A verdict on the cards a turn points at, read from its words ("not a fan of the first one",
//! "ive seen 1 and 3", "i really enjoyed the second one", "the third one doesn't look great
//! either"). The router asks it when a turn names cards by position, before the intent
//! classifier's labels: a verdict the classifier is unsure of would otherwise fall through to
//! a new request, losing both the verdict and the request on screen.

use super::{action::FeedbackKind, words::says_liked};

/// Words that turn down what they point at. Checked before liking ("didnt like" holds "like").
const REJECT: &[&str] = &[
    "not a fan",
    "not a big fan",
    "wasnt a fan",
    "not for me",
    "isnt for me",
    "not really for me",
    "not my thing",
    "not my cup",
    "not my style",
    "not my type",
    "didnt like",
    "did not like",
    "dont like",
    "do not like",
    "didnt enjoy",
    "didnt love",
    "hated",
    " hate ",
    "disliked",
    " dislike ",
    "not interested",
    "doesnt look good",
    "doesnt look great",
    "doesnt look fun",
    "doesnt look interesting",
    "dont look good",
    "dont look great",
    "dont look fun",
    "doesnt sound good",
    "doesnt sound great",
    "doesnt sound fun",
    "looks boring",
    "look boring",
    "boring",
    "looks bad",
    "not feeling",
    " meh",
    "pass on",
    " skip ",
    "no thanks",
    "not into",
    "terrible",
    "awful",
    "sucked",
    "overrated",
    "nope",
    // "The second one is way too hard for me": a complaint about that card.
    "too hard",
    "too difficult",
    "too scary",
    "too long",
    "too expensive",
    "too pricey",
    "too violent",
    "too childish",
    "too slow",
    "too old",
];

/// Words that say it was already played, watched or owned.
const SEEN: &[&str] = &[
    " seen ",
    " saw ",
    "watched",
    " played ",
    "already played",
    "already seen",
    "already watched",
    "already own",
    "already have",
    "already got",
    "already beat",
    "finished",
    " beat it",
    " beat that",
    "beaten",
    "completed",
    " own ",
];

/// Words that turn a verdict word round ("I haven't played the second one", "the first one
/// but not boring", "doesn't look bad"): a verdict word right after one of them gives none.
const NEGATORS: &[&str] = &[
    "not", "no", "never", "havent", "hasnt", "didnt", "isnt", "wasnt", "doesnt", "dont",
];

/// Words that like it, beside [`says_liked`] ("loved it", "enjoyed the first one").
const LIKE: &[&str] = &[
    "enjoyed",
    "loved",
    " love ",
    "favorite",
    "favourite",
    "look good",
    "looks good",
    "look great",
    "looks great",
    "look fun",
    "looks fun",
    "look interesting",
    "looks interesting",
    "sounds good",
    "sounds great",
    "sound good",
    "sound great",
    "i like",
    "i really like",
    " liked",
    "awesome",
    "amazing",
    "was great",
    "is great",
    // A choice: "ill try the second one", "i'll go with the first".
    "i'll try",
    "ill try",
    "gonna try",
    "i'll get",
    "ill get",
    "gonna get",
    "i'll take",
    "ill take",
    "i'll go with",
    "ill go with",
    "going with",
    "i'll buy",
    "ill buy",
    "i'll watch",
    "ill watch",
    "gonna watch",
    "i'll play",
    "ill play",
    "gonna play",
];

/// The verdict `text` gives the cards it points at, if its words give one: read in the clauses
/// that name a card ("I don't like horror but the second one looks great" likes it), turned
/// down before liked (a liked card that was also played is liked, see `Agent::act`), liked
/// before seen; a verdict word right after a negator gives none ("I haven't played the second
/// one", "the first one but not boring").
#[must_use]
pub(super) fn verdict(text: &str) -> Option<FeedbackKind> {
    let clauses = clauses(text);
    let about_cards: Vec<&str> = clauses
        .iter()
        .copied()
        .filter(|c| crate::intent::refs::card_refs(c).is_some())
        .collect();
    let scope = if about_cards.is_empty() {
        text.to_string()
    } else {
        about_cards.join(" . ")
    };
    let t = format!(" {} ", crate::text::fold(&scope));
    // Whether `p` occurs with no negator in the two words before it.
    let said = |p: &str| {
        t.match_indices(p).any(|(at, _)| {
            let before: Vec<&str> = t[..at].split_whitespace().rev().take(2).collect();
            !before.iter().any(|w| NEGATORS.contains(w))
        })
    };
    let has = |ps: &[&str]| ps.iter().any(|p| said(p));
    if has(REJECT) {
        Some(FeedbackKind::Rejected)
    } else if has(LIKE) || says_liked(&scope) {
        Some(FeedbackKind::Liked)
    } else if has(SEEN) {
        Some(FeedbackKind::Seen)
    } else {
        None
    }
}

/// The verdict the words give instead of the classifier's kind `k`, if they override it:
/// words that say seen win over a rejection ("saw it twice"), words that turn it down over
/// a liking or seeing ("ugh hated it").
#[must_use]
pub(super) fn overrides(
    k: Option<FeedbackKind>,
    words: Option<FeedbackKind>,
) -> Option<FeedbackKind> {
    let (k, v) = (k?, words?);
    let seen_over_rejected = k == FeedbackKind::Rejected && v == FeedbackKind::Seen;
    (seen_over_rejected || (k != FeedbackKind::Rejected && v == FeedbackKind::Rejected))
        .then_some(v)
}

/// Per clause that names cards by position and gives a verdict, the card positions (0-based)
/// and the verdict: "loved #1, hated #3" → ([0], liked), ([2], rejected).
#[must_use]
pub(super) fn clause_verdicts(text: &str) -> Vec<(Vec<usize>, FeedbackKind)> {
    clauses(text)
        .into_iter()
        .filter_map(|c| match crate::intent::refs::card_refs(c) {
            Some(crate::intent::refs::CardRef::At(at)) => verdict(c).map(|k| (at, k)),
            _ => None,
        })
        .collect()
}

/// A turn's clauses: split at punctuation and at " but ".
fn clauses(text: &str) -> Vec<&str> {
    text.split([',', '.', ';', '!', '?'])
        .flat_map(|c| c.split(" but "))
        .collect()
}

/// What a verdict turn asks for beside its verdict ("seen the first one, anything scarier?"
/// → "anything scarier", "nah not the second one, something cheaper" → "something
/// cheaper"): its clauses that neither point at a card nor give a verdict and ask for
/// something (a content word or a relative change), joined; empty when there are none.
#[must_use]
pub(super) fn beside_verdict(text: &str) -> String {
    clauses(text)
        .into_iter()
        .map(str::trim)
        .filter(|c| {
            !c.is_empty()
                && crate::intent::refs::card_refs(c).is_none()
                && verdict(c).is_none()
                // Not a bare "not" left where a refused title was.
                && (super::words::content_words(c) > 0
                    || !super::constraints::relatives(c).is_empty())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_from_words() {
        use FeedbackKind::{Liked, Rejected, Seen};
        for (text, want) in [
            ("not a fan of the first one", Some(Rejected)),
            ("i hated the second one", Some(Rejected)),
            ("the first one isnt for me", Some(Rejected)),
            ("i didn't like the first one", Some(Rejected)),
            (
                "hmm the third one doesn't look great either",
                Some(Rejected),
            ),
            ("loved the second one, anything similar?", Some(Liked)),
            ("i really enjoyed the second one", Some(Liked)),
            ("the fifth one is my favorite movie ever", Some(Liked)),
            ("the second and fourth look good", Some(Liked)),
            ("ive seen 1 and 3", Some(Seen)),
            ("I've already played the first one", Some(Seen)),
            ("the second one is way too hard for me lol", Some(Rejected)),
            ("the second one", None),
            ("I haven't played the second one yet", None),
            ("the second one doesn't look bad actually", None),
            ("the first one but not boring", None),
            (
                "I don't like horror but the second one looks great",
                Some(Liked),
            ),
            ("ok got it, more like the second one", None),
            ("the second one is already on my wishlist", None),
            ("what about the third one for my brother", None),
        ] {
            assert_eq!(verdict(text), want, "{text}");
        }
    }

    #[test]
    fn each_clause_its_verdict() {
        use FeedbackKind::{Liked, Rejected, Seen};
        assert_eq!(
            clause_verdicts("loved #1, hated #3"),
            [(vec![0], Liked), (vec![2], Rejected)]
        );
        assert_eq!(
            clause_verdicts("i loved the 5th, seen the 1st"),
            [(vec![4], Liked), (vec![0], Seen)]
        );
        assert_eq!(clause_verdicts("the second one"), []);
    }

    #[test]
    fn the_request_beside_a_verdict() {
        for (text, want) in [
            ("seen the first one, anything scarier?", "anything scarier"),
            (
                "nah not the second one, something cheaper",
                "something cheaper",
            ),
            (
                "played all of those already. something more recent",
                "something more recent",
            ),
            (
                "not , seen it, something with more story",
                "something with more story",
            ),
            ("the second one is too expensive", ""),
            ("no thanks, not into the third one", ""),
            ("ive seen 1 and 3", ""),
        ] {
            assert_eq!(beside_verdict(text), want, "{text}");
        }
    }
}
