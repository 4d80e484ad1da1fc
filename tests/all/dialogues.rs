//! Scripted dialogues (`reco eval dialogues`): the shipped suite passes on the default catalog
//! through the binary (CI runs it here), a deliberately wrong script fails with a report that
//! names the dialogue, turn and expectation, and the Steam suite passes on the real Steam
//! catalog; plus interaction import and the collaborative ranker on the real ReDial data.

use std::{path::Path, process::Command};

use reco::{
    catalog::interactions::{import_interactions, InteractionFormat},
    eval::dialogues,
    models::Bundle,
    retrieve::{
        collab::{Collab, Method},
        Retriever,
    },
};

use crate::{config_with_models, shared_data, temp_store};

fn suite(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/dialogues")
        .join(name)
}

fn reco(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reco"));
    c.env("RECO_HOME", home).arg("--quiet");
    c
}

#[test]
fn the_default_catalog_suite_passes_and_a_wrong_script_fails_clearly() {
    let config = config_with_models(&[Bundle::Embedding]);
    let home = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(&config.models_dir, home.path().join("models")).expect("link");
    let out = reco(home.path())
        .args(["eval", "dialogues"])
        .arg(suite("games.toml"))
        .output()
        .expect("run reco");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "suite failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");

    // Wrong on purpose: a puzzle request whose cards must all be horror and must include a
    // roguelike, and a request expected to be small talk.
    let wrong = home.path().join("wrong.toml");
    std::fs::write(
        &wrong,
        r#"catalog = "games"
[[dialogue]]
name = "deliberately wrong"
[[dialogue.turn]]
say = "recommend me a puzzle game"
must = ["Hades"]
every = { labels = ["horror"] }
[[dialogue.turn]]
say = "any free games?"
intent = "OTH"
"#,
    )
    .expect("write");
    let out = reco(home.path())
        .args(["eval", "dialogues"])
        .arg(&wrong)
        .output()
        .expect("run reco");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a wrong script passed:\n{stdout}");
    assert!(stderr.contains("failed"), "{stderr}");
    assert!(
        stdout.contains("FAIL deliberately wrong · turn 1 · every:")
            && stdout.contains("do not satisfy"),
        "{stdout}"
    );
    // What it got is the classifier's business (a request, or a critique adding a
    // constraint to the cards on screen); that it says so is the report's.
    assert!(
        stdout.contains("FAIL deliberately wrong · turn 2 · intent: expected [\"OTH\"], got ")
            && !stdout.contains("got OTH"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL deliberately wrong · turn 1 · must: Hades in the top 5: absent"),
        "{stdout}"
    );

    // A script with a typo is an error naming the file and line, not a silent pass.
    let typo = home.path().join("typo.toml");
    std::fs::write(
        &typo,
        "[[dialogue]]\nname = \"d\"\n[[dialogue.turn]]\nsay = \"x\"\nmsut = [\"Portal\"]\n",
    )
    .expect("write");
    let out = reco(home.path())
        .args(["eval", "dialogues"])
        .arg(&typo)
        .output()
        .expect("run reco");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("typo.toml:5"), "{stderr}");
}

#[test]
fn the_steam_suite_passes() {
    let Some((_, store, r)) = crate::conversation::steam() else {
        return;
    };
    let agent = crate::conversation::agent(store, r);
    let path = suite("steam.toml");
    let script = dialogues::load(&path).expect("steam suite");
    let report = dialogues::run(&agent, &path, &script).expect("run");
    assert!(
        report.failed() == 0 && !report.checks.is_empty(),
        "{}",
        dialogues::table(std::slice::from_ref(&report))
    );
}

#[test]
fn redial_interactions_import_and_train_a_collaborative_model() {
    let (Some(movies), Some(dev)) = (
        shared_data("redial/movies_with_mentions.csv"),
        shared_data("redial/redial_dev.jsonl"),
    ) else {
        return;
    };
    let (_dir, store) = temp_store();
    crate::import_into(&store, &movies, "redial");
    let first = import_interactions(&store, &dev, "redial", None, false).expect("import");
    assert_eq!(first.format, InteractionFormat::Redial);
    assert_eq!(first.summary.inserted, 911, "{:?}", first.summary);
    let again = import_interactions(&store, &dev, "redial", None, false).expect("re-import");
    assert_eq!(
        again.summary.unchanged, 911,
        "incremental: {:?}",
        again.summary
    );
    assert_eq!(again.summary.inserted, 0);

    let r = Retriever::load(&store, "redial").expect("load");
    let interactions = store.interactions("redial").expect("interactions");
    for method in [Method::Cooccurrence, Method::Ease { lambda: 50.0 }] {
        // How long training takes is measured by `reco eval redial` (its report), not here.
        let m = Collab::train(&r, &interactions, method).expect("train");
        assert!(
            m.stats.items > 1000 && m.stats.pairs > 5_000,
            "{:?}",
            m.stats
        );
        // Mentioned together in real dialogues: the top related movies of a popular film are
        // films mentioned with it, never itself.
        let seed = (0..r.items().len())
            .max_by(|&a, &b| m.popularity_of(a).total_cmp(&m.popularity_of(b)))
            .expect("items");
        let rel = m.related(&[(seed, 1.0)], 10, &|i| i != seed);
        assert_eq!(rel.len(), 10, "{method:?}");
        assert!(rel.iter().all(|&(i, s)| i != seed && s > 0.0));
    }
    let m = Collab::train(&r, &interactions, Method::Cooccurrence).expect("train");
    // Learned descriptions: words people used around mentions point at films.
    let scary = m.word_scores(&[("something scary please", 1.0)], 20, &|_| true);
    assert!(!scary.is_empty());
    let descriptions = m.descriptions(&r);
    assert!(descriptions.len() > 100, "{}", descriptions.len());
}
