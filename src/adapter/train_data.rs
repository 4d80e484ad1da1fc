//! Training data of a query adapter, built from a catalog alone.
//!
//! In: a [`Retriever`] (items and their stored vectors), the backbone, the options. Out:
//! [`Prepared`]: the generated train and validation queries, their vectors (the backbone's,
//! of the text left after filters are parsed, as [`crate::retrieve::Searcher`] embeds it;
//! cached on disk, so a second training run embeds nothing), and per train query a fixed row
//! of [`SLOTS`] graded items: the positive, 7 hard negatives mined from base retrieval, and up
//! to 8 more graded items for the multi-graded term.
//!
//! Mining runs the product's own search (filters and exclusions included) without adapter,
//! in dense and in fused mode, 50 deep each. A hard negative is a mined item graded 0 or 1;
//! items graded 2 (they meet every condition) are never negatives, only ranked below the
//! target by the graded term. Items held out as validation or test targets never appear in
//! any row. There are no in-batch negatives.

use std::path::Path;

use rayon::prelude::*;

use super::{fnv_hex, train::TrainOptions, Kind};
use crate::{
    embed::{embed_token_batches, Embedder, TokenStates},
    eval::queries::{generate_split, item_split, GradeContext, Query, Split},
    retrieve::{Mode, Retriever, SearchOptions},
    rng::SplitMix64,
    Error, Result,
};

/// Hard negatives per query (RecLM-emb found 7 best).
pub const NEGATIVES: usize = 7;
/// Extra graded items per query for the multi-graded term.
pub const EXTRAS: usize = 8;
/// Items per training row: positive, negatives, extras.
pub const SLOTS: usize = 1 + NEGATIVES + EXTRAS;
/// How deep each mining search goes.
const MINE_DEPTH: usize = 50;

/// One training row: the query's vector row and its graded items (`None`: padding).
#[derive(Debug, Clone)]
pub struct Row {
    /// Row of the query in [`Prepared::train_vectors`].
    pub query: usize,
    /// (item index, grade 0–3) per slot; slot 0 is the positive, 1..=7 the hard negatives.
    pub slots: [Option<(u32, u8)>; SLOTS],
}

/// Everything training needs.
#[derive(Debug)]
pub struct Prepared {
    /// Train queries (only those that gave a row are kept in `rows`).
    pub train: Vec<Query>,
    /// Their vectors, row-major.
    pub train_vectors: Vec<f32>,
    /// Their per-token states (token adapters only; empty otherwise).
    pub train_tokens: Vec<TokenStates>,
    /// One row per usable train query.
    pub rows: Vec<Row>,
    /// Validation queries.
    pub validation: Vec<Query>,
    /// Their vectors, row-major.
    pub validation_vectors: Vec<f32>,
    /// Their per-token states (token adapters only; empty otherwise).
    pub validation_tokens: Vec<TokenStates>,
    /// FNV hash of the texts, rows and backbone.
    pub data_hash: String,
}

/// Generate, embed (or read from `cache`), mine and grade.
pub fn prepare(
    retriever: &Retriever,
    backbone: &dyn Embedder,
    opts: &TrainOptions,
    cache: Option<&Path>,
    progress: bool,
) -> Result<Prepared> {
    let items = retriever.items();
    let train = generate_split(items, opts.per_type, opts.seed, Split::Train).queries;
    let validation = generate_split(
        items,
        opts.validation_per_type,
        opts.seed,
        Split::Validation,
    )
    .queries;
    if train.is_empty() || validation.is_empty() {
        return Err(Error::Invalid(format!(
            "catalog `{}` gave no training or validation queries ({} items): an adapter needs a catalog with titles and labels",
            retriever.catalog(),
            items.len()
        )));
    }
    let texts: Vec<String> = train
        .iter()
        .chain(&validation)
        .map(|q| retriever.parse(&q.text).map(|p| p.text))
        .collect::<Result<_>>()?;
    let vectors = super::train::embed_cached(backbone, &texts, cache, progress)?;
    let d = backbone.dim();
    let (tv, vv) = vectors.split_at(train.len() * d);
    let rows = mine(retriever, &train, tv, opts, progress)?;
    let mut parts: Vec<Vec<u8>> = vec![
        backbone.id().as_bytes().to_vec(),
        backbone.checksum().into_bytes(),
    ];
    parts.extend(texts.iter().map(|t| t.as_bytes().to_vec()));
    for r in &rows {
        let mut b = r.query.to_le_bytes().to_vec();
        for (i, g) in r.slots.iter().flatten() {
            b.extend_from_slice(&i.to_le_bytes());
            b.push(*g);
        }
        parts.push(b);
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let mut train_tokens = match opts.kind {
        Kind::Pooled => Vec::new(),
        Kind::Token => token_states(backbone, &texts, progress)?,
    };
    let validation_tokens = train_tokens.split_off(train_tokens.len().min(train.len()));
    Ok(Prepared {
        train_vectors: tv.to_vec(),
        validation_vectors: vv.to_vec(),
        train_tokens,
        validation_tokens,
        train,
        rows,
        validation,
        data_hash: fnv_hex(&refs),
    })
}

/// The backbone's per-token states of `texts`, with a progress bar. Not cached: they are about
/// 40 times the size of the pooled vectors.
fn token_states(
    backbone: &dyn Embedder,
    texts: &[String],
    progress: bool,
) -> Result<Vec<TokenStates>> {
    let bar = crate::progress::bar(
        progress,
        texts.len() as u64,
        "reading token states [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        "",
    );
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let states = embed_token_batches(backbone, &refs, 64, &|n| bar.inc(n as u64))?;
    bar.finish_and_clear();
    if states.len() != texts.len() || states.iter().any(|s| s.len == 0) {
        return Err(Error::embed(
            "the backbone gave no token states for some queries",
        ));
    }
    Ok(states)
}

/// One row per train query: the positive, hard negatives and graded extras (see module doc).
fn mine(
    r: &Retriever,
    train: &[Query],
    vectors: &[f32],
    opts: &TrainOptions,
    progress: bool,
) -> Result<Vec<Row>> {
    let items = r.items();
    let ctx = GradeContext::new(items);
    let d = vectors.len() / train.len().max(1);
    let usable: Vec<bool> = items
        .iter()
        .map(|it| item_split(&it.id, opts.seed) == Split::Train)
        .collect();
    let bar = crate::progress::bar(
        progress,
        train.len() as u64,
        "mining hard negatives [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
        "",
    );
    let rows: Vec<Option<Row>> = train
        .par_iter()
        .enumerate()
        .map(|(qi, q)| -> Result<Option<Row>> {
            let qv = &vectors[qi * d..(qi + 1) * d];
            let parsed = r.parse(&q.text)?;
            let mut mined: Vec<usize> = Vec::new();
            for mode in [Mode::Dense, Mode::Fused] {
                let o = SearchOptions {
                    k: MINE_DEPTH,
                    mode,
                    exclude: q.exclude.iter().cloned().collect(),
                    ..SearchOptions::default()
                };
                for h in r.search_parsed(parsed.clone(), Some(qv), &o)?.hits {
                    if usable[h.index] && !mined.contains(&h.index) {
                        mined.push(h.index);
                    }
                }
            }
            let mut rng = SplitMix64::new(opts.seed ^ (qi as u64).wrapping_mul(0x9E37));
            let row = row_for(q, qi, &mined, &usable, &ctx, &mut rng);
            bar.inc(1);
            Ok(row)
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    Ok(rows.into_iter().flatten().collect())
}

/// The row of one query from its mined items (rank order), or `None` without a positive.
fn row_for(
    q: &Query,
    qi: usize,
    mined: &[usize],
    usable: &[bool],
    ctx: &GradeContext<'_>,
    rng: &mut SplitMix64,
) -> Option<Row> {
    let items = ctx.items();
    let graded: Vec<(usize, u8)> = mined
        .iter()
        .map(|&i| (i, q.grade(&items[i], ctx)))
        .collect();
    let positive = match &q.target {
        Some(t) => ctx.index_of(t).filter(|&i| usable[i])?,
        None => graded
            .iter()
            .find(|x| x.1 >= 2)
            .map(|x| x.0)
            .or_else(|| scan(q, usable, ctx, rng, |g| g >= 2))?,
    };
    let mut slots: [Option<(u32, u8)>; SLOTS] = [None; SLOTS];
    let idx = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    slots[0] = Some((idx(positive), q.grade(&items[positive], ctx)));
    let mut used = vec![positive];
    let mut n = 1;
    for &(i, g) in graded.iter().filter(|x| x.1 <= 1) {
        if n > NEGATIVES {
            break;
        }
        slots[n] = Some((idx(i), g));
        used.push(i);
        n += 1;
    }
    while n <= NEGATIVES {
        let i = scan(q, usable, ctx, rng, |g| g == 0)?;
        if !used.contains(&i) {
            slots[n] = Some((idx(i), 0));
            used.push(i);
            n += 1;
        }
    }
    let extras = graded
        .iter()
        .filter(|x| x.1 == 2 && !used.contains(&x.0))
        .take(EXTRAS / 2)
        .chain(graded.iter().filter(|x| x.1 == 1 && !used.contains(&x.0)))
        .take(EXTRAS);
    for (k, &(i, g)) in extras.enumerate() {
        slots[1 + NEGATIVES + k] = Some((idx(i), g));
    }
    Some(Row { query: qi, slots })
}

/// A usable item whose grade passes `want`, drawn at random (at most 4,000 draws).
fn scan(
    q: &Query,
    usable: &[bool],
    ctx: &GradeContext<'_>,
    rng: &mut SplitMix64,
    want: impl Fn(u8) -> bool,
) -> Option<usize> {
    let items = ctx.items();
    (0..4000)
        .map(|_| rng.below(items.len()))
        .find(|&i| usable[i] && !q.exclude.contains(&items[i].id) && want(q.grade(&items[i], ctx)))
}
