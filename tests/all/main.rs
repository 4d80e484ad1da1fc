//! Integration tests, one binary (mistral.rs makes every test binary slow to link), grouped by
//! topic. Tests use the real models (fetched once per run into the target directory through
//! `reco models fetch`'s own code) and the real data in `../shared/data`; a test that needs the
//! shared data prints why it skips when that folder is absent.

mod adapters;
mod cli;
mod common;
mod conversation;
mod dialogues;
mod generation;
mod generation_lora;
mod gpu;
mod grounding;
mod import;
mod retrieval;
mod sessions;
mod tui;

pub use common::*;
