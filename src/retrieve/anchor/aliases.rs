//! The alias tables behind named-item recognition: abbreviations ("ds3", "cod"), leading
//! title words ("stardew") and clipped series words ("civ", "civ 5"), built once per catalog;
//! and the lookup of misspelled titles ("stardew vally").

use std::collections::HashMap;

use super::{Retriever, REFERENCE_WORDS};
use crate::{retrieve::lexical::STOPWORDS, text::fold};

/// Abbreviation and leading-words tables of a catalog (base items only, most popular wins).
#[derive(Debug, Default)]
pub struct Aliases {
    pub(super) abbreviations: HashMap<String, usize>,
    pub(super) prefixes: HashMap<String, usize>,
    /// Clipped title words ("civ" → Civilization): clip → (item, the whole word).
    clips: HashMap<String, (usize, String)>,
    /// A title word with the number after it, in digits ("civilization 5" for
    /// *Civilization V*) → the most popular such item.
    numbered: HashMap<String, usize>,
}

/// Subtitle words that name an edition, not a game ("Definitive Edition").
const EDITION_WORDS: &[&str] = &[
    "edition",
    "remastered",
    "definitive",
    "complete",
    "deluxe",
    "collection",
    "episode",
    "chapter",
    "season",
    "soundtrack",
    "enhanced",
    "anniversary",
    "ultimate",
    "special",
    "director's",
    "directors",
    "remake",
    "reloaded",
    "origins",
    "legends",
    "online",
];

/// A title word is clipped ("civ", "civi") only when it is this long or longer…
const CLIPPED_MIN: usize = 7;
/// …and occurs in at most this many titles (a series' name, not an everyday word).
const CLIPPED_TITLES: usize = 25;

/// Roman numerals of sequels and their digits.
const ROMANS: &[(&str, &str)] = &[
    ("ii", "2"),
    ("iii", "3"),
    ("iv", "4"),
    ("v", "5"),
    ("vi", "6"),
    ("vii", "7"),
    ("viii", "8"),
    ("ix", "9"),
    ("x", "10"),
];

pub(super) fn roman(w: &str) -> Option<&'static str> {
    ROMANS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

/// Abbreviations of a folded title: initials with numbers kept ("dark souls iii" → "ds3"),
/// and the same with roman numerals as written ("gta v" → "gtav"); with `keep_of`, "of"
/// keeps its initial as series names are said ("call of duty" → "cod", "age of empires ii"
/// → "aoe2").
fn abbreviations(folded: &str, keep_of: bool) -> Vec<String> {
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !matches!(*w, "the" | "a" | "an" | "and") && (keep_of || *w != "of"))
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

/// The folded forms a title is abbreviated from: the whole title, and its series name
/// before a colon or dash ("Call of Duty: Black Ops III" → "call of duty").
fn abbreviated_forms(title: &str) -> Vec<(String, bool)> {
    let mut forms = vec![(fold(title), false), (fold(title), true)];
    if let Some(series) = title.split([':', '\u{2013}', '\u{2014}']).next() {
        let series = series.split(" - ").next().unwrap_or(series);
        if series.len() < title.len() {
            forms.push((fold(series), true));
        }
    }
    forms
}

impl Aliases {
    pub(crate) fn build(r: &Retriever) -> Self {
        let mut a = Self::default();
        let mut titles_with: HashMap<String, usize> = HashMap::new();
        let better = |map: &HashMap<String, usize>, key: &str, i: usize| {
            map.get(key)
                .is_none_or(|&j| r.popularity(i) > r.popularity(j))
        };
        for (i, it) in r.items().iter().enumerate() {
            if r.is_addon(i) {
                continue;
            }
            for (form, keep_of) in abbreviated_forms(&it.title) {
                for ab in abbreviations(&form, keep_of) {
                    if better(&a.abbreviations, &ab, i) {
                        a.abbreviations.insert(ab, i);
                    }
                }
            }
            let f = fold(&it.title);
            let words: Vec<&str> = f.split(' ').collect();
            for w in &words {
                *titles_with.entry((*w).to_string()).or_default() += 1;
            }
            // Without a leading "the" too ("like shawshank redemption", "witcher 3"); the
            // whole rest of the title as well (a prefix of every length but the full one).
            let bare: &[&str] = if words.len() > 2 && words[0] == "the" {
                &words[1..]
            } else {
                &[]
            };
            for n in 2..=bare.len().min(4) {
                let p = bare[..n].join(" ");
                if better(&a.prefixes, &p, i) {
                    a.prefixes.insert(p, i);
                }
            }
            for n in 1..words.len().min(4) {
                let p = words[..n].join(" ");
                // Three letters only as a whole leading word ("ori"); checked at lookup.
                let short_word =
                    n == 1 && p.chars().count() == 3 && p.chars().all(char::is_alphabetic);
                if (p.chars().count() >= 4 || short_word) && better(&a.prefixes, &p, i) {
                    a.prefixes.insert(p, i);
                }
            }
        }
        // Subtitles after a colon name their game too ("like skyrim" is *The Elder Scrolls
        // V: Skyrim*, not the less popular *Skyrim Script Extender*): their leading words,
        // where no more popular title starts with them and the subtitle is no edition or
        // everyday word.
        let mut subtitles: HashMap<String, usize> = HashMap::new();
        for (i, it) in r.items().iter().enumerate() {
            let Some((_, sub)) = it.title.split_once(':') else {
                continue;
            };
            let f = fold(sub);
            let words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
            let first = words.first().copied().unwrap_or("");
            if r.is_addon(i)
                || words.is_empty()
                || first.chars().count() < 5
                || crate::text::is_common_word(first)
                || EDITION_WORDS.contains(&first)
                || r.vocab().lookup(first).is_some()
            {
                continue;
            }
            for n in 1..=words.len().min(3) {
                let key = words[..n].join(" ");
                if better(&a.prefixes, &key, i) && better(&subtitles, &key, i) {
                    subtitles.insert(key, i);
                }
            }
        }
        a.prefixes.extend(subtitles);
        for (i, it) in r.items().iter().enumerate() {
            if r.is_addon(i) {
                continue;
            }
            let f = fold(&it.title);
            let words: Vec<&str> = f.split(' ').collect();
            for pair in words.windows(2) {
                let digits = roman(pair[1]).unwrap_or(pair[1]);
                if digits.chars().all(|c| c.is_ascii_digit())
                    && !digits.is_empty()
                    && pair[0].chars().count() >= CLIPPED_MIN
                {
                    let key = format!("{} {digits}", pair[0]);
                    if better(&a.numbered, &key, i) {
                        a.numbered.insert(key, i);
                    }
                }
            }
            for w in words {
                let n = w.chars().count();
                let series = titles_with.get(w).is_some_and(|&c| c <= CLIPPED_TITLES);
                if n < CLIPPED_MIN || !series || !w.chars().all(char::is_alphabetic) {
                    continue;
                }
                for k in 3..=4.min(n - 3) {
                    let clip: String = w.chars().take(k).collect();
                    if a.clips
                        .get(&clip)
                        .is_none_or(|&(j, _)| r.popularity(i) > r.popularity(j))
                    {
                        a.clips.insert(clip, (i, w.to_string()));
                    }
                }
            }
        }
        a
    }

    /// The item a clipped title word and a number name ("civ 5", "civ v"): the most popular
    /// title with the whole word followed by that number, in digits or roman numerals (a
    /// table built with the others).
    pub(super) fn clipped_numbered(
        &self,
        r: &Retriever,
        word: &str,
        number: &str,
    ) -> Option<usize> {
        self.clipped(r, word)?;
        let (_, whole) = self.clips.get(word)?;
        let digits = roman(number).unwrap_or(number);
        self.numbered.get(&format!("{whole} {digits}")).copied()
    }

    /// The item a clipped title word after a cue names ("like civ"): only a word the
    /// catalog's texts use less often than the whole word, so "like art" is no "Artifact".
    pub(super) fn clipped(&self, r: &Retriever, word: &str) -> Option<usize> {
        let n = word.chars().count();
        if !(3..=4).contains(&n)
            || !word.chars().all(char::is_alphabetic)
            || crate::text::is_common_word(word)
            || STOPWORDS.contains(&word)
            || REFERENCE_WORDS.contains(&word)
            || r.vocab().lookup(word).is_some()
        {
            return None;
        }
        let (i, whole) = self.clips.get(word)?;
        (r.lexical().doc_freq(word) < r.lexical().doc_freq(whole)).then_some(*i)
    }
}

/// The best item whose folded title is within a small edit distance of the first 1–5 words.
pub(super) fn fuzzy_title(r: &Retriever, ws: &[super::Word]) -> Option<(usize, usize, super::How)> {
    let phrase: Vec<&str> = ws.iter().map(|w| w.folded.as_str()).collect();
    let scores = r.lexical().scores(&phrase.join(" "));
    let cands = crate::retrieve::dense::top_k(&scores, 8, |i| scores[i] > 0.0 && !r.is_addon(i));
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
    best.map(|(n, idx, _)| (n, idx, super::How::Fuzzy))
}
