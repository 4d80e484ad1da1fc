//! Where a turn's output goes. [`Sink`] is the one output path: the CLI's printers (in
//! [`crate::render`]), the TUI's channel and the evaluation runners all implement it, so they
//! share the pipeline. [`LineMapper`] turns streamed `[n] reason` lines into
//! `• Title — reason` as the tokens arrive.

use super::{Answer, Understood};
use crate::catalog::Item;

/// Receives a turn's output. Implementations must be `Send`: the turn runs on an engine task.
pub trait Sink: Send {
    /// The turn was understood (intent and action), before any retrieval.
    fn understood(&mut self, _u: &Understood) {}
    /// New cards, before any prose (numbered from 1 in this order).
    fn cards(&mut self, items: &[&Item]);
    /// A piece of the answer as it should be shown.
    fn token(&mut self, text: &str);
    /// The finished answer.
    fn done(&mut self, answer: &Answer);
}

/// Discards everything (evaluation runners that read the returned [`Answer`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct NullSink;

impl Sink for NullSink {
    fn cards(&mut self, _items: &[&Item]) {}
    fn token(&mut self, _text: &str) {}
    fn done(&mut self, _answer: &Answer) {}
}

/// Rewrites streamed `[n] ...` line starts into card titles.
#[derive(Debug)]
pub struct LineMapper {
    titles: Vec<String>,
    pending: String,
    at_line_start: bool,
}

impl LineMapper {
    /// For these cards (numbered from 1).
    #[must_use]
    pub fn new(items: &[&Item]) -> Self {
        Self {
            titles: items.iter().map(|i| i.title.clone()).collect(),
            pending: String::new(),
            at_line_start: true,
        }
    }

    /// Feed a token; returns what can be shown now.
    pub fn push(&mut self, token: &str) -> String {
        let mut out = String::new();
        for c in token.chars() {
            if self.at_line_start {
                self.pending.push(c);
                if let Some(done) = self.try_prefix() {
                    self.at_line_start = done.ends_with('\n');
                    out.push_str(&done);
                }
            } else {
                out.push(c);
                if c == '\n' {
                    self.at_line_start = true;
                }
            }
        }
        out
    }

    /// Resolve a buffered line start: `[n] ` → `• Title — `; anything else passes through.
    fn try_prefix(&mut self) -> Option<String> {
        let p = &self.pending;
        if !p.starts_with('[') {
            return Some(std::mem::take(&mut self.pending));
        }
        let close = match p.find(']') {
            Some(c) => c,
            None if p.len() > 8 => return Some(std::mem::take(&mut self.pending)),
            None => return None,
        };
        if p.len() == close + 1 {
            return None; // wait for the space after "]"
        }
        let num = p[1..close].trim().parse::<usize>().ok();
        let s = std::mem::take(&mut self.pending);
        match num.and_then(|n| self.titles.get(n.wrapping_sub(1))) {
            Some(t) => Some(format!("• {t} — {}", s[close + 1..].trim_start())),
            None => Some(s),
        }
    }

    /// Whatever is still buffered.
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_numbers_to_titles_across_tokens() {
        let a = Item {
            id: "1".into(),
            title: "Portal 2".into(),
            ..Item::default()
        };
        let b = Item {
            id: "2".into(),
            title: "Celeste".into(),
            ..Item::default()
        };
        let mut m = LineMapper::new(&[&a, &b]);
        let mut out = String::new();
        for t in [
            "[",
            "2",
            "]",
            " Hard",
            " but fair.\n",
            "[1] Co-op",
            " puzzles.\n",
        ] {
            out.push_str(&m.push(t));
        }
        out.push_str(&m.finish());
        assert_eq!(
            out,
            "• Celeste — Hard but fair.\n• Portal 2 — Co-op puzzles.\n"
        );
    }
}
