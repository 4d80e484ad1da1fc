//! Generation tests on a hand-made 30-item catalog, and a full run on the Steam
//! data in `../shared/data` (skipped with a printed reason when it is absent).

use std::collections::HashSet;

use super::*;
use crate::catalog::item::{Item, Price};

fn item(
    id: usize,
    title: &str,
    genres: &[&str],
    tags: &[&str],
    dev: &str,
    year: i32,
    price: Option<Price>,
) -> Item {
    Item {
        id: format!("i{id}"),
        title: title.into(),
        year: Some(year),
        price,
        genres: genres.iter().map(|s| (*s).to_string()).collect(),
        tags: tags.iter().map(|s| (*s).to_string()).collect(),
        developer: Some(dev.into()),
        ..Item::default()
    }
}

/// Three clusters of ten: cozy farming sims, strategy games, horror shooters.
pub(super) fn catalog() -> Vec<Item> {
    let farm = [
        "Harvest Meadow",
        "Sunny Acres",
        "Moonlight Orchard",
        "Pumpkin Hollow",
        "Willow Creek Farm",
        "Golden Fields",
        "Berry Lane",
        "Maple Homestead",
        "Clover Valley",
        "Honeybee Hills",
    ];
    let strat = [
        "Iron Legions",
        "Crown of Ashes",
        "Steel Dominion",
        "Empire Tactics",
        "Siege Masters",
        "Frontline Command",
        "Kingdom Clash",
        "Warlords Rising",
        "Banner Wars",
        "Hex Conquest",
    ];
    let horror = [
        "Dead Signal",
        "Night Terror",
        "Blood Harbor",
        "Silent Ward",
        "Rotting City",
        "Hollow Bunker",
        "Grim Outpost",
        "Fear Protocol",
        "Dark Corridor",
        "Last Breath",
    ];
    let prices = [
        Some(Price::Free),
        Some(Price::Paid(4.99)),
        Some(Price::Paid(9.99)),
        Some(Price::Paid(14.99)),
        None,
    ];
    let mut out = Vec::new();
    for (i, t) in farm.iter().enumerate() {
        let extra = if i % 2 == 0 { "Co-op" } else { "Single-player" };
        let tags = [
            "Farming Sim",
            "Relaxing",
            "Casual",
            "Cute",
            "Pixel Graphics",
            extra,
            "Steam Achievements",
        ];
        let dev = if i < 5 { "Cozy Co" } else { "Barn Owl Games" };
        out.push(item(
            i,
            t,
            &["Simulation", "Indie"],
            &tags,
            dev,
            2012 + i as i32,
            prices[i % 5],
        ));
    }
    for (i, t) in strat.iter().enumerate() {
        let kind = if i % 2 == 0 {
            "Turn-Based"
        } else {
            "Real-Time"
        };
        let tags = [
            "Strategy",
            kind,
            "Tactical",
            "War",
            "Historical",
            "Multiplayer",
        ];
        let dev = if i < 5 { "Hexworks" } else { "Banner Studio" };
        out.push(item(
            10 + i,
            t,
            &["Strategy"],
            &tags,
            dev,
            1998 + 2 * i as i32,
            prices[(i + 1) % 5],
        ));
    }
    for (i, t) in horror.iter().enumerate() {
        let extra = if i % 2 == 0 {
            "Zombies"
        } else {
            "Psychological Horror"
        };
        let tags = [
            "Horror",
            "FPS",
            "Survival",
            "Dark",
            "Atmospheric",
            extra,
            "Online Co-Op",
        ];
        let dev = if i < 5 { "Gloom Labs" } else { "Night Shift" };
        out.push(item(
            20 + i,
            t,
            &["Action", "Indie"],
            &tags,
            dev,
            2005 + i as i32,
            prices[(i + 2) % 5],
        ));
    }
    out
}

#[test]
fn generation_is_deterministic() {
    let items = catalog();
    let a = generate(&items, 4, 42);
    assert_eq!(a, generate(&items, 4, 42));
    assert_ne!(a, generate(&items, 4, 43));
}

#[test]
fn every_type_is_produced() {
    let items = catalog();
    let set = generate(&items, 3, 7);
    for kind in QueryType::ALL {
        let n = set.of_kind(kind).count();
        assert!(n >= 1, "{kind}: {n} queries");
        assert!(n <= 3);
    }
}

#[test]
fn splits_are_disjoint_by_target() {
    let items = catalog();
    let set = generate(&items, 30, 5);
    let targets = |s: Split| -> HashSet<String> {
        set.in_split(s).filter_map(|q| q.target.clone()).collect()
    };
    let (train, test) = (targets(Split::Train), targets(Split::Test));
    assert!(!train.is_empty() && !test.is_empty());
    assert!(train.is_disjoint(&test));
}

#[test]
fn texts_never_name_the_target_and_grades_are_sane() {
    let items = catalog();
    let ctx = GradeContext::new(&items);
    let set = generate(&items, 10, 11);
    for q in &set.queries {
        let grades: Vec<u8> = items.iter().map(|i| q.grade(i, &ctx)).collect();
        if let Some(t) = &q.target {
            let target = ctx.get(t).expect("present");
            assert_eq!(q.grade(target, &ctx), 3);
            assert_eq!(grades.iter().filter(|&&g| g == 3).count(), 1);
            if q.kind != QueryType::NM2I {
                assert!(!phrase::mentions(&q.text, &target.title), "{q:?}");
            }
        } else {
            assert!(grades.iter().filter(|&&g| g == 2).count() >= 3, "{q:?}");
        }
        for x in &q.exclude {
            assert_eq!(
                q.grade(ctx.get(x).expect("present"), &ctx),
                0,
                "excluded item graded: {q:?}"
            );
        }
        if matches!(q.kind, QueryType::FA2I | QueryType::SA2I | QueryType::AS2I) {
            assert!(q.conditions.len() >= 2, "{q:?}");
        }
    }
}

#[test]
fn misspelled_names_are_one_or_two_edits_away() {
    let items = catalog();
    let ctx = GradeContext::new(&items);
    let set = generate(&items, 30, 3);
    let mut n = 0;
    for q in set.of_kind(QueryType::NM2I) {
        let title = &ctx
            .get(q.target.as_deref().expect("present"))
            .expect("present")
            .title;
        assert!(!q.text.contains(title.as_str()));
        let text: Vec<char> = q.text.chars().collect();
        let len = title.chars().count();
        let mut best = usize::MAX;
        for w in len.saturating_sub(2)..=len + 2 {
            for s in 0..=text.len().saturating_sub(w) {
                let window: String = text[s..(s + w).min(text.len())].iter().collect();
                best = best.min(edit_distance(title, &window));
            }
        }
        assert!((1..=2).contains(&best), "{title} → {}", q.text);
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn negated_labels_always_grade_zero() {
    let items = catalog();
    let ctx = GradeContext::new(&items);
    let set = generate(&items, 20, 9);
    assert!(set.of_kind(QueryType::NA2I).count() > 0);
    for q in set.of_kind(QueryType::NA2I) {
        let Some(Condition::NotLabel(neg)) = q
            .conditions
            .iter()
            .find(|c| matches!(c, Condition::NotLabel(_)))
        else {
            panic!("no negation in {q:?}");
        };
        for i in items.iter().filter(|i| i.has_label(neg)) {
            assert_eq!(q.grade(i, &ctx), 0, "{} in {q:?}", i.title);
        }
    }
}

#[test]
fn i2i_anchor_is_excluded_and_graded_zero() {
    let items = catalog();
    let ctx = GradeContext::new(&items);
    for q in generate(&items, 10, 2).of_kind(QueryType::I2I) {
        let Some(Condition::SimilarTo(anchor)) = q.conditions.first() else {
            panic!("{q:?}")
        };
        assert_eq!(q.exclude, vec![anchor.clone()]);
        assert_eq!(q.grade(ctx.get(anchor).expect("present"), &ctx), 0);
    }
}

#[test]
fn jsonl_round_trips() {
    let items = catalog();
    let set = generate(&items, 3, 1);
    let text = set.to_jsonl().expect("present");
    assert_eq!(text.lines().count(), set.queries.len());
    let back = QuerySet::from_jsonl(&text, std::path::Path::new("q.jsonl")).expect("present");
    assert_eq!(back, set);
    let err =
        QuerySet::from_jsonl("{}\n", std::path::Path::new("q.jsonl")).expect_err("not a query");
    assert!(err.to_string().starts_with("q.jsonl:1:"));
}

/// Items from the Steam data the way an importer would make them (only what the test needs).
pub(super) fn steam_items(path: &str) -> Option<Vec<Item>> {
    let text = std::fs::read_to_string(path).ok()?;
    let strings = |v: &serde_json::Value, k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut items = Vec::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(id), Some(title)) = (v["id"].as_str(), v["app_name"].as_str()) else {
            continue;
        };
        let price = match &v["price"] {
            serde_json::Value::Number(n) => {
                n.as_f64()
                    .map(|p| if p > 0.0 { Price::Paid(p) } else { Price::Free })
            }
            serde_json::Value::String(s) if s.to_lowercase().starts_with("free") => {
                Some(Price::Free)
            }
            _ => None,
        };
        let mut tags = strings(&v, "tags");
        tags.extend(strings(&v, "specs"));
        items.push(Item {
            id: id.into(),
            title: title.into(),
            year: v["release_date"]
                .as_str()
                .and_then(|d| d.get(..4)?.parse().ok()),
            price,
            genres: strings(&v, "genres"),
            tags,
            developer: v["developer"].as_str().map(String::from),
            ..Item::default()
        });
    }
    Some(items)
}

#[test]
fn steam_generation_is_full() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/steam/steam_games.jsonl"
    );
    let Some(items) = steam_items(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let start = std::time::Instant::now();
    let set = generate(&items, 100, 2024);
    let took = start.elapsed();
    println!(
        "{} items → {} queries in {took:.2?}",
        items.len(),
        set.queries.len()
    );
    let ctx = GradeContext::new(&items);
    let start = std::time::Instant::now();
    let ideals: Vec<_> = set
        .queries
        .iter()
        .map(|q| crate::eval::metrics::IdealCounts::compute(q, &items, &ctx))
        .collect();
    println!("ideal counts for all queries in {:.2?}", start.elapsed());
    for kind in QueryType::ALL {
        let qs: Vec<(usize, &Query)> = set
            .queries
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind == kind)
            .collect();
        let test = qs.iter().filter(|(_, q)| q.split == Split::Test).count();
        println!("\n{kind}: {} queries ({test} test)", qs.len());
        for (i, q) in qs.iter().take(4) {
            let t = q
                .target
                .as_deref()
                .and_then(|t| ctx.get(t))
                .map_or("-", |i| i.title.as_str());
            println!(
                "  {:?}  [target: {t}; grades 3/2/1: {:?}]",
                q.text,
                &ideals[*i].counts[1..]
            );
        }
        assert_eq!(qs.len(), 100, "{kind}");
    }
}
