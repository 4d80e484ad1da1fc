//! Session memory: `reco sessions list | show | export | remove` on a conversation held with
//! `reco ask --session`; a session survives `kill -9` of the process at any moment (only the
//! turn in flight is lost, the store reopens); and a frozen store written by this version
//! (tests/fixtures/store-v1) still opens with its catalog, vectors and session intact.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use reco::{
    catalog::{import::FieldMap, import_file},
    dialogue::Conversation,
    embed::HashEmbedder,
    models::Bundle,
    render::markdown,
    retrieve::index,
    store::{Feedback, Role, Store, Turn},
};

use crate::tui::home_with_models;

fn reco(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reco"));
    c.env("RECO_HOME", home).arg("--quiet");
    c
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("run reco");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The session id `reco ask` printed on stderr.
fn session_id(stderr: &str) -> String {
    stderr
        .split("(session ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or_else(|| panic!("no session id in: {stderr}"))
        .to_string()
}

fn stored_turns(home: &Path, id: &str) -> serde_json::Value {
    let (ok, out, err) = run(reco(home).args(["sessions", "show", id, "--json"]));
    assert!(ok, "the store must open and show the session: {err}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn sessions_are_scriptable() {
    let home = home_with_models(&[Bundle::Embedding]);
    let h = home.path();
    let (ok, _, err) = run(reco(h).args(["ask", "--no-generate", "a relaxing farming game"]));
    assert!(ok, "{err}");
    let id = session_id(&err);
    let (ok, _, err) = run(reco(h).args(["ask", "--no-generate", "--session", &id, "cheaper"]));
    assert!(ok, "{err}");
    let (ok, list, _) = run(reco(h).args(["sessions", "list"]));
    assert!(
        ok && list.contains(&id) && list.contains("a relaxing farming game"),
        "{list}"
    );
    let (ok, show, _) = run(reco(h).args(["sessions", "show", &id]));
    assert!(ok, "{show}");
    assert!(
        show.contains("you: cheaper") && show.contains("  1. "),
        "{show}"
    );
    // The chat's feedback commands, scripted.
    let (ok, out, err) = run(reco(h).args(["sessions", "mark", &id, "2", "reject"]));
    assert!(ok && out.contains("rejected"), "{out}{err}");
    let (ok, out, err) = run(reco(h).args(["sessions", "mark", "last", "1", "like"]));
    assert!(ok && out.contains("liked"), "{out}{err}");
    let v = stored_turns(h, &id);
    assert_eq!(v["session"]["rejected"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["session"]["liked"].as_array().map(Vec::len), Some(1));
    let (ok, out, err) = run(reco(h).args(["sessions", "forget", &id, "2"]));
    assert!(ok && out.contains("forgot"), "{out}{err}");
    let v = stored_turns(h, &id);
    assert_eq!(v["session"]["rejected"].as_array().map(Vec::len), Some(0));
    let (ok, _, err) = run(reco(h).args(["sessions", "mark", &id, "9", "seen"]));
    assert!(!ok && err.contains("there is no card 9"), "{err}");
    let md = h.join("s.md");
    let (ok, _, err) = run(reco(h).args(["sessions", "export", "last", "-o"]).arg(&md));
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&md).expect("export");
    assert!(text.starts_with("# a relaxing farming game\n"), "{text}");
    assert!(
        text.contains("**You:** cheaper") && text.contains("| 1 | "),
        "{text}"
    );
    let (ok, out, _) = run(reco(h).args(["sessions", "remove", &id]));
    assert!(ok && out.contains("removed"), "{out}");
    let (ok, _, err) = run(reco(h).args(["sessions", "show", &id]));
    assert!(!ok && err.contains("not found"), "{err}");
    let (ok, _, err) = run(reco(h).args(["chat"]));
    assert!(!ok && err.contains("needs a terminal"), "{err}");
}

/// Start a generating turn, kill it with SIGKILL after `delay` (or once its first card is
/// printed when None), and wait for it to be gone.
fn kill_turn(home: &Path, id: &str, text: &str, delay: Option<Duration>) {
    let mut child = reco(home)
        .args(["ask", "--session", id, text])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn reco");
    match delay {
        Some(d) => std::thread::sleep(d),
        None => {
            let out = child.stdout.take().expect("stdout");
            let start = Instant::now();
            for line in BufReader::new(out).lines() {
                let line = line.expect("read");
                if line.trim_start().starts_with("1. ") {
                    break;
                }
                assert!(start.elapsed() < Duration::from_secs(600), "no card");
            }
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
}

#[test]
fn a_session_survives_kill_9_at_any_moment() {
    let home = home_with_models(&[Bundle::Embedding, Bundle::Generation]);
    let h = home.path();
    let (ok, _, err) = run(reco(h).args(["ask", "--no-generate", "space strategy games"]));
    assert!(ok, "{err}");
    let id = session_id(&err);
    let (ok, _, err) = run(reco(h).args(["ask", "--no-generate", "--session", &id, "cheaper"]));
    assert!(ok, "{err}");
    for delay in [
        Some(Duration::ZERO),
        None,
        Some(Duration::from_millis(1500)),
    ] {
        kill_turn(h, &id, "something with co-op", delay);
        let v = stored_turns(h, &id);
        let turns = v["turns"].as_array().expect("turns");
        assert_eq!(v["session"]["turns"], turns.len(), "{v}");
        assert_eq!(
            turns.len(),
            4,
            "earlier turns intact, the one in flight lost ({delay:?})"
        );
        assert_eq!(turns[0]["text"], "space strategy games");
        assert_eq!(turns[3]["role"], "assistant");
    }
    let (ok, _, err) =
        run(reco(h).args(["ask", "--no-generate", "--session", &id, "more like these"]));
    assert!(ok, "the session goes on after the kills: {err}");
    assert_eq!(
        stored_turns(h, &id)["turns"].as_array().map(Vec::len),
        Some(6)
    );
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

fn fixture_markdown(store: &Store) -> String {
    let s = store.require_session("fixture-1").expect("session");
    let turns = store.turns("fixture-1", 100).expect("turns");
    markdown::session(&s, &turns, &|id| store.item("mini", id).ok().flatten())
}

/// Writes tests/fixtures/store-v1 (run once per store format, then commit the files):
/// `cargo test --release --test all sessions::write_store_fixture -- --ignored`.
#[test]
#[ignore = "writes the frozen fixture"]
fn write_store_fixture() {
    let root = Path::new(FIXTURE);
    let _ = std::fs::remove_dir_all(root.join("db"));
    let store = Store::open(&root.join("db")).expect("store");
    import_file(
        &store,
        &root.join("mini.jsonl"),
        "mini",
        None,
        &FieldMap::default(),
        false,
    )
    .expect("import");
    index::build(&store, "mini", &HashEmbedder::new(32), false).expect("index");
    store.create_session("fixture-1", "mini").expect("session");
    let mut c = Conversation::open(&store, "fixture-1").expect("open");
    c.state.shown = vec!["m1".into(), "m2".into(), "m3".into()];
    c.state.reasons = vec![
        "because it is co-op".into(),
        String::new(),
        "because it is calm".into(),
    ];
    c.state.focus = Some("m1".into());
    c.state.constraints.texts = vec!["cozy co-op games".into()];
    c.state.constraints.filters.price_max = Some(20.0);
    c.mark("m2", Feedback::Rejected);
    c.mark("m3", Feedback::Liked);
    c.session.prefer("co-op");
    let mut ask = Turn::new(Role::User, "cozy co-op games under $20");
    ask.intent = Some("AskForRec/IQU".into());
    ask.confidence = Some(0.97);
    ask.at = 1_700_000_000;
    let mut answer = Turn::new(
        Role::Assistant,
        "• Pixel Pals — because it is co-op\n• Quiet Lake — because it is calm\n",
    );
    answer.items = c.state.shown.clone();
    answer.reasons = c.state.reasons.clone();
    answer.at = 1_700_000_010;
    let mut no = Turn::new(Role::User, "not the second one");
    no.intent = Some("GiveFeedback/REJ".into());
    no.at = 1_700_000_020;
    let mut ok = Turn::new(Role::Assistant, "Noted.");
    ok.at = 1_700_000_030;
    c.commit(&store, vec![ask, answer]).expect("commit");
    c.commit(&store, vec![no, ok]).expect("commit");
    store.flush().expect("flush");
    std::fs::write(root.join("expected.md"), fixture_markdown(&store)).expect("write expected");
}

#[test]
fn the_frozen_store_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&Path::new(FIXTURE).join("db"), &dir.path().join("db"));
    let store = Store::open(&dir.path().join("db")).expect("the frozen store opens");
    assert_eq!(store.catalog_names().expect("catalogs"), ["mini"]);
    assert_eq!(store.item_count("mini").expect("count"), 3);
    let cafe = store.item("mini", "m2").expect("read").expect("item m2");
    assert_eq!(cafe.title, "Café Été");
    assert_eq!(
        store.vector_model("mini").expect("model").as_deref(),
        Some("hash-test")
    );
    assert_eq!(store.vectors("mini").expect("vectors").len(), 3);
    let sessions = store.sessions().expect("sessions");
    assert_eq!(sessions.len(), 1);
    let c = Conversation::open(&store, "fixture-1").expect("conversation");
    assert_eq!(c.state.shown, ["m1", "m2", "m3"]);
    assert_eq!(c.state.reasons[2], "because it is calm");
    assert_eq!(c.state.constraints.filters.price_max, Some(20.0));
    assert_eq!(c.session.rejected, ["m2"]);
    assert_eq!(c.session.liked, ["m3"]);
    assert_eq!(c.session.preferences, ["co-op"]);
    assert_eq!(c.session.title, "cozy co-op games under $20");
    let turns = store.turns("fixture-1", 10).expect("turns");
    assert_eq!(turns.len(), 4);
    assert_eq!(turns[0].intent.as_deref(), Some("AskForRec/IQU"));
    assert_eq!(turns[1].reasons[0], "because it is co-op");
    assert_eq!(
        fixture_markdown(&store),
        std::fs::read_to_string(Path::new(FIXTURE).join("expected.md")).expect("expected.md")
    );
}
