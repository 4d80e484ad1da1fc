//! References to the cards on screen: "the second one", "the first two", "#3", "number 2",
//! "the last one", "both", "all of them", "that one", "it". Positions are 0-based; `That`
//! means the card in focus (the only card, or the one just discussed).

/// A reference to shown cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardRef {
    /// Cards at these positions (0-based), in the order named.
    At(Vec<usize>),
    /// The last card.
    Last,
    /// Every card shown.
    All,
    /// "that one", "it": the card in focus.
    That,
}

const ORDINALS: &[(&str, usize)] = &[
    ("first", 0),
    ("1st", 0),
    ("second", 1),
    ("2nd", 1),
    ("third", 2),
    ("3rd", 2),
    ("fourth", 3),
    ("4th", 3),
    ("fifth", 4),
    ("5th", 4),
    ("sixth", 5),
    ("6th", 5),
    ("seventh", 6),
    ("7th", 6),
    ("eighth", 7),
    ("8th", 7),
    ("ninth", 8),
    ("9th", 8),
];
const COUNTS: &[(&str, usize)] = &[("two", 2), ("three", 3), ("four", 4), ("2", 2), ("3", 3)];
const ONE_WORDS: &[&str] = &[
    "one",
    "ones",
    "game",
    "games",
    "movie",
    "movies",
    "pick",
    "option",
    "item",
    "card",
    "suggestion",
    "title",
];
const THAT: &[&[&str]] = &[
    &["that", "one"],
    &["this", "one"],
    &["that", "game"],
    &["that", "movie"],
    &["this", "game"],
    &["this", "movie"],
    &["that"],
    &["it"],
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '#'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words after a list of numbers that make them amounts, not card positions.
const AMOUNT_WORDS: &[&str] = &[
    "players", "player", "people", "hours", "hour", "hrs", "bucks", "dollars", "euros", "years",
    "year", "kids", "friends", "games", "movies", "stars", "minutes", "mins", "x", "of", "to",
];

/// The number at `i` when it is one of a list of bare card numbers 1–9 joined by "and" / "or"
/// ("1 and 3", "2, 4 or 5") that opens the turn or follows a word introducing cards, and
/// nothing after the list makes them amounts.
fn bare_listed(w: &[String], i: usize) -> Option<usize> {
    let digit = |k: usize| {
        w.get(k)
            .and_then(|x| x.parse::<usize>().ok())
            .filter(|n| (1..=9).contains(n))
    };
    let joiner = |k: usize| w.get(k).is_some_and(|x| matches!(x.as_str(), "and" | "or"));
    let n = digit(i)?;
    // The list around `i`: numbers, each joined to the next by "and" / "or" or nothing (a
    // comma splits words away).
    let mut start = i;
    while start >= 1 && digit(start - 1).is_some()
        || (start >= 2 && joiner(start - 1) && digit(start - 2).is_some())
    {
        start -= if digit(start - 1).is_some() { 1 } else { 2 };
    }
    let mut end = i;
    while digit(end + 1).is_some() || (joiner(end + 1) && digit(end + 2).is_some()) {
        end += if digit(end + 1).is_some() { 1 } else { 2 };
    }
    let listed = end > start;
    // Only after a word that introduces cards ("seen 1 and 3", "like 2 and 4"), not after a
    // title ("dark souls 1 and 3") or an amount word ("between 1 and 3").
    let before_ok = start.checked_sub(1).is_none_or(|k| {
        matches!(
            w[k].as_str(),
            "seen"
                | "played"
                | "watched"
                | "own"
                | "have"
                | "got"
                | "like"
                | "liked"
                | "love"
                | "loved"
                | "hated"
                | "hate"
                | "saw"
                | "compare"
                | "beat"
                | "finished"
                | "tried"
                | "and"
                | "both"
                | "numbers"
                | "cards"
                | "picks"
                | "options"
                | "ive"
                | "i"
        )
    });
    let after_ok = w
        .get(end + 1)
        .is_none_or(|x| !AMOUNT_WORDS.contains(&x.as_str()));
    (listed && before_ok && after_ok).then_some(n)
}

/// The card references in `text`, if any.
#[must_use]
pub fn card_refs(text: &str) -> Option<CardRef> {
    let w = words(text);
    let mut at: Vec<usize> = Vec::new();
    let mut last = false;
    for (i, word) in w.iter().enumerate() {
        let next = w.get(i + 1).map(String::as_str);
        let prev = i.checked_sub(1).map(|p| w[p].as_str());
        // "the first two", "first 3"
        if word == "first" || word == "top" {
            if let Some(&(_, n)) = next.and_then(|n| COUNTS.iter().find(|(c, _)| *c == n)) {
                at.extend(0..n);
                continue;
            }
        }
        if let Some(&(_, n)) = ORDINALS.iter().find(|(o, _)| o == word) {
            // "the second one", "the 2nd", "second game"; not "for the first time". An
            // ordinal after another one continues the list ("the second and fourth look good").
            let nounish = next.is_none_or(|n| ONE_WORDS.contains(&n) || n == "and" || n == "or")
                || prev == Some("the")
                || (matches!(prev, Some("and" | "or")) && !at.is_empty());
            if nounish && next != Some("time") && !at.contains(&n) {
                at.push(n);
            }
            continue;
        }
        // "#3", "number 2", "no. 2", "option 3"
        let num = word
            .strip_prefix('#')
            .filter(|d| !d.is_empty())
            .or_else(|| {
                matches!(
                    prev,
                    Some("number" | "no" | "option" | "card" | "pick" | "num")
                )
                .then_some(word.as_str())
            })
            .and_then(|d| d.parse::<usize>().ok());
        // Bare numbers in a list of two or more ("seen 1 and 3"), not amounts ("2 or 3
        // players", "between 1 and 3").
        let num = num.or_else(|| bare_listed(&w, i));
        if let Some(n) = num.filter(|n| (1..=9).contains(n)) {
            if !at.contains(&(n - 1)) {
                at.push(n - 1);
            }
            continue;
        }
        if word == "last" && next.is_none_or(|n| ONE_WORDS.contains(&n)) {
            last = true;
        }
    }
    if !at.is_empty() {
        return Some(CardRef::At(at));
    }
    if last {
        return Some(CardRef::Last);
    }
    let has = |p: &[&str]| {
        w.windows(p.len())
            .any(|x| x.iter().zip(p).all(|(a, b)| a == b))
    };
    if has(&["both"])
        || has(&["all", "of", "them"])
        || has(&["all", "three"])
        || has(&["all", "of", "those"])
        || has(&["all", "of", "these"])
        || has(&["all", "these"])
        || has(&["em", "all"])
        || has(&["all", "of", "em"])
        || has(&["them", "all"])
        || has(&["all", "those"])
        || has(&["those", "movies"])
        || has(&["those", "games"])
        || has(&["these", "movies"])
        || has(&["these", "games"])
    {
        return Some(CardRef::All);
    }
    // "that" after a noun or "anything" opens a relative clause ("anything that isnt battle
    // royale", "games that are free"): no reference.
    let relative_that = |p: &[&str]| {
        p == ["that"]
            && w.iter().enumerate().all(|(i, x)| {
                x != "that"
                    || i.checked_sub(1)
                        .is_some_and(|k| RELATIVE_HEADS.contains(&w[k].as_str()))
            })
    };
    THAT.iter()
        .any(|p| has(p) && !relative_that(p))
        .then_some(CardRef::That)
}

/// Words a relative "that" follows ("anything that", "games that").
const RELATIVE_HEADS: &[&str] = &[
    "anything",
    "something",
    "everything",
    "nothing",
    "game",
    "games",
    "movie",
    "movies",
    "film",
    "films",
    "stuff",
    "titles",
    "shows",
    "kind",
    "type",
    "sort",
    "genre",
    "ones",
    "thing",
    "things",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_references() {
        assert_eq!(
            card_refs("tell me about the second one"),
            Some(CardRef::At(vec![1]))
        );
        assert_eq!(
            card_refs("what about the third?"),
            Some(CardRef::At(vec![2]))
        );
        assert_eq!(
            card_refs("the first two look good"),
            Some(CardRef::At(vec![0, 1]))
        );
        assert_eq!(card_refs("I'll take #3"), Some(CardRef::At(vec![2])));
        assert_eq!(card_refs("number 2 please"), Some(CardRef::At(vec![1])));
        assert_eq!(card_refs("not the last one"), Some(CardRef::Last));
        assert_eq!(card_refs("both sound fun"), Some(CardRef::All));
        assert_eq!(card_refs("seen all of these"), Some(CardRef::All));
        assert_eq!(card_refs("I saw those movies already"), Some(CardRef::All));
        assert_eq!(
            card_refs("nope, hate 1 and 2"),
            Some(CardRef::At(vec![0, 1]))
        );
        assert_eq!(card_refs("compare 1 and 2"), Some(CardRef::At(vec![0, 1])));
        assert_eq!(card_refs("anything that isnt battle royale"), None);
        assert_eq!(
            card_refs("games that are free, like that"),
            Some(CardRef::That)
        );
        assert_eq!(card_refs("not that one"), Some(CardRef::That));
        assert_eq!(
            card_refs("I've played the first one"),
            Some(CardRef::At(vec![0]))
        );
        assert_eq!(card_refs("first and third"), Some(CardRef::At(vec![0, 2])));
        assert_eq!(card_refs("for the first time in years"), None);
        assert_eq!(
            card_refs("the second and fourth look good"),
            Some(CardRef::At(vec![1, 3]))
        );
        assert_eq!(card_refs("ive seen 1 and 3"), Some(CardRef::At(vec![0, 2])));
        assert_eq!(
            card_refs("2, 4 or 5 maybe"),
            Some(CardRef::At(vec![1, 3, 4]))
        );
        assert_eq!(card_refs("a game for 2 or 3 players"), None);
        assert_eq!(card_refs("between 1 and 3 hours long"), None);
        assert_eq!(card_refs("I have 2 kids"), None);
        assert_eq!(card_refs("I've played dark souls 1 and 3"), None);
        assert_eq!(
            card_refs("1 and 3 look good"),
            Some(CardRef::At(vec![0, 2]))
        );
        assert_eq!(card_refs("co-op puzzle games"), None);
    }
}
