//! Features of a turn for the intent head, all from the shared frozen embedding backbone and
//! the active catalog:
//!
//! | block | size | what |
//! |---|---:|---|
//! | text | 384 | embedding of the row's text (row 0 reuses the embedding retrieval computes) |
//! | context | 384 | embedding of the system turn before it |
//! | words | 512 | hashed word unigrams and bigrams of the row's text, L2-normalised |
//! | flags | 8 | cards on screen, first turn, no system turn, system asked a question, several segments, whole turn, length |
//! | retrieval | 12 | names an item (segment, turn), how many, closeness of the retrieved items, labels named, filters, negation, card reference, top-vs-mean closeness, named items the system turn also named (a reaction) and new ones |
//! | fragments | 384 | mean embedding of the top items the turn retrieves (their titles and tags) |
//!
//! Without augmentation (the ablation), the retrieval and
//! fragments blocks are zero. A turn is split into segments (sentences, and the "..." that
//! joins messages); the whole turn is row 0 and each segment a further row (at most
//! [`MAX_ROWS`]); the head max-pools its outputs over the rows.

use super::refs::card_refs;
use crate::{
    embed::Embedder,
    retrieve::{anchor, lexical, Retriever},
    rng::hash_str,
    Result,
};

/// Embedding dimension of the backbone.
pub const DIM: usize = 384;
/// Hashed word features.
pub const WORDS: usize = 512;
const FLAGS: usize = 8;
const RETRIEVAL: usize = 12;
/// Rows per turn: the whole turn and up to four segments.
pub const MAX_ROWS: usize = 5;
/// Items retrieved for augmentation.
const TOP: usize = 5;

/// Which features to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeatureSpec {
    /// Retrieval augmentation on (retrieval and fragments blocks filled).
    pub augmentation: bool,
}

impl FeatureSpec {
    /// Length of one row.
    #[must_use]
    pub fn width(self) -> usize {
        DIM + DIM + WORDS + FLAGS + RETRIEVAL + DIM
    }
}

/// A turn in its context.
#[derive(Debug, Clone, Copy)]
pub struct TurnContext<'a> {
    /// What the user wrote.
    pub text: &'a str,
    /// The system turn before it ("" if none).
    pub prev: &'a str,
    /// Whether cards were on screen.
    pub cards: bool,
    /// User turns before this one.
    pub position: usize,
}

/// What retrieval says about a turn.
#[derive(Debug, Clone, Default)]
pub struct Augmentation {
    /// Byte spans of catalog items the turn names.
    pub named: Vec<(usize, usize)>,
    /// The text of each named span.
    pub named_texts: Vec<String>,
    /// Dense similarity of the top retrieved items.
    pub sims: Vec<f32>,
    /// Mean vector of the top retrieved items.
    pub fragments: Vec<f32>,
    /// Catalog labels the text names.
    pub labels: usize,
    /// Price or year filters understood.
    pub filters: bool,
    /// Negated labels understood.
    pub negation: bool,
    /// Named items that the system turn before also named (a reaction to a recommendation).
    pub discussed: usize,
}

/// Retrieval augmentation for `text` from `catalog`, reusing `query` (the text's embedding).
pub fn augment(catalog: &Retriever, text: &str, prev: &str, query: &[f32]) -> Augmentation {
    let found = anchor::named_items(catalog, text);
    let in_prev: Vec<usize> = if prev.trim().is_empty() {
        Vec::new()
    } else {
        anchor::named_items(catalog, prev)
            .into_iter()
            .map(|n| n.index)
            .collect()
    };
    let discussed = found.iter().filter(|n| in_prev.contains(&n.index)).count();
    let named: Vec<(usize, usize)> = found.iter().map(|n| (n.start, n.end)).collect();
    let named_texts = found
        .iter()
        .map(|n| text[n.start..n.end].to_string())
        .collect();
    let mut aug = Augmentation {
        named,
        named_texts,
        discussed,
        ..Augmentation::default()
    };
    if let Ok(parsed) = catalog.parse(text) {
        let f = &parsed.filters;
        aug.labels = f.labels.len() + f.not_labels.len();
        aug.filters = f.price_max.is_some()
            || f.price_min.is_some()
            || f.free
            || f.year_min.is_some()
            || f.year_max.is_some();
        aug.negation = !f.not_labels.is_empty();
    }
    if catalog.has_vectors() && query.len() == DIM {
        let top = catalog.nearest(query, TOP);
        let mut mean = vec![0f32; DIM];
        for &(i, s) in &top {
            aug.sims.push(s);
            if let Some(v) = catalog.vector(i) {
                for (m, x) in mean.iter_mut().zip(v) {
                    *m += x / top.len() as f32;
                }
            }
        }
        aug.fragments = mean;
    }
    aug
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "jr.", "sr.", "no.", "e.g.", "i.e.", "etc.",
];

/// Split a turn into segments: at "..." (the way chat messages are joined), at sentence ends
/// followed by a space, and at line breaks — but not after an abbreviation such as "Mr.".
#[must_use]
pub fn segments(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        cur.push(c);
        let mut end = false;
        if matches!(c, '.' | '!' | '?' | '\n' | '…') {
            while i + 1 < chars.len() && matches!(chars[i + 1], '.' | '!' | '?' | '…') {
                i += 1;
                cur.push(chars[i]);
            }
            let last_word = cur.split_whitespace().last().unwrap_or("").to_lowercase();
            let ellipsis = cur.ends_with("..") || cur.ends_with('…');
            let next_ok = chars
                .get(i + 1)
                .is_none_or(|n| n.is_whitespace() || ellipsis || c == '\n');
            end = next_ok && (ellipsis || !ABBREVIATIONS.contains(&last_word.as_str()));
        }
        if end {
            push_segment(&mut parts, &mut cur);
        }
        i += 1;
    }
    push_segment(&mut parts, &mut cur);
    parts
}

fn push_segment(parts: &mut Vec<String>, cur: &mut String) {
    let s = cur.trim().to_string();
    cur.clear();
    if s.chars().any(char::is_alphanumeric) {
        parts.push(s);
    } else if let Some(last) = parts.last_mut() {
        last.push_str(&s);
    }
}

/// Hashed unigrams and bigrams of `text`, L2-normalised.
fn word_features(text: &str) -> Vec<f32> {
    let mut v = vec![0f32; WORDS];
    let ws: Vec<String> = lexical::words(text).collect();
    for (i, w) in ws.iter().enumerate() {
        v[(hash_str(w, 1) % WORDS as u64) as usize] += 1.0;
        if let Some(n) = ws.get(i + 1) {
            v[(hash_str(&format!("{w} {n}"), 2) % WORDS as u64) as usize] += 1.0;
        }
    }
    crate::embed::normalize(&mut v);
    v
}

/// The texts a turn's rows embed: the whole turn first (its embedding is the one retrieval
/// computes anyway), then its segments when there are several (at most [`MAX_ROWS`] rows).
#[must_use]
pub fn row_texts(spec: FeatureSpec, text: &str, aug: &Augmentation) -> Vec<String> {
    let _ = (spec, aug);
    let mut rows = vec![text.to_string()];
    let segs = segments(text);
    if segs.len() > 1 {
        rows.extend(segs.into_iter().take(MAX_ROWS - 1));
    }
    rows
}

/// Assemble the feature rows of a turn from its row embeddings (`row_vecs`, one per entry of
/// [`row_texts`]) and the embedding of the system turn before it (`prev_vec`, zeros if none).
#[must_use]
pub fn rows(
    spec: FeatureSpec,
    ctx: &TurnContext<'_>,
    aug: &Augmentation,
    texts: &[String],
    row_vecs: &[Vec<f32>],
    prev_vec: &[f32],
) -> Vec<Vec<f32>> {
    let prev_q = ctx.prev.contains('?');
    let whole_names = !aug.named.is_empty();
    texts
        .iter()
        .zip(row_vecs)
        .enumerate()
        .map(|(r, (t, v))| {
            let mut row = Vec::with_capacity(spec.width());
            row.extend_from_slice(v);
            row.resize(DIM, 0.0);
            row.extend(
                prev_vec
                    .iter()
                    .copied()
                    .chain(std::iter::repeat(0.0))
                    .take(DIM),
            );
            row.extend(word_features(t));
            let n_words = t.split_whitespace().count() as f32;
            row.extend([
                f32::from(u8::from(ctx.cards)),
                f32::from(u8::from(ctx.position == 0)),
                f32::from(u8::from(ctx.prev.trim().is_empty())),
                f32::from(u8::from(prev_q)),
                f32::from(u8::from(texts.len() > 1)),
                f32::from(u8::from(r == 0)),
                (n_words / 20.0).min(2.0),
                f32::from(u8::from(n_words <= 3.0)),
            ]);
            if spec.augmentation {
                let seg_names = aug.named_texts.iter().any(|n| t.contains(n.as_str()));
                let top1 = aug.sims.first().copied().unwrap_or(0.0);
                let mean = if aug.sims.is_empty() {
                    0.0
                } else {
                    aug.sims.iter().sum::<f32>() / aug.sims.len() as f32
                };
                row.extend([
                    f32::from(u8::from(seg_names)),
                    f32::from(u8::from(whole_names)),
                    (aug.named.len() as f32 / 3.0).min(1.0),
                    top1,
                    mean,
                    (aug.labels as f32 / 3.0).min(1.0),
                    f32::from(u8::from(aug.filters)),
                    f32::from(u8::from(aug.negation)),
                    f32::from(u8::from(card_refs(t).is_some())),
                    top1 - mean,
                    (aug.discussed as f32 / 2.0).min(1.0),
                    ((aug.named.len() - aug.discussed.min(aug.named.len())) as f32 / 2.0).min(1.0),
                ]);
                row.extend(
                    aug.fragments
                        .iter()
                        .copied()
                        .chain(std::iter::repeat(0.0))
                        .take(DIM),
                );
            } else {
                row.extend(std::iter::repeat_n(0.0, RETRIEVAL + DIM));
            }
            row
        })
        .collect()
}

/// Feature rows of one turn, computing every embedding it needs. `query` is the turn's
/// embedding if the caller already has it (retrieval does), `prev_vec` the system turn's.
pub fn featurize(
    spec: FeatureSpec,
    embedder: &dyn Embedder,
    catalog: Option<&Retriever>,
    ctx: &TurnContext<'_>,
    query: Option<&[f32]>,
    prev_vec: Option<&[f32]>,
) -> Result<Vec<Vec<f32>>> {
    let query = match query {
        Some(q) => q.to_vec(),
        None => embedder.embed_one(ctx.text)?,
    };
    let aug = match catalog {
        Some(c) if spec.augmentation => augment(c, ctx.text, ctx.prev, &query),
        _ => Augmentation::default(),
    };
    let texts = row_texts(spec, ctx.text, &aug);
    let mut to_embed: Vec<&str> = Vec::new();
    let reuse_first = texts[0] == ctx.text;
    for (i, t) in texts.iter().enumerate() {
        if !(i == 0 && reuse_first) {
            to_embed.push(t);
        }
    }
    let prev_owned;
    let prev_vec = match prev_vec {
        Some(p) => p,
        None if ctx.prev.trim().is_empty() => &[][..],
        None => {
            prev_owned = embedder.embed_one(ctx.prev)?;
            &prev_owned[..]
        }
    };
    let mut embedded = embed_side_by_side(embedder, &to_embed)?.into_iter();
    let mut vecs = Vec::with_capacity(texts.len());
    for i in 0..texts.len() {
        if i == 0 && reuse_first {
            vecs.push(query.clone());
        } else {
            vecs.push(embedded.next().unwrap_or_default());
        }
    }
    Ok(rows(spec, ctx, &aug, &texts, &vecs, prev_vec))
}

/// Embed short texts one per session, side by side (a turn's segments), in input order.
fn embed_side_by_side(embedder: &dyn Embedder, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
    let workers = embedder.parallelism().clamp(1, texts.len().max(1));
    crate::embed::embed_batches(embedder, texts, texts.len().div_ceil(workers), &|_| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_turns_into_segments() {
        assert_eq!(
            segments("Hi...I have seen it and enjoyed it...One of my favorites is Heat. Thanks!"),
            [
                "Hi...",
                "I have seen it and enjoyed it...",
                "One of my favorites is Heat.",
                "Thanks!"
            ]
        );
        assert_eq!(segments("cheaper"), ["cheaper"]);
        assert_eq!(segments("Mr. Bean is great"), ["Mr. Bean is great"]);
        assert!(segments("   ").is_empty());
    }
}
