//! Query adapters on the real backbone and two real Steam slices (catalogs `a` and `b`):
//! training is reproducible, adapters made for another backbone or with corrupt weights are
//! refused, swapping never rebuilds the index, and two catalogs with their own adapters switch
//! back and forth in one process, each giving its own evaluation's results.
//!
//! Training here is small (20 queries per type, 2 epochs) to keep the suite fast; the Steam
//! numbers in docs/ARCHITECTURE.md come from `reco adapter train` and `reco adapter eval`.

use std::sync::{Arc, OnceLock};

use reco::{
    adapter::{files, train, Kind, QueryAdapter, TrainOptions},
    config::Config,
    engine::Engine,
    eval::{
        queries::{generate_split, Split},
        retrieval::{self, Ranker},
    },
    models::Bundle,
    retrieve::{Mode, SearchOptions, Searcher},
    store::CatalogAdapters,
};

use crate::{config_with_models, embedder, import_into, shared_data};

const SLICE: usize = 900;

fn small() -> TrainOptions {
    TrainOptions {
        per_type: 20,
        validation_per_type: 8,
        epochs: 2,
        ..TrainOptions::default()
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

/// Tests that change a catalog's default adapter hold this.
static DEFAULTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn defaults_lock() -> std::sync::MutexGuard<'static, ()> {
    DEFAULTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An engine whose store holds two indexed Steam slices, `a` and `b`.
fn fixture() -> Option<&'static Fixture> {
    static F: OnceLock<Option<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let src = shared_data("steam/steam_games.jsonl")?;
        let dir = tempfile::tempdir().expect("dir");
        let models = config_with_models(&[Bundle::Embedding]);
        let mut config = Config::at(dir.path()).expect("config");
        config.models_dir = models.models_dir.clone();
        let engine = Engine::open(config, false).expect("engine");
        let text = std::fs::read_to_string(src).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for (name, part) in [("a", &lines[..SLICE]), ("b", &lines[SLICE..2 * SLICE])] {
            let file = dir.path().join(format!("{name}.jsonl"));
            std::fs::write(&file, part.join("\n")).expect("write");
            import_into(&engine.store, &file, name);
            let r = reco::retrieve::index::build(&engine.store, name, &*embedder(), false)
                .expect("index");
            assert!(r.embedded >= SLICE - 5);
        }
        Some(Fixture { _dir: dir, engine })
    })
    .as_ref()
}

fn base(f: &Fixture, catalog: &str) -> Searcher {
    f.engine
        .searcher(catalog, embedder())
        .expect("indexed searcher")
}

fn trained(f: &Fixture, catalog: &str, name: &str, opts: TrainOptions) -> QueryAdapter {
    let s = base(f, catalog);
    train::train(&s.retriever, &*s.embedder, name, opts, None, false).expect("train")
}

#[test]
fn training_is_reproducible_with_a_fixed_seed() {
    let Some(f) = fixture() else { return };
    let x = trained(f, "a", "x", small());
    let y = trained(f, "a", "y", small());
    assert_eq!(x.weights(), y.weights(), "same data and seed, same weights");
    assert_eq!(x.manifest.data_hash, y.manifest.data_hash);
    let z = trained(
        f,
        "a",
        "z",
        TrainOptions {
            seed: 43,
            ..small()
        },
    );
    assert_ne!(x.weights(), z.weights(), "another seed, other weights");
    let (_, b, _) = x.weights();
    assert!(b.iter().any(|v| *v != 0.0), "training moved B off zero");

    // Token adapters (per-token states of the backbone) too.
    let token = || TrainOptions {
        kind: Kind::Token,
        ..small()
    };
    let t1 = trained(f, "a", "t1", token());
    let t2 = trained(f, "a", "t2", token());
    assert_eq!(
        t1.weights(),
        t2.weights(),
        "same data and seed, same weights"
    );
    let (_, b, u) = t1.weights();
    assert!(b.iter().any(|v| *v != 0.0) && u.iter().any(|v| *v != 0.0));
    assert_ne!(t1.weights().1, x.weights().1, "another kind, other weights");
    // The searcher reads the backbone's token states for a token adapter.
    let plain = base(f, "a");
    let adapted = plain.with_adapter(Some(Arc::new(t1.clone())));
    let q = "a relaxing farming game with co-op";
    let states = plain.embedder.embed_tokens(&[q]).expect("token states");
    let via_tokens = t1.apply_tokens(&states[0]);
    assert_eq!(adapted.query_vector(q).expect("v"), via_tokens);
    assert_ne!(plain.query_vector(q).expect("v"), via_tokens);
}

#[test]
fn adapters_for_another_backbone_or_with_corrupt_weights_are_refused() {
    let Some(f) = fixture() else { return };
    let reg = f.engine.adapters();
    let good = trained(f, "a", "good", small());
    let dir = reg.save(&good).expect("save");
    reg.load("a", "good", &*embedder()).expect("loads");
    let err = reg
        .load("b", "good", &*embedder())
        .expect_err("other catalog");
    assert!(err.to_string().contains("no "), "{err}");

    let mut other = good.manifest.clone();
    other.name = "other".into();
    other.backbone_checksum = "0".repeat(64);
    let (a, b, u) = good.weights();
    let forged = QueryAdapter::new(other, a.to_vec(), b.to_vec(), u.to_vec()).expect("adapter");
    reg.save(&forged).expect("save");
    let err = reg
        .load("a", "other", &*embedder())
        .expect_err("other backbone")
        .to_string();
    assert!(err.contains("another copy"), "{err}");

    let w = dir.join(files::WEIGHTS);
    let len = std::fs::metadata(&w).expect("meta").len();
    std::fs::write(&w, &std::fs::read(&w).expect("read")[..(len / 2) as usize]).expect("cut");
    let err = reg
        .load("a", "good", &*embedder())
        .expect_err("corrupt")
        .to_string();
    assert!(err.contains("corrupt adapter weights"), "{err}");
}

#[test]
fn swapping_adapters_never_rebuilds_the_index() {
    let Some(f) = fixture() else { return };
    let adapter = Arc::new(trained(f, "a", "swap", small()));
    let before = f.engine.store.vector_hashes("a").expect("hashes");
    let model = f.engine.store.vector_model("a").expect("model");
    let plain = base(f, "a");
    let adapted = plain.with_adapter(Some(Arc::clone(&adapter)));
    assert!(
        Arc::ptr_eq(&plain.retriever, &adapted.retriever),
        "same index in memory"
    );
    assert_eq!(
        adapted.embedder.id(),
        plain.embedder.id(),
        "the vectors' tag is unchanged"
    );
    let opts = SearchOptions::default();
    let q = "a relaxing farming game with co-op";
    let x = plain.search(q, &opts).expect("search");
    let y = adapted.search(q, &opts).expect("search");
    let back = adapted.with_adapter(None).search(q, &opts).expect("search");
    assert_eq!(
        x.hits, back.hits,
        "removing the adapter restores the base ranking"
    );
    assert_ne!(
        plain.query_vector(q).expect("v"),
        adapted.query_vector(q).expect("v")
    );
    let _ = y;
    // Through the engine: the catalog's default adapter is loaded, never re-indexed.
    let _g = defaults_lock();
    f.engine.adapters().save(&adapter).expect("save");
    f.engine
        .store
        .set_catalog_adapters(
            "a",
            CatalogAdapters {
                retrieval: Some("swap".into()),
                generation: None,
            },
        )
        .expect("use");
    let s = f.engine.prepare("a").expect("prepare");
    assert_eq!(s.adapter.as_ref().map(|a| a.name()), Some("swap"));
    let none = f.engine.prepare_with("a", Some("none")).expect("prepare");
    assert!(none.adapter.is_none());
    assert_eq!(f.engine.store.vector_hashes("a").expect("hashes"), before);
    assert_eq!(f.engine.store.vector_model("a").expect("model"), model);
}

/// Test-split report of a searcher against the base ranking of its catalog.
fn report(plain: &Searcher, s: &Searcher, seed: u64) -> retrieval::Report {
    let q = generate_split(plain.retriever.items(), 12, seed, Split::Test).queries;
    let rankers = [
        Ranker::new("base", plain, Mode::Fused),
        Ranker::new("adapted", s, Mode::Fused),
    ];
    retrieval::run(&rankers, &q, false).expect("eval")
}

#[test]
fn two_catalogs_with_their_own_adapters_switch_back_and_forth() {
    let Some(f) = fixture() else { return };
    let _g = defaults_lock();
    let reg = f.engine.adapters();
    let mut own = Vec::new();
    for c in ["a", "b"] {
        let a = trained(f, c, "own", small());
        reg.save(&a).expect("save");
        f.engine
            .store
            .set_catalog_adapters(
                c,
                CatalogAdapters {
                    retrieval: Some("own".into()),
                    generation: None,
                },
            )
            .expect("use");
        let plain = base(f, c);
        let standalone = plain.with_adapter(Some(Arc::new(a)));
        own.push(serde_json::to_value(report(&plain, &standalone, 42).mean).expect("json"));
    }
    let mut seen = [Vec::new(), Vec::new()];
    for round in 0..2 {
        for (i, c) in ["a", "b"].iter().enumerate() {
            let s = f.engine.prepare(c).expect("switch catalog");
            let a = s.adapter.as_ref().expect("the catalog's adapter");
            assert_eq!(a.manifest.catalog, *c, "round {round}");
            let plain = s.with_adapter(None);
            let r = report(&plain, &s, 42);
            seen[i].push(serde_json::to_value(&r.mean).expect("json"));
        }
    }
    for i in 0..2 {
        assert_eq!(
            seen[i][0], seen[i][1],
            "switching back gives the same results"
        );
        assert_eq!(
            seen[i][0], own[i],
            "each catalog gives its own adapter's evaluation"
        );
    }
    assert_ne!(seen[0][0], seen[1][0]);
}
