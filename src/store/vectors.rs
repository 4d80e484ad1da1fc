//! Item vectors, stored beside the items: key = `0x01` + item id, value = the 64-bit hash of
//! the text that was embedded (little endian) followed by the f32 components (little endian).
//! Key `0x00model` names the embedding model that wrote them. One sequential scan loads a
//! catalog's vectors into one contiguous row-major matrix.

use std::collections::HashMap;

use super::Store;
use crate::{Error, Result};

const MODEL_KEY: &[u8] = b"\x00model";
const ITEM_PREFIX: u8 = 0x01;

/// One vector to store.
#[derive(Debug, Clone)]
pub struct StoredVector<'a> {
    /// Item id.
    pub id: &'a str,
    /// Hash of the text that was embedded (to skip unchanged items on re-index).
    pub text_hash: u64,
    /// The vector.
    pub vector: &'a [f32],
}

/// A catalog's vectors, loaded as one matrix.
#[derive(Debug, Clone, Default)]
pub struct VectorSet {
    /// Item ids, row order.
    pub ids: Vec<String>,
    /// Dimension of every row.
    pub dim: usize,
    /// Row-major `ids.len() × dim` values.
    pub data: Vec<f32>,
}

impl VectorSet {
    /// Row `i`.
    #[must_use]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

fn key(id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(id.len() + 1);
    k.push(ITEM_PREFIX);
    k.extend_from_slice(id.as_bytes());
    k
}

impl Store {
    /// The embedding model that wrote this catalog's vectors, if any.
    pub fn vector_model(&self, catalog: &str) -> Result<Option<String>> {
        Ok(self
            .tree("vectors", catalog)?
            .get(MODEL_KEY)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Text hash of every stored vector, by item id.
    pub fn vector_hashes(&self, catalog: &str) -> Result<HashMap<String, u64>> {
        let tree = self.tree("vectors", catalog)?;
        let mut out = HashMap::new();
        for kv in tree.scan_prefix([ITEM_PREFIX]) {
            let (k, v) = kv?;
            let hash = v
                .get(..8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_le_bytes)
                .ok_or_else(|| Error::Store("corrupt vector entry".into()))?;
            out.insert(String::from_utf8_lossy(&k[1..]).into_owned(), hash);
        }
        Ok(out)
    }

    /// Store vectors written by `model` in one atomic batch. A different model than the one
    /// recorded removes the old vectors in that same batch.
    pub fn put_vectors(
        &self,
        catalog: &str,
        model: &str,
        vectors: &[StoredVector<'_>],
    ) -> Result<()> {
        let tree = self.tree("vectors", catalog)?;
        let mut batch = sled::Batch::default();
        if self.vector_model(catalog)?.as_deref() != Some(model) {
            // Another model's vectors go in the same atomic batch that records the new model.
            for k in tree.scan_prefix([ITEM_PREFIX]).keys() {
                batch.remove(k?);
            }
        }
        batch.insert(MODEL_KEY, model.as_bytes());
        for v in vectors {
            let mut value = Vec::with_capacity(8 + v.vector.len() * 4);
            value.extend_from_slice(&v.text_hash.to_le_bytes());
            for x in v.vector {
                value.extend_from_slice(&x.to_le_bytes());
            }
            batch.insert(key(v.id), value);
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// Remove the vectors of items that no longer exist.
    pub fn remove_vectors(&self, catalog: &str, ids: &[String]) -> Result<()> {
        let tree = self.tree("vectors", catalog)?;
        let mut batch = sled::Batch::default();
        for id in ids {
            batch.remove(key(id));
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// Load all vectors of a catalog as one matrix (empty if none).
    pub fn vectors(&self, catalog: &str) -> Result<VectorSet> {
        let tree = self.tree("vectors", catalog)?;
        let mut set = VectorSet::default();
        let n = tree.len();
        for kv in tree.scan_prefix([ITEM_PREFIX]) {
            let (k, v) = kv?;
            let body = v.get(8..).unwrap_or_default();
            if body.len() % 4 != 0 || body.is_empty() {
                return Err(Error::Store("corrupt vector entry".into()));
            }
            let dim = body.len() / 4;
            if set.dim == 0 {
                set.dim = dim;
                set.data.reserve(n * dim);
            } else if set.dim != dim {
                return Err(Error::Store(format!(
                    "catalog `{catalog}` mixes vector sizes {} and {dim}: re-index it",
                    set.dim
                )));
            }
            set.data.extend(
                body.chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
            set.ids.push(String::from_utf8_lossy(&k[1..]).into_owned());
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_model_change() {
        let s = Store::temporary().expect("store");
        let v = [1.0f32, 2.0, 3.0];
        s.put_vectors(
            "c",
            "m1",
            &[StoredVector {
                id: "a",
                text_hash: 7,
                vector: &v,
            }],
        )
        .expect("put");
        let set = s.vectors("c").expect("load");
        assert_eq!(set.ids, vec!["a".to_string()]);
        assert_eq!(set.row(0), &v);
        assert_eq!(s.vector_hashes("c").expect("h").get("a"), Some(&7));
        s.put_vectors(
            "c",
            "m2",
            &[StoredVector {
                id: "b",
                text_hash: 1,
                vector: &v,
            }],
        )
        .expect("put");
        assert_eq!(s.vectors("c").expect("load").ids, vec!["b".to_string()]);
    }
}
