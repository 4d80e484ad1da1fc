//! Integration tests, one binary (mistral.rs makes every test binary slow to link), grouped by
//! topic. Tests use the real models (fetched once per run into the target directory through
//! `reco models fetch`'s own code) and the real data in `../shared/data`; a test that needs the
//! shared data prints why it skips when that folder is absent.

mod adapters;
// The chat driven in tmux, the longest test: top level, so that it starts among the first
// (the harness starts tests in name order) instead of running alone at the end as `tui::tmux`.
mod chat_in_tmux;
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
