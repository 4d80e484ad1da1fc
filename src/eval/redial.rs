//! The ReDial replay (`reco eval redial`): real recommendation dialogues that nobody on the
//! project wrote, replayed turn by turn through the chat's pipeline, and reco's ranked list at
//! every recommender turn that suggests movies scored against the movies the human
//! recommender suggested there — excluding movies already mentioned (He et al., CIKM 2023).
//!
//! In: the dialogues, an [`Agent`] over the movie catalog (generation off unless a model is
//! given), optional training dialogues, [`Options`]. The collaborative model is learned from
//! `--train`, or else from dialogue-level folds of the data (the scored dialogue is never in
//! its own training set). In the same run two baselines are scored on the same turns:
//! popularity (mentions in the training dialogues) and raw co-occurrence with the movies
//! mentioned so far. Out: a [`Report`] (Recall@1/5/10/50, nDCG@10 with bootstrap intervals,
//! Recall@k curves, RSS at start and end), built from a [`Checkpoint`] so that an interrupted
//! replay resumes where it stopped.

mod checkpoint;
mod replay;
pub mod score;

use std::{collections::BTreeMap, sync::Arc, time::Instant};

use serde::Serialize;

pub use checkpoint::{Checkpoint, DialogueResult};
pub use score::{ScoredTurn, SystemScores};

use crate::{
    catalog::interactions::Interaction,
    dialogue::Agent,
    generate::Generator,
    retrieve::collab::{Collab, Method, Weights},
    rng::hash_str,
    Error, Result,
};

/// How to replay.
#[derive(Debug, Clone)]
pub struct Options {
    /// Dialogue-level folds when no training file is given.
    pub folds: usize,
    /// Seed of the fold assignment and of the bootstrap.
    pub seed: u64,
    /// The collaborative method.
    pub method: Method,
    /// The weights of the collaborative lists.
    pub weights: Weights,
    /// Also score the pipeline with each signal removed, and the collaborative lists alone.
    pub ablate: bool,
    /// Stop after replaying this many dialogues in this run (the rest resume later).
    pub stop_after: Option<usize>,
    /// Show a progress bar.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            folds: 5,
            seed: 42,
            method: crate::retrieve::collab::DEFAULT_METHOD,
            weights: Weights::default(),
            ablate: false,
            stop_after: None,
            progress: false,
        }
    }
}

/// What a replay measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Per system (`reco`, `popularity`, `cooccurrence`, ablations, `reco+generate`).
    #[serde(flatten)]
    pub systems: BTreeMap<String, SystemScores>,
    /// Recommender turns scored.
    pub turns_scored: usize,
    /// Turns replayed (seeker and recommender).
    pub turns_replayed: usize,
    /// Dialogues replayed.
    pub dialogues: usize,
    /// Target movies over all scored turns.
    pub targets: usize,
    /// Folds (1 with a training file).
    pub folds: usize,
    /// The collaborative method.
    pub method: Method,
    /// Its weights in the fusion.
    pub weights: Weights,
    /// Movies the seekers mentioned, and how many of them reco recognised from the text.
    pub seeker_mentions: [usize; 2],
    /// Longest training of one fold's model, seconds.
    pub train_seconds: f64,
    /// Dialogues read back from the checkpoint instead of replayed.
    pub resumed: usize,
    /// Whether every dialogue is done (false when stopped early).
    pub complete: bool,
    /// Resident memory at the start and at the end of the run, MB.
    pub rss_mb: [f64; 2],
    /// Wall time of this run, seconds.
    pub seconds: f64,
    /// Recall@k for k = 1..=50, per system.
    pub curves: BTreeMap<String, Vec<f64>>,
    /// Recall@10 of reco minus each baseline's, paired over dialogues: `[difference, 95% low,
    /// 95% high]`, by baseline.
    pub reco_minus: BTreeMap<String, [f64; 3]>,
}

/// Resident set size of this process, MB (Linux `/proc/self/statm`; 0 elsewhere).
#[must_use]
pub fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / 1e6)
}

/// The fold a dialogue is scored in.
#[must_use]
pub fn fold_of(key: &str, folds: usize, seed: u64) -> usize {
    (hash_str(key, seed) % folds.max(1) as u64) as usize
}

/// A name for the run, written at the head of its checkpoint.
#[must_use]
pub fn run_name(data: &str, train: Option<&str>, opts: &Options, generate: bool) -> String {
    format!(
        "data={data} train={} folds={} seed={} method={:?} weights={:?} ablate={} generate={generate}",
        train.unwrap_or("folds"),
        opts.folds,
        opts.seed,
        opts.method,
        opts.weights,
        opts.ablate
    )
}

/// Replay `data` with `base` (whose own collaborative model is replaced per fold).
pub fn run(
    base: &Agent,
    data: &[Interaction],
    train: Option<&[Interaction]>,
    opts: &Options,
    generator: Option<&dyn Generator>,
    checkpoint: &mut Checkpoint,
    runtime: &tokio::runtime::Runtime,
) -> Result<Report> {
    let t0 = Instant::now();
    let rss_start = rss_mb();
    if opts.folds < 2 && train.is_none() {
        return Err(Error::Invalid(
            "a replay without --train needs at least 2 folds".into(),
        ));
    }
    let folds = if train.is_some() { 1 } else { opts.folds };
    let fold = |d: &Interaction| {
        if train.is_some() {
            0
        } else {
            fold_of(&d.key, folds, opts.seed)
        }
    };
    let done: std::collections::HashSet<String> =
        checkpoint.done.iter().map(|r| r.key.clone()).collect();
    let resumed = data.iter().filter(|d| done.contains(&d.key)).count();
    let bar = crate::progress::bar(
        opts.progress,
        data.len() as u64,
        "replaying {msg} [{bar:30}] {pos}/{len} dialogues {per_sec} eta {eta}",
        "redial",
    );
    bar.set_position(resumed as u64);
    let scored_keys: std::collections::HashSet<&str> =
        data.iter().map(|d| d.key.as_str()).collect();
    let mut results: Vec<DialogueResult> = Vec::new();
    let mut train_seconds: f64 = 0.0;
    let mut replayed_now = 0usize;
    let mut complete = true;
    'folds: for f in 0..folds {
        let todo: Vec<&Interaction> = data
            .iter()
            .filter(|d| fold(d) == f && !done.contains(&d.key))
            .collect();
        if todo.is_empty() {
            continue;
        }
        let training: Vec<Interaction> = match train {
            Some(t) => t
                .iter()
                .filter(|d| !scored_keys.contains(d.key.as_str()))
                .cloned()
                .collect(),
            None => data.iter().filter(|d| fold(d) != f).cloned().collect(),
        };
        let mut model = Collab::train(&base.searcher.retriever, &training, opts.method)?;
        model.weights = opts.weights;
        train_seconds = train_seconds.max(model.stats.seconds);
        let model = Arc::new(model);
        let agent = with_model(base, Some(Arc::clone(&model)));
        let variants = if opts.ablate {
            ablations(base, &model)
        } else {
            Vec::new()
        };
        let sys = replay::Systems {
            agent: &agent,
            variants: &variants,
            model: &model,
            collab_only: opts.ablate,
            generator,
            runtime,
        };
        for d in todo {
            if opts.stop_after.is_some_and(|n| replayed_now >= n) {
                complete = false;
                break 'folds;
            }
            let r = replay::replay(&sys, d, f)?;
            checkpoint.record(&r)?;
            results.push(r);
            replayed_now += 1;
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    let keys: std::collections::HashSet<&str> = scored_keys;
    let all: Vec<&DialogueResult> = checkpoint
        .done
        .iter()
        .chain(&results)
        .filter(|r| keys.contains(r.key.as_str()))
        .collect();
    Ok(summarise(
        &all,
        opts,
        folds,
        train_seconds,
        resumed,
        complete,
        rss_start,
        t0,
    ))
}

#[allow(clippy::too_many_arguments)]
fn summarise(
    all: &[&DialogueResult],
    opts: &Options,
    folds: usize,
    train_seconds: f64,
    resumed: usize,
    complete: bool,
    rss_start: f64,
    t0: Instant,
) -> Report {
    let dialogues: Vec<&[ScoredTurn]> = all.iter().map(|r| r.turns.as_slice()).collect();
    let turns: Vec<&ScoredTurn> = all.iter().flat_map(|r| &r.turns).collect();
    let names: std::collections::BTreeSet<&String> =
        turns.iter().flat_map(|t| t.ranks.keys()).collect();
    let systems = names
        .iter()
        .map(|n| ((*n).clone(), score::summarise(n, &dialogues, opts.seed)))
        .collect();
    let curves = names
        .iter()
        .map(|n| ((*n).clone(), score::curve(n, &turns)))
        .collect();
    let reco_minus = ["popularity", "cooccurrence"]
        .iter()
        .map(|b| {
            (
                (*b).to_string(),
                score::paired_recall10("reco", b, &dialogues, opts.seed),
            )
        })
        .collect();
    Report {
        systems,
        turns_scored: turns.len(),
        turns_replayed: all.iter().map(|r| r.replayed).sum(),
        dialogues: all.len(),
        targets: turns.iter().map(|t| t.targets).sum(),
        folds,
        method: opts.method,
        weights: opts.weights,
        seeker_mentions: [
            all.iter().map(|r| r.mentions).sum(),
            all.iter().map(|r| r.recognised).sum(),
        ],
        train_seconds,
        resumed,
        complete,
        rss_mb: [rss_start, rss_mb()],
        seconds: t0.elapsed().as_secs_f64(),
        curves,
        reco_minus,
    }
}

fn with_model(base: &Agent, model: Option<Arc<Collab>>) -> Agent {
    let mut a = base.clone();
    a.collab = model;
    a
}

/// The pipeline with one signal removed at a time.
fn ablations(base: &Agent, model: &Arc<Collab>) -> Vec<(String, Agent)> {
    let mut out = Vec::new();
    for (name, f) in [
        (
            "reco-no-descriptions",
            (|w: &mut Weights| w.words = 0.0) as fn(&mut Weights),
        ),
        ("reco-no-related", |w: &mut Weights| w.related = 0.0),
        ("reco-no-popularity", |w: &mut Weights| w.popularity = 0.0),
        ("reco-no-content", |w: &mut Weights| w.content = 0.0),
    ] {
        let mut m = (**model).clone();
        f(&mut m.weights);
        out.push((name.to_string(), with_model(base, Some(Arc::new(m)))));
    }
    out.push(("reco-no-collab".to_string(), with_model(base, None)));
    out
}

/// The report as a table (Markdown), best-known references below it.
#[must_use]
pub fn table(r: &Report) -> String {
    let mut s = format!(
        "ReDial replay: {} dialogues, {} turns replayed, {} turns scored ({} target movies); {} folds, {:?}\n\n",
        r.dialogues, r.turns_replayed, r.turns_scored, r.targets, r.folds, r.method
    );
    s.push_str(
        "| system | turns | Recall@1 | Recall@5 | Recall@10 (95% CI) | Recall@50 | nDCG@10 |\n",
    );
    s.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    let mut names: Vec<&String> = r.systems.keys().collect();
    names.sort_by_key(|n| (order(n), (*n).clone()));
    for n in names {
        let x = &r.systems[n];
        let ci = x
            .ci95
            .get("recall@10")
            .map(|[lo, hi]| format!(" ({lo:.3}–{hi:.3})"))
            .unwrap_or_default();
        s.push_str(&format!(
            "| {n} | {} | {:.3} | {:.3} | {:.3}{ci} | {:.3} | {:.3} |\n",
            x.turns, x.recall1, x.recall5, x.recall10, x.recall50, x.ndcg10
        ));
    }
    for (b, [d, lo, hi]) in &r.reco_minus {
        s.push_str(&format!(
            "\nreco − {b}, Recall@10 paired over dialogues: {d:+.3} (95% CI {lo:+.3} to {hi:+.3})"
        ));
    }
    s.push_str(&format!(
        "\n\nseeker mentions recognised from text: {} of {}; longest fold training {:.2}s; RSS {:.0} MB at start, {:.0} MB at end; {:.0}s{}\n",
        r.seeker_mentions[1],
        r.seeker_mentions[0],
        r.train_seconds,
        r.rss_mb[0],
        r.rss_mb[1],
        r.seconds,
        if r.resumed > 0 { format!(" ({} dialogues resumed from the checkpoint)", r.resumed) } else { String::new() }
    ));
    if !r.complete {
        s.push_str("stopped early: run again with the same --checkpoint to finish\n");
    }
    s
}

fn order(name: &str) -> u8 {
    match name {
        "reco" => 0,
        "reco+generate" => 1,
        "popularity" => 3,
        "cooccurrence" => 4,
        _ => 2,
    }
}
