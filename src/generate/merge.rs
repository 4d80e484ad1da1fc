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
    let key = cache_key(model, lora)?;
    let stem = model
        .file_stem()
        .map_or_else(|| "model".into(), |s| s.to_string_lossy().into_owned());
    let out = cache.join(format!("{stem}+lora-{key}.gguf"));
    if out.is_file() {
        return Ok(out);
    }
    let deltas = read_deltas(model, lora)?;
    std::fs::create_dir_all(cache).map_err(|e| Error::io(cache, e))?;
    let tmp = cache.join(format!(".{stem}+lora-{key}.{}.part", std::process::id()));
    write_merged(model, lora, &arch, &deltas, &tmp).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    std::fs::rename(&tmp, &out).map_err(|e| Error::io(&out, e))?;
    Ok(out)
}

/// sha256 over the adapter's two files and the model file's path, length and modification
/// time (hashing a 500 MB model on every start would cost seconds); 16 hex digits.
fn cache_key(model: &Path, lora: &Path) -> Result<String> {
    let mut h = Sha256::new();
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
    Ok(h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Per GGUF tensor name (`blk.3.attn_q.weight`), the delta `s·B·A` as an (out, in) tensor.
fn read_deltas(model: &Path, lora: &Path) -> Result<HashMap<String, Tensor>> {
    let config = read_config(&lora.join(FILES[0]))?;
    if config.fan_in_fan_out {
        return Err(refuse(
            model,
            lora,
            "fan_in_fan_out adapters are not supported",
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
    let mut pairs: HashMap<String, (Option<Tensor>, Option<Tensor>)> = HashMap::new();
    for (name, t) in tensors {
        let (target, is_a) = parse_key(&name).ok_or_else(|| {
            refuse(
                model,
                lora,
                format!(
                    "tensor `{name}` is not a LoRA A or B of a known projection (known: {})",
                    MODULES.map(|m| m.0).join(", ")
                ),
            )
        })?;
        let slot = pairs.entry(target).or_default();
        if is_a {
            slot.0 = Some(t);
        } else {
            slot.1 = Some(t);
        }
    }
    let mut out = HashMap::new();
    for (target, pair) in pairs {
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
        let delta = (b.matmul(&a).map_err(bad)? * scale).map_err(bad)?;
        out.insert(target, delta);
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
    deltas: &HashMap<String, Tensor>,
    to: &Path,
) -> Result<()> {
    let f = File::open(model).map_err(|e| Error::io(model, e))?;
    let mut r = BufReader::new(f);
    let bad = |e: candle_core::Error| refuse(model, lora, e);
    let content = gguf_file::Content::read(&mut r).map_err(bad)?;
    if let Some(missing) = deltas
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
            .and_then(|v| v.to_u32().ok())
            .map(|v| v as usize)
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
        let q = match deltas.get(name) {
            None => q,
            Some(delta) => {
                let w = q.dequantize(&Device::Cpu).map_err(bad)?;
                if w.dims() != delta.dims() {
                    return Err(refuse(
                        model,
                        lora,
                        format!(
                            "`{name}` is {:?} in the model but {:?} in the adapter",
                            w.dims(),
                            delta.dims()
                        ),
                    ));
                }
                let delta = match (
                    arch,
                    name.ends_with("attn_q.weight"),
                    name.ends_with("attn_k.weight"),
                ) {
                    ("llama", true, _) => permute_rows(delta, heads.unwrap_or(1)).map_err(bad)?,
                    ("llama", _, true) => {
                        permute_rows(delta, kv_heads.or(heads).unwrap_or(1)).map_err(bad)?
                    }
                    _ => delta.clone(),
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
            parse_key("base_model.model.model.layers.1.self_attn.qkv_proj.lora_A.weight"),
            None
        );
    }

    #[test]
    fn permutation_matches_llama_cpp() {
        // 2 heads of 4 rows: llama.cpp reorders each head's rows [0 1 2 3] as [0 2 1 3].
        let rows: Vec<f32> = (0..8).map(|x| x as f32).collect();
        let t = Tensor::from_vec(rows, (8, 1), &Device::Cpu).expect("t");
        let p: Vec<f32> = permute_rows(&t, 2)
            .expect("permute")
            .flatten_all()
            .expect("flat")
            .to_vec1()
            .expect("vec");
        assert_eq!(p, vec![0., 2., 1., 3., 4., 6., 5., 7.]);
    }
}
