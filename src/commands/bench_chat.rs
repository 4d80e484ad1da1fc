//! `reco bench chat`: a scripted five-turn conversation with the generation model, timed the
//! way the chat sees it — first card, first token and the full answer — for the first turn
//! and for the follow-ups, against the goals (first card ≤ 50 ms; first token of a follow-up
//! ≤ 2 s). The turns go through `Agent::turn`, the pipeline the chat and `reco ask` use.

use std::{path::PathBuf, time::Instant};

use crate::{
    dialogue::{Conversation, NullSink, TurnOptions},
    engine::Engine,
    generate::{GenStats, MistralGenerator, Transcript},
    Error, Result,
};

/// The scripted conversation: a request, a refinement, feedback on a card, a question about
/// a card, and a change of request.
pub const SCRIPT: &[&str] = &[
    "a relaxing farming game under 20 dollars",
    "cheaper",
    "not the second one",
    "tell me about the first one",
    "something similar but with co-op",
];

/// Goal for the first card, ms.
const FIRST_CARD_GOAL: f64 = 50.0;
/// Goal for the first token of a follow-up turn, ms.
const FOLLOW_UP_TOKEN_GOAL: f64 = 2000.0;

struct Row {
    action: &'static str,
    first_card: Option<f64>,
    first_token: Option<f64>,
    total: f64,
    gen: GenStats,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.0}"))
}

/// Run the benchmark: `runs` conversations of [`SCRIPT`] on `catalog`; `stateless`: each
/// turn's prompt without the earlier turns.
pub fn run(
    engine: &Engine,
    catalog: &str,
    model: Option<&PathBuf>,
    runs: usize,
    stateless: bool,
) -> Result<()> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let path = super::ask::model_path(engine, model, false)?;
    let opts = TurnOptions {
        max_tokens: engine.config.max_tokens,
        ..TurnOptions::default()
    };
    let agent = engine.agent(catalog, opts)?;
    let t = Instant::now();
    let generator = rt.block_on(MistralGenerator::load(&path))?;
    let load_s = t.elapsed().as_secs_f64();
    let mut rows: Vec<Vec<Row>> = (0..SCRIPT.len()).map(|_| Vec::new()).collect();
    for run in 0..runs {
        let mut conv = Conversation::create(&engine.store, catalog)?;
        if stateless {
            conv.transcript = Transcript::stateless();
        }
        for (i, text) in SCRIPT.iter().enumerate() {
            let a = rt.block_on(agent.turn(&mut conv, text, Some(&generator), &mut NullSink));
            let a = match a {
                Ok(a) => a,
                Err(e) => {
                    engine.store.remove_session(conv.id())?;
                    return Err(e);
                }
            };
            if engine.progress {
                eprintln!(
                    "run {}/{runs} turn {}: {} in {:.1} s",
                    run + 1,
                    i + 1,
                    a.action,
                    a.timings_ms.total / 1e3
                );
            }
            rows[i].push(Row {
                action: a.action,
                first_card: a.timings_ms.first_card,
                first_token: a.timings_ms.first_token,
                total: a.timings_ms.total,
                gen: a.generation,
            });
        }
        engine.store.remove_session(conv.id())?;
    }
    println!(
        "model {} (loaded in {load_s:.1} s) · catalog `{catalog}` · {runs} run(s){}, medians in ms\n",
        generator_name(&path),
        if stateless {
            " · stateless (no earlier turns in the prompt)"
        } else {
            ""
        }
    );
    println!("| turn | action | first card | first token | full answer | prompt tokens | prompt tok/s | gen tok/s |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (i, r) in rows.iter().enumerate() {
        let pick = |f: &dyn Fn(&Row) -> Option<f64>| median(r.iter().filter_map(f).collect());
        println!(
            "| {} \"{}\" | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            SCRIPT[i],
            r.first().map_or("", |x| x.action),
            ms(pick(&|x| x.first_card)),
            ms(pick(&|x| x.first_token)),
            ms(pick(&|x| Some(x.total))),
            ms(pick(&|x| Some(x.gen.prompt_tokens as f64))),
            ms(pick(
                &|x| (x.gen.prompt_tok_per_s > 0.0).then_some(x.gen.prompt_tok_per_s)
            )),
            ms(pick(
                &|x| (x.gen.gen_tok_per_s > 0.0).then_some(x.gen.gen_tok_per_s)
            )),
        );
    }
    let all = |turns: std::ops::Range<usize>, f: &dyn Fn(&Row) -> Option<f64>| {
        median(rows[turns].iter().flatten().filter_map(f).collect())
    };
    let n = SCRIPT.len();
    println!("\n| | first card | first token | full answer |\n|---|---:|---:|---:|");
    for (name, range) in [("first turn", 0..1), ("follow-up turns", 1..n)] {
        println!(
            "| {name} | {} | {} | {} |",
            ms(all(range.clone(), &|x| x.first_card)),
            ms(all(range.clone(), &|x| x.first_token)),
            ms(all(range, &|x| Some(x.total))),
        );
    }
    let card = all(0..n, &|x| x.first_card);
    let token = all(1..n, &|x| x.first_token);
    let verdict = |v: Option<f64>, goal: f64| match v {
        Some(x) if x <= goal => "met",
        Some(_) => "missed",
        None => "not measured",
    };
    println!(
        "\ngoals: first card ≤ {FIRST_CARD_GOAL:.0} ms: {} ({}); first token of a follow-up ≤ {:.0} s: {} ({})",
        verdict(card, FIRST_CARD_GOAL),
        ms(card),
        FOLLOW_UP_TOKEN_GOAL / 1e3,
        verdict(token, FOLLOW_UP_TOKEN_GOAL),
        ms(token)
    );
    Ok(())
}

fn generator_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
}
