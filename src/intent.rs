//! Intent: what a user turn does, in the IARD seeker taxonomy (Cai & Chen, UMAP 2020), so the
//! dialogue layer can route it.
//!
//! In: the turn's text, its context (the system turn before it, whether cards are on screen,
//! the position in the conversation) and retrieval augmentation from the active catalog (as in
//! Dragan et al., arXiv 2308.09308: which catalog items the turn names, the items its text
//! retrieves and how close they are). Out: an [`Intent`] — the top-level intents and
//! sub-intents that apply (multi-label), the primary sub-intent and its probability.
//!
//! Features come from the shared frozen embedding backbone ([`features`]); the head is an
//! ensemble of five small multi-label MLPs trained in Rust with candle, deterministic for a
//! seed, stored and run as one ([`model`]). Its
//! weights and manifest live under `adapters/intent/` (the shipped model is compiled in);
//! training data are the labelled utterances in `adapters/intent/examples/` written for reco,
//! optionally with IARD dialogues ([`data`]).

pub mod data;
pub mod features;
pub mod model;
pub mod refs;
mod taxonomy;
pub mod train;

pub use features::{Augmentation, FeatureSpec, TurnContext};
pub use model::{IntentModel, TrainOptions};
pub use taxonomy::{top_of, Intent, SUB_INTENTS, TOP_LEVELS};
