//! EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the
//! item-item weight matrix `B = I − P·diag(1/diag(P))` with `P = (XᵀX + λI)⁻¹`, whose
//! diagonal is zero. In: popularity and co-occurrence rows (`XᵀX` in sparse form). Out:
//! per-item rows of positive weights, best first.
//!
//! Only items that occur in the interactions take part (the others have no evidence), and at
//! most [`MAX_ITEMS`] of the most popular, so that the dense inverse (Cholesky, nalgebra)
//! stays within seconds.

use nalgebra::DMatrix;

use crate::{Error, Result};

/// Most items in the dense Gram matrix.
pub const MAX_ITEMS: usize = 4000;

/// Train EASE rows over a catalog of `pop.len()` items.
pub fn train(pop: &[f32], cooc: &[Vec<(u32, f32)>], lambda: f32) -> Result<Vec<Vec<(u32, f32)>>> {
    let mut active: Vec<usize> = (0..pop.len()).filter(|&i| pop[i] > 0.0).collect();
    active.sort_by(|&a, &b| pop[b].total_cmp(&pop[a]).then(a.cmp(&b)));
    active.truncate(MAX_ITEMS);
    active.sort_unstable();
    let mut pos = vec![usize::MAX; pop.len()];
    for (k, &i) in active.iter().enumerate() {
        pos[i] = k;
    }
    let m = active.len();
    let mut g = DMatrix::<f64>::zeros(m, m);
    for (k, &i) in active.iter().enumerate() {
        g[(k, k)] = f64::from(pop[i]) + f64::from(lambda);
        for &(j, c) in &cooc[i] {
            let l = pos[j as usize];
            if l != usize::MAX {
                g[(k, l)] = f64::from(c);
            }
        }
    }
    let p = g
        .cholesky()
        .ok_or_else(|| Error::Retrieve("EASE: the Gram matrix is not positive definite".into()))?
        .inverse();
    let mut rows = vec![Vec::new(); pop.len()];
    for (k, &i) in active.iter().enumerate() {
        let mut row: Vec<(u32, f32)> = (0..m)
            .filter(|&l| l != k)
            .map(|l| (active[l] as u32, (-p[(k, l)] / p[(l, l)]) as f32))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        row.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        row.truncate(super::NEIGHBOURS);
        rows[i] = row;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_that_go_together_get_weight() {
        // 0 and 1 always together; 2 alone; 3 never occurs.
        let sets = vec![vec![0, 1], vec![0, 1], vec![0, 1], vec![2]];
        let (pop, cooc) = super::super::train::cooccurrence(4, &sets);
        let rows = train(&pop, &cooc, 1.0).expect("ease");
        assert_eq!(rows[0].first().map(|x| x.0), Some(1));
        assert!(rows[0].iter().all(|&(j, _)| j != 2));
        assert!(rows[3].is_empty());
    }
}
