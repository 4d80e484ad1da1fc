//! Which model to load: a model file and, when the catalog names one, a generation adapter
//! merged into it. In: paths. Out: a loaded [`MistralGenerator`]. Two choices are equal when
//! the same files would be loaded, which is how the chat decides whether switching catalog
//! needs another model.

use std::path::{Path, PathBuf};

use super::{Device, MistralGenerator};
use crate::Result;

/// A model file, and a PEFT adapter folder to merge into it (merged files are kept in `cache`).
/// Equal when the same model and adapter would be loaded, wherever merged files are kept.
#[derive(Debug, Clone)]
pub struct ModelChoice {
    /// The `.gguf` file (or safetensors folder, without an adapter).
    pub path: PathBuf,
    /// The generation adapter's folder, if any.
    pub lora: Option<PathBuf>,
    /// Where merged models are kept.
    pub cache: PathBuf,
}

impl PartialEq for ModelChoice {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.lora == other.lora
    }
}

impl Eq for ModelChoice {}

impl ModelChoice {
    /// The plain model at `path`.
    #[must_use]
    pub fn plain(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            lora: None,
            cache: PathBuf::new(),
        }
    }

    /// What the status line calls it: the file's stem, and `+lora:<adapter>`.
    #[must_use]
    pub fn name(&self) -> String {
        let stem = |p: &Path| {
            p.file_stem()
                .map_or_else(|| "model".into(), |s| s.to_string_lossy().into_owned())
        };
        match &self.lora {
            None => stem(&self.path),
            Some(l) => format!("{}+lora:{}", stem(&self.path), stem(l)),
        }
    }

    /// Load it (merging the adapter first when there is one) on mistral.rs's default device.
    ///
    /// # Errors
    /// What [`MistralGenerator::load`] or [`MistralGenerator::load_adapted`] report.
    pub async fn load(&self) -> Result<MistralGenerator> {
        match &self.lora {
            None => MistralGenerator::load(&self.path).await,
            Some(l) => {
                MistralGenerator::load_adapted(&self.path, Device::Auto, l, &self.cache).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_which_adapter() {
        let mut c = ModelChoice::plain(Path::new("/m/qwen.gguf"));
        assert_eq!(c.name(), "qwen");
        c.lora = Some("/h/adapters/games/lora/terse".into());
        assert_eq!(c.name(), "qwen+lora:terse");
        assert_ne!(c, ModelChoice::plain(Path::new("/m/qwen.gguf")));
        let mut other_cache = ModelChoice::plain(Path::new("/m/qwen.gguf"));
        other_cache.cache = "/elsewhere".into();
        assert_eq!(other_cache, ModelChoice::plain(Path::new("/m/qwen.gguf")));
    }
}
