//! Requests anchored on items the user names: "something like Portal but co-op", "I loved
//! Mass Effect 2 and Dragon Age". [`named_items`] finds the items a text names — exact
//! titles (the aho-corasick matcher), abbreviations ("ds3", "cs go", "gta v"), leading title
//! words after a cue ("like stardew", "and dragon age"; never words that only point at cards,
//! so "compare the first two" names no "The First Tree"), misspelled titles after a cue
//! ("loved stardew vally") and clipped series words after a cue ("like civ"; the tables are
//! in [`aliases`]) — and the search is then anchored on them ([`blend`] pulls the
//! query vector towards theirs, [`label_overlap`] ranks items that share their labels), so
//! the words of their titles do not drag in unrelated items that share a word.

use super::{lexical::STOPWORDS, Retriever};
use crate::text::fold;

/// Words after which a phrase is read as the name of an item.
pub const CUES: &[&str] = &[
    "like", "liked", "love", "loved", "enjoyed", "played", "playing", "about", "than", "and", "vs",
    "versus", "seen", "watched", "finished", "beat", "own", "tried", "fan", "of", "to", "compare",
    "not", "hated", "hate", "disliked",
];
/// Cues after which only two or more leading title words name an item ("not the witcher"),
/// so "not horror" stays a refused label even where a title starts with "Horror".
const TWO_WORD_CUES: &[&str] = &["not"];
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
    /// A clipped word of the title ("civ").
    Clipped,
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

mod aliases;
mod blend;

pub use aliases::Aliases;
pub use blend::{blend, label_overlap};

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
    let everyday_df = (r.items().len() / 500).max(20);
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
            // Nor two single letters: "how r u" is no "ru" (*Rytmik Ultimate*); "gta v" is.
            let has_stopword = n == 2
                && (ws[i..i + n]
                    .iter()
                    .any(|w| STOPWORDS.contains(&w.folded.as_str()))
                    || ws[i..i + n].iter().all(|w| w.folded.chars().count() < 2));
            // A plain word the catalog's texts use often is that word ("like art games"),
            // not the initials of "Arms Race - TCWE".
            // Nor is a label ("not rpg", "like rpg games").
            let everyday = plain_word
                && (r.lexical().doc_freq(&joined) > everyday_df
                    || r.vocab().lookup(&joined).is_some());
            // After "not", only two or more words name an item ("not too competitive" is no
            // abbreviation "too").
            let after_not = i > 0 && TWO_WORD_CUES.contains(&ws[i - 1].folded.as_str());
            let too_common = has_stopword
                || everyday
                || (plain_word && after_not)
                // "the two of us" is no *The Usual Suspects*.
                || (plain_word && crate::text::is_common_word(&joined))
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
            // Words that name a label ("don't like visual novels") are the label, not a title
            // that starts with them ("Visual Novel Maker").
            let label_words = (1..=3)
                .rev()
                .find(|&n| {
                    i + n <= ws.len() && {
                        let phrase: String =
                            ws[i..i + n].iter().map(|w| w.folded.as_str()).collect();
                        r.vocab().lookup(&phrase).is_some()
                    }
                })
                .unwrap_or(0);
            // Leading title words ("like stardew", "and dragon age").
            for n in (1..=3).rev() {
                if i + n > ws.len() || ws[i..i + n].iter().any(|w| covered(w, &out)) {
                    continue;
                }
                if n <= label_words {
                    break;
                }
                let p: Vec<&str> = ws[i..i + n].iter().map(|w| w.folded.as_str()).collect();
                let refers = |w: &&str| STOPWORDS.contains(w) || REFERENCE_WORDS.contains(w);
                // After "not", one word names an item only where it is no label, no everyday
                // word and ends the name ("not skyrim, played it to death"), not "not horror".
                let one_after_not = n < 2
                    && TWO_WORD_CUES.contains(&ws[i - 1].folded.as_str())
                    && (p[0].chars().count() < 5
                        || crate::text::is_common_word(p[0])
                        || r.vocab().lookup(p[0]).is_some()
                        || r.lexical().doc_freq(p[0]) > everyday_df
                        || !ends_name(text, &ws, i + 1));
                if p.iter().all(refers) || one_after_not {
                    continue;
                }
                // A three-letter leading word ("and ori") only where it is no everyday word
                // of the catalog and no label.
                // One everyday word ("play next" is no *Next*) or a year ("the best movies of
                // 2012" is no *2012: Ice Age*) names nothing by its leading words.
                let year = p[0].len() == 4 && p[0].chars().all(|c| c.is_ascii_digit());
                if n == 1 && (crate::text::is_common_word(p[0]) || year) {
                    continue;
                }
                let short = n == 1 && p[0].chars().count() == 3;
                if short
                    && (r.lexical().doc_freq(p[0]) > everyday_df
                        || crate::text::is_common_word(p[0])
                        || r.vocab().lookup(p[0]).is_some()
                        || !ends_name(text, &ws, i + 1))
                {
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
            // (An everyday word the catalog's texts lack is no typo: "i like scary movies"
            // names no *Scary Movie* in a catalog of titles alone.)
            let typo = ws[i..i + free].iter().any(|w| {
                w.folded.chars().count() >= 4
                    && !r.lexical().knows(&w.folded)
                    && !crate::text::is_common_word(&w.folded)
            });
            // "similar to" announces a name as "like" does.
            let strong = FUZZY_CUES.contains(&ws[i - 1].folded.as_str())
                || (ws[i - 1].folded == "to" && i >= 2 && ws[i - 2].folded == "similar");
            if free > 0 && typo && strong {
                cands.extend(aliases::fuzzy_title(r, &ws[i..i + free]));
            }
            // A clipped title word ("like civ"), when nothing longer matched; against a
            // one-word abbreviation ("civ" is also Caesar IV's), the more popular item wins.
            let one_word = cands.iter().all(|c| c.0 == 1 && c.2 == How::Abbreviation);
            // With a number after it ("civ 5"), the title with that number.
            let numbered = (strong && free > 1 && ends_name(text, &ws, i + 2))
                .then(|| al.clipped_numbered(r, &ws[i].folded, &ws[i + 1].folded))
                .flatten();
            if let Some(idx) = numbered {
                cands.clear();
                cands.push((2, idx, How::Clipped));
            } else if strong && free > 0 && one_word && ends_name(text, &ws, i + 1) {
                if let Some(idx) = al.clipped(r, &ws[i].folded) {
                    if cands.iter().all(|c| r.popularity(idx) > r.popularity(c.1)) {
                        cands.clear();
                        cands.push((1, idx, How::Clipped));
                    }
                }
            }
        }
        let found = cands.into_iter().max_by_key(|&(n, _, how)| {
            (
                n,
                match how {
                    How::Abbreviation => 3,
                    How::Prefix => 2,
                    How::Fuzzy | How::Clipped => 1,
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

/// Whether a short name ("civ", "ori") may end before word `at`: nothing follows, or a word
/// that cannot continue a name ("but", "and", "games", a number) — in "civil war games" or
/// "pro wrestling" the next word shows a phrase, not a clipped title.
fn ends_name(text: &str, ws: &[Word], at: usize) -> bool {
    // Punctuation right after the name ends it ("I loved civ. Anything similar?").
    let punct = at
        .checked_sub(1)
        .and_then(|k| ws.get(k))
        .and_then(|w| text.get(w.end..))
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | ')'));
    punct
        || ws.get(at).is_none_or(|w| {
            let f = w.folded.as_str();
            STOPWORDS.contains(&f)
                || CUES.contains(&f)
                || matches!(
                    f,
                    "but"
                        | "game"
                        | "games"
                        | "series"
                        | "please"
                        | "already"
                        | "too"
                        | "again"
                        | "yet"
                        | "before"
                        | "lately"
                        | "recently"
                        | "though"
                        | "instead"
                        | "either"
                        | "also"
                        | "then"
                        | "lol"
                )
                || f.chars().all(|c| c.is_ascii_digit())
                || aliases::roman(f).is_some()
        })
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

#[cfg(test)]
mod tests;
