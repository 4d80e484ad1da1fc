//! The query-text parser behind [`super::parse`]: a left-to-right scan over words with small
//! keyword tables, no regular expressions. Everything it does not recognise stays in the text.

use crate::catalog::item::{GAME_GENRES, SOFTWARE_LABELS};

use super::{values, Filters, LabelVocab, ParsedQuery};

pub(super) const NEGATORS: &[&str] = &[
    "not",
    "no",
    "without",
    "except",
    "excluding",
    "avoid",
    "avoiding",
    "non",
    "isn't",
    "isnt",
    "aren't",
    "arent",
    "wasnt",
    "weren't",
    "werent",
    "didn't",
    "didnt",
    "doesn't",
    "doesnt",
    "wasn't",
    "won't",
    "nothing",
    "neither",
    "nor",
    "never",
    "minus",
    "sans",
    "hate",
    "hates",
    "dislike",
    "dislikes",
    "don't",
    "dont",
    "less",
    "fewer",
];
pub(super) const FILLERS: &[&str] = &[
    "a", "an", "any", "too", "very", "the", "really", "so", "more", "it", "is", "be", "being",
    "anything", "games", "game", "that", "with",
];

pub(super) struct Tok {
    pub(super) raw: String,
    pub(super) low: String,
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

/// Whether a token ends a clause ("no," in "no, something scary"): what follows is not in
/// its scope.
pub(super) fn ends_clause(t: &Tok) -> bool {
    t.raw.ends_with([',', '.', ';', ':', '!', '?'])
}

pub(super) fn matches_at(toks: &[Tok], at: usize, words: &[&str]) -> bool {
    words.len() <= toks.len().saturating_sub(at)
        && words
            .iter()
            .enumerate()
            .all(|(k, w)| toks[at + k].low == *w)
}

/// The labels `query` names only through complaint phrases ("too long" → Short): framed to
/// change a request, they do not say what a question asks ("is it too long?" is no question
/// whether it is Short; "is it a short game?" is).
#[must_use]
pub fn quality_labels(query: &str, vocab: &LabelVocab) -> Vec<String> {
    super::qualities::complaint_labels(&tokenize(query), vocab)
}

/// Split `query` into filters and remaining text, naming labels from `vocab`.
#[must_use]
pub fn parse(query: &str, vocab: &LabelVocab) -> ParsedQuery {
    parse_with(query, vocab, true)
}

/// [`parse`] without reading labels joined by "or" as alternatives (what
/// [`super::either`] parses each side with).
pub(super) fn parse_without_alternatives(query: &str, vocab: &LabelVocab) -> ParsedQuery {
    parse_with(query, vocab, false)
}

fn parse_with(query: &str, vocab: &LabelVocab, either: bool) -> ParsedQuery {
    let toks = tokenize(query);
    let mut used = vec![false; toks.len()];
    let mut f = Filters::default();
    values::prices(&toks, &mut used, &mut f);
    values::cheap(&toks, &mut used, &mut f);
    values::years(&toks, &mut used, &mut f);
    super::recent::recency(&toks, &mut used, &mut f, vocab);
    super::counts::ages(&toks, &mut used, &mut f, vocab);
    let count = super::counts::counts(&toks, &mut used, &mut f, vocab);
    super::qualities::qualities(&toks, &mut used, &mut f, vocab);
    super::qualities::ratings(&toks, &mut used, &mut f);
    negations(&toks, &mut used, &mut f, vocab);
    positives(&toks, &used, &mut f, vocab);
    if either {
        let one = |p: &str| super::either::only_label(p, vocab);
        super::either::alternatives(&toks, &mut used, &mut f, &one);
    }
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
    let words = || {
        toks.iter()
            .map(|t| t.low.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    let wants_software = f
        .labels
        .iter()
        .any(|l| SOFTWARE_LABELS.contains(&l.as_str()))
        || words().any(|w| TOOL_WORDS.contains(&w));
    let wants_games = f.labels.iter().any(|l| GAME_GENRES.contains(&l.as_str()))
        || words().any(|w| matches!(w, "game" | "games" | "gaming" | "play" | "playing"));
    ParsedQuery {
        filters: f,
        text,
        wants_addons,
        count,
        wants_games,
        wants_software,
    }
}

/// Words that ask for software rather than games.
const TOOL_WORDS: &[&str] = &[
    "software",
    "tool",
    "tools",
    "engine",
    "editor",
    "maker",
    "app",
    "apps",
    "utility",
    "utilities",
    "program",
    "programs",
    "modding",
];

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

/// Words between a negator and what it refuses ("not interested in anything with anime",
/// "I'm not a big fan of horror", "don't want puzzles").
pub(super) const LEAD_INS: &[&str] = &[
    "want",
    "like",
    "interested",
    "in",
    "into",
    "fond",
    "of",
    "fan",
    "big",
    "huge",
    "keen",
    "on",
    "much",
    "something",
    "stuff",
    "things",
    "about",
    "care",
    "for",
    "really",
    "looking",
    "mood",
    "feeling",
    "the",
];

/// Words that soften a negation into a degree: "not too scary" still wants some scare, so
/// it refuses nothing (and the word is not searched for either).
const SOFTENERS: &[&str] = &["too", "so", "very", "overly", "that"];

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
        if used[i] || !NEGATORS.contains(&low) || ends_clause(&toks[i]) {
            i += 1;
            continue;
        }
        if toks
            .get(i + 1)
            .is_some_and(|t| SOFTENERS.contains(&t.low.as_str()))
        {
            if let Some((_, n)) = (i + 2 < toks.len())
                .then(|| label_at(toks, used, i + 2, vocab))
                .flatten()
            {
                used[i..i + 2 + n].iter_mut().for_each(|u| *u = true);
                i += 2 + n;
                continue;
            }
        }
        let mut j = i + 1;
        // A compound adjective that names no label ("not a mobile-style clicker") is in the
        // scope too.
        let compound =
            |j: usize| toks[j].low.contains('-') && label_at(toks, used, j, vocab).is_none();
        while j < toks.len()
            && !ends_clause(&toks[j - 1])
            && (FILLERS.contains(&toks[j].low.as_str())
                || LEAD_INS.contains(&toks[j].low.as_str())
                || compound(j))
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
