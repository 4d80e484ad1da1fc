//! Replaying one ReDial dialogue through the conversation pipeline.
//!
//! In: a dialogue (utterances with `@id` mentions) and the systems to score. Each seeker
//! utterance, with its mentions turned into titles, is a turn of [`Agent::turn`] (the chat's
//! own pipeline: intent, named items, constraints, feedback; generation only where asked).
//! Each recommender utterance is first a scoring point — when it suggests a movie not
//! mentioned before, every system ranks [`DEPTH`] movies for the dialogue so far, excluding
//! the movies already mentioned — and is then recorded into the conversation with
//! [`Conversation::observe`], as the turn the person just read. Out: a [`DialogueResult`].

use std::collections::{BTreeMap, HashSet};

use super::{
    checkpoint::DialogueResult,
    score::{ranks, ScoredTurn, DEPTH},
};
use crate::{
    catalog::interactions::Interaction,
    dialogue::{Agent, Conversation, NullSink},
    generate::Generator,
    intent::data::mentions_to_titles,
    retrieve::{
        collab::Collab,
        fusion::{self, Mode, Signal, Source},
    },
    store::Role,
    Error, Result,
};

/// Everything a dialogue is scored with.
pub struct Systems<'a> {
    /// reco as the chat runs it (with the fold's collaborative model).
    pub agent: &'a Agent,
    /// Ablations: the same pipeline with one signal removed, by name.
    pub variants: &'a [(String, Agent)],
    /// The fold's collaborative model (for the baselines and the collab-only list).
    pub model: &'a Collab,
    /// Whether to score the collaborative lists fused on their own.
    pub collab_only: bool,
    /// When given, the seeker turn before each scoring point is answered by the model, and
    /// its picks are scored as `reco+generate`.
    pub generator: Option<&'a dyn Generator>,
    /// Runs the agent's turns.
    pub runtime: &'a tokio::runtime::Runtime,
}

/// Replay `d` (scored in `fold`); its session is removed afterwards.
pub fn replay(sys: &Systems<'_>, d: &Interaction, fold: usize) -> Result<DialogueResult> {
    let agent = sys.agent;
    let r = &agent.searcher.retriever;
    let items = r.items();
    let title = |id: &str| r.by_id(id).map(|it| it.title.clone());
    let mut conv = Conversation::create(&agent.store, r.catalog())?;
    let mut mentioned: Vec<String> = Vec::new();
    let mut out = DialogueResult {
        key: d.key.clone(),
        fold,
        replayed: 0,
        mentions: 0,
        recognised: 0,
        turns: Vec::new(),
    };
    let new_items = |u: &[String], seen: &[String]| -> Vec<String> {
        u.iter().filter(|i| !seen.contains(i)).cloned().collect()
    };
    let mut picks: Option<Vec<String>> = None;
    for (j, u) in d.turns.iter().enumerate() {
        let text = mentions_to_titles(&u.text, &title);
        let fresh = new_items(&u.items, &mentioned);
        out.replayed += 1;
        if u.seeker {
            let scored_next = d
                .turns
                .get(j + 1)
                .is_some_and(|n| !n.seeker && !new_items(&n.items, &mentioned).is_empty());
            let generator = sys.generator.filter(|_| scored_next);
            match sys
                .runtime
                .block_on(agent.turn(&mut conv, &text, generator, &mut NullSink))
            {
                Ok(a) => {
                    if generator.is_some() {
                        picks = Some(a.picks.iter().map(|p| p.id.clone()).collect());
                    }
                }
                // A turn with nothing left after cleaning ("@@@"): keep it as context only.
                Err(Error::Invalid(_)) => conv.observe(&agent.store, Role::User, &text, &[])?,
                Err(e) => return Err(e),
            }
            out.mentions += fresh.len();
            out.recognised += fresh
                .iter()
                .filter(|i| conv.state.mentioned.contains(i))
                .count();
        } else if !fresh.is_empty() {
            let exclude: HashSet<String> = mentioned.iter().cloned().collect();
            let ids =
                |v: &[usize]| -> Vec<String> { v.iter().map(|&i| items[i].id.clone()).collect() };
            let mut turn = ScoredTurn {
                targets: fresh.len(),
                ranks: BTreeMap::new(),
            };
            let reco = agent.rank(&conv, DEPTH, &exclude)?;
            turn.ranks.insert("reco".into(), ranks(&ids(&reco), &fresh));
            for (name, a) in sys.variants {
                let l = a.rank(&conv, DEPTH, &exclude)?;
                turn.ranks.insert(name.clone(), ranks(&ids(&l), &fresh));
            }
            let keep = |i: usize| !exclude.contains(&items[i].id);
            let seeds: Vec<(usize, f32)> = mentioned
                .iter()
                .filter_map(|id| r.index_of(id).map(|i| (i, 1.0)))
                .collect();
            let popular = sys.model.popular(DEPTH, &keep);
            let pop_ids: Vec<usize> = popular.iter().map(|x| x.0).collect();
            turn.ranks
                .insert("popularity".into(), ranks(&ids(&pop_ids), &fresh));
            let mut cooc: Vec<usize> = sys
                .model
                .cooccurrence(&seeds, DEPTH, &keep)
                .iter()
                .map(|x| x.0)
                .collect();
            for i in pop_ids {
                if cooc.len() >= DEPTH {
                    break;
                }
                if !cooc.contains(&i) {
                    cooc.push(i);
                }
            }
            turn.ranks
                .insert("cooccurrence".into(), ranks(&ids(&cooc), &fresh));
            if sys.collab_only {
                let l = collab_only(sys.model, r, &conv, &keep);
                turn.ranks
                    .insert("collab-only".into(), ranks(&ids(&l), &fresh));
            }
            if let Some(p) = picks.take() {
                turn.ranks.insert("reco+generate".into(), ranks(&p, &fresh));
            }
            out.turns.push(turn);
        }
        if !u.seeker {
            conv.observe(&agent.store, Role::Assistant, &text, &u.items)?;
        }
        for i in fresh {
            mentioned.push(i);
        }
    }
    agent.store.remove_session(conv.id())?;
    Ok(out)
}

/// The collaborative lists fused on their own (no dense, lexical or anchors), from what the
/// pipeline knows: the items the conversation mentioned or liked, the seeker's recent turns.
fn collab_only(
    model: &Collab,
    r: &crate::retrieve::Retriever,
    conv: &Conversation,
    keep: &dyn Fn(usize) -> bool,
) -> Vec<usize> {
    let seeds: Vec<(usize, f32)> = conv
        .state
        .mentioned
        .iter()
        .chain(&conv.session.liked)
        .filter_map(|id| r.index_of(id).map(|i| (i, 1.0)))
        .collect();
    let texts: Vec<(&str, f32)> = conv
        .recent
        .iter()
        .rev()
        .filter(|t| t.role == Role::User)
        .take(3)
        .zip([1.0, 0.7, 0.49])
        .map(|(t, w)| (t.text.as_str(), w))
        .collect();
    let lists = model.extra(&seeds, &texts, fusion::DEPTH, keep);
    let signals: Vec<Signal<'_>> = lists
        .iter()
        .map(|(w, l)| Signal {
            weight: *w,
            list: l,
            source: Source::Other,
        })
        .collect();
    fusion::fuse(Mode::Fused, &signals, DEPTH, |_| 0)
        .into_iter()
        .map(|h| h.index)
        .collect()
}
