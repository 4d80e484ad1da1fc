//! Command implementations behind the CLI. Each takes parsed arguments and the [`Engine`],
//! prints for humans (or JSON with `--json`), and returns `crate::Result`.
//!
//! [`Engine`]: crate::engine::Engine

pub mod adapter;
pub mod ask;
pub mod bench;
mod bench_chat;
mod bench_generate;
pub mod bench_gpu;
mod bench_gpu_report;
pub mod catalog;
pub mod chat;
pub mod eval;
pub mod eval_redial;
mod grounding;
pub mod intent;
mod intent_report;
pub mod models;
pub mod sessions;
