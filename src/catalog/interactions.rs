//! Interaction files: which catalog items belong together because one person or one
//! conversation touched them. A file goes in (ReDial dialogues, or generic JSON Lines of
//! `{"user": …, "items": [...]}` / `{"session": …, "items": [...]}`; gzip or plain), and
//! [`Interaction`]s come out one by one with their line numbers; a bad line becomes a
//! [`Skip`] (line and reason) and reading goes on, exactly as item imports do.
//! [`import_interactions`](ingest::import_interactions) streams them into the store.
//!
//! A ReDial dialogue keeps its utterances (role, text with `@id` mentions, items), so that
//! item descriptions can be learned from the words people use around each mention, and
//! the seeker's liked / disliked answers from its questionnaires.

mod ingest;
mod jsonl;
pub mod redial;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use ingest::{import_interactions, InteractionReport};

use super::import::{reader, Skip};
use crate::{Error, Result};

/// One utterance of a dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utterance {
    /// Said by the person seeking a recommendation (else by the recommender).
    pub seeker: bool,
    /// The text, with item mentions as `@id`.
    pub text: String,
    /// Items it mentions, in order, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

/// Items that belong together: one user's history, one session, or one dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Interaction {
    /// Unique key within the catalog: `user:<id>`, `session:<id>` or `redial:<id>`.
    pub key: String,
    /// Item ids in the order they came up, each once.
    pub items: Vec<String>,
    /// Items the person said they liked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub liked: Vec<String>,
    /// Items the person said they did not like.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disliked: Vec<String>,
    /// The dialogue's utterances (dialogues only; consecutive messages of one side merged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<Utterance>,
}

impl Interaction {
    /// Keep only items `known` accepts; returns the ids dropped (once each).
    pub fn retain_known(&mut self, known: &dyn Fn(&str) -> bool) -> Vec<String> {
        let dropped: Vec<String> = self.items.iter().filter(|i| !known(i)).cloned().collect();
        if dropped.is_empty() {
            return dropped;
        }
        self.items.retain(|i| known(i));
        self.liked.retain(|i| known(i));
        self.disliked.retain(|i| known(i));
        for t in &mut self.turns {
            t.items.retain(|i| known(i));
        }
        dropped
    }
}

/// The interaction formats reco reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionFormat {
    /// ReDial dialogues (`movieMentions`, `messages`, questionnaires), one JSON object a line.
    Redial,
    /// `{"user" | "session": …, "items": [...], "liked"?: [...], "disliked"?: [...]}` a line.
    Jsonl,
}

impl InteractionFormat {
    /// From a user string: "redial" | "jsonl" (any case).
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "redial" => Ok(Self::Redial),
            "jsonl" | "json" => Ok(Self::Jsonl),
            _ => Err(Error::Invalid(format!(
                "unknown interaction format `{s}`; expected redial or jsonl"
            ))),
        }
    }

    /// Its name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Redial => "redial",
            Self::Jsonl => "jsonl",
        }
    }

    /// Guess from the first non-blank line: ReDial's keys, else generic JSONL.
    pub fn detect(path: &Path) -> Result<Self> {
        let sniff = reader::sniff(path)?;
        let first = sniff.first_line();
        match serde_json::from_str::<serde_json::Value>(&first) {
            Ok(v) if v.get("messages").is_some() && v.get("movieMentions").is_some() => {
                Ok(Self::Redial)
            }
            Ok(v) if v.get("items").is_some() => Ok(Self::Jsonl),
            _ => Err(parse_error(
                path,
                1,
                "-",
                "cannot tell the interaction format: expected ReDial dialogues or JSON lines with `items`; name it with --format",
            )),
        }
    }
}

/// One step of reading: an interaction, or a line skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A line that became an interaction, with its 1-based line.
    Interaction {
        /// 1-based line number.
        line: usize,
        /// The interaction.
        interaction: Interaction,
    },
    /// A line that was skipped.
    Skip(Skip),
}

/// The records of one interaction file, read lazily. A stream that fails part-way yields one
/// `Err` and ends.
pub struct Records {
    path: PathBuf,
    lines: reader::Lines,
    format: InteractionFormat,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
    total: u64,
    done: bool,
}

impl Records {
    /// Raw bytes consumed so far and the file's size, for a progress bar.
    #[must_use]
    pub fn progress(&self) -> (u64, u64) {
        let n = self.count.load(std::sync::atomic::Ordering::Relaxed);
        (n.min(self.total), self.total)
    }
}

impl Iterator for Records {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if self.done {
            return None;
        }
        loop {
            let (line, raw) = match self.lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err((line, e)) => {
                    self.done = true;
                    let msg = format!("the file could not be read further: {e}");
                    return Some(Err(parse_error(&self.path, line, "-", msg)));
                }
            };
            let Ok(text) = std::str::from_utf8(raw) else {
                let reason = "the line is not valid UTF-8".to_string();
                return Some(Ok(Record::Skip(Skip { line, reason })));
            };
            if text.trim().is_empty() {
                continue;
            }
            let parsed = match self.format {
                InteractionFormat::Redial => redial::interaction(text),
                InteractionFormat::Jsonl => jsonl::interaction(text),
            };
            return Some(Ok(match parsed {
                Ok(interaction) => Record::Interaction { line, interaction },
                Err(reason) => Record::Skip(Skip { line, reason }),
            }));
        }
    }
}

/// Open an interaction file. Fails at once when it is missing, unreadable or empty.
pub fn open(path: &Path, format: InteractionFormat) -> Result<Records> {
    let sniff = reader::sniff(path)?;
    if sniff.is_empty() {
        return Err(parse_error(path, 0, "-", "file is empty"));
    }
    if let Some((line, at)) = sniff.first_nul() {
        let msg = format!("the file looks binary (NUL byte at offset {at}), not JSON lines");
        return Err(parse_error(path, line, "-", msg));
    }
    let src = reader::open_source(path)?;
    Ok(Records {
        path: path.to_path_buf(),
        lines: reader::Lines::new(src.reader),
        format,
        count: src.count,
        total: src.total,
        done: false,
    })
}

fn parse_error(path: &Path, line: usize, field: &str, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

/// An id given as a JSON string or integer.
fn id_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn push_once(v: &mut Vec<String>, id: &str) {
    if !v.iter().any(|x| x == id) {
        v.push(id.to_string());
    }
}
