//! Generation adapters: PEFT LoRA folders a catalog can name. In: a PEFT folder. Out: a checked
//! copy under the catalog's adapter folder. Merging one into a model is [`super::merge`];
//! [`super::MistralGenerator::load_adapted`] loads the merged model.
//!
//! Files: `<home>/adapters/<catalog>/lora/<name>/{adapter_config.json,
//! adapter_model.safetensors}` (what PEFT's `save_pretrained` writes), brought in with
//! `reco adapter import-lora DIR --name NAME --catalog C` and chosen with
//! `reco adapter use NAME --generation --catalog C`.

use std::path::{Path, PathBuf};

use crate::{adapter::files::validate_name, Error, Result};

/// The PEFT files an adapter folder must hold.
pub const FILES: [&str; 2] = ["adapter_config.json", "adapter_model.safetensors"];

/// The folder of a catalog's generation adapters.
fn root(home: &Path, catalog: &str) -> PathBuf {
    home.join("adapters").join(catalog).join("lora")
}

/// The folder of generation adapter `name` of `catalog`, which must exist and hold the PEFT
/// files.
///
/// # Errors
/// [`Error::NotFound`] naming the folder and the file missing.
pub fn dir(home: &Path, catalog: &str, name: &str) -> Result<PathBuf> {
    validate_name(name)?;
    let d = root(home, catalog).join(name);
    for f in FILES {
        if !d.join(f).is_file() {
            return Err(Error::NotFound(format!(
                "generation adapter `{name}` of `{catalog}`: {} is missing (bring one with `reco adapter import-lora DIR --name {name} --catalog {catalog}`)",
                d.join(f).display()
            )));
        }
    }
    Ok(d)
}

/// Names of a catalog's generation adapters, sorted.
///
/// # Errors
/// [`Error::Io`] when the folder exists but cannot be read.
pub fn list(home: &Path, catalog: &str) -> Result<Vec<String>> {
    let r = root(home, catalog);
    let entries = match std::fs::read_dir(&r) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&r, e)),
    };
    let mut out: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter(|e| FILES.iter().all(|f| e.path().join(f).is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}

/// Copy a PEFT folder in as generation adapter `name` of `catalog`; its config is checked
/// (rank `r`, `lora_alpha`, `target_modules`) first.
///
/// # Errors
/// [`Error::Invalid`] for a folder that is not a PEFT LoRA adapter; [`Error::Io`].
pub fn import(home: &Path, catalog: &str, name: &str, from: &Path) -> Result<PathBuf> {
    validate_name(name)?;
    for f in FILES {
        if !from.join(f).is_file() {
            return Err(Error::Invalid(format!(
                "{}: not a PEFT LoRA folder ({f} is missing)",
                from.display()
            )));
        }
    }
    check_config(&from.join(FILES[0]))?;
    let to = root(home, catalog).join(name);
    std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
    for f in FILES {
        std::fs::copy(from.join(f), to.join(f)).map_err(|e| Error::io(to.join(f), e))?;
    }
    Ok(to)
}

/// Delete generation adapter `name` of `catalog`; whether it existed.
///
/// # Errors
/// [`Error::Io`] when it cannot be removed.
pub fn remove(home: &Path, catalog: &str, name: &str) -> Result<bool> {
    validate_name(name)?;
    let d = root(home, catalog).join(name);
    if !d.exists() {
        return Ok(false);
    }
    std::fs::remove_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    Ok(true)
}

/// What merging reads from PEFT's `adapter_config.json`.
#[derive(Debug, serde::Deserialize)]
pub struct PeftConfig {
    /// Rank.
    pub r: usize,
    /// Scale numerator: the delta is `lora_alpha / r · B·A` (`/ √r` with rsLoRA).
    pub lora_alpha: f64,
    /// Module names the adapter targets.
    pub target_modules: Vec<String>,
    /// rsLoRA scaling.
    #[serde(default)]
    pub use_rslora: bool,
    /// Weights stored transposed (GPT-2 style); not supported.
    #[serde(default)]
    pub fan_in_fan_out: bool,
    /// Per-module ranks; not supported when not empty.
    #[serde(default)]
    pub rank_pattern: serde_json::Map<String, serde_json::Value>,
    /// Per-module alphas; not supported when not empty.
    #[serde(default)]
    pub alpha_pattern: serde_json::Map<String, serde_json::Value>,
}

/// Read and check a PEFT `adapter_config.json`.
///
/// # Errors
/// [`Error::Invalid`] naming the file when it is not a LoRA config; [`Error::Io`].
pub fn read_config(path: &Path) -> Result<PeftConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let c: PeftConfig = serde_json::from_str(&text).map_err(|e| {
        Error::Invalid(format!(
            "{}: not a LoRA adapter config (needs r, lora_alpha, target_modules as a list): {e}",
            path.display()
        ))
    })?;
    if c.r == 0 || c.target_modules.is_empty() || !c.lora_alpha.is_finite() {
        return Err(Error::Invalid(format!(
            "{}: rank 0, no target modules or a non-finite alpha",
            path.display()
        )));
    }
    Ok(c)
}

fn check_config(path: &Path) -> Result<()> {
    read_config(path).map(|_| ())
}
