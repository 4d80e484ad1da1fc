//! `reco adapter train | list | eval | use | remove`: per-catalog query adapters (see
//! [`crate::adapter`]) and the generation LoRA adapter a catalog names (see
//! [`crate::generate::lora`]).

use std::sync::Arc;

use clap::{Args, Subcommand};

use crate::{
    adapter::{train, QueryAdapter, TrainOptions},
    engine::Engine,
    eval::{
        queries::{generate_split, Split},
        retrieval::{self, Ranker},
    },
    generate::lora,
    retrieve::Mode,
    store::CatalogAdapters,
    Error, Result,
};

/// Adapter subcommands.
#[derive(Debug, Subcommand)]
pub enum AdapterCmd {
    /// Train a query adapter on the catalog's generated queries (train split), early-stopped
    /// on the validation split.
    Train(TrainArgs),
    /// List a catalog's adapters (every catalog's without --catalog).
    List {
        /// Catalog.
        #[arg(long, short)]
        catalog: Option<String>,
    },
    /// Base vs adapted retrieval on the held-out test split, per query type, macro means with
    /// bootstrap intervals and a paired comparison.
    Eval {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Adapter (default: the catalog's default adapter).
        #[arg(long)]
        name: Option<String>,
        /// Test queries per type.
        #[arg(long, default_value_t = 100)]
        per_type: usize,
        /// Ranking compared: fused (what reco serves) or dense (the backbone alone).
        #[arg(long, default_value = "fused")]
        mode: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Make an adapter the catalog's default (`none` clears it). With --generation, a LoRA
    /// adapter for the generation model (imported with `reco adapter import-lora`).
    Use {
        /// Adapter name, or `none`.
        name: String,
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Set the generation adapter instead of the query adapter.
        #[arg(long)]
        generation: bool,
    },
    /// Delete an adapter (and clear it as the catalog's default).
    Remove {
        /// Adapter name.
        name: String,
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Remove a generation (LoRA) adapter instead.
        #[arg(long)]
        generation: bool,
    },
    /// Bring a generation adapter: copy a PEFT LoRA folder (`adapter_config.json` +
    /// `adapter_model.safetensors`) in as `NAME` for a catalog.
    ImportLora {
        /// The PEFT folder.
        dir: std::path::PathBuf,
        /// Name to give it.
        #[arg(long)]
        name: String,
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
    },
}

/// `reco adapter train` arguments.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Catalog (default: the default catalog).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// Adapter name (its folder).
    #[arg(long, default_value = "main")]
    pub name: String,
    /// What the adapter reads: `pooled` (the backbone's pooled query vector) or `token` (its
    /// per-token states; measured no better on Steam, see docs/ARCHITECTURE.md#adapters).
    #[arg(long, default_value = "pooled")]
    pub kind: crate::adapter::Kind,
    /// Rank of the adapter.
    #[arg(long, default_value_t = crate::adapter::DEFAULT_RANK)]
    pub rank: usize,
    /// Seed (query generation and splits, initialisation, shuffling).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Train queries generated per type.
    #[arg(long, default_value_t = 1500)]
    pub per_type: usize,
    /// Most epochs.
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// AdamW learning rate.
    #[arg(long, default_value_t = TrainOptions::default().lr)]
    pub lr: f64,
    /// Rows per optimisation step.
    #[arg(long, default_value_t = TrainOptions::default().batch)]
    pub batch: usize,
    /// Make it the catalog's default adapter (done anyway when the catalog has none).
    #[arg(long = "use")]
    pub use_it: bool,
}

/// Run an adapter command.
pub fn run(engine: &Engine, cmd: AdapterCmd) -> Result<()> {
    match cmd {
        AdapterCmd::Train(a) => train_cmd(engine, &a),
        AdapterCmd::List { catalog } => list(engine, catalog.as_deref()),
        AdapterCmd::Eval {
            catalog,
            name,
            per_type,
            mode,
            json,
        } => eval(
            engine,
            catalog.as_deref(),
            name.as_deref(),
            per_type,
            &mode,
            json,
        ),
        AdapterCmd::Use {
            name,
            catalog,
            generation,
        } => use_adapter(
            engine,
            &engine.catalog_name(catalog.as_deref()),
            &name,
            generation,
        ),
        AdapterCmd::Remove {
            name,
            catalog,
            generation,
        } => remove(
            engine,
            &engine.catalog_name(catalog.as_deref()),
            &name,
            generation,
        ),
        AdapterCmd::ImportLora { dir, name, catalog } => {
            let c = engine.catalog_name(catalog.as_deref());
            engine.store.require_catalog(&c)?;
            let to = lora::import(&engine.config.home, &c, &name, &dir)?;
            println!(
                "imported LoRA adapter `{name}` for `{c}` into {}; use it with `reco adapter use {name} --generation --catalog {c}`",
                to.display()
            );
            Ok(())
        }
    }
}

fn train_cmd(engine: &Engine, a: &TrainArgs) -> Result<()> {
    let c = engine.catalog_name(a.catalog.as_deref());
    let searcher = engine.prepare_with(&c, Some("none"))?;
    let opts = TrainOptions {
        kind: a.kind,
        rank: a.rank,
        seed: a.seed,
        per_type: a.per_type,
        epochs: a.epochs,
        lr: a.lr,
        batch: a.batch,
        ..TrainOptions::default()
    };
    let cache = engine.config.home.join("adapters").join(&c).join(".cache");
    let adapter = train::train(
        &searcher.retriever,
        &*searcher.embedder,
        &a.name,
        opts,
        Some(&cache),
        engine.progress,
    )?;
    let dir = engine.adapters().save(&adapter)?;
    let m = &adapter.manifest;
    let metric = |k: &str| m.metrics.get(k).copied().unwrap_or(0.0);
    println!(
        "trained {} adapter `{}` for `{c}` (rank {}, seed {}) in {:.0} s: {} train rows, {} validation queries, best epoch {} of {}",
        m.kind.as_str(),
        m.name,
        m.rank,
        m.train.seed,
        metric("train_s"),
        m.queries.get("train").copied().unwrap_or(0),
        m.queries.get("validation").copied().unwrap_or(0),
        metric("best_epoch"),
        metric("epochs")
    );
    println!(
        "validation, macro (Hit@5 + nDCG@10) / 2: dense {:.3} → {:.3}, fused {:.3} → {:.3} (dense weight {})",
        metric("validation_dense_base"),
        metric("validation_dense_adapted"),
        metric("validation_fused_base"),
        metric("validation_fused_adapted"),
        m.fusion.dense
    );
    println!("saved to {}", dir.display());
    let meta = engine.store.require_catalog(&c)?;
    if a.use_it || meta.adapters.retrieval.is_none() {
        engine.store.set_catalog_adapters(
            &c,
            CatalogAdapters {
                retrieval: Some(m.name.clone()),
                ..meta.adapters
            },
        )?;
        println!("`{}` is now the default adapter of `{c}`", m.name);
    }
    Ok(())
}

fn list(engine: &Engine, catalog: Option<&str>) -> Result<()> {
    let catalogs = match catalog {
        Some(c) => vec![c.to_string()],
        None => engine.store.catalog_names()?,
    };
    println!("| catalog | adapter | kind | rank | seed | validation fused base → adapted | default | problem |\n|---|---|---|---:|---:|---|---|---|");
    for c in catalogs {
        let defaults = engine.store.require_catalog(&c)?.adapters;
        for a in engine.adapters().list(&c)? {
            let (kind, rank, seed, val) =
                a.manifest.as_ref().map_or(("", 0, 0, String::new()), |m| {
                    let g = |k: &str| m.metrics.get(k).copied().unwrap_or(0.0);
                    (
                        m.kind.as_str(),
                        m.rank,
                        m.train.seed,
                        format!(
                            "{:.3} → {:.3}",
                            g("validation_fused_base"),
                            g("validation_fused_adapted")
                        ),
                    )
                });
            let default = defaults.retrieval.as_deref() == Some(a.name.as_str());
            println!(
                "| {c} | {} | query ({kind}) | {rank} | {seed} | {val} | {} | {} |",
                a.name,
                if default { "yes" } else { "" },
                a.problem.unwrap_or_default().replace('|', "/")
            );
        }
        for name in lora::list(&engine.config.home, &c)? {
            let default = defaults.generation.as_deref() == Some(name.as_str());
            println!(
                "| {c} | {name} | generation (LoRA) | | | | {} | |",
                if default { "yes" } else { "" }
            );
        }
    }
    Ok(())
}

fn eval(
    engine: &Engine,
    catalog: Option<&str>,
    name: Option<&str>,
    per_type: usize,
    mode: &str,
    json: bool,
) -> Result<()> {
    let c = engine.catalog_name(catalog);
    let mode = match mode {
        "fused" => Mode::Fused,
        "dense" => Mode::Dense,
        o => {
            return Err(Error::Invalid(format!(
                "--mode `{o}`: expected fused or dense"
            )))
        }
    };
    let base = engine.prepare_with(&c, Some("none"))?;
    let adapter: Arc<QueryAdapter> = match name {
        Some(n) => engine.query_adapter(&c, Some(n), &*base.embedder)?,
        None => engine.query_adapter(&c, None, &*base.embedder)?,
    }
    .ok_or_else(|| {
        Error::NotFound(format!(
            "a default adapter for `{c}`: name one with --name, or train one with `reco adapter train --catalog {c}`"
        ))
    })?;
    let adapted = base.with_adapter(Some(Arc::clone(&adapter)));
    let seed = adapter.manifest.train.seed;
    let queries = generate_split(base.retriever.items(), per_type, seed, Split::Test).queries;
    let rankers = [
        Ranker::new("base", &base, mode),
        Ranker::new("adapted", &adapted, mode),
    ];
    let mut report = retrieval::run(&rankers, &queries, engine.progress && !json)?;
    report.compare("adapted", "base")?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "adapter `{}` of `{c}`, {} ranking, test split of seed {seed} (targets and phrasings never seen in training)\n",
            adapter.name(),
            mode.as_str()
        );
        print!("{}", retrieval::table(&report));
    }
    Ok(())
}

fn use_adapter(engine: &Engine, c: &str, name: &str, generation: bool) -> Result<()> {
    let mut adapters = engine.store.require_catalog(c)?.adapters;
    let chosen = (name != "none").then(|| name.to_string());
    if generation {
        if let Some(n) = &chosen {
            lora::dir(&engine.config.home, c, n)?;
        }
        adapters.generation = chosen;
    } else {
        if chosen.is_some() {
            let e = engine.embedder()?;
            engine.query_adapter(c, Some(name), &*e)?;
        }
        adapters.retrieval = chosen;
    }
    engine.store.set_catalog_adapters(c, adapters)?;
    println!(
        "{} adapter of `{c}`: {name}",
        if generation { "generation" } else { "query" }
    );
    if generation && name != "none" {
        eprintln!(
            "note: `reco chat` and `reco ask` on `{c}` merge it into the model as they load it (a GGUF model of architecture {}; the merged file is made once and kept under {})",
            crate::generate::merge::ARCHITECTURES.join(", "),
            engine.config.home.join("cache").join("merged").display()
        );
    }
    Ok(())
}

fn remove(engine: &Engine, c: &str, name: &str, generation: bool) -> Result<()> {
    let existed = if generation {
        lora::remove(&engine.config.home, c, name)?
    } else {
        engine.adapters().remove(c, name)?
    };
    if !existed {
        return Err(Error::NotFound(format!(
            "adapter `{name}` of catalog `{c}`"
        )));
    }
    let mut adapters = engine.store.require_catalog(c)?.adapters;
    let slot = if generation {
        &mut adapters.generation
    } else {
        &mut adapters.retrieval
    };
    if slot.as_deref() == Some(name) {
        *slot = None;
        engine.store.set_catalog_adapters(c, adapters)?;
        println!("removed `{name}` (it was the default of `{c}`; there is none now)");
    } else {
        println!("removed `{name}`");
    }
    Ok(())
}
