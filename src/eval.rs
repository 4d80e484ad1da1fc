//! Evaluation: generated item-retrieval queries of ten types with graded relevance
//! ([`queries`]), ranking metrics ([`metrics`]), the runner that scores lexical, dense and
//! fused retrieval on them ([`retrieval`]), the replay of real ReDial dialogues through the
//! conversation pipeline ([`redial`]), scripted dialogues with per-turn expectations
//! ([`dialogues`]), and the Markdown + SVG report writers ([`report`]).

pub mod dialogues;
pub mod grounding;
pub mod intents;
pub mod metrics;
pub mod queries;
pub mod redial;
pub mod report;
pub mod retrieval;
