//! Evaluation: generated item-retrieval queries of ten types with graded relevance
//! ([`queries`]), ranking metrics ([`metrics`]), and the runner that scores lexical, dense
//! and fused retrieval on them ([`retrieval`]).

pub mod grounding;
pub mod intents;
pub mod metrics;
pub mod queries;
pub mod retrieval;
