//! The query-text parser behind [`super::parse`]: a left-to-right scan over words with small
//! keyword tables, no regular expressions. Everything it does not recognise stays in the text.

use super::{Filters, LabelVocab, ParsedQuery};

const UPPER: &[&[&str]] = &[
    &["under"],
    &["below"],
    &["<"],
    &["<="],
    &["max"],
    &["maximum"],
    &["within"],
    &["budget"],
    &["less", "than"],
    &["cheaper", "than"],
    &["up", "to"],
    &["at", "most"],
    &["lower", "than"],
    &["no", "more", "than"],
    &["for"],
    &["budget", "of"],
    &["under", "about"],
];
const LOWER: &[&[&str]] = &[
    &["over"],
    &["above"],
    &[">"],
    &[">="],
    &["min"],
    &["minimum"],
    &["more", "than"],
    &["at", "least"],
    &["pricier", "than"],
];
const CURRENCY: &[&str] = &["dollars", "dollar", "bucks", "usd", "$"];
const UNITS: &[&str] = &[
    "hours", "hour", "hrs", "h", "minutes", "mins", "players", "player", "people", "years", "year",
    "gb", "mb", "fps", "levels", "%", "percent", "friends",
];
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "without",
    "except",
    "excluding",
    "avoid",
    "avoiding",
    "non",
    "isn't",
    "aren't",
    "didn't",
    "didnt",
    "doesn't",
    "doesnt",
    "wasn't",
    "won't",
    "nothing",
    "never",
    "minus",
    "sans",
    "hate",
    "dislike",
    "don't",
    "dont",
    "less",
    "fewer",
];
const FILLERS: &[&str] = &[
    "a", "an", "any", "too", "very", "the", "really", "so", "more", "it", "is", "be", "being",
    "anything", "games", "game", "that", "with",
];

struct Tok {
    raw: String,
    low: String,
}

fn tokenize(q: &str) -> Vec<Tok> {
    q.split_whitespace()
        .map(|raw| {
            let low = raw
                .replace('\u{2019}', "'")
                .trim_matches(|c: char| !(c.is_alphanumeric() || "$<>='%".contains(c)))
                .trim_end_matches('\'')
                .to_lowercase();
            Tok {
                raw: raw.to_string(),
                low,
            }
        })
        .filter(|t| !t.low.is_empty())
        .collect()
}

fn matches_at(toks: &[Tok], at: usize, words: &[&str]) -> bool {
    words.len() <= toks.len().saturating_sub(at)
        && words
            .iter()
            .enumerate()
            .all(|(k, w)| toks[at + k].low == *w)
}

/// The longest keyword phrase from `table` that ends right before `i`; its length.
fn phrase_before(toks: &[Tok], i: usize, table: &[&[&str]]) -> Option<usize> {
    table
        .iter()
        .filter(|p| p.len() <= i && matches_at(toks, i - p.len(), p))
        .map(|p| p.len())
        .max()
}

/// A money amount: "$20", "20$", "20.99", "20usd". Returns (value, had a currency sign).
fn money(tok: &str) -> Option<(f64, bool)> {
    let (body, cur) = if let Some(b) = tok.strip_prefix('$') {
        (b, true)
    } else if let Some(b) = tok.strip_suffix('$').or_else(|| tok.strip_suffix("usd")) {
        (b, true)
    } else {
        (tok.trim_start_matches(['<', '>', '=']), false)
    };
    let v: f64 = body.parse().ok()?;
    (v.is_finite() && (0.0..100_000.0).contains(&v)).then_some((v, cur))
}

fn year(tok: &str) -> Option<i32> {
    let y: i32 = tok.parse().ok()?;
    (tok.len() == 4 && (1950..=2035).contains(&y)).then_some(y)
}

/// "90s", "'90s", "2010s", "80's" → (first, last) year of the decade.
fn decade(tok: &str) -> Option<(i32, i32)> {
    let t = tok.trim_start_matches('\'');
    let d = t.strip_suffix("'s").or_else(|| t.strip_suffix('s'))?;
    let n: i32 = d.parse().ok()?;
    let start = match d.len() {
        2 if n % 10 == 0 => {
            if n >= 50 {
                1900 + n
            } else {
                2000 + n
            }
        }
        4 if n % 10 == 0 && (1950..=2030).contains(&n) => n,
        _ => return None,
    };
    Some((start, start + 9))
}

/// Split `query` into filters and remaining text, naming labels from `vocab`.
#[must_use]
pub fn parse(query: &str, vocab: &LabelVocab) -> ParsedQuery {
    let toks = tokenize(query);
    let mut used = vec![false; toks.len()];
    let mut f = Filters::default();
    prices(&toks, &mut used, &mut f);
    cheap(&toks, &mut used, &mut f);
    years(&toks, &mut used, &mut f);
    negations(&toks, &mut used, &mut f, vocab);
    positives(&toks, &used, &mut f, vocab);
    let text: Vec<&str> = toks
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t.raw.as_str())
        .collect();
    let text = if text.is_empty() {
        query.trim().to_string()
    } else {
        text.join(" ")
    };
    let wants_addons = toks.iter().any(|t| ADDON_WORDS.contains(&t.low.as_str()))
        || toks
            .windows(2)
            .any(|w| w[0].low == "season" && w[1].low == "pass");
    ParsedQuery {
        filters: f,
        text,
        wants_addons,
    }
}

/// Words that ask for add-ons rather than base items.
const ADDON_WORDS: &[&str] = &[
    "dlc",
    "dlcs",
    "soundtrack",
    "soundtracks",
    "ost",
    "expansion",
    "expansions",
    "addon",
    "addons",
    "add-on",
    "add-ons",
    "demo",
    "demos",
    "pack",
    "packs",
];

/// Words that ask for a low price without naming one ("cheap indie gems").
const CHEAP: &[&str] = &[
    "cheap",
    "inexpensive",
    "affordable",
    "budget-friendly",
    "low-cost",
];
/// The price bound a [`CHEAP`] word stands for when the turn names no bound of its own.
pub const CHEAP_MAX: f64 = 10.0;

fn prices(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    for i in 0..toks.len() {
        let low = toks[i].low.as_str();
        if low == "free" || low == "f2p" || low == "free-to-play" {
            f.free = true;
            used[i] = true;
            if matches_at(toks, i + 1, &["to", "play"]) {
                used[i + 1] = true;
                used[i + 2] = true;
            }
            continue;
        }
        let Some((v, mut cur)) = money(low) else {
            continue;
        };
        let next = toks.get(i + 1).map(|t| t.low.as_str());
        if next.is_some_and(|n| CURRENCY.contains(&n)) {
            cur = true;
        }
        if !cur && (year(low).is_some() || next.is_some_and(|n| UNITS.contains(&n))) {
            continue;
        }
        let upper = phrase_before(toks, i, UPPER);
        let lower = phrase_before(toks, i, LOWER);
        let after_or = |w: &str| {
            matches_at(
                toks,
                i + 1 + usize::from(cur && next.is_some_and(|n| CURRENCY.contains(&n))),
                &["or", w],
            )
        };
        let (bound_len, is_upper) = match (upper, lower) {
            (Some(n), _) if n > 0 && !(n == 1 && toks[i - 1].low == "for" && !cur) => (n, true),
            (_, Some(n)) => (n, false),
            _ if after_or("less") || after_or("under") || after_or("cheaper") => (0, true),
            _ if after_or("more") => (0, false),
            _ if cur => (0, true),
            _ => continue,
        };
        if is_upper {
            f.price_max = Some(f.price_max.map_or(v, |m: f64| m.min(v)));
        } else {
            f.price_min = Some(v);
        }
        for u in used.iter_mut().take(i + 1).skip(i - bound_len) {
            *u = true;
        }
        if next.is_some_and(|n| CURRENCY.contains(&n)) {
            used[i + 1] = true;
        }
    }
}

/// "cheap": at most [`CHEAP_MAX`], unless the turn names its own upper bound ("cheap, up to
/// $20") or asks for free items. Not when negated ("not cheap"). Runs after [`prices`].
fn cheap(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    for i in 0..toks.len() {
        let negated = i > 0 && NEGATORS.contains(&toks[i - 1].low.as_str());
        if !CHEAP.contains(&toks[i].low.as_str()) || negated {
            continue;
        }
        if f.price_max.is_none() && !f.free {
            f.price_max = Some(CHEAP_MAX);
        }
        used[i] = true;
    }
}

fn years(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    for i in 0..toks.len() {
        if used[i] {
            continue;
        }
        if let Some((a, b)) = decade(&toks[i].low) {
            f.year_min = Some(a);
            f.year_max = Some(b);
            used[i] = true;
            continue;
        }
        let Some(y) = year(&toks[i].low) else {
            continue;
        };
        let prev = |k: usize| (i >= k).then(|| toks[i - k].low.as_str());
        let between = prev(1) == Some("and") && prev(3) == Some("between");
        let (min, max, back) = match (prev(2), prev(1)) {
            _ if between => match prev(2).and_then(year) {
                Some(a) => (Some(a.min(y)), Some(a.max(y)), 3),
                None => continue,
            },
            (_, Some("after" | "post")) => (Some(y + 1), None, 1),
            (Some("newer" | "later"), Some("than")) => (Some(y + 1), None, 2),
            (_, Some("since" | "from")) => (Some(y), None, 1),
            (_, Some("before" | "pre")) => (None, Some(y - 1), 1),
            (Some("older" | "earlier"), Some("than")) => (None, Some(y - 1), 2),
            (_, Some("until" | "through")) => (None, Some(y), 1),
            (_, Some("in" | "of")) => (Some(y), Some(y), 1),
            _ => continue,
        };
        if let Some(m) = min {
            f.year_min = Some(m);
        }
        if let Some(m) = max {
            f.year_max = Some(m);
        }
        for u in used.iter_mut().take(i + 1).skip(i - back) {
            *u = true;
        }
    }
}

/// The longest phrase (up to three words) at `at` that names a label; (label, words used).
fn label_at(toks: &[Tok], used: &[bool], at: usize, vocab: &LabelVocab) -> Option<(String, usize)> {
    (1..=3).rev().find_map(|n| {
        if at + n > toks.len() || used[at..at + n].iter().any(|u| *u) {
            return None;
        }
        let phrase: String = toks[at..at + n].iter().map(|t| t.low.as_str()).collect();
        if n == 1 && crate::retrieve::lexical::STOPWORDS.contains(&toks[at].low.as_str()) {
            return None;
        }
        vocab.lookup(&phrase).map(|l| (l, n))
    })
}

fn negations(toks: &[Tok], used: &mut [bool], f: &mut Filters, vocab: &LabelVocab) {
    let mut i = 0;
    while i < toks.len() {
        let low = toks[i].low.as_str();
        let prefixed = low.strip_prefix("non-").or_else(|| low.strip_prefix("no-"));
        if let Some(rest) = prefixed.filter(|r| !r.is_empty()) {
            if let Some(l) = vocab.lookup(rest) {
                f.not_labels.push(l);
                used[i] = true;
            }
            i += 1;
            continue;
        }
        if used[i] || !NEGATORS.contains(&low) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len()
            && (FILLERS.contains(&toks[j].low.as_str())
                || toks[j].low == "want"
                || toks[j].low == "like")
        {
            j += 1;
        }
        let mut last = None;
        while let Some((label, n)) = (j < toks.len())
            .then(|| label_at(toks, used, j, vocab))
            .flatten()
        {
            f.not_labels.push(label);
            j += n;
            last = Some(j);
            if j < toks.len() && matches!(toks[j].low.as_str(), "or" | "nor" | "and" | ",") {
                j += 1;
            } else {
                break;
            }
        }
        if let Some(end) = last {
            for u in used.iter_mut().take(end).skip(i) {
                *u = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

fn positives(toks: &[Tok], used: &[bool], f: &mut Filters, vocab: &LabelVocab) {
    let mut i = 0;
    while i < toks.len() {
        match label_at(toks, used, i, vocab) {
            Some((label, n)) => {
                if !f.not_labels.contains(&label) && !f.labels.contains(&label) {
                    f.labels.push(label);
                }
                i += n;
            }
            None => i += 1,
        }
    }
}

/// `text` without what it says no to beyond the labels ("with no combat", "not too hard"):
/// the filters cannot express a negated word that is not a label, and searching for it would
/// find what was refused. The negator goes with up to three words after it (fillers not
/// counted), up to a punctuation mark or a "but" / "and" / "with".
#[must_use]
pub fn without_negated_words(text: &str) -> String {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let low = crate::text::word_key;
    let ends = |w: &str| w.ends_with([',', '.', ';', ':', '!', '?']);
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let w = low(raw[i]);
        if !NEGATORS.contains(&w.as_str()) {
            kept.push(raw[i]);
            i += 1;
            continue;
        }
        let mut words = 0;
        let mut j = i;
        while !ends(raw[j]) && j + 1 < raw.len() {
            let next = low(raw[j + 1]);
            if matches!(next.as_str(), "but" | "and" | "with") {
                break;
            }
            if !FILLERS.contains(&next.as_str()) {
                words += 1;
                if words > 3 {
                    break;
                }
            }
            j += 1;
        }
        i = j + 1;
    }
    kept.join(" ")
}

/// `text` without the words that name one of `labels`: a search that already requires those
/// labels of every item gains nothing from matching their words again, and BM25 over words
/// that nearly every admitted item shares ranks by noise (document length, the word in a title).
#[must_use]
pub fn without_label_words(text: &str, labels: &[String], vocab: &LabelVocab) -> String {
    let toks = tokenize(text);
    let used = vec![false; toks.len()];
    let mut drop = vec![false; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        match label_at(&toks, &used, i, vocab) {
            Some((label, n)) => {
                if labels.contains(&label) {
                    drop[i..i + n].iter_mut().for_each(|d| *d = true);
                }
                i += n;
            }
            None => i += 1,
        }
    }
    toks.iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(t, _)| t.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
