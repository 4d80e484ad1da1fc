//! The answer of a turn: a template where reco needs no model (feedback acknowledged, start
//! over, nothing matched), else the route's prompt rendered with the items and streamed from
//! the model, recommendations constrained to the cards' numbers. Without a model
//! (`--no-generate`), answers are built from the catalog's facts alone.

use std::time::Instant;

use super::{Agent, Conversation, LineMapper, Sink};
use crate::{
    catalog::Item,
    generate::{prompt, prompt::PromptKind, GenEvent, GenRequest, GenStats, Generator},
    ground::{self, Mention, Pick},
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
    /// Checked mentions.
    pub mentions: Vec<Mention>,
    /// Speed.
    pub stats: GenStats,
    /// First token, ms from the turn's start.
    pub first_token: Option<f64>,
}

/// "Noted: you liked Portal 2." — an acknowledgement built from the catalog.
#[must_use]
pub fn acknowledge(r: &Retriever, targets: &[usize]) -> String {
    let titles: Vec<&str> = targets
        .iter()
        .map(|&i| r.items()[i].title.as_str())
        .collect();
    format!(
        "Noted: you liked {}. I'll keep that in mind. Ask for more like it, or for something else.\n",
        titles.join(" and ")
    )
}

const NOTHING: &str = "Nothing in this catalog matches all of that. Try loosening a condition (price, year, or a \"not ...\").\n";

/// One line of facts about an item, for answers without a model.
fn facts(it: &Item) -> String {
    let mut s = it.title.clone();
    if let Some(y) = it.year {
        s.push_str(&format!(" ({y})"));
    }
    if let Some(p) = it.price {
        s.push_str(&format!(", {p}"));
    }
    let labels: Vec<&str> = it.labels().take(6).collect();
    if !labels.is_empty() {
        s.push_str(&format!(", {}", labels.join(", ")));
    }
    if let Some(d) = &it.developer {
        s.push_str(&format!(", by {d}"));
    }
    s.push('.');
    s
}

fn emit(sink: &mut dyn Sink, text: String) -> Generated {
    sink.token(&text);
    Generated {
        text,
        ..Generated::default()
    }
}

/// Produce the answer of `plan`.
pub async fn run(
    agent: &Agent,
    conv: &Conversation,
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
            PromptKind::Recommend => format!(
                "{} match{} your request.\n",
                items.len(),
                if items.len() == 1 { "es" } else { "" }
            ),
            PromptKind::AnswerItem | PromptKind::Compare => {
                let mut s = items
                    .iter()
                    .map(|i| facts(i))
                    .collect::<Vec<_>>()
                    .join("\n");
                s.push('\n');
                s
            }
            PromptKind::SmallTalk => {
                "Hello! Tell me what you're in the mood for, and I'll find it in the catalog.\n"
                    .into()
            }
        };
        return Ok(emit(sink, text));
    };
    let memory = prompt::memory_line(Some(&conv.session), |id| {
        r.by_id(id)
            .map_or_else(|| id.to_string(), |i| i.title.clone())
    });
    let opts = &agent.options;
    let req = GenRequest {
        system: prompt::system().to_string(),
        user: prompt::render(
            kind,
            &items,
            &memory,
            question,
            opts.max_picks.min(items.len()),
        ),
        constraint: recommend.then(|| ground::pick_constraint(items.len(), opts.max_picks)),
        max_tokens: if recommend {
            opts.max_tokens
        } else {
            opts.max_tokens.min(96)
        },
    };
    let mut handle = generator.start(req);
    let mut out = Generated::default();
    let mut mapper = LineMapper::new(&items);
    while let Some(ev) = handle.events.recv().await {
        match ev {
            GenEvent::Token(t) => {
                if out.first_token.is_none() {
                    out.first_token = Some(t0.elapsed().as_secs_f64() * 1e3);
                }
                out.raw.push_str(&t);
                let shown = mapper.push(&t);
                if !shown.is_empty() {
                    sink.token(&shown);
                }
            }
            GenEvent::Done(s) => {
                out.stats = s;
                break;
            }
            GenEvent::Failed(m) => return Err(Error::generate(m)),
        }
    }
    let rest = mapper.finish();
    if !rest.is_empty() {
        sink.token(&rest);
    }
    if recommend {
        out.picks = ground::parse_picks(&out.raw, &items);
    }
    out.mentions = ground::mentions(&out.raw, &items, r);
    out.text = ground::display(&out.raw, &items, &out.mentions);
    Ok(out)
}
