//! A deterministic bag-of-words embedder for unit tests: each lowercase word (and its
//! character trigrams) hashes to a few dimensions. Similar wording gives similar vectors,
//! which is enough to test ranking code without a model.

use super::{normalize, Embedder};
use crate::Result;

/// Deterministic hashing embedder (tests only; never used by the product path).
#[derive(Debug, Clone)]
pub struct HashEmbedder {
    dim: usize,
}

impl HashEmbedder {
    /// A hashing embedder of dimension `dim`.
    #[must_use]
    pub fn new(dim: usize) -> Self {
        Self { dim: dim.max(8) }
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Embedder for HashEmbedder {
    fn id(&self) -> &str {
        "hash-test"
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0f32; self.dim];
                for w in t
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                {
                    let w = w.to_lowercase();
                    v[(fnv(&w) % self.dim as u64) as usize] += 1.0;
                }
                normalize(&mut v);
                v
            })
            .collect())
    }
}
