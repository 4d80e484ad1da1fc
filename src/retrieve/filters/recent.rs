//! "Recent" as a year bound: "something recent", "anything from the last few years", "new
//! releases", "the latest games", "from the past 5 years". Part of the query parser
//! ([`super::parse`]). Measured from the catalog's own latest year
//! ([`LabelVocab::latest`]), not the calendar's: a catalog of 2018's games has nothing from
//! the calendar's last few years. What the person did recently is no request ("my recent
//! favourites", "I recently played", "over the last few years I've played"), nor is a
//! relative change ("more recent" is read against the cards on screen by the dialogue).
//! "Old movies" and "oldies" end [`OLD_SPAN`] years before the latest.

use super::{
    parse::{matches_at, Tok},
    Filters, LabelVocab,
};

/// Years back from the latest that "recent" and "the last few years" reach (the latest
/// year and the two before it).
const RECENT_SPAN: i32 = 3;

/// Words before "recent" that make it relative or the person's own ("more recent", "my
/// recent favourites").
const NOT_BEFORE_RECENT: &[&str] = &[
    "more", "less", "bit", "little", "slightly", "my", "our", "i", "ive", "i've", "his", "her",
    "their", "your",
];

/// Words before "the last few years" that make it the time of the items asked for ("from
/// the last few years"), not of the person ("over the last few years I've played…").
const BEFORE_SPAN: &[&str] = &["from", "in", "of", "within"];

/// Words after "newest" or "latest" that make them a request for recent items ("the latest
/// games"), not a title's word or a question over the cards ("which is the newest?").
const KINDS: &[&str] = &[
    "games", "game", "movies", "movie", "films", "film", "releases", "release", "ones", "stuff",
    "titles", "shows",
];

/// Numbers of years in words.
const NUMBERS: &[(&str, i32)] = &[
    ("few", RECENT_SPAN),
    ("couple", 2),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
];

/// Read recency ("something recent", "old movies") into the year bounds, measured from the
/// catalog's latest year; nothing for a catalog without years.
pub(super) fn recency(toks: &[Tok], used: &mut [bool], f: &mut Filters, vocab: &LabelVocab) {
    if let Some(latest) = vocab.latest() {
        recent(toks, used, f, latest);
        old(toks, used, f, latest);
    }
}

/// Read "recent" phrases into `f.year_min` (unless the query states a first year itself).
fn recent(toks: &[Tok], used: &mut [bool], f: &mut Filters, latest: i32) {
    if f.year_min.is_some() {
        return;
    }
    let low = |i: usize| toks.get(i).map_or("", |t| t.low.as_str());
    for i in 0..toks.len() {
        if used[i] {
            continue;
        }
        // (years back, first and last token of the phrase)
        let found: Option<(i32, usize, usize)> = match low(i) {
            "recent" => {
                let before = (i.saturating_sub(2)..i).any(|k| NOT_BEFORE_RECENT.contains(&low(k)));
                (!before).then_some((RECENT_SPAN, i, i))
            }
            // "came out recently", "released recently", "recently released".
            "recently" if low(i.wrapping_sub(1)) == "out" => Some((2, i - 1, i)),
            "recently" | "released" if matches!(low(i + 1), "released" | "recently") => {
                Some((2, i, i + 1))
            }
            "new" if matches!(low(i + 1), "releases" | "release") => Some((2, i, i + 1)),
            "newest" | "latest" if KINDS.contains(&low(i + 1)) => Some((2, i, i)),
            "last" | "past"
                if BEFORE_SPAN.contains(&low(i.wrapping_sub(2))) && low(i - 1) == "the" =>
            {
                span(toks, i + 1).map(|(n, end)| (n, i - 2, end))
            }
            "this" if BEFORE_SPAN.contains(&low(i.wrapping_sub(1))) && low(i + 1) == "year" => {
                Some((1, i - 1, i + 1))
            }
            _ => None,
        };
        if let Some((back, first, last)) = found {
            f.year_min = Some(latest - back + 1);
            for u in used.iter_mut().take(last + 1).skip(first) {
                *u = true;
            }
            return;
        }
    }
}

/// Years before the latest that "old movies" end ("some old movies" from a 2018 catalog
/// are from 1998 or before).
const OLD_SPAN: i32 = 20;

/// Read "old movies", "something old", "oldies" into `f.year_max` (unless the query states a
/// last year itself). Not "old school", "how old", "a 7 year old", "too old" (a complaint
/// the dialogue reads against the cards).
fn old(toks: &[Tok], used: &mut [bool], f: &mut Filters, latest: i32) {
    if f.year_max.is_some() {
        return;
    }
    let low = |i: usize| toks.get(i).map_or("", |t| t.low.as_str());
    for (i, u) in used.iter_mut().enumerate().take(toks.len()) {
        let before = low(i.wrapping_sub(1));
        let hit = match low(i) {
            "oldies" => true,
            "old" => {
                (KINDS.contains(&low(i + 1)) || matches!(before, "something" | "anything"))
                    && !matches!(
                        before,
                        "year" | "years" | "yr" | "yrs" | "too" | "that" | "so" | "how" | "my"
                    )
            }
            _ => false,
        };
        if hit && !*u {
            f.year_max = Some(latest - OLD_SPAN);
            *u = true;
            return;
        }
    }
}

/// "few years", "couple of years", "5 years", "decade" from `at`: the years it spans and
/// the index of its last token.
fn span(toks: &[Tok], at: usize) -> Option<(i32, usize)> {
    let low = |i: usize| toks.get(i).map_or("", |t| t.low.as_str());
    if low(at) == "decade" {
        return Some((10, at));
    }
    let n = NUMBERS
        .iter()
        .find(|(w, _)| *w == low(at))
        .map(|(_, n)| *n)
        .or_else(|| low(at).parse::<i32>().ok().filter(|n| (1..=30).contains(n)))?;
    let at = if matches_at(toks, at, &["couple", "of"]) {
        at + 1
    } else {
        at
    };
    matches!(low(at + 1), "years" | "year" | "yrs").then_some((n, at + 1))
}

#[cfg(test)]
mod tests {
    use super::super::{parse, LabelVocab};

    fn year_min(q: &str) -> (Option<i32>, String) {
        let v = LabelVocab::from_labels(&["Horror"]).with_latest_year(2018);
        let p = parse(q, &v);
        (p.filters.year_min, p.text)
    }

    #[test]
    fn recent_is_measured_from_the_catalogs_latest_year() {
        for (q, want) in [
            ("something recent", Some(2016)),
            ("any recent horror games?", Some(2016)),
            ("anything from the last few years?", Some(2016)),
            ("horror from the past 5 years", Some(2014)),
            ("games from the last couple of years", Some(2017)),
            ("in the last decade", Some(2009)),
            ("new releases", Some(2017)),
            ("the latest games", Some(2017)),
            ("something recently released", Some(2017)),
            ("anything from this year", Some(2018)),
            ("the most recent horror", Some(2016)),
            // The person's own time, a relative change, other words.
            (
                "My recent favourites are Portal. Recommend something similar.",
                None,
            ),
            ("something more recent", None),
            ("I recently played Portal", None),
            ("over the last few years I played a lot of horror", None),
            ("something new", None),
            ("which one is the newest?", None),
            ("the latest call of duty", None),
            // A stated year wins.
            ("recent, after 2012", Some(2013)),
        ] {
            assert_eq!(year_min(q).0, want, "{q}");
        }
        assert!(!year_min("anything from the last few years?")
            .1
            .contains("years"));
        let v = LabelVocab::from_labels(&["Horror"]).with_latest_year(2018);
        for (q, want) in [
            ("how about some old movies?", Some(1998)),
            ("something old", Some(1998)),
            ("oldies please", Some(1998)),
            ("old school point and click games", None),
            ("a game for a 7 year old", None),
            ("old movies before 1960", Some(1959)),
        ] {
            assert_eq!(parse(q, &v).filters.year_max, want, "{q}");
        }
    }

    #[test]
    fn a_catalog_without_years_reads_no_recent() {
        let v = LabelVocab::from_labels(&["Horror"]);
        assert_eq!(parse("something recent", &v).filters.year_min, None);
    }
}
