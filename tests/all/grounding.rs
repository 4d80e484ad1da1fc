//! Grounding on the real default model: the four answers quoted in issue 8 no longer show
//! anything the catalog does not back (read by the evaluator's independent checks), the
//! injection catalog changes nothing shown but its items' own sanitised text, and a
//! follow-up turn continues the conversation's prompt instead of rebuilding it.

use std::sync::Arc;

use reco::{
    catalog::{import::FieldMap, import_file},
    dialogue::{Agent, Answer, Conversation, NullSink, TurnOptions},
    eval::grounding::{missing_titles, Checker, HOSTILE},
    generate::{FakeGenerator, Generator},
    intent::IntentModel,
    retrieve::{index, Retriever, Searcher},
    store::{Role, Store},
};

use crate::{
    embedder,
    generation::{catalog_without, generator, runtime},
    temp_store,
};

fn agent(store: &Store, searcher: &Searcher) -> Agent {
    Agent {
        store: store.clone(),
        searcher: searcher.clone(),
        intents: Arc::new(IntentModel::builtin().expect("intent model")),
        options: TurnOptions::default(),
        collab: None,
    }
}

fn say(a: &Agent, conv: &mut Conversation, text: &str, g: &dyn Generator) -> Answer {
    runtime()
        .block_on(a.turn(conv, text, Some(g), &mut NullSink))
        .unwrap_or_else(|e| panic!("turn `{text}`: {e}"))
}

/// Everything the evaluator finds wrong in `a`, as lines.
fn problems(r: &Retriever, a: &Answer, said: &str) -> Vec<String> {
    let f = Checker::new(r, missing_titles(r)).check(a, said);
    let mut out: Vec<String> = f
        .off_catalog
        .iter()
        .chain(&f.wrong_facts)
        .chain(&f.unsupported)
        .cloned()
        .collect();
    if f.duplicate_reasons > 0 {
        out.push(format!("{} duplicate reasons", f.duplicate_reasons));
    }
    if f.unsafe_text > 0 {
        out.push("control characters shown".into());
    }
    out
}

#[test]
fn the_four_quoted_answers_no_longer_happen() {
    let (_d, store, s) = catalog_without("\u{0}");
    let a = agent(&store, &s);
    let r = &s.retriever;
    for q in [
        "something like Portal but co-op, under $20",
        "tell me about Hades",
        "compare Stardew Valley and Terraria",
        "something scary but not too gory",
    ] {
        let mut conv = Conversation::create(&store, "games").expect("session");
        let ans = say(&a, &mut conv, q, generator());
        println!(
            "{q}\n  raw: {:?}\n  shown: {:?}\n  {:?}",
            ans.raw, ans.text, ans.grounding
        );
        assert!(!ans.text.trim().is_empty(), "{q}: nothing shown");
        let p = problems(r, &ans, q);
        assert!(p.is_empty(), "{q}: {p:?}\nshown: {}", ans.text);
        for pick in &ans.picks {
            let it = r.by_id(&pick.id).expect("pick in catalog");
            assert!(ans.candidates.iter().any(|c| c.id == pick.id));
            if let Some(price) = it.price {
                for (i, _) in pick.reason.match_indices('$') {
                    let amount: String = pick.reason[i + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.')
                        .collect();
                    let amount = amount.trim_end_matches('.');
                    assert!(
                        amount == format!("{:.2}", price.amount()) || amount == "20",
                        "{q}: ${amount} for {} ({price})",
                        it.title
                    );
                }
            }
        }
    }
}

/// The injection catalog, imported and indexed in a store of its own.
fn hostile() -> (tempfile::TempDir, Store, Searcher) {
    let (dir, store) = temp_store();
    let file = dir.path().join("hostile.jsonl");
    std::fs::write(&file, HOSTILE).expect("write");
    import_file(&store, &file, "hostile", None, &FieldMap::default(), false).expect("import");
    let e = embedder();
    index::build(&store, "hostile", &*e, false).expect("index");
    let r = Retriever::load(&store, "hostile").expect("load");
    (
        dir,
        store,
        Searcher {
            retriever: Arc::new(r),
            embedder: e,
            adapter: None,
        },
    )
}

#[test]
fn injected_text_changes_nothing_but_its_own_item() {
    let (_d, store, s) = hostile();
    let r = &s.retriever;
    let a = agent(&store, &s);
    let mut conv = Conversation::create(&store, "hostile").expect("session");
    let first = say(
        &a,
        &mut conv,
        "a relaxing puzzle game to build with",
        generator(),
    );
    let second = say(&a, &mut conv, "tell me about the first one", generator());
    for (ans, said) in [
        (&first, "a relaxing puzzle game to build with"),
        (&second, "tell me about the first one"),
    ] {
        println!(
            "raw: {:?}\nshown: {:?}\n{:?}",
            ans.raw, ans.text, ans.grounding
        );
        let p = problems(r, ans, said);
        assert!(p.is_empty(), "{said}: {p:?}\nshown: {}", ans.text);
        assert!(!ans.text.chars().any(|c| c.is_control() && c != '\n'));
        for line in ans.text.lines() {
            // "Minecraft", "Nintendo" and "free" appear only inside the injection items' own
            // fields (shown as their title or reason facts), never as the model's claim.
            for word in ["Nintendo", "DAN", "Game of the Year"] {
                assert!(!line.contains(word), "{line}");
            }
        }
    }
    assert!(!first.picks.is_empty(), "{}", first.raw);
    assert!(
        second.generation.context_tokens > 0,
        "the follow-up continues the conversation's prompt"
    );
    assert!(second.generation.prompt_tokens > second.generation.context_tokens);
}

/// What the model wrote on CI's machine when asked about the first card after "a relaxing
/// puzzle game to build with": the earlier turn's "build" once backed "It builds" there.
const CI_ANSWER: &str = "because It's described as Sliding-block puzzles.\nBecause It's built.\nBecause It's simulation,\nbecause It builds,\nbecause Its building,\nbecause Its building,\nbecause Its cozy,\nbecause Its pixel graphics.\nby ConcernedApe";

#[test]
fn an_earlier_turns_words_back_nothing_said_about_an_item() {
    let (_d, store, s) = hostile();
    let a = agent(&store, &s);
    let mut conv = Conversation::create(&store, "hostile").expect("session");
    let said = "a relaxing puzzle game to build with";
    let first = say(&a, &mut conv, said, &FakeGenerator::default());
    assert!(problems(&s.retriever, &first, said).is_empty());
    let replay = FakeGenerator {
        script: Some(CI_ANSWER.into()),
        ..FakeGenerator::default()
    };
    for card in ["first", "second"] {
        let ask = format!("tell me about the {card} one");
        let ans = say(&a, &mut conv, &ask, &replay);
        let p = problems(&s.retriever, &ans, &ask);
        assert!(p.is_empty(), "{ask}: {p:?}\nshown: {}", ans.text);
        assert!(!ans.text.trim().is_empty(), "{ask}: nothing shown");
    }
}

#[test]
fn a_follow_up_sends_the_earlier_turn_unchanged_and_lists_only_new_items() {
    let (_d, store, s) = catalog_without("\u{0}");
    let a = agent(&store, &s);
    let fake = FakeGenerator::default();
    let mut conv = Conversation::create(&store, "games").expect("session");
    let first = say(&a, &mut conv, "a cozy farming game", &fake);
    let second = say(&a, &mut conv, "tell me more about the first one", &fake);
    assert!(!first.picks.is_empty() && !second.text.is_empty());
    let reqs = fake.requests.lock().expect("requests").clone();
    assert_eq!(reqs.len(), 2);
    assert!(reqs[0].history.is_empty());
    assert_eq!(reqs[1].history.len(), 2);
    assert_eq!(reqs[1].history[0].role, Role::User);
    assert_eq!(reqs[1].history[0].text, reqs[0].user, "sent unchanged");
    assert!(
        reqs[1].history[1].text.starts_with('['),
        "{}",
        reqs[1].history[1].text
    );
    assert!(reqs[1].system == reqs[0].system);
    let first_card = &first.candidates[0].title;
    assert!(reqs[0].user.contains(&format!("] {first_card} (")));
    assert!(
        !reqs[1].user.contains(&format!("] {first_card} (")),
        "an item already listed is referred to by number: {}",
        reqs[1].user
    );
    assert!(reqs[1].user.contains("described:"), "{}", reqs[1].user);
}
