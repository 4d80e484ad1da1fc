//! Interactions of a catalog (`interactions/<catalog>`), next to its items, and what is
//! learned from them.
//!
//! Keys: `r` + interaction key → [`Interaction`] JSON; `\0version` → a counter bumped in the
//! same atomic batch as every change, so a model trained at version *v* knows it is stale when
//! the counter moves; `d` + item id → the item's learned description (words people use
//! around its mentions); `\0described` → the version those descriptions were learned at.

use super::{from_json, to_json, validate_catalog_name, Store, UpsertCounts};
use crate::{catalog::interactions::Interaction, Result};

const VERSION: &[u8] = b"\0version";
const DESCRIBED: &[u8] = b"\0described";

fn record_key(key: &str) -> Vec<u8> {
    let mut k = b"r".to_vec();
    k.extend_from_slice(key.as_bytes());
    k
}

fn read_u64(v: Option<sled::IVec>) -> u64 {
    v.and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
        .map_or(0, u64::from_be_bytes)
}

impl Store {
    /// Insert or update interactions of `catalog` in one atomic batch (which also bumps the
    /// version when anything changed); returns what changed.
    pub fn upsert_interactions(
        &self,
        catalog: &str,
        batch: &[Interaction],
    ) -> Result<UpsertCounts> {
        validate_catalog_name(catalog)?;
        let tree = self.tree("interactions", catalog)?;
        let mut b = sled::Batch::default();
        let mut counts = UpsertCounts::default();
        let mut seen: std::collections::HashMap<&str, Vec<u8>> = std::collections::HashMap::new();
        for it in batch {
            let bytes = to_json(it)?;
            let prior = match seen.get(it.key.as_str()) {
                Some(p) => Some(p.clone()),
                None => tree.get(record_key(&it.key))?.map(|v| v.to_vec()),
            };
            match prior {
                None => counts.inserted += 1,
                Some(p) if p == bytes => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
            }
            b.insert(record_key(&it.key), bytes.clone());
            seen.insert(it.key.as_str(), bytes);
        }
        if counts.inserted + counts.updated > 0 {
            let v = read_u64(tree.get(VERSION)?) + 1;
            b.insert(VERSION, &v.to_be_bytes());
        }
        tree.apply_batch(b)?;
        Ok(counts)
    }

    /// All interactions of a catalog, in key order.
    pub fn interactions(&self, catalog: &str) -> Result<Vec<Interaction>> {
        self.tree("interactions", catalog)?
            .scan_prefix(b"r")
            .values()
            .map(|v| from_json("interaction", &v?))
            .collect()
    }

    /// Number of interactions stored for a catalog.
    pub fn interaction_count(&self, catalog: &str) -> Result<usize> {
        Ok(self
            .tree("interactions", catalog)?
            .scan_prefix(b"r")
            .keys()
            .count())
    }

    /// The interactions' version: 0 when there are none, bumped by every change.
    pub fn interactions_version(&self, catalog: &str) -> Result<u64> {
        Ok(read_u64(self.tree("interactions", catalog)?.get(VERSION)?))
    }

    /// Replace the learned item descriptions, marked as learned at `version` (one batch).
    pub fn put_descriptions(
        &self,
        catalog: &str,
        version: u64,
        descriptions: &[(String, String)],
    ) -> Result<()> {
        let tree = self.tree("interactions", catalog)?;
        let mut b = sled::Batch::default();
        for k in tree.scan_prefix(b"d").keys() {
            b.remove(k?);
        }
        for (id, text) in descriptions {
            let mut k = b"d".to_vec();
            k.extend_from_slice(id.as_bytes());
            b.insert(k, text.as_bytes());
        }
        b.insert(DESCRIBED, &version.to_be_bytes());
        tree.apply_batch(b)?;
        Ok(())
    }

    /// The version the stored descriptions were learned at (`None` when never).
    pub fn descriptions_version(&self, catalog: &str) -> Result<Option<u64>> {
        let v = self.tree("interactions", catalog)?.get(DESCRIBED)?;
        Ok(v.is_some().then(|| read_u64(v)))
    }

    /// The learned description of an item, if any.
    pub fn description(&self, catalog: &str, id: &str) -> Result<Option<String>> {
        let mut k = b"d".to_vec();
        k.extend_from_slice(id.as_bytes());
        Ok(self
            .tree("interactions", catalog)?
            .get(k)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Number of items with a learned description.
    pub fn description_count(&self, catalog: &str) -> Result<usize> {
        Ok(self
            .tree("interactions", catalog)?
            .scan_prefix(b"d")
            .keys()
            .count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(key: &str, items: &[&str]) -> Interaction {
        Interaction {
            key: key.into(),
            items: items.iter().map(|s| (*s).to_string()).collect(),
            ..Interaction::default()
        }
    }

    #[test]
    fn upserts_bump_the_version_only_on_change() {
        let s = Store::temporary().expect("store");
        assert_eq!(s.interactions_version("c").expect("v"), 0);
        let c = s
            .upsert_interactions("c", &[it("user:1", &["a", "b"]), it("user:2", &["b"])])
            .expect("upsert");
        assert_eq!((c.inserted, c.updated, c.unchanged), (2, 0, 0));
        assert_eq!(s.interactions_version("c").expect("v"), 1);
        let c = s
            .upsert_interactions("c", &[it("user:1", &["a", "b"])])
            .expect("again");
        assert_eq!(c.unchanged, 1);
        assert_eq!(s.interactions_version("c").expect("v"), 1);
        let c = s
            .upsert_interactions("c", &[it("user:2", &["b", "c"])])
            .expect("change");
        assert_eq!(c.updated, 1);
        assert_eq!(s.interactions_version("c").expect("v"), 2);
        assert_eq!(s.interaction_count("c").expect("n"), 2);
        assert_eq!(s.interactions("c").expect("all")[1].items, ["b", "c"]);
        s.put_descriptions("c", 2, &[("a".into(), "scary, creepy".into())])
            .expect("descriptions");
        assert_eq!(s.descriptions_version("c").expect("dv"), Some(2));
        assert_eq!(
            s.description("c", "a").expect("d").as_deref(),
            Some("scary, creepy")
        );
        assert_eq!(s.description_count("c").expect("n"), 1);
        assert_eq!(
            s.interaction_count("c").expect("n"),
            2,
            "descriptions are not records"
        );
    }
}
