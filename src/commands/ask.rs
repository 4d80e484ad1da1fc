//! `reco ask "QUESTION"`: one grounded turn from the command line. The model loads on its own
//! task while the catalog is searched, candidate cards print as soon as retrieval is done,
//! and the answer streams after them; Ctrl-C cancels generation.

use std::{path::PathBuf, time::Instant};

use clap::Args;

use crate::{
    dialogue::{self, JsonSink, Sink, StdoutSink, TurnOptions},
    engine::Engine,
    generate::MistralGenerator,
    models::{self, Bundle},
    Error, Result,
};

/// `reco ask` arguments.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// The question, e.g. "a relaxing farming game under 20 dollars".
    pub question: String,
    /// Catalog (default: the default catalog).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// Print one JSON object (candidates, picks, text, timings) instead of streaming.
    #[arg(long)]
    pub json: bool,
    /// A local model instead of the default: a .gguf file or a safetensors directory.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Use the small fast model (SmolLM2-135M) instead of the default.
    #[arg(long, conflicts_with = "model")]
    pub small: bool,
    /// Candidates shown to the model.
    #[arg(long, default_value_t = 6)]
    pub candidates: usize,
}

/// The generation model to load: `--model`, the config's `model`, or the fetched default.
pub fn model_path(engine: &Engine, explicit: Option<&PathBuf>, small: bool) -> Result<PathBuf> {
    if let Some(p) = explicit.or(engine.config.model.as_ref()) {
        if !p.exists() {
            return Err(Error::Generate(format!(
                "model {} does not exist",
                p.display()
            )));
        }
        return Ok(p.clone());
    }
    let bundle = if small {
        Bundle::SmallGeneration
    } else {
        Bundle::Generation
    };
    models::ensure(&engine.config, bundle, engine.progress)?;
    Ok(models::generation_model_path(
        &engine.config.models_dir,
        bundle,
    ))
}

/// Run one turn.
pub fn run(engine: &Engine, a: &AskArgs) -> Result<()> {
    if !(1..=9).contains(&a.candidates) {
        return Err(Error::Invalid("--candidates must be 1..=9".into()));
    }
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::Generate(format!("tokio: {e}")))?;
    let path = model_path(engine, a.model.as_ref(), a.small)?;
    let loading = rt.spawn(async move { MistralGenerator::load(&path).await });
    let catalog = engine.catalog_name(a.catalog.as_deref());
    let mut searcher = engine.searcher(&catalog)?;
    let opts = TurnOptions {
        candidates: a.candidates,
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let mut sink: Box<dyn Sink> = if a.json {
        Box::new(JsonSink)
    } else {
        Box::new(StdoutSink::default())
    };
    let t0 = Instant::now();
    let retrieved = dialogue::retrieve(&mut searcher, &a.question, &opts, sink.as_mut(), t0)?;
    rt.block_on(async {
        let generator = loading
            .await
            .map_err(|e| Error::Generate(format!("model loading task: {e}")))??;
        tokio::select! {
            r = dialogue::generate(&searcher, &generator, &a.question, &retrieved, &opts, sink.as_mut(), t0) => r.map(|_| ()),
            _ = tokio::signal::ctrl_c() => Err(Error::Cancelled),
        }
    })
}
