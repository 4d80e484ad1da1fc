//! Streams an interaction file into the store (`interactions/<catalog>`) in atomic batches,
//! with a progress bar and a report of what was new, changed, unchanged and skipped. Item ids
//! the catalog does not have are dropped from their interaction (and counted); a line left
//! with no catalog item is skipped with its reason. Within one file the first line of a key
//! wins and later ones are reported, so a re-import is idempotent.

use std::{collections::HashMap, collections::HashSet, path::Path, time::Instant};

use super::{open, InteractionFormat, Record};
use crate::{
    catalog::import::Skip,
    store::{ImportSummary, Store},
    Error, Result,
};

/// Interactions per atomic store batch.
const BATCH: usize = 500;

/// What one interaction import did.
#[derive(Debug, Clone)]
pub struct InteractionReport {
    /// Catalog name.
    pub catalog: String,
    /// The format read.
    pub format: InteractionFormat,
    /// Counts (interactions).
    pub summary: ImportSummary,
    /// Every skipped line with its reason.
    pub skips: Vec<Skip>,
    /// Item ids the catalog does not have, dropped from their lines.
    pub unknown_ids: usize,
    /// The first few of them, with their lines.
    pub unknown_examples: Vec<(usize, String)>,
    /// The error that stopped the import early, if any (everything before it was kept).
    pub stopped: Option<String>,
    /// Interactions stored for the catalog afterwards.
    pub total: usize,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// Import `path` into the interactions of `catalog` (which must exist).
pub fn import_interactions(
    store: &Store,
    path: &Path,
    catalog: &str,
    format: Option<InteractionFormat>,
    progress: bool,
) -> Result<InteractionReport> {
    store.require_catalog(catalog)?;
    let format = match format {
        Some(f) => f,
        None => InteractionFormat::detect(path)?,
    };
    let start = Instant::now();
    let known: HashSet<String> = store.items(catalog)?.into_iter().map(|i| i.id).collect();
    let mut records = open(path, format)?;
    let bar = crate::progress::bar(
        progress,
        records.progress().1,
        "importing interactions {msg} [{bar:30}] {bytes}/{total_bytes} eta {eta}",
        catalog,
    );
    let mut summary = ImportSummary::default();
    let mut skips = Vec::new();
    let mut stopped = None;
    let (mut unknown_ids, mut unknown_examples) = (0usize, Vec::new());
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(rec) = records.next() {
        bar.set_position(records.progress().0);
        match rec {
            Ok(Record::Interaction {
                line,
                mut interaction,
            }) => {
                if let Some(first) = first_line.get(&interaction.key) {
                    let reason = format!(
                        "duplicate key `{}` (first on line {first}, which is kept)",
                        interaction.key
                    );
                    skips.push(Skip { line, reason });
                    continue;
                }
                first_line.insert(interaction.key.clone(), line);
                let dropped = interaction.retain_known(&|id| known.contains(id));
                unknown_ids += dropped.len();
                for d in dropped
                    .iter()
                    .take(5usize.saturating_sub(unknown_examples.len()))
                {
                    unknown_examples.push((line, d.clone()));
                }
                if interaction.items.is_empty() {
                    let reason = format!(
                        "no item of catalog `{catalog}` (unknown ids: {})",
                        dropped.join(", ")
                    );
                    skips.push(Skip { line, reason });
                    continue;
                }
                batch.push(interaction);
                if batch.len() >= BATCH {
                    add(&mut summary, store.upsert_interactions(catalog, &batch)?);
                    batch.clear();
                }
            }
            Ok(Record::Skip(s)) => skips.push(s),
            Err(e) => {
                stopped = Some(e.to_string());
                break;
            }
        }
    }
    if !batch.is_empty() {
        add(&mut summary, store.upsert_interactions(catalog, &batch)?);
    }
    bar.finish_and_clear();
    summary.skipped = skips.len();
    let imported = summary.inserted + summary.updated + summary.unchanged;
    if imported == 0 {
        let why = stopped.clone().unwrap_or_else(|| {
            skips
                .first()
                .map(|s| format!("line {}: {}", s.line, s.reason))
                .unwrap_or_else(|| "the file has no lines".into())
        });
        return Err(Error::Invalid(format!(
            "{}: no interaction could be imported ({} lines skipped; {why})",
            path.display(),
            skips.len()
        )));
    }
    store.flush()?;
    Ok(InteractionReport {
        catalog: catalog.to_string(),
        format,
        summary,
        skips,
        unknown_ids,
        unknown_examples,
        stopped,
        total: store.interaction_count(catalog)?,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn add(total: &mut ImportSummary, c: ImportSummary) {
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
}
