//! `reco eval retrieval | queries`.

use std::path::PathBuf;

use clap::Subcommand;

use crate::{
    engine::Engine,
    eval::{
        queries::{generate, Split},
        retrieval,
    },
    Error, Result,
};

/// Evaluation subcommands.
#[derive(Debug, Subcommand)]
pub enum EvalCmd {
    /// Hit@5, Coverage@5, nDCG@10 and P@20 of lexical, dense and fused retrieval, per query type.
    Retrieval {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Queries generated per type (about a fifth of them fall in the test split).
        #[arg(long, default_value_t = 250)]
        per_type: usize,
        /// Seed of the query generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Which split to score: test, train or all.
        #[arg(long, default_value = "test")]
        split: String,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Grounding of answers on every route: off-catalog items, wrong facts, unsupported and
    /// dropped sentences, duplicate reasons, with the real default model.
    Grounding(super::grounding::GroundingArgs),
    /// Intent classification on IARD-format seeker turns (per-class, macro and micro F1).
    Intents(super::intent::EvalArgs),
    /// Write the generated queries (with conditions and split) as JSON Lines.
    Queries {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Queries per type.
        #[arg(long, default_value_t = 50)]
        per_type: usize,
        /// Seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output file (default: stdout).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

/// Run an evaluation.
pub fn run(engine: &Engine, cmd: EvalCmd) -> Result<()> {
    match cmd {
        EvalCmd::Retrieval {
            catalog,
            per_type,
            seed,
            split,
            json,
        } => {
            let c = engine.catalog_name(catalog.as_deref());
            let split = match split.as_str() {
                "test" => Some(Split::Test),
                "train" => Some(Split::Train),
                "all" => None,
                o => {
                    return Err(Error::Invalid(format!(
                        "split `{o}`: expected test, train or all"
                    )))
                }
            };
            let searcher = engine.prepare(&c)?;
            let set = generate(searcher.retriever.items(), per_type, seed);
            let queries: Vec<_> = set
                .queries
                .into_iter()
                .filter(|q| split.is_none_or(|s| q.split == s))
                .collect();
            let report = retrieval::run(&searcher, &queries, engine.progress && !json)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&report).map_err(|e| Error::Invalid(e.to_string()))?
                );
            } else {
                print!("{}", retrieval::table(&report));
            }
        }
        EvalCmd::Intents(a) => super::intent::eval(engine, &a)?,
        EvalCmd::Grounding(a) => super::grounding::run(engine, &a)?,
        EvalCmd::Queries {
            catalog,
            per_type,
            seed,
            out,
        } => {
            let c = engine.catalog_name(catalog.as_deref());
            engine.ensure_catalog(&c)?;
            let items = engine.store.items(&c)?;
            let text = generate(&items, per_type, seed).to_jsonl()?;
            match out {
                Some(p) => std::fs::write(&p, text).map_err(|e| Error::io(&p, e))?,
                None => print!("{text}"),
            }
        }
    }
    Ok(())
}
