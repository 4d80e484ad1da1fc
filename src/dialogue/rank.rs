//! [`Agent::rank`]: the conversation's cards — the active constraints searched dense +
//! lexical, fused with the collaborative lists when the agent has a model.

use std::collections::HashSet;

use super::{words::content_words, Agent, Conversation};
use crate::{
    retrieve::{collab::Collab, ParsedQuery, SearchOptions},
    Result,
};

impl Agent {
    /// The top `k` items (indices) for the conversation as it stands: the active constraints
    /// (filters, request text, anchors) searched dense + lexical, fused with the
    /// collaborative lists when the agent has a model; never an item the person mentioned,
    /// saw or rejected, nor one in `also_exclude`. Changes nothing.
    pub fn rank(
        &self,
        conv: &Conversation,
        k: usize,
        also_exclude: &HashSet<String>,
    ) -> Result<Vec<usize>> {
        let r = &self.searcher.retriever;
        let c = &conv.state.constraints;
        let anchors: Vec<usize> = c.anchors.iter().filter_map(|id| r.index_of(id)).collect();
        let mut text = c.query_text();
        if content_words(&text) == 0 && anchors.is_empty() {
            // Only filters ("free racing games"): search by the labels asked for.
            text = c.filters.labels.join(" ");
        }
        let parsed = ParsedQuery {
            filters: c.filters.clone(),
            text: text.clone(),
            wants_addons: c.addons,
        };
        let content = self.collab.as_ref().map_or(1.0, |m| m.weights.content);
        let query = if text.trim().is_empty() || content <= 0.0 {
            let dim = self.searcher.embedder.dim();
            vec![0.0; dim]
        } else {
            self.searcher.query_vector(&text)?
        };
        let mut exclude = conv.excluded();
        exclude.extend(also_exclude.iter().cloned());
        exclude.extend(self.options.exclude.iter().cloned());
        let extra = match &self.collab {
            Some(model) => collab_lists(model, r, conv, &text, &exclude),
            None => Vec::new(),
        };
        let opts = SearchOptions {
            k,
            exclude,
            anchors,
            weights: self.searcher.weights(),
            extra,
            content,
            ..SearchOptions::default()
        };
        let res = r.search_parsed(parsed, Some(&query), &opts)?;
        Ok(res.hits.iter().map(|h| h.index).collect())
    }
}

/// The collaborative lists for a conversation: seeds are the items it mentioned or liked
/// and the request's anchors (never rejected ones); words are the request and the person's
/// recent turns, newest strongest.
fn collab_lists(
    model: &Collab,
    r: &crate::retrieve::Retriever,
    conv: &Conversation,
    request: &str,
    exclude: &HashSet<String>,
) -> Vec<(f32, Vec<(usize, f32)>)> {
    let rejected: HashSet<&String> = conv.session.rejected.iter().collect();
    let mut seeds: Vec<(usize, f32)> = Vec::new();
    let ids = conv
        .state
        .mentioned
        .iter()
        .chain(&conv.session.liked)
        .chain(&conv.state.constraints.anchors);
    for id in ids.filter(|id| !rejected.contains(id)) {
        if let Some(i) = r.index_of(id) {
            if !seeds.iter().any(|s| s.0 == i) {
                seeds.push((i, 1.0));
            }
        }
    }
    let mut texts: Vec<(&str, f32)> = vec![(request, 1.0)];
    let mut w = 1.0;
    for t in conv.recent_user_texts(3) {
        texts.push((t, w));
        w *= 0.7;
    }
    let keep = |i: usize| !exclude.contains(&r.items()[i].id);
    model.extra(&seeds, &texts, crate::retrieve::fusion::DEPTH, &keep)
}
