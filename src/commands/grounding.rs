//! `reco eval grounding [--catalog NAME] [--json] [--verbose]`: the grounding evaluation
//! ([`crate::eval::grounding`]) on a catalog and on the injection test catalog, with the
//! default model (or `--model PATH`).

use std::path::PathBuf;

use clap::Args;

use crate::{
    catalog::{
        import::{FieldMap, Format},
        import_file,
    },
    dialogue::{Agent, TurnOptions},
    engine::Engine,
    eval::grounding::{self, Checker, Report, TurnRecord},
    generate::MistralGenerator,
    retrieve::{index, Retriever, Searcher},
    store::Store,
    text::terminal,
    Error, Result,
};

/// `reco eval grounding` arguments.
#[derive(Debug, Args)]
pub struct GroundingArgs {
    /// Catalog (default: the default catalog).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// Print one JSON object (counts, latency, every turn).
    #[arg(long)]
    pub json: bool,
    /// Print every turn: what was said, what was shown, what was cut and why.
    #[arg(long, short)]
    pub verbose: bool,
    /// Skip the injection test catalog.
    #[arg(long)]
    pub no_hostile: bool,
    /// Send every turn as a prompt of its own (no earlier turns), to measure what keeping the
    /// conversation's prefix buys.
    #[arg(long)]
    pub stateless: bool,
    /// A local model instead of the default: a .gguf file or a safetensors directory.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
}

fn print_turn(t: &TurnRecord) {
    eprintln!(
        "── {} #{}.{} [{}] {}",
        t.section,
        t.conversation,
        t.turn,
        t.action,
        terminal(&t.said)
    );
    eprint!("{}", terminal(&t.text));
    for c in &t.grounding.cut {
        eprintln!("   ✂ {} ({})", terminal(&c.text), c.why.join(", "));
    }
    let f = &t.findings;
    for x in f
        .off_catalog
        .iter()
        .chain(&f.wrong_facts)
        .chain(&f.unsupported)
    {
        eprintln!("   ✗ {}", terminal(x));
    }
    if let Some(ms) = t.first_token_ms {
        eprintln!(
            "   first token {ms:.0} ms · prompt {} tokens ({} earlier)",
            t.prompt_tokens, t.context_tokens
        );
    }
}

/// The injection catalog in a temporary store, indexed with `agent`'s embedder.
fn hostile_agent(engine: &Engine, agent: &Agent) -> Result<Agent> {
    let store = Store::temporary()?;
    let dir = engine.config.home.join("catalogs");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let file = dir.join("hostile-eval.jsonl");
    std::fs::write(&file, grounding::HOSTILE).map_err(|e| Error::io(&file, e))?;
    let name = grounding::HOSTILE_SECTION;
    import_file(
        &store,
        &file,
        name,
        Some(Format::Jsonl),
        &FieldMap::default(),
        false,
    )?;
    let embedder = std::sync::Arc::clone(&agent.searcher.embedder);
    index::build(&store, name, &*embedder, false)?;
    Ok(Agent {
        searcher: Searcher {
            retriever: std::sync::Arc::new(Retriever::load(&store, name)?),
            embedder,
            // The suite's own catalog has no query adapter of its own.
            adapter: None,
        },
        store,
        intents: std::sync::Arc::clone(&agent.intents),
        options: agent.options.clone(),
        // The suite's catalog has no interactions.
        collab: None,
    })
}

/// Run the evaluation.
pub fn run(engine: &Engine, a: &GroundingArgs) -> Result<()> {
    let catalog = engine.catalog_name(a.catalog.as_deref());
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let path = super::ask::model_path(engine, a.model.as_ref(), false)?;
    let loading = rt.spawn(async move { MistralGenerator::load(&path).await });
    let opts = TurnOptions {
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent(&catalog, opts)?;
    let mut parts: Vec<(Agent, Vec<grounding::Script>)> = Vec::new();
    let r = &agent.searcher.retriever;
    parts.push((agent.clone(), grounding::scripts(&["all", &catalog], r)));
    if !a.no_hostile {
        let h = hostile_agent(engine, &agent)?;
        let scripts = grounding::scripts(&[grounding::HOSTILE_SECTION], &h.searcher.retriever);
        parts.push((h, scripts));
    }
    let total: usize = parts
        .iter()
        .flat_map(|(_, s)| s)
        .map(|s| s.turns.len())
        .sum();
    let bar = crate::progress::bar(
        engine.progress && !a.json && !a.verbose,
        total as u64,
        "{msg} [{bar:30}] {pos}/{len} turns · {elapsed}",
        "grounding",
    );
    let generator = rt
        .block_on(loading)
        .map_err(|e| Error::generate_from("model loading task", e))??;
    let mut report = Report {
        catalog: catalog.clone(),
        ..Report::default()
    };
    let verbose = a.verbose && !a.json;
    for (agent, scripts) in &parts {
        let checker = Checker::new(
            &agent.searcher.retriever,
            grounding::missing_titles(&agent.searcher.retriever),
        );
        let bar = bar.clone();
        let mut each = move |t: &TurnRecord| {
            bar.inc(1);
            if verbose {
                print_turn(t);
            }
        };
        rt.block_on(grounding::run(
            agent,
            &generator,
            scripts,
            &checker,
            a.stateless,
            &mut report,
            &mut each,
        ))?;
    }
    bar.finish_and_clear();
    report.finish();
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", grounding::table(&report));
    }
    Ok(())
}
