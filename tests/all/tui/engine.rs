//! The chat's engine task on the real models and the embedded demo catalog: a turn's stages
//! arrive as events (cards before tokens), Esc stops generation and the stopped turn is kept,
//! feedback commands are committed at once, an export writes the session, a reopened
//! session shows its transcript and cards, an empty session is not kept, a turn typed
//! while the model still loads shows its cards at once, `/adapter` swaps the query adapter,
//! and a catalog with a generation adapter brings its adapted model in the background.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, OnceLock,
    },
    time::Duration,
};

use reco::{
    config::Config,
    dialogue::{Agent, Conversation, TurnOptions},
    engine::Engine,
    generate::{GenEvent, GenHandle, GenRequest, Generator, MistralGenerator},
    intent::IntentModel,
    models::{self, Bundle},
    retrieve::{index, Retriever, Searcher},
    store::{Feedback, Role, Store},
    tui::{spawn, Event, Handle, Loading, ModelStatus, Parts, Request},
};
use tokio::runtime::Runtime;

use crate::{config_with_models, embedder_arc};

/// Generous: generation takes seconds per turn on two busy cores.
const SLOW: Duration = Duration::from_secs(600);

struct Games {
    _dir: tempfile::TempDir,
    config: Config,
    store: Store,
    retriever: Arc<Retriever>,
}

/// The demo catalog installed and indexed in a store of its own, once per run.
fn games() -> &'static Games {
    static G: OnceLock<Games> = OnceLock::new();
    G.get_or_init(|| {
        let base = config_with_models(&[Bundle::Embedding, Bundle::Generation]);
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config {
            home: dir.path().to_path_buf(),
            db_path: dir.path().join("db"),
            ..base
        };
        let store = Store::open(&config.db_path).expect("store");
        reco::catalog::ensure_default(&store, &config).expect("demo catalog");
        index::build(&store, "games", &*embedder_arc(), false).expect("index");
        let retriever = Arc::new(Retriever::load(&store, "games").expect("load"));
        Games {
            _dir: dir,
            config,
            store,
            retriever,
        }
    })
}

fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Runtime::new().expect("runtime"))
}

fn model_path() -> std::path::PathBuf {
    models::generation_model_path(&games().config.models_dir, Bundle::Generation)
}

fn generator() -> MistralGenerator {
    static G: OnceLock<MistralGenerator> = OnceLock::new();
    G.get_or_init(|| {
        runtime()
            .block_on(MistralGenerator::load(&model_path()))
            .expect("default model loads")
    })
    .clone()
}

/// A generator whose tokens arrive slowly while `slow` is set: an Esc sent after the first
/// token then surely finds the answer still being written, however fast the machine.
struct Slowed {
    inner: MistralGenerator,
    slow: Arc<AtomicBool>,
}

impl Generator for Slowed {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn start(&self, req: GenRequest) -> GenHandle {
        let mut inner = self.inner.start(req);
        let slow = Arc::clone(&self.slow);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Some(ev) = inner.events.recv().await {
                if slow.load(Ordering::SeqCst) && matches!(ev, GenEvent::Token(_)) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                if tx.send(ev).is_err() {
                    return;
                }
            }
        });
        GenHandle::new(rx, task)
    }
}

fn parts(conv: Conversation, model: Option<Loading>) -> Parts {
    let g = games();
    let intents = IntentModel::builtin().expect("intent model");
    Parts {
        engine: Engine {
            config: g.config.clone(),
            store: g.store.clone(),
            progress: false,
        },
        agent: Agent {
            store: g.store.clone(),
            searcher: Searcher {
                retriever: Arc::clone(&g.retriever),
                embedder: embedder_arc(),
                adapter: None,
            },
            intents: Arc::new(intents),
            options: TurnOptions::default(),
            collab: None,
        },
        conv,
        embedder: embedder_arc(),
        model,
        notes: Vec::new(),
    }
}

/// The next event that `pick` accepts, skipping others. A timeout names the events skipped
/// while waiting (an event expected in another order shows there, instead of as a hang).
async fn until<T>(h: &mut Handle, what: &str, pick: impl Fn(Event) -> Option<T>) -> T {
    let mut skipped: Vec<String> = Vec::new();
    let wait = async {
        loop {
            match h.events.recv().await {
                Some(e) => {
                    let seen = format!("{e:?}");
                    if let Some(t) = pick(e) {
                        return t;
                    }
                    skipped.push(seen.chars().take(160).collect());
                }
                None => panic!("the engine task ended while waiting for {what}"),
            }
        }
    };
    let r = tokio::time::timeout(SLOW, wait).await;
    r.unwrap_or_else(|_| panic!("no {what} within {SLOW:?}; skipped while waiting: {skipped:#?}"))
}

async fn note(h: &mut Handle, containing: &str) -> String {
    until(h, containing, |e| match e {
        Event::Note(n) if n.contains(containing) => Some(n),
        _ => None,
    })
    .await
}

/// The turn's end (a failed turn fails the test).
async fn answer(h: &mut Handle) -> reco::tui::TurnDone {
    until(h, "the answer", |e| match e {
        Event::Done(d) => Some(d),
        Event::Failed(m) => panic!("{m}"),
        _ => None,
    })
    .await
}

/// `/adapter NAME`: the adapter the engine reports in use.
async fn use_adapter(h: &mut Handle, name: &str) -> String {
    h.requests
        .send(Request::Adapter(Some(name.into())))
        .expect("engine alive");
    until(h, "the adapter in use", |e| match e {
        Event::Adapter(a) => Some(a),
        _ => None,
    })
    .await
}

/// The name of the next model reported ready (a failed load fails the test).
async fn ready_model(h: &mut Handle, what: &str) -> String {
    until(h, what, |e| match e {
        Event::Model(ModelStatus::Ready(name, _)) => Some(name),
        Event::Model(ModelStatus::Failed(m)) => panic!("{m}"),
        _ => None,
    })
    .await
}

async fn quit(h: Handle) {
    let _ = h.requests.send(Request::Quit);
    tokio::time::timeout(SLOW, h.task)
        .await
        .expect("the engine task ends after Quit")
        .expect("no panic");
}

fn run<F: Future<Output = ()>>(f: F) {
    runtime().block_on(f);
}

#[test]
fn turns_stream_stop_and_persist() {
    let g = games();
    let conv = Conversation::create(&g.store, "games").expect("session");
    let id = conv.id().to_string();
    let slow = Arc::new(AtomicBool::new(true));
    let model = Loading::ready(Arc::new(Slowed {
        inner: generator(),
        slow: Arc::clone(&slow),
    }));
    let out = tempfile::tempdir().expect("tempdir");
    let md = out.path().join("session.md");
    run(async {
        let mut h = spawn(parts(conv, Some(model)));
        let view = until(&mut h, "the session", |e| match e {
            Event::Session(v) => Some(v),
            _ => None,
        })
        .await;
        assert!(view.transcript.is_empty() && view.cards.is_empty());
        h.requests
            .send(Request::Turn(
                "a relaxing farming game under 20 dollars".into(),
            ))
            .expect("engine alive");
        let cards = until(&mut h, "cards", |e| match e {
            Event::Cards(c) => Some(c),
            Event::Token(_) => panic!("a token before the cards"),
            _ => None,
        })
        .await;
        assert_eq!(cards.len(), 5);
        until(&mut h, "a token", |e| {
            matches!(e, Event::Token(_)).then_some(())
        })
        .await;
        h.requests.send(Request::Cancel).expect("engine alive");
        let kept = until(&mut h, "the stop", |e| match e {
            Event::Cancelled(k) => Some(k),
            Event::Done(_) => panic!("the turn ran to its end despite Esc"),
            _ => None,
        })
        .await;
        assert!(kept, "a stopped turn that was understood is kept");
        slow.store(false, Ordering::SeqCst);
        let turns = g.store.turns(&id, 10).expect("turns");
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "a relaxing farming game under 20 dollars");
        assert!(turns[1].text.ends_with("(stopped)"), "{}", turns[1].text);
        let ids: Vec<String> = cards.iter().map(|c| c.id.clone()).collect();
        assert_eq!(turns[1].items, ids);

        h.requests
            .send(Request::Turn("cheaper".into()))
            .expect("alive");
        let done = answer(&mut h).await;
        assert_eq!(done.action, "refine", "{}", done.intent);
        assert!(done.timings.first_token.is_some() && !done.cards.is_empty());
        assert!(
            done.cards.iter().any(|c| !c.why.is_empty()),
            "{:?}",
            done.cards
        );

        h.requests
            .send(Request::Mark(1, Feedback::Rejected))
            .expect("alive");
        // The cards come first, wearing the mark, then the note.
        let marked = until(&mut h, "the marked cards", |e| match e {
            Event::Cards(c) => Some(c),
            Event::Note(n) if n.contains("will not be shown again") => {
                panic!("the note came before the marked cards: {n}")
            }
            _ => None,
        })
        .await;
        assert_eq!(marked[0].mark, Some(Feedback::Rejected));
        note(&mut h, "will not be shown again").await;
        let s = g.store.require_session(&id).expect("session");
        assert_eq!(s.rejected, [done.cards[0].id.clone()]);
        h.requests.send(Request::Forget("1".into())).expect("alive");
        note(&mut h, "Forgot that").await;
        assert!(g.store.require_session(&id).expect("s").rejected.is_empty());
        h.requests.send(Request::Why(1)).expect("alive");
        note(&mut h, "Card 1").await;
        h.requests.send(Request::Why(9)).expect("alive");
        note(&mut h, "there is no card 9").await;
        h.requests
            .send(Request::Export(Some(md.clone())))
            .expect("alive");
        note(&mut h, "Wrote").await;
        h.requests.send(Request::Adapter(None)).expect("alive");
        note(&mut h, "Query adapters of `games`").await;
        quit(h).await;

        // Reopened: the transcript and the cards with their reasons, as they were.
        let again = Conversation::open(&g.store, &id).expect("reopen");
        let mut h = spawn(parts(again, None));
        let view = until(&mut h, "the session", |e| match e {
            Event::Session(v) => Some(v),
            _ => None,
        })
        .await;
        assert_eq!(view.transcript.len(), 4);
        assert_eq!(view.transcript[2], (true, "cheaper".to_string()));
        assert_eq!(view.cards, done.cards);
        quit(h).await;
    });
    let text = std::fs::read_to_string(&md).expect("export written");
    assert!(
        text.contains("**You:** a relaxing farming game under 20 dollars"),
        "{text}"
    );
    assert!(
        text.contains("(stopped)") && text.contains("| 1 |"),
        "{text}"
    );
    let turns = g.store.turns(&id, 10).expect("turns");
    assert_eq!(turns.len(), 4);
    assert_eq!(turns[3].role, Role::Assistant);
}

#[test]
fn an_empty_session_is_not_kept() {
    let g = games();
    let conv = Conversation::create(&g.store, "games").expect("session");
    let id = conv.id().to_string();
    run(async {
        let mut h = spawn(parts(conv, None));
        let off = until(&mut h, "the model state", |e| match e {
            Event::Model(m) => Some(m),
            _ => None,
        })
        .await;
        assert_eq!(off, ModelStatus::Off);
        let first = until(&mut h, "the session", |e| match e {
            Event::Session(v) => Some(v),
            _ => None,
        })
        .await;
        assert_eq!(first.id, id);
        h.requests.send(Request::New).expect("alive");
        let v = until(&mut h, "the new session", |e| match e {
            Event::Session(v) => Some(v),
            _ => None,
        })
        .await;
        assert_ne!(v.id, id);
        assert!(g.store.session(&id).expect("read").is_none(), "left empty");
        quit(h).await;
        assert!(g.store.session(&v.id).expect("read").is_none());
    });
}

#[test]
fn cards_come_while_the_model_still_loads() {
    let g = games();
    let conv = Conversation::create(&g.store, "games").expect("session");
    run(async {
        // The load is held back until the cards are here, so that a fast load cannot win the
        // race; it then runs for real and answers the turn.
        let (go, gate) = tokio::sync::oneshot::channel::<()>();
        let model = Loading::start_after(
            reco::generate::ModelChoice::plain(&model_path()),
            async move {
                let _ = gate.await;
            },
        );
        let mut h = spawn(parts(conv, Some(model)));
        until(&mut h, "the loading state", |e| {
            matches!(e, Event::Model(ModelStatus::Loading(_))).then_some(())
        })
        .await;
        h.requests
            .send(Request::Turn("a cozy co-op puzzle game".into()))
            .expect("alive");
        until(&mut h, "cards", |e| match e {
            Event::Cards(c) => Some(c),
            Event::Model(ModelStatus::Ready(..)) => panic!("the cards waited for the model"),
            _ => None,
        })
        .await;
        go.send(()).expect("the load waits");
        let done = answer(&mut h).await;
        assert!(done.timings.first_token.is_some(), "{done:?}");
        quit(h).await;
    });
}

/// A PEFT adapter for the small model (SmolLM2-135M: 30 layers, hidden 576, k/v 192) on
/// `q_proj` and `v_proj`, `A` and `B` from a fixed sequence.
fn small_adapter(dir: &std::path::Path) {
    use candle_core::{Device, Tensor};
    std::fs::create_dir_all(dir).expect("dir");
    let mut x = 7u64;
    let mut draw = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((x >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * 0.05
            })
            .collect()
    };
    let mut tensors = std::collections::HashMap::new();
    for layer in 0..30 {
        for (m, out) in [("q_proj", 576), ("v_proj", 192)] {
            let p = format!("base_model.model.model.layers.{layer}.self_attn.{m}");
            let a = Tensor::from_vec(draw(4 * 576), (4, 576), &Device::Cpu).expect("A");
            let b = Tensor::from_vec(draw(out * 4), (out, 4), &Device::Cpu).expect("B");
            tensors.insert(format!("{p}.lora_A.weight"), a);
            tensors.insert(format!("{p}.lora_B.weight"), b);
        }
    }
    candle_core::safetensors::save(&tensors, dir.join("adapter_model.safetensors")).expect("save");
    std::fs::write(
        dir.join("adapter_config.json"),
        r#"{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}"#,
    )
    .expect("config");
}

#[test]
fn adapters_switch_in_the_chat_and_a_catalog_brings_its_generation_adapter() {
    use reco::{
        adapter::{FusionWeights, Manifest, QueryAdapter, TrainOptions},
        catalog::{import::FieldMap, import_file},
        embed::Embedder,
        generate::{lora, ModelChoice},
    };
    let g = games();
    let engine = Engine {
        config: g.config.clone(),
        store: g.store.clone(),
        progress: false,
    };
    // A second catalog (the demo items again) whose generation adapter is `terse`.
    let src = g.config.home.join("games2.jsonl");
    std::fs::write(&src, include_str!("../../../catalogs/games.jsonl")).expect("write");
    import_file(&g.store, &src, "games2", None, &FieldMap::default(), false).expect("import");
    index::build(&g.store, "games2", &*embedder_arc(), false).expect("index");
    let peft = g.config.home.join("peft-terse");
    small_adapter(&peft);
    lora::import(&g.config.home, "games2", "terse", &peft).expect("import adapter");
    let mut chosen = g.store.require_catalog("games2").expect("catalog").adapters;
    chosen.generation = Some("terse".into());
    g.store
        .set_catalog_adapters("games2", chosen)
        .expect("choose");
    // A small query adapter of `games`, made by hand (training is tested in `adapters`; here
    // it would only add minutes).
    let e = embedder_arc();
    let (d, r) = (e.dim(), 4);
    let manifest = Manifest {
        format: reco::adapter::FORMAT,
        name: "tiny".into(),
        catalog: "games".into(),
        backbone: e.id().to_string(),
        backbone_checksum: e.checksum(),
        kind: reco::adapter::Kind::Pooled,
        dim: d,
        rank: r,
        train: TrainOptions::default(),
        data_hash: "hand-made".into(),
        weights_sha256: String::new(),
        queries: std::collections::BTreeMap::new(),
        fusion: FusionWeights {
            dense: 0.4,
            lexical: 1.0,
        },
        metrics: std::collections::BTreeMap::new(),
        created_at: 0,
    };
    let a: Vec<f32> = (0..r * d).map(|i| ((i % 7) as f32 - 3.0) * 0.01).collect();
    let b: Vec<f32> = (0..d * r).map(|i| ((i % 5) as f32 - 2.0) * 0.01).collect();
    let tiny = QueryAdapter::new(manifest, a, b, vec![]).expect("adapter");
    engine.adapters().save(&tiny).expect("save");

    let conv = Conversation::create(&g.store, "games").expect("session");
    // The small model keeps the three loads of this test light.
    let small = crate::config_with_models(&[Bundle::SmallGeneration]);
    let small = models::generation_model_path(&small.models_dir, Bundle::SmallGeneration);
    let plain = engine.model_choice("games", &small).expect("choice");
    assert_eq!(plain.lora, None, "`games` names no generation adapter");
    assert_eq!(plain.path, ModelChoice::plain(&small).path);
    let plain_name = plain.name();
    run(async {
        let mut h = spawn(parts(conv, Some(Loading::start(plain))));
        until(&mut h, "the plain model", |e| {
            matches!(e, Event::Model(ModelStatus::Ready(..))).then_some(())
        })
        .await;

        // The query adapter swaps in place, in milliseconds, and back.
        assert_eq!(use_adapter(&mut h, "tiny").await, "tiny");
        let n = note(&mut h, "Query adapter `tiny` in use").await;
        assert!(n.contains("ms; the index is unchanged"), "{n}");
        h.requests.send(Request::Adapter(None)).expect("alive");
        let n = note(&mut h, "Generation adapters of `games`").await;
        assert!(n.contains("in use: tiny"), "{n}");
        assert_eq!(use_adapter(&mut h, "none").await, "none");
        h.requests
            .send(Request::Adapter(Some("missing".into())))
            .expect("alive");
        note(&mut h, "error:").await;

        // Switching to `games2` loads the model with its adapter in the background.
        h.requests
            .send(Request::Catalog(Some("games2".into())))
            .expect("alive");
        let n = note(&mut h, "in the background").await;
        assert!(
            n.contains("+lora:terse") && n.contains("answers until it is ready"),
            "{n}"
        );
        let ready = ready_model(&mut h, "the adapted model").await;
        assert!(ready.ends_with("+lora:terse"), "{ready}");
        h.requests
            .send(Request::Turn("a cozy co-op puzzle game".into()))
            .expect("alive");
        let done = answer(&mut h).await;
        assert!(done.timings.first_token.is_some(), "{done:?}");

        // And back: the plain model again.
        h.requests
            .send(Request::Catalog(Some("games".into())))
            .expect("alive");
        let n = note(&mut h, "in the background").await;
        assert!(
            n.starts_with(&format!("Loading {plain_name} for `games`"))
                && n.contains("+lora:terse answers"),
            "{n}"
        );
        // Quit once it has loaded, so that no load outlives this test.
        let back = ready_model(&mut h, "the plain model again").await;
        assert_eq!(back, plain_name);
        quit(h).await;
    });
}
