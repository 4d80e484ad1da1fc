//! A deterministic generator for unit tests: it picks the first two cards of a
//! recommendation prompt (`Cards: [6] …, [7] …`) with fixed reasons, or answers with a fixed
//! script, word by word; it keeps every request it was given, so tests can read the prompts.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::{GenEvent, GenHandle, GenRequest, GenStats, Generator};

/// Test stand-in for a model (never used by the product path).
#[derive(Debug, Clone, Default)]
pub struct FakeGenerator {
    /// If set, the exact text to "generate"; else picks of the first two cards.
    pub script: Option<String>,
    /// Every request started, in order.
    pub requests: Arc<Mutex<Vec<GenRequest>>>,
}

/// The card numbers of a recommendation prompt, in order.
fn card_numbers(user: &str) -> Vec<String> {
    let Some(line) = user.lines().find(|l| l.starts_with("Cards:")) else {
        return Vec::new();
    };
    line.split('[')
        .skip(1)
        .filter_map(|p| p.split_once(']').map(|(n, _)| n.to_string()))
        .collect()
}

impl Generator for FakeGenerator {
    fn name(&self) -> &str {
        "fake"
    }

    fn start(&self, req: GenRequest) -> GenHandle {
        if let Ok(mut r) = self.requests.lock() {
            r.push(req.clone());
        }
        let text = self.script.clone().unwrap_or_else(|| {
            match card_numbers(&req.user).as_slice() {
                [] => "It matches what you asked for.\n".to_string(),
                [a] => format!("[{a}] because it matches what you asked for.\n"),
                [a, b, ..] => format!(
                    "[{a}] because it matches what you asked for.\n[{b}] because it is a close second.\n"
                ),
            }
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
