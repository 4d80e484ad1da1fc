//! How many items a query asks for and for whom: "recommend me 3 rpgs", "top 10 horror
//! games", "a game for a 7 year old". Part of the query parser ([`super::parse`]): the
//! numbers are read, never searched for ("3" would find *Heroes of Might and Magic 3*, "7
//! year old" *Resident Evil 7* and *Old World*).

use super::{parse::Tok, Filters, LabelVocab};

/// The most cards a count may ask for.
pub const MAX_COUNT: usize = 10;

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// Words before a number that make it a count ("give me 3", "top 5").
const ASKING: &[&str] = &[
    "me",
    "top",
    "best",
    "recommend",
    "suggest",
    "show",
    "give",
    "list",
    "need",
    "want",
    "find",
    "another",
    "other",
    "some",
    "pick",
    "name",
];

/// Words after a number that make it a count ("3 rpgs", "5 good games").
const KINDS: &[&str] = &[
    "games",
    "movies",
    "films",
    "shows",
    "titles",
    "options",
    "ideas",
    "picks",
    "suggestions",
    "recommendations",
    "more",
    "good",
    "great",
    "new",
    "fun",
    "different",
    "other",
    "similar",
    "cheap",
    "free",
    "comedies",
    "dramas",
    "thrillers",
    "documentaries",
    "cartoons",
    "westerns",
    "musicals",
    "rpgs",
    "shooters",
    "platformers",
    "puzzles",
    "classics",
];

/// Words after a number that make it an amount of something else.
const UNITS: &[&str] = &[
    "days", "day", "hours", "hour", "minutes", "weeks", "months", "years", "year", "times",
    "dollars", "bucks", "euros", "gb", "in",
];

/// Words after a number that make it the size of a group ("with 4 friends").
const GROUP: &[&str] = &[
    "friends", "players", "player", "people", "buddies", "mates", "guys", "kids", "of", "others",
    "p", "person",
];

fn number(tok: &str) -> Option<usize> {
    tok.parse::<usize>()
        .ok()
        .or_else(|| NUMBER_WORDS.iter().position(|w| *w == tok).map(|i| i + 1))
}

/// Counts ("3 rpgs", "top 10"): marked used, the first one returned (at most
/// [`MAX_COUNT`]). Group sizes are marked used too, and "2 player" asks for Multiplayer.
pub(super) fn counts(
    toks: &[Tok],
    used: &mut [bool],
    f: &mut Filters,
    vocab: &LabelVocab,
) -> Option<usize> {
    let mut found = None;
    for i in 0..toks.len() {
        let Some(n) = number(&toks[i].low).filter(|n| (1..=20).contains(n)) else {
            continue;
        };
        if used[i] {
            continue;
        }
        let before = i.checked_sub(1).map(|j| toks[j].low.as_str());
        let after = toks.get(i + 1).map(|t| t.low.as_str());
        // "one" alone is too common a word ("the one with dragons"); digits or a number word
        // after an asking word.
        let word = toks[i].low.parse::<usize>().is_err();
        let asking = before.is_some_and(|w| ASKING.contains(&w));
        // What follows names what is counted: a kind ("3 rpgs", "5 good games", "two relaxing
        // games"), or nothing ("top 10"); never "show me 7 days to die".
        let then = toks.get(i + 2).map(|t| t.low.as_str());
        let kind = after.is_some_and(|w| KINDS.contains(&w) || vocab.lookup(w).is_some())
            || then.is_some_and(|w| KINDS.contains(&w));
        // "With 4 friends", "2 player games", "a game for 2": a group, not a count, and not
        // searched either.
        let for_group = before == Some("for") && n <= 8 && (after.is_none() || after == Some("of"));
        // "between 2 and 4 players".
        let group_range = matches!(after, Some("and" | "to" | "-"))
            && toks.get(i + 2).is_some_and(|t| number(&t.low).is_some())
            && toks
                .get(i + 3)
                .is_some_and(|t| GROUP.contains(&t.low.as_str()));
        if group_range {
            used[i] = true;
            used[i + 2] = true;
            continue;
        }
        if after.is_some_and(|w| GROUP.contains(&w)) || for_group {
            used[i] = true;
            // "2 player games", "for 4 players": Multiplayer where the catalog has it.
            if n >= 2 && matches!(after, Some("player" | "players" | "p")) {
                if let Some(l) = vocab.lookup("multiplayer") {
                    if !f.labels.contains(&l) {
                        f.labels.push(l);
                    }
                }
            }
            continue;
        }
        // After an asking word, digits count unless a unit follows ("show me 7 days to die").
        let unit = after.is_some_and(|w| UNITS.contains(&w));
        if (kind && (!word || n > 1 || asking)) || (asking && !word && !unit) {
            used[i] = true;
            found.get_or_insert(n.min(MAX_COUNT));
        }
    }
    found
}

/// "For a 7 year old", "my 6-year-old", "for a 5yo", "my son is 8", "ages 8 and up", "im
/// 12": a child, so Family Friendly where the catalog has it (12 or younger). The words are
/// marked used either way.
pub(super) fn ages(toks: &[Tok], used: &mut [bool], f: &mut Filters, vocab: &LabelVocab) {
    for i in 0..toks.len() {
        let low = toks[i].low.as_str();
        let joined = low
            .split_once('-')
            .filter(|(_, rest)| rest.starts_with("year") || rest.starts_with("yr"))
            .and_then(|(n, _)| n.parse::<u32>().ok())
            .or_else(|| low.strip_suffix("yo").and_then(|n| n.parse::<u32>().ok()));
        let spaced = low.parse::<u32>().ok().filter(|_| {
            let w = |k: usize| toks.get(i + k).map_or("", |t| t.low.as_str());
            (matches!(
                w(1),
                "year" | "years" | "yr" | "yrs" | "year-old" | "year-olds"
            ) && (w(1).ends_with("old") || w(1).ends_with("olds") || matches!(w(2), "old" | "olds")))
                // "my 8 yo daughter".
                || matches!(w(1), "yo" | "y/o" | "yos")
        });
        // "my son is 8", "ages 8 and up", "im 12", "i'm 10".
        let said = low.parse::<u32>().ok().filter(|_| {
            let w = |k: usize| {
                i.checked_sub(k)
                    .and_then(|j| toks.get(j))
                    .map_or("", |t| t.low.trim_matches(|c: char| !c.is_alphanumeric()))
            };
            matches!(w(1), "ages" | "age" | "aged" | "im" | "i'm")
                || (w(1) == "am" && w(2) == "i")
                || (w(1) == "is" && CHILDREN.contains(&w(2)))
                || CHILDREN.contains(&w(1))
        });
        if let Some(age) = said {
            used[i] = true;
            if age <= 12 {
                family_friendly(f, vocab);
            }
            continue;
        }
        let Some(age) = joined.or(spaced) else {
            continue;
        };
        let n = if joined.is_some() {
            1
        } else if toks.get(i + 1).is_some_and(|t| {
            t.low.ends_with("old")
                || t.low.ends_with("olds")
                || matches!(t.low.as_str(), "yo" | "y/o" | "yos")
        }) {
            2
        } else {
            3
        };
        used[i..(i + n).min(toks.len())]
            .iter_mut()
            .for_each(|u| *u = true);
        if age <= 12 {
            family_friendly(f, vocab);
        }
    }
}

/// Words for a child, before an age ("my son is 8").
const CHILDREN: &[&str] = &[
    "son", "daughter", "kid", "kids", "child", "nephew", "niece", "brother", "sister", "boy",
    "girl",
];

fn family_friendly(f: &mut Filters, vocab: &LabelVocab) {
    if let Some(l) = vocab.lookup("familyfriendly") {
        if !f.labels.contains(&l) {
            f.labels.push(l);
        }
    }
}
