//! Scripted dialogues (`reco eval dialogues FILE...`): conversations written as TOML, each
//! user turn with the expectations it must meet, run through the chat's own pipeline
//! ([`Agent::turn`], generation off) and reported expectation by expectation.
//!
//! ```toml
//! catalog = "games"          # optional: the catalog the script is written for
//! candidates = 5             # optional: cards per turn (default 5)
//!
//! [[dialogue]]
//! name = "cozy farming, then cheaper"
//!
//! [[dialogue.turn]]
//! say = "a relaxing farming game"
//! intent = "AskForRec"       # a label ("AskForRec/IQU"), top-level or sub-intent; or a list
//! action = "recommend"       # the router's action (recommend, refine, more, inquire, ...)
//! top = 5                    # how many cards `must` / `must_not` look at (default: all)
//! must = ["Stardew Valley"]  # titles or ids that must be among them
//! must_not = ["Doom"]        # titles or ids that must not
//! every = { price_max = 20.0, labels = ["co-op"] }  # every card satisfies these filters
//! about = 2                  # the answer is about card 2 of the cards shown before the turn
//! says = "No: Hades is not"  # the answer's text contains this (case-insensitive)
//! cards = 3                  # exactly this many cards are shown
//! ```
//!
//! `every` takes the fields of the search filters: `price_max`, `price_min`, `free`,
//! `year_min`, `year_max`, `labels` (all required), `not_labels` (none allowed). Unknown keys
//! are errors with their line, so a typo cannot silently disable a check.

mod check;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use check::{Check, Every};

use crate::{
    dialogue::{Agent, Conversation, NullSink},
    Error, Result,
};

/// A script file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// The catalog it is written for (default: the command's catalog).
    pub catalog: Option<String>,
    /// Cards per turn.
    #[serde(default = "default_candidates")]
    pub candidates: usize,
    /// Its conversations.
    #[serde(rename = "dialogue")]
    pub dialogues: Vec<ScriptDialogue>,
}

fn default_candidates() -> usize {
    5
}

/// One scripted conversation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptDialogue {
    /// What it tests.
    pub name: String,
    /// The user's turns, in order.
    #[serde(rename = "turn")]
    pub turns: Vec<ScriptTurn>,
}

/// One or several accepted values.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Any of these.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The accepted values.
    #[must_use]
    pub fn values(&self) -> Vec<&str> {
        match self {
            Self::One(s) => vec![s.as_str()],
            Self::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A user turn and what it must produce.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptTurn {
    /// What the user says.
    pub say: String,
    /// Expected intent: a full label, a top-level intent or a sub-intent (any of a list).
    pub intent: Option<OneOrMany>,
    /// Expected action (any of a list).
    pub action: Option<OneOrMany>,
    /// Cards that `must` / `must_not` look at (default: every card shown).
    pub top: Option<usize>,
    /// Items (titles or ids) that must be among the top cards.
    #[serde(default)]
    pub must: Vec<String>,
    /// Items that must not be among the top cards.
    #[serde(default)]
    pub must_not: Vec<String>,
    /// Filters every card must satisfy.
    pub every: Option<Every>,
    /// The answer must be about this card (1-based) of the cards shown before the turn.
    pub about: Option<usize>,
    /// The answer's text must contain this (case-insensitive). Scripts run without the
    /// model, so this checks what reco says from the catalog (yes / no, "no review scores").
    pub says: Option<String>,
    /// Exactly this many cards are shown ("recommend me 3 rpgs").
    pub cards: Option<usize>,
}

/// Parse a script; errors name the file and line.
pub fn parse(path: &Path, text: &str) -> Result<Script> {
    let s: Script = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |sp| {
            text[..sp.start.min(text.len())].matches('\n').count() + 1
        });
        Error::Parse {
            path: path.to_path_buf(),
            line,
            field: "-".into(),
            message: e.message().to_string(),
        }
    })?;
    if !(1..=20).contains(&s.candidates) {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            line: 0,
            field: "candidates".into(),
            message: "must be 1..=20".into(),
        });
    }
    for d in &s.dialogues {
        if let Some((n, _)) = d
            .turns
            .iter()
            .enumerate()
            .find(|(_, t)| t.say.trim().is_empty())
        {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                line: 0,
                field: "say".into(),
                message: format!("dialogue `{}`, turn {}: empty", d.name, n + 1),
            });
        }
    }
    Ok(s)
}

/// Read and parse a script file.
pub fn load(path: &Path) -> Result<Script> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(path, &text)
}

/// The outcome of one script file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file.
    pub file: PathBuf,
    /// The catalog it ran on.
    pub catalog: String,
    /// Every expectation, in order.
    pub checks: Vec<Check>,
}

impl FileReport {
    /// Expectations that failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.checks.iter().filter(|c| !c.passed).count()
    }
}

/// Run every dialogue of `script` with `agent` (whose options decide nothing but the number
/// of cards, taken from the script); each dialogue is a new conversation, removed afterwards.
pub fn run(agent: &Agent, file: &Path, script: &Script) -> Result<FileReport> {
    let mut agent = agent.clone();
    agent.options.candidates = script.candidates;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("tokio runtime: {e}")))?;
    let r = &agent.searcher.retriever;
    let mut checks = Vec::new();
    for d in &script.dialogues {
        let mut conv = Conversation::create(&agent.store, r.catalog())?;
        for (n, t) in d.turns.iter().enumerate() {
            let before = conv.state.shown.clone();
            let at = check::Where {
                dialogue: &d.name,
                turn: n + 1,
                say: &t.say,
            };
            match runtime.block_on(agent.turn(&mut conv, &t.say, None, &mut NullSink)) {
                Ok(a) => checks.extend(check::turn(r, &at, t, &a, &before)),
                Err(e) => checks.push(check::failed(&at, "turn", e.to_string())),
            }
        }
        agent.store.remove_session(conv.id())?;
    }
    Ok(FileReport {
        file: file.to_path_buf(),
        catalog: r.catalog().to_string(),
        checks,
    })
}

/// The reports as text: one line per expectation (✓ / ✗ with what was found), then totals.
#[must_use]
pub fn table(reports: &[FileReport]) -> String {
    let mut s = String::new();
    for r in reports {
        s.push_str(&format!(
            "{} (catalog `{}`): {} of {} expectations met\n",
            r.file.display(),
            r.catalog,
            r.checks.len() - r.failed(),
            r.checks.len()
        ));
        for c in &r.checks {
            s.push_str(&format!(
                "  {} {} · turn {} · {}: {}\n",
                if c.passed { "ok  " } else { "FAIL" },
                crate::text::terminal_line(&c.dialogue),
                c.turn,
                c.what,
                crate::text::terminal_line(&c.detail)
            ));
        }
    }
    let failed: usize = reports.iter().map(FileReport::failed).sum();
    let total: usize = reports.iter().map(|r| r.checks.len()).sum();
    s.push_str(&format!("{} passed, {failed} failed\n", total - failed));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_parse_and_errors_name_the_line() {
        let ok = parse(
            Path::new("s.toml"),
            r#"
catalog = "games"
[[dialogue]]
name = "d"
[[dialogue.turn]]
say = "a farming game"
intent = ["AskForRec", "PRO"]
every = { price_max = 20.0 }
must = ["Stardew Valley"]
"#,
        )
        .expect("parses");
        assert_eq!(ok.candidates, 5);
        let t = &ok.dialogues[0].turns[0];
        assert_eq!(
            t.intent.as_ref().map(OneOrMany::values),
            Some(vec!["AskForRec", "PRO"])
        );
        assert_eq!(t.every.as_ref().and_then(|f| f.price_max), Some(20.0));
        let e = parse(
            Path::new("s.toml"),
            "[[dialogue]]\nname = \"d\"\n[[dialogue.turn]]\nsay = \"x\"\nevery = { price_maxx = 1.0 }\n",
        )
        .expect_err("unknown filter");
        assert!(e.to_string().contains("price_maxx"), "{e}");
        let e = parse(
            Path::new("s.toml"),
            "[[dialogue]]\nname = \"d\"\n[[dialogue.turn]]\nsay = \"x\"\nmsut = [\"a\"]\n",
        )
        .expect_err("typo");
        assert!(e.to_string().starts_with("s.toml:5:"), "{e}");
        let e = parse(
            Path::new("s.toml"),
            "[[dialogue]]\nname = \"d\"\n[[dialogue.turn]]\nsay = \" \"\n",
        )
        .expect_err("empty");
        assert!(e.to_string().contains("turn 1: empty"), "{e}");
    }
}
