//! `reco catalog import | list | show | stats | remove | index | interactions` and `reco search`.
//! Everything printed from a catalog is terminal-safe: cards through [`crate::render::card`],
//! JSON through [`crate::render::json`] (which also escapes the C1 controls and bidirectional
//! overrides that serde_json leaves raw).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::{
    catalog::{
        import::{FieldMap, Format},
        import_file,
        interactions::{import_interactions, InteractionFormat},
        Item,
    },
    engine::Engine,
    retrieve::{Mode, SearchOptions},
    Error, Result,
};

/// Catalog subcommands.
#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// Import a catalog file (Steam .json.gz/.jsonl, ReDial movies CSV, any JSONL or CSV).
    Import {
        /// The file to import.
        file: PathBuf,
        /// Catalog name (default: the file name without extensions).
        #[arg(long)]
        name: Option<String>,
        /// Importer: steam, jsonl, csv, redial (default: detected).
        #[arg(long)]
        format: Option<String>,
        /// Field mapping for JSONL/CSV, e.g. `title=name,id=sku,genres=category`.
        #[arg(long, value_name = "SPEC")]
        map: Option<String>,
        /// Show every skipped line (default: the first 20).
        #[arg(long)]
        all_skips: bool,
    },
    /// List catalogs.
    List,
    /// Show one item as JSON.
    Show {
        /// Item id.
        id: String,
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
    },
    /// Counts of a catalog: items, vectors, last import.
    Stats {
        /// Catalog (default: the default catalog).
        name: Option<String>,
    },
    /// Delete a catalog with its items and vectors.
    Remove {
        /// Catalog name.
        name: String,
    },
    /// Embed new or changed items of a catalog (progress bar with items/s).
    Index {
        /// Catalog (default: the default catalog).
        name: Option<String>,
    },
    /// What people did with a catalog's items, for the collaborative ranker.
    #[command(subcommand)]
    Interactions(InteractionsCmd),
}

/// `reco catalog interactions ...`.
#[derive(Debug, Subcommand)]
pub enum InteractionsCmd {
    /// Import interactions (incremental): ReDial dialogues, or JSON lines of
    /// `{"user" | "session": …, "items": [...], "liked"?: [...], "disliked"?: [...]}`.
    Import {
        /// The file (plain or gzip).
        file: PathBuf,
        /// Catalog whose item ids the file uses (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Format: redial or jsonl (default: detected).
        #[arg(long)]
        format: Option<String>,
        /// Show every skipped line (default: the first 20).
        #[arg(long)]
        all_skips: bool,
    },
    /// Counts, the trained model, and learned descriptions of the most popular items.
    Stats {
        /// Catalog (default: the default catalog).
        name: Option<String>,
    },
}

/// `reco search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What you are looking for.
    pub query: String,
    /// Catalog (default: the default catalog).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// Number of results.
    #[arg(long, short, default_value_t = 10)]
    pub k: usize,
    /// Signals: fused, dense or lexical.
    #[arg(long, default_value = "fused")]
    pub mode: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Query adapter: a name from `reco adapter list`, or `none` (default: the catalog's).
    #[arg(long, value_name = "NAME|none")]
    pub adapter: Option<String>,
}

/// Parse a mode name.
pub fn parse_mode(s: &str) -> Result<Mode> {
    match s {
        "fused" => Ok(Mode::Fused),
        "dense" => Ok(Mode::Dense),
        "lexical" => Ok(Mode::Lexical),
        o => Err(Error::Invalid(format!(
            "mode `{o}`: expected fused, dense or lexical"
        ))),
    }
}

/// Run a catalog subcommand.
pub fn run(engine: &Engine, cmd: CatalogCmd) -> Result<()> {
    let store = &engine.store;
    match cmd {
        CatalogCmd::Import {
            file,
            name,
            format,
            map,
            all_skips,
        } => {
            let name = name.unwrap_or_else(|| default_name(&file));
            let format = format.as_deref().map(Format::parse).transpose()?;
            let map = map
                .as_deref()
                .map(FieldMap::parse)
                .transpose()?
                .unwrap_or_default();
            let r = import_file(store, &file, &name, format, &map, engine.progress)?;
            let s = r.summary;
            println!(
                "{}: {} new, {} updated, {} unchanged, {} skipped, {} cleaned in {:.1}s ({:.0} records/s); {} items in catalog",
                r.catalog, s.inserted, s.updated, s.unchanged, s.skipped, r.cleaned.len(), r.seconds,
                r.records_per_second(), r.total_items
            );
            print_skips(&file, &r.skips, all_skips);
            let cleaned = if all_skips {
                r.cleaned.len()
            } else {
                r.cleaned.len().min(20)
            };
            for c in &r.cleaned[..cleaned] {
                println!("  cleaned {}:{}: {}", file.display(), c.line, c.reason);
            }
            if cleaned < r.cleaned.len() {
                println!(
                    "  ... {} more cleaned lines (--all-skips lists them)",
                    r.cleaned.len() - cleaned
                );
            }
            if let Some(why) = r.stopped {
                return Err(Error::Invalid(format!(
                    "import stopped early: {why}; the {} items before it were kept",
                    s.inserted + s.updated + s.unchanged
                )));
            }
        }
        CatalogCmd::List => {
            engine.ensure_catalog(crate::catalog::DEFAULT_CATALOG)?;
            println!("{:<16} {:>8} {:<8} SOURCE", "CATALOG", "ITEMS", "FORMAT");
            for n in store.catalog_names()? {
                if let Some(m) = store.catalog(&n)? {
                    println!(
                        "{:<16} {:>8} {:<8} {}",
                        m.name,
                        m.items,
                        m.format,
                        crate::text::terminal_line(&m.source)
                    );
                }
            }
        }
        CatalogCmd::Show { id, catalog } => {
            let c = engine.catalog_name(catalog.as_deref());
            engine.ensure_catalog(&c)?;
            let item = store
                .item(&c, &id)?
                .ok_or_else(|| Error::NotFound(format!("item `{id}` in catalog `{c}`")))?;
            println!("{}", crate::render::json_pretty(&item));
        }
        CatalogCmd::Stats { name } => {
            let c = engine.catalog_name(name.as_deref());
            engine.ensure_catalog(&c)?;
            let m = store.require_catalog(&c)?;
            let vectors = store.vector_hashes(&c)?.len();
            let l = m.last_import;
            println!("catalog   {}", m.name);
            println!("items     {}", store.item_count(&c)?);
            println!(
                "vectors   {vectors} ({})",
                store
                    .vector_model(&c)?
                    .unwrap_or_else(|| "not indexed".into())
            );
            println!("source    {} ({})", m.source, m.format);
            println!("imported  {} (unix time)", m.imported_at);
            println!(
                "last run  {} new, {} updated, {} unchanged, {} skipped",
                l.inserted, l.updated, l.unchanged, l.skipped
            );
        }
        CatalogCmd::Remove { name } => {
            if store.remove_catalog(&name)? {
                store.flush()?;
                println!("removed catalog {name}");
            } else {
                return Err(Error::NotFound(format!("catalog `{name}`")));
            }
        }
        CatalogCmd::Index { name } => {
            let c = engine.catalog_name(name.as_deref());
            let e = engine.embedder()?;
            let r = engine.index(&c, &*e)?;
            println!(
                "{c}: embedded {}, unchanged {}, removed {} in {:.1}s ({:.0} items/s)",
                r.embedded,
                r.unchanged,
                r.removed,
                r.seconds,
                r.items_per_second()
            );
        }
        CatalogCmd::Interactions(cmd) => interactions(engine, cmd)?,
    }
    Ok(())
}

fn interactions(engine: &Engine, cmd: InteractionsCmd) -> Result<()> {
    let store = &engine.store;
    let (c, import) = match &cmd {
        InteractionsCmd::Import { catalog, .. } => (engine.catalog_name(catalog.as_deref()), true),
        InteractionsCmd::Stats { name } => (engine.catalog_name(name.as_deref()), false),
    };
    engine.ensure_catalog(&c)?;
    if let InteractionsCmd::Import {
        file,
        format,
        all_skips,
        ..
    } = &cmd
    {
        let format = format
            .as_deref()
            .map(InteractionFormat::parse)
            .transpose()?;
        let r = import_interactions(store, file, &c, format, engine.progress)?;
        let s = r.summary;
        println!(
            "{c}: {} new, {} updated, {} unchanged, {} skipped {} interactions in {:.1}s; {} in the catalog",
            s.inserted, s.updated, s.unchanged, s.skipped, r.format.name(), r.seconds, r.total
        );
        if r.unknown_ids > 0 {
            let ex: Vec<String> = r
                .unknown_examples
                .iter()
                .map(|(l, id)| format!("line {l}: `{}`", crate::text::terminal_line(id)))
                .collect();
            println!(
                "  {} item ids are not in `{c}` and were left out (e.g. {})",
                r.unknown_ids,
                ex.join(", ")
            );
        }
        print_skips(file, &r.skips, *all_skips);
        if let Some(why) = r.stopped {
            return Err(Error::Invalid(format!(
                "import stopped early: {why}; the interactions before it were kept"
            )));
        }
    }
    let retriever = crate::retrieve::Retriever::load(store, &c)?;
    let Some(model) = engine.collab(&c, &retriever)? else {
        println!("{c}: no interactions (import some with `reco catalog interactions import FILE --catalog {c}`)");
        return Ok(());
    };
    let t = model.stats;
    println!(
        "model: {:?} over {} interactions, {} items, {} pairs, {} words; trained in {:.2}s",
        model.method, t.interactions, t.items, t.pairs, t.words, t.seconds
    );
    println!(
        "learned descriptions: {} items",
        store.description_count(&c)?
    );
    if !import {
        for (i, _) in model.popular(5, &|_| true) {
            let it = &retriever.items()[i];
            if let Some(d) = store.description(&c, &it.id)? {
                println!(
                    "  {}: {}",
                    crate::text::terminal_line(&it.title),
                    crate::text::terminal_line(&d)
                );
            }
        }
    }
    Ok(())
}

fn print_skips(file: &std::path::Path, skips: &[crate::catalog::import::Skip], all: bool) {
    let shown = if all {
        skips.len()
    } else {
        skips.len().min(20)
    };
    for sk in &skips[..shown] {
        println!(
            "  skipped {}:{}: {}",
            file.display(),
            sk.line,
            crate::text::terminal_line(&sk.reason)
        );
    }
    if shown < skips.len() {
        println!(
            "  ... {} more skipped lines (--all-skips lists them)",
            skips.len() - shown
        );
    }
}

fn default_name(file: &std::path::Path) -> String {
    let base = file
        .file_name()
        .map(|f| f.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = base.split('.').next().unwrap_or_default();
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if clean.is_empty() {
        "catalog".into()
    } else {
        clean
    }
}

/// `reco search`.
pub fn search(engine: &Engine, a: &SearchArgs) -> Result<()> {
    let c = engine.catalog_name(a.catalog.as_deref());
    let s = engine.prepare_with(&c, a.adapter.as_deref())?;
    let opts = SearchOptions {
        k: a.k,
        mode: parse_mode(&a.mode)?,
        ..SearchOptions::default()
    };
    let t = std::time::Instant::now();
    let r = s.search(&a.query, &opts)?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let items: Vec<&Item> = r
        .hits
        .iter()
        .map(|h| &s.retriever.items()[h.index])
        .collect();
    if a.json {
        let hits: Vec<serde_json::Value> = r
            .hits
            .iter()
            .zip(&items)
            .map(|(h, it)| {
                serde_json::json!({"id": it.id, "title": it.title, "score": h.score,
                "price": it.price.map(crate::catalog::Price::amount), "year": it.year,
                "addon": it.is_addon(),
                "dense_rank": h.dense_rank, "lexical_rank": h.lexical_rank})
            })
            .collect();
        let f = &r.parsed.filters;
        let out = serde_json::json!({"hits": hits, "text": r.parsed.text, "filters": {
            "price_max": f.price_max, "price_min": f.price_min, "free": f.free,
            "year_min": f.year_min, "year_max": f.year_max, "labels": f.labels,
            "not_labels": f.not_labels, "avoid_labels": f.avoid_labels}, "labels_relaxed": r.labels_relaxed, "ms": ms});
        println!("{}", crate::render::json(&out));
        return Ok(());
    }
    if !r.parsed.filters.is_empty() {
        println!(
            "filters: {}",
            crate::text::terminal_line(&format!("{:?}", r.parsed.filters))
        );
    }
    for (i, it) in items.iter().enumerate() {
        println!("{:>2}. {}", i + 1, crate::render::card(it));
    }
    println!("({} results in {ms:.1} ms)", items.len());
    Ok(())
}
