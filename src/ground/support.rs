//! The support check: is a sentence about some items backed by their facts and the user's
//! words? A sentence is read three ways:
//!
//! - **titles** (the catalog's aho-corasick [`TitleMatcher`]): naming an item that is not a
//!   subject of the sentence, not named by the user and not in the subjects' own text is a
//!   claim the facts do not make;
//! - **numbers**: each must be one of the subject's numbers (price, year, counts in its
//!   fields), or a bound the user gave ("under $20") that the subject meets;
//! - **words**: each must be a function word, a generic word, or have its stem in the
//!   subjects' facts or the user's words (directly or through a listed paraphrase); a name
//!   (a capitalised word not opening the sentence) must be in the subjects' facts.
//!
//! The verdict keeps the longest leading run of clauses with nothing unsupported and at
//! least one word backed by the facts; nothing kept means the sentence is dropped.

use std::collections::HashSet;

use super::{
    facts::{has_word, numbers, Facts},
    words::{words, Lexicon, Word},
};
use crate::{catalog::Item, text::TitleMatcher};

/// What the check knows besides the sentence: the word lists, the catalog's titles, and
/// what the user said.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Word lists.
    pub lexicon: &'a Lexicon,
    /// Catalog titles.
    pub titles: &'a TitleMatcher,
    /// Catalog items (indices of title matches point here).
    pub items: &'a [Item],
    /// Stems of the user's words (this turn; for pick reasons also the requests it refines).
    pub user_stems: HashSet<String>,
    /// Numbers the user wrote.
    pub user_numbers: Vec<f64>,
    /// Catalog items the user named.
    pub user_titles: HashSet<String>,
}

impl<'a> Context<'a> {
    /// A context for what the user said in `user_text`.
    #[must_use]
    pub fn new(
        lexicon: &'a Lexicon,
        titles: &'a TitleMatcher,
        items: &'a [Item],
        user_text: &str,
    ) -> Self {
        let user_titles = titles
            .find(user_text)
            .into_iter()
            .flat_map(|m| m.items)
            .map(|i| items[i].id.clone())
            .collect();
        Self {
            lexicon,
            titles,
            items,
            user_stems: super::words::stems(user_text),
            user_numbers: numbers(user_text).into_iter().map(|(v, _, _)| v).collect(),
            user_titles,
        }
    }
}

/// The outcome for one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    /// Bytes of the sentence to show (0: drop it; its length: all of it).
    pub keep: usize,
    /// What was not supported (words, numbers, titles), in order.
    pub unsupported: Vec<String>,
}

/// Words that deny something: a denial is a claim the facts cannot back (the catalog lists
/// what an item is, not what it is not), unless the user asked in the negative too or the
/// sentence is about what the facts say.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "nor", "without", "isnt", "arent", "doesnt", "dont", "didnt", "cant",
    "cannot", "wont", "hasnt", "havent", "lacks", "lack", "neither", "none",
];
/// Words that make a sentence about the facts themselves ("the facts do not say").
const META: &[&str] = &[
    "facts",
    "information",
    "listed",
    "catalog",
    "say",
    "says",
    "mention",
    "mentions",
    "mentioned",
];
/// Words that belong to a number that follows them ("under $7", "in 2012").
const NUMBER_LEAD: &[&str] = &[
    "under", "below", "over", "above", "for", "at", "in", "from", "since", "around", "about",
    "only", "just", "than", "less", "more", "costs", "cost", "priced", "of",
];

const UPPER_BOUND: &[&str] = &[
    "under", "below", "less", "cheaper", "within", "max", "maximum", "most", "before", "older",
    "up",
];
const LOWER_BOUND: &[&str] = &["over", "above", "more", "after", "since", "least", "newer"];

/// Clause boundaries a sentence may be cut at (the cut keeps what comes before).
const BOUNDARIES: &[&str] = &[
    ",",
    ";",
    ":",
    " - ",
    " — ",
    " – ",
    " and ",
    " but ",
    " while ",
    " whereas ",
    " which ",
    " where ",
    " with ",
    " as well as ",
    " plus ",
    " or ",
    " that ",
];

fn value_of(item: &Item, money: bool) -> Option<f64> {
    if money {
        item.price.map(crate::catalog::Price::amount)
    } else {
        item.year.map(f64::from)
    }
}

/// Whether `n` at `start..end` of `s` is a user's bound ("under $20") that `item` meets.
fn bound_met(s: &str, start: usize, end: usize, n: f64, item: &Item, ctx: &Context) -> bool {
    if !ctx.user_numbers.iter().any(|u| (u - n).abs() < 0.005) {
        return false;
    }
    let before: Vec<String> = s[..start]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .map(str::to_lowercase)
        .collect();
    let after = s[end..].trim_start().to_lowercase();
    let money =
        s[..start].ends_with('$') || after.starts_with("dollar") || after.starts_with("buck");
    let Some(v) = value_of(item, money || !(1950.0..2100.0).contains(&n)) else {
        return false;
    };
    if before.iter().any(|w| UPPER_BOUND.contains(&w.as_str())) {
        v <= n
    } else if before.iter().any(|w| LOWER_BOUND.contains(&w.as_str())) {
        v >= n
    } else {
        false
    }
}

/// Whether `folded` is written as a whole word in one of the subjects' fields: a catalog
/// label is a claim, and a word of the same stem ("Walking Simulator" for "simulation") does
/// not back it.
fn written_in(subjects: &[&Facts], folded: &str) -> bool {
    subjects.iter().any(|f| {
        let it = f.item;
        std::iter::once(it.title.as_str())
            .chain(it.labels())
            .chain(it.developer.as_deref())
            .chain(it.publisher.as_deref())
            .chain(it.description.as_deref())
            .chain(it.attributes.values().map(String::as_str))
            .any(|t| has_word(t, folded))
    })
}

/// Check `sentence` about `subjects` (one item for a reason or an answer about an item,
/// several for a comparison). `word_cuts`: the sentence may also be cut right before an
/// unsupported word that follows a word backed by the facts ("because it's a puzzle | set
/// at …"); reasons read well cut so, whole sentences do not.
#[must_use]
pub fn check(sentence: &str, subjects: &[&Facts], ctx: &Context, word_cuts: bool) -> Verdict {
    let mut bad: Vec<(usize, String)> = Vec::new();
    // Extra places a sentence may be cut (before an unsupported number).
    let mut cuts: Vec<usize> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    // Which subject each part of the sentence is about: the last subject named before it.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let facts_stems: HashSet<String> = subjects
        .iter()
        .flat_map(|f| f.stems.iter().cloned())
        .collect();
    let facts_text: String = subjects
        .iter()
        .map(|f| crate::text::fold(&f.text))
        .collect::<Vec<_>>()
        .join(" | ");
    for m in ctx.titles.find(sentence) {
        covered.push((m.start, m.end));
        let ids: Vec<&str> = m.items.iter().map(|&i| ctx.items[i].id.as_str()).collect();
        if let Some(k) = subjects
            .iter()
            .position(|f| ids.contains(&f.item.id.as_str()))
        {
            marks.push((m.start, k));
        } else if !ids.iter().any(|id| ctx.user_titles.contains(*id))
            && !format!(" {facts_text} ").contains(&format!(" {} ", m.key))
        {
            bad.push((m.start, sentence[m.start..m.end].to_string()));
        }
    }
    // Subject titles written differently from the catalog's ("Witcher 3") are caught by
    // the word check below, so only catalog spellings mark a subject.
    let in_title = |at: usize| covered.iter().any(|&(s, e)| at >= s && at < e);
    let subject_at = |at: usize| -> Vec<&Facts> {
        match marks.iter().rev().find(|(s, _)| *s <= at) {
            Some(&(_, k)) => vec![subjects[k]],
            None => subjects.to_vec(),
        }
    };
    for (n, start, end) in numbers(sentence) {
        if in_title(start) {
            continue;
        }
        let about = subject_at(start);
        let ok = about.iter().any(|f| f.has_number(n))
            || about
                .iter()
                .any(|f| bound_met(sentence, start, end, n, f.item, ctx));
        if !ok {
            // The cut may fall right before the number and the words that lead to it.
            let mut from = if sentence[..start].ends_with('$') {
                start - 1
            } else {
                start
            };
            loop {
                let before = sentence[..from].trim_end();
                let word = before.rsplit(' ').next().unwrap_or("");
                if word.is_empty() || !NUMBER_LEAD.contains(&word.to_lowercase().as_str()) {
                    break;
                }
                from = before.len() - word.len();
            }
            cuts.push(from);
            bad.push((from, sentence[start..end].to_string()));
        }
    }
    let ws: Vec<Word> = words(sentence);
    let user_denies = ctx
        .user_stems
        .iter()
        .any(|s| NEGATIONS.contains(&s.as_str()));
    let meta = ws.iter().any(|w| META.contains(&w.folded.as_str()));
    if !user_denies && !meta {
        for w in ws.iter().filter(|w| NEGATIONS.contains(&w.folded.as_str())) {
            bad.push((w.start, sentence[w.start..w.end].to_string()));
        }
    }
    let first = ws.first().map_or(0, |w| w.start);
    // The user's words back a catalog label the facts lack only in a denial ("not horror"):
    // "co-op, as you asked" about an item without co-op is a claim the facts do not make.
    let denies = ws.iter().any(|w| NEGATIONS.contains(&w.folded.as_str()));
    let mut backed: Vec<usize> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        if w.digit || in_title(w.start) || ctx.lexicon.is_function(&w.folded) {
            continue;
        }
        // Who made it is the developer's or publisher's field, not any text that names a
        // company ("made by Nintendo" in a description is a claim, not the maker).
        if w.capital && names_a_maker(&ws, i) && !subjects.iter().any(|f| f.made_by(&w.folded)) {
            bad.push((w.start, sentence[w.start..w.end].to_string()));
            continue;
        }
        let generic = ctx.lexicon.is_generic(&w.folded);
        let in_facts =
            facts_stems.contains(&w.stem) || ctx.lexicon.paraphrased(&w.stem, &facts_stems);
        if in_facts
            && ctx.lexicon.is_label(&w.folded)
            && !ctx.user_stems.contains(&w.stem)
            && !written_in(subjects, &w.folded)
        {
            bad.push((w.start, sentence[w.start..w.end].to_string()));
            continue;
        }
        if in_facts {
            if !generic {
                backed.push(w.start);
            }
            continue;
        }
        let name = w.capital && w.start != first;
        let said =
            ctx.user_stems.contains(&w.stem) || ctx.lexicon.paraphrased(&w.stem, &ctx.user_stems);
        let ok = if name {
            generic
        } else {
            generic || (said && (denies || !ctx.lexicon.is_label(&w.folded)))
        };
        if !ok {
            bad.push((w.start, sentence[w.start..w.end].to_string()));
        }
    }
    if word_cuts {
        // Before each word whose previous word is backed by the facts.
        for pair in ws.windows(2) {
            if backed.contains(&pair[0].start)
                && sentence[pair[0].end..pair[1].start]
                    .chars()
                    .all(char::is_whitespace)
            {
                cuts.push(pair[1].start);
            }
        }
    }
    bad.sort_by_key(|(at, _)| *at);
    let keep = match bad.first() {
        None if backed.is_empty() && !subjects.is_empty() => {
            // Nothing but generic words: harmless, shown as written.
            sentence.len()
        }
        None => sentence.len(),
        Some(&(at, _)) => cut_before(sentence, at, &backed, &cuts),
    };
    Verdict {
        keep,
        unsupported: bad.into_iter().map(|(_, w)| w).collect(),
    }
}

/// Verbs that say who made an item.
const MAKING: &[&str] = &[
    "made",
    "makes",
    "developed",
    "develops",
    "published",
    "created",
];

/// Whether the capitalised word `ws[i]` is part of a name said to be an item's maker: "by
/// Name", "made at / from Name", "Name made" (or developed, published, created).
fn names_a_maker(ws: &[Word], i: usize) -> bool {
    let (mut j, mut k) = (i, i);
    while j > 0 && ws[j - 1].capital {
        j -= 1;
    }
    while ws.get(k + 1).is_some_and(|w| w.capital) {
        k += 1;
    }
    let at = |k: Option<usize>| k.and_then(|k| ws.get(k)).map(|w| w.folded.as_str());
    let making = |w: Option<&str>| w.is_some_and(|w| MAKING.contains(&w));
    making(at(Some(k + 1)))
        || match at(j.checked_sub(1)) {
            Some("by") => true,
            Some("at" | "from") => making(at(j.checked_sub(2))),
            _ => false,
        }
}

/// The longest prefix of `sentence` ending at a clause boundary before byte `at` that still
/// holds a word backed by the facts (0 when there is none).
fn cut_before(sentence: &str, at: usize, backed: &[usize], cuts: &[usize]) -> usize {
    let mut best = cuts
        .iter()
        .copied()
        .filter(|&c| c <= at && backed.iter().any(|&w| w < c))
        .max()
        .unwrap_or(0);
    for b in BOUNDARIES {
        for (pos, _) in sentence[..at].match_indices(b) {
            if pos > best && backed.iter().any(|&w| w < pos) {
                best = pos;
            }
        }
    }
    sentence[..best].trim_end().len()
}

/// Check a sentence of small talk: it may not name any catalog item or any other name the
/// user did not say, nor state numbers the user did not write.
#[must_use]
pub fn check_small_talk(sentence: &str, ctx: &Context) -> Verdict {
    let mut bad: Vec<String> = ctx
        .titles
        .find(sentence)
        .into_iter()
        .map(|m| sentence[m.start..m.end].to_string())
        .collect();
    for (n, s, e) in numbers(sentence) {
        if !ctx.user_numbers.iter().any(|u| (u - n).abs() < 0.005) {
            bad.push(sentence[s..e].to_string());
        }
    }
    let ws = words(sentence);
    let first = ws.first().map_or(0, |w| w.start);
    for w in ws.iter().filter(|w| w.capital && !w.digit) {
        let known = ctx.lexicon.is_function(&w.folded)
            || ctx.lexicon.is_generic(&w.folded)
            || ctx.user_stems.contains(&w.stem)
            || w.folded == "reco";
        let opening = w.start == first && ctx.lexicon.is_common(&w.folded);
        if !known && !opening {
            bad.push(sentence[w.start..w.end].to_string());
        }
    }
    Verdict {
        keep: if bad.is_empty() { sentence.len() } else { 0 },
        unsupported: bad,
    }
}
