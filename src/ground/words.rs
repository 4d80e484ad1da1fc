//! Words for the support check. Text is folded ([`crate::text::fold`]: NFKD, marks dropped,
//! lowercase, punctuation as spaces), split into words, and each word is stemmed with the
//! Snowball English stemmer (`rust-stemmers`, already built for mistral.rs), so "puzzles",
//! "puzzle" and "puzzling" meet. [`Lexicon`] holds the three word lists kept as data files
//! beside this module: function words (no claim at all), generic evaluative and connective
//! words (no checkable claim), and paraphrases (a word the model may use for a fact the
//! catalog words differently: "scary" for "Horror").

use std::{
    collections::{HashMap, HashSet},
    sync::OnceLock,
};

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::Folded;

const FUNCTION_WORDS: &str = include_str!("function_words.txt");
const GENERIC: &str = include_str!("generic.txt");
const PARAPHRASES: &str = include_str!("paraphrases.txt");
/// Everyday English words (the title matcher's list): a capitalised one opening a sentence
/// is taken for an ordinary word, not a name.
const COMMON: &str = include_str!("../text/common_words.txt");

/// The stem of one folded word.
#[must_use]
pub fn stem(word: &str) -> String {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
        .stem(word)
        .into_owned()
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded form.
    pub folded: String,
    /// Its stem.
    pub stem: String,
    /// Byte span in the original text.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// Written with a capital letter.
    pub capital: bool,
    /// Holds a digit (numbers are checked apart from words).
    pub digit: bool,
}

/// The words of `text`, with their spans in it.
#[must_use]
pub fn words(text: &str) -> Vec<Word> {
    let f = Folded::new(text);
    let mut out = Vec::new();
    let mut at = 0;
    for w in f.text.split(' ') {
        let (start, end) = f.original_span(at, at + w.len(), text);
        at += w.len() + 1;
        if w.is_empty() {
            continue;
        }
        out.push(Word {
            folded: w.to_string(),
            stem: stem(w),
            start,
            end,
            capital: text[start..].chars().next().is_some_and(char::is_uppercase),
            digit: w.chars().any(|c| c.is_ascii_digit()),
        });
    }
    out
}

/// Stems of every word of `text`.
#[must_use]
pub fn stems(text: &str) -> HashSet<String> {
    words(text).into_iter().map(|w| w.stem).collect()
}

fn list(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
}

/// The word lists of the support check.
#[derive(Debug, Clone)]
pub struct Lexicon {
    function: HashSet<String>,
    generic: HashSet<String>,
    common: HashSet<String>,
    /// Stem of a word → the facts (lists of stems) it may stand for.
    paraphrases: HashMap<String, Vec<Vec<String>>>,
    /// The catalog's one-word labels (folded): claims that only the same word backs.
    labels: HashSet<String>,
}

impl Lexicon {
    /// The shipped lists, less the generic words that `labels` (a catalog's genres and tags)
    /// use as one-word labels: there they are claims.
    #[must_use]
    pub fn new<'a>(labels: impl IntoIterator<Item = &'a str>) -> Self {
        let function: HashSet<String> = list(FUNCTION_WORDS).map(str::to_string).collect();
        let one_word: HashSet<String> = labels
            .into_iter()
            .map(crate::text::fold)
            .filter(|l| !l.is_empty() && !l.contains(' '))
            .collect();
        let claims: HashSet<String> = one_word.iter().map(|l| stem(l)).collect();
        let generic = list(GENERIC)
            .filter(|w| !claims.contains(&stem(w)))
            .map(str::to_string)
            .collect();
        let mut paraphrases: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for line in PARAPHRASES.lines().filter(|l| !l.starts_with('#')) {
            let Some((word, facts)) = line.split_once(':') else {
                continue;
            };
            let targets = facts
                .split('|')
                .map(|f| f.split_whitespace().map(stem).collect::<Vec<_>>())
                .filter(|f| !f.is_empty());
            paraphrases
                .entry(stem(word.trim()))
                .or_default()
                .extend(targets);
        }
        Self {
            function,
            generic,
            common: list(COMMON).map(str::to_string).collect(),
            paraphrases,
            labels: one_word,
        }
    }

    /// Whether this folded word is one of the catalog's one-word labels ("simulation"): a
    /// claim that another word of the same stem ("Walking Simulator") does not back.
    #[must_use]
    pub fn is_label(&self, folded: &str) -> bool {
        self.labels.contains(folded)
    }

    /// A word with no claim (folded form).
    #[must_use]
    pub fn is_function(&self, folded: &str) -> bool {
        self.function.contains(folded)
    }

    /// An everyday English word (folded form).
    #[must_use]
    pub fn is_common(&self, folded: &str) -> bool {
        self.common.contains(folded)
    }

    /// A generic word (folded form, as the list writes it: "playful" is not "play", whose
    /// stem it shares).
    #[must_use]
    pub fn is_generic(&self, folded: &str) -> bool {
        self.generic.contains(folded)
    }

    /// Whether the word with this stem stands for a fact found in `facts` (stems).
    #[must_use]
    pub fn paraphrased(&self, stem: &str, facts: &HashSet<String>) -> bool {
        self.paraphrases
            .get(stem)
            .is_some_and(|ts| ts.iter().any(|t| t.iter().all(|s| facts.contains(s))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_and_stem() {
        let w = words("Co-operative PUZZLES in Pokémon");
        let stems: Vec<&str> = w.iter().map(|w| w.stem.as_str()).collect();
        assert_eq!(stems, ["co", "oper", "puzzl", "in", "pokemon"]);
        assert!(w[0].capital && w[2].capital && !w[3].capital && w[4].capital);
        assert_eq!(
            &"Co-operative PUZZLES in Pokémon"[w[4].start..w[4].end],
            "Pokémon"
        );
    }

    #[test]
    fn labels_are_claims_not_generic_words() {
        let plain = Lexicon::new([]);
        assert!(plain.is_generic("great") && plain.is_generic("fun"));
        assert!(
            !plain.is_generic("playful"),
            "a claim that shares the stem of `play`"
        );
        let steam = Lexicon::new(["Fun", "Great Soundtrack"]);
        assert!(!steam.is_generic("fun"), "a one-word label is a claim");
        assert!(steam.is_generic("great"), "part of a longer label is not");
        let facts = stems("Psychological Horror, Atmospheric");
        assert!(plain.paraphrased(&stem("scary"), &facts));
        assert!(!plain.paraphrased(&stem("funny"), &facts));
    }
}
