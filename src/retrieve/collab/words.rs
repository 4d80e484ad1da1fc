//! Item descriptions learned from dialogues: the words people use around an item's mentions.
//!
//! In: dialogues (utterances with `@id` mentions). Each first mention of an item is an event
//! whose words are those of the seeker's utterances in the [`CONTEXT`] turns before it (what
//! was asked for) plus, at half weight, the words of the utterance that mentions it (how it
//! was described). Out: for each word, the items it is positively associated with by
//! smoothed pointwise mutual information, `ln((c(w,i) + α) / (E(w,i) + α))` with
//! `E = n(w)·n(i)/N` — so "scary" points to the horror films people asked for with that word
//! and not merely to the most mentioned films. [`WordModel::scores`] sums them over a
//! person's words; [`WordModel::descriptions`] lists each item's most telling words.

use std::collections::HashMap;

use super::super::{lexical, Retriever};
use crate::{catalog::interactions::Interaction, text::fold};

/// Seeker utterances before a mention whose words describe it.
pub const CONTEXT: usize = 3;
/// Smoothing of the association (pseudo-count).
const ALPHA: f32 = 3.0;
/// Items kept per word.
const PER_WORD: usize = 300;
/// Words kept per learned description.
const DESCRIPTION_WORDS: usize = 8;

/// Words that say nothing about what someone wants (conversation filler, kept as data).
pub const STOPWORDS: &str = include_str!("stopwords.txt");

fn stopwords() -> &'static std::collections::HashSet<&'static str> {
    static S: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    S.get_or_init(|| {
        STOPWORDS
            .split_whitespace()
            .chain(lexical::STOPWORDS.iter().copied())
            .collect()
    })
}

/// The content words of a text, folded, `@id` mentions and stopwords dropped, each once.
#[must_use]
pub fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.split_whitespace().filter(|w| !w.starts_with('@')) {
        for w in lexical::words(&fold(raw)) {
            if w.len() > 1 && !stopwords().contains(w.as_str()) && !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// Word → item associations.
#[derive(Debug, Clone, Default)]
pub struct WordModel {
    words: HashMap<String, Vec<(u32, f32)>>,
    /// Per item: (word, count, association) of its strongest words.
    evidence: HashMap<u32, Vec<(String, f32, f32)>>,
}

impl WordModel {
    /// Learn from the dialogues among `interactions` (others have no words).
    #[must_use]
    pub fn train(r: &Retriever, interactions: &[Interaction]) -> Self {
        let mut c: HashMap<String, HashMap<u32, f32>> = HashMap::new();
        let mut n_item: HashMap<u32, f32> = HashMap::new();
        let mut n_word: HashMap<String, f32> = HashMap::new();
        let mut total = 0f32;
        for it in interactions.iter().filter(|i| !i.turns.is_empty()) {
            let words: Vec<Vec<String>> = it.turns.iter().map(|t| content_words(&t.text)).collect();
            let mut seen = std::collections::HashSet::new();
            for (j, t) in it.turns.iter().enumerate() {
                for id in &t.items {
                    let Some(i) = r.index_of(id) else { continue };
                    if !seen.insert(i) {
                        continue;
                    }
                    let mut bag: HashMap<&str, f32> = HashMap::new();
                    let from = j.saturating_sub(CONTEXT);
                    for (u, ws) in it.turns[from..j].iter().zip(&words[from..j]) {
                        if u.seeker {
                            for w in ws {
                                bag.insert(w, 1.0);
                            }
                        }
                    }
                    for w in &words[j] {
                        let x = bag.entry(w).or_insert(0.0);
                        *x = x.max(0.5);
                    }
                    for (w, x) in bag {
                        *c.entry(w.to_string())
                            .or_default()
                            .entry(i as u32)
                            .or_default() += x;
                        *n_word.entry(w.to_string()).or_default() += x;
                    }
                    *n_item.entry(i as u32).or_default() += 1.0;
                    total += 1.0;
                }
            }
        }
        let mut words = HashMap::new();
        let mut evidence: HashMap<u32, Vec<(String, f32, f32)>> = HashMap::new();
        for (w, row) in c {
            let nw = n_word[&w];
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .map(|(&i, &x)| {
                    let e = nw * n_item[&i] / total;
                    (i, ((x + ALPHA) / (e + ALPHA)).ln())
                })
                .filter(|&(_, s)| s > 0.0)
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(PER_WORD);
            for &(i, s) in &v {
                if row[&i] >= 2.0 {
                    evidence.entry(i).or_default().push((w.clone(), row[&i], s));
                }
            }
            if !v.is_empty() {
                words.insert(w, v);
            }
        }
        Self { words, evidence }
    }

    /// Words with associations.
    #[must_use]
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether nothing was learned.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Per-item scores (`n` items) for weighted texts: each distinct word counts once, with
    /// the largest weight of a text it appears in.
    #[must_use]
    pub fn scores(&self, n: usize, texts: &[(&str, f32)]) -> Vec<f32> {
        let mut q: HashMap<String, f32> = HashMap::new();
        for &(t, w) in texts {
            for word in content_words(t) {
                let x = q.entry(word).or_insert(0.0);
                *x = x.max(w);
            }
        }
        let mut s = vec![0f32; n];
        for (word, w) in q {
            for &(i, a) in self.words.get(&word).map_or(&[][..], Vec::as_slice) {
                if let Some(x) = s.get_mut(i as usize) {
                    *x += w * a;
                }
            }
        }
        s
    }

    /// Each item's most telling words (seen at least twice), strongest first, comma-separated.
    #[must_use]
    pub fn descriptions(&self, n: usize) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = self
            .evidence
            .iter()
            .filter(|(i, _)| (**i as usize) < n)
            .map(|(&i, ws)| {
                let mut ws = ws.clone();
                ws.sort_by(|a, b| (b.1 * b.2).total_cmp(&(a.1 * a.2)).then(a.0.cmp(&b.0)));
                let text = ws
                    .iter()
                    .take(DESCRIPTION_WORDS)
                    .map(|w| w.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                (i as usize, text)
            })
            .collect();
        out.sort_by_key(|x| x.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_filtered() {
        assert_eq!(
            content_words("I really LOVED @123 — scary, Scary movies!"),
            ["scary"]
        );
    }
}
