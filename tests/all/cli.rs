//! The `reco` binary end to end: importing the real Steam file, restart persistence,
//! idempotent re-import, clear errors on bad input, model fetching, and running with no
//! network at all (`unshare -n`).

use std::{path::Path, process::Command};

use reco::models::Bundle;

use crate::{config_with_models, shared_data};

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

/// A home whose models/ links to the test run's fetched models.
fn home_with_models(bundles: &[Bundle]) -> tempfile::TempDir {
    let config = config_with_models(bundles);
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(&config.models_dir, dir.path().join("models")).expect("link models");
    dir
}

#[test]
fn steam_import_survives_restart_and_is_idempotent() {
    let Some(gz) = shared_data("steam/steam_games.json.gz") else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let (ok, out, err) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(&gz)
        .args(["--name", "steam"]));
    assert!(ok, "{err}");
    let first: usize = out
        .split(" new,")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect(&out);
    assert!(first >= 32_000, "{out}");
    assert!(
        out.contains("skipped") && out.contains("steam_games.json.gz:75:"),
        "skip report with line numbers: {out}"
    );
    let (ok, stats, _) = run(reco(home.path()).args(["catalog", "stats", "steam"]));
    assert!(ok);
    let items = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("items"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<usize>().ok())
    };
    let n = items(&stats).expect(&stats);
    assert!(n >= 32_000);
    let (ok, out2, _) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(&gz)
        .args(["--name", "steam"]));
    assert!(ok);
    assert!(out2.contains(" 0 new, 0 updated"), "{out2}");
    let (_, stats2, _) = run(reco(home.path()).args(["catalog", "stats", "steam"]));
    assert_eq!(items(&stats2), Some(n));
    let (ok, show, _) =
        run(reco(home.path()).args(["catalog", "show", "761140", "--catalog", "steam"]));
    assert!(ok && show.contains("Lost Summoner Kitty"), "{show}");
    let (ok, _, err) =
        run(reco(home.path()).args(["catalog", "show", "nope", "--catalog", "steam"]));
    assert!(!ok && err.contains("not found"), "{err}");
}

#[test]
fn bad_input_gives_a_clear_error() {
    let home = tempfile::tempdir().expect("tempdir");
    let empty = home.path().join("empty.jsonl");
    std::fs::write(&empty, "").expect("write");
    let (ok, _, err) = run(reco(home.path()).args(["catalog", "import"]).arg(&empty));
    assert!(!ok && err.contains("empty"), "{err}");
    let csv = home.path().join("games.csv");
    std::fs::write(&csv, "id,name\n1,Portal\n").expect("write");
    let (ok, _, err) = run(reco(home.path()).args(["catalog", "import"]).arg(&csv));
    assert!(!ok && err.contains("title"), "missing column named: {err}");
    let (ok, out, err) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(&csv)
        .args(["--map", "title=name", "--name", "mine"]));
    assert!(ok, "{err}");
    assert!(out.contains("1 new"), "{out}");
    let (ok, _, err) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(home.path().join("missing.csv")));
    assert!(!ok && err.contains("missing.csv"), "{err}");
    let (ok, _, err) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(&csv)
        .args(["--name", "Bad Name"]));
    assert!(!ok && err.contains("catalog name"), "{err}");
}

#[test]
fn models_fetch_installs_then_does_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    let (ok, out, err) = run(reco(home.path()).args(["models", "fetch", "--bundle", "embedding"]));
    assert!(ok, "{err}");
    assert!(out.contains("installed  minilm"), "{out}");
    assert!(home.path().join("models/model.onnx").exists());
    let (ok, out, _) = run(reco(home.path()).args(["models", "fetch", "--bundle", "embedding"]));
    assert!(ok);
    assert!(
        !out.contains("installed ") && out.contains("up to date minilm"),
        "{out}"
    );
    let (ok, out, _) =
        run(reco(home.path()).args(["models", "fetch", "--bundle", "embedding", "--verify"]));
    assert!(ok && out.contains("up to date onnxruntime"), "{out}");
}

/// Whether `unshare -n` works here (root on Linux).
fn can_unshare() -> bool {
    Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_full_turn_runs_with_no_network() {
    if !can_unshare() {
        println!("skipping: `unshare -n` is not available (needs root on Linux)");
        return;
    }
    let home = home_with_models(&[Bundle::Embedding, Bundle::Generation]);
    let mut cmd = Command::new("unshare");
    cmd.args([
        "-n",
        env!("CARGO_BIN_EXE_reco"),
        "--quiet",
        "ask",
        "--json",
        "a cozy farming game with friends",
    ])
    .env("RECO_HOME", home.path());
    let (ok, out, err) = run(&mut cmd);
    assert!(ok, "offline ask failed: {err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect(&out);
    let candidates: Vec<&str> = v["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    let picks = v["picks"].as_array().expect("picks");
    assert!(!picks.is_empty(), "{out}");
    for p in picks {
        assert!(
            candidates.contains(&p["id"].as_str().unwrap_or_default()),
            "pick outside the candidates: {p}"
        );
    }
    assert!(v["timings_ms"]["first_card"].as_f64().is_some());
    // And the catalog commands need no network either.
    let mut cmd = Command::new("unshare");
    cmd.args([
        "-n",
        env!("CARGO_BIN_EXE_reco"),
        "--quiet",
        "search",
        "free shooter",
        "--json",
    ])
    .env("RECO_HOME", home.path());
    let (ok, out, err) = run(&mut cmd);
    assert!(ok, "{err}");
    assert!(out.contains("\"hits\""));
}

#[test]
fn an_import_killed_midway_leaves_whole_batches() {
    let Some(gz) = shared_data("steam/steam_games.json.gz") else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    for delay_ms in [150u64, 300] {
        let mut child = reco(home.path())
            .args(["catalog", "import"])
            .arg(&gz)
            .args(["--name", "steam"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let store =
            reco::store::Store::open(&home.path().join("db")).expect("reopens after a kill");
        let n = store.item_count("steam").expect("count");
        let items = store.items("steam").expect("every stored item decodes");
        assert_eq!(items.len(), n);
        println!("killed after {delay_ms} ms: {n} items stored");
        // Batches are 1,000 items; a complete import has 32,131.
        assert!(
            n.is_multiple_of(1000) || n == 32_131,
            "torn batch: {n} items"
        );
    }
}

#[test]
fn a_failed_first_import_leaves_no_empty_catalog() {
    let home = tempfile::tempdir().expect("tempdir");
    let bin = home.path().join("junk.jsonl");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0]).expect("write");
    let (ok, _, err) = run(reco(home.path())
        .args(["catalog", "import"])
        .arg(&bin)
        .args(["--name", "junk"]));
    assert!(!ok && err.contains("binary"), "{err}");
    let (ok, _, err) = run(reco(home.path()).args(["catalog", "stats", "junk"]));
    assert!(!ok && err.contains("not found"), "{err}");
}
