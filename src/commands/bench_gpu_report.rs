//! The table `reco bench gpu` prints: reco's first token and decode speed per prompt, the
//! anchor's (PyTorch / transformers) beside them with the ratio, and the grounded turn.

use super::bench_gpu::GpuReport;
use crate::text::terminal_line;

/// The anchor's figures for one prompt of one variant: (first token ms, decode tok/s).
fn anchor_run(report: &GpuReport, variant: &str, prompt: &str) -> Option<(f64, f64)> {
    let runs = report
        .anchor
        .as_ref()?
        .get("variants")?
        .get(variant)?
        .get("runs")?;
    let r = runs
        .as_array()?
        .iter()
        .find(|r| r.get("name").and_then(|n| n.as_str()) == Some(prompt))?;
    Some((
        r.get("ttft_ms")?.as_f64()?,
        r.get("decode_tok_per_s")?.as_f64()?,
    ))
}

fn cell(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.digits$}"))
}

/// Print the report for humans.
pub fn print(r: &GpuReport) {
    println!(
        "GPU benchmark: {} on {}, catalog `{}` ({} items), model load {:.2} s, {} tokens per run",
        r.model, r.device, r.catalog, r.items, r.load_s, r.max_tokens
    );
    let anchor_device = r
        .anchor
        .as_ref()
        .and_then(|a| a.get("device"))
        .and_then(|d| d.as_str())
        .unwrap_or("n/a");
    println!(
        "| prompt | tokens | reco first token, ms | reco decode, tok/s | anchor eager first token, ms | anchor eager decode, tok/s | anchor compiled decode, tok/s | reco / eager decode |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for p in &r.prompts {
        let eager = anchor_run(r, "eager", p.name);
        let compiled = anchor_run(r, "compiled", p.name);
        let ratio = eager.and_then(|e| (e.1 > 0.0).then(|| p.decode_tok_per_s / e.1));
        println!(
            "| {} | {} | {:.1} | {:.1} | {} | {} | {} | {} |",
            p.name,
            p.prompt_tokens,
            p.ttft_ms,
            p.decode_tok_per_s,
            cell(eager.map(|e| e.0), 1),
            cell(eager.map(|e| e.1), 1),
            cell(compiled.map(|e| e.1), 1),
            cell(ratio, 2),
        );
    }
    if let Some(a) = &r.anchor {
        match a.get("error").and_then(|e| e.as_str()) {
            Some(e) => println!("anchor unavailable: {}", terminal_line(e)),
            None => println!(
                "anchor: {anchor_device}, torch {}, transformers {}, {}",
                a.get("torch").and_then(|v| v.as_str()).unwrap_or("?"),
                a.get("transformers")
                    .and_then(|v| v.as_str())
                    .unwrap_or("?"),
                a.get("dtype").and_then(|v| v.as_str()).unwrap_or("?"),
            ),
        }
    }
    let t = &r.turn;
    let titles: Vec<String> = t
        .answer
        .picks
        .iter()
        .map(|p| terminal_line(&p.title))
        .collect();
    println!(
        "grounded ask turn: {} pick(s) [{}], {}; first card {:.1} ms, first token {:.1} ms, total {:.1} ms, decode {:.1} tok/s",
        t.picks,
        titles.join(", "),
        if t.grounded { "all cards of the turn" } else { "NOT GROUNDED" },
        t.answer.timings_ms.first_card.unwrap_or(0.0),
        t.answer.timings_ms.first_token.unwrap_or(0.0),
        t.answer.timings_ms.total,
        t.answer.generation.gen_tok_per_s,
    );
    for line in t.answer.text.lines().take(8) {
        println!("  > {}", terminal_line(line));
    }
    if let Some(p) = &t.problem {
        println!("problem: {}", terminal_line(p));
    }
}
