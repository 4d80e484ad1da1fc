//! Merging a PEFT LoRA adapter into a GGUF model file. In: a GGUF file, a PEFT folder
//! (`adapter_config.json`, `adapter_model.safetensors`), a cache folder. Out: a GGUF file whose
//! targeted weights are `W + s·B·A` (s = `lora_alpha / r`, or `/ √r` with rsLoRA), written once
//! per (model, adapter) and reused.
//!
//! Why reco merges itself: in mistral.rs 0.8.1 a GGUF LoRA loads without effect
//! (`QLoraLinear::merge_weights` drops the merged weights that `add_delta_w` returns and then
//! marks the layer merged, so the base weights are used) and panics on any projection the
//! adapter does not target; its safetensors LoRA path finds adapters only through a model-hub
//! cache; and the default model (qwen2) is not among its GGUF LoRA architectures at all. A
//! merged file is an ordinary GGUF: it loads with the plain loader, at full speed.
//!
//! Each targeted tensor is dequantised, the delta added in f32, and quantised back to the
//! tensor's own type. llama-architecture GGUF files store `attn_q` / `attn_k` with their rows
//! permuted for rotary embeddings (llama.cpp's converter), so for `llama` the delta's rows are
//! permuted the same way; qwen2 / qwen3 files are not permuted.

use std::{
    collections::HashMap,
    fs::File,
    io::{BufReader, BufWriter},
    path::{Path, PathBuf},
};

use candle_core::{
    quantized::{gguf_file, QTensor},
    Device, Tensor,
};
use sha2::{Digest, Sha256};

use super::lora::{read_config, FILES};
use crate::{Error, Result};

/// Changes whenever the merge itself changes, so that files merged by an older reco are not
/// reused (it is part of the cache key).
const MERGE_VERSION: &str = "reco-merge-1";

/// Distinguishes temporary files of merges running at once in one process.
static MERGES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// GGUF architectures whose projection names and layouts are known here.
pub const ARCHITECTURES: &[&str] = &["llama", "qwen2", "qwen3"];

/// PEFT module name → GGUF tensor name inside `blk.N.`.
const MODULES: [(&str, &str); 7] = [
    ("q_proj", "attn_q"),
    ("k_proj", "attn_k"),
    ("v_proj", "attn_v"),
    ("o_proj", "attn_output"),
    ("gate_proj", "ffn_gate"),
    ("up_proj", "ffn_up"),
    ("down_proj", "ffn_down"),
];

fn refuse(model: &Path, lora: &Path, why: impl std::fmt::Display) -> Error {
    Error::generate(format!(
        "cannot merge the generation adapter {} into {}: {why}",
        lora.display(),
        model.display()
    ))
}

/// The merged GGUF file for `model` + the adapter in `lora`, made under `cache` if it is not
/// there yet (written to a temporary name and renamed, so a half-written file is never used).
///
/// # Errors
/// [`Error::Generate`] naming the model and the adapter: an architecture or module this does
/// not know, tensors of the wrong shape, a layer the model does not have; [`Error::Io`].
pub fn merged(model: &Path, lora: &Path, cache: &Path) -> Result<PathBuf> {
    let arch = check_model(model, lora)?;
    let key = cache_key(model, lora)?;
    let stem = model
        .file_stem()
        .map_or_else(|| "model".into(), |s| s.to_string_lossy().into_owned());
    let out = cache.join(format!("{stem}+lora-{key}.gguf"));
    if out.is_file() {
        return Ok(out);
    }
    let pairs = read_pairs(model, lora)?;
    std::fs::create_dir_all(cache).map_err(|e| Error::io(cache, e))?;
    let n = MERGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = cache.join(format!(
        ".{stem}+lora-{key}.{}-{n}.part",
        std::process::id()
    ));
    write_merged(model, lora, &arch, &pairs, &tmp).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    std::fs::rename(&tmp, &out).map_err(|e| Error::io(&out, e))?;
    Ok(out)
}

/// Check that an adapter can be merged into `model` (a GGUF file of a known architecture);
/// its architecture.
///
/// # Errors
/// [`Error::Generate`] naming the model and the adapter folder.
pub fn check_model(model: &Path, lora: &Path) -> Result<String> {
    if !model.is_file() {
        return Err(refuse(
            model,
            lora,
            "adapters are merged into GGUF model files only",
        ));
    }
    let arch = super::gguf_architecture(model)?;
    if !ARCHITECTURES.contains(&arch.as_str()) {
        return Err(refuse(
            model,
            lora,
            format!(
                "its architecture `{arch}` is not one whose layout reco knows ({})",
                ARCHITECTURES.join(", ")
            ),
        ));
    }
    Ok(arch)
}

/// sha256 over the adapter's two files and the model file's path, length and modification
/// time (hashing a 500 MB model on every start would cost seconds); 16 hex digits.
fn cache_key(model: &Path, lora: &Path) -> Result<String> {
    let mut h = Sha256::new();
    h.update(MERGE_VERSION.as_bytes());
    for f in FILES {
        let p = lora.join(f);
        h.update(std::fs::read(&p).map_err(|e| Error::io(&p, e))?);
    }
    let canon = model.canonicalize().map_err(|e| Error::io(model, e))?;
    let meta = std::fs::metadata(&canon).map_err(|e| Error::io(&canon, e))?;
    h.update(canon.to_string_lossy().as_bytes());
    h.update(meta.len().to_le_bytes());
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    h.update(mtime.to_le_bytes());
    Ok(hex::encode(&h.finalize()[..8]))
}

/// One targeted tensor's adapter: `A` (r × in), `B` (out × r), both f32, and the scale.
struct Pair {
    a: Tensor,
    b: Tensor,
    scale: f64,
}

impl Pair {
    /// `s·B·A`, (out, in); computed per tensor while writing, so the deltas of the whole model
    /// are never in memory at once.
    fn delta(&self) -> candle_core::Result<Tensor> {
        self.b.matmul(&self.a)? * self.scale
    }
}

/// Per GGUF tensor name (`blk.3.attn_q.weight`), the adapter's A and B.
fn read_pairs(model: &Path, lora: &Path) -> Result<HashMap<String, Pair>> {
    let config = read_config(&lora.join(FILES[0]))?;
    if config.fan_in_fan_out {
        return Err(refuse(
            model,
            lora,
            "fan_in_fan_out adapters are not supported",
        ));
    }
    if !config.rank_pattern.is_empty() || !config.alpha_pattern.is_empty() {
        return Err(refuse(
            model,
            lora,
            "adapters with a per-module rank_pattern or alpha_pattern are not supported",
        ));
    }
    let scale = if config.use_rslora {
        config.lora_alpha / (config.r as f64).sqrt()
    } else {
        config.lora_alpha / config.r as f64
    };
    let weights = lora.join(FILES[1]);
    let tensors = candle_core::safetensors::load(&weights, &Device::Cpu)
        .map_err(|e| refuse(model, lora, format!("{}: {e}", weights.display())))?;
    let mut halves: HashMap<String, (Option<Tensor>, Option<Tensor>)> = HashMap::new();
    for (name, t) in tensors {
        let (target, is_a) = parse_key(&name).ok_or_else(|| {
            refuse(
                model,
                lora,
                format!(
                    "tensor `{name}` is not the LoRA A or B weight of a known projection (known: {})",
                    MODULES.map(|m| m.0).join(", ")
                ),
            )
        })?;
        let slot = halves.entry(target.clone()).or_default();
        let half = if is_a { &mut slot.0 } else { &mut slot.1 };
        if half.replace(t).is_some() {
            return Err(refuse(
                model,
                lora,
                format!(
                    "`{target}` has two {} tensors",
                    if is_a { "lora_A" } else { "lora_B" }
                ),
            ));
        }
    }
    let mut out = HashMap::new();
    for (target, pair) in halves {
        let (Some(a), Some(b)) = pair else {
            return Err(refuse(
                model,
                lora,
                format!("`{target}` has lora_A or lora_B but not both"),
            ));
        };
        let bad = |e: candle_core::Error| refuse(model, lora, format!("`{target}`: {e}"));
        let a = a.to_dtype(candle_core::DType::F32).map_err(bad)?;
        let b = b.to_dtype(candle_core::DType::F32).map_err(bad)?;
        let (ra, rb) = (a.dims()[0], b.dims().get(1).copied().unwrap_or(0));
        if a.rank() != 2 || b.rank() != 2 || ra != config.r || rb != config.r {
            return Err(refuse(
                model,
                lora,
                format!(
                    "`{target}`: A is {:?} and B is {:?}, but the config says rank {}",
                    a.dims(),
                    b.dims(),
                    config.r
                ),
            ));
        }
        out.insert(target, Pair { a, b, scale });
    }
    if out.is_empty() {
        return Err(refuse(model, lora, "the adapter holds no LoRA tensors"));
    }
    Ok(out)
}

/// `base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight` (an adapter name such as
/// `.default` before `.weight` is allowed) → (`blk.3.attn_q.weight`, is A).
fn parse_key(name: &str) -> Option<(String, bool)> {
    let rest = &name[name.find("layers.")? + "layers.".len()..];
    let (layer, rest) = rest.split_once('.')?;
    let layer: usize = layer.parse().ok()?;
    let (module_path, ab) = rest.split_once(".lora_")?;
    let module = module_path.rsplit('.').next()?;
    if !ab.ends_with(".weight") {
        return None;
    }
    let is_a = match ab.split('.').next()? {
        "A" => true,
        "B" => false,
        _ => return None,
    };
    let gguf = MODULES.iter().find(|(m, _)| *m == module)?.1;
    Some((format!("blk.{layer}.{gguf}.weight"), is_a))
}

/// Rows of a q or k delta reordered as llama.cpp's converter reorders them for `heads` heads.
fn permute_rows(delta: &Tensor, heads: usize) -> candle_core::Result<Tensor> {
    let (out, inp) = delta.dims2()?;
    delta
        .reshape((heads, 2, out / heads / 2, inp))?
        .transpose(1, 2)?
        .contiguous()?
        .reshape((out, inp))
}

fn write_merged(
    model: &Path,
    lora: &Path,
    arch: &str,
    pairs: &HashMap<String, Pair>,
    to: &Path,
) -> Result<()> {
    let f = File::open(model).map_err(|e| Error::io(model, e))?;
    let mut r = BufReader::new(f);
    let bad = |e: candle_core::Error| refuse(model, lora, e);
    let content = gguf_file::Content::read(&mut r).map_err(bad)?;
    if let Some(missing) = pairs
        .keys()
        .find(|k| !content.tensor_infos.contains_key(*k))
    {
        return Err(refuse(
            model,
            lora,
            format!("the model has no tensor `{missing}`"),
        ));
    }
    let head = |k: &str| -> Option<usize> {
        content
            .metadata
            .get(&format!("{arch}.attention.{k}"))
            .and_then(|v| v.to_u64().ok())
            .and_then(|v| usize::try_from(v).ok())
            .filter(|v| *v > 0)
    };
    let (heads, kv_heads) = (head("head_count"), head("head_count_kv"));
    let mut names: Vec<(&String, u64)> = content
        .tensor_infos
        .iter()
        .map(|(n, i)| (n, i.offset))
        .collect();
    names.sort_by_key(|(_, o)| *o);
    let mut tensors: Vec<(String, QTensor)> = Vec::with_capacity(names.len());
    for (name, _) in names {
        let q = content.tensor(&mut r, name, &Device::Cpu).map_err(bad)?;
        let q = match pairs.get(name) {
            None => q,
            Some(pair) => {
                let w = q.dequantize(&Device::Cpu).map_err(bad)?;
                let shape = [pair.b.dims()[0], pair.a.dims()[1]];
                if w.dims() != shape {
                    return Err(refuse(
                        model,
                        lora,
                        format!(
                            "`{name}` is {:?} in the model but {shape:?} in the adapter",
                            w.dims()
                        ),
                    ));
                }
                let delta = pair.delta().map_err(bad)?;
                let q_or_k = name.ends_with("attn_q.weight") || name.ends_with("attn_k.weight");
                let delta = if arch == "llama" && q_or_k {
                    let n = if name.ends_with("attn_q.weight") {
                        heads
                    } else {
                        kv_heads.or(heads)
                    };
                    let n = n.ok_or_else(|| {
                        refuse(
                            model,
                            lora,
                            format!("the model does not say its number of attention heads ({arch}.attention.head_count), which permuting `{name}` needs"),
                        )
                    })?;
                    permute_rows(&delta, n).map_err(bad)?
                } else {
                    delta
                };
                let merged = (w + delta).map_err(bad)?;
                QTensor::quantize(&merged, q.dtype()).map_err(bad)?
            }
        };
        tensors.push((name.clone(), q));
    }
    // general.* first: readers that stop at the first array (reco's own architecture probe)
    // find `general.architecture`; the writer aligns to 32 bytes, so a stated alignment goes.
    let mut meta: Vec<(&str, &gguf_file::Value)> = content
        .metadata
        .iter()
        .filter(|(k, _)| k.as_str() != "general.alignment")
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    meta.sort_by_key(|(k, _)| {
        (
            !k.starts_with("general."),
            *k != "general.architecture",
            k.to_string(),
        )
    });
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let file = File::create(to).map_err(|e| Error::io(to, e))?;
    let mut w = BufWriter::new(file);
    gguf_file::write(&mut w, &meta, &refs).map_err(bad)?;
    let file = w.into_inner().map_err(|e| Error::io(to, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(to, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peft_keys_map_to_gguf_tensors() {
        assert_eq!(
            parse_key("base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight"),
            Some(("blk.3.attn_q.weight".into(), true))
        );
        assert_eq!(
            parse_key("base_model.model.model.layers.12.mlp.down_proj.lora_B.default.weight"),
            Some(("blk.12.ffn_down.weight".into(), false))
        );
        assert_eq!(parse_key("base_model.model.lm_head.lora_A.weight"), None);
        assert_eq!(
            parse_key("base_model.model.model.layers.0.self_attn.q_proj.lora_B.bias"),
            None
        );
        assert_eq!(
            parse_key("base_model.model.model.layers.1.self_attn.qkv_proj.lora_A.weight"),
            None
        );
    }

    #[test]
    fn permutation_matches_llama_cpp() {
        // llama.cpp: w.reshape(heads, 2, rows / heads / 2, in).swapaxes(1, 2).reshape(w.shape):
        // a head's first half (real parts) and second half interleave. 2 heads of 8 rows
        // (a head of 4 rows would not show the direction: that permutation is its own inverse).
        let rows: Vec<f32> = (0..16).map(|x| x as f32).collect();
        let t = Tensor::from_vec(rows, (16, 1), &Device::Cpu).expect("t");
        let p: Vec<f32> = permute_rows(&t, 2)
            .expect("permute")
            .flatten_all()
            .expect("flat")
            .to_vec1()
            .expect("vec");
        let want = [0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15];
        assert_eq!(p, want.map(|x| x as f32).to_vec());
    }
}
