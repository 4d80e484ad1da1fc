//! Anchored ranking: the query vector pulled towards the named items' vectors ([`blend`]) and
//! items ranked by the labels they share with them ([`label_overlap`]).

use super::{Retriever, CUES};
use crate::retrieve::{lexical::STOPWORDS, search::mix};

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
    let content = crate::retrieve::lexical::words(text)
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
    crate::retrieve::dense::top_k(&scores, k, |i| keep(i) && scores[i] > 0.0)
}
