//! Counting: interactions (item ids) in; per-item popularity and sparse co-occurrence rows
//! out, plus the popularity-normalised item-kNN scores derived from them and the RP3β
//! random-walk scores.

use std::collections::HashMap;

use super::super::Retriever;
use crate::catalog::interactions::Interaction;

/// Items further apart than this in one interaction's order do not count as a pair (a long
/// user history would otherwise make every pair of its items related).
pub const WINDOW: usize = 50;

/// The catalog indices of each interaction's items, in order, each once.
pub fn index_sets(r: &Retriever, interactions: &[Interaction]) -> Vec<Vec<u32>> {
    interactions
        .iter()
        .map(|it| {
            let mut v: Vec<u32> = Vec::with_capacity(it.items.len());
            for id in &it.items {
                if let Some(i) = r.index_of(id) {
                    let i = i as u32;
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
            v
        })
        .collect()
}

/// Popularity (interactions holding each item) and co-occurrence rows (best first).
pub fn cooccurrence(n: usize, sets: &[Vec<u32>]) -> (Vec<f32>, Vec<Vec<(u32, f32)>>) {
    let mut pop = vec![0f32; n];
    let mut rows: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for s in sets {
        for (a, &i) in s.iter().enumerate() {
            pop[i as usize] += 1.0;
            for &j in &s[a + 1..s.len().min(a + 1 + WINDOW)] {
                *rows[i as usize].entry(j).or_default() += 1.0;
                *rows[j as usize].entry(i).or_default() += 1.0;
            }
        }
    }
    let rows = rows.into_iter().map(sorted).collect();
    (pop, rows)
}

/// `cooc(a, b) / (pop(a)^(1-alpha) · pop(b)^alpha)`, best first.
pub fn knn(pop: &[f32], cooc: &[Vec<(u32, f32)>], alpha: f32) -> Vec<Vec<(u32, f32)>> {
    cooc.iter()
        .enumerate()
        .map(|(a, row)| {
            let pa = pop[a].max(1.0).powf(1.0 - alpha);
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .map(|&(b, c)| (b, c / (pa * pop[b as usize].max(1.0).powf(alpha))))
                .collect();
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            v
        })
        .collect()
}

/// RP3β rows: `Σ_u (1/pop(a))^alpha · (1/|u|)^alpha / pop(b)^beta` over the interactions `u`
/// holding both items (within [`WINDOW`] of each other, as for co-occurrence), best first.
pub fn rp3(
    n: usize,
    sets: &[Vec<u32>],
    pop: &[f32],
    alpha: f32,
    beta: f32,
) -> Vec<Vec<(u32, f32)>> {
    let mut rows: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for s in sets.iter().filter(|s| s.len() > 1) {
        // Leaving the interaction for one of its items (returning to the seed is not counted).
        let step = (1.0 / s.len() as f32).powf(alpha);
        for (a, &i) in s.iter().enumerate() {
            for &j in &s[a + 1..s.len().min(a + 1 + WINDOW)] {
                *rows[i as usize].entry(j).or_default() += step;
                *rows[j as usize].entry(i).or_default() += step;
            }
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(a, row)| {
            let from = (1.0 / pop[a].max(1.0)).powf(alpha);
            sorted(
                row.into_iter()
                    .map(|(b, x)| (b, from * x / pop[b as usize].max(1.0).powf(beta)))
                    .collect(),
            )
        })
        .collect()
}

fn sorted(m: HashMap<u32, f32>) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = m.into_iter().collect();
    v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_normalisation() {
        let sets = vec![vec![0, 1], vec![0, 1, 2], vec![0, 3]];
        let (pop, rows) = cooccurrence(4, &sets);
        assert_eq!(pop, [3.0, 2.0, 1.0, 1.0]);
        assert_eq!(rows[0][0], (1, 2.0));
        assert_eq!(rows[2].len(), 2);
        let k = knn(&pop, &rows, 0.5);
        // cosine: 2 / sqrt(3 * 2)
        assert!((k[0][0].1 - 2.0 / 6f32.sqrt()).abs() < 1e-6);
        let raw = knn(&pop, &rows, 0.0);
        assert!((raw[1][0].1 - 1.0).abs() < 1e-6, "{:?}", raw[1]);
    }

    #[test]
    fn random_walk_probabilities() {
        let sets = vec![vec![0, 1], vec![0, 1, 2], vec![0, 3]];
        let (pop, _) = cooccurrence(4, &sets);
        let p = rp3(4, &sets, &pop, 1.0, 0.0);
        // From 0 (in 3 interactions): to 1 via {0,1} (1/3 · 1/2) and {0,1,2} (1/3 · 1/3),
        // to 3 via {0,3} (1/3 · 1/2), to 2 via {0,1,2} (1/3 · 1/3).
        let want = [(1, 5.0 / 18.0), (3, 1.0 / 6.0), (2, 1.0 / 9.0)];
        assert_eq!(p[0].len(), 3);
        for ((i, x), (j, y)) in p[0].iter().zip(want) {
            assert_eq!(*i, j);
            assert!((x - y).abs() < 1e-6, "{:?}", p[0]);
        }
        // beta punishes popular targets: from 2, item 0 (pop 3) falls below item 1 (pop 2).
        let b = rp3(4, &sets, &pop, 1.0, 1.0);
        assert_eq!(b[2][0].0, 1, "{:?}", b[2]);
    }
}
