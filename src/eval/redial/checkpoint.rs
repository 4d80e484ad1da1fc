//! The replay's checkpoint: a JSON Lines file whose first line names the run (data, folds,
//! method, weights) and whose every later line is one finished dialogue's [`DialogueResult`],
//! written and flushed as soon as the dialogue is done. A replay that is interrupted (Ctrl-C,
//! a kill, a crash) is resumed by running it again with the same checkpoint: finished
//! dialogues are read back instead of replayed. A torn last line (killed mid-write) is
//! dropped; a checkpoint of another run is refused rather than mixed in.

use std::{
    fs::{File, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use super::score::ScoredTurn;
use crate::{Error, Result};

/// One replayed dialogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogueResult {
    /// Its key (`redial:<conversationId>`).
    pub key: String,
    /// The fold it was scored in.
    pub fold: usize,
    /// Turns replayed (seeker turns through the agent, recommender turns observed).
    pub replayed: usize,
    /// Movies the seeker mentioned (first mentions).
    pub mentions: usize,
    /// Of those, how many reco recognised from the text alone.
    pub recognised: usize,
    /// The scored turns.
    pub turns: Vec<ScoredTurn>,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    run: String,
}

/// Finished dialogues, and where new ones are appended.
#[derive(Debug, Default)]
pub struct Checkpoint {
    file: Option<(PathBuf, File)>,
    /// Dialogues finished before this run started.
    pub done: Vec<DialogueResult>,
}

impl Checkpoint {
    /// No checkpoint: results stay in memory.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Open (or create) the checkpoint at `path` for the run named `run`.
    pub fn open(path: &Path, run: &str) -> Result<Self> {
        let mut done = Vec::new();
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let mut lines = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty());
            match lines.next().map(|(_, l)| serde_json::from_str::<Header>(l)) {
                Some(Ok(h)) if h.run == run => {}
                Some(Ok(h)) => {
                    return Err(Error::Invalid(format!(
                        "{}: this checkpoint belongs to another run ({}); this run is {run}: remove the file or name another",
                        path.display(),
                        h.run
                    )))
                }
                Some(Err(e)) => {
                    return Err(Error::Parse {
                        path: path.to_path_buf(),
                        line: 1,
                        field: "run".into(),
                        message: format!("not a replay checkpoint: {e}"),
                    })
                }
                None => {}
            }
            let rest: Vec<(usize, &str)> = lines.collect();
            for (k, (n, l)) in rest.iter().enumerate() {
                match serde_json::from_str::<DialogueResult>(l) {
                    Ok(r) => done.push(r),
                    // The last line may be torn by a kill mid-write: drop it.
                    Err(_) if k + 1 == rest.len() => {}
                    Err(e) => {
                        return Err(Error::Parse {
                            path: path.to_path_buf(),
                            line: n + 1,
                            field: "-".into(),
                            message: format!("corrupt checkpoint line: {e}"),
                        })
                    }
                }
            }
        }
        // Rewrite whole lines only, so appends never follow a torn one.
        let mut body = serde_json::to_string(&Header { run: run.into() })?;
        body.push('\n');
        for r in &done {
            body.push_str(&serde_json::to_string(r)?);
            body.push('\n');
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, body).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        Ok(Self {
            file: Some((path.to_path_buf(), file)),
            done,
        })
    }

    /// Append a finished dialogue (flushed to disk before returning).
    pub fn record(&mut self, r: &DialogueResult) -> Result<()> {
        if let Some((path, f)) = &mut self.file {
            let mut line = serde_json::to_string(r)?;
            line.push('\n');
            f.write_all(line.as_bytes())
                .and_then(|()| f.sync_data())
                .map_err(|e| Error::io(path.as_path(), e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(key: &str) -> DialogueResult {
        DialogueResult {
            key: key.into(),
            fold: 0,
            replayed: 3,
            mentions: 1,
            recognised: 1,
            turns: Vec::new(),
        }
    }

    #[test]
    fn resumes_drops_a_torn_line_and_refuses_another_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("ck.jsonl");
        let mut c = Checkpoint::open(&p, "run A").expect("create");
        assert!(c.done.is_empty());
        c.record(&result("redial:1")).expect("record");
        c.record(&result("redial:2")).expect("record");
        drop(c);
        let mut text = std::fs::read_to_string(&p).expect("read");
        text.push_str("{\"key\": \"redial:3\", \"fo");
        std::fs::write(&p, text).expect("tear");
        let c = Checkpoint::open(&p, "run A").expect("resume");
        assert_eq!(c.done, [result("redial:1"), result("redial:2")]);
        let e = Checkpoint::open(&p, "run B").expect_err("other run");
        assert!(e.to_string().contains("another run"), "{e}");
    }
}
