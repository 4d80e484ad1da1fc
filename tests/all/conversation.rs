//! Conversations on the real Steam catalog (its 10k well-rated games, see
//! [`crate::steam_store`]) with the real embedding backbone and
//! the shipped intent classifier: refinements against the cards on screen, feedback that
//! keeps items out for the rest of the session, questions about a card, start over,
//! requests anchored on named items, add-ons kept behind base games, and hostile turns.
//! Generation is off here (answers from the catalog's facts): routing and retrieval do not
//! depend on the model's prose, which `generation.rs` tests.

use std::sync::{Arc, OnceLock};

use reco::{
    catalog::{Item, Price},
    dialogue::{Agent, Answer, Conversation, NullSink, TurnOptions},
    intent::IntentModel,
    retrieve::{Retriever, Searcher},
    store::Store,
};
use tokio::runtime::Runtime;

use crate::{embedder_arc, steam_store};

fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| Runtime::new().expect("runtime"))
}

/// The well-rated Steam games, imported and indexed (see [`crate::steam_store`]), once per run.
pub fn steam() -> Option<&'static (tempfile::TempDir, Store, Arc<Retriever>)> {
    static F: OnceLock<Option<(tempfile::TempDir, Store, Arc<Retriever>)>> = OnceLock::new();
    F.get_or_init(|| {
        let (dir, store) = steam_store()?;
        let r = Arc::new(Retriever::load(&store, "steam").expect("load"));
        Some((dir, store, r))
    })
    .as_ref()
}

pub fn agent(store: &Store, r: &Arc<Retriever>) -> Agent {
    let embedder = embedder_arc();
    let intents = IntentModel::builtin().expect("shipped intent model");
    intents
        .check_backbone(reco::embed::MODEL_ID)
        .expect("backbone");
    Agent {
        store: store.clone(),
        searcher: Searcher {
            retriever: Arc::clone(r),
            embedder,
            adapter: None,
        },
        intents: Arc::new(intents),
        options: TurnOptions::default(),
        collab: None,
    }
}

fn say(a: &Agent, c: &mut Conversation, text: &str) -> Answer {
    runtime()
        .block_on(a.turn(c, text, None, &mut NullSink))
        .unwrap_or_else(|e| panic!("turn `{text}` failed: {e}"))
}

fn items<'a>(r: &'a Retriever, a: &Answer) -> Vec<&'a Item> {
    a.candidates
        .iter()
        .map(|c| r.by_id(&c.id).expect("card is a catalog item"))
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    }
}

#[test]
fn cheaper_lowers_prices_below_the_shown_median() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let first = say(&a, &mut c, "co-op puzzle games");
    assert!(!first.candidates.is_empty(), "{first:?}");
    let prices: Vec<f64> = items(r, &first)
        .iter()
        .filter_map(|i| i.price.map(Price::amount))
        .collect();
    let m = median(prices);
    assert!(m > 0.0, "the first cards should cost something: {first:?}");
    let next = say(&a, &mut c, "cheaper");
    assert!(
        next.action == "refine",
        "{} ({})",
        next.action,
        next.intent.label
    );
    assert!(!next.candidates.is_empty());
    for it in items(r, &next) {
        let p = it.price.map(Price::amount).expect("price known");
        assert!(p < m, "{} costs {p}, median before was {m}", it.title);
    }
}

#[test]
fn rejected_and_seen_items_never_return() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let first = say(&a, &mut c, "space strategy games");
    let top = first.candidates[0].id.clone();
    let second_card = first.candidates[1].id.clone();
    let no = say(&a, &mut c, "not that one");
    assert_eq!(no.action, "feedback:rejected", "{}", no.intent.label);
    assert_eq!(no.about[0].id, top);
    let played = say(&a, &mut c, "I've played the first one");
    assert_eq!(played.action, "feedback:seen", "{}", played.intent.label);
    let first_now = no.candidates[0].id.clone();
    assert_eq!(played.about[0].id, first_now);
    // A negated card reference is a rejection, not a question about the card.
    let second_now = played.candidates[1].id.clone();
    let not2 = say(&a, &mut c, "no, not the second one");
    assert_eq!(not2.action, "feedback:rejected", "{}", not2.intent.label);
    assert_eq!(not2.about[0].id, second_now);
    assert!(not2.candidates.iter().all(|card| card.id != second_now));
    for t in [
        "more like these",
        "any others?",
        "space strategy games",
        "cheaper",
    ] {
        let ans = say(&a, &mut c, t);
        for card in &ans.candidates {
            assert_ne!(card.id, top, "rejected item came back after `{t}`");
            assert_ne!(card.id, first_now, "seen item came back after `{t}`");
        }
    }
    assert!(c.session.rejected.contains(&top));
    assert!(c.session.seen.contains(&first_now));
    let _ = second_card;
    // The profile is in the store, not only in memory.
    let again = Conversation::open(store, c.id()).expect("reopen");
    assert!(again.session.rejected.contains(&top));
}

#[test]
fn questions_about_a_card_are_about_that_card() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let first = say(&a, &mut c, "relaxing farming games");
    let second = first.candidates[1].id.clone();
    let about = say(&a, &mut c, "tell me about the second one");
    assert_eq!(about.action, "inquire", "{}", about.intent.label);
    assert_eq!(about.about.len(), 1);
    assert_eq!(about.about[0].id, second);
    let title = &r.by_id(&second).expect("item").title;
    assert!(about.text.contains(title.as_str()), "{}", about.text);
}

#[test]
fn start_over_clears_the_constraints_and_keeps_the_profile() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    say(&a, &mut c, "horror games under $10");
    say(&a, &mut c, "not that one");
    assert!(!c.state.constraints.is_empty());
    let rejected = c.session.rejected.clone();
    let ans = say(&a, &mut c, "let's start over");
    assert_eq!(ans.action, "start_over", "{}", ans.intent.label);
    assert!(c.state.constraints.is_empty(), "{:?}", c.state.constraints);
    assert!(c.state.shown.is_empty());
    assert_eq!(c.session.rejected, rejected);
}

#[test]
fn like_portal_but_coop_under_20() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let ans = say(&a, &mut c, "something like Portal but co-op, under $20");
    let portal = r.by_title("Portal").expect("Portal is on Steam");
    let portal_labels: Vec<String> = portal.labels().map(str::to_lowercase).collect();
    let shown = items(r, &ans);
    assert!(shown.len() >= 5, "{ans:?}");
    for it in &shown {
        assert_ne!(it.id, portal.id, "the reference itself came back");
        assert!(!it.is_addon(), "add-on shown: {}", it.title);
        let p = it.price.map(Price::amount).expect("price known");
        assert!(p <= 20.0, "{} costs {p}", it.title);
    }
    for it in shown.iter().take(5) {
        let shared = it
            .labels()
            .filter(|l| portal_labels.contains(&l.to_lowercase()))
            .count();
        assert!(
            shared >= 2,
            "{} shares {shared} labels with Portal",
            it.title
        );
    }
}

#[test]
fn free_racing_games_are_base_games() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let ans = say(&a, &mut c, "free racing games");
    assert!(ans.candidates.len() >= 3, "{ans:?}");
    for it in items(r, &ans) {
        assert!(!it.is_addon(), "add-on shown: {}", it.title);
        assert_eq!(
            it.price.map(Price::amount),
            Some(0.0),
            "{} is not free",
            it.title
        );
    }
}

#[test]
fn liked_games_named_in_a_turn_are_not_shown_back() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    let ans = say(
        &a,
        &mut c,
        "I loved Portal 2, Bastion and Stardew Valley, what should I play next?",
    );
    let named: Vec<String> = ["Portal 2", "Bastion", "Stardew Valley"]
        .iter()
        .map(|t| r.by_title(t).expect("on Steam").id.clone())
        .collect();
    assert!(!ans.candidates.is_empty());
    for card in &ans.candidates {
        assert!(
            !named.contains(&card.id),
            "{} was named by the user",
            card.title
        );
    }
    for id in &named {
        assert!(
            c.state.constraints.anchors.contains(id),
            "{id} not an anchor"
        );
    }
}

#[test]
fn empty_garbage_and_huge_turns_never_panic() {
    let Some((_, store, r)) = steam() else { return };
    let a = agent(store, r);
    let mut c = Conversation::create(store, "steam").expect("session");
    for bad in ["", "   ", "\u{1b}[2J\u{7}"] {
        let e = runtime()
            .block_on(a.turn(&mut c, bad, None, &mut NullSink))
            .expect_err("empty turn");
        assert!(e.to_string().contains("empty"), "{e}");
    }
    let garbage = say(&a, &mut c, "%%%% ^^^ &&& ***");
    assert!(!garbage.intent.label.is_empty());
    let huge = "asdf qwer zxcv ".repeat(700);
    assert!(huge.len() > 10_000);
    let ans = say(&a, &mut c, &huge);
    assert!(ans.timings_ms.total > 0.0);
    let turns = store.turns(c.id(), 10).expect("turns");
    assert!(turns.iter().all(|t| t.text.len() <= 4096));
}
