//! The embedding backbone: text in, unit-length vectors out. [`Embedder`] is the seam, shared
//! (behind an `Arc`) by retrieval, the intent classifier and adapter training;
//! [`FastEmbedder`] runs all-MiniLM-L6-v2 (int8 ONNX) through fastembed and ONNX Runtime,
//! loaded from the files `reco models fetch` installed; [`HashEmbedder`] is a deterministic
//! stand-in for unit tests only.

mod batches;
mod fast;
mod hash;

pub use batches::{embed_batches, embed_token_batches};
pub use fast::{FastEmbedder, MODEL_ID};
pub use hash::HashEmbedder;

use crate::Result;

/// Longest text (in bytes) handed to the tokenizer; the model reads 256 word pieces at most,
/// so anything longer only costs tokenizer time.
pub const MAX_TEXT_BYTES: usize = 4096;

/// Turns texts into unit-length vectors of a fixed dimension. Implementations are shared
/// between threads; `embed` may be called from several threads at once.
pub trait Embedder: Send + Sync {
    /// Identifies the model, so vectors of different models are never mixed. A query adapter
    /// never changes it (adapters touch query vectors only, see [`crate::adapter`]).
    fn id(&self) -> &str;

    /// A checksum of the model's weights (sha256 of the model file for [`FastEmbedder`]), so
    /// that an adapter trained on another copy of a model with the same id is refused.
    fn checksum(&self) -> String {
        self.id().to_string()
    }
    /// Vector dimension.
    fn dim(&self) -> usize;
    /// Embed a batch of texts.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;

    /// How many `embed` calls can usefully run at the same time (index building splits its
    /// batches over this many threads).
    fn parallelism(&self) -> usize {
        1
    }

    /// The backbone's per-token output states of each text, before pooling (what token-level
    /// query adapters read). The default: not available.
    ///
    /// # Errors
    /// [`crate::Error::Embed`] when the backbone does not expose its token states.
    fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<TokenStates>> {
        let _ = texts;
        Err(crate::Error::embed(format!(
            "the backbone `{}` does not give per-token states",
            self.id()
        )))
    }

    /// Embed one text.
    fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let mut v = self.embed(&[text])?;
        v.pop()
            .ok_or_else(|| crate::Error::embed("the model returned no vector"))
    }
}

/// One text's per-token output states: `len` rows of the backbone's dimension, row-major (the
/// tokens the model attended to, special tokens included). Their normalised mean is the
/// text's pooled vector.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenStates {
    /// Tokens.
    pub len: usize,
    /// `len` × d values.
    pub data: Vec<f32>,
}

impl TokenStates {
    /// The normalised mean of the rows (mean pooling, as the backbone's vectors are made).
    #[must_use]
    pub fn pooled(&self, dim: usize) -> Vec<f32> {
        let mut v = vec![0f32; dim];
        for row in self.data.chunks_exact(dim) {
            for (o, x) in v.iter_mut().zip(row) {
                *o += x;
            }
        }
        normalize(&mut v);
        v
    }
}

/// Clean a text for the tokenizer: control characters become spaces, and it is cut (at a
/// character boundary) to [`MAX_TEXT_BYTES`].
#[must_use]
pub fn clean_text(text: &str) -> String {
    let mut end = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Scale `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_cuts_and_strips() {
        assert_eq!(clean_text("a\u{0}b\nc"), "a b c");
        let long = "é".repeat(5000);
        let c = clean_text(&long);
        assert!(c.len() <= MAX_TEXT_BYTES);
        assert!(c.chars().all(|ch| ch == 'é'));
    }
}
