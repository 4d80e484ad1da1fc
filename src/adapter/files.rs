//! Adapter folders and the registry of a catalog's adapters.
//!
//! Layout: `<home>/adapters/<catalog>/<name>/` holds `weights.safetensors` (tensors `a`,
//! r × d, and `b`, d × r, f32) and `manifest.json` ([`Manifest`]). User-trained adapters live
//! in the data directory, beside the database they were trained from; the repository's
//! `adapters/` folder holds only what reco ships compiled in (the intent model).
//!
//! Loading checks, in order: the manifest parses and has this [`FORMAT`]; the weights file's
//! sha256 equals the manifest's (a truncated or edited file is refused as corrupt); the
//! safetensors parse and have the manifest's shapes and finite values; the manifest's catalog
//! is the one asked for; and, against the running backbone, its id, checksum and dimension.
//! Every refusal names the folder and what to do.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use candle_core::{DType, Device, Tensor};
use sha2::Digest;

use super::{Kind, Manifest, QueryAdapter, FORMAT};
use crate::{embed::Embedder, store::validate_catalog_name, Error, Result};

/// Weights file name.
pub const WEIGHTS: &str = "weights.safetensors";
/// Manifest file name.
pub const MANIFEST: &str = "manifest.json";

/// One adapter folder found by [`Registry::list`].
#[derive(Debug, Clone)]
pub struct AdapterInfo {
    /// Folder name.
    pub name: String,
    /// The folder.
    pub path: PathBuf,
    /// Its manifest, when it could be read.
    pub manifest: Option<Manifest>,
    /// Why it cannot be used, if it cannot.
    pub problem: Option<String>,
}

/// The adapters under `<home>/adapters`.
#[derive(Debug, Clone)]
pub struct Registry {
    root: PathBuf,
}

/// Check an adapter name: the rules of catalog names (it is a folder name).
///
/// # Errors
/// [`Error::Invalid`] naming the rule.
pub fn validate_name(name: &str) -> Result<()> {
    validate_catalog_name(name).map_err(|_| {
        Error::Invalid(format!(
            "adapter name `{name}`: use 1-64 characters from a-z, 0-9, '-' and '_'"
        ))
    })
}

impl Registry {
    /// The registry of the data directory `home`.
    #[must_use]
    pub fn new(home: &Path) -> Self {
        Self {
            root: home.join("adapters"),
        }
    }

    /// The folder of adapter `name` of `catalog` (whether or not it exists).
    #[must_use]
    pub fn dir(&self, catalog: &str, name: &str) -> PathBuf {
        self.root.join(catalog).join(name)
    }

    /// A catalog's adapter folders, sorted by name, each checked (not against a backbone).
    ///
    /// # Errors
    /// [`Error::Io`] when the catalog's folder exists but cannot be read.
    pub fn list(&self, catalog: &str) -> Result<Vec<AdapterInfo>> {
        let dir = self.root.join(catalog);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut out = Vec::new();
        for e in entries {
            let e = e.map_err(|x| Error::io(&dir, x))?;
            let path = e.path();
            if !path.join(MANIFEST).exists() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let (manifest, problem) = match load(&path) {
                Ok(a) => (Some(a.manifest), None),
                Err(err) => (read_manifest(&path).ok(), Some(err.to_string())),
            };
            out.push(AdapterInfo {
                name,
                path,
                manifest,
                problem,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Load adapter `name` of `catalog` and check it against the running backbone.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no such adapter (naming the ones there are);
    /// [`Error::Invalid`] for a corrupt adapter or one made for another backbone or catalog.
    pub fn load(&self, catalog: &str, name: &str, backbone: &dyn Embedder) -> Result<QueryAdapter> {
        validate_name(name)?;
        let dir = self.dir(catalog, name);
        if !dir.join(MANIFEST).exists() {
            let names: Vec<String> = self.list(catalog)?.into_iter().map(|a| a.name).collect();
            return Err(Error::NotFound(format!(
                "adapter `{name}` of catalog `{catalog}` (no {}; adapters of `{catalog}`: {}; train one with `reco adapter train --catalog {catalog} --name {name}`)",
                dir.join(MANIFEST).display(),
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            )));
        }
        let a = load(&dir)?;
        check(&a, &dir, catalog, backbone)?;
        Ok(a)
    }

    /// Write an adapter into its folder (replacing an older one of the same name).
    ///
    /// # Errors
    /// [`Error::Io`] when the folder cannot be written.
    pub fn save(&self, adapter: &QueryAdapter) -> Result<PathBuf> {
        let m = &adapter.manifest;
        validate_name(&m.name)?;
        let dir = self.dir(&m.catalog, &m.name);
        save(adapter, &dir)?;
        Ok(dir)
    }

    /// Delete adapter `name` of `catalog`; whether it existed.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder cannot be removed.
    pub fn remove(&self, catalog: &str, name: &str) -> Result<bool> {
        validate_name(name)?;
        let dir = self.dir(catalog, name);
        if !dir.exists() {
            return Ok(false);
        }
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(true)
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Write `weights.safetensors` and `manifest.json` (with the weights' sha256) into `dir`,
/// through a temporary folder renamed into place, so a crash leaves the old adapter or the
/// new one, never half of each.
///
/// # Errors
/// [`Error::Io`] or [`Error::Tensor`] when writing fails.
pub fn save(adapter: &QueryAdapter, dir: &Path) -> Result<()> {
    let m = &adapter.manifest;
    let (a, b, u) = adapter.weights();
    let dev = Device::Cpu;
    let mut tensors: BTreeMap<String, Tensor> = BTreeMap::from([
        (
            "a".to_string(),
            Tensor::from_vec(a.to_vec(), (m.rank, m.dim), &dev)?,
        ),
        (
            "b".to_string(),
            Tensor::from_vec(b.to_vec(), (m.dim, m.rank), &dev)?,
        ),
    ]);
    if !u.is_empty() {
        tensors.insert(
            "u".to_string(),
            Tensor::from_vec(u.to_vec(), (1, m.dim), &dev)?,
        );
    }
    let parent = dir
        .parent()
        .ok_or_else(|| Error::Invalid(format!("{}: not an adapter folder", dir.display())))?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = parent.join(format!(".{}.tmp", m.name));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let w = tmp.join(WEIGHTS);
    candle_core::safetensors::save(&tensors.into_iter().collect(), &w)?;
    let bytes = std::fs::read(&w).map_err(|e| Error::io(&w, e))?;
    let mut manifest = m.clone();
    manifest.weights_sha256 = sha256_hex(&bytes);
    let mf = tmp.join(MANIFEST);
    std::fs::write(&mf, serde_json::to_string_pretty(&manifest)? + "\n")
        .map_err(|e| Error::io(&mf, e))?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::rename(&tmp, dir).map_err(|e| Error::io(dir, e))?;
    Ok(())
}

fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Invalid(format!("{}: not an adapter manifest: {e}", path.display())))
}

/// Load the adapter in `dir`, checking the file itself (not the backbone: see [`check`]).
///
/// # Errors
/// [`Error::Invalid`] naming the file for a manifest of another format, weights whose sha256
/// differs from the manifest's (corrupt), or weights of the wrong shape.
pub fn load(dir: &Path) -> Result<QueryAdapter> {
    let manifest = read_manifest(dir)?;
    if manifest.format != FORMAT {
        return Err(Error::Invalid(format!(
            "{}: adapter format {} (this reco reads format {FORMAT}): retrain it",
            dir.display(),
            manifest.format
        )));
    }
    let path = dir.join(WEIGHTS);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let sum = sha256_hex(&bytes);
    if sum != manifest.weights_sha256 {
        return Err(Error::Invalid(format!(
            "{}: corrupt adapter weights (sha256 {sum}, the manifest says {}): retrain or remove it with `reco adapter remove {} --catalog {}`",
            path.display(),
            manifest.weights_sha256,
            manifest.name,
            manifest.catalog
        )));
    }
    let corrupt = |what: String| {
        Error::Invalid(format!(
            "{}: corrupt adapter weights: {what}",
            path.display()
        ))
    };
    let t = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)
        .map_err(|e| corrupt(e.to_string()))?;
    let get = |name: &str, shape: (usize, usize)| -> Result<Vec<f32>> {
        let x = t
            .get(name)
            .ok_or_else(|| corrupt(format!("no tensor `{name}`")))?;
        if x.dims() != [shape.0, shape.1] {
            return Err(corrupt(format!(
                "tensor `{name}` is {:?}, expected {shape:?}",
                x.dims()
            )));
        }
        Ok(x.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?)
    };
    let (d, r) = (manifest.dim, manifest.rank);
    let a = get("a", (r, d))?;
    let b = get("b", (d, r))?;
    let u = match manifest.kind {
        Kind::Pooled => Vec::new(),
        Kind::Token => get("u", (1, d))?,
    };
    QueryAdapter::new(manifest, a, b, u).map_err(|e| corrupt(e.to_string()))
}

/// Check that an adapter fits `catalog` and the running backbone.
///
/// # Errors
/// [`Error::Invalid`] naming the folder, what differs, and what to do.
pub fn check(a: &QueryAdapter, dir: &Path, catalog: &str, backbone: &dyn Embedder) -> Result<()> {
    let m = &a.manifest;
    let refuse = |what: String| {
        Err(Error::Invalid(format!(
            "adapter {}: {what}; retrain it with `reco adapter train --catalog {catalog} --name {}`",
            dir.display(),
            m.name
        )))
    };
    if m.catalog != catalog {
        return refuse(format!("made for catalog `{}`, not `{catalog}`", m.catalog));
    }
    if m.backbone != backbone.id() {
        return refuse(format!(
            "made for backbone `{}`, but the running backbone is `{}`",
            m.backbone,
            backbone.id()
        ));
    }
    let sum = backbone.checksum();
    if m.backbone_checksum != sum {
        return refuse(format!(
            "made for another copy of `{}` (checksum {}, the running model's is {sum})",
            m.backbone, m.backbone_checksum
        ));
    }
    if m.dim != backbone.dim() {
        return refuse(format!(
            "made for {}-dimensional vectors, the backbone gives {}",
            m.dim,
            backbone.dim()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{adapter::tests::manifest, embed::HashEmbedder};

    fn adapter(dim: usize) -> QueryAdapter {
        let mut m = manifest(dim, 2);
        let e = HashEmbedder::new(dim);
        m.backbone = e.id().to_string();
        m.backbone_checksum = e.checksum();
        let a: Vec<f32> = (0..2 * dim).map(|i| i as f32 / 100.0).collect();
        QueryAdapter::new(m, a, vec![0.01; 2 * dim], vec![]).expect("adapter")
    }

    #[test]
    fn round_trip_and_refusals() {
        let home = tempfile::tempdir().expect("dir");
        let reg = Registry::new(home.path());
        let a = adapter(8);
        let dir = reg.save(&a).expect("save");
        let e = HashEmbedder::new(8);
        let back = reg.load("c", "t", &e).expect("load");
        assert_eq!(back.weights(), a.weights());
        assert_eq!(reg.list("c").expect("list").len(), 1);
        // Another backbone, another dimension, another catalog.
        let other = HashEmbedder::new(16);
        let err = reg.load("c", "t", &other).expect_err("dimension");
        assert!(err.to_string().contains("backbone"), "{err}");
        assert!(check(&back, &dir, "d", &e).is_err());
        // A missing adapter names the ones there are.
        let err = reg.load("c", "nope", &e).expect_err("missing").to_string();
        assert!(err.contains("adapters of `c`: t"), "{err}");
        // Corrupt weights: one byte changed.
        let w = dir.join(WEIGHTS);
        let mut bytes = std::fs::read(&w).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        std::fs::write(&w, &bytes).expect("write");
        let err = reg.load("c", "t", &e).expect_err("corrupt").to_string();
        assert!(err.contains("corrupt adapter weights"), "{err}");
        assert!(reg.list("c").expect("list")[0].problem.is_some());
        assert!(reg.remove("c", "t").expect("remove"));
        assert!(!reg.remove("c", "t").expect("again"));
        assert!(validate_name("../x").is_err());
    }

    #[test]
    fn token_adapters_keep_u_and_old_manifests_read_as_pooled() {
        let home = tempfile::tempdir().expect("dir");
        let reg = Registry::new(home.path());
        let pooled = adapter(8);
        let mut m = pooled.manifest.clone();
        m.kind = Kind::Token;
        let (a, b, _) = pooled.weights();
        let u: Vec<f32> = (0..8).map(|i| i as f32 / 10.0).collect();
        let token = QueryAdapter::new(m, a.to_vec(), b.to_vec(), u).expect("token adapter");
        reg.save(&token).expect("save");
        let e = HashEmbedder::new(8);
        let back = reg.load("c", "t", &e).expect("load");
        assert_eq!(back.weights(), token.weights());
        assert!(back.needs_tokens());
        // A manifest without `kind` (written before kinds existed) is a pooled adapter.
        let dir = reg.save(&pooled).expect("save pooled");
        let mf = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&mf).expect("read");
        let old = text.replace("\"kind\": \"pooled\",", "");
        assert_ne!(old, text);
        std::fs::write(&mf, old).expect("write");
        let back = reg.load("c", "t", &e).expect("old manifest");
        assert!(!back.needs_tokens());
        assert_eq!(back.weights(), pooled.weights());
    }
}
