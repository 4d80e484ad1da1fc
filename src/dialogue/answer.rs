//! What a turn produces: the [`Answer`] (also the `--json` output of `reco ask`).

use serde::Serialize;

use crate::{
    catalog::Item,
    generate::GenStats,
    ground::{Grounding, Mention, Pick},
    intent::Intent,
};

/// An item reference in an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRef {
    /// Catalog id.
    pub id: String,
    /// Catalog title.
    pub title: String,
}

impl ItemRef {
    /// The reference of an item.
    #[must_use]
    pub fn of(it: &Item) -> Self {
        Self {
            id: it.id.clone(),
            title: it.title.clone(),
        }
    }
}

/// A card: an item shown to the user, numbered from 1 in the order of the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Catalog id.
    pub id: String,
    /// Catalog title.
    pub title: String,
    /// Price (0 when free), if known.
    pub price: Option<f64>,
    /// Release year, if known.
    pub year: Option<i32>,
    /// Whether it is an add-on (DLC, soundtrack, pack).
    pub addon: bool,
}

impl Candidate {
    /// The card of an item.
    #[must_use]
    pub fn of(it: &Item) -> Self {
        Self {
            id: it.id.clone(),
            title: it.title.clone(),
            price: it.price.map(crate::catalog::Price::amount),
            year: it.year,
            addon: it.is_addon(),
        }
    }
}

/// The intent of the turn, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentReport {
    /// "GiveFeedback/REJ".
    pub label: String,
    /// Top-level intents that apply.
    pub top: Vec<&'static str>,
    /// Sub-intents that apply.
    pub sub: Vec<&'static str>,
    /// Probability of the primary sub-intent.
    pub confidence: f32,
}

impl From<&Intent> for IntentReport {
    fn from(i: &Intent) -> Self {
        Self {
            label: i.label(),
            top: i.top.clone(),
            sub: i.sub.clone(),
            confidence: (i.confidence * 1000.0).round() / 1000.0,
        }
    }
}

/// Milliseconds from the turn's start to each stage.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Understanding (embedding, named items, intent, route).
    pub understand: f64,
    /// Of which the intent classifier (features and head, after the shared embedding).
    pub classify: f64,
    /// Retrieval done (cards known).
    pub retrieve: f64,
    /// Cards handed to the sink (None when the turn showed no cards).
    pub first_card: Option<f64>,
    /// First generated token (None if nothing was generated).
    pub first_token: Option<f64>,
    /// Whole turn.
    pub total: f64,
}

/// The result of a turn.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The session the turn belongs to.
    pub session: String,
    /// The turn's intent.
    pub intent: IntentReport,
    /// What reco did ("recommend", "refine", "feedback:rejected", ...).
    pub action: &'static str,
    /// The active constraints after the turn, described.
    pub constraints: String,
    /// Cards shown by this turn, in order (empty when the cards did not change).
    pub candidates: Vec<Candidate>,
    /// Items the turn was about (the item asked about, compared, or given feedback).
    pub about: Vec<ItemRef>,
    /// What the model recommended (always cards of this turn).
    pub picks: Vec<Pick>,
    /// The answer as shown.
    pub text: String,
    /// The model's raw output ("" when no model ran).
    pub raw: String,
    /// Catalog titles found in the shown answer.
    pub mentions: Vec<Mention>,
    /// What the support check kept, cut and replaced of the model's text.
    pub grounding: Grounding,
    /// Timings in ms.
    pub timings_ms: Timings,
    /// Generation speed.
    pub generation: GenStats,
}
