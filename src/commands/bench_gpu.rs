//! `reco bench gpu`: the GPU check and benchmark. In: a device (`cuda`, or `cpu` for a dry run),
//! a GGUF model of the default architecture, a catalog. Out: a table and a JSON report with
//! model load time, time to first token and decode tokens/s at batch 1 for a short prompt and
//! for a full recommendation prompt (each run starts with a new system-prompt prefix, so
//! mistral.rs's prefix cache cannot shorten it), and one full grounded `ask` turn whose picks
//! are checked against the catalog. With `--anchor PYTHON` the same architecture runs under
//! PyTorch / transformers in the same run (`benches/transformers_bench.py`), with the same
//! prompt lengths and token counts. Fails when the grounded turn picks nothing or picks an item
//! that is not one of its catalog cards.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use clap::Args;
use serde::Serialize;

use crate::{
    catalog::Item,
    dialogue::{Answer, Conversation, NullSink, TurnOptions},
    engine::Engine,
    generate::{prompt, Device, GenEvent, GenRequest, Generator, MistralGenerator},
    retrieve::SearchOptions,
    Error, Result,
};

/// `reco bench gpu` arguments.
#[derive(Debug, Args)]
pub struct GpuArgs {
    /// Where the model runs: cuda (fails unless built with the cuda feature and a GPU is
    /// there), cpu (a dry run of the same steps) or auto.
    #[arg(long, default_value = "cuda")]
    pub device: String,
    /// Catalog for the candidate cards (default: the default catalog).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// GGUF model (default: the default model). Random weights of the same shape time the same.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Tokens generated per timed run.
    #[arg(long, default_value_t = 128)]
    pub max_tokens: usize,
    /// Timed runs per prompt (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub repeats: usize,
    /// The question of the grounded `ask` turn (and of the recommendation prompt).
    #[arg(long, default_value = "something like Portal but co-op, under $20")]
    pub question: String,
    /// Write the full report here as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Python with torch + transformers: run the anchor on the same device after reco.
    #[arg(long, value_name = "PYTHON")]
    pub anchor: Option<String>,
    /// Seconds the anchor may spend on its torch.compile variant (0: eager only).
    #[arg(long, default_value_t = 0)]
    pub anchor_compile_s: u64,
}

/// Timings of one prompt (medians over the repeats).
#[derive(Debug, Clone, Serialize)]
pub struct PromptTiming {
    /// "short" or "rag".
    pub name: &'static str,
    /// Prompt tokens (chat template included).
    pub prompt_tokens: usize,
    /// Request sent to first token, ms.
    pub ttft_ms: f64,
    /// Tokens generated after the first, per second of wall time.
    pub decode_tok_per_s: f64,
    /// Tokens generated (the last run).
    pub completion_tokens: usize,
    /// Each run's (ttft ms, decode tok/s).
    pub runs: Vec<(f64, f64)>,
}

/// The grounded turn, checked.
#[derive(Debug, Clone, Serialize)]
pub struct TurnCheck {
    /// Picks made.
    pub picks: usize,
    /// Every pick is one of the turn's cards and an item of the catalog.
    pub grounded: bool,
    /// What is wrong, if anything.
    pub problem: Option<String>,
    /// The answer (text, picks, cards, timings).
    pub answer: Answer,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct GpuReport {
    /// `cuda` or `cpu`.
    pub device: &'static str,
    /// Model file name.
    pub model: String,
    /// Catalog and its size.
    pub catalog: String,
    /// Items in it.
    pub items: usize,
    /// Model load, s.
    pub load_s: f64,
    /// Tokens per timed run.
    pub max_tokens: usize,
    /// Short and recommendation prompts.
    pub prompts: Vec<PromptTiming>,
    /// The grounded ask turn.
    pub turn: TurnCheck,
    /// The anchor's JSON output, or why it is missing.
    pub anchor: Option<serde_json::Value>,
}

const SHORT: &str = "Say hello and name one game genre you like, in one sentence.";

/// Run the GPU benchmark.
pub fn run(engine: &Engine, a: &GpuArgs) -> Result<()> {
    let device = Device::parse(&a.device)?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let catalog = engine.catalog_name(a.catalog.as_deref());
    let path = super::ask::model_path(engine, a.model.as_ref(), false)?;
    let opts = TurnOptions {
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent(&catalog, opts.clone())?;
    eprintln!("loading {} on {}", path.display(), device.resolved());
    let t = Instant::now();
    let generator = rt.block_on(MistralGenerator::load_on(&path, device))?;
    let load_s = t.elapsed().as_secs_f64();
    // Warm-up: kernels, handles and allocations are made by the first request.
    rt.block_on(timed(&generator, "warm-up", SHORT, 8))?;
    let searcher = &agent.searcher;
    let hits = searcher.search(
        &a.question,
        &SearchOptions {
            k: opts.candidates,
            ..SearchOptions::default()
        },
    )?;
    let items: Vec<&Item> = hits
        .hits
        .iter()
        .map(|h| &searcher.retriever.items()[h.index])
        .collect();
    let rag = prompt::render(
        prompt::PromptKind::Recommend,
        &items,
        "",
        &a.question,
        opts.max_picks,
    );
    let repeats = a.repeats.max(1);
    let mut prompts = Vec::new();
    for (name, user) in [("short", SHORT.to_string()), ("rag", rag)] {
        let mut runs = Vec::new();
        let mut last = (0, 0);
        for i in 0..repeats {
            let prefix = format!("Request {name}-{i}.");
            let r = rt.block_on(timed(&generator, &prefix, &user, a.max_tokens))?;
            last = (r.prompt_tokens, r.completion_tokens);
            runs.push((r.ttft_ms, r.decode_tok_per_s));
        }
        prompts.push(PromptTiming {
            name,
            prompt_tokens: last.0,
            ttft_ms: median(runs.iter().map(|r| r.0).collect()),
            decode_tok_per_s: median(runs.iter().map(|r| r.1).collect()),
            completion_tokens: last.1,
            runs,
        });
    }
    let turn = rt.block_on(grounded_turn(
        engine,
        &agent,
        &catalog,
        &a.question,
        &generator,
    ))?;
    drop(generator);
    let anchor = a.anchor.as_deref().map(|py| {
        anchor_run(
            py,
            &path,
            &prompts,
            a.max_tokens,
            device,
            repeats,
            a.anchor_compile_s,
        )
        .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
    });
    let report = GpuReport {
        device: device.resolved(),
        model: path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
        catalog: catalog.clone(),
        items: searcher.retriever.items().len(),
        load_s,
        max_tokens: a.max_tokens,
        prompts,
        turn,
        anchor,
    };
    super::bench_gpu_report::print(&report);
    if let Some(file) = &a.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::Invalid(format!("report: {e}")))?;
        std::fs::write(file, text).map_err(|e| Error::io(file, e))?;
    }
    match &report.turn.problem {
        Some(p) => Err(Error::generate(format!("grounded turn check failed: {p}"))),
        None => Ok(()),
    }
}

/// One timed run's figures.
struct Timed {
    prompt_tokens: usize,
    completion_tokens: usize,
    ttft_ms: f64,
    decode_tok_per_s: f64,
}

/// One generation without constraint; the system prompt starts with `prefix`.
async fn timed(g: &MistralGenerator, prefix: &str, user: &str, max_tokens: usize) -> Result<Timed> {
    let t = Instant::now();
    let mut h = g.start(GenRequest {
        system: format!("{prefix} {}", prompt::system()),
        user: user.to_string(),
        constraint: None,
        max_tokens,
    });
    let mut first: Option<Instant> = None;
    while let Some(ev) = h.events.recv().await {
        match ev {
            GenEvent::Token(_) => {
                first.get_or_insert_with(Instant::now);
            }
            GenEvent::Done(s) => {
                let end = Instant::now();
                let first = first.unwrap_or(end);
                let decode_s = (end - first).as_secs_f64();
                return Ok(Timed {
                    prompt_tokens: s.prompt_tokens,
                    completion_tokens: s.completion_tokens,
                    ttft_ms: (first - t).as_secs_f64() * 1e3,
                    decode_tok_per_s: if decode_s > 0.0 {
                        s.completion_tokens.saturating_sub(1) as f64 / decode_s
                    } else {
                        0.0
                    },
                });
            }
            GenEvent::Failed(m) => return Err(Error::generate(m)),
        }
    }
    Err(Error::generate("generation ended without a result"))
}

/// One full `ask` turn in a new session (removed afterwards), its picks checked.
async fn grounded_turn(
    engine: &Engine,
    agent: &crate::dialogue::Agent,
    catalog: &str,
    question: &str,
    g: &MistralGenerator,
) -> Result<TurnCheck> {
    let mut conv = Conversation::create(&engine.store, catalog)?;
    let answer = agent
        .turn(&mut conv, question, Some(g), &mut NullSink)
        .await;
    engine.store.remove_session(conv.id())?;
    let answer = answer?;
    let r = &agent.searcher.retriever;
    let problem = pick_problem(&answer, |id| r.by_id(id).map(|it| it.title.clone()));
    Ok(TurnCheck {
        picks: answer.picks.len(),
        grounded: problem.is_none(),
        problem,
        answer,
    })
}

/// What is wrong with a turn's picks: none, or one that is not a card of the turn, or whose
/// id is unknown to the catalog (`title_of`) or carries another title.
fn pick_problem(answer: &Answer, title_of: impl Fn(&str) -> Option<String>) -> Option<String> {
    if answer.picks.is_empty() {
        return Some(format!("no picks in {:?}", answer.raw));
    }
    answer.picks.iter().find_map(|p| {
        let card = answer.candidates.iter().any(|c| c.id == p.id);
        let known = title_of(&p.id).is_some_and(|t| t == p.title);
        (!card || !known).then(|| {
            format!(
                "pick {:?} ({}) is not a catalog card of the turn",
                p.title, p.id
            )
        })
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// `benches/transformers_bench.py`: under the current folder, else under the source tree.
fn anchor_script() -> PathBuf {
    let rel = Path::new("benches").join("transformers_bench.py");
    if rel.exists() {
        return rel;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run the PyTorch / transformers anchor with reco's prompt lengths; its JSON output.
fn anchor_run(
    python: &str,
    model: &Path,
    prompts: &[PromptTiming],
    max_tokens: usize,
    device: Device,
    repeats: usize,
    compile_s: u64,
) -> Result<serde_json::Value> {
    let script = anchor_script();
    let runs: Vec<_> = prompts
        .iter()
        .map(|p| serde_json::json!({ "name": p.name, "prompt_tokens": p.prompt_tokens }))
        .collect();
    eprintln!("running the anchor: {python} {}", script.display());
    let out = Command::new(python)
        .arg(&script)
        .arg(model)
        .arg(serde_json::Value::Array(runs).to_string())
        .args(["--max-tokens", &max_tokens.to_string()])
        .args(["--device", device.resolved()])
        .args(["--repeats", &repeats.to_string()])
        .args(["--compile-s", &compile_s.to_string()])
        .output()
        .map_err(|e| Error::Invalid(format!("{python}: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Invalid(format!(
            "{} failed: {}",
            script.display(),
            err.lines().last().unwrap_or_default()
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::Invalid(format!("{} output: {e}", script.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        dialogue::{Candidate, IntentReport, Timings},
        generate::GenStats,
        ground::Pick,
    };

    fn answer(cards: &[(&str, &str)], picks: &[(&str, &str)]) -> Answer {
        Answer {
            session: "s".into(),
            intent: IntentReport {
                label: "AskForRec/IQU".into(),
                top: vec![],
                sub: vec![],
                confidence: 1.0,
            },
            action: "recommend",
            constraints: String::new(),
            candidates: cards
                .iter()
                .map(|(id, title)| Candidate {
                    id: (*id).into(),
                    title: (*title).into(),
                    price: None,
                    year: None,
                    addon: false,
                })
                .collect(),
            about: vec![],
            picks: picks
                .iter()
                .map(|(id, title)| Pick {
                    id: (*id).into(),
                    title: (*title).into(),
                    reason: "because".into(),
                })
                .collect(),
            text: String::new(),
            raw: "[1] because".into(),
            mentions: vec![],
            timings_ms: Timings::default(),
            generation: GenStats::default(),
        }
    }

    fn catalog(id: &str) -> Option<String> {
        match id {
            "portal-2" => Some("Portal 2".into()),
            "unravel-two" => Some("Unravel Two".into()),
            _ => None,
        }
    }

    #[test]
    fn picks_must_be_catalog_cards_of_the_turn() {
        let cards = [("portal-2", "Portal 2"), ("unravel-two", "Unravel Two")];
        assert_eq!(
            pick_problem(&answer(&cards, &[("portal-2", "Portal 2")]), catalog),
            None
        );
        let none = pick_problem(&answer(&cards, &[]), catalog);
        assert!(none.is_some_and(|p| p.contains("no picks")));
        // A catalog item that was not a card of this turn.
        let not_card = pick_problem(
            &answer(&cards[..1], &[("unravel-two", "Unravel Two")]),
            catalog,
        );
        assert!(not_card.is_some_and(|p| p.contains("Unravel Two")));
        // A card the catalog does not know, and a known id with another title.
        let cards = [("portal-3", "Portal 3"), ("portal-2", "Portal Two")];
        assert!(pick_problem(&answer(&cards, &[("portal-3", "Portal 3")]), catalog).is_some());
        assert!(pick_problem(&answer(&cards, &[("portal-2", "Portal Two")]), catalog).is_some());
    }

    #[test]
    fn median_of_runs() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![]), 0.0);
    }
}
