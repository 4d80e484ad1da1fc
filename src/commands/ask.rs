//! `reco ask "QUESTION" [--session ID]`: one turn of a conversation from the command line.
//! Without `--session` a new session is started; its id is printed (and is `"session"` in
//! `--json`), so a script can continue the conversation with the same pipeline the chat uses.
//! The model loads on its own task while the turn is understood and the catalog searched;
//! cards print as soon as retrieval is done and the answer streams after them; Ctrl-C
//! cancels generation.

use std::path::PathBuf;

use clap::Args;

use crate::{
    dialogue::{Conversation, Sink, TurnOptions},
    engine::Engine,
    generate::{Generator, ModelChoice},
    models::{self, Bundle},
    render::{JsonSink, StdoutSink},
    Error, Result,
};

/// `reco ask` arguments.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// The turn, e.g. "a relaxing farming game under 20 dollars", then "cheaper".
    pub question: String,
    /// Continue this session (ids are printed by earlier turns and by `reco sessions list`;
    /// `last`: the most recently changed one).
    #[arg(long, short)]
    pub session: Option<String>,
    /// Catalog of a new session (default: the default catalog).
    #[arg(long, short, conflicts_with = "session")]
    pub catalog: Option<String>,
    /// Print one JSON object (session, intent, candidates, picks, text, timings).
    #[arg(long)]
    pub json: bool,
    /// Print the intent and action of the turn on stderr.
    #[arg(long, short)]
    pub verbose: bool,
    /// Answer from the catalog's facts alone, without the language model (fast).
    #[arg(long)]
    pub no_generate: bool,
    /// A local model instead of the default: a .gguf file or a safetensors directory.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Use the small fast model (SmolLM2-135M) instead of the default.
    #[arg(long, conflicts_with = "model")]
    pub small: bool,
    /// Cards shown and offered to the model (1-9).
    #[arg(long, default_value_t = 5)]
    pub candidates: usize,
    /// Query adapter: a name from `reco adapter list`, or `none` (default: the catalog's).
    #[arg(long, value_name = "NAME|none")]
    pub adapter: Option<String>,
}

/// The generation model to load: `--model`, the config's `model`, or the fetched default.
pub fn model_path(engine: &Engine, explicit: Option<&PathBuf>, small: bool) -> Result<PathBuf> {
    if let Some(p) = explicit.or(engine.config.model.as_ref()) {
        if !p.exists() {
            return Err(Error::generate(format!(
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
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let mut conv = match &a.session {
        Some(id) if id == "last" => {
            let s = super::sessions::resolve(&engine.store, id)?;
            Conversation::open(&engine.store, &s.id)?
        }
        Some(id) => Conversation::open(&engine.store, id)?,
        None => {
            let catalog = engine.catalog_name(a.catalog.as_deref());
            engine.ensure_catalog(&catalog)?;
            Conversation::create(&engine.store, &catalog)?
        }
    };
    let loading = if a.no_generate {
        None
    } else {
        let path = model_path(engine, a.model.as_ref(), a.small)?;
        let choice = engine
            .model_choice(conv.catalog(), &path)
            .unwrap_or_else(|e| {
                eprintln!("note: the catalog's generation adapter is not used: {e}");
                ModelChoice::plain(&path)
            });
        Some(rt.spawn(async move { choice.load().await }))
    };
    let opts = TurnOptions {
        candidates: a.candidates,
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent_with(conv.catalog(), opts, a.adapter.as_deref())?;
    let mut sink: Box<dyn Sink> = if a.json {
        Box::new(JsonSink)
    } else {
        Box::new(StdoutSink::new(a.verbose))
    };
    let answer = rt.block_on(async {
        let generator = match loading {
            Some(l) => Some(
                l.await
                    .map_err(|e| Error::generate_from("model loading task", e))??,
            ),
            None => None,
        };
        let g = generator.as_ref().map(|g| g as &dyn Generator);
        tokio::select! {
            r = agent.turn(&mut conv, &a.question, g, sink.as_mut()) => r,
            _ = tokio::signal::ctrl_c() => Err(Error::Cancelled),
        }
    })?;
    if !a.json {
        eprintln!(
            "(session {} · continue with: reco ask --session {} \"...\")",
            answer.session, answer.session
        );
    }
    Ok(())
}
