//! # reco
//!
//! A conversational recommender agent for the terminal, grounded in a real catalog.
//!
//! ```text
//!  user turn ─► intent ───────────► retrieve ─────────────────► ground ─────► generate ─► render
//!               IARD taxonomy,      filters, dense (MiniLM),     candidates    mistral.rs  cards first,
//!               retrieval-augm.;    lexical (BM25 + typos),      → picks are   in process  then the
//!               route the turn      anchors ("like Portal"),     catalog ids;  (CPU/CUDA)  streamed
//!               (dialogue)          weighted-sum fusion          names checked             answer
//!  store (sled): catalogs · items · vectors · sessions (profile, cards, constraints, turns)
//! ```
//!
//! Stages live in their own modules: [`text`] (folding, sanitising, title matching),
//! [`catalog`] (items and importers), [`store`] (sled), [`models`] (offline model files),
//! [`embed`] (the shared embedding backbone), [`retrieve`] (search), [`intent`] (turn
//! classification), [`dialogue`] (the stateful turn pipeline), [`ground`] and [`generate`]
//! (grounded answers), [`render`] (terminal output), [`tui`] (the interactive chat),
//! [`eval`] (benchmarks and metrics), and [`engine`] (wiring for the CLI).

pub mod adapter;
pub mod catalog;
pub mod commands;
pub mod config;
pub mod dialogue;
pub mod embed;
pub mod engine;
pub mod error;
pub mod eval;
pub mod generate;
pub mod ground;
pub mod intent;
pub mod models;
pub mod progress;
pub mod render;
pub mod retrieve;
pub mod rng;
pub mod store;
pub mod text;
pub mod tui;

pub use error::{Error, Result};
