//! Training a query adapter (candle, CPU).
//!
//! In: a [`Retriever`] over an indexed catalog (its stored item vectors are used as they are:
//! items are never re-embedded), the backbone, [`TrainOptions`]. Out: a [`QueryAdapter`].
//!
//! Data ([`super::train_data`]): generated queries of the train split, each with its positive,
//! 7 hard negatives mined from base retrieval and up to 8 more graded items. Loss per query,
//! with `s = cos(q', item) / τ`:
//!
//! - **contrastive**: `−log(e^{s₊} / Σ_{j ∈ N} e^{s_j})` where N is the positive and every
//!   catalog item that does not meet the query (grade 0 or 1: the mined hard negatives and all
//!   others); items that meet it (grade ≥ 2) and items the query excludes are masked out, so
//!   there are no false negatives (the reason the paper's in-batch negatives are not used).
//!   The softmax runs over the whole catalog because a contrast against the 7 mined negatives
//!   alone lowered the validation score on Steam at every epoch (0.400 → 0.391 → 0.373 →
//!   0.369): it pushes those 7 down and lets the rest of the catalog come up. Scoring a batch
//!   against all item vectors is one matrix product (32k × 384 for Steam);
//! - **multi-graded** (GR2's constrained contrastive term, arXiv 2409.18409): for every item
//!   of grade g ≥ 1 in the row, `−log(e^{s_i} / (e^{s_i} + Σ_{grade < g} e^{s_j}))`, so items
//!   of a higher grade are pulled closer than every item of a lower grade, and items of the
//!   same grade are not pushed apart; weighted by `graded_weight`.
//!
//! `A` starts from a seeded uniform draw and `B` (and a token adapter's `u`) at zero, so
//! training starts at the identity (the base backbone); [`super::model`] holds the forward
//! pass of both kinds. AdamW, shuffled mini-batches from a seeded generator: the same data
//! and options give the same weights. After each epoch the dense ranking of the validation
//! queries is scored (macro mean of Hit@5 and nDCG@10 over types); training stops after
//! `patience` epochs without improvement and keeps the best epoch. Finally the dense weight of
//! fusion is chosen on the validation split for the adapted backbone.

use std::{collections::BTreeMap, path::Path, time::Instant};

use candle_core::{Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use serde::{Deserialize, Serialize};

use super::{
    loss::Batches,
    model::{Inputs, Params},
    train_data::{prepare, Prepared},
    validate::{tune_fusion, Validation},
    FusionWeights, Kind, Manifest, QueryAdapter, DEFAULT_RANK, FORMAT,
};
use crate::{
    embed::Embedder,
    retrieve::{fusion::Weights, Mode, Retriever},
    rng::SplitMix64,
    Error, Result,
};

/// Hyper-parameters of adapter training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// What the adapter reads (pooled vector or per-token states).
    #[serde(default)]
    pub kind: Kind,
    /// Rank r of `A` and `B`.
    pub rank: usize,
    /// Train queries generated per type.
    pub per_type: usize,
    /// Validation queries generated per type.
    pub validation_per_type: usize,
    /// Most passes over the train rows.
    pub epochs: usize,
    /// Epochs without a better validation score before stopping.
    pub patience: usize,
    /// Rows per optimisation step.
    pub batch: usize,
    /// AdamW learning rate.
    pub lr: f64,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// Temperature τ of the softmax over cosines.
    pub temperature: f32,
    /// Weight of the multi-graded term.
    pub graded_weight: f32,
    /// Seed of query generation (and so of the splits), initialisation and shuffling.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            kind: Kind::Pooled,
            rank: DEFAULT_RANK,
            per_type: 1500,
            validation_per_type: 100,
            epochs: 30,
            patience: 3,
            batch: 128,
            lr: 3e-3,
            weight_decay: 1e-4,
            temperature: 0.05,
            graded_weight: 0.5,
            seed: 42,
        }
    }
}

/// Train an adapter named `name` for the retriever's catalog. `cache`: a folder for the
/// query-vector cache.
pub fn train(
    retriever: &Retriever,
    backbone: &dyn Embedder,
    name: &str,
    opts: TrainOptions,
    cache: Option<&Path>,
    progress: bool,
) -> Result<QueryAdapter> {
    super::files::validate_name(name)?;
    if opts.rank == 0 || opts.rank > backbone.dim() || opts.batch == 0 {
        return Err(Error::Invalid(format!(
            "adapter rank must be 1..={} and the batch at least 1",
            backbone.dim()
        )));
    }
    if !retriever.has_vectors() || retriever.vectorless() > 0 {
        return Err(Error::Invalid(format!(
            "catalog `{}` is not fully indexed: run `reco catalog index {}` first",
            retriever.catalog(),
            retriever.catalog()
        )));
    }
    let started = Instant::now();
    let data = prepare(retriever, backbone, &opts, cache, progress)?;
    let prepared_s = started.elapsed().as_secs_f64();
    let d = backbone.dim();
    let mut manifest = Manifest {
        format: FORMAT,
        name: name.to_string(),
        catalog: retriever.catalog().to_string(),
        backbone: backbone.id().to_string(),
        backbone_checksum: backbone.checksum(),
        kind: opts.kind,
        dim: d,
        rank: opts.rank,
        train: opts,
        data_hash: data.data_hash.clone(),
        weights_sha256: String::new(),
        queries: BTreeMap::from([
            ("train".to_string(), data.rows.len()),
            ("validation".to_string(), data.validation.len()),
        ]),
        fusion: FusionWeights {
            dense: Weights::default().dense,
            lexical: Weights::default().lexical,
        },
        metrics: BTreeMap::new(),
        created_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs()),
    };
    let valid = Validation::new(retriever, &data);
    let base = valid.score(retriever, None, Mode::Dense, Weights::default())?;
    let fit = fit(retriever, &data, &manifest, &valid, base, progress)?;
    let mut adapter = fit.adapter;
    manifest.metrics.insert("epochs".into(), fit.epochs as f64);
    for (e, (loss, score)) in fit.history.iter().enumerate() {
        let e = e + 1;
        manifest.metrics.insert(format!("epoch_{e:02}_loss"), *loss);
        manifest
            .metrics
            .insert(format!("epoch_{e:02}_validation_dense"), *score);
    }
    manifest
        .metrics
        .insert("best_epoch".into(), fit.best_epoch as f64);
    manifest
        .metrics
        .insert("validation_dense_base".into(), base);
    manifest
        .metrics
        .insert("validation_dense_adapted".into(), fit.best);
    let (weights, fused) = tune_fusion(retriever, &valid, &adapter)?;
    manifest.fusion = weights;
    manifest
        .metrics
        .insert("validation_fused_adapted".into(), fused);
    let fused_base = valid.score(retriever, None, Mode::Fused, Weights::default())?;
    manifest
        .metrics
        .insert("validation_fused_base".into(), fused_base);
    manifest.metrics.insert("prepare_s".into(), prepared_s);
    manifest
        .metrics
        .insert("train_s".into(), started.elapsed().as_secs_f64());
    let (a, b, u) = adapter.weights();
    adapter = QueryAdapter::new(manifest, a.to_vec(), b.to_vec(), u.to_vec())?;
    Ok(adapter)
}

/// What [`fit`] found.
struct Fit {
    adapter: QueryAdapter,
    best: f64,
    best_epoch: usize,
    epochs: usize,
    /// Per epoch: the running training loss at its end and the validation score.
    history: Vec<(f64, f64)>,
}

/// The optimisation loop with early stopping.
fn fit(
    retriever: &Retriever,
    data: &Prepared,
    manifest: &Manifest,
    valid: &Validation,
    base: f64,
    progress: bool,
) -> Result<Fit> {
    let opts = manifest.train;
    let (d, r) = (manifest.dim, opts.rank);
    let dev = Device::Cpu;
    let n_items = retriever.items().len();
    let mut flat = Vec::with_capacity(n_items * d);
    for i in 0..n_items {
        flat.extend_from_slice(retriever.vector(i).unwrap_or(&[]));
    }
    let items = Tensor::from_vec(flat, (n_items, d), &dev)?;
    let inputs = match opts.kind {
        Kind::Pooled => Inputs::Pooled(Tensor::from_vec(
            data.train_vectors.clone(),
            (data.train.len(), d),
            &dev,
        )?),
        Kind::Token => Inputs::Tokens(&data.train_tokens),
    };
    let batches = Batches::new(data, retriever);
    let mut rng = SplitMix64::new(opts.seed);
    let params = Params::init(opts.kind, d, r, &mut rng)?;
    let mut opt = AdamW::new(
        params.vars(),
        ParamsAdamW {
            lr: opts.lr,
            weight_decay: opts.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let mut best = (base, 0usize, params.snapshot(manifest)?);
    let steps = data.rows.len().div_ceil(opts.batch);
    let bar = crate::progress::bar(
        progress,
        (opts.epochs * steps) as u64,
        "training [{bar:30}] {pos}/{len} steps, {msg}",
        "",
    );
    let mut epochs = 0;
    let mut history = Vec::new();
    let mut order: Vec<usize> = (0..data.rows.len()).collect();
    for epoch in 1..=opts.epochs {
        epochs = epoch;
        rng.shuffle(&mut order);
        let mut running = 0.0f64;
        for (s, chunk) in order.chunks(opts.batch).enumerate() {
            let q = params.forward(&inputs, &batches.queries(chunk))?;
            let loss = batches.loss(chunk, &q, &items, &opts)?;
            opt.backward_step(&loss)?;
            let l = f64::from(loss.to_scalar::<f32>()?);
            running = if s == 0 { l } else { 0.95 * running + 0.05 * l };
            bar.set_message(format!(
                "epoch {epoch}, loss {running:.4}, validation {:.4} (base {base:.4})",
                best.0
            ));
            bar.inc(1);
        }
        let current = params.snapshot(manifest)?;
        let score = valid.score(retriever, Some(&current), Mode::Dense, Weights::default())?;
        if progress {
            bar.println(format!(
                "epoch {epoch}: loss {running:.4}, validation {score:.4} (base {base:.4}, best {:.4} at epoch {})",
                best.0.max(score),
                if score > best.0 + 1e-4 { epoch } else { best.1 }
            ));
        }
        history.push((running, score));
        if score > best.0 + 1e-4 {
            best = (score, epoch, current);
        } else if epoch - best.1 >= opts.patience {
            break;
        }
    }
    bar.finish_and_clear();
    Ok(Fit {
        adapter: best.2,
        best: best.0,
        best_epoch: best.1,
        epochs,
        history,
    })
}

/// The backbone's vectors of `texts`, read from `cache` when it holds them (keyed by the
/// backbone and every text), else embedded in batches over the backbone's sessions and
/// written there.
pub fn embed_cached(
    backbone: &dyn Embedder,
    texts: &[String],
    cache: Option<&Path>,
    progress: bool,
) -> Result<Vec<f32>> {
    let d = backbone.dim();
    let mut parts: Vec<&[u8]> = vec![backbone.id().as_bytes()];
    let sum = backbone.checksum();
    parts.push(sum.as_bytes());
    parts.extend(texts.iter().map(|t| t.as_bytes()));
    let file = cache.map(|c| c.join(format!("queries-{}.safetensors", super::fnv_hex(&parts))));
    if let Some(f) = file.as_ref().filter(|f| f.exists()) {
        let t = candle_core::safetensors::load(f, &Device::Cpu)?;
        if let Some(v) = t.get("vectors").filter(|v| v.dims() == [texts.len(), d]) {
            return Ok(v.flatten_all()?.to_vec1()?);
        }
    }
    let bar = crate::progress::bar(
        progress,
        texts.len() as u64,
        "embedding queries [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        "",
    );
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = crate::embed::embed_batches(backbone, &refs, 64, &|n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    let flat: Vec<f32> = vectors.into_iter().flatten().collect();
    if flat.len() != texts.len() * d {
        return Err(Error::embed(
            "the backbone returned vectors of the wrong size",
        ));
    }
    if let Some(f) = &file {
        if let Some(dir) = f.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let t = Tensor::from_vec(flat.clone(), (texts.len(), d), &Device::Cpu)?;
        candle_core::safetensors::save(&std::collections::HashMap::from([("vectors", t)]), f)?;
    }
    Ok(flat)
}
