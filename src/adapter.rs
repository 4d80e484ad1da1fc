//! Per-catalog low-rank query adapters on the shared, frozen embedding backbone.
//!
//! In: a query's pooled vector from the backbone ([`Kind::Pooled`], the default), or its
//! per-token states ([`Kind::Token`]). Out: `q' = normalise(q + B·A·q)`, or
//! `normalise(Σ_t w_t (h_t + B·gelu(A·h_t)))` with `w = softmax_t(u·h_t)`; `A` (r × d) and `B`
//! (d × r) of a small rank r (16 by default). Only query vectors are adapted: item vectors and
//! the index are never touched, so training, swapping or removing an adapter never re-indexes,
//! and [`crate::embed::Embedder::id`] (which tags stored vectors) does not change. Applying a
//! pooled one costs two small matrix-vector products (~12k multiply-adds for d = 384), a token
//! one that per token. On Steam both kinds score the same (docs/ARCHITECTURE.md#adapters).
//!
//! - [`files`]: the adapter folder (`weights.safetensors` + `manifest.json`) under
//!   `<home>/adapters/<catalog>/<name>/`, checked on load (backbone id and checksum,
//!   dimension, rank, a sha256 of the weights), and the registry of a catalog's adapters.
//! - [`train`]: training on a catalog's generated queries (train split only), contrastive with
//!   hard negatives mined from base retrieval plus GR2's multi-graded term, early stopping on
//!   the validation split.
//!
//! The applied adapter (this file, [`files`]) sits beside the embedder, below retrieval;
//! training sits above retrieval (it mines with the [`crate::retrieve::Retriever`]).

pub mod files;
mod loss;
mod model;
pub mod train;
mod train_data;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use files::{AdapterInfo, Registry};
pub use train::TrainOptions;

use crate::{
    embed::{normalize, TokenStates},
    Error, Result,
};

/// Version of the adapter file layout; another version is refused.
pub const FORMAT: u32 = 1;

/// Default rank of `A` and `B`.
pub const DEFAULT_RANK: usize = 16;

/// Fusion weights an adapter was tuned with (on the validation split).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FusionWeights {
    /// Weight of the (adapted) dense signal.
    pub dense: f32,
    /// Weight of BM25.
    pub lexical: f32,
}

/// What an adapter reads and how it maps it to a query vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The pooled query vector q: `normalise(q + B·A·q)`.
    #[default]
    Pooled,
    /// The backbone's per-token states h₁…h_T of the query:
    /// `normalise(Σ_t w_t (h_t + B·gelu(A·h_t)))` with `w = softmax_t(u·h_t)`. With `B` and `u`
    /// zero it is mean pooling, the base vector.
    Token,
}

impl Kind {
    /// Its name in manifests and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pooled => "pooled",
            Self::Token => "token",
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "pooled" => Ok(Self::Pooled),
            "token" => Ok(Self::Token),
            other => Err(Error::Invalid(format!(
                "adapter kind `{other}`: expected `pooled` or `token`"
            ))),
        }
    }
}

/// What an adapter is, what it was trained on and how well it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// File layout version ([`FORMAT`]).
    pub format: u32,
    /// The adapter's name (its folder).
    pub name: String,
    /// The catalog it was trained for.
    pub catalog: String,
    /// [`crate::embed::Embedder::id`] of the backbone.
    pub backbone: String,
    /// [`crate::embed::Embedder::checksum`] of the backbone (sha256 of its model file).
    pub backbone_checksum: String,
    /// What it reads (manifests written before kinds existed are pooled).
    #[serde(default)]
    pub kind: Kind,
    /// Vector dimension d.
    pub dim: usize,
    /// Rank r.
    pub rank: usize,
    /// Training options, seed included.
    pub train: TrainOptions,
    /// FNV hash of the training data (query texts, vectors' backbone, item ids, grades).
    pub data_hash: String,
    /// sha256 of `weights.safetensors`.
    pub weights_sha256: String,
    /// Queries used, by split (train, validation).
    pub queries: BTreeMap<String, usize>,
    /// Fusion weights to use with this adapter (chosen on the validation split).
    pub fusion: FusionWeights,
    /// Validation metrics at the chosen epoch, and timings.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Unix time of training.
    pub created_at: u64,
}

/// A loaded query adapter.
#[derive(Debug, Clone)]
pub struct QueryAdapter {
    /// Its manifest.
    pub manifest: Manifest,
    /// `A`, r × d, row-major.
    a: Vec<f32>,
    /// `B`, d × r, row-major.
    b: Vec<f32>,
    /// `u`, d values (token adapters; empty for pooled ones).
    u: Vec<f32>,
}

impl QueryAdapter {
    /// An adapter from its parts; the shapes must match the manifest (`u` has d values for a
    /// token adapter and none for a pooled one).
    ///
    /// # Errors
    /// [`Error::Invalid`] when a part has the wrong size or holds NaN or infinite values.
    pub fn new(manifest: Manifest, a: Vec<f32>, b: Vec<f32>, u: Vec<f32>) -> Result<Self> {
        let (d, r) = (manifest.dim, manifest.rank);
        let u_len = match manifest.kind {
            Kind::Pooled => 0,
            Kind::Token => d,
        };
        if r == 0 || d == 0 || a.len() != r * d || b.len() != d * r || u.len() != u_len {
            return Err(Error::Invalid(format!(
                "adapter `{}`: weights of {}, {} and {} values do not match a {} adapter of rank {r} × dimension {d}",
                manifest.name,
                a.len(),
                b.len(),
                u.len(),
                manifest.kind.as_str()
            )));
        }
        if a.iter().chain(&b).chain(&u).any(|x| !x.is_finite()) {
            return Err(Error::Invalid(format!(
                "adapter `{}`: weights hold NaN or infinite values",
                manifest.name
            )));
        }
        Ok(Self { manifest, a, b, u })
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// `A` (r × d), `B` (d × r), row-major, and `u` (d, token adapters only).
    #[must_use]
    pub fn weights(&self) -> (&[f32], &[f32], &[f32]) {
        (&self.a, &self.b, &self.u)
    }

    /// Whether it reads the backbone's per-token states ([`Kind::Token`]).
    #[must_use]
    pub fn needs_tokens(&self) -> bool {
        self.manifest.kind == Kind::Token
    }

    /// The adapted query vector from the backbone's pooled vector and, for a token adapter,
    /// its per-token states.
    ///
    /// # Errors
    /// [`Error::Invalid`] when a token adapter gets no token states.
    pub fn adapt(&self, pooled: &[f32], tokens: Option<&TokenStates>) -> Result<Vec<f32>> {
        match (self.manifest.kind, tokens) {
            (Kind::Pooled, _) => Ok(self.apply(pooled)),
            (Kind::Token, Some(t)) => Ok(self.apply_tokens(t)),
            (Kind::Token, None) => Err(Error::Invalid(format!(
                "adapter `{}` reads per-token states, and none were given",
                self.manifest.name
            ))),
        }
    }

    /// `normalise(Σ_t w_t (h_t + B·gelu(A·h_t)))`, `w = softmax_t(u·h_t)` (token adapters; a
    /// pooled adapter applies itself to the mean of the rows).
    #[must_use]
    pub fn apply_tokens(&self, h: &TokenStates) -> Vec<f32> {
        let (d, r) = (self.manifest.dim, self.manifest.rank);
        if self.manifest.kind == Kind::Pooled || h.len == 0 || h.data.len() != h.len * d {
            return self.apply(&h.pooled(d));
        }
        let rows: Vec<&[f32]> = h.data.chunks_exact(d).collect();
        let logits: Vec<f32> = rows.iter().map(|row| dot(row, &self.u)).collect();
        let top = logits.iter().copied().fold(f32::MIN, f32::max);
        let e: Vec<f32> = logits.iter().map(|l| (l - top).exp()).collect();
        let total: f32 = e.iter().sum();
        let mut out = vec![0f32; d];
        for (row, w) in rows.iter().zip(&e) {
            let w = w / total;
            let ah: Vec<f32> = self.a.chunks_exact(d).map(|a| gelu(dot(a, row))).collect();
            for ((o, x), brow) in out.iter_mut().zip(*row).zip(self.b.chunks_exact(r)) {
                *o += w * (x + dot(brow, &ah));
            }
        }
        normalize(&mut out);
        out
    }

    /// `normalise(q + B·A·q)`; a vector of another dimension is returned unchanged. Pooled
    /// adapters only: a token adapter returns `q` normalised (it needs [`Self::apply_tokens`]).
    #[must_use]
    pub fn apply(&self, q: &[f32]) -> Vec<f32> {
        let (d, r) = (self.manifest.dim, self.manifest.rank);
        let mut out = q.to_vec();
        if q.len() != d || self.manifest.kind == Kind::Token {
            return out;
        }
        let aq: Vec<f32> = self
            .a
            .chunks_exact(d)
            .map(|row| row.iter().zip(q).map(|(x, y)| x * y).sum::<f32>())
            .collect();
        for (o, brow) in out.iter_mut().zip(self.b.chunks_exact(r)) {
            *o += brow.iter().zip(&aq).map(|(x, y)| x * y).sum::<f32>();
        }
        normalize(&mut out);
        out
    }

    /// Fusion weights to use with this adapter.
    #[must_use]
    pub fn fusion(&self) -> FusionWeights {
        self.manifest.fusion
    }
}

fn dot(x: &[f32], y: &[f32]) -> f32 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// GELU, tanh approximation (candle's `gelu`, which training uses).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + (0.797_884_6 * (x + 0.044_715 * x * x * x)).tanh())
}

/// FNV-1a over bytes, as 16 hex digits (data hashes in manifests).
#[must_use]
pub fn fnv_hex(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A manifest for unit tests.
    pub(crate) fn manifest(dim: usize, rank: usize) -> Manifest {
        Manifest {
            format: FORMAT,
            name: "t".into(),
            catalog: "c".into(),
            backbone: "hash".into(),
            backbone_checksum: "hash".into(),
            kind: Kind::Pooled,
            dim,
            rank,
            train: TrainOptions::default(),
            data_hash: String::new(),
            weights_sha256: String::new(),
            queries: BTreeMap::new(),
            fusion: FusionWeights {
                dense: 0.4,
                lexical: 1.0,
            },
            metrics: BTreeMap::new(),
            created_at: 0,
        }
    }

    #[test]
    fn zero_b_is_the_identity_and_shapes_are_checked() {
        let (d, r) = (4, 2);
        let a = vec![0.5; r * d];
        let zero =
            QueryAdapter::new(manifest(d, r), a.clone(), vec![0.0; d * r], vec![]).expect("ok");
        let q = [0.5, 0.5, 0.5, 0.5];
        assert_eq!(zero.apply(&q), q.to_vec());
        let mut b = vec![0.0; d * r];
        b[0] = 1.0; // row 0 of B reads component 0 of A·q
        let one = QueryAdapter::new(manifest(d, r), a.clone(), b, vec![]).expect("ok");
        let out = one.apply(&q);
        assert!(out[0] > out[1]);
        assert!((out.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(QueryAdapter::new(manifest(d, r), a.clone(), vec![0.0; 3], vec![]).is_err());
        assert!(QueryAdapter::new(manifest(d, r), a, vec![f32::NAN; d * r], vec![]).is_err());
    }
}
