//! `reco bench generate`: load time, prompt and generation speed, time to first token and to
//! the first candidate card for the default model on this machine, and the same GGUF file
//! under llama.cpp (llama-cpp-python) in the same run, as ratios.

use std::{path::PathBuf, time::Instant};

use crate::{
    catalog::Item,
    dialogue::{self, Conversation, NullSink, TurnOptions},
    engine::Engine,
    generate::{prompt, GenEvent, GenRequest, GenStats, Generator, MistralGenerator},
    retrieve::SearchOptions,
    Error, Result,
};

/// Questions timed without constraint on both engines (same messages).
const RAW: &[&str] = &[
    "a relaxing farming game under 20 dollars",
    "a scary horror game that is not too long",
    "free multiplayer shooter to play with friends",
];
/// Questions timed as full `ask` turns (retrieval, constrained picks, grounding).
const TURNS: &[&str] = &[
    "something like Portal but co-op, under $20",
    "strategy games that are not turn-based",
    "a cozy game with a great story",
];

/// Run the generation benchmark.
pub fn run(
    engine: &Engine,
    catalog: &str,
    model: Option<&PathBuf>,
    max_tokens: usize,
    python: &str,
) -> Result<()> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate(format!("tokio: {e}")))?;
    let path = super::ask::model_path(engine, model, false)?;
    let opts = TurnOptions {
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent(catalog, opts.clone())?;
    let searcher = agent.searcher.clone();
    let t = Instant::now();
    let generator = rt.block_on(MistralGenerator::load(&path))?;
    let load_s = t.elapsed().as_secs_f64();
    // Warm-up (first request pays one-off setup costs).
    rt.block_on(raw(&generator, "Say hello.".into(), 8))?;
    let mut messages = Vec::new();
    let mut reco_runs = Vec::new();
    for q in RAW {
        let r = searcher.search(
            q,
            &SearchOptions {
                k: opts.candidates,
                ..SearchOptions::default()
            },
        )?;
        let items: Vec<&Item> = r
            .hits
            .iter()
            .map(|h| &searcher.retriever.items()[h.index])
            .collect();
        let user = prompt::render(prompt::PromptKind::Recommend, &items, "", q, 3);
        messages.push(serde_json::json!([
            {"role": "system", "content": prompt::system()},
            {"role": "user", "content": user},
        ]));
        reco_runs.push(rt.block_on(raw(&generator, user, max_tokens))?);
    }
    let mut turns = Vec::new();
    for q in TURNS {
        let mut conv = Conversation::create(&engine.store, catalog)?;
        let a = rt.block_on(agent.turn(&mut conv, q, Some(&generator), &mut NullSink))?;
        engine.store.remove_session(conv.id())?;
        turns.push(a.timings_ms);
    }
    let mean = |f: &dyn Fn(&(GenStats, f64)) -> f64| {
        reco_runs.iter().map(f).sum::<f64>() / reco_runs.len() as f64
    };
    let (r_pp, r_tg, r_ttft) = (
        mean(&|r| r.0.prompt_tok_per_s),
        mean(&|r| r.0.gen_tok_per_s),
        mean(&|r| r.1),
    );
    let prompt_toks = mean(&|r| r.0.prompt_tokens as f64);
    let tmean = |f: &dyn Fn(&dialogue::Timings) -> f64| {
        turns.iter().map(f).sum::<f64>() / turns.len() as f64
    };
    println!(
        "generation benchmark: {} on {} ({} items), {} raw runs, {} ask turns",
        generator.name(),
        catalog,
        searcher.retriever.items().len(),
        RAW.len(),
        TURNS.len()
    );
    println!("| measure | reco (mistral.rs) | llama.cpp | reco / llama.cpp |");
    println!("|---|---:|---:|---:|");
    let llama = llama_cpp(&path, &messages, max_tokens, python);
    let row = |name: &str, a: f64, b: Option<f64>| {
        let (bs, ratio) = b.map_or(("n/a".to_string(), "n/a".to_string()), |b| {
            (
                format!("{b:.2}"),
                if b > 0.0 {
                    format!("{:.2}", a / b)
                } else {
                    "n/a".into()
                },
            )
        });
        println!("| {name} | {a:.2} | {bs} | {ratio} |");
    };
    let lv = llama.as_ref().ok();
    row("model load, s", load_s, lv.map(|l| l.0));
    row(
        &format!("prompt processing, tok/s (~{prompt_toks:.0}-token prompt)"),
        r_pp,
        lv.map(|l| l.1),
    );
    row("generation, tok/s", r_tg, lv.map(|l| l.2));
    row(
        "time to first token, ms (raw prompt)",
        r_ttft,
        lv.map(|l| l.3),
    );
    println!(
        "| ask turn: first candidate card, ms | {:.1} | | |",
        tmean(&|t| t.first_card.unwrap_or(0.0))
    );
    println!(
        "| ask turn: first token, ms | {:.0} | | |",
        tmean(&|t| t.first_token.unwrap_or(0.0))
    );
    println!("| ask turn: total, ms | {:.0} | | |", tmean(&|t| t.total));
    if let Err(e) = llama {
        println!("llama.cpp baseline unavailable: {e}");
    }
    Ok(())
}

/// One unconstrained generation: its stats and time to first token (ms).
async fn raw(g: &MistralGenerator, user: String, max_tokens: usize) -> Result<(GenStats, f64)> {
    let t = Instant::now();
    let mut h = g.start(GenRequest {
        system: prompt::system().into(),
        history: Vec::new(),
        user,
        constraint: None,
        max_tokens,
    });
    let mut ttft = None;
    while let Some(ev) = h.events.recv().await {
        match ev {
            GenEvent::Token(_) => {
                ttft.get_or_insert_with(|| t.elapsed().as_secs_f64() * 1e3);
            }
            GenEvent::Done(s) => return Ok((s, ttft.unwrap_or(0.0))),
            GenEvent::Failed(m) => return Err(Error::generate(m)),
        }
    }
    Err(Error::generate("generation ended without a result"))
}

/// (load s, prompt tok/s, gen tok/s, ttft ms) from `benches/llama_cpp_bench.py`.
fn llama_cpp(
    model: &std::path::Path,
    messages: &[serde_json::Value],
    max_tokens: usize,
    python: &str,
) -> Result<(f64, f64, f64, f64)> {
    let file = std::env::temp_dir().join(format!("reco-llama-{}.json", std::process::id()));
    std::fs::write(
        &file,
        serde_json::Value::Array(messages.to_vec()).to_string(),
    )
    .map_err(|e| Error::io(&file, e))?;
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let args = [
        model.as_os_str().to_owned(),
        file.clone().into_os_string(),
        max_tokens.to_string().into(),
        threads.to_string().into(),
    ];
    let v = super::bench::run_script(
        python,
        "llama_cpp_bench.py",
        &args,
        "pip install llama-cpp-python, or pass --python",
    );
    let _ = std::fs::remove_file(&file);
    let v = v?;
    let runs = v["runs"].as_array().cloned().unwrap_or_default();
    let n = runs.len().max(1) as f64;
    let sum = |f: &dyn Fn(&serde_json::Value) -> f64| runs.iter().map(f).sum::<f64>() / n;
    Ok((
        v["load_s"].as_f64().unwrap_or(0.0),
        sum(&|r| {
            r["prompt_tokens"].as_f64().unwrap_or(0.0) / r["prefill_s"].as_f64().unwrap_or(1.0)
        }),
        sum(&|r| r["decode_tok_per_s"].as_f64().unwrap_or(0.0)),
        sum(&|r| r["ttft_s"].as_f64().unwrap_or(0.0) * 1e3),
    ))
}
