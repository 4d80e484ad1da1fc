//! The trainable parameters of a query adapter and its forward pass in candle (training only;
//! a trained adapter is applied without candle, in [`super::QueryAdapter`]).
//!
//! Pooled ([`Kind::Pooled`]): `normalise(q + B·A·q)` on the backbone's pooled vectors.
//! Token ([`Kind::Token`]): on the backbone's per-token states, padded to the longest query of
//! the batch, `normalise(Σ_t w_t (h_t + B·gelu(A·h_t)))` with `w = softmax_t(u·h_t)` over the
//! query's own tokens. `A` starts from a seeded uniform draw, `B` and `u` at zero, so both
//! start at the base backbone.

use candle_core::{DType, Device, Tensor, Var, D};

use super::{Kind, Manifest, QueryAdapter};
use crate::{embed::TokenStates, rng::SplitMix64, Result};

/// What the forward pass reads, per query.
pub(super) enum Inputs<'a> {
    /// Pooled vectors, one row per query (n × d).
    Pooled(Tensor),
    /// Per-token states, one entry per query.
    Tokens(&'a [TokenStates]),
}

/// `A`, `B` and (token adapters) `u`.
pub(super) struct Params {
    a: Var,
    b: Var,
    u: Option<Var>,
    dim: usize,
}

impl Params {
    /// Seeded `A`, zero `B` and `u`: the identity (the base backbone).
    pub(super) fn init(kind: Kind, dim: usize, rank: usize, rng: &mut SplitMix64) -> Result<Self> {
        let dev = Device::Cpu;
        let bound = 1.0 / (dim as f64).sqrt();
        let a0: Vec<f32> = (0..rank * dim)
            .map(|_| ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * bound)
            .map(|x| x as f32)
            .collect();
        let a = Var::from_tensor(&Tensor::from_vec(a0, (rank, dim), &dev)?)?;
        let b = Var::from_tensor(&Tensor::zeros((dim, rank), DType::F32, &dev)?)?;
        let u = match kind {
            Kind::Pooled => None,
            Kind::Token => Some(Var::from_tensor(&Tensor::zeros(
                (dim, 1),
                DType::F32,
                &dev,
            )?)?),
        };
        Ok(Self { a, b, u, dim })
    }

    /// The variables the optimiser updates.
    pub(super) fn vars(&self) -> Vec<Var> {
        let mut v = vec![self.a.clone(), self.b.clone()];
        v.extend(self.u.clone());
        v
    }

    /// The adapted, normalised query vectors of `rows` (indices into `inputs`), n × d.
    pub(super) fn forward(&self, inputs: &Inputs<'_>, rows: &[usize]) -> Result<Tensor> {
        let (a, b) = (self.a.as_tensor(), self.b.as_tensor());
        let q = match (inputs, &self.u) {
            (Inputs::Pooled(all), _) => {
                let idx: Vec<u32> = rows.iter().map(|&r| r as u32).collect();
                let q = all.index_select(&Tensor::new(idx.as_slice(), &Device::Cpu)?, 0)?;
                (&q + q.matmul(&a.t()?)?.matmul(&b.t()?)?)?
            }
            (Inputs::Tokens(states), Some(u)) => self.pool_tokens(states, rows, u.as_tensor())?,
            (Inputs::Tokens(_), None) => {
                return Err(crate::Error::Invalid(
                    "token states need a token adapter".into(),
                ))
            }
        };
        let norm = q.sqr()?.sum_keepdim(1)?.sqrt()?;
        Ok(q.broadcast_div(&norm)?)
    }

    /// `Σ_t w_t (h_t + B·gelu(A·h_t))`, `w = softmax_t(u·h_t)`, unnormalised.
    fn pool_tokens(&self, states: &[TokenStates], rows: &[usize], u: &Tensor) -> Result<Tensor> {
        let (n, d) = (rows.len(), self.dim);
        let t = rows
            .iter()
            .map(|&r| states[r].len)
            .max()
            .unwrap_or(1)
            .max(1);
        let mut h = vec![0f32; n * t * d];
        let mut mask = vec![-1e4f32; n * t];
        for (i, &r) in rows.iter().enumerate() {
            let s = &states[r];
            h[i * t * d..i * t * d + s.data.len()].copy_from_slice(&s.data);
            mask[i * t..i * t + s.len].fill(0.0);
        }
        let dev = Device::Cpu;
        let flat = Tensor::from_vec(h, (n * t, d), &dev)?;
        let mask = Tensor::from_vec(mask, (n, t), &dev)?;
        let logits = (flat.matmul(u)?.reshape((n, t))? + mask)?;
        let w = candle_nn::ops::softmax(&logits, D::Minus1)?;
        let (a, b) = (self.a.as_tensor(), self.b.as_tensor());
        let g = (&flat + flat.matmul(&a.t()?)?.gelu()?.matmul(&b.t()?)?)?;
        let g = g.reshape((n, t, d))?;
        Ok(w.unsqueeze(1)?.matmul(&g)?.squeeze(1)?)
    }

    /// The current weights as an adapter with `manifest`.
    pub(super) fn snapshot(&self, manifest: &Manifest) -> Result<QueryAdapter> {
        let v = |t: &Tensor| -> Result<Vec<f32>> { Ok(t.flatten_all()?.to_vec1()?) };
        let u = match &self.u {
            Some(u) => v(u.as_tensor())?,
            None => Vec::new(),
        };
        QueryAdapter::new(
            manifest.clone(),
            v(self.a.as_tensor())?,
            v(self.b.as_tensor())?,
            u,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(seed: u64, len: usize, d: usize) -> TokenStates {
        let mut rng = SplitMix64::new(seed);
        let data = (0..len * d)
            .map(|_| (rng.next_u64() % 1000) as f32 / 250.0 - 2.0)
            .collect();
        TokenStates { len, data }
    }

    /// Training's forward pass (candle, padded batches) and the applied adapter (plain Rust,
    /// one query) compute the same vectors.
    #[test]
    fn training_forward_matches_the_applied_adapter() {
        let (d, r) = (8, 3);
        let mut rng = SplitMix64::new(7);
        let p = Params::init(Kind::Token, d, r, &mut rng).expect("init");
        let fill = |v: &Var, n: usize, seed: u64| {
            let mut g = SplitMix64::new(seed);
            let x: Vec<f32> = (0..n)
                .map(|_| (g.next_u64() % 100) as f32 / 100.0 - 0.5)
                .collect();
            v.set(&Tensor::from_vec(x, v.shape(), &Device::Cpu).expect("t"))
                .expect("set");
        };
        fill(&p.b, d * r, 1);
        fill(p.u.as_ref().expect("u"), d, 2);
        let mut m = crate::adapter::tests::manifest(d, r);
        m.kind = Kind::Token;
        let applied = p.snapshot(&m).expect("snapshot");
        let batch = [states(3, 2, d), states(4, 5, d), states(5, 1, d)];
        let q = p
            .forward(&Inputs::Tokens(&batch), &[0, 1, 2])
            .expect("forward")
            .to_vec2::<f32>()
            .expect("rows");
        for (row, s) in q.iter().zip(&batch) {
            let want = applied.apply_tokens(s);
            for (x, y) in row.iter().zip(&want) {
                assert!((x - y).abs() < 1e-4, "{row:?} vs {want:?}");
            }
        }
    }

    /// At initialisation a token adapter is mean pooling: the base vector.
    #[test]
    fn a_fresh_token_adapter_is_the_base_vector() {
        let d = 8;
        let p = Params::init(Kind::Token, d, 2, &mut SplitMix64::new(1)).expect("init");
        let mut m = crate::adapter::tests::manifest(d, 2);
        m.kind = Kind::Token;
        let s = states(9, 4, d);
        let got = p.snapshot(&m).expect("snapshot").apply_tokens(&s);
        for (x, y) in got.iter().zip(&s.pooled(d)) {
            assert!((x - y).abs() < 1e-6);
        }
    }
}
