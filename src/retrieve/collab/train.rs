//! Counting: interactions (item ids) in; per-item popularity and sparse co-occurrence rows
//! out, plus the popularity-normalised item-kNN scores derived from them.

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
}
