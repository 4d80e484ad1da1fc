//! Lexical search: BM25 over an item's title (weighted ×3), genres and tags (×1.5), creators
//! and description (×1), with typo tolerance — a query word the catalog does not contain is
//! matched to catalog words within one edit (two for words of eight letters or more), so
//! "Stardw Valey" still finds "Stardew Valley".
//!
//! Hand-written rather than tantivy: the whole index is rebuilt from the store in ~0.1 s for
//! 32k items, lives in memory beside the vectors, and needs no second on-disk copy.

use std::collections::HashMap;

use crate::catalog::Item;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Score multiplier (up to 1 + this) for the share of an item's title words the query names.
const TITLE_COVERAGE_BOOST: f32 = 0.5;
/// Words that carry no meaning for search (also never read as labels by the filters).
pub const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "like",
    "game",
    "games",
    "something",
    "some",
    "me",
    "i",
    "my",
    "is",
    "it",
    "that",
    "this",
    "want",
    "play",
    "but",
    "any",
    "good",
    "similar",
    "recommend",
    "looking",
    "please",
    "can",
    "you",
    "are",
    "by",
    "from",
];

/// Pronouns for people ("something for her", "he hates cartoons"): searched, "her" matches
/// *Her Story*. Skipped in queries only; a title made of them is still found by name
/// (anchors) and by its other words.
pub const PEOPLE_WORDS: &[&str] = &[
    "her", "him", "his", "she", "he", "hers", "we", "us", "our", "they", "them", "their",
];

/// People a request is for, when a possessive or "for" says so ("my wife hated it", "for my
/// dad"); "a game where you play as a dad" searches for dads.
const RELATIVES: &[&str] = &[
    "wife",
    "husband",
    "girlfriend",
    "boyfriend",
    "gf",
    "bf",
    "partner",
    "mom",
    "mum",
    "dad",
    "mother",
    "father",
    "son",
    "daughter",
    "nephew",
    "niece",
    "grandma",
    "grandpa",
    "roommate",
];

/// Whether `w` (after the words `before`, nearest last) says whom a request is for rather
/// than what it is about: a pronoun, or a relative within three words of a possessive or
/// "for" ("for my 8 yo daughter").
fn names_whom(before: &[String], w: &str) -> bool {
    PEOPLE_WORDS.contains(&w)
        || (RELATIVES.contains(&w)
            && before
                .iter()
                .rev()
                .take(3)
                .any(|p| matches!(p.as_str(), "my" | "our" | "your" | "his" | "her" | "for")))
}

/// Chat words that say nothing of the item asked for ("im kinda bored idk", "nvm"): no
/// terms, or they find titles that hold them (*Full Bore*, *Idk*).
const CHAT_WORDS: &[&str] = &[
    "idk", "tbh", "lol", "lmao", "kinda", "sorta", "bored", "boring", "nvm", "ok", "okay", "pls",
    "plz", "thx", "thanks", "yeah", "yes", "nah", "hmm", "um", "uh", "actually", "maybe",
    "probably", "really", "stuff", "thing", "things", "tonight", "today", "rn", "now", "only",
];

/// Split text into lowercase alphanumeric words.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// In-memory BM25 index over a catalog's items (same order as the items slice).
#[derive(Debug, Default)]
pub struct LexicalIndex {
    terms: HashMap<String, u32>,
    term_text: Vec<String>,
    postings: Vec<Vec<(u32, f32)>>,
    doc_len: Vec<f32>,
    title_terms: Vec<Vec<u32>>,
    avg_len: f32,
    by_len: Vec<Vec<u32>>,
}

impl LexicalIndex {
    /// Build from items.
    #[must_use]
    pub fn build(items: &[Item]) -> Self {
        let mut ix = Self::default();
        for (doc, item) in items.iter().enumerate() {
            let mut tf: HashMap<u32, f32> = HashMap::new();
            let mut len = 0f32;
            let mut add = |ix: &mut Self, text: &str, w: f32| {
                for word in words(text) {
                    let id = ix.term_id(word);
                    *tf.entry(id).or_default() += w;
                    len += w;
                }
            };
            add(&mut ix, &item.title, 3.0);
            let mut title: Vec<u32> = words(&item.title)
                .filter_map(|w| ix.terms.get(&w).copied())
                .collect();
            title.sort_unstable();
            title.dedup();
            ix.title_terms.push(title);
            for l in item.genres.iter().chain(item.tags.iter().take(12)) {
                add(&mut ix, l, 1.5);
            }
            for c in item.developer.iter().chain(item.publisher.iter()) {
                add(&mut ix, c, 1.0);
            }
            if let Some(d) = &item.description {
                add(&mut ix, d, 1.0);
            }
            for (id, f) in tf {
                ix.postings[id as usize].push((doc as u32, f));
            }
            ix.doc_len.push(len);
        }
        let n = ix.doc_len.len().max(1) as f32;
        ix.avg_len = (ix.doc_len.iter().sum::<f32>() / n).max(1.0);
        for (id, t) in ix.term_text.iter().enumerate() {
            let l = t.chars().count();
            if ix.by_len.len() <= l {
                ix.by_len.resize(l + 1, Vec::new());
            }
            ix.by_len[l].push(id as u32);
        }
        ix
    }

    fn term_id(&mut self, word: String) -> u32 {
        if let Some(id) = self.terms.get(&word) {
            return *id;
        }
        let id = self.term_text.len() as u32;
        self.term_text.push(word.clone());
        self.terms.insert(word, id);
        self.postings.push(Vec::new());
        id
    }

    /// Query terms with weights: exact words, or their closest catalog words when unknown.
    /// Words about whom a request is for are no terms ([`PEOPLE_WORDS`], [`names_whom`]), nor
    /// are chat words ([`CHAT_WORDS`]).
    fn query_terms(&self, query: &str) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        let mut before: Vec<String> = Vec::new();
        for w in words(query).take(64) {
            let whom = names_whom(&before, &w);
            before.push(w.clone());
            if STOPWORDS.contains(&w.as_str()) || CHAT_WORDS.contains(&w.as_str()) || whom {
                continue;
            }
            if let Some(id) = self.terms.get(&w) {
                out.push((*id, 1.0));
                continue;
            }
            for (id, d) in self.fuzzy(&w) {
                out.push((id, if d == 1 { 0.8 } else { 0.6 }));
            }
        }
        out
    }

    /// Catalog words within the allowed edit distance of `w`, closest (then most common) first.
    fn fuzzy(&self, w: &str) -> Vec<(u32, usize)> {
        let chars: Vec<char> = w.chars().collect();
        let n = chars.len();
        if !(4..=40).contains(&n) {
            return Vec::new();
        }
        let max = if n >= 8 { 2 } else { 1 };
        let mut found: Vec<(u32, usize)> = Vec::new();
        for l in n.saturating_sub(max)..=(n + max).min(self.by_len.len().saturating_sub(1)) {
            for &id in &self.by_len[l] {
                if let Some(d) = bounded_levenshtein(&chars, &self.term_text[id as usize], max) {
                    found.push((id, d));
                }
            }
        }
        found.sort_by_key(|&(id, d)| (d, std::cmp::Reverse(self.postings[id as usize].len())));
        found.truncate(3);
        found
    }

    /// BM25 scores of every document for `query` (0 where nothing matched).
    #[must_use]
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let mut scores = vec![0f32; self.doc_len.len()];
        let n = self.doc_len.len() as f32;
        let terms = self.query_terms(query);
        for &(id, qw) in &terms {
            let post = &self.postings[id as usize];
            let df = post.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(doc, tf) in post {
                let norm = K1 * (1.0 - B + B * self.doc_len[doc as usize] / self.avg_len);
                scores[doc as usize] += qw * idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        // A title the query names in full beats a longer title that merely contains it
        // ("Stardew Valley" before "Stardew Valley Soundtrack").
        for (doc, s) in scores.iter_mut().enumerate() {
            let title = &self.title_terms[doc];
            if *s > 0.0 && !title.is_empty() {
                let hit = title
                    .iter()
                    .filter(|t| terms.iter().any(|(q, _)| q == *t))
                    .count();
                *s *= 1.0 + TITLE_COVERAGE_BOOST * hit as f32 / title.len() as f32;
            }
        }
        scores
    }

    /// Whether `word` (lowercase) occurs in the catalog.
    #[must_use]
    pub fn knows(&self, word: &str) -> bool {
        self.terms.contains_key(word)
    }

    /// How many items contain `word` (lowercase).
    #[must_use]
    pub fn doc_freq(&self, word: &str) -> usize {
        self.terms
            .get(word)
            .map_or(0, |&id| self.postings[id as usize].len())
    }

    /// Number of distinct words indexed.
    #[must_use]
    pub fn vocabulary_size(&self) -> usize {
        self.term_text.len()
    }
}

/// Levenshtein distance between `a` and `b` if it is at most `max`.
#[must_use]
pub fn bounded_levenshtein(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str, tags: &[&str]) -> Item {
        Item {
            id: id.into(),
            title: title.into(),
            tags: tags.iter().map(|s| (*s).to_string()).collect(),
            ..Item::default()
        }
    }

    #[test]
    fn whom_a_request_is_for_is_not_searched() {
        let items = vec![
            item("1", "Her Story", &["Mystery"]),
            item("2", "Dad Quest", &["Comedy"]),
        ];
        let ix = LexicalIndex::build(&items);
        assert!(ix.scores("something for her").iter().all(|s| *s == 0.0));
        assert!(ix.scores("something for my dad").iter().all(|s| *s == 0.0));
        assert!(ix.scores("a game where you play as a dad")[1] > 0.0);
    }

    #[test]
    fn finds_misspelled_titles() {
        let items = vec![
            item("1", "Stardew Valley", &["Farming"]),
            item("2", "Valley of the Dead", &["Zombies"]),
            item("3", "Portal 2", &["Puzzle", "Co-op"]),
        ];
        let ix = LexicalIndex::build(&items);
        let s = ix.scores("Stardw Valey");
        let best = s
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        assert_eq!(best, Some(0));
        let with_addon = vec![
            item("1", "Stardew Valley Soundtrack", &[]),
            item(
                "2",
                "Stardew Valley",
                &["Farming", "RPG", "Pixel Graphics", "Relaxing"],
            ),
        ];
        let s = LexicalIndex::build(&with_addon).scores("stardew valley");
        assert!(s[1] > s[0], "the full title beats the add-on: {s:?}");
        let s = ix.scores("co-op puzzle");
        assert!(s[2] > s[0] && s[2] > s[1]);
        assert!(ix.scores("").iter().all(|x| *x == 0.0));
    }

    #[test]
    fn levenshtein() {
        let a: Vec<char> = "kitten".chars().collect();
        assert_eq!(bounded_levenshtein(&a, "sitting", 3), Some(3));
        assert_eq!(bounded_levenshtein(&a, "sitting", 2), None);
        assert_eq!(bounded_levenshtein(&a, "kitten", 0), Some(0));
    }
}
