//! The training loss of a query adapter, per mini-batch: the rows of [`Prepared`] as tensors,
//! the contrastive term over the whole catalog with the items that meet the query masked out,
//! and GR2's multi-graded term over each row's graded items (see [`super::train`]).

use candle_core::{Device, Tensor, D};
use rayon::prelude::*;

use super::{
    train::TrainOptions,
    train_data::{Prepared, SLOTS},
};
use crate::{eval::queries::GradeContext, retrieve::Retriever, Result};

/// The rows as tensors, sliced per mini-batch.
pub(super) struct Batches {
    query: Vec<u32>,
    slots: Vec<u32>,
    /// Per row, K × K: 0 where item j counts against item i (lower grade, or j = i), −1e4
    /// elsewhere (multi-graded term).
    lower: Vec<f32>,
    /// Per row and slot: the weight of item i's graded term (0 for padding and grade 0).
    weight: Vec<f32>,
    /// Per row: catalog items left out of its full-catalog softmax: those that meet every
    /// condition of the query (grade ≥ 2) other than the positive, and those the query
    /// excludes (its history, the I2I anchor). Sorted indices.
    masked: Vec<Vec<u32>>,
    /// Items in the catalog.
    n_items: usize,
}

impl Batches {
    pub(super) fn new(data: &Prepared, retriever: &Retriever) -> Self {
        let k = SLOTS;
        let items = retriever.items();
        let ctx = GradeContext::new(items);
        let masked = data
            .rows
            .par_iter()
            .map(|row| {
                let q = &data.train[row.query];
                let pos = row.slots[0].map(|x| x.0);
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, it)| {
                        Some(*i as u32) != pos
                            && (q.exclude.contains(&it.id) || q.grade(it, &ctx) >= 2)
                    })
                    .map(|(i, _)| i as u32)
                    .collect()
            })
            .collect();
        let mut me = Self {
            query: Vec::new(),
            slots: Vec::new(),
            lower: Vec::new(),
            weight: Vec::new(),
            masked,
            n_items: items.len(),
        };
        for row in &data.rows {
            me.query.push(u32::try_from(row.query).unwrap_or(0));
            let grade: Vec<Option<u8>> = row.slots.iter().map(|s| s.map(|x| x.1)).collect();
            for s in &row.slots {
                me.slots.push(s.map_or(0, |x| x.0));
            }
            let mut terms = vec![0f32; k];
            for i in 0..k {
                let lower: Vec<bool> = (0..k)
                    .map(|j| matches!((grade[i], grade[j]), (Some(gi), Some(gj)) if gj < gi))
                    .collect();
                if grade[i].is_some_and(|g| g >= 1) && lower.iter().any(|x| *x) {
                    terms[i] = 1.0;
                }
                for (j, l) in lower.iter().enumerate() {
                    me.lower.push(if *l || i == j { 0.0 } else { -1e4 });
                }
            }
            let n = terms.iter().sum::<f32>().max(1.0);
            me.weight.extend(terms.iter().map(|t| t / n));
        }
        me
    }

    /// The query (index into the inputs of [`super::model::Params::forward`]) of each row in
    /// `chunk`.
    pub(super) fn queries(&self, chunk: &[usize]) -> Vec<usize> {
        chunk.iter().map(|&r| self.query[r] as usize).collect()
    }

    /// The loss of the rows in `chunk`, given their adapted, normalised query vectors `q`
    /// (n × d, in `chunk` order).
    pub(super) fn loss(
        &self,
        chunk: &[usize],
        q: &Tensor,
        items: &Tensor,
        opts: &TrainOptions,
    ) -> Result<Tensor> {
        let dev = Device::Cpu;
        let (n, k) = (chunk.len(), SLOTS);
        let pick = |src: &[u32], w: usize| -> Vec<u32> {
            chunk
                .iter()
                .flat_map(|&r| src[r * w..(r + 1) * w].to_vec())
                .collect()
        };
        let pickf = |src: &[f32], w: usize| -> Vec<f32> {
            chunk
                .iter()
                .flat_map(|&r| src[r * w..(r + 1) * w].to_vec())
                .collect()
        };
        let si = Tensor::from_vec(pick(&self.slots, k), n * k, &dev)?;
        let e = items.index_select(&si, 0)?.reshape((n, k, items.dim(1)?))?;
        let s = e
            .matmul(&q.unsqueeze(2)?)?
            .squeeze(2)?
            .affine(1.0 / f64::from(opts.temperature), 0.0)?;
        let pos = s.narrow(1, 0, 1)?.squeeze(1)?;
        // Contrastive term over the whole catalog: the positive against every item that does
        // not meet the query (the mined hard negatives among them), items that do meet it
        // masked out, so there are no false negatives.
        let all = q
            .matmul(&items.t()?)?
            .affine(1.0 / f64::from(opts.temperature), 0.0)?;
        let mut mask = vec![0f32; n * self.n_items];
        for (r, &row) in chunk.iter().enumerate() {
            for &j in &self.masked[row] {
                mask[r * self.n_items + j as usize] = -1e4;
            }
        }
        let mask = Tensor::from_vec(mask, (n, self.n_items), &dev)?;
        let lc = ((all + mask)?.log_sum_exp(1)? - &pos)?.mean_all()?;
        let lower = Tensor::from_vec(pickf(&self.lower, k * k), (n, k, k), &dev)?;
        let grid = s.unsqueeze(1)?.broadcast_as((n, k, k))?;
        let lse = (grid + lower)?.log_sum_exp(D::Minus1)?;
        let w = Tensor::from_vec(pickf(&self.weight, k), (n, k), &dev)?;
        let lg = ((lse - &s)? * w)?.sum_all()?.affine(1.0 / n as f64, 0.0)?;
        Ok((lc + lg.affine(f64::from(opts.graded_weight), 0.0)?)?)
    }
}
