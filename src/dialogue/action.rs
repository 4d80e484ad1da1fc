//! What the router reads ([`Facts`]) and decides ([`Route`]): the [`Action`] reco takes with a
//! turn, its targets, and the kind of question over the cards on screen.

use serde::Serialize;

use super::constraints::Relative;
use crate::{
    intent::{refs::CardRef, Intent},
    retrieve::{anchor::Named, Filters},
    store::Feedback,
};

/// What reco does with a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new request: its constraints replace the active ones.
    Recommend,
    /// A change to the current request: merged into the active constraints.
    Refine,
    /// More of the same: the active constraints, without the cards already shown.
    More,
    /// Feedback on items (remembered), then new cards for the same request where it applies.
    Feedback(FeedbackKind),
    /// A question about one item.
    Inquire,
    /// A comparison of two or more items.
    Compare,
    /// Small talk.
    ChitChat,
    /// Clear the constraints and cards (the profile stays); a request in the same turn is
    /// then answered.
    StartOver,
}

/// Feedback kinds, as the router reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackKind {
    /// Accepted / liked.
    Liked,
    /// Rejected.
    Rejected,
    /// Already seen or played.
    Seen,
}

impl From<FeedbackKind> for Feedback {
    fn from(k: FeedbackKind) -> Self {
        match k {
            FeedbackKind::Liked => Feedback::Liked,
            FeedbackKind::Rejected => Feedback::Rejected,
            FeedbackKind::Seen => Feedback::Seen,
        }
    }
}

impl Action {
    /// Lowercase name for reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Action::Recommend => "recommend",
            Action::Refine => "refine",
            Action::More => "more",
            Action::Feedback(FeedbackKind::Liked) => "feedback:liked",
            Action::Feedback(FeedbackKind::Rejected) => "feedback:rejected",
            Action::Feedback(FeedbackKind::Seen) => "feedback:seen",
            Action::Inquire => "inquire",
            Action::Compare => "compare",
            Action::ChitChat => "chit_chat",
            Action::StartOver => "start_over",
        }
    }
}

/// Everything the router looked at, and its decision.
#[derive(Debug, Clone)]
pub struct Route {
    /// The action.
    pub action: Action,
    /// Items the action is about (catalog indices): referenced cards, named items.
    pub targets: Vec<usize>,
    /// Whether the turn also carries a request (filters, labels or content words).
    pub has_request: bool,
    /// For a question over the cards on screen, which kind (what an empty answer says).
    pub question: Option<CardQuestion>,
    /// The turn starts a new request over the cards on screen: it names another item to be
    /// like, or says it wants something else ("not a romance this time"). What was said
    /// before it counts less in the search.
    pub fresh: bool,
    /// The request asks for items by the makers of its one target ("more from the same
    /// studio as the first one"), or, with no target, by the maker it names ("games by
    /// Valve").
    pub by_makers: bool,
}

/// Kinds of question over the cards on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardQuestion {
    /// "Any of these multiplayer?": the cards that meet the filters.
    Matching,
    /// "Any of these on sale?".
    Sale,
    /// "Which one has the best reviews?": what is missing when no card has the value.
    Superlative(&'static str),
    /// Something no catalog reco reads has ("I don't have a good PC": system requirements).
    Missing(&'static str),
}

/// What the router reads from a turn.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The turn's text.
    pub text: &'a str,
    /// Its intent.
    pub intent: &'a Intent,
    /// Catalog items it names.
    pub named: &'a [Named],
    /// Catalog items it refuses by name ("not the witcher").
    pub refused: &'a [Named],
    /// Cards it refers to.
    pub refs: Option<CardRef>,
    /// Relative changes it asks for ("cheaper").
    pub relative: &'a [Relative],
    /// Whether it carries a request (filters, labels or content words).
    pub has_request: bool,
    /// Whether that request is filters and nothing else ("any that are free?", "under $10").
    pub filters_only: bool,
    /// The filters it names ("multiplayer", "under $10"), if any.
    pub filters: Option<&'a Filters>,
}
