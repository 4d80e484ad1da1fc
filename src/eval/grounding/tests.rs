//! Unit tests of the evaluator's own checks on hand-made answers: each kind of finding is
//! reported when present and not when the answer keeps to the facts; the suite's
//! placeholders are filled from the catalog.

use super::*;
use crate::{
    catalog::{Item, Price},
    dialogue::{Candidate, IntentReport, ItemRef, Timings},
    embed::HashEmbedder,
    generate::GenStats,
    ground::Grounding,
    retrieve::index,
    store::{CatalogMeta, Store},
};

fn item(id: &str, title: &str, tags: &[&str], dev: &str, year: i32, price: f64) -> Item {
    Item {
        id: id.into(),
        title: title.into(),
        tags: tags.iter().map(|t| (*t).to_string()).collect(),
        developer: Some(dev.into()),
        year: Some(year),
        price: Some(Price::Paid(price)),
        ..Item::default()
    }
}

fn retriever() -> Retriever {
    let mut portal = item(
        "portal-2",
        "Portal 2",
        &["Puzzle", "Co-op", "Funny"],
        "Valve",
        2011,
        9.99,
    );
    // A description that names a company (as an injected one would).
    portal.description = Some("Fans say it feels as if made by Nintendo.".into());
    let items = vec![
        item(
            "hades",
            "Hades",
            &["Roguelike", "Action", "Mythology"],
            "Supergiant Games",
            2020,
            24.99,
        ),
        item(
            "celeste",
            "Celeste",
            &["Platformer", "Difficult", "Pixel Graphics"],
            "Maddy Makes Games",
            2018,
            19.99,
        ),
        portal,
    ];
    let s = Store::temporary().expect("store");
    s.upsert_items("c", &items).expect("items");
    s.put_catalog(&CatalogMeta {
        name: "c".into(),
        source: "test".into(),
        format: "jsonl".into(),
        imported_at: 0,
        items: items.len(),
        last_import: Default::default(),
        adapters: Default::default(),
    })
    .expect("meta");
    index::build(&s, "c", &HashEmbedder::new(16), false).expect("index");
    Retriever::load(&s, "c").expect("load")
}

/// A recommendation of `picks` (id, reason) among all three items, shown as reco shows it.
fn answer(r: &Retriever, picks: &[(&str, &str)]) -> Answer {
    let text: String = picks
        .iter()
        .map(|(id, reason)| {
            let t = &r.by_id(id).expect("id").title;
            format!("• {t} — {reason}\n")
        })
        .collect();
    Answer {
        session: "s".into(),
        intent: IntentReport {
            label: "AskForRec/IQU".into(),
            top: vec![],
            sub: vec![],
            confidence: 1.0,
        },
        action: "recommend",
        constraints: String::new(),
        candidates: r.items().iter().map(Candidate::of).collect(),
        about: vec![],
        picks: picks
            .iter()
            .map(|(id, reason)| Pick {
                id: (*id).into(),
                title: r.by_id(id).expect("id").title.clone(),
                reason: (*reason).into(),
                by_model: true,
            })
            .collect(),
        text,
        raw: "[1] because it".into(),
        mentions: vec![],
        grounding: Grounding::default(),
        timings_ms: Timings::default(),
        generation: GenStats::default(),
    }
}

#[test]
fn reasons_that_keep_to_the_facts_pass() {
    let r = retriever();
    let a = answer(
        &r,
        &[
            (
                "hades",
                "because it is a Roguelike by Supergiant Games from 2020",
            ),
            ("celeste", "because it is a Difficult Platformer at $19.99"),
        ],
    );
    let f = Checker::new(&r, vec!["Minecraft".into()]).check(&a, "something hard");
    assert_eq!(f, Findings::default());
}

#[test]
fn wrong_prices_years_and_makers_are_wrong_facts() {
    let r = retriever();
    let a = answer(
        &r,
        &[
            ("hades", "because it costs $7 and came out in 2015"),
            ("celeste", "because it is a Platformer made by Nintendo"),
            ("portal-2", "because it is a Puzzle made by Nintendo"),
        ],
    );
    let f = Checker::new(&r, vec![]).check(&a, "something hard");
    let all = f.wrong_facts.join(" | ");
    assert!(all.contains("$7"), "{all}");
    assert!(all.contains("2015"), "{all}");
    // Portal 2's description names Nintendo; its developer is still Valve.
    assert_eq!(all.matches("maker `nintendo`").count(), 2, "{all}");
    assert!(f.off_catalog.is_empty(), "{:?}", f.off_catalog);
}

#[test]
fn a_label_of_another_item_is_a_wrong_fact_and_an_invented_word_unsupported() {
    let r = retriever();
    let a = answer(
        &r,
        &[("hades", "because it is a Puzzle set in ancient Egypt")],
    );
    let f = Checker::new(&r, vec![]).check(&a, "tell me something");
    assert!(
        f.wrong_facts.iter().any(|w| w.contains("puzzle")),
        "{:?}",
        f.wrong_facts
    );
    assert!(
        f.unsupported.iter().any(|w| w.contains("Egypt")),
        "{:?}",
        f.unsupported
    );
}

#[test]
fn off_catalog_picks_and_missing_titles_are_counted() {
    let r = retriever();
    let mut a = answer(&r, &[("hades", "because it is a Roguelike")]);
    a.picks.push(Pick {
        id: "minecraft".into(),
        title: "Minecraft".into(),
        reason: "because it is a Roguelike".into(),
        by_model: true,
    });
    a.text.push_str("You could also try Minecraft.\n");
    let f = Checker::new(&r, vec!["Minecraft".into()]).check(&a, "a roguelike");
    assert_eq!(f.off_catalog.len(), 2, "{:?}", f.off_catalog);
    // Named as missing, it is no recommendation.
    let mut b = answer(&r, &[("hades", "because it is a Roguelike")]);
    b.text = "Minecraft (not in the catalog) is not something I can recommend.\n".into();
    b.about = vec![ItemRef {
        id: "hades".into(),
        title: "Hades".into(),
    }];
    let f = Checker::new(&r, vec!["Minecraft".into()]).check(&b, "recommend Minecraft");
    assert!(f.off_catalog.is_empty(), "{:?}", f.off_catalog);
}

#[test]
fn repeated_and_undistinguished_reasons_are_counted() {
    let r = retriever();
    let a = answer(
        &r,
        &[
            ("hades", "because it is a fun game"),
            ("celeste", "because it is a fun game"),
        ],
    );
    let f = Checker::new(&r, vec![]).check(&a, "a fun game");
    assert_eq!(f.duplicate_reasons, 1);
    assert_eq!(f.undistinguished, 2);
    let mut b = answer(&r, &[("hades", "because it is a Roguelike")]);
    b.text.push_str("\u{1b}[2J");
    assert_eq!(Checker::new(&r, vec![]).check(&b, "x").unsafe_text, 1);
}

#[test]
fn the_suite_fills_its_placeholders_from_the_catalog() {
    let r = retriever();
    let all = scripts(&["all"], &r);
    assert!(all.len() >= 8, "{all:?}");
    let turns: Vec<&String> = all.iter().flat_map(|s| &s.turns).collect();
    assert!(turns.iter().all(|t| !t.contains('{')), "{turns:?}");
    assert!(turns.iter().any(|t| t.as_str() == "recommend Minecraft"));
    assert_eq!(
        missing_titles(&r).first().map(String::as_str),
        Some("Minecraft")
    );
    assert!(scripts(&["games"], &r).len() == 1 && scripts(&["nothing"], &r).is_empty());
}
