//! # reco
//!
//! A conversational recommender agent for the terminal, grounded in a real catalog.
//!
//! ```text
//!  user turn ──► retrieve ──────────────────────────► ground ──► generate ──► render
//!               │ filters (price, year, "not X")      │ candidates with ids      │ stream tokens
//!               │ dense (MiniLM, exact cosine)        │ picks constrained to     │ cards first
//!               │ lexical (BM25 + typo tolerance)     │ catalog ids; every title │
//!               └ fusion (reciprocal rank)            └ checked against store    │
//!  store (sled): catalogs · items · vectors · sessions        models: fetched with pip
//! ```
//!
//! Stages live in their own modules: [`catalog`] (items and importers), [`store`] (sled),
//! [`models`] (offline model files), [`embed`] (the embedding backbone), [`retrieve`]
//! (search), [`eval`] (retrieval benchmarks and metrics), and [`engine`] (wiring for the CLI).

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
pub mod models;
pub mod progress;
pub mod retrieve;
pub mod store;

pub use error::{Error, Result};
