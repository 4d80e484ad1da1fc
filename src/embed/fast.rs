//! fastembed + ONNX Runtime, loaded from local files only.
//!
//! ONNX Runtime allows one environment per process, so the library is loaded and the
//! environment built once ([`OnceLock`]) and shared by every [`FastEmbedder`].

use std::{path::Path, sync::OnceLock};

use fastembed::{
    InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel,
};

use super::{clean_text, normalize, Embedder};
use crate::{models::ModelPaths, Error, Result};

/// Identifier recorded with stored vectors.
pub const MODEL_ID: &str = "all-MiniLM-L6-v2-int8";
const DIM: usize = 384;
const MAX_TOKENS: usize = 256;

static ORT_ENV: OnceLock<std::result::Result<ort::environment::Environment, String>> =
    OnceLock::new();

fn environment(lib: &Path) -> Result<ort::environment::Environment> {
    ORT_ENV
        .get_or_init(|| {
            let builder = ort::init_from(lib)
                .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", lib.display()))?;
            builder
                .with_name("reco")
                .with_telemetry(false)
                .build()
                .map_err(|e| format!("cannot start ONNX Runtime: {e}"))
        })
        .clone()
        .map_err(Error::Embed)
}

/// all-MiniLM-L6-v2 through fastembed.
pub struct FastEmbedder {
    model: TextEmbedding,
}

impl std::fmt::Debug for FastEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastEmbedder").finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::Embed(format!(
            "{}: {e} (run `reco models fetch` to install the embedding model)",
            path.display()
        ))
    })
}

impl FastEmbedder {
    /// Load the model from installed files, with `threads` intra-op threads.
    pub fn load(paths: &ModelPaths, threads: usize) -> Result<Self> {
        for p in [&paths.onnxruntime, &paths.embed_model, &paths.tokenizer] {
            if !p.exists() {
                return Err(Error::Embed(format!(
                    "{} is missing: run `reco models fetch`",
                    p.display()
                )));
            }
        }
        let env = environment(&paths.onnxruntime)?;
        let tokenizer_files = TokenizerFiles {
            tokenizer_file: read(&paths.tokenizer)?,
            config_file: br#"{"pad_token_id": 0}"#.to_vec(),
            special_tokens_map_file: br#"{"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}"#.to_vec(),
            tokenizer_config_file: format!(
                r#"{{"model_max_length": {MAX_TOKENS}, "pad_token": "[PAD]", "do_lower_case": true}}"#
            )
            .into_bytes(),
        };
        let model = UserDefinedEmbeddingModel::new(read(&paths.embed_model)?, tokenizer_files)
            .with_pooling(Pooling::Mean);
        let options = InitOptionsUserDefined::new()
            .with_environment(env)
            .with_max_length(MAX_TOKENS)
            .with_intra_threads(threads.max(1));
        let model = TextEmbedding::try_new_from_user_defined(model, options)
            .map_err(|e| Error::Embed(format!("cannot load the embedding model: {e}")))?;
        Ok(Self { model })
    }
}

impl Embedder for FastEmbedder {
    fn id(&self) -> &str {
        MODEL_ID
    }

    fn dim(&self) -> usize {
        DIM
    }

    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let cleaned: Vec<String> = texts.iter().map(|t| clean_text(t)).collect();
        let mut out = self
            .model
            .embed(&cleaned, Some(64))
            .map_err(|e| Error::Embed(e.to_string()))?;
        for v in &mut out {
            if v.len() != DIM {
                return Err(Error::Embed(format!(
                    "the model returned {} dimensions, expected {DIM}",
                    v.len()
                )));
            }
            normalize(v);
        }
        Ok(out)
    }
}
