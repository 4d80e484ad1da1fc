//! Building and refreshing a catalog's stored vectors: embed each item's text, store the
//! vector with a hash of that text, and on later runs embed only new or changed items.

use std::{collections::HashSet, time::Instant};

use crate::{
    catalog::Item,
    embed::Embedder,
    store::{Store, StoredVector},
    Result,
};

/// Items embedded per model call.
const BATCH: usize = 64;
/// Vectors written per atomic store batch.
const WRITE_EVERY: usize = 512;

/// What an index run did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IndexReport {
    /// Items embedded now.
    pub embedded: usize,
    /// Items whose stored vector was still valid.
    pub unchanged: usize,
    /// Vectors removed because their item is gone.
    pub removed: usize,
    /// Wall time of the embedding, seconds.
    pub seconds: f64,
}

impl IndexReport {
    /// Items embedded per second (0 when nothing was embedded).
    #[must_use]
    pub fn items_per_second(&self) -> f64 {
        if self.embedded == 0 || self.seconds <= 0.0 {
            0.0
        } else {
            self.embedded as f64 / self.seconds
        }
    }
}

/// FNV-1a 64-bit hash: stable across Rust versions and platforms (unlike `DefaultHasher`).
#[must_use]
pub fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Embed what is new or changed in `catalog`; with `progress`, show a bar with items/s.
pub fn build(
    store: &Store,
    catalog: &str,
    embedder: &dyn Embedder,
    progress: bool,
) -> Result<IndexReport> {
    store.require_catalog(catalog)?;
    let items = store.items(catalog)?;
    build_for(store, catalog, &items, embedder, progress)
}

/// [`build`] for items the caller already loaded (all of the catalog's items), so that a
/// searcher reads them from the store once.
pub fn build_for(
    store: &Store,
    catalog: &str,
    items: &[Item],
    embedder: &dyn Embedder,
    progress: bool,
) -> Result<IndexReport> {
    let same_model = store.vector_model(catalog)?.as_deref() == Some(embedder.id());
    let stored = if same_model {
        store.vector_hashes(catalog)?
    } else {
        Default::default()
    };
    let mut report = IndexReport::default();
    let live: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let gone: Vec<String> = stored
        .keys()
        .filter(|id| !live.contains(id.as_str()))
        .cloned()
        .collect();
    if !gone.is_empty() {
        store.remove_vectors(catalog, &gone)?;
        report.removed = gone.len();
    }
    let mut todo: Vec<(&str, String, u64)> = items
        .iter()
        .filter_map(|it| {
            let text = it.embed_text();
            let h = text_hash(&text);
            if stored.get(&it.id) == Some(&h) {
                None
            } else {
                Some((it.id.as_str(), text, h))
            }
        })
        .collect();
    report.unchanged = items.len() - todo.len();
    // Batches of similar length: the model pads each batch to its longest text.
    // (measured: 20% more items/s on Steam than in id order).
    todo.sort_by_key(|(_, t, _)| t.len());
    if todo.is_empty() {
        if !same_model && items.is_empty() {
            store.put_vectors(catalog, embedder.id(), &[])?;
        }
        return Ok(report);
    }
    let bar = crate::progress::bar(
        progress,
        todo.len() as u64,
        "indexing {msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        catalog,
    );
    let start = Instant::now();
    let mut pending: Vec<(usize, Vec<f32>)> = Vec::new();
    let chunks: Vec<&[(&str, String, u64)]> = todo.chunks(BATCH).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = embedder.parallelism().clamp(1, chunks.len().max(1));
    // Workers embed batches side by side; this thread writes what they send, in batches.
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::channel::<Result<(usize, Vec<Vec<f32>>)>>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (chunks, next) = (&chunks, &next);
            scope.spawn(move || loop {
                let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(b) else { break };
                let texts: Vec<&str> = chunk.iter().map(|(_, t, _)| t.as_str()).collect();
                let r = embedder.embed(&texts).map(|v| (b, v));
                let failed = r.is_err();
                if tx.send(r).is_err() || failed {
                    break;
                }
            });
        }
        drop(tx);
        for r in rx {
            let (b, vecs) = match r {
                Ok(x) => x,
                Err(e) => {
                    // Stop the other workers: they find no more batches.
                    next.store(chunks.len(), std::sync::atomic::Ordering::Relaxed);
                    return Err(e);
                }
            };
            bar.inc(vecs.len() as u64);
            pending.extend(
                vecs.into_iter()
                    .enumerate()
                    .map(|(k, v)| (b * BATCH + k, v)),
            );
            if pending.len() >= WRITE_EVERY {
                flush(store, catalog, embedder.id(), &todo, &mut pending)?;
            }
        }
        Ok(())
    })?;
    flush(store, catalog, embedder.id(), &todo, &mut pending)?;
    bar.finish_and_clear();
    report.embedded = todo.len();
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

fn flush(
    store: &Store,
    catalog: &str,
    model: &str,
    todo: &[(&str, String, u64)],
    pending: &mut Vec<(usize, Vec<f32>)>,
) -> Result<()> {
    let batch: Vec<StoredVector<'_>> = pending
        .iter()
        .map(|(i, v)| StoredVector {
            id: todo[*i].0,
            text_hash: todo[*i].2,
            vector: v,
        })
        .collect();
    store.put_vectors(catalog, model, &batch)?;
    pending.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{embed::HashEmbedder, store::CatalogMeta};

    fn setup(items: &[Item]) -> Store {
        let s = Store::temporary().expect("store");
        s.upsert_items("c", items).expect("items");
        s.put_catalog(&CatalogMeta {
            name: "c".into(),
            source: "test".into(),
            format: "jsonl".into(),
            imported_at: 0,
            items: items.len(),
            last_import: Default::default(),
            adapters: Default::default(),
        })
        .expect("meta");
        s
    }

    #[test]
    fn reindex_embeds_only_changes() {
        let mut items: Vec<Item> = (0..100)
            .map(|i| Item {
                id: format!("{i:03}"),
                title: format!("Game {i}"),
                ..Item::default()
            })
            .collect();
        let s = setup(&items);
        let e = HashEmbedder::new(32);
        let r = build(&s, "c", &e, false).expect("index");
        assert_eq!((r.embedded, r.unchanged), (100, 0));
        let r = build(&s, "c", &e, false).expect("again");
        assert_eq!((r.embedded, r.unchanged), (0, 100));
        items[5].title = "Changed".into();
        s.upsert_items("c", &items[5..6]).expect("change");
        let r = build(&s, "c", &e, false).expect("changed");
        assert_eq!((r.embedded, r.unchanged), (1, 99));
        assert_eq!(s.vectors("c").expect("load").len(), 100);
    }
}
