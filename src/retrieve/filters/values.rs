//! Prices, "free", "cheap" and years in a query: money amounts with their bounds ("under
//! $20", "$10 or less"), decades ("90s") and year bounds ("after 2015"). Part of the query
//! parser ([`super::parse`]).

use super::{
    parse::{matches_at, Tok, NEGATORS},
    Filters,
};

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

/// Decades in words ("the nineties"): the twentieth century's.
const DECADE_WORDS: &[(&str, i32)] = &[
    ("fifties", 1950),
    ("sixties", 1960),
    ("seventies", 1970),
    ("eighties", 1980),
    ("nineties", 1990),
];

/// "90s", "'90s", "2010s", "80's", "nineties" → (first, last) year of the decade.
fn decade(tok: &str) -> Option<(i32, i32)> {
    if let Some(&(_, start)) = DECADE_WORDS.iter().find(|(w, _)| *w == tok) {
        return Some((start, start + 9));
    }
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

/// Price ranges: "between 10 and 20 dollars", "from $5 to $15", "$10-$20", "10-20 bucks"
/// (a currency must be said: "between 2005 and 2010" is years). Runs before [`prices`].
fn price_ranges(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    let currency_at = |j: usize| {
        toks.get(j)
            .is_some_and(|t| CURRENCY.contains(&t.low.as_str()))
    };
    for i in 0..toks.len() {
        let low = toks[i].low.as_str();
        // (low, high, had a currency sign, words used)
        let found = if matches!(low, "between" | "from") && i + 3 < toks.len() {
            let joined = matches!(toks[i + 2].low.as_str(), "and" | "to" | "-");
            match (money(&toks[i + 1].low), money(&toks[i + 3].low)) {
                (Some((a, ca)), Some((b, cb))) if joined => {
                    let word = currency_at(i + 2) || currency_at(i + 4);
                    Some((a, b, ca || cb || word, 4 + usize::from(currency_at(i + 4))))
                }
                _ => None,
            }
        } else if matches!(toks.get(i + 1).map(|t| t.low.as_str()), Some("to" | "-"))
            && i + 2 < toks.len()
        {
            // "10 to 20 bucks", "$5 to $15".
            match (money(low), money(&toks[i + 2].low)) {
                (Some((a, ca)), Some((b, cb))) if year(low).is_none() => {
                    let word = currency_at(i + 3);
                    Some((a, b, ca || cb || word, 3 + usize::from(word)))
                }
                _ => None,
            }
        } else {
            low.split_once('-').and_then(|(a, b)| {
                let ((a, ca), (b, cb)) = (money(a)?, money(b)?);
                Some((
                    a,
                    b,
                    ca || cb || currency_at(i + 1),
                    1 + usize::from(currency_at(i + 1)),
                ))
            })
        };
        let Some((a, b, true, n)) = found else {
            continue;
        };
        f.price_min = Some(a.min(b));
        f.price_max = Some(a.max(b));
        used[i..(i + n).min(toks.len())]
            .iter_mut()
            .for_each(|u| *u = true);
    }
}

pub(super) fn prices(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    price_ranges(toks, used, f);
    for i in 0..toks.len() {
        if used[i] {
            continue;
        }
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

/// "cheap" (or "on a budget"): at most [`CHEAP_MAX`], unless the turn names its own upper bound ("cheap, up to
/// $20") or asks for free items. Not when negated ("not cheap"). Runs after [`prices`].
pub(super) fn cheap(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    for i in 0..toks.len() {
        let negated = i > 0 && NEGATORS.contains(&toks[i - 1].low.as_str());
        // "On a budget", "on a tight budget": cheap too.
        let budget = toks[i].low == "budget"
            && (i >= 2 && toks[i - 2].low == "on" || i >= 3 && toks[i - 3].low == "on");
        if !(CHEAP.contains(&toks[i].low.as_str()) || budget) || negated {
            continue;
        }
        if f.price_max.is_none() && !f.free {
            f.price_max = Some(CHEAP_MAX);
        }
        let from = if budget {
            i - if toks[i - 2].low == "on" { 2 } else { 3 }
        } else {
            i
        };
        used[from..=i].iter_mut().for_each(|u| *u = true);
    }
}

/// Whether the year at `i` starts a range ("from 2015 to 2018", "from 2017 or 2018").
fn ranged(toks: &[Tok], i: usize) -> bool {
    toks.get(i + 1)
        .is_some_and(|t| matches!(t.low.as_str(), "to" | "until" | "through" | "-" | "or"))
        && toks.get(i + 2).is_some_and(|t| year(&t.low).is_some())
}

pub(super) fn years(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
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
        let from_to = matches!(prev(1), Some("to" | "until" | "through" | "-" | "or"))
            && prev(3) == Some("from");
        let (min, max, back) = match (prev(2), prev(1)) {
            _ if between || from_to => match prev(2).and_then(year) {
                Some(a) => (Some(a.min(y)), Some(a.max(y)), 3),
                None => continue,
            },
            // "2017 or 2018": either year.
            (Some(a), Some("or")) if year(a).is_some() => {
                let a = year(a).unwrap_or(y);
                (Some(a.min(y)), Some(a.max(y)), 2)
            }
            (_, Some("after" | "post")) => (Some(y + 1), None, 1),
            (Some("newer" | "later"), Some("than")) => (Some(y + 1), None, 2),
            (_, Some("since")) => (Some(y), None, 1),
            // "from 2015" is that year; "from 2015 to 2018" a range (read at its end).
            (_, Some("from")) if !ranged(toks, i) => (Some(y), Some(y), 1),
            (_, Some("from")) => continue,
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
