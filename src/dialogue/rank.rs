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
    /// saw, liked or rejected, nor one in `also_exclude`. Changes nothing.
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
            count: None,
            // A conversation asks for games (where the catalog has any) unless it asked for
            // software: "games like skyrim" keeps only its anchor, not the word "games".
            wants_games: true,
            wants_software: c.software,
        };
        let content = self.collab.as_ref().map_or(1.0, |m| m.weights.content);
        let query = if text.trim().is_empty() || content <= 0.0 {
            let dim = self.searcher.embedder.dim();
            vec![0.0; dim]
        } else {
            self.searcher.query_vector(&text)?
        };
        let mut exclude = conv.excluded();
        // Entries titled as an item already named, seen or refused ("The Godfather" and the
        // catalog's stray *Godfather* (1991), "The Hangover" and *Hangover*): the same film
        // to the person. Remakes (*It*, 1990 and 2017) and other films of the name stay
        // (`same_titled`).
        let same: Vec<String> = exclude
            .iter()
            .chain(&c.anchors)
            .filter_map(|id| r.by_id(id))
            .flat_map(|it| same_titled(r, it))
            .collect();
        exclude.extend(same);
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

/// How much an item mentioned or liked before the current request weighs as its seed.
const EARLIER: f32 = 0.25;

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
    // Items mentioned or liked before a new request ("something for Halloween", then "I
    // loved The Notebook, anything similar?"; "not a romance this time" after liking it)
    // count a quarter as seeds of it, and nothing when it has no seed of its own.
    let (from, liked_from) = conv
        .state
        .request_at
        .map_or((0, 0), |at| (at.mentioned, at.liked));
    let weighted = |v: &'_ [String], from: usize| {
        v.iter()
            .enumerate()
            .map(move |(n, id)| (id.clone(), if n < from { EARLIER } else { 1.0 }))
            .collect::<Vec<_>>()
    };
    let ids = weighted(&conv.state.mentioned, from)
        .into_iter()
        .chain(weighted(&conv.session.liked, liked_from))
        .chain(
            conv.state
                .constraints
                .anchors
                .iter()
                .map(|a| (a.clone(), 1.0)),
        );
    for (id, w) in ids.filter(|(id, _)| !rejected.contains(id)) {
        if let Some(i) = r.index_of(&id) {
            match seeds.iter_mut().find(|s| s.0 == i) {
                Some(s) => s.1 = s.1.max(w),
                None => seeds.push((i, w)),
            }
        }
    }
    if !seeds.iter().any(|s| s.1 >= 1.0) {
        seeds.clear();
    }
    let mut texts: Vec<(&str, f32)> = vec![(request, 1.0)];
    let mut w = 1.0;
    // Turns from before a new request ("I loved The Notebook, anything similar?" after
    // horror films) are left out: the words list is normalised, so any weight they kept
    // would fill it when the new request's own words are few.
    let current = conv
        .state
        .request_at
        .map_or(usize::MAX, |at| conv.user_turns().saturating_sub(at.turn));
    for t in conv.recent_user_texts(3).take(current) {
        texts.push((t, w));
        w *= 0.7;
    }
    let keep = |i: usize| !exclude.contains(&r.items()[i].id);
    model.extra(&seeds, &texts, crate::retrieve::fusion::DEPTH, &keep)
}

/// Ids of the other items titled as `item` to the letter or but for a leading "the", with the
/// same year (±1) or none, or, across the "the", far less known (a tenth of the mentions or
/// reviews):
/// the catalog's stray *Godfather* (1991) beside *The Godfather*, not *The Ring* (2002)
/// beside *Ring* (1998) nor *The Room* beside *Room*.
fn same_titled(r: &crate::retrieve::Retriever, item: &crate::catalog::Item) -> Vec<String> {
    let f = crate::text::fold(&item.title);
    let bare = f.strip_prefix("the ").unwrap_or(&f).to_string();
    let popularity = r.index_of(&item.id).map_or(0.0, |i| r.popularity(i));
    [bare.clone(), format!("the {bare}")]
        .iter()
        .filter_map(|k| r.titles().exact(k).map(|v| (*k == f, v)))
        .flat_map(|(exact, v)| v.iter().map(move |&i| (exact, i)))
        .filter(|&(exact, i)| {
            let it = &r.items()[i];
            let same_year = match (it.year, item.year) {
                (Some(a), Some(b)) => (a - b).abs() <= 1,
                _ => true,
            };
            // (Popularity priors are logarithms of counts: ln 10 apart is a tenth.)
            let far_less_known = r.popularity(i) + std::f32::consts::LN_10 < popularity;
            it.id != item.id && (same_year || (!exact && far_less_known))
        })
        .map(|(_, i)| r.items()[i].id.clone())
        .collect()
}
