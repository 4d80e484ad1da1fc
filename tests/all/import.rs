//! Catalog importers against the real shared data (Steam gz and JSONL, ReDial) and against
//! malformed files written to temporary folders: truncated gzip, binary data, a bad line in the
//! middle, a CSV without a mapped column, an empty file; plus property tests that no input,
//! random or mutated, makes any format's importer panic.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use proptest::prelude::*;
use reco::catalog::import::*;
use reco::catalog::item::*;
use reco::error::Error;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FORMATS: [Format; 4] = [Format::Steam, Format::Jsonl, Format::Csv, Format::Redial];

/// Every item and skip of a file, and the fatal error if one ended it.
struct Outcome {
    items: Vec<(usize, Item)>,
    skips: Vec<Skip>,
    fatal: Option<Error>,
}

fn import(path: &Path, format: Format, map: &FieldMap) -> Result<Outcome, Error> {
    let mut records = open(path, format, map)?;
    let mut out = Outcome {
        items: Vec::new(),
        skips: Vec::new(),
        fatal: None,
    };
    for r in records.by_ref() {
        match r {
            Ok(Record::Item { line, item, .. }) => out.items.push((line, *item)),
            Ok(Record::Skip(s)) => out.skips.push(s),
            Err(e) => {
                assert!(out.fatal.is_none(), "a second error after {:?}", out.fatal);
                out.fatal = Some(e);
            }
        }
    }
    assert!(records.next().is_none(), "the iterator must stay ended");
    assert!(records.bytes_read() <= records.total_bytes());
    Ok(out)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    Ok(path)
}

#[test]
fn steam_gz_imports_nearly_everything() -> TestResult {
    let Some(path) = crate::shared_data("steam/steam_games.json.gz") else {
        return Ok(());
    };
    assert_eq!(Format::detect(&path)?, Format::Steam);
    let start = Instant::now();
    let out = import(&path, Format::Steam, &FieldMap::default())?;
    println!(
        "steam gz: {} items, {} skipped in {:?}",
        out.items.len(),
        out.skips.len(),
        start.elapsed()
    );
    for s in &out.skips {
        println!("  line {}: {}", s.line, s.reason);
        assert!(s.line > 0 && !s.reason.is_empty());
    }
    assert!(out.fatal.is_none(), "{:?}", out.fatal);
    assert!(out.items.len() >= 32_000, "{} items", out.items.len());
    assert_eq!(out.items.len() + out.skips.len(), 32_135);
    let (_, kitty) = &out.items[0];
    assert_eq!(
        (kitty.id.as_str(), kitty.title.as_str()),
        ("761140", "Lost Summoner Kitty")
    );
    assert_eq!(
        (kitty.year, kitty.price),
        (Some(2018), Some(Price::Paid(4.99)))
    );
    assert!(out.items.iter().any(|(_, i)| i.price == Some(Price::Free)));
    Ok(())
}

#[test]
fn steam_jsonl_gives_the_same_ids_as_the_gz() -> TestResult {
    let (Some(gz), Some(jsonl)) = (
        crate::shared_data("steam/steam_games.json.gz"),
        crate::shared_data("steam/steam_games.jsonl"),
    ) else {
        return Ok(());
    };
    assert_eq!(Format::detect(&jsonl)?, Format::Steam);
    let a = import(&gz, Format::Steam, &FieldMap::default())?;
    let b = import(&jsonl, Format::Steam, &FieldMap::default())?;
    assert!(b.fatal.is_none());
    let ids = |o: &Outcome| {
        o.items
            .iter()
            .map(|(_, i)| i.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        a.items, b.items,
        "the two encodings must give identical items"
    );
    Ok(())
}

#[test]
fn redial_imports_every_movie() -> TestResult {
    let Some(path) = crate::shared_data("redial/movies_with_mentions.csv") else {
        return Ok(());
    };
    assert_eq!(Format::detect(&path)?, Format::Redial);
    let out = import(&path, Format::Redial, &FieldMap::default())?;
    assert!(
        out.fatal.is_none() && out.skips.is_empty(),
        "{:?}",
        out.skips
    );
    assert_eq!(out.items.len(), 6_924);
    let (line, first) = &out.items[0];
    assert_eq!(
        (*line, first.title.as_str(), first.year),
        (2, "Headhunter", Some(2009))
    );
    assert_eq!(first.attributes["mentions"], "1");
    let with_year = out.items.iter().filter(|(_, i)| i.year.is_some()).count();
    println!("redial: {} items, {with_year} with a year", out.items.len());
    Ok(())
}

#[test]
fn truncated_gzip_ends_with_an_error_after_the_items_before_it() -> TestResult {
    let Some(path) = crate::shared_data("steam/steam_games.json.gz") else {
        return Ok(());
    };
    let bytes = std::fs::read(&path)?;
    let dir = tempfile::tempdir()?;
    let cut = write(dir.path(), "cut.json.gz", &bytes[..200_000])?;
    let out = import(&cut, Format::detect(&cut)?, &FieldMap::default())?;
    assert!(out.items.len() > 1_000, "{} items", out.items.len());
    match out.fatal {
        Some(Error::Parse { line, message, .. }) => {
            assert_eq!(line, out.items.len() + out.skips.len() + 1);
            assert!(message.contains("gzip"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    Ok(())
}

#[test]
fn binary_file_is_a_clear_error_in_every_format() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut seed = 0x2545_f491_u32;
    let bytes: Vec<u8> = (0..20_000)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            if i % 97 == 0 {
                0
            } else {
                seed.to_le_bytes()[0]
            }
        })
        .collect();
    let path = write(dir.path(), "random.bin", &bytes)?;
    let _ = Format::detect(&path); // may fail, must not panic
    for format in FORMATS {
        let out = import(&path, format, &FieldMap::default())?;
        assert!(out.items.is_empty() && out.skips.is_empty());
        let msg = out.fatal.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("binary"), "{format}: {msg}");
    }
    Ok(())
}

#[test]
fn a_bad_line_in_the_middle_is_skipped_with_its_number() -> TestResult {
    let dir = tempfile::tempdir()?;
    let jsonl = write(
        dir.path(),
        "items.jsonl",
        b"{\"id\": \"1\", \"title\": \"One\"}\n{\"id\": \"2\", \"title\": \n\n{\"id\": \"3\", \"title\": \"Three\"}\n",
    )?;
    let out = import(&jsonl, Format::detect(&jsonl)?, &FieldMap::default())?;
    let lines: Vec<usize> = out.items.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [1, 4]);
    assert_eq!(out.skips.len(), 1);
    assert_eq!(out.skips[0].line, 2);
    assert!(
        out.skips[0].reason.contains("invalid JSON"),
        "{}",
        out.skips[0].reason
    );

    let steam = write(
        dir.path(),
        "games.json",
        b"{u'id': u'1', u'app_name': u'A'}\n{u'id': u'2', u'app_name': u'B\n\xff\xfe bad\n{'id': '3', 'app_name': 'C'}\n{'app_name': 'no id'}\n",
    )?;
    assert_eq!(Format::detect(&steam)?, Format::Steam);
    let out = import(&steam, Format::Steam, &FieldMap::default())?;
    let ids: Vec<(usize, &str)> = out.items.iter().map(|(l, i)| (*l, i.id.as_str())).collect();
    assert_eq!(ids, [(1, "1"), (4, "3")]);
    let skipped: Vec<usize> = out.skips.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [2, 3, 5]);
    assert!(out.skips[1].reason.contains("UTF-8"));
    assert!(out.skips[2].reason.contains("missing field `id`"));
    Ok(())
}

#[test]
fn csv_without_a_mapped_column_names_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = write(dir.path(), "shop.csv", b"sku,name,price\n1,Widget,2.50\n")?;
    assert_eq!(Format::detect(&path)?, Format::Csv);
    let map = FieldMap::parse("id=sku,title=name,genres=category")?;
    let out = import(&path, Format::Csv, &map)?;
    assert!(out.items.is_empty());
    match out.fatal {
        Some(Error::Parse {
            path: p,
            line,
            field,
            message,
        }) => {
            assert_eq!((p, line, field.as_str()), (path.clone(), 1, "category"));
            assert!(message.contains("`category`"), "{message}");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    let ok = import(&path, Format::Csv, &FieldMap::parse("id=sku,title=name")?)?;
    assert_eq!(ok.items.len(), 1);
    assert_eq!(ok.items[0].1.price, Some(Price::Paid(2.5)));
    Ok(())
}

#[test]
fn empty_and_missing_files_fail_at_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let empty = write(dir.path(), "empty.jsonl", b"")?;
    for format in FORMATS {
        match open(&empty, format, &FieldMap::default()) {
            Err(Error::Parse {
                line: 0, message, ..
            }) => assert_eq!(message, "file is empty"),
            Err(e) => panic!("{format}: wrong error {e}"),
            Ok(_) => panic!("{format}: an empty file must not open"),
        }
    }
    let missing = dir.path().join("nope.csv");
    assert!(matches!(
        open(&missing, Format::Csv, &FieldMap::default()),
        Err(Error::Io { .. })
    ));
    assert!(matches!(Format::detect(&missing), Err(Error::Io { .. })));
    Ok(())
}

#[test]
fn item_lines_round_trip_through_jsonl() -> TestResult {
    let items = vec![
        Item {
            id: "a".into(),
            title: "Alpha".into(),
            year: Some(1999),
            price: Some(Price::Paid(9.99)),
            genres: vec!["Drama".into()],
            tags: vec!["Slow, burn".into()],
            attributes: [("k".to_string(), "v".to_string())].into(),
            ..Item::default()
        },
        Item {
            id: "b".into(),
            title: "Beta".into(),
            price: Some(Price::Free),
            developer: Some("Dev".into()),
            ..Item::default()
        },
    ];
    let mut text = String::new();
    for it in &items {
        text.push_str(&serde_json::to_string(it)?);
        text.push('\n');
    }
    let dir = tempfile::tempdir()?;
    let path = write(dir.path(), "ours.jsonl", text.as_bytes())?;
    assert_eq!(Format::detect(&path)?, Format::Jsonl);
    let out = import(&path, Format::Jsonl, &FieldMap::default())?;
    let got: Vec<Item> = out.items.into_iter().map(|(_, i)| i).collect();
    assert_eq!(got, items);
    Ok(())
}

#[test]
fn format_names() -> TestResult {
    assert_eq!(Format::parse("Steam")?, Format::Steam);
    assert_eq!(Format::parse("redial")?, Format::Redial);
    assert!(Format::parse("xml").is_err());
    Ok(())
}

/// About 50 real Steam lines (or a few written here when the shared data is absent).
fn steam_lines() -> Vec<Vec<u8>> {
    let real = crate::shared_data("steam/steam_games.json.gz").and_then(|p| {
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(p).ok()?)
            .take(60_000)
            .read_to_string(&mut text)
            .ok()?;
        Some(
            text.lines()
                .take(50)
                .map(|l| l.as_bytes().to_vec())
                .collect::<Vec<_>>(),
        )
    });
    real.filter(|l| !l.is_empty()).unwrap_or_else(|| {
        vec![
            b"{u'id': u'1', u'app_name': u'Caf\\xe9 \\u2122', u'price': 4.99, u'tags': [u'A']}"
                .to_vec(),
            b"{'id': '2', 'app_name': \"It's\", 'price': u'Free', 'early_access': True}".to_vec(),
            b"{\"id\": \"3\", \"title\": \"J\", \"price\": null, \"specs\": [\"x\"]}".to_vec(),
        ]
    })
}

/// Feeds `bytes` to every format, plain and gzipped; only checks that nothing panics and the
/// iterator contract holds.
fn feed_everywhere(bytes: &[u8]) -> TestResult {
    let dir = tempfile::tempdir()?;
    let plain = write(dir.path(), "in.txt", bytes)?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes)?;
    let gz = write(dir.path(), "in.gz", &enc.finish()?)?;
    for path in [&plain, &gz] {
        let _ = Format::detect(path);
        for format in FORMATS {
            if let Ok(out) = import(path, format, &FieldMap::default()) {
                assert!(out.items.iter().all(|(l, i)| *l > 0 && !i.id.is_empty()));
                assert!(out.skips.iter().all(|s| s.line > 0 && !s.reason.is_empty()));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(feed_everywhere(&bytes).is_ok());
    }

    #[test]
    fn mutated_steam_lines_never_panic(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let lines = steam_lines();
        let mut bytes = Vec::new();
        for p in &picks {
            bytes.extend_from_slice(&lines[p.index(lines.len())]);
            bytes.push(b'\n');
        }
        for m in mutations {
            let len = bytes.len().max(1);
            match m {
                Mutation::Flip(i, b) => {
                    if let Some(x) = bytes.get_mut(i % len) {
                        *x ^= b;
                    }
                }
                Mutation::Truncate(i) => bytes.truncate(i % len),
                Mutation::Insert(i, b) => {
                    let at = (i % len).min(bytes.len());
                    bytes.splice(at..at, b);
                }
            }
        }
        prop_assert!(feed_everywhere(&bytes).is_ok());
    }
}

#[test]
fn records_can_move_to_another_thread() {
    fn is_send<T: Send>() {}
    is_send::<Records>();
}
