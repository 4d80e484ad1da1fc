//! `reco eval retrieval | fusion | intents | queries | redial | dialogues` (and `grounding`,
//! in [`super::grounding`]).

use std::path::PathBuf;

use clap::Subcommand;

use crate::{
    dialogue::{Agent, TurnOptions},
    engine::Engine,
    eval::{
        dialogues,
        queries::{generate, generate_split, Query, Split},
        report::{self, Plot, Series},
        retrieval::{self, Ranker},
    },
    retrieve::{fusion::Weights as FusionWeights, Mode, Searcher},
    store::Store,
    Error, Result,
};

/// Evaluation subcommands.
#[derive(Debug, Subcommand)]
pub enum EvalCmd {
    /// Hit@5, Coverage@5, nDCG@10 and P@20 of lexical, dense and fused retrieval, per query
    /// type, macro means over types with bootstrap intervals, paired comparisons.
    Retrieval {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Queries generated per type, all of the chosen split.
        #[arg(long, default_value_t = 100)]
        per_type: usize,
        /// Seed of the query generator (it also fixes the splits).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Which split to score: test, validation, train or all.
        #[arg(long, default_value = "test")]
        split: String,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Also write retrieval.json, retrieval.md and retrieval.svg into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Replay ReDial dialogues through the conversation pipeline; Recall@k against the
    /// movies the human recommender suggested, with the popularity and co-occurrence baselines.
    Redial(super::eval_redial::RedialArgs),
    /// Run scripted dialogues (TOML) and check every expectation; fails if any fails.
    Dialogues {
        /// Script files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Catalog (default: the script's `catalog`, else the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Print one JSON object instead of the report.
        #[arg(long)]
        json: bool,
    },
    /// Sweep the dense weight of fusion (lexical fixed at 1): macro means per weight, so the
    /// weights in `retrieve/fusion.rs` can be reproduced (choose on the train split).
    Fusion {
        /// Catalog (default: the default catalog).
        #[arg(long, short)]
        catalog: Option<String>,
        /// Queries generated per type.
        #[arg(long, default_value_t = 100)]
        per_type: usize,
        /// Seed of the query generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Which split to score (train: where weights are chosen).
        #[arg(long, default_value = "train")]
        split: String,
        /// Dense weights to try, comma-separated.
        #[arg(long, default_value = "0,0.2,0.3,0.4,0.5,0.6,0.8,1,1.5")]
        dense: String,
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

/// Queries of `split` ("all": every split mixed) from the searcher's catalog.
pub fn queries(searcher: &Searcher, per_type: usize, seed: u64, split: &str) -> Result<Vec<Query>> {
    let items = searcher.retriever.items();
    let set = if split == "all" {
        generate(items, per_type, seed)
    } else {
        generate_split(items, per_type, seed, Split::parse(split)?)
    };
    Ok(set.queries)
}

/// Write a report's JSON, Markdown and SVG into `dir` (with the command line that made it)
/// and say where on stderr.
pub(super) fn write_report(
    dir: &std::path::Path,
    stem: &str,
    title: &str,
    r: &impl serde::Serialize,
    table: &str,
    plot: &Plot,
) -> Result<()> {
    let w = report::write(dir, stem, title, &report::command_line(), r, table, plot)?;
    eprintln!(
        "wrote {}, {} and {}",
        w.json.display(),
        w.markdown.display(),
        w.svg.display()
    );
    Ok(())
}

/// Print a report as JSON or as tables.
pub fn print_report(report: &retrieval::Report, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(report)?);
    } else {
        print!("{}", retrieval::table(report));
    }
    Ok(())
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
            out,
        } => {
            let c = engine.catalog_name(catalog.as_deref());
            let searcher = engine.prepare_with(&c, Some("none"))?;
            let queries = queries(&searcher, per_type, seed, &split)?;
            let rankers: Vec<Ranker<'_>> = retrieval::MODES
                .iter()
                .map(|m| Ranker::new(m.as_str(), &searcher, *m))
                .collect();
            let mut report = retrieval::run(&rankers, &queries, engine.progress && !json)?;
            report.compare("fused", "lexical")?;
            report.compare("fused", "dense")?;
            print_report(&report, json)?;
            if let Some(dir) = out {
                write_report(
                    &dir,
                    "retrieval",
                    &format!("Retrieval on `{c}`"),
                    &report,
                    &retrieval::table(&report),
                    &retrieval_plot(&report),
                )?;
            }
        }
        EvalCmd::Fusion {
            catalog,
            per_type,
            seed,
            split,
            dense,
            json,
        } => {
            let searcher =
                engine.prepare_with(&engine.catalog_name(catalog.as_deref()), Some("none"))?;
            let queries = queries(&searcher, per_type, seed, &split)?;
            let weights: Vec<f32> = dense
                .split(',')
                .map(|w| {
                    w.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .ok_or_else(|| Error::Invalid(format!("--dense: `{w}` is not a weight")))
                })
                .collect::<Result<_>>()?;
            let rankers: Vec<Ranker<'_>> = weights
                .iter()
                .map(|&dense| Ranker {
                    name: format!("dense={dense}"),
                    searcher: &searcher,
                    mode: Mode::Fused,
                    weights: FusionWeights {
                        dense,
                        lexical: 1.0,
                    },
                })
                .collect();
            let report = retrieval::run(&rankers, &queries, engine.progress && !json)?;
            print_report(&report, json)?;
            if !json {
                let best = report.rankers.iter().max_by(|a, b| {
                    let key = |n: &String| {
                        report
                            .mean
                            .get(n)
                            .map_or(0.0, |m| m.scores.hit5 + m.scores.ndcg10)
                    };
                    key(a).total_cmp(&key(b))
                });
                if let Some(b) = best {
                    println!("\nbest by macro Hit@5 + nDCG@10: {b} (lexical 1)");
                }
            }
        }
        EvalCmd::Redial(a) => super::eval_redial::run_redial(engine, &a)?,
        EvalCmd::Dialogues {
            files,
            catalog,
            json,
        } => run_dialogues(engine, &files, catalog.as_deref(), json)?,
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

/// nDCG@10 per query type, one line per mode.
fn retrieval_plot(r: &retrieval::Report) -> Plot {
    let types: Vec<&str> = r.per_type.keys().copied().collect();
    let series = retrieval::MODES
        .iter()
        .map(|m| Series {
            name: m.as_str().to_string(),
            values: types
                .iter()
                .map(|t| r.per_type[t].get(m.as_str()).map_or(0.0, |x| x.ndcg10))
                .collect(),
        })
        .collect();
    Plot {
        title: format!("nDCG@10 per query type on `{}`", r.catalog),
        x_label: "query type".into(),
        y_label: "nDCG@10".into(),
        x_ticks: types
            .iter()
            .enumerate()
            .map(|(i, t)| (i, (*t).to_string()))
            .collect(),
        series,
    }
}

fn run_dialogues(
    engine: &Engine,
    files: &[PathBuf],
    catalog: Option<&str>,
    json: bool,
) -> Result<()> {
    let mut agents: std::collections::HashMap<String, Agent> = std::collections::HashMap::new();
    let mut reports = Vec::new();
    for f in files {
        let script = dialogues::load(f)?;
        let c = engine.catalog_name(catalog.or(script.catalog.as_deref()));
        if !agents.contains_key(&c) {
            let mut agent = engine.agent(&c, TurnOptions::default())?;
            // Scripted sessions never join the user's sessions.
            agent.store = Store::temporary()?;
            agents.insert(c.clone(), agent);
        }
        reports.push(dialogues::run(&agents[&c], f, &script)?);
    }
    if json {
        println!("{}", serde_json::to_string(&reports)?);
    } else {
        print!("{}", dialogues::table(&reports));
    }
    let failed: usize = reports.iter().map(dialogues::FileReport::failed).sum();
    if failed > 0 {
        return Err(Error::Invalid(format!(
            "{failed} expectation{} failed",
            if failed == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}
