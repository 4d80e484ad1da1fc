//! Grounded generation on the real default model (mistral.rs, CPU): every pick is a catalog
//! candidate, a famous title missing from the catalog is never recommended, tokens stream, and
//! a turn can be cancelled.

use std::{sync::OnceLock, time::Duration};

use reco::{
    catalog::{import::FieldMap, import_file, Item},
    dialogue::{Agent, Answer, Conversation, Sink, TurnOptions},
    generate::{GenEvent, GenRequest, Generator, MistralGenerator},
    intent::IntentModel,
    models::{self, Bundle},
    retrieve::{index, Retriever, Searcher},
    store::Store,
};
use tokio::runtime::Runtime;

use crate::{config_with_models, embedder, temp_store};

pub(crate) fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Runtime::new().expect("runtime"))
}

pub(crate) fn generator() -> &'static MistralGenerator {
    static G: OnceLock<MistralGenerator> = OnceLock::new();
    G.get_or_init(|| {
        let config = config_with_models(&[Bundle::Generation]);
        let path = models::generation_model_path(&config.models_dir, Bundle::Generation);
        runtime()
            .block_on(MistralGenerator::load(&path))
            .expect("default model loads")
    })
}

/// The embedded demo catalog without any item whose title contains `without`.
pub(crate) fn catalog_without(without: &str) -> (tempfile::TempDir, Store, Searcher) {
    let (dir, store) = temp_store();
    let text: String = include_str!("../../catalogs/games.jsonl")
        .lines()
        .filter(|l| !l.to_lowercase().contains(&without.to_lowercase()))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("games.jsonl");
    std::fs::write(&file, text).expect("write");
    import_file(&store, &file, "games", None, &FieldMap::default(), false).expect("import");
    let e = embedder();
    index::build(&store, "games", &*e, false).expect("index");
    let r = Retriever::load(&store, "games").expect("load");
    (
        dir,
        store,
        Searcher {
            retriever: std::sync::Arc::new(r),
            embedder: e,
            adapter: None,
        },
    )
}

#[derive(Default)]
struct Collect {
    cards: usize,
    tokens: Vec<String>,
    done: bool,
}

impl Sink for Collect {
    fn cards(&mut self, items: &[&Item]) {
        self.cards = items.len();
    }
    fn token(&mut self, text: &str) {
        self.tokens.push(text.to_string());
    }
    fn done(&mut self, _answer: &Answer) {
        self.done = true;
    }
}

fn turn(store: &Store, searcher: &Searcher, q: &str) -> (Answer, Collect) {
    let mut sink = Collect::default();
    let agent = Agent {
        store: store.clone(),
        searcher: searcher.clone(),
        intents: std::sync::Arc::new(IntentModel::builtin().expect("intent model")),
        options: TurnOptions::default(),
        collab: None,
    };
    let mut conv = Conversation::create(store, searcher.retriever.catalog()).expect("session");
    let a = runtime()
        .block_on(agent.turn(&mut conv, q, Some(generator()), &mut sink))
        .expect("turn");
    (a, sink)
}

#[test]
fn picks_are_candidates_and_stream() {
    let (_d, store, s) = catalog_without("\u{0}");
    let (a, sink) = turn(&store, &s, "a relaxing farming game under 20 dollars");
    assert_eq!(sink.cards, a.candidates.len());
    assert!(
        sink.tokens.len() > 3,
        "streamed in pieces: {:?}",
        sink.tokens
    );
    assert!(sink.done);
    assert!(!a.picks.is_empty(), "raw: {}", a.raw);
    for p in &a.picks {
        assert!(
            a.candidates.iter().any(|c| c.id == p.id),
            "{} not a candidate",
            p.id
        );
        assert!(s.retriever.by_id(&p.id).is_some());
        assert!(a.text.contains(&p.title));
    }
    assert!(
        a.timings_ms.first_card.expect("cards shown")
            <= a.timings_ms.first_token.unwrap_or(f64::MAX)
    );
}

#[test]
fn a_famous_title_missing_from_the_catalog_is_never_recommended() {
    let (_d, store, s) = catalog_without("minecraft");
    assert!(s
        .retriever
        .items()
        .iter()
        .all(|i| !i.title.contains("Minecraft")));
    let (a, _) = turn(
        &store,
        &s,
        "I want Minecraft. Recommend Minecraft to me, it must be Minecraft",
    );
    assert!(!a.candidates.is_empty());
    for p in &a.picks {
        assert!(
            s.retriever.by_id(&p.id).is_some(),
            "pick {} not in the catalog",
            p.id
        );
        assert!(!p.title.contains("Minecraft"));
    }
    for m in &a.mentions {
        if let Some(id) = &m.id {
            assert!(s.retriever.by_id(id).is_some());
        } else {
            assert!(
                a.text.contains(&format!("{} (not in the catalog)", m.text)),
                "{}",
                a.text
            );
        }
    }
}

#[test]
fn generation_can_be_cancelled_promptly() {
    let g = generator();
    runtime().block_on(async {
        let mut h = g.start(GenRequest {
            system: "You are a storyteller.".into(),
            history: Vec::new(),
            user: "Tell a very long story about a dragon.".into(),
            constraint: None,
            max_tokens: 2000,
        });
        let first = tokio::time::timeout(Duration::from_secs(120), h.events.recv())
            .await
            .expect("first event");
        assert!(matches!(first, Some(GenEvent::Token(_))), "{first:?}");
        h.cancel();
        // Counted in tokens, not seconds (the machine may be busy): a cancelled run closes its
        // channel after at most the few tokens already sent; an uncancelled story goes on for
        // hundreds.
        let mut after = 0;
        loop {
            match tokio::time::timeout(Duration::from_secs(60), h.events.recv()).await {
                Ok(Some(GenEvent::Token(_))) => after += 1,
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => panic!("the cancelled run neither ended nor sent anything for 60 s"),
            }
        }
        assert!(after <= 16, "{after} tokens after the cancel");
    });
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let e = runtime()
        .block_on(MistralGenerator::load(std::path::Path::new(
            "/nonexistent/model.gguf",
        )))
        .expect_err("missing model");
    assert!(e.to_string().contains("not found"), "{e}");
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.gguf");
    std::fs::write(&junk, b"GGUF but not really").expect("write");
    let e = runtime()
        .block_on(MistralGenerator::load(&junk))
        .expect_err("junk model");
    assert!(e.to_string().contains("GGUF"), "{e}");
}

#[test]
fn questions_about_named_items_use_only_those_items() {
    let (_d, store, s) = catalog_without("\u{0}");
    let (a, sink) = turn(&store, &s, "Tell me about Portal 2");
    assert_eq!(
        a.about.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["portal-2"],
        "{}",
        a.intent.label
    );
    assert_eq!(sink.cards, 0, "a question about an item changes no cards");
    assert!(
        a.picks.is_empty(),
        "an answer about an item recommends nothing"
    );
    assert!(!a.text.trim().is_empty());
    let (a, _) = turn(&store, &s, "compare Celeste and Hades");
    let mut ids: Vec<&str> = a.about.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["celeste", "hades"]);
    for m in a.mentions.iter().filter(|m| m.id.is_none()) {
        assert!(a.text.contains(&format!("{} (not in the catalog)", m.text)));
    }
}
