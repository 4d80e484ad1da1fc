//! The real `reco` binary in a real terminal (tmux, 100×30) with the real models on the
//! embedded demo catalog: a conversation (ask, refine, reject a card, ask about a card,
//! like one), quit, then `reco chat --resume` shows the same transcript, cards and profile.
//! Every wait polls the screen with a generous deadline: a turn takes seconds on two cores.

use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use reco::models::Bundle;

use super::home_with_models;

const COLS: u16 = 100;
const ROWS: u16 = 30;
const IDLE: &str = "you · Enter sends";

/// tmux, installed with apt when missing; None (with the reason printed) when it cannot run.
fn tmux_available() -> bool {
    let works = || {
        Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return true;
    }
    let _ = Command::new("apt-get")
        .args(["install", "-y", "-qq", "tmux"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    if works() {
        return true;
    }
    println!("skipping: tmux is not installed and `apt-get install tmux` did not install it");
    false
}

/// One tmux server of our own, killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new() -> Self {
        Self {
            socket: format!("reco-test-{}", std::process::id()),
        }
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.tmux().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Start `command` in a new window that stays after the program ends.
    fn start(&self, name: &str, command: &str) {
        let (c, r) = (COLS.to_string(), ROWS.to_string());
        self.ok(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &c,
            "-y",
            &r,
            command,
            ";",
            "set-option",
            "-t",
            name,
            "remain-on-exit",
            "on",
        ]);
    }

    fn screen(&self, name: &str) -> String {
        self.ok(&["capture-pane", "-p", "-t", name])
    }

    fn dead(&self, name: &str) -> bool {
        self.ok(&["display-message", "-p", "-t", name, "#{pane_dead}"])
            .trim()
            == "1"
    }

    fn type_line(&self, name: &str, text: &str) {
        self.ok(&["send-keys", "-t", name, "-l", text]);
        self.ok(&["send-keys", "-t", name, "Enter"]);
    }

    /// Poll the screen until `done` holds.
    fn wait(&self, name: &str, what: &str, secs: u64, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(name);
            if done(&s) {
                return s;
            }
            if self.dead(name) {
                // It may have ended between the two looks (waiting for the exit is one case).
                let s = self.screen(name);
                assert!(done(&s), "reco exited while waiting for {what}:\n{s}");
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "no {what} within {secs} s; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Send a turn and wait until it is answered.
    fn turn(&self, name: &str, text: &str) -> String {
        self.type_line(name, text);
        let said = format!("you  {text}");
        self.wait(name, &format!("the answer to `{text}`"), 900, |s| {
            s.contains(IDLE) && s.contains(&said) && !spinning(s)
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").output();
    }
}

fn spinning(s: &str) -> bool {
    s.chars().any(|c| ('\u{2800}'..='\u{28ff}').contains(&c))
}

/// The cards panel: the right-hand part of each row.
fn cards_panel(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.split_once("││").map(|(_, r)| r.trim_end().to_string()))
        .collect()
}

/// The start of card `n`'s title.
fn card_title(screen: &str, n: usize) -> Option<String> {
    let prefix = format!("{n}  ");
    cards_panel(screen).into_iter().find_map(|l| {
        l.strip_prefix(&prefix)
            .map(|t| t.chars().take(12).collect::<String>())
    })
}

fn reco_command(bin: &Path, home: &Path, args: &str) -> String {
    format!(
        "env RECO_HOME='{}' '{}' {args}",
        home.display(),
        bin.display()
    )
}

#[test]
fn a_conversation_in_tmux_survives_quit_and_resume() {
    if !tmux_available() {
        return;
    }
    let home = home_with_models(&[Bundle::Embedding, Bundle::Generation]);
    let bin = Path::new(env!("CARGO_BIN_EXE_reco"));
    let t = Tmux::new();
    t.start("chat", &reco_command(bin, home.path(), ""));
    // The status line names the catalog once the session is shown (keys typed before that
    // would be wiped with the empty first screen).
    t.wait("chat", "the chat", 1800, |s| {
        s.contains(IDLE) && s.contains(" games │ adapter")
    });

    let first = t.turn("chat", "a relaxing farming game under 20 dollars");
    assert!(card_title(&first, 1).is_some(), "cards:\n{first}");
    t.turn("chat", "cheaper");
    let before = t.screen("chat");
    let second = card_title(&before, 2).expect("a second card");
    let after = t.turn("chat", "not the second one");
    let titles: Vec<String> = (1..=9).filter_map(|n| card_title(&after, n)).collect();
    assert!(
        !titles.contains(&second),
        "the rejected card `{second}` is still shown:\n{after}"
    );
    let about = t.turn("chat", "tell me about the first one");
    assert!(about.contains("→ inquire"), "{about}");
    t.type_line("chat", "/like 1");
    let liked = t.wait("chat", "the like", 60, |s| {
        s.contains("Noted: you like") && s.contains("(liked)")
    });
    let shown: Vec<String> = (1..=9).filter_map(|n| card_title(&liked, n)).collect();
    assert!(liked.contains("(liked)"), "{liked}");
    t.type_line("chat", "/quit");
    t.wait("chat", "the exit", 60, |_| t.dead("chat"));

    t.start("again", &reco_command(bin, home.path(), "chat --resume"));
    let resumed = t.wait("again", "the resumed chat", 600, |s| {
        s.contains(IDLE) && s.contains("you  tell me about the first one") && !spinning(s)
    });
    assert!(
        resumed.contains("you  tell me about the first one"),
        "{resumed}"
    );
    let again: Vec<String> = (1..=9).filter_map(|n| card_title(&resumed, n)).collect();
    assert_eq!(again, shown, "{resumed}");
    assert!(resumed.contains("(liked)"), "{resumed}");
    t.type_line("again", "/profile");
    let profile = t.wait("again", "the profile", 60, |s| s.contains("liked: "));
    assert!(!profile.contains("liked: none"), "{profile}");
    assert!(!profile.contains("rejected: none"), "{profile}");
    t.ok(&["send-keys", "-t", "again", "C-c"]);
    t.wait("again", "the exit", 60, |_| t.dead("again"));

    let out = Command::new(bin)
        .env("RECO_HOME", home.path())
        .args(["sessions", "show", "last", "--json"])
        .output()
        .expect("run reco");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["session"]["turns"], 8, "{v}");
    assert_eq!(v["session"]["liked"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["session"]["rejected"].as_array().map(Vec::len), Some(1));
}
