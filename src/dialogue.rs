//! The turn pipeline: question → retrieve candidates → (cards to the sink) → grounded
//! generation streamed to the sink → checked answer. One output path: a [`Sink`] receives cards,
//! tokens and the final answer, so the CLI, the TUI and the evaluation runner share this code.

mod route;
mod sink;

use std::{collections::HashSet, time::Instant};

use serde::Serialize;

pub use route::{route, Route};
pub use sink::{JsonSink, LineMapper, Sink, StdoutSink};

use crate::{
    catalog::Item,
    generate::{prompt, GenEvent, GenRequest, GenStats, Generator},
    ground::{self, Mention, Pick},
    retrieve::{Filters, SearchOptions, Searcher},
    Error, Result,
};

/// Knobs of one turn.
#[derive(Debug, Clone)]
pub struct TurnOptions {
    /// Candidates retrieved and shown to the model.
    pub candidates: usize,
    /// Most picks the model may make.
    pub max_picks: usize,
    /// Token limit of the answer.
    pub max_tokens: usize,
    /// Items never to offer (rejected, seen).
    pub exclude: HashSet<String>,
    /// Session memory line for the prompt.
    pub memory: String,
}

impl Default for TurnOptions {
    fn default() -> Self {
        Self {
            candidates: 6,
            max_picks: 3,
            max_tokens: 160,
            exclude: HashSet::new(),
            memory: String::new(),
        }
    }
}

/// An item reference in an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRef {
    /// Catalog id.
    pub id: String,
    /// Catalog title.
    pub title: String,
}

/// Milliseconds from the question to each stage.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Retrieval (parse, embed, search).
    pub retrieve: f64,
    /// Candidate cards handed to the sink.
    pub first_card: f64,
    /// First generated token (None if nothing was generated).
    pub first_token: Option<f64>,
    /// Whole turn.
    pub total: f64,
}

/// The result of a turn.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Retrieved candidates, best first.
    pub candidates: Vec<ItemRef>,
    /// What the model recommended (always candidates).
    pub picks: Vec<Pick>,
    /// The answer as shown.
    pub text: String,
    /// The model's raw output.
    pub raw: String,
    /// Title-like phrases found in the answer, checked against the catalog.
    pub mentions: Vec<Mention>,
    /// Timings in ms.
    pub timings_ms: Timings,
    /// Generation speed.
    pub generation: GenStats,
}

/// Candidates of a turn, retrieved before generation starts.
#[derive(Debug, Clone)]
pub struct Retrieved {
    /// How the turn is answered.
    pub route: Route,
    /// Item indices in the searcher's catalog, best first.
    pub indices: Vec<usize>,
    /// Filters understood from the question.
    pub filters: Filters,
    /// Retrieval time, ms.
    pub ms: f64,
}

/// Retrieve the candidates of a question and hand them to the sink as cards.
pub fn retrieve(
    searcher: &mut Searcher,
    question: &str,
    opts: &TurnOptions,
    sink: &mut dyn Sink,
    t0: Instant,
) -> Result<Retrieved> {
    let route = route::route(&searcher.retriever, question);
    let (indices, filters) = match &route {
        Route::Recommend => {
            let search = SearchOptions {
                k: opts.candidates,
                exclude: opts.exclude.clone(),
                ..SearchOptions::default()
            };
            let r = searcher.search(question, &search)?;
            (r.hits.iter().map(|h| h.index).collect(), r.parsed.filters)
        }
        Route::AboutItem(i) => (vec![*i], Filters::default()),
        Route::Compare(v) => (v.clone(), Filters::default()),
        Route::SmallTalk => (Vec::new(), Filters::default()),
    };
    let items: Vec<&Item> = indices
        .iter()
        .map(|i| &searcher.retriever.items()[*i])
        .collect();
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    if !items.is_empty() {
        sink.cards(&items);
    }
    Ok(Retrieved {
        route,
        indices,
        filters,
        ms,
    })
}

/// Generate the grounded answer for retrieved candidates, streaming to the sink.
pub async fn generate(
    searcher: &Searcher,
    generator: &dyn Generator,
    question: &str,
    retrieved: &Retrieved,
    opts: &TurnOptions,
    sink: &mut dyn Sink,
    t0: Instant,
) -> Result<Answer> {
    let catalog = &searcher.retriever;
    let items: Vec<&Item> = retrieved
        .indices
        .iter()
        .map(|i| &catalog.items()[*i])
        .collect();
    let first_card = retrieved.ms;
    let mut timings = Timings {
        retrieve: retrieved.ms,
        first_card,
        ..Timings::default()
    };
    let candidates: Vec<ItemRef> = items
        .iter()
        .map(|i| ItemRef {
            id: i.id.clone(),
            title: i.title.clone(),
        })
        .collect();
    let recommend = retrieved.route == Route::Recommend;
    if items.is_empty() && recommend {
        let text = "Nothing in this catalog matches all of that. Try loosening a condition (price, year, or a \"not ...\").\n".to_string();
        sink.token(&text);
        timings.total = t0.elapsed().as_secs_f64() * 1e3;
        let a = Answer {
            candidates,
            picks: vec![],
            text: text.clone(),
            raw: text,
            mentions: vec![],
            timings_ms: timings,
            generation: GenStats::default(),
        };
        sink.done(&a);
        return Ok(a);
    }
    let req = GenRequest {
        system: prompt::system().to_string(),
        user: prompt::render(
            retrieved.route.prompt(),
            &items,
            &opts.memory,
            question,
            opts.max_picks.min(items.len()),
        ),
        constraint: recommend.then(|| ground::pick_constraint(items.len(), opts.max_picks)),
        // Answers about items and small talk are a few sentences; picks need more room.
        max_tokens: if recommend {
            opts.max_tokens
        } else {
            opts.max_tokens.min(96)
        },
    };
    let mut handle = generator.start(req);
    let mut raw = String::new();
    let mut stats = GenStats::default();
    let mut mapper = LineMapper::new(&items);
    while let Some(ev) = handle.events.recv().await {
        match ev {
            GenEvent::Token(t) => {
                if timings.first_token.is_none() {
                    timings.first_token = Some(t0.elapsed().as_secs_f64() * 1e3);
                }
                raw.push_str(&t);
                let shown = mapper.push(&t);
                if !shown.is_empty() {
                    sink.token(&shown);
                }
            }
            GenEvent::Done(s) => {
                stats = s;
                break;
            }
            GenEvent::Failed(m) => return Err(Error::Generate(m)),
        }
    }
    let rest = mapper.finish();
    if !rest.is_empty() {
        sink.token(&rest);
    }
    let picks = if recommend {
        ground::parse_picks(&raw, &items)
    } else {
        Vec::new()
    };
    let mentions = ground::mentions(&raw, &items, catalog);
    let text = ground::display(&raw, &items, &mentions);
    timings.total = t0.elapsed().as_secs_f64() * 1e3;
    let a = Answer {
        candidates,
        picks,
        text,
        raw,
        mentions,
        timings_ms: timings,
        generation: stats,
    };
    sink.done(&a);
    Ok(a)
}
