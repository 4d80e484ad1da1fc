//! Fitting the intent head (see the parent module): one or more heads trained with candle,
//! merged into one MLP.

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

use super::{FeatureSpec, IntentModel, Manifest, Sample, TrainOptions, OUTPUTS};
use crate::{rng::SplitMix64, Error, Result};

/// One head's weights: w1 (d × h), b1 (h), w2 (h × OUTPUTS), b2 (OUTPUTS), row-major.
struct Head {
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
}

impl IntentModel {
    /// Train on `samples` (feature rows of `spec`): `opts.ensemble` heads, merged into one
    /// MLP whose logits are the mean of theirs.
    pub fn train(
        samples: &[Sample],
        spec: FeatureSpec,
        opts: TrainOptions,
        backbone: &str,
        data_hash: String,
        examples: BTreeMap<String, usize>,
    ) -> Result<Self> {
        if samples.is_empty() {
            return Err(Error::Invalid("no training examples".into()));
        }
        let d = spec.width();
        let m = opts.ensemble.max(1);
        let data = Data::new(samples, d, opts.balance)?;
        let heads = (0..m)
            .map(|k| {
                let seed = opts.seed.wrapping_add(k as u64);
                fit_head(&data, d, TrainOptions { seed, ..opts })
            })
            .collect::<Result<Vec<Head>>>()?;
        let h = opts.hidden;
        let mut w1 = Vec::with_capacity(d * h * m);
        for i in 0..d {
            for head in &heads {
                w1.extend_from_slice(&head.w1[i * h..(i + 1) * h]);
            }
        }
        let scale = 1.0 / m as f32;
        let mut b2 = vec![0f32; OUTPUTS];
        for head in &heads {
            for (o, b) in b2.iter_mut().zip(&head.b2) {
                *o += b * scale;
            }
        }
        Ok(Self {
            manifest: Manifest {
                backbone: backbone.to_string(),
                spec,
                inputs: d,
                train: opts,
                data_hash,
                examples,
                metrics: BTreeMap::new(),
            },
            w1,
            b1: heads.iter().flat_map(|x| x.b1.iter().copied()).collect(),
            w2: heads
                .iter()
                .flat_map(|x| x.w2.iter().map(move |w| w * scale))
                .collect(),
            b2,
        })
    }
}

/// The training data as tensors, built once for every head.
struct Data {
    /// All feature rows, one matrix.
    x: Tensor,
    /// Each sample's rows, `r_max` per sample (padding repeats its row 0).
    idx: Tensor,
    /// Targets, samples × OUTPUTS.
    y: Tensor,
    /// Positive-class weights, 1 × OUTPUTS.
    pos_w: Tensor,
    n: usize,
    r_max: usize,
}

impl Data {
    fn new(samples: &[Sample], d: usize, balance: f32) -> Result<Self> {
        let dev = Device::Cpu;
        let mut flat: Vec<f32> = Vec::new();
        let mut gather: Vec<u32> = Vec::new();
        let r_max = samples.iter().map(|s| s.rows.len()).max().unwrap_or(1);
        let mut n_rows = 0u32;
        for s in samples {
            let first = n_rows;
            for r in &s.rows {
                if r.len() != d {
                    return Err(Error::Invalid(format!(
                        "feature row of width {} where {d} was expected",
                        r.len()
                    )));
                }
                flat.extend_from_slice(r);
                n_rows += 1;
            }
            for k in 0..r_max {
                gather.push(if k < s.rows.len() {
                    first + k as u32
                } else {
                    first
                });
            }
        }
        let n = samples.len();
        let y: Vec<f32> = samples.iter().flat_map(|s| s.target).collect();
        // Positive weights: (negatives / positives)^balance per output, at most 8.
        let mut pos_w = [1f32; OUTPUTS];
        for (o, w) in pos_w.iter_mut().enumerate() {
            let p = samples.iter().filter(|s| s.target[o] > 0.5).count().max(1) as f32;
            *w = ((n as f32 - p).max(1.0) / p).powf(balance).min(8.0);
        }
        Ok(Self {
            x: Tensor::from_vec(flat, (n_rows as usize, d), &dev)?,
            idx: Tensor::from_vec(gather, n * r_max, &dev)?,
            y: Tensor::from_vec(y, (n, OUTPUTS), &dev)?,
            pos_w: Tensor::from_vec(pos_w.to_vec(), (1, OUTPUTS), &dev)?,
            n,
            r_max,
        })
    }
}

/// Fit one head (`opts.hidden` units, `opts.seed`) on rows of width `d`.
fn fit_head(data: &Data, d: usize, opts: TrainOptions) -> Result<Head> {
    let h = opts.hidden;
    let dev = Device::Cpu;
    let Data {
        x,
        idx,
        y,
        pos_w,
        n,
        r_max,
    } = data;
    let (n, r_max) = (*n, *r_max);
    let mut rng = SplitMix64::new(opts.seed);
    let mut init = |rows: usize, cols: usize| -> Result<Var> {
        let bound = (6.0 / (rows + cols) as f64).sqrt();
        let v: Vec<f32> = (0..rows * cols)
            .map(|_| ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * bound)
            .map(|x| x as f32)
            .collect();
        Ok(Var::from_tensor(&Tensor::from_vec(v, (rows, cols), &dev)?)?)
    };
    let w1 = init(d, h)?;
    let w2 = init(h, OUTPUTS)?;
    let b1 = Var::from_tensor(&Tensor::zeros(h, DType::F32, &dev)?)?;
    let b2 = Var::from_tensor(&Tensor::zeros(OUTPUTS, DType::F32, &dev)?)?;
    let mut opt = AdamW::new(
        vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()],
        ParamsAdamW {
            lr: opts.lr,
            weight_decay: opts.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let softplus = |t: &Tensor| -> candle_core::Result<Tensor> {
        // log(1 + e^t), stable: relu(t) + log(1 + e^-|t|)
        t.relu()? + t.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?
    };
    for _ in 0..opts.epochs {
        let hid = x
            .matmul(w1.as_tensor())?
            .broadcast_add(b1.as_tensor())?
            .relu()?;
        let z = hid.matmul(w2.as_tensor())?.broadcast_add(b2.as_tensor())?;
        let z = z
            .index_select(idx, 0)?
            .reshape((n, r_max, OUTPUTS))?
            .max(1)?;
        // -[w·y·log σ(z) + (1−y)·log σ(−z)] = w·y·softplus(−z) + (1−y)·softplus(z)
        let pos = y.broadcast_mul(pos_w)?.mul(&softplus(&z.neg()?)?)?;
        let neg = y.affine(-1.0, 1.0)?.mul(&softplus(&z)?)?;
        let loss = (pos + neg)?.sum(D::Minus1)?.mean_all()?;
        opt.backward_step(&loss)?;
    }
    let v = |t: &Var| -> Result<Vec<f32>> { Ok(t.as_tensor().flatten_all()?.to_vec1::<f32>()?) };
    Ok(Head {
        w1: v(&w1)?,
        b1: v(&b1)?,
        w2: v(&w2)?,
        b2: v(&b2)?,
    })
}
