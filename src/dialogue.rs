//! The conversation: one user turn in, a grounded answer out, with state carried from turn
//! to turn.
//!
//! ```text
//! turn ─► understand ───────────────► act ─────────────────────────► generate ─► answer
//!         embed once; named items;     recommend / refine / more:      grounded     sink: cards,
//!         card references; intent      retrieve with the merged        prompt per   tokens, done;
//!         (IARD, retrieval-augmented); constraints, cards to the sink; route        commit turn
//!         route                        feedback: remember, re-rank;                 to the store
//!                                      inquire / compare: the items
//! ```
//!
//! [`Agent`] holds what does not change between turns (store, searcher, intent model,
//! options); [`Conversation`] is the state that does. [`Agent::turn`] is `Send`, so an engine
//! task can run it while a UI keeps drawing; its output goes through one [`Sink`], shared by
//! the CLI, the TUI and the evaluation runners.

mod action;
mod answer;
mod constraints;
mod cues;
mod generate;
mod maker;
mod phrases;
mod questions;
mod rank;
mod reading;
mod relative;
pub mod route;
mod sale;
mod sentiment;
mod sink;
mod state;
mod talk;
mod targets;
mod turn;
mod understand;
mod verdict;
mod words;

use std::{collections::HashSet, sync::Arc};

pub use answer::{Answer, Candidate, IntentReport, ItemRef, Timings};
pub use constraints::{relatives, Constraints, Relative};
pub use route::{Action, FeedbackKind, Route};
pub use sink::{LineMapper, NullSink, Sink};
pub use state::{Conversation, DialogueState};
pub use understand::Understood;
pub use words::clean_turn;

use crate::{
    intent::IntentModel,
    retrieve::{collab::Collab, Searcher},
    store::Store,
};

/// Longest turn accepted; longer input is cut at a character boundary.
pub const MAX_TURN_BYTES: usize = 4096;

/// Knobs of a turn.
#[derive(Debug, Clone)]
pub struct TurnOptions {
    /// Cards retrieved, shown and offered to the model.
    pub candidates: usize,
    /// Most picks the model may make.
    pub max_picks: usize,
    /// Token limit of the answer.
    pub max_tokens: usize,
    /// Items never to offer, besides the session's rejected and seen ones.
    pub exclude: HashSet<String>,
}

impl Default for TurnOptions {
    fn default() -> Self {
        Self {
            candidates: 5,
            max_picks: 3,
            max_tokens: 160,
            exclude: HashSet::new(),
        }
    }
}

/// What stays the same from turn to turn: the store (sessions are written through it), the
/// catalog's searcher, the intent model, the turn options and the optional collaborative
/// model.
#[derive(Clone)]
pub struct Agent {
    /// The database.
    pub store: Store,
    /// The active catalog and the embedding backbone.
    pub searcher: Searcher,
    /// The intent classifier.
    pub intents: Arc<IntentModel>,
    /// Turn options.
    pub options: TurnOptions,
    /// The catalog's collaborative model, when it has interactions: its lists are fused
    /// into every recommendation (see [`Agent::rank`]).
    pub collab: Option<Arc<Collab>>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("catalog", &self.searcher.retriever.catalog())
            .finish_non_exhaustive()
    }
}
