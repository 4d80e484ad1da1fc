//! The answer of a turn: a template where reco needs no model (feedback acknowledged, start
//! over, nothing matched), else the route's prompt streamed from the model and checked on
//! the way ([`crate::ground`]): recommendations constrained to the cards' numbers, every
//! reason and sentence shown only once backed by the items' facts and the user's words. The
//! prompt continues the conversation's [`crate::generate::Transcript`], so the engine's
//! prefix cache serves the earlier turns. Without a model (`--no-generate`), answers are
//! built from the catalog's facts alone.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::Instant,
};

use super::{Agent, Conversation, Sink};
use crate::{
    catalog::Item,
    generate::{prompt, prompt::PromptKind, GenEvent, GenRequest, GenStats, Generator},
    ground::{self, Composer, Context, Grounding, Lexicon, Mention, Mode, Pick},
    retrieve::Retriever,
    Error, Result,
};

/// What a turn will show and say.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// New cards on screen (catalog indices), if the cards change.
    pub cards: Option<Vec<usize>>,
    /// The prompt to answer with (None: the template).
    pub prompt: Option<PromptKind>,
    /// Items the prompt is about.
    pub items: Vec<usize>,
    /// Items the turn is about (reported in the answer).
    pub about: Vec<usize>,
    /// A fixed answer.
    pub template: Option<String>,
    /// A line from the catalog said before the answer ("Yes: Portal 2 is tagged Co-op.").
    pub preface: Option<String>,
}

impl Plan {
    /// Show these cards and recommend among them.
    #[must_use]
    pub fn cards(cards: Vec<usize>) -> Self {
        Self {
            cards: Some(cards.clone()),
            prompt: Some(PromptKind::Recommend),
            items: cards,
            ..Self::default()
        }
    }

    /// Answer with `kind` about `items` (the cards stay as they are).
    #[must_use]
    pub fn prompt(kind: PromptKind, items: Vec<usize>) -> Self {
        Self {
            prompt: Some(kind),
            about: items.clone(),
            items,
            ..Self::default()
        }
    }

    /// The same plan, opening with `line`.
    #[must_use]
    pub fn with_preface(mut self, line: Option<String>) -> Self {
        self.preface = line;
        self
    }

    /// Answer with a fixed text.
    #[must_use]
    pub fn template(text: String, about: Vec<usize>) -> Self {
        Self {
            template: Some(text),
            about,
            ..Self::default()
        }
    }
}

/// The generated part of an answer.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// The answer as shown.
    pub text: String,
    /// The model's raw output.
    pub raw: String,
    /// Picks (recommendations only).
    pub picks: Vec<Pick>,
    /// Catalog titles in the shown answer.
    pub mentions: Vec<Mention>,
    /// What the support check kept, cut and replaced.
    pub grounding: Grounding,
    /// Speed.
    pub stats: GenStats,
    /// First token, ms from the turn's start.
    pub first_token: Option<f64>,
}

/// "Noted: you liked Portal 2." — an acknowledgement built from the catalog.
#[must_use]
pub fn acknowledge(r: &Retriever, targets: &[usize]) -> String {
    format!(
        "Noted: you liked {}. I'll keep that in mind. Ask for more like it, or for something else.\n",
        titles(r, targets)
    )
}

/// "Noted: you liked Portal 2." — the short form, before an answer about it.
#[must_use]
pub fn noted_liked(r: &Retriever, targets: &[usize]) -> String {
    format!("Noted: you liked {}.\n", titles(r, targets))
}

/// "Portal and Portal 2", safe for the terminal.
fn titles(r: &Retriever, targets: &[usize]) -> String {
    targets
        .iter()
        .map(|&i| crate::text::terminal_line(&r.items()[i].title))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What reco can do, for "what can you do?": the catalog it recommends from and the things
/// a person can say.
#[must_use]
pub fn capabilities(r: &Retriever) -> String {
    format!(
        "I recommend from the catalog `{}` ({} items), and only from it. Tell me what you like \
         (\"something like a title you enjoyed, but co-op, under $20\"); then say \"cheaper\", \
         \"newer\" or \"not horror\" to refine, \"not that one\" or \"I've played the first \
         one\" and it won't come back, \"tell me about the second one\", \"compare the first and second\", \
         or \"start over\". I remember what you liked and rejected in this session.\n",
        crate::text::terminal_line(r.catalog()),
        r.items().len()
    )
}

const NOTHING: &str = "Nothing in this catalog matches all of that. Try loosening a condition (price, year, or a \"not ...\").\n";
const GREETING: &str =
    "Hello! Tell me what you're in the mood for, and I'll find it in the catalog.\n";

/// The model-free reply to small talk: thanks and goodbyes get their own.
fn small_talk(question: &str) -> &'static str {
    // `lexical::words` lowercases.
    let has =
        |ws: &[&str]| crate::retrieve::lexical::words(question).any(|w| ws.contains(&w.as_str()));
    if has(&["thanks", "thank", "thx", "ty", "cheers"]) {
        "You're welcome! Ask for more whenever you like.\n"
    } else if has(&["bye", "goodbye", "later", "cya"]) {
        "Bye! This conversation is saved, so you can pick it up again later.\n"
    } else {
        GREETING
    }
}

/// The word lists of a catalog (its one-word labels are claims, not generic words), built
/// once per catalog and process: gathering the labels of 32k items takes tens of ms.
fn lexicon(r: &Retriever) -> Arc<Lexicon> {
    /// Lexicons by (catalog, item count).
    type Lexicons = Mutex<HashMap<(String, usize), Arc<Lexicon>>>;
    static CACHE: OnceLock<Lexicons> = OnceLock::new();
    let key = (r.catalog().to_string(), r.items().len());
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(l) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return l;
    }
    let labels: std::collections::HashSet<&str> = r.items().iter().flat_map(Item::labels).collect();
    let l = Arc::new(Lexicon::new(labels));
    if let Ok(mut c) = cache.lock() {
        c.insert(key, Arc::clone(&l));
    }
    l
}

fn emit(sink: &mut dyn Sink, text: String) -> Generated {
    sink.token(&text);
    Generated {
        text,
        ..Generated::default()
    }
}

/// What the user has said lately (this turn first), for the support check.
fn user_words(conv: &Conversation, question: &str) -> String {
    let mut s = question.to_string();
    for t in conv.recent_user_texts(3) {
        s.push('\n');
        s.push_str(t);
    }
    s
}

/// Produce the answer of `plan` (its preface is the caller's, see [`Plan::preface`]); the
/// conversation's transcript grows by the turn.
pub async fn run(
    agent: &Agent,
    conv: &mut Conversation,
    question: &str,
    plan: &Plan,
    generator: Option<&dyn Generator>,
    sink: &mut dyn Sink,
    t0: Instant,
) -> Result<Generated> {
    let r = &agent.searcher.retriever;
    let items: Vec<&Item> = plan.items.iter().map(|&i| &r.items()[i]).collect();
    if let Some(t) = &plan.template {
        return Ok(emit(sink, t.clone()));
    }
    let Some(kind) = plan.prompt else {
        return Ok(Generated::default());
    };
    let recommend = kind == PromptKind::Recommend;
    if recommend && items.is_empty() {
        return Ok(emit(sink, NOTHING.to_string()));
    }
    let Some(generator) = generator else {
        let text = match kind {
            PromptKind::Recommend => {
                // After "not that one" / "I've played it": say what was taken out.
                let gone: Vec<String> = plan
                    .about
                    .iter()
                    .map(|&i| crate::text::terminal_line(&r.items()[i].title))
                    .collect();
                let noted = if gone.is_empty() {
                    String::new()
                } else {
                    format!("Noted: I won't suggest {} again. ", gone.join(" or "))
                };
                format!(
                    "{noted}{} match{} your request.\n",
                    items.len(),
                    if items.len() == 1 { "es" } else { "" }
                )
            }
            PromptKind::AnswerItem | PromptKind::Compare => {
                let mut s = items
                    .iter()
                    .map(|i| ground::summary(i))
                    .collect::<Vec<_>>()
                    .join("\n");
                s.push('\n');
                s
            }
            PromptKind::SmallTalk => small_talk(question).into(),
        };
        return Ok(emit(sink, text));
    };
    let memory = prompt::memory_line(Some(&conv.session), |id| {
        r.by_id(id)
            .map_or_else(|| id.to_string(), |i| i.title.clone())
    });
    let opts = &agent.options;
    let turn = conv.transcript.turn(
        kind,
        &items,
        &memory,
        question,
        opts.max_picks.min(items.len()),
    );
    let max_tokens = if recommend {
        opts.max_tokens
    } else {
        opts.max_tokens.min(96)
    };
    let req = GenRequest {
        system: prompt::system().to_string(),
        history: turn.history.clone(),
        user: turn.user.clone(),
        constraint: recommend.then(|| ground::pick_constraint(&turn.numbers, opts.max_picks)),
        max_tokens,
    };
    let lexicon = lexicon(r);
    let mode = match kind {
        PromptKind::Recommend => Mode::Picks,
        PromptKind::AnswerItem | PromptKind::Compare => Mode::Prose,
        PromptKind::SmallTalk => Mode::SmallTalk,
    };
    // Reasons for picks may echo the request they refine; what is said about an item or a
    // comparison is backed by this turn's words only (an earlier "to build with" does not
    // make the item a building game).
    let said = if mode == Mode::Picks {
        user_words(conv, question)
    } else {
        question.to_string()
    };
    let ctx = Context::new(&lexicon, r.titles(), r.items(), &said);
    let numbered: Vec<(usize, &Item)> = turn.numbers.iter().copied().zip(items.clone()).collect();
    let mut composer = Composer::new(&ctx, mode, numbered, GREETING);
    let mut handle = generator.start(req);
    let mut first_token = None;
    let mut stats = GenStats::default();
    while let Some(ev) = handle.events.recv().await {
        match ev {
            GenEvent::Token(t) => {
                if first_token.is_none() {
                    first_token = Some(t0.elapsed().as_secs_f64() * 1e3);
                }
                let shown = composer.push(&t);
                if !shown.is_empty() {
                    sink.token(&shown);
                }
            }
            GenEvent::Done(s) => {
                stats = s;
                break;
            }
            GenEvent::Failed(m) => return Err(Error::generate(m)),
        }
    }
    let rest = composer.finish(stats.completion_tokens >= max_tokens);
    if !rest.is_empty() {
        sink.token(&rest);
    }
    let done = composer.into_composed();
    conv.transcript.record(turn, &done.echo);
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    Ok(Generated {
        mentions: ground::mentions(&done.text, &ids, r),
        text: done.text,
        raw: done.raw,
        picks: done.picks,
        grounding: done.grounding,
        stats,
        first_token,
    })
}
