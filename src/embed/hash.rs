//! A deterministic bag-of-words embedder for unit tests: each lowercase word hashes to one
//! dimension. Similar wording gives similar vectors,
//! which is enough to test ranking code without a model.

use super::{normalize, Embedder, TokenStates};
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

fn words(t: &str) -> impl Iterator<Item = String> + '_ {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Embedder for HashEmbedder {
    fn id(&self) -> &str {
        "hash-test"
    }

    fn dim(&self) -> usize {
        self.dim
    }

    /// One row per word: its hashed dimension set to 1 (so the pooled vector is `embed`'s).
    fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<TokenStates>> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut data = Vec::new();
                for w in words(t) {
                    let mut row = vec![0f32; self.dim];
                    row[(fnv(&w) % self.dim as u64) as usize] = 1.0;
                    data.extend(row);
                }
                if data.is_empty() {
                    data = vec![0f32; self.dim];
                }
                TokenStates {
                    len: data.len() / self.dim,
                    data,
                }
            })
            .collect())
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0f32; self.dim];
                for w in words(t) {
                    v[(fnv(&w) % self.dim as u64) as usize] += 1.0;
                }
                normalize(&mut v);
                v
            })
            .collect())
    }
}
