//! Requests anchored on items the user names: "something like Portal but co-op", "I loved
//! Mass Effect 2 and Dragon Age". [`named_items`] finds the items a text names — exact
//! titles (the aho-corasick matcher), abbreviations ("ds3", "cs go", "gta v"), leading title
//! words after a cue ("like stardew", "and dragon age"; never words that only point at cards,
//! so "compare the first two" names no "The First Tree"), and misspelled titles after a cue
//! ("loved stardew vally") — and the search is then anchored on them ([`blend`] pulls the
//! query vector towards theirs, [`label_overlap`] ranks items that share their labels), so
//! the words of their titles do not drag in unrelated items that share a word.

use std::collections::HashMap;

use super::{lexical::STOPWORDS, search::mix, Retriever};
use crate::text::fold;

/// Words after which a phrase is read as the name of an item.
pub const CUES: &[&str] = &[
    "like", "liked", "love", "loved", "enjoyed", "played", "playing", "about", "than", "and", "vs",
    "versus", "seen", "watched", "finished", "beat", "own", "tried", "fan", "of", "to", "compare",
];
/// The cues strong enough to try a misspelled title after them (a lookup in the lexical
/// index, so kept to words that announce a name).
const FUZZY_CUES: &[&str] = &[
    "like", "liked", "love", "loved", "enjoyed", "played", "playing", "about", "than", "vs",
    "versus", "seen", "watched", "finished", "beat", "tried", "compare",
];

/// Words that point at cards on screen rather than name an item ("compare the first two",
/// "about the other one"): leading title words made only of these and stopwords name
/// nothing ("the first" is not "The First Tree").
const REFERENCE_WORDS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "last", "one", "ones", "two", "three", "both",
    "other", "others", "them", "those", "these", "previous", "next", "top",
];

/// How a named item was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// The whole title, folded.
    Exact,
    /// An abbreviation of the title ("ds3").
    Abbreviation,
    /// The title's leading words ("stardew").
    Prefix,
    /// A misspelling of the title.
    Fuzzy,
}

/// An item named in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// Byte span in the text.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The item (index in the catalog).
    pub index: usize,
    /// How it was recognised.
    pub how: How,
}

/// Abbreviation and leading-words tables of a catalog (base items only, most popular wins).
#[derive(Debug, Default)]
pub struct Aliases {
    abbreviations: HashMap<String, usize>,
    prefixes: HashMap<String, usize>,
}

fn roman(w: &str) -> Option<&'static str> {
    Some(match w {
        "ii" => "2",
        "iii" => "3",
        "iv" => "4",
        "v" => "5",
        "vi" => "6",
        "vii" => "7",
        "viii" => "8",
        "ix" => "9",
        "x" => "10",
        _ => return None,
    })
}

/// Abbreviations of a folded title: initials with numbers kept ("dark souls iii" → "ds3"),
/// and the same with roman numerals as written ("gta v" → "gtav").
fn abbreviations(folded: &str) -> Vec<String> {
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !matches!(*w, "the" | "of" | "a" | "an" | "and"))
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let mut digits = String::new();
    let mut letters = String::new();
    for w in &words {
        if w.chars().all(|c| c.is_ascii_digit()) {
            digits.push_str(w);
            letters.push_str(w);
        } else if let Some(n) = roman(w) {
            digits.push_str(n);
            letters.push_str(w);
        } else if let Some(c) = w.chars().next() {
            digits.push(c);
            letters.push(c);
        }
    }
    let mut out = vec![digits];
    if letters != out[0] {
        out.push(letters);
    }
    out.retain(|a| (2..=6).contains(&a.chars().count()));
    out
}

impl Aliases {
    pub(super) fn build(r: &Retriever) -> Self {
        let mut a = Self::default();
        let better = |map: &HashMap<String, usize>, key: &str, i: usize| {
            map.get(key)
                .is_none_or(|&j| r.popularity(i) > r.popularity(j))
        };
        for (i, it) in r.items().iter().enumerate() {
            if r.is_addon(i) {
                continue;
            }
            let f = fold(&it.title);
            for ab in abbreviations(&f) {
                if better(&a.abbreviations, &ab, i) {
                    a.abbreviations.insert(ab, i);
                }
            }
            let words: Vec<&str> = f.split(' ').collect();
            for n in 1..words.len().min(4) {
                let p = words[..n].join(" ");
                if p.chars().count() >= 4 && better(&a.prefixes, &p, i) {
                    a.prefixes.insert(p, i);
                }
            }
        }
        a
    }
}

struct Word {
    start: usize,
    end: usize,
    folded: String,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let part = c.is_alphanumeric() || c == '\'' || c == '’';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let folded = fold(&text[s..i]);
                if !folded.is_empty() {
                    out.push(Word {
                        start: s,
                        end: i,
                        folded,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Items named in `text`, left to right (see the module docs).
#[must_use]
pub fn named_items(r: &Retriever, text: &str) -> Vec<Named> {
    let mut out: Vec<Named> = r
        .titles()
        .find(text)
        .into_iter()
        .filter_map(|m| {
            m.items.first().map(|&index| Named {
                start: m.start,
                end: m.end,
                index,
                how: How::Exact,
            })
        })
        .collect();
    let ws = words(text);
    let covered = |w: &Word, out: &[Named]| out.iter().any(|n| w.start < n.end && n.start < w.end);
    let al = r.aliases();
    prefer_longer_prefixes(&mut out, &ws, al);
    let mut i = 0;
    while i < ws.len() {
        if covered(&ws[i], &out) {
            i += 1;
            continue;
        }
        let cue = i > 0 && CUES.contains(&ws[i - 1].folded.as_str());
        // Candidates (words covered, item, how); the longest wins, then abbreviation,
        // leading words, misspelling in that order.
        let mut cands: Vec<(usize, usize, How)> = Vec::new();
        // Abbreviations: one or two words that join to a known abbreviation ("cs go").
        for n in (1..=2).rev() {
            if i + n > ws.len() || ws[i..i + n].iter().any(|w| covered(w, &out)) {
                continue;
            }
            let joined: String = ws[i..i + n]
                .iter()
                .map(|w| w.folded.replace(' ', ""))
                .collect();
            let plain_word = n == 1 && !joined.chars().any(|c| c.is_ascii_digit());
            // Two words that join to an abbreviation must both be name-like: "hi I" is no
            // "hii" (Hades II).
            let has_stopword = n == 2
                && ws[i..i + n]
                    .iter()
                    .any(|w| STOPWORDS.contains(&w.folded.as_str()));
            let too_common = has_stopword
                || (plain_word
                    && (STOPWORDS.contains(&joined.as_str())
                        || (joined.chars().count() <= 3 && !cue)));
            if joined.chars().count() >= 2 && !too_common && !r.titles().is_weak(&joined) {
                if let Some(&idx) = al.abbreviations.get(&joined) {
                    cands.push((n, idx, How::Abbreviation));
                    break;
                }
            }
        }
        if cue {
            // Leading title words ("like stardew", "and dragon age").
            for n in (1..=3).rev() {
                if i + n > ws.len() || ws[i..i + n].iter().any(|w| covered(w, &out)) {
                    continue;
                }
                let p: Vec<&str> = ws[i..i + n].iter().map(|w| w.folded.as_str()).collect();
                let refers = |w: &&str| STOPWORDS.contains(w) || REFERENCE_WORDS.contains(w);
                if p.iter().all(refers) {
                    continue;
                }
                if let Some(&idx) = al.prefixes.get(&p.join(" ")) {
                    cands.push((n, idx, How::Prefix));
                    break;
                }
            }
            // A misspelled title ("loved stardew vally"): only after a strong cue, and only
            // when a word that follows is not in the catalog's vocabulary (a typo).
            let end = (i + 5).min(ws.len());
            let free = ws[i..end].iter().take_while(|w| !covered(w, &out)).count();
            let typo = ws[i..i + free]
                .iter()
                .any(|w| w.folded.chars().count() >= 4 && !r.lexical().knows(&w.folded));
            if free > 0 && typo && FUZZY_CUES.contains(&ws[i - 1].folded.as_str()) {
                cands.extend(fuzzy_title(r, &ws[i..i + free]));
            }
        }
        let found = cands.into_iter().max_by_key(|&(n, _, how)| {
            (
                n,
                match how {
                    How::Abbreviation => 3,
                    How::Prefix => 2,
                    How::Fuzzy => 1,
                    How::Exact => 4,
                },
            )
        });
        match found {
            Some((n, index, how)) => {
                out.push(Named {
                    start: ws[i].start,
                    end: ws[i + n - 1].end,
                    index,
                    how,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    out.sort_by_key(|n| n.start);
    out
}

/// After a cue, leading title words that run past exact matches of shorter titles name the
/// longer title: "like dark souls" is Dark Souls III, not the games called "DARK" and "SOULS"
/// (nor, where only "SOULS" is a title, "Dark Messiah" from the leading word "dark").
fn prefer_longer_prefixes(out: &mut Vec<Named>, ws: &[Word], al: &Aliases) {
    for i in 1..ws.len() {
        if !CUES.contains(&ws[i - 1].folded.as_str()) {
            continue;
        }
        for n in (2..=3).rev() {
            if i + n > ws.len() {
                continue;
            }
            let (start, end) = (ws[i].start, ws[i + n - 1].end);
            let inside = |m: &Named| m.start >= start && m.end <= end;
            let overlaps = |m: &Named| m.start < end && start < m.end;
            // Only where shorter exact titles lie inside the words, and none runs past them.
            if !out.iter().any(inside) || out.iter().any(|m| overlaps(m) && !inside(m)) {
                continue;
            }
            if out.iter().any(|m| m.start == start && m.end == end) {
                break;
            }
            let phrase: Vec<&str> = ws[i..i + n].iter().map(|w| w.folded.as_str()).collect();
            if let Some(&index) = al.prefixes.get(&phrase.join(" ")) {
                out.retain(|m| m.end <= start || m.start >= end);
                out.push(Named {
                    start,
                    end,
                    index,
                    how: How::Prefix,
                });
                out.sort_by_key(|m| m.start);
                break;
            }
        }
    }
}

/// The best item whose folded title is within a small edit distance of the first 1–5 words.
fn fuzzy_title(r: &Retriever, ws: &[Word]) -> Option<(usize, usize, How)> {
    let phrase: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
    let scores = r.lexical().scores(&phrase.join(" "));
    let cands = super::dense::top_k(&scores, 8, |i| scores[i] > 0.0 && !r.is_addon(i));
    let mut best: Option<(usize, usize, f64)> = None;
    for (idx, _) in cands {
        let title = fold(&r.items()[idx].title);
        let n_words = title.split(' ').count();
        if n_words > phrase.len() || title.chars().count() < 6 {
            continue;
        }
        let candidate = phrase[..n_words].join(" ");
        let sim = strsim::normalized_damerau_levenshtein(&candidate, &title);
        let needed = if title.chars().count() >= 10 {
            0.8
        } else {
            0.85
        };
        if sim >= needed && sim < 1.0 && best.is_none_or(|b| sim > b.2) {
            best = Some((n_words, idx, sim));
        }
    }
    best.map(|(n, idx, _)| (n, idx, How::Fuzzy))
}

/// The query vector pulled towards the mean of the anchors' vectors: mostly the anchors when
/// the rest of the query says little ("something like Portal"), half and half otherwise.
#[must_use]
pub fn blend(r: &Retriever, query: &[f32], anchors: &[usize], text: &str) -> Vec<f32> {
    let dim = query.len();
    let mut mean = vec![0f32; dim];
    let mut n = 0;
    for &a in anchors {
        if let Some(v) = r.vector(a) {
            for (m, x) in mean.iter_mut().zip(v) {
                *m += x;
            }
            n += 1;
        }
    }
    if n == 0 {
        return query.to_vec();
    }
    let content = super::lexical::words(text)
        .filter(|w| !STOPWORDS.contains(&w.as_str()) && !CUES.contains(&w.as_str()))
        .count();
    let text_weight = if content <= 1 { 0.2 } else { 0.5 };
    mix(query, text_weight, &mean, 1.0 - text_weight)
}

/// Items ranked by the share of the anchors' labels they carry, each label weighted by its
/// inverse item frequency (sharing "Physics" says more than sharing "Singleplayer").
#[must_use]
pub fn label_overlap(
    r: &Retriever,
    anchors: &[usize],
    k: usize,
    keep: &dyn Fn(usize) -> bool,
) -> Vec<(usize, f32)> {
    let n = r.items().len().max(1) as f32;
    let mut weight = vec![0f32; r.label_counts.len()];
    let mut total = 0f32;
    for &a in anchors {
        for &l in &r.item_labels[a] {
            let c = r.label_counts[l as usize] as f32;
            if weight[l as usize] == 0.0 && c < n * 0.5 {
                let w = (n / c).ln();
                weight[l as usize] = w;
                total += w;
            }
        }
    }
    if total <= 0.0 {
        return Vec::new();
    }
    let scores: Vec<f32> = r
        .item_labels
        .iter()
        .map(|ls| ls.iter().map(|&l| weight[l as usize]).sum::<f32>() / total)
        .collect();
    super::dense::top_k(&scores, k, |i| keep(i) && scores[i] > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{catalog::Item, store::VectorSet};

    fn catalog(titles: &[&str]) -> Retriever {
        let items = titles
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                id: i.to_string(),
                title: (*t).to_string(),
                ..Item::default()
            })
            .collect();
        Retriever::from_parts("t", items, VectorSet::default())
    }

    fn names(r: &Retriever, text: &str) -> Vec<(String, How)> {
        named_items(r, text)
            .into_iter()
            .map(|n| (r.items()[n.index].title.clone(), n.how))
            .collect()
    }

    #[test]
    fn finds_titles_abbreviations_prefixes_and_typos() {
        let r = catalog(&[
            "Portal",
            "Portal Knights - Lobot Box",
            "Dark Souls III",
            "Counter-Strike: Global Offensive",
            "Stardew Valley",
            "Mass Effect 2",
            "Dragon Age: Origins",
            "Grand Theft Auto V",
            "The First Tree",
            "Hades II",
            "DARK",
            "SOULS",
        ]);
        assert_eq!(
            names(&r, "something like Portal but co-op"),
            [("Portal".to_string(), How::Exact)]
        );
        assert_eq!(
            names(&r, "loved ds3 and cs go"),
            [
                ("Dark Souls III".to_string(), How::Abbreviation),
                (
                    "Counter-Strike: Global Offensive".to_string(),
                    How::Abbreviation
                )
            ]
        );
        assert_eq!(
            names(&r, "I loved Mass Effect 2 and dragon age"),
            [
                ("Mass Effect 2".to_string(), How::Exact),
                ("Dragon Age: Origins".to_string(), How::Prefix)
            ]
        );
        assert_eq!(
            names(&r, "games like stardew"),
            [("Stardew Valley".to_string(), How::Prefix)]
        );
        assert_eq!(
            names(&r, "i played stardew vally a lot"),
            [("Stardew Valley".to_string(), How::Fuzzy)]
        );
        assert_eq!(
            names(&r, "anything like gta v?"),
            [("Grand Theft Auto V".to_string(), How::Abbreviation)]
        );
        assert!(names(&r, "a dark game with age ratings").is_empty());
        // Card references are not leading title words; the title itself still counts.
        assert!(names(&r, "compare the first two").is_empty());
        assert!(names(&r, "hi! I want a story-rich game").is_empty());
        assert_eq!(
            names(&r, "something like dark souls but easier"),
            [("Dark Souls III".to_string(), How::Prefix)]
        );
        // Where only the second word is a title, the leading words still name the series.
        let r2 = catalog(&["Dark Messiah of Might & Magic", "Dark Souls III", "SOULS"]);
        assert_eq!(
            names(&r2, "something like dark souls but easier"),
            [("Dark Souls III".to_string(), How::Prefix)]
        );
        assert!(names(&r, "tell me about the first one").is_empty());
        assert_eq!(
            names(&r, "compare The First Tree and Portal"),
            [
                ("The First Tree".to_string(), How::Exact),
                ("Portal".to_string(), How::Exact)
            ]
        );
    }
}
