//! `reco intent train` (fit the intent head on reco's own labelled examples, optionally with
//! IARD dialogues) and `reco eval intents` (score it on IARD-format seeker turns, with the
//! ablation without retrieval augmentation and, optionally, dialogue-level cross-validation
//! of a model that also learns from the evaluation file).

use std::{path::PathBuf, time::Instant};

use clap::{Args, Subcommand};

use super::intent_report::{dump, print_report};
pub use super::intent_report::{Latency, Report, Variant};
use crate::{
    engine::Engine,
    eval::intents::{paired_difference, score},
    intent::{
        data::{builtin_examples, examples_from_dir, load_iard, Example},
        features::{self, FeatureSpec, TurnContext},
        train::{cross_validate, predict, train, Featurizer},
        Intent, TrainOptions, SUB_INTENTS, TOP_LEVELS,
    },
    retrieve::Searcher,
    Error, Result,
};

/// `reco intent …`.
#[derive(Debug, Subcommand)]
pub enum IntentCmd {
    /// Train the intent head and write it (default: <home>/adapters/intent, used from then on).
    Train(TrainArgs),
}

/// `reco intent train` arguments.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Also learn from these IARD-format dialogues (e.g. ../shared/data/iard/iard_dev.json).
    #[arg(long, value_name = "FILE")]
    pub with: Option<PathBuf>,
    /// Catalog for the augmentation of movie examples (default: `redial` if imported).
    #[arg(long)]
    pub movies: Option<String>,
    /// Output folder (reco's own shipped model lives in adapters/intent of the repository).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Seed of the weight initialisation (heads of an ensemble take the next seeds).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Heads whose logits are averaged (default: the shipped model's).
    #[arg(long)]
    pub ensemble: Option<usize>,
    /// Own labelled examples from this folder (`<domain>.jsonl` files, the format of
    /// adapters/intent/examples) instead of the ones compiled into reco.
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,
}

/// The own examples: from `dir` when given, else the compiled-in ones.
fn own_examples(dir: Option<&std::path::Path>) -> Result<Vec<Example>> {
    dir.map_or_else(builtin_examples, examples_from_dir)
}

/// `reco eval intents` arguments.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// IARD-format file whose seeker turns are scored.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Catalog used for retrieval augmentation (import the ReDial movie list for IARD).
    #[arg(long, short)]
    pub catalog: Option<String>,
    /// Dialogue-level folds for the classifier that also learns from `--data` (0: skip).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write each turn's gold and predicted labels (own-examples model) as JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
    /// Own labelled examples from this folder instead of the ones compiled into reco.
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,
    /// Hidden units of the head (default: the shipped model's).
    #[arg(long, hide = true)]
    pub hidden: Option<usize>,
    /// Training steps (default: the shipped model's).
    #[arg(long, hide = true)]
    pub epochs: Option<usize>,
    /// Exponent of the positive-class weighting (0: none, 0.5: square root).
    #[arg(long, hide = true)]
    pub balance: Option<f32>,
    /// Heads averaged (default: the shipped model's).
    #[arg(long, hide = true)]
    pub ensemble: Option<usize>,
    /// Seed of the first head (default: the shipped model's).
    #[arg(long, hide = true)]
    pub seed: Option<u64>,
}

/// Where embeddings of training and evaluation turns are kept between runs.
fn cache_file(engine: &Engine) -> PathBuf {
    engine
        .config
        .home
        .join("cache")
        .join("intent-embeddings.bin")
}

/// Run `reco intent …`.
pub fn run(engine: &Engine, cmd: IntentCmd) -> Result<()> {
    match cmd {
        IntentCmd::Train(a) => train_cmd(engine, &a),
    }
}

struct Catalogs {
    games: Searcher,
    movies: Option<Searcher>,
}

impl Catalogs {
    fn open(engine: &Engine, movies: Option<&str>) -> Result<Self> {
        let games = engine.prepare(crate::catalog::DEFAULT_CATALOG)?;
        let movies = match movies {
            Some(m) => Some(engine.prepare(m)?),
            None if engine.store.catalog("redial")?.is_some() => Some(engine.prepare("redial")?),
            None => None,
        };
        Ok(Self { games, movies })
    }

    fn of(&self, e: &Example) -> Option<&crate::retrieve::Retriever> {
        match e.domain.as_str() {
            "games" => Some(&self.games.retriever),
            "movies" | "iard" => Some(
                self.movies
                    .as_ref()
                    .unwrap_or(&self.games)
                    .retriever
                    .as_ref(),
            ),
            _ => None,
        }
    }
}

fn train_cmd(engine: &Engine, a: &TrainArgs) -> Result<()> {
    let cats = Catalogs::open(engine, a.movies.as_deref())?;
    let mut examples = own_examples(a.examples.as_deref())?;
    if let Some(p) = &a.with {
        examples.extend(load_iard(p)?);
    }
    let opts = TrainOptions {
        seed: a.seed,
        ensemble: a.ensemble.unwrap_or(TrainOptions::default().ensemble),
        ..TrainOptions::default()
    };
    let spec = FeatureSpec { augmentation: true };
    let embedder = cats.games.embedder.clone();
    let mut fz = Featurizer::new(&*embedder, engine.progress).with_cache_file(cache_file(engine));
    let t = Instant::now();
    let model = train(&mut fz, &examples, spec, opts, &|e| cats.of(e))?;
    fz.save()?;
    let out = a.out.clone().unwrap_or_else(|| engine.intent_dir());
    model.save(&out)?;
    println!(
        "trained the intent head on {} examples ({}) in {:.1}s; data hash {}; written to {}",
        examples.len(),
        model
            .manifest
            .examples
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        t.elapsed().as_secs_f64(),
        model.manifest.data_hash,
        out.display()
    );
    Ok(())
}

/// Label sets and primary labels of predictions: (top, top primary, sub, sub primary).
type Labels = (Vec<Vec<usize>>, Vec<usize>, Vec<Vec<usize>>, Vec<usize>);

fn labels(v: &[Intent]) -> Labels {
    let idx = |names: &[&str], l: &str| names.iter().position(|n| *n == l).unwrap_or(0);
    let top: Vec<Vec<usize>> = v
        .iter()
        .map(|i| i.top.iter().map(|l| idx(&TOP_LEVELS, l)).collect())
        .collect();
    let top_p: Vec<usize> = v
        .iter()
        .map(|i| i.top.first().map_or(3, |l| idx(&TOP_LEVELS, l)))
        .collect();
    let sub: Vec<Vec<usize>> = v
        .iter()
        .map(|i| i.sub.iter().map(|l| idx(&SUB_INTENTS, l)).collect())
        .collect();
    let sub_p: Vec<usize> = v.iter().map(|i| idx(&SUB_INTENTS, i.primary)).collect();
    (top, top_p, sub, sub_p)
}

fn variant(gold: &[Example], pred: &[Intent], groups: &[String]) -> Variant {
    let (top, top_p, sub, sub_p) = labels(pred);
    let gt: Vec<Vec<usize>> = gold.iter().map(|e| e.top.clone()).collect();
    let gs: Vec<Vec<usize>> = gold.iter().map(|e| e.sub.clone()).collect();
    Variant {
        top_level: score(&TOP_LEVELS, &gt, &top, &top_p, groups),
        sub_intents: score(&SUB_INTENTS, &gs, &sub, &sub_p, groups),
    }
}

/// Run `reco eval intents`.
pub fn eval(engine: &Engine, a: &EvalArgs) -> Result<()> {
    let data = load_iard(&a.data)?;
    if data.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no labelled seeker turns",
            a.data.display()
        )));
    }
    let catalog = engine.catalog_name(a.catalog.as_deref());
    let cats = Catalogs::open(engine, Some(&catalog))?;
    let own = own_examples(a.examples.as_deref())?;
    let embedder = cats.games.embedder.clone();
    let mut fz =
        Featurizer::new(&*embedder, engine.progress && !a.json).with_cache_file(cache_file(engine));
    let opts = TrainOptions {
        hidden: a.hidden.unwrap_or(TrainOptions::default().hidden),
        epochs: a.epochs.unwrap_or(TrainOptions::default().epochs),
        balance: a.balance.unwrap_or(TrainOptions::default().balance),
        ensemble: a.ensemble.unwrap_or(TrainOptions::default().ensemble),
        seed: a.seed.unwrap_or(TrainOptions::default().seed),
        ..TrainOptions::default()
    };
    let of = |e: &Example| cats.of(e);
    let groups: Vec<String> = data.iter().map(|e| e.group.clone()).collect();
    let aug = FeatureSpec { augmentation: true };
    let plain = FeatureSpec {
        augmentation: false,
    };
    let m_aug = train(&mut fz, &own, aug, opts, &of)?;
    let p_aug = predict(&mut fz, &m_aug, &data, &of)?;
    let m_plain = train(&mut fz, &own, plain, opts, &of)?;
    let p_plain = predict(&mut fz, &m_plain, &data, &of)?;
    let with_aug = variant(&data, &p_aug, &groups);
    let without = variant(&data, &p_plain, &groups);
    let (ta, _, sa, _) = labels(&p_aug);
    let (tp, _, sp, _) = labels(&p_plain);
    let gt: Vec<Vec<usize>> = data.iter().map(|e| e.top.clone()).collect();
    let gs: Vec<Vec<usize>> = data.iter().map(|e| e.sub.clone()).collect();
    let gain = [
        paired_difference(4, &gt, &ta, &tp, &groups),
        paired_difference(16, &gs, &sa, &sp, &groups),
    ];
    let cv = if a.folds >= 2 {
        let p = cross_validate(&mut fz, &own, &data, a.folds, aug, opts, &of)?;
        Some(variant(&data, &p, &groups))
    } else {
        None
    };
    fz.save()?;
    if let Some(path) = &a.dump {
        dump(path, &data, &p_aug)?;
    }
    let latency = latency(&m_aug, &cats, &data, &*embedder)?;
    let mut dialogues = groups.clone();
    dialogues.sort();
    dialogues.dedup();
    let report = Report {
        turns: data.len(),
        dialogues: dialogues.len(),
        catalog,
        top_level: with_aug.top_level,
        sub_intents: with_aug.sub_intents,
        without_retrieval: without,
        augmentation_gain_ci: gain,
        with_data_cv: cv,
        latency_ms: latency,
    };
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report, &a.data);
    }
    Ok(())
}

/// Time the classification of each turn as the chat does it: the turn's embedding is shared
/// with retrieval and the previous system turn's is cached, so what is timed is the
/// augmentation (named items, filters, dense top-5), the embeddings of the turn's segments
/// when it has several, and the head. Reported over all turns and over single-message turns
/// (one segment: what most chat turns are).
fn latency(
    model: &crate::intent::IntentModel,
    cats: &Catalogs,
    data: &[Example],
    embedder: &dyn crate::embed::Embedder,
) -> Result<Latency> {
    let mut times = Vec::new();
    let mut single = Vec::new();
    for e in data.iter().step_by((data.len() / 300).max(1)) {
        let q = embedder.embed_one(&e.text)?;
        let prev = embedder.embed_one(if e.prev.is_empty() { " " } else { &e.prev })?;
        let ctx = TurnContext {
            text: &e.text,
            prev: &e.prev,
            cards: e.cards,
            position: e.position,
        };
        let t = Instant::now();
        let rows = features::featurize(
            model.manifest.spec,
            embedder,
            cats.of(e),
            &ctx,
            Some(&q),
            Some(&prev),
        )?;
        let _ = model.classify(&rows);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        times.push(ms);
        if rows.len() == 1 {
            single.push(ms);
        }
    }
    let at = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Latency {
        p50: at(&mut times, 0.5),
        p95: at(&mut times, 0.95),
        single_p50: at(&mut single, 0.5),
        single_turns: single.len(),
        turns: times.len(),
    })
}
