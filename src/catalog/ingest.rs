//! Streams an importer's records into the store in atomic batches, with a progress bar over
//! the bytes read and a report of what was inserted, updated, left unchanged and skipped.

use std::{path::Path, time::Instant};

use super::import::{self, FieldMap, Format, Record, Skip};
use crate::{
    config::Config,
    store::{sessions_now, CatalogMeta, ImportSummary, Store},
    Error, Result,
};

/// Name of the embedded demo catalog.
pub const DEFAULT_CATALOG: &str = "games";
const DEFAULT_JSONL: &str = include_str!("../../catalogs/games.jsonl");
/// Items per atomic store batch.
const BATCH: usize = 1000;

/// What one import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Catalog name.
    pub catalog: String,
    /// Counts.
    pub summary: ImportSummary,
    /// Every skipped line with its reason.
    pub skips: Vec<Skip>,
    /// Every imported line whose fields held control characters (removed), with the fields.
    pub cleaned: Vec<Skip>,
    /// The error that stopped the import early, if any (everything before it was kept).
    pub stopped: Option<String>,
    /// Items in the catalog afterwards.
    pub total_items: usize,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl ImportReport {
    /// Records (imported + skipped) per second.
    #[must_use]
    pub fn records_per_second(&self) -> f64 {
        let s = &self.summary;
        let n = s.inserted + s.updated + s.unchanged + s.skipped;
        if self.seconds > 0.0 {
            n as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Import `path` into catalog `name`. A fatal error part-way keeps what came before it and is
/// reported in [`ImportReport::stopped`]; one before any item is returned as the error.
pub fn import_file(
    store: &Store,
    path: &Path,
    name: &str,
    format: Option<Format>,
    map: &FieldMap,
    progress: bool,
) -> Result<ImportReport> {
    crate::store::validate_catalog_name(name)?;
    let format = match format {
        Some(f) => f,
        None => Format::detect(path)?,
    };
    let start = Instant::now();
    let mut records = import::open(path, format, map)?;
    let bar = crate::progress::bar(
        progress,
        records.total_bytes(),
        "importing {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        name,
    );
    let created = store.catalog(name)?.is_none();
    if created {
        // Registered before the first batch, so items of an interrupted import stay reachable.
        store.register_catalog(&CatalogMeta {
            name: name.to_string(),
            source: path.display().to_string(),
            format: format_name(format).to_string(),
            imported_at: sessions_now(),
            items: 0,
            last_import: ImportSummary::default(),
            adapters: Default::default(),
        })?;
    }
    let mut summary = ImportSummary::default();
    let mut skips = Vec::new();
    let mut cleaned = Vec::new();
    let mut stopped = None;
    let mut batch = Vec::with_capacity(BATCH);
    let mut first_error = None;
    let mut n = 0usize;
    // First occurrence of an id wins; later ones are reported, so re-imports are idempotent.
    let mut first_line: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    while let Some(rec) = records.next() {
        n += 1;
        if n.is_multiple_of(512) {
            bar.set_position(records.bytes_read());
        }
        match rec {
            Ok(Record::Item {
                item,
                line,
                cleaned: fields,
            }) => {
                if !fields.is_empty() {
                    cleaned.push(Skip {
                        line,
                        reason: format!("control characters removed from {}", fields.join(", ")),
                    });
                }
                if let Some(first) = first_line.get(&item.id) {
                    skips.push(Skip {
                        line,
                        reason: format!(
                            "duplicate id `{}` (first on line {first}, which is kept)",
                            item.id
                        ),
                    });
                    continue;
                }
                first_line.insert(item.id.clone(), line);
                batch.push(*item);
                if batch.len() >= BATCH {
                    add(&mut summary, store.upsert_items(name, &batch)?);
                    batch.clear();
                }
            }
            Ok(Record::Skip(s)) => skips.push(s),
            Err(e) => {
                stopped = Some(e.to_string());
                first_error = Some(e);
                break;
            }
        }
    }
    bar.set_position(records.bytes_read());
    if !batch.is_empty() {
        add(&mut summary, store.upsert_items(name, &batch)?);
    }
    bar.finish_and_clear();
    summary.skipped = skips.len();
    let imported = summary.inserted + summary.updated + summary.unchanged;
    if imported == 0 {
        if created && store.item_count(name)? == 0 {
            store.remove_catalog(name)?;
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        return Err(Error::Invalid(format!(
            "{}: no item could be imported ({} lines skipped{})",
            path.display(),
            skips.len(),
            skips
                .first()
                .map(|s| format!("; line {}: {}", s.line, s.reason))
                .unwrap_or_default()
        )));
    }
    let total_items = store.item_count(name)?;
    store.put_catalog(&CatalogMeta {
        name: name.to_string(),
        source: path.display().to_string(),
        format: format_name(format).to_string(),
        imported_at: sessions_now(),
        items: total_items,
        last_import: summary,
        adapters: Default::default(),
    })?;
    store.flush()?;
    Ok(ImportReport {
        catalog: name.to_string(),
        summary,
        skips,
        cleaned,
        stopped,
        total_items,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn add(total: &mut ImportSummary, c: ImportSummary) {
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Steam => "steam",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Redial => "redial",
    }
}

/// Install the embedded demo catalog when it is missing or was built from another version
/// of the embedded file. Returns whether it (re)imported.
pub fn ensure_default(store: &Store, config: &Config) -> Result<bool> {
    let tag = format!(
        "embedded games.jsonl #{:016x}",
        crate::retrieve::index::text_hash(DEFAULT_JSONL)
    );
    if store
        .catalog(DEFAULT_CATALOG)?
        .is_some_and(|m| m.source == tag)
    {
        return Ok(false);
    }
    let dir = config.home.join("catalogs");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let file = dir.join("games.jsonl");
    std::fs::write(&file, DEFAULT_JSONL).map_err(|e| Error::io(&file, e))?;
    let report = import_file(
        store,
        &file,
        DEFAULT_CATALOG,
        Some(Format::Jsonl),
        &FieldMap::default(),
        false,
    )?;
    if let Some(why) = report.stopped {
        return Err(Error::Invalid(format!("embedded catalog: {why}")));
    }
    let mut meta = store.require_catalog(DEFAULT_CATALOG)?;
    meta.source = tag;
    meta.format = "embedded".into();
    store.put_catalog(&meta)?;
    Ok(true)
}
