//! Exact dense search: cosine similarity of a unit query vector against every unit item
//! vector (a dot product), split across the machine's cores, then a top-k selection.
//! The inner loop keeps eight independent accumulators so the compiler emits AVX2/FMA code.

use crate::store::VectorSet;

/// Dot product of two equal-length slices.
#[must_use]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] = x[k].mul_add(y[k], acc[k]);
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Rows below which one thread is faster than spawning more.
const PARALLEL_MIN_ROWS: usize = 4096;

/// Similarity of `query` to every row of `set`.
#[must_use]
pub fn scores(set: &VectorSet, query: &[f32]) -> Vec<f32> {
    let n = set.len();
    let mut out = vec![0f32; n];
    if n == 0 || query.len() != set.dim {
        return out;
    }
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    if threads == 1 || n < PARALLEL_MIN_ROWS {
        fill(set, query, 0, &mut out);
        return out;
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|s| {
        for (t, part) in out.chunks_mut(chunk).enumerate() {
            s.spawn(move || fill(set, query, t * chunk, part));
        }
    });
    out
}

fn fill(set: &VectorSet, query: &[f32], first: usize, out: &mut [f32]) {
    let dim = set.dim;
    let rows = &set.data[first * dim..(first + out.len()) * dim];
    for (o, row) in out.iter_mut().zip(rows.chunks_exact(dim)) {
        *o = dot(row, query);
    }
}

/// The `k` best (index, score) pairs among indices that `keep` admits, best first.
#[must_use]
pub fn top_k(scores: &[f32], k: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
    let mut cand: Vec<(usize, f32)> = scores
        .iter()
        .enumerate()
        .filter(|(i, s)| s.is_finite() && keep(*i))
        .map(|(i, s)| (i, *s))
        .collect();
    if k == 0 {
        return Vec::new();
    }
    if cand.len() > k {
        cand.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        cand.truncate(k);
    }
    cand.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    cand
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
    fn parallel_scores_equal_serial() {
        let dim = 16;
        let n = 5000;
        let data: Vec<f32> = (0..n * dim).map(|i| ((i * 7919) % 1000) as f32 / 1000.0).collect();
        let set = VectorSet { ids: (0..n).map(|i| i.to_string()).collect(), dim, data };
        let q: Vec<f32> = (0..dim).map(|i| i as f32).collect();
        let s = scores(&set, &q);
        for i in [0, 1, 2500, 4999] {
            assert!((s[i] - dot(set.row(i), &q)).abs() < 1e-3);
        }
    }
}
