//! Exact dense search: cosine similarity of a unit query vector against every unit item
//! vector (a dot product), split across the cores on rayon's pool, then a top-k selection.
//! The inner loop keeps eight independent accumulators so the compiler emits AVX2/FMA code.

use rayon::prelude::*;

use crate::store::VectorSet;

/// Dot product of two equal-length slices. Four independent 8-lane accumulators (32 lanes)
/// hide the FMA latency; with AVX2/FMA enabled this compiles to four `vfmadd` chains.
#[must_use]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 32];
    let ca = a.chunks_exact(32);
    let cb = b.chunks_exact(32);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..32 {
            acc[k] = x[k].mul_add(y[k], acc[k]);
        }
    }
    let mut lanes = [0f32; 8];
    for (k, v) in acc.iter().enumerate() {
        lanes[k % 8] += v;
    }
    lanes.iter().sum::<f32>() + tail
}

/// Rows below which one thread is faster than spawning more.
const PARALLEL_MIN_ROWS: usize = 4096;

/// The best `k` rows of `set` for `query` among those `keep` admits, best first: one pass per
/// core that scores each row and keeps a small sorted buffer, then a merge. No per-row
/// allocation and no full score vector.
#[must_use]
pub fn search(
    set: &VectorSet,
    query: &[f32],
    k: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<(usize, f32)> {
    let n = set.len();
    if n == 0 || k == 0 || query.len() != set.dim {
        return Vec::new();
    }
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if threads == 1 || n < PARALLEL_MIN_ROWS {
        return scan(set, query, 0, n, k, keep).into_sorted();
    }
    // rayon's pool threads persist, so a query pays no thread start-up.
    let chunk = n.div_ceil(threads);
    let parts: Vec<TopK> = (0..threads)
        .into_par_iter()
        .map(|t| scan(set, query, t * chunk, ((t + 1) * chunk).min(n), k, keep))
        .collect();
    let mut all = TopK::new(k);
    for p in parts {
        for (i, s) in p.items {
            all.offer(i, s);
        }
    }
    all.into_sorted()
}

fn scan(
    set: &VectorSet,
    query: &[f32],
    lo: usize,
    hi: usize,
    k: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> TopK {
    let dim = set.dim;
    let mut top = TopK::new(k);
    let rows = &set.data[lo * dim..hi * dim];
    // Two rows at a time: two independent dot products in flight.
    let mut pairs = rows.chunks_exact(2 * dim);
    let mut i = lo;
    for pair in pairs.by_ref() {
        let (a, b) = pair.split_at(dim);
        let (sa, sb) = (dot(a, query), dot(b, query));
        for (j, s) in [(i, sa), (i + 1, sb)] {
            if s > top.threshold() && keep(j) {
                top.offer(j, s);
            }
        }
        i += 2;
    }
    if let Some(row) = pairs.remainder().get(..dim) {
        let s = dot(row, query);
        if s > top.threshold() && keep(i) {
            top.offer(i, s);
        }
    }
    top
}

/// The best `k` (index, score) pairs seen so far, kept sorted best first.
#[derive(Debug)]
struct TopK {
    k: usize,
    items: Vec<(usize, f32)>,
}

impl TopK {
    fn new(k: usize) -> Self {
        Self {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    /// Scores at or below this cannot enter.
    fn threshold(&self) -> f32 {
        if self.items.len() < self.k {
            f32::NEG_INFINITY
        } else {
            self.items[self.k - 1].1
        }
    }

    fn offer(&mut self, i: usize, s: f32) {
        if !s.is_finite() || s <= self.threshold() {
            return;
        }
        let pos = self
            .items
            .partition_point(|&(j, x)| x > s || (x == s && j < i));
        self.items.insert(pos, (i, s));
        self.items.truncate(self.k);
    }

    fn into_sorted(self) -> Vec<(usize, f32)> {
        self.items
    }
}

/// Similarity of `query` to every row of `set` (for callers that need all scores).
#[must_use]
pub fn scores(set: &VectorSet, query: &[f32]) -> Vec<f32> {
    if query.len() != set.dim {
        return vec![0.0; set.len()];
    }
    set.data
        .chunks_exact(set.dim.max(1))
        .map(|row| dot(row, query))
        .collect()
}

/// The `k` best (index, score) pairs among indices that `keep` admits, best first.
#[must_use]
pub fn top_k(scores: &[f32], k: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
    let mut top = TopK::new(k);
    if k == 0 {
        return Vec::new();
    }
    for (i, &s) in scores.iter().enumerate() {
        if s > top.threshold() && keep(i) {
            top.offer(i, s);
        }
    }
    top.into_sorted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.1).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.05).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-4);
    }

    #[test]
    fn top_k_orders_and_filters() {
        let s = [0.1, 0.9, 0.5, 0.7, f32::NAN];
        assert_eq!(top_k(&s, 2, |_| true), vec![(1, 0.9), (3, 0.7)]);
        assert_eq!(top_k(&s, 2, |i| i != 1), vec![(3, 0.7), (2, 0.5)]);
        assert_eq!(top_k(&s, 10, |_| true).len(), 4);
    }

    #[test]
    fn parallel_search_equals_full_sort() {
        let dim = 16;
        let n = 5000;
        let data: Vec<f32> = (0..n * dim)
            .map(|i| ((i * 7919) % 1000) as f32 / 1000.0)
            .collect();
        let set = VectorSet {
            ids: (0..n).map(|i| i.to_string()).collect(),
            dim,
            data,
        };
        let q: Vec<f32> = (0..dim).map(|i| (i as f32).sin()).collect();
        let all = scores(&set, &q);
        let mut want: Vec<(usize, f32)> = all
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .collect();
        want.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        want.truncate(25);
        let got = search(&set, &q, 25, &|i| i % 3 != 0);
        assert_eq!(
            got.iter().map(|x| x.0).collect::<Vec<_>>(),
            want.iter().map(|x| x.0).collect::<Vec<_>>()
        );
    }
}
