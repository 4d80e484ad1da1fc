//! The chat's engine task on the real models and the embedded demo catalog: a turn's stages
//! arrive as events (cards before tokens), Esc stops generation and the stopped turn is kept,
//! feedback commands are committed at once, an export writes the session, a reopened
//! session shows its transcript and cards, an empty session is not kept, and a turn typed
//! while the model still loads shows its cards at once.

use std::{
    future::Future,
    sync::{Arc, OnceLock},
    time::Duration,
};

use reco::{
    config::Config,
    dialogue::{Agent, Conversation, TurnOptions},
    engine::Engine,
    generate::MistralGenerator,
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

/// The next event that `pick` accepts, skipping others.
async fn until<T>(h: &mut Handle, what: &str, pick: impl Fn(Event) -> Option<T>) -> T {
    let wait = async {
        loop {
            match h.events.recv().await {
                Some(e) => {
                    if let Some(t) = pick(e) {
                        return t;
                    }
                }
                None => panic!("the engine task ended while waiting for {what}"),
            }
        }
    };
    tokio::time::timeout(SLOW, wait)
        .await
        .unwrap_or_else(|_| panic!("no {what} within {SLOW:?}"))
}

async fn note(h: &mut Handle, containing: &str) -> String {
    until(h, containing, |e| match e {
        Event::Note(n) if n.contains(containing) => Some(n),
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
    let model = Loading::ready(Arc::new(generator()));
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
        let turns = g.store.turns(&id, 10).expect("turns");
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "a relaxing farming game under 20 dollars");
        assert!(turns[1].text.ends_with("(stopped)"), "{}", turns[1].text);
        let ids: Vec<String> = cards.iter().map(|c| c.id.clone()).collect();
        assert_eq!(turns[1].items, ids);

        h.requests
            .send(Request::Turn("cheaper".into()))
            .expect("alive");
        let done = until(&mut h, "the answer", |e| match e {
            Event::Done(d) => Some(d),
            Event::Failed(m) => panic!("{m}"),
            _ => None,
        })
        .await;
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
        note(&mut h, "will not be shown again").await;
        let marked = until(&mut h, "cards", |e| match e {
            Event::Cards(c) => Some(c),
            _ => None,
        })
        .await;
        assert_eq!(marked[0].mark, Some(Feedback::Rejected));
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
        note(&mut h, "No adapters exist yet for catalog `games`").await;
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
        let mut h = spawn(parts(conv, Some(Loading::start(&model_path()))));
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
        let done = until(&mut h, "the answer", |e| match e {
            Event::Done(d) => Some(d),
            Event::Failed(m) => panic!("{m}"),
            _ => None,
        })
        .await;
        assert!(done.timings.first_token.is_some(), "{done:?}");
        quit(h).await;
    });
}
