//! Per-catalog low-rank query adapters on the shared, frozen embedding backbone.
//!
//! In: a query vector from the backbone. Out: `q' = normalise(q + B·A·q)`, with `A` (r × d)
//! and `B` (d × r) of a small rank r (16 by default). Only query vectors are adapted: item
//! vectors and the index are never touched, so training, swapping or removing an adapter never
//! re-indexes, and [`crate::embed::Embedder::id`] (which tags stored vectors) does not change.
//! Applying one costs two small matrix-vector products (~12k multiply-adds for d = 384).
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
pub mod train;
mod train_data;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use files::{AdapterInfo, Registry};
pub use train::TrainOptions;

use crate::{embed::normalize, Error, Result};

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
}

impl QueryAdapter {
    /// An adapter from its parts; the shapes must match the manifest.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `a` is not r × d or `b` is not d × r.
    pub fn new(manifest: Manifest, a: Vec<f32>, b: Vec<f32>) -> Result<Self> {
        let (d, r) = (manifest.dim, manifest.rank);
        if r == 0 || d == 0 || a.len() != r * d || b.len() != d * r {
            return Err(Error::Invalid(format!(
                "adapter `{}`: weights of {} and {} values do not match rank {r} × dimension {d}",
                manifest.name,
                a.len(),
                b.len()
            )));
        }
        if a.iter().chain(&b).any(|x| !x.is_finite()) {
            return Err(Error::Invalid(format!(
                "adapter `{}`: weights hold NaN or infinite values",
                manifest.name
            )));
        }
        Ok(Self { manifest, a, b })
    }

    /// Its name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.manifest.name
    }

    /// `A` (r × d) and `B` (d × r), row-major.
    #[must_use]
    pub fn weights(&self) -> (&[f32], &[f32]) {
        (&self.a, &self.b)
    }

    /// `normalise(q + B·A·q)`; a vector of another dimension is returned unchanged.
    #[must_use]
    pub fn apply(&self, q: &[f32]) -> Vec<f32> {
        let (d, r) = (self.manifest.dim, self.manifest.rank);
        let mut out = q.to_vec();
        if q.len() != d {
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
        let zero = QueryAdapter::new(manifest(d, r), a.clone(), vec![0.0; d * r]).expect("ok");
        let q = [0.5, 0.5, 0.5, 0.5];
        assert_eq!(zero.apply(&q), q.to_vec());
        let mut b = vec![0.0; d * r];
        b[0] = 1.0; // row 0 of B reads component 0 of A·q
        let one = QueryAdapter::new(manifest(d, r), a.clone(), b).expect("ok");
        let out = one.apply(&q);
        assert!(out[0] > out[1]);
        assert!((out.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(QueryAdapter::new(manifest(d, r), a.clone(), vec![0.0; 3]).is_err());
        assert!(QueryAdapter::new(manifest(d, r), a, vec![f32::NAN; d * r]).is_err());
    }
}
