//! The one module that imports mistral.rs: loads a local GGUF file (or a local safetensors
//! directory) in process and streams chat completions. Paths are checked before anything is
//! built — mistral.rs treats a path that does not exist as a model-hub id and would go to the
//! network — and an architecture it cannot load is refused up front (its builder panics).

use std::{path::Path, sync::Arc};

use either::Either;
use mistralrs::{
    ChatCompletionChunkResponse, Constraint, GgufModelBuilder, Model, RequestBuilder, Response,
    StopTokens, TextMessageRole, TextMessages, TextModelBuilder,
};
use tokio::sync::mpsc;

use super::{gguf_architecture, GenEvent, GenHandle, GenRequest, GenStats, Generator};
use crate::{store::Role, Error, Result};

/// End-of-text tokens a tokenizer may have besides the chat template's end of turn.
const END_OF_TEXT: &[&str] = &["<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>"];

/// GGUF architectures the mistral.rs 0.8.1 GGUF loader supports.
pub const GGUF_ARCHITECTURES: &[&str] = &[
    "llama",
    "mistral3",
    "phi2",
    "phi3",
    "starcoder2",
    "qwen2",
    "qwen3",
    "qwen3moe",
];

/// Where mistral.rs runs a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Device {
    /// mistral.rs's choice: CUDA device 0 in a build with the `cuda` feature, else the CPU.
    #[default]
    Auto,
    /// The CPU, also in a CUDA build.
    Cpu,
    /// CUDA device 0; an error in a build without the `cuda` feature.
    Cuda,
}

impl Device {
    /// Parse `auto`, `cpu` or `cuda`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(Self::Auto),
            "cpu" => Ok(Self::Cpu),
            "cuda" | "gpu" => Ok(Self::Cuda),
            other => Err(Error::Invalid(format!(
                "unknown device `{other}` (expected auto, cpu or cuda)"
            ))),
        }
    }

    /// The device a model will run on: `cpu` or `cuda`.
    #[must_use]
    pub fn resolved(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Cuda => "cuda",
            Self::Auto if cfg!(feature = "cuda") => "cuda",
            Self::Auto => "cpu",
        }
    }
}

/// A model served in process by mistral.rs.
#[derive(Clone)]
pub struct MistralGenerator {
    model: Arc<Model>,
    name: String,
    /// Token ids that end an answer (see [`end_of_text_ids`]).
    stop: Vec<u32>,
}

impl std::fmt::Debug for MistralGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MistralGenerator")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl MistralGenerator {
    /// Load a model from a local `.gguf` file or a local safetensors directory.
    pub async fn load(path: &Path) -> Result<Self> {
        Self::load_on(path, Device::Auto).await
    }

    /// [`MistralGenerator::load_on`] with the PEFT LoRA adapter in folder `lora` merged into
    /// the weights ([`super::merge::merged`]: the merged GGUF is written once under `cache`
    /// and reused). The model's name ends in `+lora:<folder name>`.
    pub async fn load_adapted(
        path: &Path,
        device: Device,
        lora: &Path,
        cache: &Path,
    ) -> Result<Self> {
        let (model, dir, cache_dir) = (path.to_path_buf(), lora.to_path_buf(), cache.to_path_buf());
        let merged =
            tokio::task::spawn_blocking(move || super::merge::merged(&model, &dir, &cache_dir))
                .await
                .map_err(|e| Error::generate(format!("merging the adapter stopped: {e}")))??;
        let mut me = Self::load_on(&merged, device).await?;
        let base = path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let tag = lora
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        me.name = format!("{base}+lora:{tag}");
        Ok(me)
    }

    /// [`MistralGenerator::load`] on a chosen device.
    pub async fn load_on(path: &Path, device: Device) -> Result<Self> {
        if device == Device::Cuda && !cfg!(feature = "cuda") {
            return Err(Error::generate(
                "this reco was built without the `cuda` feature: build it with scripts/cuda-build (or cargo build --release --features cuda)",
            ));
        }
        let cpu = device == Device::Cpu;
        let path = path.canonicalize().map_err(|e| {
            Error::generate(format!(
                "model {} not found ({e}); run `reco models fetch` or pass an existing --model PATH",
                path.display()
            ))
        })?;
        let name = path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let task = if path.is_dir() {
            if !path.join("config.json").exists() {
                return Err(Error::generate(format!(
                    "{}: a model directory needs config.json, tokenizer.json and *.safetensors",
                    path.display()
                )));
            }
            let dir = path.display().to_string();
            tokio::spawn(async move {
                let b = TextModelBuilder::new(dir);
                if cpu { b.with_force_cpu() } else { b }.build().await
            })
        } else {
            let arch = gguf_architecture(&path)?;
            if !GGUF_ARCHITECTURES.contains(&arch.as_str()) {
                return Err(Error::generate(format!(
                    "{}: GGUF architecture `{arch}` is not supported by mistral.rs (supported: {})",
                    path.display(),
                    GGUF_ARCHITECTURES.join(", ")
                )));
            }
            let dir = path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let file = name.clone();
            tokio::spawn(async move {
                let b = GgufModelBuilder::new(dir, vec![file]).with_max_num_seqs(4);
                if cpu { b.with_force_cpu() } else { b }.build().await
            })
        };
        let model = match task.await {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                return Err(Error::generate(format!(
                    "cannot load {}: {e}",
                    path.display()
                )))
            }
            Err(e) if e.is_panic() => {
                return Err(Error::generate(format!(
                    "mistral.rs crashed loading {}",
                    path.display()
                )))
            }
            Err(e) => return Err(Error::generate(format!("loading {}: {e}", path.display()))),
        };
        let stop = end_of_text_ids(&model).await;
        Ok(Self {
            model: Arc::new(model),
            name,
            stop,
        })
    }
}

/// The ids of the tokenizer's end-of-text tokens. When a regex constraint is complete,
/// llguidance allows only its end-of-sequence token, which it takes from the tokenizer
/// (`<|endoftext|>` for Qwen) while mistral.rs 0.8.1 stops only at the chat template's end of
/// turn (`<|im_end|>`): without these as stop tokens the engine samples that token until
/// the length limit. A sequence must finish (not be cancelled) for mistral.rs to keep it in
/// its prefix cache, which the next turn of the conversation reuses.
async fn end_of_text_ids(model: &Model) -> Vec<u32> {
    let mut ids = Vec::new();
    for t in END_OF_TEXT {
        if let Ok(v) = model
            .tokenize(Either::Right((*t).to_string()), None, false, false, None)
            .await
        {
            if let [id] = v.as_slice() {
                ids.push(*id);
            }
        }
    }
    ids
}

fn role(r: Role) -> TextMessageRole {
    match r {
        Role::User => TextMessageRole::User,
        Role::Assistant => TextMessageRole::Assistant,
    }
}

fn stats(u: &mistralrs::Usage) -> GenStats {
    GenStats {
        prompt_tokens: u.prompt_tokens,
        context_tokens: 0,
        completion_tokens: u.completion_tokens,
        prompt_tok_per_s: f64::from(u.avg_prompt_tok_per_sec),
        gen_tok_per_s: f64::from(u.avg_compl_tok_per_sec),
    }
}

impl Generator for MistralGenerator {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&self, req: GenRequest) -> GenHandle {
        let model = Arc::clone(&self.model);
        let stop = self.stop.clone();
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let start = std::time::Instant::now();
            let mut context = TextMessages::new().add_message(TextMessageRole::System, &req.system);
            let mut rb = RequestBuilder::new().add_message(TextMessageRole::System, &req.system);
            for m in &req.history {
                context = context.add_message(role(m.role), &m.text);
                rb = rb.add_message(role(m.role), &m.text);
            }
            let context_tokens = if req.history.is_empty() {
                0
            } else {
                model
                    .tokenize(Either::Left(context.clone()), None, false, true, None)
                    .await
                    .map_or(0, |t| t.len())
            };
            let messages = context.add_message(TextMessageRole::User, &req.user);
            let prompt_tokens = model
                .tokenize(Either::Left(messages), None, true, true, None)
                .await
                .map_or(0, |t| t.len());
            let mut rb = rb
                .add_message(TextMessageRole::User, req.user)
                .set_deterministic_sampler()
                .set_sampler_frequency_penalty(0.9)
                .set_sampler_presence_penalty(0.9)
                .set_sampler_max_len(req.max_tokens);
            if !stop.is_empty() {
                rb = rb.set_sampler_stop_toks(StopTokens::Ids(stop));
            }
            if let Some(c) = req.constraint {
                rb = rb.set_constraint(Constraint::Regex(c));
            }
            let mut stream = match model.stream_chat_request(rb).await {
                Ok(s) => s,
                Err(e) => {
                    let _ = tx.send(GenEvent::Failed(format!("generation could not start: {e}")));
                    return;
                }
            };
            let mut last = GenStats::default();
            // Once a grammar is complete, mistral.rs 0.8.1 may keep sampling empty tokens
            // instead of stopping; a short run of them after real text ends the answer, and
            // dropping the stream cancels the sequence in the engine.
            let mut empty_run = 0;
            let mut seen_text = false;
            let mut first_token: Option<std::time::Instant> = None;
            let mut generated = 0usize;
            while let Some(resp) = stream.next().await {
                tracing::debug!(response = ?std::mem::discriminant(&resp), "mistral.rs response");
                match resp {
                    Response::Chunk(ChatCompletionChunkResponse { choices, usage, .. }) => {
                        if let Some(u) = usage {
                            last = stats(&u);
                        }
                        let mut finished = false;
                        for c in choices {
                            tracing::debug!(finish = ?c.finish_reason, content = ?c.delta.content, "chunk");
                            finished |= c.finish_reason.is_some();
                            match c.delta.content.filter(|t| !t.is_empty()) {
                                Some(t) => {
                                    empty_run = 0;
                                    seen_text = true;
                                    generated += 1;
                                    first_token.get_or_insert_with(std::time::Instant::now);
                                    if tx.send(GenEvent::Token(t)).is_err() {
                                        return;
                                    }
                                }
                                None => empty_run += 1,
                            }
                        }
                        if seen_text && empty_run >= 3 {
                            finished = true;
                        }
                        if finished {
                            break;
                        }
                    }
                    Response::Done(r) => {
                        last = stats(&r.usage);
                        break;
                    }
                    Response::ModelError(m, _) => {
                        let _ = tx.send(GenEvent::Failed(format!("the model failed: {m}")));
                        return;
                    }
                    Response::InternalError(e) | Response::ValidationError(e) => {
                        let _ = tx.send(GenEvent::Failed(format!("generation failed: {e}")));
                        return;
                    }
                    _ => {}
                }
            }
            if last.completion_tokens == 0 {
                // The stream was ended by us (see above), so mistral.rs sent no usage: measure.
                let prefill = first_token.map_or(0.0, |t| (t - start).as_secs_f64());
                let decode = first_token.map_or(0.0, |t| t.elapsed().as_secs_f64());
                last = GenStats {
                    prompt_tokens,
                    context_tokens,
                    completion_tokens: generated,
                    prompt_tok_per_s: if prefill > 0.0 {
                        prompt_tokens as f64 / prefill
                    } else {
                        0.0
                    },
                    gen_tok_per_s: if decode > 0.0 {
                        generated.saturating_sub(1) as f64 / decode
                    } else {
                        0.0
                    },
                };
            }
            last.context_tokens = context_tokens;
            if last.prompt_tokens == 0 {
                last.prompt_tokens = prompt_tokens;
            }
            let _ = tx.send(GenEvent::Done(last));
        });
        GenHandle::new(rx, task)
    }
}
