//! The splits are honest: held-out items never appear in another split's queries, and test
//! queries are worded only with held-out phrasings (templates, typo kind, history lengths).

use std::collections::HashSet;

use super::data::{fill, Data};
use super::tests::{catalog, steam_items};
use super::*;

/// The literal pieces of a template, with every slot a wildcard.
fn frame(template: &str) -> Vec<String> {
    let keys = [
        "history", "title", "labels", "dev", "games", "game", "name", "vague", "extra", "pos",
        "neg", "request",
    ];
    let values: Vec<(&str, &str)> = keys.iter().map(|k| (*k, "\u{1}")).collect();
    fill(template, &values)
        .split('\u{1}')
        .map(|s| s.trim().to_lowercase())
        .collect()
}

/// Whether `text` can be `template` with its slots filled.
fn matches(template: &str, text: &str) -> bool {
    let pieces = frame(template);
    let text = text.to_lowercase();
    let (first, last) = (&pieces[0], &pieces[pieces.len() - 1]);
    if !text.starts_with(first.as_str()) || !text.ends_with(last.as_str()) {
        return false;
    }
    let mut at = first.len();
    for p in &pieces[1..pieces.len() - 1] {
        match text[at..].find(p.as_str()) {
            Some(i) => at += i + p.len(),
            None => return false,
        }
    }
    at <= text.len() - last.len() || pieces.len() == 1
}

#[test]
fn test_queries_use_only_held_out_phrasings_and_items() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/steam/steam_games.jsonl"
    );
    let Some(items) = steam_items(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let (train_view, test_view) = (Data::load(false), Data::load(true));
    let train = generate_split(&items, 80, 7, Split::Train);
    let valid = generate_split(&items, 40, 7, Split::Validation);
    let test = generate_split(&items, 80, 7, Split::Test);
    let all = generate(&items, 40, 7);
    let split_of = |id: &str| {
        all.queries
            .iter()
            .chain(&train.queries)
            .chain(&valid.queries)
            .chain(&test.queries)
            .find(|q| q.target.as_deref() == Some(id))
            .map(|q| q.split)
    };
    let held_out: HashSet<&str> = valid
        .queries
        .iter()
        .chain(&test.queries)
        .filter_map(|q| q.target.as_deref())
        .collect();
    for (set, split) in [
        (&train, Split::Train),
        (&valid, Split::Validation),
        (&test, Split::Test),
    ] {
        assert!(set.queries.iter().all(|q| q.split == split));
        for kind in QueryType::ALL {
            assert!(set.of_kind(kind).count() > 0, "{kind} in {split:?}");
        }
    }
    for q in &train.queries {
        for x in &q.exclude {
            assert!(!held_out.contains(x.as_str()), "held-out {x} in {q:?}");
            assert!(
                split_of(x).is_none_or(|s| s == Split::Train),
                "{x} in {q:?}"
            );
        }
        if q.kind == QueryType::UH2I {
            assert!((3..=4).contains(&q.exclude.len()), "{q:?}");
        }
    }
    for q in test.of_kind(QueryType::UH2I) {
        assert!([2, 5].contains(&q.exclude.len()), "{q:?}");
    }
    let distinctive = |t: &str| frame(t).iter().map(String::len).sum::<usize>() >= 8;
    for kind in QueryType::ALL {
        let held: Vec<&str> = test_view.templates(kind.as_str()).to_vec();
        for q in test.of_kind(kind) {
            assert!(
                held.iter().any(|t| matches(t, &q.text)),
                "{kind} test text not from a held-out template: {}",
                q.text
            );
        }
        for q in train.of_kind(kind).chain(valid.of_kind(kind)) {
            for t in held.iter().filter(|t| distinctive(t)) {
                assert!(!matches(t, &q.text), "{kind}: `{}` uses `{t}`", q.text);
            }
        }
    }
    for q in test.of_kind(QueryType::VC2I) {
        assert!(test_view.vague.iter().any(|v| q.text.contains(v.phrase)));
        assert!(train_view.vague.iter().all(|v| !q.text.contains(v.phrase)));
    }
}

#[test]
fn split_generation_is_deterministic_and_disjoint() {
    let items = catalog();
    let a = generate_split(&items, 5, 3, Split::Train);
    assert_eq!(a, generate_split(&items, 5, 3, Split::Train));
    let b = generate_split(&items, 5, 3, Split::Test);
    let targets = |s: &QuerySet| -> HashSet<String> {
        s.queries.iter().filter_map(|q| q.target.clone()).collect()
    };
    assert!(targets(&a).is_disjoint(&targets(&b)));
}
