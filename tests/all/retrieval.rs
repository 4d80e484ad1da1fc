//! Retrieval on the real embedding model and a real Steam slice: misspelled titles, price
//! filters, negations, incremental re-indexing, and hostile queries.

use std::sync::OnceLock;

use reco::{
    catalog::Price,
    retrieve::{index, Retriever, SearchOptions, Searcher},
    store::Store,
};

use crate::{embedder, import_into, steam_slice, temp_store};

const SLICE: usize = 1500;

/// One indexed Steam slice shared by the tests of this module.
fn fixture() -> Option<&'static (tempfile::TempDir, Store)> {
    static F: OnceLock<Option<(tempfile::TempDir, Store)>> = OnceLock::new();
    F.get_or_init(|| {
        let (dir, store) = temp_store();
        let file = steam_slice(dir.path(), SLICE)?;
        import_into(&store, &file, "steam");
        let e = embedder();
        let r = index::build(&store, "steam", &*e, false).expect("index");
        assert!(r.embedded >= SLICE - 5, "embedded {}", r.embedded);
        Some((dir, store))
    })
    .as_ref()
}

fn searcher(store: &Store) -> Searcher {
    Searcher {
        retriever: std::sync::Arc::new(Retriever::load(store, "steam").expect("load")),
        embedder: embedder(),
        adapter: None,
    }
}

fn top(s: &Searcher, q: &str, k: usize) -> reco::retrieve::SearchResult {
    s.search(
        q,
        &SearchOptions {
            k,
            ..SearchOptions::default()
        },
    )
    .expect("search")
}

#[test]
fn misspelled_titles_find_their_item_in_the_top_5() {
    let Some((_, store)) = fixture() else { return };
    let s = searcher(store);
    let cases = [
        ("Lost Summoner Kitty", "Lost Sumoner Kity"),
        ("Ironbound", "Ironbund"),
    ];
    let items = s.retriever.items().to_vec();
    let mut tried = 0;
    for (title, typo) in cases {
        let Some(target) = items.iter().find(|i| i.title == title) else {
            continue;
        };
        tried += 1;
        let r = s
            .search(
                typo,
                &SearchOptions {
                    k: 5,
                    ..SearchOptions::default()
                },
            )
            .expect("search");
        let ids: Vec<&str> = r.hits.iter().map(|h| items[h.index].id.as_str()).collect();
        assert!(
            ids.contains(&target.id.as_str()),
            "{typo} → {ids:?}, wanted {}",
            target.id
        );
    }
    // Also misspell titles picked from the data itself: drop one inner letter of long words.
    for item in items
        .iter()
        .filter(|i| i.title.len() >= 12 && i.title.is_ascii())
        .step_by(97)
        .take(8)
    {
        let mid = item.title.len() / 2;
        let typo = format!("{}{}", &item.title[..mid], &item.title[mid + 1..]);
        let r = s
            .search(
                &typo,
                &SearchOptions {
                    k: 5,
                    ..SearchOptions::default()
                },
            )
            .expect("search");
        let found = r.hits.iter().any(|h| items[h.index].title == item.title);
        assert!(found, "`{typo}` did not find `{}`", item.title);
        tried += 1;
    }
    assert!(tried >= 8);
}

#[test]
fn price_filter_is_respected_by_every_result() {
    let Some((_, store)) = fixture() else { return };
    let s = searcher(store);
    for q in [
        "action game under $5",
        "strategy games for less than 10 dollars",
        "free racing game",
    ] {
        let r = top(&s, q, 20);
        assert!(!r.hits.is_empty(), "{q}: no results");
        let max = r.parsed.filters.price_max.unwrap_or(0.0);
        for h in &r.hits {
            let it = &s.retriever.items()[h.index];
            let p = it.price.map(Price::amount).expect("price known");
            assert!(p <= max + 1e-9, "{q}: {} costs {p}", it.title);
        }
    }
}

#[test]
fn negation_excludes_the_negated_genre() {
    let Some((_, store)) = fixture() else { return };
    let s = searcher(store);
    for (q, label) in [
        ("strategy games that are not turn-based", "turn-based"),
        ("action game, no horror", "horror"),
        ("adventure without multiplayer", "multi-player"),
    ] {
        let r = top(&s, q, 20);
        assert!(!r.hits.is_empty(), "{q}");
        for h in &r.hits {
            let it = &s.retriever.items()[h.index];
            assert!(
                !it.labels().any(|l| l.eq_ignore_ascii_case(label)),
                "{q}: {} is {label}",
                it.title
            );
        }
    }
}

#[test]
fn reindexing_an_unchanged_catalog_embeds_nothing() {
    let Some((_, store)) = fixture() else { return };
    let e = embedder();
    let r = index::build(store, "steam", &*e, false).expect("reindex");
    assert_eq!(r.embedded, 0);
    assert!(r.unchanged >= SLICE - 5);
}

#[test]
fn hostile_queries_give_an_error_or_a_sane_result() {
    let Some((_, store)) = fixture() else { return };
    let s = searcher(store);
    assert!(s.search("", &SearchOptions::default()).is_err());
    assert!(s.search("   \n\t ", &SearchOptions::default()).is_err());
    let huge = "strategy ".repeat(100 * 1024 / 9);
    let r = s
        .search(&huge, &SearchOptions::default())
        .expect("huge query");
    assert!(r.hits.len() <= 10);
    let ctrl: String = (0u8..32)
        .map(char::from)
        .chain("puzzle\u{7f}\u{1b}[31m".chars())
        .collect();
    let r = s
        .search(&ctrl, &SearchOptions::default())
        .expect("control characters");
    assert!(!r.hits.is_empty());
}

#[test]
fn real_embeddings_are_unit_length_and_meaningful() {
    let e = embedder();
    let v = e
        .embed(&[
            "a cozy farming game",
            "relaxing farm life simulator",
            "military tank shooter",
        ])
        .expect("embed");
    let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-3);
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.1);
}
