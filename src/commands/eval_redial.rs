//! `reco eval redial`: replay ReDial dialogues through the pipeline, against popularity and
//! co-occurrence baselines (see [`crate::eval::redial`]).

use std::path::{Path, PathBuf};

use clap::Args;

use crate::{
    catalog::{
        import::{FieldMap, Format},
        import_file,
        interactions::{self, Interaction, InteractionFormat, Record},
    },
    dialogue::{Agent, TurnOptions},
    engine::Engine,
    eval::{
        redial::{self, Checkpoint},
        report::{Plot, Series},
    },
    generate::{Generator, MistralGenerator},
    retrieve::collab::{Method, Weights},
    store::Store,
    Error, Result,
};

/// `reco eval redial` arguments.
#[derive(Debug, Args)]
pub struct RedialArgs {
    /// ReDial dialogues to replay (JSON lines).
    #[arg(long)]
    pub data: PathBuf,
    /// The ReDial movie list (movies_with_mentions.csv), imported as the catalog.
    #[arg(long)]
    pub movies: PathBuf,
    /// Dialogues to learn interactions from (default: dialogue-level folds of --data).
    #[arg(long)]
    pub train: Option<PathBuf>,
    /// Catalog name for the movie list.
    #[arg(long, default_value = "redial")]
    pub catalog: String,
    /// Folds when there is no --train.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Seed of the folds and the bootstrap.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Collaborative method: cooc, knn[:alpha], ease[:lambda] or rp3[:alpha[,beta]] (default: the
    /// one the product uses).
    #[arg(long)]
    pub method: Option<String>,
    /// Fusion weights of the collaborative lists, e.g. `related=2,words=0.6,popularity=0.3,content=1`.
    #[arg(long, value_name = "SPEC")]
    pub weights: Option<String>,
    /// Also score the pipeline without each signal, and the collaborative lists alone.
    #[arg(long)]
    pub ablate: bool,
    /// Replay only the first N dialogues of --data.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Record finished dialogues here and resume from it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Replay at most N dialogues in this run (finish later with the same --checkpoint).
    #[arg(long, requires = "checkpoint")]
    pub stop_after: Option<usize>,
    /// Also answer with the local model before each scored turn and score its picks.
    #[arg(long)]
    pub generate: bool,
    /// With --generate: the small model (SmolLM2-135M).
    #[arg(long)]
    pub small: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also write redial.json, redial.md and redial.svg into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

fn parse_weights(spec: &str) -> Result<Weights> {
    let mut w = Weights::default();
    for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("weights: `{part}` is not name=value")))?;
        let v: f32 = v
            .trim()
            .parse()
            .ok()
            .filter(|x: &f32| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| Error::Invalid(format!("weights: `{v}` is not a number ≥ 0")))?;
        match k.trim() {
            "related" => w.related = v,
            "words" => w.words = v,
            "popularity" => w.popularity = v,
            "content" => w.content = v,
            o => {
                return Err(Error::Invalid(format!(
                    "weights: unknown `{o}` (related, words, popularity, content)"
                )))
            }
        }
    }
    Ok(w)
}

/// Every ReDial dialogue of a file; skipped lines are reported on stderr.
pub fn read_dialogues(path: &Path, progress: bool) -> Result<Vec<Interaction>> {
    let mut out = Vec::new();
    for rec in interactions::open(path, InteractionFormat::Redial)? {
        match rec? {
            Record::Interaction { interaction, .. } => out.push(interaction),
            Record::Skip(s) if progress => {
                eprintln!("skipped {}:{}: {}", path.display(), s.line, s.reason);
            }
            Record::Skip(_) => {}
        }
    }
    if out.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no dialogue could be read",
            path.display()
        )));
    }
    Ok(out)
}

pub fn run_redial(engine: &Engine, a: &RedialArgs) -> Result<()> {
    let progress = engine.progress && !a.json;
    let imported = import_file(
        &engine.store,
        &a.movies,
        &a.catalog,
        Some(Format::Redial),
        &FieldMap::default(),
        progress,
    )?;
    if let Some(why) = imported.stopped {
        return Err(Error::Invalid(format!("{}: {why}", a.movies.display())));
    }
    let searcher = engine.prepare(&a.catalog)?;
    let intents = engine.intent_model(searcher.embedder.id())?;
    let base = Agent {
        // Replayed sessions live in a throw-away store, never among the user's sessions.
        store: Store::temporary()?,
        searcher,
        intents,
        options: TurnOptions {
            max_tokens: engine.config.max_tokens,
            ..TurnOptions::default()
        },
        collab: None,
    };
    let mut data = read_dialogues(&a.data, progress)?;
    if let Some(n) = a.limit {
        data.truncate(n);
    }
    let train = a
        .train
        .as_deref()
        .map(|p| read_dialogues(p, progress))
        .transpose()?;
    let opts = redial::Options {
        folds: a.folds,
        seed: a.seed,
        method: a
            .method
            .as_deref()
            .map(Method::parse)
            .transpose()?
            .unwrap_or(crate::retrieve::collab::DEFAULT_METHOD),
        weights: a
            .weights
            .as_deref()
            .map(parse_weights)
            .transpose()?
            .unwrap_or_default(),
        ablate: a.ablate,
        stop_after: a.stop_after,
        progress,
    };
    let mut checkpoint = match &a.checkpoint {
        Some(p) => {
            let name = redial::run_name(
                &format!("{}#{}", a.data.display(), data.len()),
                a.train.as_ref().map(|p| p.display().to_string()).as_deref(),
                &opts,
                a.generate,
            );
            Checkpoint::open(p, &name)?
        }
        None => Checkpoint::none(),
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::generate_from("tokio", e))?;
    let generator = if a.generate {
        let path = super::ask::model_path(engine, None, a.small)?;
        Some(runtime.block_on(MistralGenerator::load(&path))?)
    } else {
        None
    };
    let g = generator.as_ref().map(|g| g as &dyn Generator);
    let r = redial::run(
        &base,
        &data,
        train.as_deref(),
        &opts,
        g,
        &mut checkpoint,
        &runtime,
    )?;
    if a.json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        print!("{}", redial::table(&r));
    }
    if let Some(dir) = &a.out {
        super::eval::write_report(
            dir,
            "redial",
            "ReDial replay",
            &r,
            &redial::table(&r),
            &redial_plot(&r),
        )?;
    }
    Ok(())
}

/// Recall@k curves, reco first, then the baselines and the rest.
fn redial_plot(r: &redial::Report) -> Plot {
    let mut names: Vec<&String> = r.curves.keys().collect();
    names.sort_by_key(|n| match n.as_str() {
        "reco" => 0,
        "popularity" => 1,
        "cooccurrence" => 2,
        _ => 3,
    });
    Plot {
        title: format!(
            "ReDial replay: Recall@k over {} scored turns",
            r.turns_scored
        ),
        x_label: "k".into(),
        y_label: "Recall@k".into(),
        x_ticks: [1, 5, 10, 20, 30, 40, 50]
            .iter()
            .map(|&k| (k - 1, k.to_string()))
            .collect(),
        series: names
            .into_iter()
            .map(|n| Series {
                name: n.clone(),
                values: r.curves[n].clone(),
            })
            .collect(),
    }
}
