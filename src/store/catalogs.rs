//! Catalog items and catalog metadata.

use serde::{Deserialize, Serialize};

use super::{from_json, to_json, validate_catalog_name, Store};
use crate::{catalog::Item, Error, Result};

/// Counts of one import run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Items that were new.
    pub inserted: usize,
    /// Items that existed and changed.
    pub updated: usize,
    /// Items that existed unchanged.
    pub unchanged: usize,
    /// Lines that could not be imported.
    pub skipped: usize,
}

/// What one [`Store::upsert_items`] call changed.
pub type UpsertCounts = ImportSummary;

/// The adapters a catalog uses unless told otherwise (`reco adapter use`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogAdapters {
    /// Query adapter for retrieval (`<home>/adapters/<catalog>/<name>/`).
    #[serde(default)]
    pub retrieval: Option<String>,
    /// LoRA adapter for generation (`<home>/adapters/<catalog>/lora/<name>/`).
    #[serde(default)]
    pub generation: Option<String>,
}

/// What reco knows about a catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogMeta {
    /// The catalog's name.
    pub name: String,
    /// The file it was last imported from.
    pub source: String,
    /// The importer used (steam, jsonl, csv, redial, embedded).
    pub format: String,
    /// Unix time of the last import.
    pub imported_at: u64,
    /// Number of items stored.
    pub items: usize,
    /// Counts of the last import.
    pub last_import: ImportSummary,
    /// Default adapters (absent in records written before adapters existed).
    #[serde(default)]
    pub adapters: CatalogAdapters,
}

impl Store {
    /// Names of all catalogs, sorted.
    pub fn catalog_names(&self) -> Result<Vec<String>> {
        self.catalogs
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    /// Metadata of a catalog, if it exists.
    pub fn catalog(&self, name: &str) -> Result<Option<CatalogMeta>> {
        self.catalogs
            .get(name.as_bytes())?
            .map(|v| from_json("catalog metadata", &v))
            .transpose()
    }

    /// Metadata of a catalog, or a not-found error naming it.
    pub fn require_catalog(&self, name: &str) -> Result<CatalogMeta> {
        self.catalog(name)?.ok_or_else(|| {
            Error::NotFound(format!(
                "catalog `{name}` (import one with `reco catalog import FILE --name {name}`)"
            ))
        })
    }

    /// Write a catalog's metadata. The stored default adapters are kept (an import writes
    /// metadata and must not forget them); [`Store::set_catalog_adapters`] changes them.
    pub fn put_catalog(&self, meta: &CatalogMeta) -> Result<()> {
        validate_catalog_name(&meta.name)?;
        let mut meta = meta.clone();
        if let Some(old) = self.catalog(&meta.name)? {
            meta.adapters = old.adapters;
        }
        self.catalogs
            .insert(meta.name.as_bytes(), to_json(&meta)?)?;
        Ok(())
    }

    /// Set a catalog's default adapters (the catalog must exist).
    pub fn set_catalog_adapters(&self, name: &str, adapters: CatalogAdapters) -> Result<()> {
        let mut meta = self.require_catalog(name)?;
        meta.adapters = adapters;
        self.catalogs.insert(name.as_bytes(), to_json(&meta)?)?;
        self.db.flush()?;
        Ok(())
    }

    /// Insert or update items of `catalog` in one atomic batch; returns what changed.
    pub fn upsert_items(&self, catalog: &str, items: &[Item]) -> Result<UpsertCounts> {
        validate_catalog_name(catalog)?;
        let tree = self.tree("items", catalog)?;
        let mut batch = sled::Batch::default();
        let mut counts = UpsertCounts::default();
        // Later duplicates within one batch win, as they would across batches.
        let mut seen: std::collections::HashMap<&str, Vec<u8>> = std::collections::HashMap::new();
        for item in items {
            let bytes = to_json(item)?;
            let prior = match seen.get(item.id.as_str()) {
                Some(b) => Some(std::borrow::Cow::Borrowed(b)),
                None => tree
                    .get(item.id.as_bytes())?
                    .map(|v| std::borrow::Cow::Owned(v.to_vec())),
            };
            match prior {
                None => counts.inserted += 1,
                Some(p) if p.as_ref() == bytes.as_slice() => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
            }
            batch.insert(item.id.as_bytes(), bytes.clone());
            seen.insert(item.id.as_str(), bytes);
        }
        tree.apply_batch(batch)?;
        Ok(counts)
    }

    /// One item by id.
    pub fn item(&self, catalog: &str, id: &str) -> Result<Option<Item>> {
        self.tree("items", catalog)?
            .get(id.as_bytes())?
            .map(|v| from_json("item", &v))
            .transpose()
    }

    /// Number of items stored for a catalog.
    pub fn item_count(&self, catalog: &str) -> Result<usize> {
        Ok(self.tree("items", catalog)?.len())
    }

    /// All items of a catalog, in id order.
    pub fn items(&self, catalog: &str) -> Result<Vec<Item>> {
        self.tree("items", catalog)?
            .iter()
            .values()
            .map(|v| from_json("item", &v?))
            .collect()
    }

    /// Delete a catalog: its items, vectors and metadata. Returns whether it existed.
    ///
    /// The metadata goes first and is flushed, so a crash part-way leaves no visible catalog;
    /// the item and vector trees of a catalog without metadata are dropped again by
    /// [`Store::register_catalog`] before anything is imported under that name.
    pub fn remove_catalog(&self, name: &str) -> Result<bool> {
        let existed = self.catalogs.remove(name.as_bytes())?.is_some();
        self.db.flush()?;
        self.drop_catalog_trees(name)?;
        self.db.flush()?;
        Ok(existed)
    }

    fn drop_catalog_trees(&self, name: &str) -> Result<()> {
        for prefix in ["items", "vectors", "interactions"] {
            let tree_name = format!("{prefix}/{name}");
            self.db.drop_tree(tree_name.as_bytes())?;
        }
        Ok(())
    }

    /// Register a catalog before its first import batch. A name with no metadata may still
    /// have trees left by a removal that was interrupted: those are dropped first, so an old
    /// catalog's items never reappear under a new import.
    pub fn register_catalog(&self, meta: &CatalogMeta) -> Result<()> {
        validate_catalog_name(&meta.name)?;
        if self.catalog(&meta.name)?.is_none() {
            self.drop_catalog_trees(&meta.name)?;
        }
        self.put_catalog(meta)?;
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str) -> Item {
        Item {
            id: id.into(),
            title: title.into(),
            ..Item::default()
        }
    }

    #[test]
    fn upsert_counts_and_idempotence() {
        let s = Store::temporary().expect("store");
        let items = vec![item("1", "A"), item("2", "B")];
        let c = s.upsert_items("t", &items).expect("upsert");
        assert_eq!((c.inserted, c.updated, c.unchanged), (2, 0, 0));
        let c = s.upsert_items("t", &items).expect("again");
        assert_eq!((c.inserted, c.updated, c.unchanged), (0, 0, 2));
        let c = s.upsert_items("t", &[item("2", "B2")]).expect("change");
        assert_eq!(c.updated, 1);
        assert_eq!(s.item_count("t").expect("count"), 2);
        assert_eq!(
            s.item("t", "2").expect("get").map(|i| i.title),
            Some("B2".into())
        );
        assert!(s.remove_catalog("t").is_ok());
        assert_eq!(s.item_count("t").expect("count"), 0);
    }

    #[test]
    fn default_adapters_survive_reimport_and_old_records_load() {
        let s = Store::temporary().expect("store");
        let meta = CatalogMeta {
            name: "c".into(),
            source: "f".into(),
            format: "jsonl".into(),
            imported_at: 0,
            items: 0,
            last_import: ImportSummary::default(),
            adapters: CatalogAdapters::default(),
        };
        s.put_catalog(&meta).expect("put");
        let chosen = CatalogAdapters {
            retrieval: Some("steam-q".into()),
            generation: None,
        };
        s.set_catalog_adapters("c", chosen.clone()).expect("set");
        s.put_catalog(&meta).expect("re-import");
        assert_eq!(s.require_catalog("c").expect("meta").adapters, chosen);
        assert!(s.set_catalog_adapters("nope", chosen).is_err());
        let old = r#"{"name":"o","source":"f","format":"jsonl","imported_at":0,"items":0,"last_import":{"inserted":0,"updated":0,"unchanged":0,"skipped":0}}"#;
        let m: CatalogMeta = serde_json::from_str(old).expect("old record");
        assert_eq!(m.adapters, CatalogAdapters::default());
    }

    #[test]
    fn duplicate_ids_in_one_batch_count_once() {
        let s = Store::temporary().expect("store");
        let c = s
            .upsert_items("t", &[item("1", "A"), item("1", "A2"), item("1", "A2")])
            .expect("upsert");
        assert_eq!((c.inserted, c.updated, c.unchanged), (1, 1, 1));
        assert_eq!(s.item_count("t").expect("count"), 1);
    }
}
