//! fastembed + ONNX Runtime, loaded from local files only.
//!
//! ONNX Runtime allows one environment per process, so the library is loaded and the
//! environment built once ([`OnceLock`]) and shared by every [`FastEmbedder`]. One ORT session
//! with one intra-op thread answers single queries fastest on this 2-core machine; for bulk
//! work (indexing) the embedder opens up to `sessions` sessions lazily and runs them side by
//! side, one per core.

use std::{
    path::Path,
    sync::{Arc, Mutex, OnceLock, RwLock},
};

use fastembed::{
    InitOptionsUserDefined, OutputKey, Pooling, TextEmbedding, TokenizerFiles,
    UserDefinedEmbeddingModel,
};

use super::{clean_text, normalize, Embedder, TokenStates};
use crate::{models::ModelPaths, Error, Result};

/// Identifier recorded with stored vectors.
pub const MODEL_ID: &str = "all-MiniLM-L6-v2-int8";
const DIM: usize = 384;
const MAX_TOKENS: usize = 256;
/// The model output holding the per-token states.
const TOKEN_STATES: &[OutputKey] = &[OutputKey::OnlyOne, OutputKey::ByName("last_hidden_state")];

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
        .map_err(Error::embed)
}

type Session = Arc<Mutex<TextEmbedding>>;

/// all-MiniLM-L6-v2 through fastembed.
pub struct FastEmbedder {
    model_bytes: Vec<u8>,
    tokenizer: Vec<u8>,
    env: ort::environment::Environment,
    sessions: RwLock<Vec<Session>>,
    max_sessions: usize,
    checksum: String,
}

impl std::fmt::Debug for FastEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastEmbedder")
            .field("max_sessions", &self.max_sessions)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::embed_from(
            format!(
                "{}: cannot read (run `reco models fetch` to install the embedding model)",
                path.display()
            ),
            e,
        )
    })
}

impl FastEmbedder {
    /// Load the model from installed files; up to `sessions` sessions run side by side for
    /// bulk work (one is opened now, the others when first needed).
    pub fn load(paths: &ModelPaths, sessions: usize) -> Result<Self> {
        for p in [&paths.onnxruntime, &paths.embed_model, &paths.tokenizer] {
            if !p.exists() {
                return Err(Error::embed(format!(
                    "{} is missing: run `reco models fetch`",
                    p.display()
                )));
            }
        }
        let env = environment(&paths.onnxruntime)?;
        let model_bytes = read(&paths.embed_model)?;
        let me = Self {
            checksum: checksum(&paths.embed_model, &model_bytes),
            model_bytes,
            tokenizer: read(&paths.tokenizer)?,
            env,
            sessions: RwLock::new(Vec::new()),
            max_sessions: sessions.max(1),
        };
        let first = me.open_session()?;
        me.sessions
            .write()
            .map_err(|_| Error::embed("session pool poisoned"))?
            .push(first);
        Ok(me)
    }

    fn open_session(&self) -> Result<Session> {
        let tokenizer_files = TokenizerFiles {
            tokenizer_file: self.tokenizer.clone(),
            config_file: br#"{"pad_token_id": 0}"#.to_vec(),
            special_tokens_map_file: br#"{"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]"}"#.to_vec(),
            tokenizer_config_file: format!(
                r#"{{"model_max_length": {MAX_TOKENS}, "pad_token": "[PAD]", "do_lower_case": true}}"#
            )
            .into_bytes(),
        };
        let model = UserDefinedEmbeddingModel::new(self.model_bytes.clone(), tokenizer_files)
            .with_pooling(Pooling::Mean);
        let options = InitOptionsUserDefined::new()
            .with_environment(self.env.clone())
            .with_max_length(MAX_TOKENS)
            .with_intra_threads(1);

        let model = TextEmbedding::try_new_from_user_defined(model, options)
            .map_err(|e| Error::embed_from("cannot load the embedding model", e))?;
        Ok(Arc::new(Mutex::new(model)))
    }

    /// An idle session, opening a new one while fewer than `max_sessions` exist.
    fn session(&self) -> Result<Session> {
        let poisoned = || Error::embed("session pool poisoned");
        {
            let pool = self.sessions.read().map_err(|_| poisoned())?;
            if let Some(s) = pool.iter().find(|s| s.try_lock().is_ok()) {
                return Ok(Arc::clone(s));
            }
            if pool.len() >= self.max_sessions {
                return Ok(Arc::clone(&pool[0]));
            }
        }
        let s = self.open_session()?;
        let mut pool = self.sessions.write().map_err(|_| poisoned())?;
        if pool.len() < self.max_sessions {
            pool.push(Arc::clone(&s));
        }
        Ok(s)
    }
}

impl FastEmbedder {
    /// `run` on an idle session's model with the cleaned `texts`.
    fn with_model<T>(
        &self,
        texts: &[&str],
        run: impl FnOnce(&mut TextEmbedding, &[String]) -> fastembed::Result<T>,
    ) -> Result<T> {
        let cleaned: Vec<String> = texts.iter().map(|t| clean_text(t)).collect();
        let session = self.session()?;
        let mut model = session
            .lock()
            .map_err(|_| Error::embed("an embedding session panicked"))?;
        run(&mut model, &cleaned).map_err(|e| Error::embed_from("the embedding model failed", e))
    }
}

/// The model file's sha256: from the stamp `reco models fetch` wrote beside it when the stamp
/// records this size, else computed (a model placed by hand).
fn checksum(path: &Path, bytes: &[u8]) -> String {
    let mut stamp = path.as_os_str().to_owned();
    stamp.push(".sha256");
    if let Ok(s) = std::fs::read_to_string(&stamp) {
        let mut parts = s.split_whitespace();
        if let (Some(sum), Some(size)) = (parts.next(), parts.next()) {
            if size == bytes.len().to_string() && sum.len() == 64 {
                return sum.to_string();
            }
        }
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    hex::encode(digest)
}

impl Embedder for FastEmbedder {
    fn id(&self) -> &str {
        MODEL_ID
    }

    fn checksum(&self) -> String {
        self.checksum.clone()
    }

    fn dim(&self) -> usize {
        DIM
    }

    fn parallelism(&self) -> usize {
        self.max_sessions
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = self.with_model(texts, |model, cleaned| model.embed(cleaned, Some(64)))?;
        for v in &mut out {
            if v.len() != DIM {
                return Err(Error::embed(format!(
                    "the model returned {} dimensions, expected {DIM}",
                    v.len()
                )));
            }
            normalize(v);
        }
        Ok(out)
    }

    fn embed_tokens(&self, texts: &[&str]) -> Result<Vec<TokenStates>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let batches = self
            .with_model(texts, |model, cleaned| model.transform(cleaned, Some(64)))?
            .into_raw();
        let failed = |e| Error::embed_from("the embedding model gave no token states", e);
        let mut out = Vec::with_capacity(texts.len());
        for batch in &batches {
            let states = batch.select_output(&TOKEN_STATES).map_err(failed)?;
            let shape = states.shape().to_vec();
            let mask: Vec<i64> = batch.attention_mask_array.iter().copied().collect();
            if shape.len() != 3 || shape[2] != DIM || mask.len() != shape[0] * shape[1] {
                return Err(Error::embed(format!(
                    "the model returned token states of shape {shape:?}, expected [n, t, {DIM}]"
                )));
            }
            let flat: Vec<f32> = states.iter().copied().collect();
            for (b, row_mask) in mask.chunks_exact(shape[1]).enumerate() {
                let mut data = Vec::new();
                for (t, m) in row_mask.iter().enumerate() {
                    if *m != 0 {
                        let at = (b * shape[1] + t) * DIM;
                        data.extend_from_slice(&flat[at..at + DIM]);
                    }
                }
                out.push(TokenStates {
                    len: data.len() / DIM,
                    data,
                });
            }
        }
        Ok(out)
    }
}
