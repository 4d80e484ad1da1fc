//! Small tests of a turn built on the phrase tables ([`super::phrases`]): thanks, questions
//! about reco, names refused or panned, "like" as "similar to", cards turned down, platforms.

use super::phrases::*;

/// Whether a turn is only thanks or a goodbye.
#[must_use]
pub fn is_courtesy(text: &str) -> bool {
    let words: Vec<String> = crate::retrieve::lexical::words(text).collect();
    let thanks = |w: &String| {
        matches!(
            w.as_str(),
            "thanks" | "thank" | "thx" | "ty" | "cheers" | "bye" | "goodbye" | "cya" | "ciao"
        )
    };
    words.iter().any(thanks) && words.iter().all(|w| COURTESY.contains(&w.as_str()))
}

/// `text` without an opening sentence of thanks ("Thank you. Can you think of one more?" →
/// "Can you think of one more?"); `text` itself when it opens otherwise or says nothing else.
#[must_use]
pub fn without_opening_thanks(text: &str) -> &str {
    let Some(end) = text.find(['.', '!', ',', ';', '\n']) else {
        return text;
    };
    let (head, rest) = (
        &text[..end],
        text[end + 1..].trim_start_matches(['.', '!', ' ']),
    );
    if is_courtesy(head) && !rest.trim().is_empty() && !is_courtesy(rest) {
        rest.trim()
    } else {
        text
    }
}

/// Whether `text` ends by saying goodbye ("I think I'll queue up Pretty in Pink today.
/// Thank you! Goodbye!"), asking nothing before it.
#[must_use]
pub fn ends_with_goodbye(text: &str) -> bool {
    let last = text
        .split(['.', '!', '?', '\n'])
        .map(str::trim)
        .rfind(|s| !s.is_empty())
        .unwrap_or("");
    let bye = crate::retrieve::lexical::words(last)
        .any(|w| matches!(w.as_str(), "bye" | "goodbye" | "cya" | "ciao" | "goodnight"));
    bye && is_courtesy(last) && !text.contains('?')
}

/// Whether `text` asks what reco is or can do.
#[must_use]
pub fn asks_about_reco(text: &str) -> bool {
    let lower = text.to_lowercase();
    ABOUT_RECO.iter().any(|p| lower.contains(p))
}

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
        || (matches!(
            last.as_str(),
            "like" | "liked" | "enjoy" | "enjoyed" | "stand" | "into"
        ) && negated(key(2)))
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
                || (matches!(w(1), "too" | "so" | "really" | "pretty") && verdict(w(2)))
                // "Hollow Knight was too hard for me" (not "was hard but I loved it").
                || (w(1) == "too"
                    && matches!(
                        w(2),
                        "hard" | "difficult" | "slow" | "grindy" | "repetitive" | "confusing"
                    ))))
}

/// Whether the item named at byte `start` follows "like" used as "similar to" ("somthing
/// like stardew", "a game like Portal"): a word for what is asked for comes before it, not
/// a person ("I like Titanic", "I actually like Portal", "we both like Stardew Valley").
#[must_use]
pub fn like_before(text: &str, start: usize) -> bool {
    let before: Vec<String> = text
        .get(..start)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .take(2)
        .map(crate::text::word_key)
        .collect();
    let w = |i: usize| before.get(i).map_or("", String::as_str);
    // A word for what is asked for right before "like": "something like", "a game like".
    w(0) == "like"
        && matches!(
            w(1),
            "something"
                | "somthing"
                | "smth"
                | "anything"
                | "game"
                | "games"
                | "movie"
                | "movies"
                | "film"
                | "films"
                | "show"
                | "shows"
                | "stuff"
                | "things"
                | "titles"
                | "one"
                | "ones"
                | "else"
                | "exactly"
                | "just"
                | "comedies"
                | "dramas"
                | "thrillers"
                | "horrors"
                | "documentaries"
                | "flicks"
                | "series"
                | "rpgs"
                | "shooters"
                | "platformers"
                | "roguelikes"
                | "puzzlers"
        )
}

/// Short reactions that turn down the cards on screen as a whole ("nah", "meh", "those all
/// look boring"): more of the same request, without them (not rejected for the session).
#[must_use]
pub fn turns_down_cards(text: &str) -> bool {
    let words: Vec<String> = crate::retrieve::lexical::words(text).collect();
    let first = words.first().map_or("", String::as_str);
    let lower = text.to_lowercase();
    // "nah", "meh, not these": the reaction and nothing but filler ("nope, cheaper" and
    // "nah i want horror" say what to change).
    let filler = |w: &String| {
        matches!(
            w.as_str(),
            "not"
                | "really"
                | "these"
                | "those"
                | "them"
                | "it"
                | "all"
                | "of"
                | "the"
                | "for"
                | "me"
                | "no"
                | "nope"
                | "nah"
                | "meh"
                | "sorry"
                | "thx"
        )
    };
    let reaction = (words.len() <= 4
        && matches!(
            first,
            "nah" | "nope" | "meh" | "naw" | "eh" | "ugh" | "boring"
        )
        && words.iter().skip(1).all(filler))
        || [
            "look boring",
            "looks boring",
            "seem boring",
            "not feeling",
            "not really feeling",
        ]
        .iter()
        .any(|p| lower.contains(p));
    // Only a reaction: "nah, something with co-op" is a request.
    reaction && words.len() <= 6 && !lower.contains(" with") && !lower.contains(" but")
}

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

/// Whether a turn dismisses the cards on screen: its refinement shows none of them again
/// (without marking them rejected for the session).
#[must_use]
pub fn dismisses_cards(text: &str) -> bool {
    let lower = text.to_lowercase();
    DISMISS.iter().any(|p| lower.contains(p))
}

/// Whether `lower` (lowercased, padded with spaces) says no to a card ([`NOT_REF`]); "not
/// that old", "not that expensive" say how, not which ("that" before a word of degree).
#[must_use]
pub fn says_not_ref(lower: &str) -> bool {
    NOT_REF.iter().any(|p| {
        lower
            .match_indices(p)
            .any(|(at, _)| p.trim() != "not that" || !degree_next(&lower[at + p.len()..]))
    })
}

/// Whether "that" in `lower` (lowercased, padded) is a word of degree ("not that old", "is
/// it that hard?"), which points at no card.
#[must_use]
pub fn that_of_degree(lower: &str) -> bool {
    lower
        .match_indices(" that ")
        .any(|(at, _)| degree_next(&lower[at + " that ".len()..]))
}

/// Whether the first word of `rest` is a word of degree ([`DEGREE`]).
fn degree_next(rest: &str) -> bool {
    rest.split_whitespace()
        .next()
        .map(crate::text::word_key)
        .is_some_and(|w| DEGREE.contains(&w.as_str()))
}

/// Words of degree after "not that" ("not that old").
const DEGREE: &[&str] = &[
    "old",
    "new",
    "expensive",
    "cheap",
    "long",
    "short",
    "hard",
    "easy",
    "scary",
    "big",
    "good",
    "bad",
    "much",
    "violent",
    "difficult",
    "recent",
    "pricey",
    "into",
    "keen",
    "interested",
];

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
        assert!(is_courtesy("ok thats all, cya"));
        assert!(is_courtesy("Thanks for all the ideas. Have a good night."));
        assert!(ends_with_goodbye(
            "I think I'll queue up Pretty in Pink today. Thank you! Goodbye!"
        ));
        assert_eq!(
            without_opening_thanks("Thank you. Can you think of one more?"),
            "Can you think of one more?"
        );
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
        assert!(after(
            "hollow knight was too hard for me tbh",
            "hollow knight"
        ));
        assert!(at("i never liked stardew valley tbh", "stardew valley"));
        assert!(!after("Hollow Knight was great", "Hollow Knight"));
        assert!(asks_platform(" what about on mac? "));
        assert!(asks_platform(" does it run on linux "));
        assert!(!asks_platform(" a machine gun game "));
        assert!(!asks_platform(" switchblade "));
        let like = |t: &str, name: &str| like_before(t, t.find(name).expect("name in text"));
        assert!(like("somthing like stardew vally", "stardew"));
        assert!(like("a game like Portal", "Portal"));
        assert!(!like("I like Titanic", "Titanic"));
        assert!(!like("i'd like Portal please", "Portal"));
        assert!(!like("I actually like Stardew Valley", "Stardew"));
        assert!(!like("we both like stardew valley", "stardew"));
        assert!(!turns_down_cards("nope, cheaper"));
        assert!(!turns_down_cards("nah i want horror"));
        assert!(says_not_ref(" not that one "));
        assert!(says_not_ref(" no, not the second one "));
        assert!(!says_not_ref(" not that old "));
        assert!(that_of_degree(" not that old "));
        assert!(!that_of_degree(" not that one "));
        assert!(turns_down_cards("nah"));
        assert!(turns_down_cards("those all look boring"));
        assert!(!turns_down_cards("nah, something with co-op"));
        assert!(!turns_down_cards("a boring day, what should i play"));
    }
}
