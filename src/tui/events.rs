//! What the UI and the engine task say to each other: [`Request`]s go to the engine (a turn,
//! Esc, a slash command that needs the store), [`Event`]s come back (a turn's stages as they
//! happen, whole sessions to show, notes). Text in events is made terminal-safe by the
//! [`App`](super::App) when it takes it in.

use std::path::PathBuf;

use super::CardView;
use crate::{dialogue::Timings, store::Feedback};

/// A request to the engine task.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Run a turn.
    Turn(String),
    /// Stop the turn in flight (Esc).
    Cancel,
    /// New session on the current catalog.
    New,
    /// Reopen a session.
    Open(String),
    /// List catalogs, or switch to one.
    Catalog(Option<String>),
    /// List adapters, or pick one.
    Adapter(Option<String>),
    /// List sessions.
    Sessions,
    /// Write the session as Markdown (default file name when None).
    Export(Option<PathBuf>),
    /// Show the profile.
    Profile,
    /// Forget an item (card number, id or title).
    Forget(String),
    /// Explain card N (1-based).
    Why(usize),
    /// Feedback on card N (1-based).
    Mark(usize, Feedback),
    /// Remove the session if nothing was said in it, then stop.
    Quit,
}

/// The generation model's state.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    /// No model: answers from the catalog's facts (`--no-generate`).
    Off,
    /// Loading in the background.
    Loading(String),
    /// Loaded (name, seconds it took).
    Ready(String, f64),
    /// Could not be loaded.
    Failed(String),
}

/// A whole session to show (new, reopened or resumed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionView {
    /// Session id.
    pub id: String,
    /// Its catalog.
    pub catalog: String,
    /// The adapter in use ("none").
    pub adapter: String,
    /// Its title ("" when new).
    pub title: String,
    /// Every turn: whether the user said it, and the text.
    pub transcript: Vec<(bool, String)>,
    /// The cards on screen, with reasons and marks.
    pub cards: Vec<CardView>,
}

/// What a finished turn reports.
#[derive(Debug, Clone, Default)]
pub struct TurnDone {
    /// The answer as stored.
    pub text: String,
    /// The cards on screen now, with reasons and marks.
    pub cards: Vec<CardView>,
    /// Per-stage latency.
    pub timings: Timings,
    /// "AskForRec/IQU".
    pub intent: String,
    /// Its probability.
    pub confidence: f32,
    /// What reco did ("recommend", "refine", ...).
    pub action: String,
}

/// An event from the engine task.
#[derive(Debug, Clone)]
pub enum Event {
    /// The generation model's state changed.
    Model(ModelStatus),
    /// Show this session.
    Session(SessionView),
    /// The turn was understood.
    Understood {
        /// "AskForRec/IQU".
        intent: String,
        /// Its probability.
        confidence: f32,
        /// What reco does with it.
        action: String,
    },
    /// New cards (reasons follow with [`Event::Done`]); also sent after feedback commands.
    Cards(Vec<CardView>),
    /// A piece of the answer.
    Token(String),
    /// The turn finished.
    Done(TurnDone),
    /// The turn was stopped; whether it was kept (committed without its answer).
    Cancelled(bool),
    /// The turn failed.
    Failed(String),
    /// A note for the transcript (answers to slash commands).
    Note(String),
    /// The query adapter now in use ("none").
    Adapter(String),
    /// Names for completion: catalogs, session ids.
    Lists(Vec<String>, Vec<String>),
}
