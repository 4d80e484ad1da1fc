//! `reco eval grounding`: scripted conversations through the real pipeline
//! ([`crate::dialogue::Agent::turn`] with a real model), every shown answer read by the
//! evaluator's own checks ([`verify`], independent of the runtime support check) for items
//! that are not the catalog's, facts that contradict the item, unsupported words and names,
//! repeated reasons and reasons that name nothing distinctive; with the runtime's own counts
//! (dropped, trimmed, replaced), the share of recommendations whose every reason the model
//! wrote, and the time to the first token of first turns and follow-ups.
//!
//! The conversations are data (`grounding/suite.txt`): sections for every catalog, for one
//! catalog, and for the injection catalog built from `tests/fixtures/hostile.jsonl`.

pub mod verify;

use std::collections::BTreeMap;

use serde::Serialize;

pub use verify::{Checker, Findings};

use crate::{
    catalog::Item,
    dialogue::{Agent, Answer, Conversation, NullSink},
    generate::{Generator, Transcript},
    ground::{Grounding, Pick},
    retrieve::Retriever,
    Result,
};

const SUITE: &str = include_str!("grounding/suite.txt");
/// The injection test catalog (titles, descriptions and developers that carry prompt
/// injections, forged item lines, `{placeholders}` and escape sequences).
pub const HOSTILE: &str = include_str!("../../tests/fixtures/hostile.jsonl");
/// The name of the suite's section run on the injection catalog.
pub const HOSTILE_SECTION: &str = "hostile";

/// Famous titles, the first one the catalog lacks is `{missing}`.
const FAMOUS: &[&str] = &[
    "Minecraft",
    "Fortnite",
    "Super Mario Odyssey",
    "The Legend of Zelda: Breath of the Wild",
    "Halo Infinite",
];

/// One scripted conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// Its section of the suite.
    pub section: String,
    /// The user's turns.
    pub turns: Vec<String>,
}

/// The titles `{a}` and `{b}` stand for: the two most popular base items, by different
/// developers.
fn popular(items: &[Item]) -> (String, String) {
    let mut order: Vec<&Item> = items.iter().filter(|i| !i.is_addon()).collect();
    order.sort_by(|a, b| {
        b.popularity()
            .partial_cmp(&a.popularity())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.id.cmp(&b.id))
    });
    let a = order.first().map(|i| i.title.clone()).unwrap_or_default();
    let b = order
        .iter()
        .skip(1)
        .find(|i| i.developer != order[0].developer)
        .map(|i| i.title.clone())
        .unwrap_or_default();
    (a, b)
}

/// The famous titles `r` does not have.
#[must_use]
pub fn missing_titles(r: &Retriever) -> Vec<String> {
    FAMOUS
        .iter()
        .filter(|t| r.titles().find(t).is_empty())
        .map(|t| (*t).to_string())
        .collect()
}

/// The suite's conversations for `section_names`, placeholders filled from `r`.
#[must_use]
pub fn scripts(section_names: &[&str], r: &Retriever) -> Vec<Script> {
    let (a, b) = popular(r.items());
    let missing = missing_titles(r).into_iter().next().unwrap_or_default();
    let mut out = Vec::new();
    let mut section = String::new();
    let mut turns: Vec<String> = Vec::new();
    let mut flush = |section: &str, turns: &mut Vec<String>| {
        if !turns.is_empty() && section_names.contains(&section) {
            out.push(Script {
                section: section.to_string(),
                turns: std::mem::take(turns),
            });
        }
        turns.clear();
    };
    for line in SUITE.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix("## ") {
            flush(&section, &mut turns);
            section = name.trim().to_string();
        } else if line.starts_with('#') {
        } else if line.is_empty() {
            flush(&section, &mut turns);
        } else {
            turns.push(crate::generate::prompt::fill(
                line,
                &[("a", &a), ("b", &b), ("missing", &missing)],
            ));
        }
    }
    flush(&section, &mut turns);
    out
}

/// One evaluated turn.
#[derive(Debug, Clone, Serialize)]
pub struct TurnRecord {
    /// Suite section.
    pub section: String,
    /// Conversation number (from 1).
    pub conversation: usize,
    /// Turn number in the conversation (from 1).
    pub turn: usize,
    /// What the user said.
    pub said: String,
    /// What reco did.
    pub action: String,
    /// The answer as shown.
    pub text: String,
    /// Picks with their reasons.
    pub picks: Vec<Pick>,
    /// The runtime check's counts and cuts.
    pub grounding: Grounding,
    /// The evaluator's findings.
    pub findings: Findings,
    /// First token, ms from the turn's start.
    pub first_token_ms: Option<f64>,
    /// Prompt tokens.
    pub prompt_tokens: usize,
    /// Of which earlier turns and the system prompt.
    pub context_tokens: usize,
}

/// Time to the first token, first turns and follow-ups.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Latency {
    /// Generated first turns.
    pub first_turns: usize,
    /// Median first token of first turns, ms.
    pub first_turn_first_token_ms: f64,
    /// Median prompt tokens of first turns.
    pub first_turn_prompt_tokens: f64,
    /// Generated follow-up turns.
    pub follow_ups: usize,
    /// Median first token of follow-ups, ms.
    pub follow_up_first_token_ms: f64,
    /// Median prompt tokens of follow-ups.
    pub follow_up_prompt_tokens: f64,
    /// Median tokens of follow-ups that earlier turns did not hold.
    pub follow_up_new_tokens: f64,
}

/// The evaluation's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Catalog.
    pub catalog: String,
    /// Answers evaluated.
    pub answers: usize,
    /// Items presented that are not the catalog's cards.
    pub off_catalog: usize,
    /// Stated facts that contradict the item.
    pub wrong_facts: usize,
    /// Shown words and names nothing backs (the evaluator's reading).
    pub unsupported_shown: usize,
    /// Model sentences and reasons the runtime dropped.
    pub dropped: usize,
    /// Model sentences and reasons shown with a tail cut.
    pub trimmed: usize,
    /// Reasons and answers built from the facts instead.
    pub replaced: usize,
    /// Reasons given a distinguishing fact.
    pub appended: usize,
    /// Pairs of picks sharing a reason.
    pub duplicate_reasons: usize,
    /// Picks whose reason names nothing that sets them apart.
    pub undistinguished: usize,
    /// Control characters shown.
    pub unsafe_text: usize,
    /// Answers with picks.
    pub recommendations: usize,
    /// Of which every pick kept a reason the model wrote.
    pub model_reasons: usize,
    /// Answers per suite section.
    pub sections: BTreeMap<String, usize>,
    /// Time to the first token.
    pub latency: Latency,
    /// Every turn.
    pub turns: Vec<TurnRecord>,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

impl Report {
    fn add(&mut self, rec: TurnRecord, a: &Answer) {
        let f = &rec.findings;
        self.answers += 1;
        self.off_catalog += f.off_catalog.len();
        self.wrong_facts += f.wrong_facts.len();
        self.unsupported_shown += f.unsupported.len();
        self.duplicate_reasons += f.duplicate_reasons;
        self.undistinguished += f.undistinguished;
        self.unsafe_text += f.unsafe_text;
        let g = &a.grounding;
        self.dropped += g.dropped;
        self.trimmed += g.trimmed;
        self.replaced += g.replaced;
        self.appended += g.appended;
        if !a.picks.is_empty() {
            self.recommendations += 1;
            if a.picks.iter().all(|p| p.by_model) {
                self.model_reasons += 1;
            }
        }
        *self.sections.entry(rec.section.clone()).or_default() += 1;
        self.turns.push(rec);
    }

    /// Compute the latency medians from the turns.
    pub fn finish(&mut self) {
        let generated = |first: bool| -> Vec<&TurnRecord> {
            self.turns
                .iter()
                .filter(|t| t.first_token_ms.is_some() && (t.turn == 1) == first)
                .collect()
        };
        let (first, follow) = (generated(true), generated(false));
        self.latency = Latency {
            first_turns: first.len(),
            first_turn_first_token_ms: median(
                first.iter().filter_map(|t| t.first_token_ms).collect(),
            ),
            first_turn_prompt_tokens: median(
                first.iter().map(|t| t.prompt_tokens as f64).collect(),
            ),
            follow_ups: follow.len(),
            follow_up_first_token_ms: median(
                follow.iter().filter_map(|t| t.first_token_ms).collect(),
            ),
            follow_up_prompt_tokens: median(
                follow.iter().map(|t| t.prompt_tokens as f64).collect(),
            ),
            follow_up_new_tokens: median(
                follow
                    .iter()
                    .map(|t| t.prompt_tokens.saturating_sub(t.context_tokens) as f64)
                    .collect(),
            ),
        };
    }
}

/// Run `scripts` through `agent` with `generator`; each answer checked by `checker`.
/// `stateless`: every turn's prompt stands alone (no earlier turns), for comparison.
/// `each` is called after every turn.
pub async fn run(
    agent: &Agent,
    generator: &dyn Generator,
    scripts: &[Script],
    checker: &Checker<'_>,
    stateless: bool,
    report: &mut Report,
    each: &mut (dyn FnMut(&TurnRecord) + Send),
) -> Result<()> {
    let first = report
        .turns
        .iter()
        .map(|t| t.conversation)
        .max()
        .unwrap_or(0);
    for (k, s) in scripts.iter().enumerate() {
        let mut conv = Conversation::create(&agent.store, agent.searcher.retriever.catalog())?;
        if stateless {
            conv.transcript = Transcript::stateless();
        }
        let mut said: Vec<String> = Vec::new();
        for (t, text) in s.turns.iter().enumerate() {
            let a = agent
                .turn(&mut conv, text, Some(generator), &mut NullSink)
                .await?;
            said.push(text.clone());
            let recent: Vec<&str> = said.iter().rev().take(4).map(String::as_str).collect();
            // As the grounding reads it: pick reasons may echo the requests they refine,
            // what is said about items only this turn's words.
            let user = if a.picks.is_empty() {
                text.clone()
            } else {
                recent.join("\n")
            };
            let findings = checker.check(&a, &user);
            let rec = TurnRecord {
                section: s.section.clone(),
                conversation: first + k + 1,
                turn: t + 1,
                said: text.clone(),
                action: a.action.to_string(),
                text: a.text.clone(),
                picks: a.picks.clone(),
                grounding: a.grounding.clone(),
                findings,
                first_token_ms: a.timings_ms.first_token,
                prompt_tokens: a.generation.prompt_tokens,
                context_tokens: a.generation.context_tokens,
            };
            each(&rec);
            report.add(rec, &a);
        }
        agent.store.remove_session(conv.id())?;
    }
    Ok(())
}

/// A human-readable table of the report.
#[must_use]
pub fn table(r: &Report) -> String {
    let l = &r.latency;
    let rows = [
        ("answers", r.answers.to_string()),
        ("off_catalog", r.off_catalog.to_string()),
        ("wrong_facts", r.wrong_facts.to_string()),
        ("unsupported_shown", r.unsupported_shown.to_string()),
        ("duplicate_reasons", r.duplicate_reasons.to_string()),
        ("undistinguished picks", r.undistinguished.to_string()),
        ("unsafe_text", r.unsafe_text.to_string()),
        ("dropped (runtime)", r.dropped.to_string()),
        ("trimmed (runtime)", r.trimmed.to_string()),
        ("replaced by facts (runtime)", r.replaced.to_string()),
        ("distinguishing fact appended", r.appended.to_string()),
        (
            "recommendations with every reason the model's",
            format!("{} of {}", r.model_reasons, r.recommendations),
        ),
        (
            "first token, first turns (median ms, prompt tokens)",
            format!(
                "{:.0} ({:.0}), n={}",
                l.first_turn_first_token_ms, l.first_turn_prompt_tokens, l.first_turns
            ),
        ),
        (
            "first token, follow-ups (median ms, prompt / new tokens)",
            format!(
                "{:.0} ({:.0} / {:.0}), n={}",
                l.follow_up_first_token_ms,
                l.follow_up_prompt_tokens,
                l.follow_up_new_tokens,
                l.follow_ups
            ),
        ),
    ];
    let mut s = format!("grounding on `{}`\n", r.catalog);
    for (k, v) in rows {
        s.push_str(&format!("  {k:<58} {v}\n"));
    }
    s
}

#[cfg(test)]
mod tests;
