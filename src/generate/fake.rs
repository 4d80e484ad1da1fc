//! A deterministic generator for unit tests: it answers with the first candidates of the
//! prompt ("[1] ...") word by word, or with a fixed script.

use tokio::sync::mpsc;

use super::{GenEvent, GenHandle, GenRequest, GenStats, Generator};

/// Test stand-in for a model (never used by the product path).
#[derive(Debug, Clone, Default)]
pub struct FakeGenerator {
    /// If set, the exact text to "generate"; else picks [1] and [2].
    pub script: Option<String>,
}

impl Generator for FakeGenerator {
    fn name(&self) -> &str {
        "fake"
    }

    fn start(&self, req: GenRequest) -> GenHandle {
        let text = self.script.clone().unwrap_or_else(|| {
            "[1] It matches what you asked for.\n[2] A close second with similar tags.\n".into()
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut n = 0;
            for piece in text.split_inclusive(' ') {
                if n >= req.max_tokens {
                    break;
                }
                n += 1;
                if tx.send(GenEvent::Token(piece.to_string())).is_err() {
                    return;
                }
                tokio::task::yield_now().await;
            }
            let stats = GenStats {
                prompt_tokens: req.user.len() / 4,
                completion_tokens: n,
                ..GenStats::default()
            };
            let _ = tx.send(GenEvent::Done(stats));
        });
        GenHandle::new(rx, task)
    }
}
