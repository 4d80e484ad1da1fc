//! `reco chat` (also `reco` with no arguments): the interactive chat. Everything slow and
//! visible happens first, in the plain terminal with progress bars: fetching the models on
//! first run, installing the demo catalog, bringing the index up to date. Then the chat
//! takes over the screen while the generation model loads in the background.

use std::{io::IsTerminal, path::PathBuf, sync::Arc};

use clap::Args;

use super::ask::model_path;
use crate::{
    dialogue::{Conversation, TurnOptions},
    engine::Engine,
    generate::ModelChoice,
    tui::{self, Loading, Parts},
    Error, Result,
};

/// `reco chat` arguments.
#[derive(Debug, Args, Default)]
pub struct ChatArgs {
    /// Reopen the most recent session (transcript, cards, profile).
    #[arg(long, short, conflicts_with = "session")]
    pub resume: bool,
    /// Reopen this session (ids: `reco sessions list`).
    #[arg(long, short)]
    pub session: Option<String>,
    /// Catalog of a new session (default: the default catalog).
    #[arg(long, short, conflicts_with_all = ["session", "resume"])]
    pub catalog: Option<String>,
    /// Answer from the catalog's facts alone, without the language model.
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
}

impl ChatArgs {
    /// The arguments of a plain `reco chat` (what `reco` with no command runs).
    #[must_use]
    pub fn default_args() -> Self {
        Self {
            candidates: 5,
            ..Self::default()
        }
    }
}

/// Run the chat.
pub fn run(engine: Engine, a: &ChatArgs) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Invalid(
            "the chat needs a terminal; in scripts use `reco ask --session ID \"...\"` and `reco sessions`".into(),
        ));
    }
    if !(1..=9).contains(&a.candidates) {
        return Err(Error::Invalid("--candidates must be 1..=9".into()));
    }
    let mut notes = Vec::new();
    let opened = if let Some(id) = &a.session {
        Some(Conversation::open(&engine.store, id)?)
    } else if a.resume {
        let latest = Conversation::latest(&engine.store)?;
        if latest.is_none() {
            notes.push("There was no session to resume, so this is a new one.".to_string());
        }
        latest
    } else {
        None
    };
    let catalog = opened.as_ref().map_or_else(
        || engine.catalog_name(a.catalog.as_deref()),
        |c| c.catalog().to_string(),
    );
    let model = if a.no_generate {
        None
    } else {
        let path = model_path(&engine, a.model.as_ref(), a.small)?;
        engine.ensure_catalog(&catalog)?;
        Some(match engine.model_choice(&catalog, &path) {
            Ok(c) => c,
            Err(e) => {
                notes.push(format!("The catalog's generation adapter is not used: {e}"));
                ModelChoice::plain(&path)
            }
        })
    };
    let opts = TurnOptions {
        candidates: a.candidates,
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent(&catalog, opts)?;
    let conv = match opened {
        Some(c) => c,
        None => Conversation::create(&engine.store, &catalog)?,
    };
    let embedder = Arc::clone(&agent.searcher.embedder);
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let out = rt.block_on(async move {
        let model = model.map(Loading::start);
        tui::chat(Parts {
            engine,
            agent,
            conv,
            embedder,
            model,
            notes,
        })
        .await
    });
    // A model still loading when the user quits (on a blocking-pool thread, which dropping the
    // runtime would wait for) must not hold the exit: the session is already saved.
    rt.shutdown_timeout(std::time::Duration::from_millis(500));
    out
}
