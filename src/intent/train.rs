//! Turning labelled examples into training samples (feature rows + targets) with one
//! embedding cache, and training / cross-validating the head on them.

use std::collections::{BTreeMap, HashMap};

use super::{
    data::Example,
    features::{self, Augmentation, FeatureSpec, TurnContext},
    model::{IntentModel, Sample, TrainOptions, OUTPUTS},
    Intent,
};
use crate::{embed::Embedder, retrieve::Retriever, Result};

/// Embeds texts once per run, in batches, with progress; optionally keeps the vectors in a
/// cache file between runs (keyed by a hash of the text and the backbone id).
pub struct Featurizer<'a> {
    embedder: &'a dyn Embedder,
    cache: HashMap<String, Vec<f32>>,
    progress: bool,
    file: Option<std::path::PathBuf>,
    stored: HashMap<u64, Vec<f32>>,
}

impl std::fmt::Debug for Featurizer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Featurizer")
            .field("cached", &self.cache.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Featurizer<'a> {
    /// A featurizer over `embedder`.
    #[must_use]
    pub fn new(embedder: &'a dyn Embedder, progress: bool) -> Self {
        Self {
            embedder,
            cache: HashMap::new(),
            progress,
            file: None,
            stored: HashMap::new(),
        }
    }

    /// Keep embeddings in `path` between runs (read now, written by [`Featurizer::save`]).
    /// A missing or unreadable file starts an empty cache.
    #[must_use]
    pub fn with_cache_file(mut self, path: std::path::PathBuf) -> Self {
        let dim = self.embedder.dim();
        if let Ok(bytes) = std::fs::read(&path) {
            for rec in bytes.chunks_exact(8 + 4 * dim) {
                let key = u64::from_le_bytes(rec[..8].try_into().unwrap_or_default());
                let v = rec[8..]
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                self.stored.insert(key, v);
            }
        }
        self.file = Some(path);
        self
    }

    fn key(&self, text: &str) -> u64 {
        crate::rng::hash_str(text, crate::rng::hash_str(self.embedder.id(), 0))
    }

    /// Write the cache file (if one was given).
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let mut all: std::collections::BTreeMap<u64, &Vec<f32>> =
            self.stored.iter().map(|(k, v)| (*k, v)).collect();
        for (t, v) in &self.cache {
            all.insert(self.key(t), v);
        }
        let mut bytes = Vec::with_capacity(all.len() * (8 + 4 * self.embedder.dim()));
        for (k, v) in all {
            bytes.extend_from_slice(&k.to_le_bytes());
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
        }
        std::fs::write(path, bytes).map_err(|e| crate::Error::io(path, e))
    }

    /// Embed every text not yet cached (batches spread over the embedder's sessions).
    fn warm<'t>(&mut self, texts: impl Iterator<Item = &'t str>) -> Result<()> {
        let mut todo: Vec<&str> = Vec::new();
        for t in texts {
            if t.trim().is_empty() || self.cache.contains_key(t) {
                continue;
            }
            match self.stored.get(&self.key(t)) {
                Some(v) => {
                    self.cache.insert(t.to_string(), v.clone());
                }
                None => todo.push(t),
            }
        }
        todo.sort_unstable();
        todo.dedup();
        if todo.is_empty() {
            return Ok(());
        }
        let bar = crate::progress::bar(
            self.progress,
            todo.len() as u64,
            "embedding {msg} [{bar:30}] {pos}/{len} {per_sec}",
            "turns",
        );
        let vectors =
            crate::embed::embed_batches(self.embedder, &todo, 64, &|n| bar.inc(n as u64))?;
        bar.finish_and_clear();
        for (t, v) in todo.iter().zip(vectors) {
            self.cache.insert((*t).to_string(), v);
        }
        Ok(())
    }

    fn get(&self, text: &str) -> Vec<f32> {
        self.cache.get(text).cloned().unwrap_or_default()
    }

    /// Feature rows of each example; `catalog_of` names the catalog used for augmentation.
    pub fn rows<'c>(
        &mut self,
        examples: &[Example],
        spec: FeatureSpec,
        catalog_of: &dyn Fn(&Example) -> Option<&'c Retriever>,
    ) -> Result<Vec<Vec<Vec<f32>>>> {
        self.warm(
            examples
                .iter()
                .flat_map(|e| [e.text.as_str(), e.prev.as_str()]),
        )?;
        let augs: Vec<Augmentation> = examples
            .iter()
            .map(|e| match catalog_of(e) {
                Some(c) if spec.augmentation => {
                    features::augment(c, &e.text, &e.prev, &self.get(&e.text))
                }
                _ => Augmentation::default(),
            })
            .collect();
        let texts: Vec<Vec<String>> = examples
            .iter()
            .zip(&augs)
            .map(|(e, a)| features::row_texts(spec, &e.text, a))
            .collect();
        self.warm(texts.iter().flatten().map(String::as_str))?;
        Ok(examples
            .iter()
            .zip(&augs)
            .zip(&texts)
            .map(|((e, a), t)| {
                let ctx = TurnContext {
                    text: &e.text,
                    prev: &e.prev,
                    cards: e.cards,
                    position: e.position,
                };
                let vecs: Vec<Vec<f32>> = t.iter().map(|x| self.get(x)).collect();
                features::rows(spec, &ctx, a, t, &vecs, &self.get(&e.prev))
            })
            .collect())
    }
}

/// Targets of an example: 16 sub-intents then 4 top levels.
#[must_use]
pub fn target(e: &Example) -> [f32; OUTPUTS] {
    let mut t = [0f32; OUTPUTS];
    for &s in &e.sub {
        t[s] = 1.0;
    }
    for &x in &e.top {
        t[16 + x] = 1.0;
    }
    t
}

/// FNV-1a hash of the examples (text, context, position, labels), as hex.
#[must_use]
pub fn data_hash(examples: &[Example]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in examples {
        let key = format!(
            "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{:?}\n",
            e.text, e.prev, e.cards, e.position, e.sub, e.top
        );
        for b in key.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Train on `examples`.
pub fn train<'c>(
    fz: &mut Featurizer<'_>,
    examples: &[Example],
    spec: FeatureSpec,
    opts: TrainOptions,
    catalog_of: &dyn Fn(&Example) -> Option<&'c Retriever>,
) -> Result<IntentModel> {
    let rows = fz.rows(examples, spec, catalog_of)?;
    let samples: Vec<Sample> = rows
        .into_iter()
        .zip(examples)
        .map(|(rows, e)| Sample {
            rows,
            target: target(e),
        })
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in examples {
        *counts.entry(e.domain.clone()).or_default() += 1;
    }
    IntentModel::train(
        &samples,
        spec,
        opts,
        fz.embedder.id(),
        data_hash(examples),
        counts,
    )
}

/// Predict every example with `model`.
pub fn predict<'c>(
    fz: &mut Featurizer<'_>,
    model: &IntentModel,
    examples: &[Example],
    catalog_of: &dyn Fn(&Example) -> Option<&'c Retriever>,
) -> Result<Vec<Intent>> {
    let rows = fz.rows(examples, model.manifest.spec, catalog_of)?;
    Ok(rows.iter().map(|r| model.classify(r)).collect())
}

/// The fold (0..k) of a dialogue, from a stable hash of its id.
#[must_use]
pub fn fold_of(group: &str, k: usize) -> usize {
    (crate::rng::hash_str(group, 0x1a2d) % k.max(1) as u64) as usize
}

/// Dialogue-level k-fold cross-validation: each fold of `held` is predicted by a model
/// trained on `always` plus the other folds (a dialogue is never scored by a model that saw
/// it). Returns predictions in the order of `held`.
pub fn cross_validate<'c>(
    fz: &mut Featurizer<'_>,
    always: &[Example],
    held: &[Example],
    k: usize,
    spec: FeatureSpec,
    opts: TrainOptions,
    catalog_of: &dyn Fn(&Example) -> Option<&'c Retriever>,
) -> Result<Vec<Intent>> {
    let mut out: Vec<Option<Intent>> = vec![None; held.len()];
    for f in 0..k {
        let mut train_set: Vec<Example> = always.to_vec();
        train_set.extend(held.iter().filter(|e| fold_of(&e.group, k) != f).cloned());
        let test: Vec<(usize, &Example)> = held
            .iter()
            .enumerate()
            .filter(|(_, e)| fold_of(&e.group, k) == f)
            .collect();
        if test.is_empty() {
            continue;
        }
        let model = train(fz, &train_set, spec, opts, catalog_of)?;
        let test_ex: Vec<Example> = test.iter().map(|(_, e)| (*e).clone()).collect();
        for ((i, _), p) in test.iter().zip(predict(fz, &model, &test_ex, catalog_of)?) {
            out[*i] = Some(p);
        }
    }
    Ok(out
        .into_iter()
        .map(|p| p.unwrap_or_else(|| Intent::from_probs([0.0; 4], [0.0; 16])))
        .collect())
}
