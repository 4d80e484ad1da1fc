//! The words of a turn: cleaning it, what is left of the request once named items and
//! card words are taken out, and a start-over phrase removed.

use super::{constraints::without_relatives, phrases::START_OVER, MAX_TURN_BYTES};
use crate::{
    retrieve::{
        anchor::{self, Named},
        filters::without_negated_words,
        lexical,
    },
    text::word_key,
    Error, Result,
};

/// Clean a turn: controls become spaces, cut to [`MAX_TURN_BYTES`]; an empty turn is an error.
pub fn clean_turn(text: &str) -> Result<String> {
    let mut end = text.len().min(MAX_TURN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cleaned = crate::text::terminal_line(&text[..end]);
    if cleaned.is_empty() {
        return Err(Error::Invalid(
            "the turn is empty: type a request or a question".into(),
        ));
    }
    Ok(cleaned)
}

/// `text` without the named items' spans and a cue word right before each ("like Portal").
pub(super) fn without_named(text: &str, named: &[Named]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for n in named {
        if n.start < at {
            continue;
        }
        let mut before = &text[at..n.start];
        let trimmed = before.trim_end();
        let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
        if anchor::CUES.contains(&last.to_lowercase().as_str())
            || super::phrases::PANNED.contains(&last.to_lowercase().as_str())
            || last.eq_ignore_ascii_case("similar")
        {
            before = &trimmed[..trimmed.len() - last.len()];
        }
        out.push_str(before);
        out.push(' ');
        at = n.end;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that carry no request in a follow-up turn.
const NOT_REQUEST: &[&str] = &[
    "again",
    "only",
    "pls",
    "plz",
    "nvm",
    "nevermind",
    "lmao",
    "idk",
    "tbh",
    "kinda",
    "sorta",
    "actually",
    "bored",
    "helpful",
    "lets",
    "one",
    "ones",
    "first",
    "second",
    "third",
    "last",
    "that",
    "this",
    "those",
    "these",
    "them",
    "please",
    "thanks",
    "thank",
    "ok",
    "okay",
    "yes",
    "no",
    "nah",
    "yeah",
    "sure",
    "else",
    "more",
    "other",
    "others",
    "another",
    "what",
    "about",
    "how",
    "tell",
    "show",
    "give",
    "hi",
    "hello",
    "hey",
    "hiya",
    "howdy",
    "there",
    "morning",
    "afternoon",
    "evening",
    "doing",
    "going",
    "bye",
    "goodbye",
    "cheers",
    "lol",
    "haha",
    "today",
];

pub(super) fn content_words(text: &str) -> usize {
    lexical::words(text)
        .filter(|w| {
            !lexical::STOPWORDS.contains(&w.as_str())
                && !NOT_REQUEST.contains(&w.as_str())
                && !is_asking(w.as_str())
        })
        .filter(|w| !anchor::CUES.contains(&w.as_str()))
        .count()
}

/// Whether the turn says the person liked what it points at ("I loved it", "enjoyed the
/// first one", "love that one"), not negated ("didn't like it") and not a question put to
/// reco ("would you like it?"). "I'd love something scary" asks; it does not say.
pub(super) fn says_liked(text: &str) -> bool {
    let w: Vec<String> = text.split_whitespace().map(word_key).collect();
    let negator = |p: &String| {
        matches!(
            p.as_str(),
            "not" | "never" | "no" | "hardly" | "dont" | "didnt"
        ) || p.ends_with("n't")
    };
    w.iter().enumerate().any(|(i, x)| {
        let past = matches!(x.as_str(), "liked" | "loved" | "enjoyed" | "adored");
        let present = matches!(x.as_str(), "like" | "love" | "enjoy")
            && w.get(i + 1).is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "it" | "that" | "this" | "them" | "those" | "both"
                )
            });
        let before = &w[i.saturating_sub(3)..i];
        let asked = before
            .last()
            .is_some_and(|p| matches!(p.as_str(), "you" | "would" | "i'd" | "id" | "to"));
        (past || present) && !asked && !before.iter().any(negator)
    })
}

/// The words of a parsed turn worth searching for: not what it says no to, not relative words
/// ("cheaper"), and nothing when only card words and filler are left ("more like the first
/// one", "show me others"). `plays_together`: the catalog tags co-op or multiplayer items
/// (a movie catalog does not), so "with my friends" searches for them too.
pub(super) fn search_words(parsed_text: &str, plays_together: bool) -> String {
    let t = without_asking(&without_relatives(&without_negated_words(parsed_text)));
    if content_words(&t) == 0 {
        String::new()
    } else if plays_together {
        with_company(t)
    } else {
        t
    }
}

/// People a person plays with: "with my friends" asks for co-op or multiplayer, which a
/// catalog tags in several ways ("Co-op", "Online Co-Op", "Multiplayer", few items carry all),
/// so words are added to the search text rather than one label required. ("cooperative"
/// instead of "co-op" misses the catalogs' co-op tags: on the demo catalog single-player
/// horror came back for "something scary to play with friends".)
const COMPANY: &[&str] = &[
    "friend",
    "friends",
    "buddy",
    "buddies",
    "pals",
    "mates",
    "girlfriend",
    "boyfriend",
    "gf",
    "bf",
    "wife",
    "husband",
    "partner",
    "brother",
    "sister",
    "roommate",
    "kids",
    "family",
    "son",
    "daughter",
];

/// `text`, with "co-op multiplayer" added when it asks to play with someone ("with a friend",
/// "with my girlfriend"; a negated phrase was already taken out).
fn with_company(text: String) -> String {
    let w: Vec<String> = lexical::words(&text).collect();
    let company = w.iter().enumerate().any(|(i, x)| {
        // ("w" is chat for "with": "a game to play w my gf".)
        (x == "with" || x == "w")
            && w[i + 1..]
                .iter()
                .take(3)
                .skip_while(|y| matches!(y.as_str(), "a" | "my" | "some" | "the" | "our" | "two"))
                .take(1)
                .any(|y| COMPANY.contains(&y.as_str()))
    });
    if company {
        format!("{text} co-op multiplayer")
    } else {
        text
    }
}

/// Words that ask for a recommendation or tell what the person did, never what they want
/// (the list and why each group is there: `asking.txt`).
fn is_asking(word: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        include_str!("asking.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
    .contains(word)
}

/// `text` without the asking words ([`is_asking`]) (whole whitespace-separated words, any case, curly
/// apostrophes folded, punctuation around them ignored).
fn without_asking(text: &str) -> String {
    let toks: Vec<&str> = text.split_whitespace().collect();
    let keys: Vec<String> = toks
        .iter()
        .map(|t| word_key(t).trim_matches('\'').to_string())
        .collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // "the best story games of all time": praise, not something to search for.
        if keys[i..].starts_with(&["of".into(), "all".into(), "time".into()]) {
            i += 3;
            continue;
        }
        // "none of these, something funnier": a dismissal of the cards, not words to search.
        if matches!(keys[i].as_str(), "none" | "neither")
            && keys.get(i + 1).is_some_and(|k| k == "of")
            && keys
                .get(i + 2)
                .is_some_and(|k| matches!(k.as_str(), "these" | "those" | "them" | "em"))
        {
            i += 3;
            continue;
        }
        if !is_asking(keys[i].as_str()) {
            kept.push(toks[i]);
        }
        i += 1;
    }
    kept.join(" ")
}

/// Filler that may open a start-over turn ("ok, let's start over").
const OPENERS: &[&str] = &[
    "let's",
    "lets",
    "ok",
    "okay",
    "so",
    "well",
    "nvm",
    "nevermind",
    "lol",
    "actually",
    "hmm",
    "oh",
    "ah",
    "yeah",
    "no",
    "nah",
    "alright",
    "um",
    "uh",
];

/// The turn without its start-over phrases ("forget that, I need a comedy" → "I need a
/// comedy"), matched as whole words, and without filler before them.
pub(super) fn strip_start_over(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let keys: Vec<String> = words.iter().map(|w| word_key(w)).collect();
    let phrases: Vec<Vec<&str>> = START_OVER.iter().map(|p| p.split(' ').collect()).collect();
    let mut drop = vec![false; words.len()];
    let mut i = 0;
    let mut leading = true;
    while i < words.len() {
        let at = |p: &Vec<&str>| {
            keys.len() >= i + p.len() && p.iter().zip(&keys[i..]).all(|(a, b)| a == b)
        };
        if let Some(p) = phrases.iter().find(|p| at(p)) {
            drop[i..i + p.len()].iter_mut().for_each(|d| *d = true);
            i += p.len();
        } else if leading && OPENERS.contains(&keys[i].as_str()) {
            drop[i] = true;
            i += 1;
        } else {
            leading = false;
            i += 1;
        }
    }
    let kept: Vec<&str> = words
        .iter()
        .zip(&drop)
        .filter(|(_, d)| !**d)
        .map(|(w, _)| *w)
        .collect();
    kept.join(" ")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '.' | '-'))
        .to_string()
}

/// Whether a feedback turn also asks about the item ("sounds good, why that one?", "I like
/// it, tell me about it"); "loved it, what else?" and "loved it, tell me something similar"
/// ask for more items instead.
#[must_use]
pub fn asks_about_item(text: &str) -> bool {
    let lower = format!(" {} ", text.to_lowercase().replace('\u{2019}', "'"));
    [
        "why",
        "tell me about",
        "tell me more about",
        "what is it",
        "what's it",
        "how long is",
        "how much is",
    ]
    .iter()
    .any(|p| lower.contains(&format!(" {p} ")) || lower.contains(&format!(" {p}?")))
}

#[cfg(test)]
#[path = "words_tests.rs"]
mod tests;
