//! Terminal safety outside the chat: an item whose title holds an OSC title change
//! (`ESC ] 0;pwned BEL`), a clear-screen (`ESC [2J`), a C1 CSI and a bidi override prints as
//! harmless text in `reco search` (cards and `--json`) and `reco catalog show`, and an import
//! removes such characters and reports the line.

use reco::{
    catalog::Item,
    models::Bundle,
    store::{CatalogMeta, ImportSummary, Store},
};

use super::home_with_models;

const EVIL: &str = "Evil\u{1b}]0;pwned\u{7} Game\u{1b}[2J\u{9b}31m\u{202e}";

fn reco(home: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reco"))
        .env("RECO_HOME", home)
        .arg("--quiet")
        .args(args)
        .output()
        .expect("run reco");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn harmless(s: &str) -> bool {
    !s.chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}')
}

#[test]
fn hostile_titles_print_as_harmless_text() {
    let home = home_with_models(&[Bundle::Embedding]);
    let h = home.path();
    // Written straight to the store, as an older version or another tool could have.
    {
        let store = Store::open(&h.join("db")).expect("store");
        store
            .register_catalog(&CatalogMeta {
                name: "evil".into(),
                source: "test".into(),
                format: "jsonl".into(),
                imported_at: 0,
                items: 2,
                last_import: ImportSummary::default(),
                adapters: Default::default(),
            })
            .expect("register");
        let items = [
            Item {
                id: "e1".into(),
                title: EVIL.into(),
                genres: vec!["Action\u{1b}[31m".into()],
                ..Item::default()
            },
            Item {
                id: "ok".into(),
                title: "Plain Game".into(),
                ..Item::default()
            },
        ];
        store.upsert_items("evil", &items).expect("items");
        store.flush().expect("flush");
    }
    let (ok, out, err) = reco(h, &["search", "evil game", "-c", "evil"]);
    assert!(ok, "{err}");
    assert!(harmless(&out), "{out:?}");
    assert!(out.contains("Evil Game"), "{out}");
    let (ok, out, _) = reco(h, &["search", "evil game", "-c", "evil", "--json"]);
    assert!(ok && harmless(&out), "{out:?}");
    let (ok, out, _) = reco(h, &["catalog", "show", "e1", "-c", "evil"]);
    assert!(ok && harmless(&out), "{out:?}");
    assert!(
        out.contains(r"Evil\u001b]0;pwned\u0007 Game\u001b[2J\u009b31m\u202e"),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    assert_eq!(v["title"], EVIL);

    let file = h.join("evil.jsonl");
    let line = serde_json::json!({"id": "e2", "title": EVIL}).to_string();
    std::fs::write(
        &file,
        format!("{line}\n{{\"id\": \"p\", \"title\": \"Plain\"}}\n"),
    )
    .expect("write");
    let (ok, out, err) = reco(
        h,
        &[
            "catalog",
            "import",
            file.to_str().expect("path"),
            "--name",
            "evil2",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("1 cleaned")
            && out.contains("evil.jsonl:1: control characters removed from title"),
        "{out}"
    );
    let (ok, out, _) = reco(h, &["catalog", "show", "e2", "-c", "evil2"]);
    assert!(ok && out.contains("\"title\": \"Evil Game\""), "{out}");
}
