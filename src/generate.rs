//! Generation: a rendered prompt in, a stream of tokens out. [`Generator`] is the seam; the
//! one implementation that imports mistral.rs is [`MistralGenerator`] (in-process, CPU by
//! default, CUDA with `--features cuda`); [`FakeGenerator`] is a deterministic stand-in for
//! unit tests. Generation runs on its own task and reports [`GenEvent`]s over a channel, so a
//! UI never awaits it and a turn can be cancelled by dropping or cancelling the handle.

mod choice;
mod fake;
mod gguf;
pub mod lora;
pub mod merge;
mod mistral;
pub mod prompt;
mod transcript;

pub use choice::ModelChoice;
pub use fake::FakeGenerator;
pub use gguf::gguf_architecture;
pub use mistral::{Device, MistralGenerator};
pub use transcript::{Message, Transcript, TurnPrompt};

use tokio::sync::mpsc;

/// One generation request. The messages sent are `system`, then `history` (earlier turns of
/// the same conversation, exactly as sent and answered before), then `user`: a conversation's
/// prompt only grows, so the engine's prefix cache serves everything but the new turn.
#[derive(Debug, Clone)]
pub struct GenRequest {
    /// System prompt (short and the same for every turn).
    pub system: String,
    /// Earlier messages of the conversation, oldest first (user, assistant, user, …).
    pub history: Vec<Message>,
    /// This turn's user message (new items, memory, question, task).
    pub user: String,
    /// Regular expression the output must match (grounding by construction), if any.
    pub constraint: Option<String>,
    /// Most tokens to generate.
    pub max_tokens: usize,
}

/// Speed figures of one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct GenStats {
    /// Tokens in the prompt.
    pub prompt_tokens: usize,
    /// Of which the system prompt and the earlier turns (the part a prefix cache can serve).
    pub context_tokens: usize,
    /// Tokens generated.
    pub completion_tokens: usize,
    /// Prompt processing speed.
    pub prompt_tok_per_s: f64,
    /// Generation speed.
    pub gen_tok_per_s: f64,
}

/// What a running generation reports.
#[derive(Debug, Clone, PartialEq)]
pub enum GenEvent {
    /// A piece of text.
    Token(String),
    /// Finished normally.
    Done(GenStats),
    /// Failed; the message says why.
    Failed(String),
}

/// A running generation: its events, and the task that can be cancelled.
#[derive(Debug)]
pub struct GenHandle {
    /// Events, ending with `Done` or `Failed`.
    pub events: mpsc::UnboundedReceiver<GenEvent>,
    task: tokio::task::JoinHandle<()>,
}

impl GenHandle {
    /// Wrap a channel and the task feeding it.
    #[must_use]
    pub fn new(
        events: mpsc::UnboundedReceiver<GenEvent>,
        task: tokio::task::JoinHandle<()>,
    ) -> Self {
        Self { events, task }
    }

    /// Stop generating now.
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for GenHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Something that writes answers. `start` must be called inside a tokio runtime.
pub trait Generator: Send + Sync {
    /// Model name, for reports.
    fn name(&self) -> &str;
    /// Start generating; events arrive on the handle.
    fn start(&self, req: GenRequest) -> GenHandle;
}
