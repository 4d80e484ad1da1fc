//! [`Agent::understand`]: what a turn names, refuses and asks for, its intent and its route,
//! before anything is acted on.

use std::time::Instant;

use super::{
    constraints::relatives,
    reading::{asked_filters, refused_names},
    route::{self, Facts, Route},
    words::{content_words, without_named},
    Agent, Conversation, Relative,
};
use crate::{
    intent::{features, refs::card_refs, Intent, TurnContext},
    retrieve::{
        anchor::{self, Named},
        ParsedQuery,
    },
    Result,
};

/// How a turn was understood.
#[derive(Debug, Clone)]
pub struct Understood {
    /// Its intent.
    pub intent: Intent,
    /// The router's decision.
    pub route: Route,
    /// Catalog items it names (not those it refuses).
    pub named: Vec<Named>,
    /// Catalog items it refuses by name ("not the witcher"): rejected, never anchors.
    pub refused: Vec<Named>,
    /// Relative changes it asks for.
    pub relative: Vec<Relative>,
    /// The request part of the turn, parsed (named titles and their cue words removed).
    pub parsed: Option<ParsedQuery>,
    /// The conditions the turn asks about when it is a question (see [`asked_filters`]).
    pub asked: Option<crate::retrieve::Filters>,
    /// Time to understand, ms.
    pub ms: f64,
    /// Of which the intent classifier, ms.
    pub classify_ms: f64,
}

impl Agent {
    /// Understand a turn without acting on it: named items, card references, intent, route.
    pub fn understand(&self, conv: &Conversation, text: &str) -> Result<Understood> {
        let t = Instant::now();
        let r = &self.searcher.retriever;
        let embedder = &*self.searcher.embedder;
        let query = embedder.embed_one(text)?;
        let all_named = anchor::named_items(r, text);
        let (refused, named) = refused_names(text, &all_named);
        let tc = Instant::now();
        let ctx = TurnContext {
            text,
            prev: conv.last_system_text(),
            cards: !conv.state.shown.is_empty(),
            position: conv.user_turns(),
        };
        let rows = features::featurize(
            self.intents.manifest.spec,
            embedder,
            Some(r),
            &ctx,
            Some(&query),
            conv.prev_vector.as_deref(),
        )?;
        let intent = self.intents.classify(&rows);
        let classify_ms = tc.elapsed().as_secs_f64() * 1e3;
        // With no cards on screen, "it" may still be the item the last answer was about.
        let refs = (!conv.state.shown.is_empty() || conv.state.focus.is_some())
            .then(|| card_refs(text))
            .flatten();
        // All relative words say the turn changes the request on screen (routing); only those
        // whose value the turn does not state are applied.
        let said = relatives(text);
        let mut relative = said.clone();
        let request = without_named(text, &all_named);
        let parsed = r.parse(&request).ok();
        // A value the turn states wins over a relative word beside it ("too expensive,
        // anything under 15" is under $15; "older ones, like before 2012" is before 2012).
        if let Some(f) = parsed.as_ref().map(|p| &p.filters) {
            relative.retain(|x| !x.stated_in(f));
        }
        // One content word is a request beside a refused name ("a romance movie but not the
        // notebook": the catalog has no labels to read "romance" as).
        // Nor does a count need more ("give me seven comedies").
        let counted = parsed.as_ref().is_some_and(|p| p.count.is_some());
        let needed = if refused.is_empty() && !counted { 2 } else { 1 };
        let has_request = parsed
            .as_ref()
            .is_some_and(|p| !p.filters.is_empty() || content_words(&p.text) >= needed);
        // Filters and nothing else: no content word is left, or every word was a filter word
        // (the parser then hands the whole text back for the search: "free?", "under $10").
        let filters_only = parsed.as_ref().is_some_and(|p| {
            !p.filters.is_empty()
                && (content_words(&p.text) == 0 || p.text.trim() == request.trim())
        });
        let asked = parsed.as_ref().map(|p| asked_filters(r, p, &request));
        let route = route::route(
            r,
            &conv.state,
            &Facts {
                text,
                intent: &intent,
                named: &named,
                refused: &refused,
                refs,
                relative: &said,
                has_request,
                filters_only,
                filters: asked.as_ref(),
            },
        );
        Ok(Understood {
            intent,
            route,
            named,
            refused,
            relative,
            parsed,
            asked,
            ms: t.elapsed().as_secs_f64() * 1e3,
            classify_ms,
        })
    }
}
