//! Configuration in two stages: an optional TOML file (every field optional) read into
//! [`RawConfig`], then validated into [`Config`], which is passed down by reference.
//!
//! Where reco keeps its data: `RECO_HOME` if set, else `$XDG_DATA_HOME/reco` (usually
//! `~/.local/share/reco`). Inside it: `models/` (fetched model files), `db/` (the sled store),
//! and an optional `config.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Error, Result};

/// The config file as written by a user: everything optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Where fetched models live (default `<home>/models`).
    pub models_dir: Option<PathBuf>,
    /// Where the sled database lives (default `<home>/db`).
    pub db_path: Option<PathBuf>,
    /// The catalog used when none is named (default `games`, the embedded demo catalog).
    pub default_catalog: Option<String>,
    /// Embedding sessions run side by side for bulk work such as indexing (default: the
    /// number of cores); single queries always use one session with one thread, which is
    /// fastest per query.
    pub embed_threads: Option<usize>,
    /// A local generation model (GGUF file or safetensors directory) instead of the default.
    pub model: Option<PathBuf>,
    /// Largest number of tokens one answer may generate (default 160).
    pub max_tokens: Option<usize>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// reco's data directory.
    pub home: PathBuf,
    /// Fetched model files.
    pub models_dir: PathBuf,
    /// The sled database directory.
    pub db_path: PathBuf,
    /// Catalog used when none is named.
    pub default_catalog: String,
    /// Embedding sessions for bulk work (one thread each).
    pub embed_threads: usize,
    /// User-chosen generation model, if any.
    pub model: Option<PathBuf>,
    /// Token limit per answer.
    pub max_tokens: usize,
}

impl Config {
    /// The data directory: `RECO_HOME`, else the XDG data dir + `reco`.
    pub fn default_home() -> Result<PathBuf> {
        if let Some(h) = std::env::var_os("RECO_HOME").filter(|h| !h.is_empty()) {
            return Ok(PathBuf::from(h));
        }
        dirs::data_dir()
            .map(|d| d.join("reco"))
            .ok_or_else(|| Error::Config("no data directory found: set RECO_HOME".into()))
    }

    /// Load `<home>/config.toml` (or `explicit`, which must exist) and validate it.
    pub fn load(home: Option<&Path>, explicit: Option<&Path>) -> Result<Self> {
        let home = match home {
            Some(h) => h.to_path_buf(),
            None => Self::default_home()?,
        };
        let file = explicit.map_or_else(|| home.join("config.toml"), Path::to_path_buf);
        let raw = match std::fs::read_to_string(&file) {
            Ok(text) => toml::from_str::<RawConfig>(&text)
                .map_err(|e| Error::Config(format!("{}: {e}", file.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                RawConfig::default()
            }
            Err(e) => return Err(Error::io(file, e)),
        };
        Self::validate(home, raw)
    }

    /// Turn a raw config into a validated one.
    pub fn validate(home: PathBuf, raw: RawConfig) -> Result<Self> {
        let embed_threads = raw.embed_threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        if embed_threads == 0 || embed_threads > 256 {
            return Err(Error::Config(format!(
                "embed_threads must be 1..=256, got {embed_threads}"
            )));
        }
        let max_tokens = raw.max_tokens.unwrap_or(160);
        if !(16..=4096).contains(&max_tokens) {
            return Err(Error::Config(format!(
                "max_tokens must be 16..=4096, got {max_tokens}"
            )));
        }
        let default_catalog = raw.default_catalog.unwrap_or_else(|| "games".into());
        crate::store::validate_catalog_name(&default_catalog)?;
        Ok(Self {
            models_dir: raw.models_dir.unwrap_or_else(|| home.join("models")),
            db_path: raw.db_path.unwrap_or_else(|| home.join("db")),
            home,
            default_catalog,
            embed_threads,
            model: raw.model,
            max_tokens,
        })
    }

    /// A config rooted at `home` with every default (tests, benchmarks).
    pub fn at(home: impl Into<PathBuf>) -> Result<Self> {
        Self::validate(home.into(), RawConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let c = Config::at("/x").expect("defaults are valid");
        assert_eq!(c.models_dir, PathBuf::from("/x/models"));
        assert_eq!(c.default_catalog, "games");
        let bad = RawConfig {
            embed_threads: Some(0),
            ..RawConfig::default()
        };
        assert!(Config::validate("/x".into(), bad).is_err());
        let e = toml::from_str::<RawConfig>("nonsense = 1").expect_err("unknown field");
        assert!(e.to_string().contains("nonsense"));
    }
}
