//! Labelled turns for training and evaluating the intent classifier.
//!
//! - reco's own examples (`adapters/intent/examples/*.jsonl`, written for reco): one JSON
//!   object a line, `{"text", "prev", "cards", "sub": [...]}`; the top level is derived from
//!   the sub-intents. Every bad line is an error naming the file, line and field.
//! - IARD (`iard_dev.json`, Cai & Chen 2020, MIT): the seeker turns of each dialogue, with the
//!   recommender's turns just before as context; `@id <Title (Year)>` mentions become titles.

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

use super::taxonomy::{sub_index, top_index, top_of};
use crate::{Error, Result};

/// One labelled seeker turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// What the seeker wrote (mentions as titles).
    pub text: String,
    /// The system/recommender turn(s) just before ("" for an opening turn).
    pub prev: String,
    /// Whether items were on screen (the previous system turn recommended or named items).
    pub cards: bool,
    /// Seeker turns before this one in its dialogue.
    pub position: usize,
    /// Sub-intent indices.
    pub sub: Vec<usize>,
    /// Top-level indices.
    pub top: Vec<usize>,
    /// The dialogue it comes from (for dialogue-level folds), or the file for own examples.
    pub group: String,
    /// "games", "movies", "products" (own examples) or "iard".
    pub domain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnLine {
    text: String,
    #[serde(default)]
    prev: String,
    #[serde(default)]
    cards: bool,
    /// The seeker's first turn although the system spoke before (an opening question such as
    /// "Hi! What kind of games do you like?"); default: whether `prev` is empty.
    #[serde(default)]
    first: Option<bool>,
    sub: Vec<String>,
}

fn parse_err(path: &Path, line: usize, field: &str, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        line,
        field: field.into(),
        message: message.into(),
    }
}

/// Parse one own-examples file; `domain` names it (games, movies, products).
pub fn parse_own(path: &Path, text: &str, domain: &str) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let l: OwnLine =
            serde_json::from_str(line).map_err(|e| parse_err(path, n, "-", e.to_string()))?;
        if l.text.trim().is_empty() {
            return Err(parse_err(path, n, "text", "empty"));
        }
        let mut sub = Vec::new();
        let mut top = Vec::new();
        for s in &l.sub {
            let i = sub_index(s)
                .ok_or_else(|| parse_err(path, n, "sub", format!("unknown label `{s}`")))?;
            if !sub.contains(&i) {
                sub.push(i);
            }
            let t = top_of(s).and_then(top_index).unwrap_or(3);
            if !top.contains(&t) {
                top.push(t);
            }
        }
        if sub.is_empty() {
            return Err(parse_err(path, n, "sub", "no label"));
        }
        let first = l.first.unwrap_or(l.prev.is_empty());
        out.push(Example {
            text: l.text,
            position: usize::from(!first),
            prev: l.prev,
            cards: l.cards,
            sub,
            top,
            group: format!("{domain}:{n}"),
            domain: domain.to_string(),
        });
    }
    Ok(out)
}

/// Own examples from a folder instead of the compiled-in ones: every `*.jsonl` file in it,
/// the file's stem naming the domain (games, movies, products; another name gets no
/// retrieval augmentation), in file-name order.
pub fn examples_from_dir(dir: &Path) -> Result<Vec<Example>> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no .jsonl example files",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let domain = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.extend(parse_own(&path, &text, &domain)?);
    }
    Ok(out)
}

/// The own examples compiled into reco (`adapters/intent/examples/`).
pub fn builtin_examples() -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for (name, text) in [
        (
            "games",
            include_str!("../../adapters/intent/examples/games.jsonl"),
        ),
        (
            "movies",
            include_str!("../../adapters/intent/examples/movies.jsonl"),
        ),
        (
            "products",
            include_str!("../../adapters/intent/examples/products.jsonl"),
        ),
    ] {
        let path = Path::new("adapters/intent/examples").join(format!("{name}.jsonl"));
        out.extend(parse_own(&path, text, name)?);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct IardDialogue {
    dialogue_info: BTreeMap<String, IardUtterance>,
}

#[derive(Deserialize)]
struct IardUtterance {
    utterance_pos: usize,
    role: String,
    utterance_text: String,
    #[serde(rename = "top-level intent/action", default)]
    top: Vec<String>,
    #[serde(rename = "sub-intent/action", default)]
    sub: Vec<String>,
}

/// `@187028 <It  (2017)>` → `It (2017)`; a bare `@id` becomes the title from `titles` when
/// known. Runs of spaces are collapsed.
#[must_use]
pub fn mentions_to_titles(text: &str, titles: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            out.push('@');
            rest = after;
            continue;
        }
        let id = &after[..digits];
        let mut tail = &after[digits..];
        let mut shown: Option<String> = None;
        // One or more " <Title (Year)>" annotations follow in IARD; keep the first.
        loop {
            let t = tail.trim_start();
            let Some(inner) = t.strip_prefix('<') else {
                break;
            };
            let Some(close) = inner.find('>') else { break };
            shown.get_or_insert_with(|| inner[..close].to_string());
            tail = &inner[close + 1..];
        }
        let title = shown
            .or_else(|| titles(id))
            .unwrap_or_else(|| format!("@{id}"));
        out.push_str(&title.split_whitespace().collect::<Vec<_>>().join(" "));
        if tail.starts_with(|c: char| c.is_alphanumeric()) {
            out.push(' ');
        }
        rest = tail;
    }
    out.push_str(rest);
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The seeker turns of an IARD-format file, with their context and labels. Labels outside the
/// taxonomy are skipped; a turn left with no label is skipped.
pub fn load_iard(path: &Path) -> Result<Vec<Example>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let dialogues: BTreeMap<String, IardDialogue> =
        serde_json::from_str(&text).map_err(|e| parse_err(path, e.line(), "-", e.to_string()))?;
    let none = |_: &str| None;
    let mut out = Vec::new();
    for (id, d) in &dialogues {
        let mut utts: Vec<&IardUtterance> = d.dialogue_info.values().collect();
        utts.sort_by_key(|u| u.utterance_pos);
        let mut prev: Vec<String> = Vec::new();
        let mut cards = false;
        let mut position = 0;
        for u in utts {
            if u.role != "seeker" {
                if prev.is_empty() {
                    cards = false;
                }
                cards |= u.utterance_text.contains('@');
                prev.push(mentions_to_titles(&u.utterance_text, &none));
                continue;
            }
            let sub: Vec<usize> = dedup(u.sub.iter().filter_map(|s| sub_index(s)));
            let top: Vec<usize> = dedup(u.top.iter().filter_map(|s| top_index(s)));
            if !sub.is_empty() && !top.is_empty() {
                out.push(Example {
                    text: mentions_to_titles(&u.utterance_text, &none),
                    prev: prev.join(" "),
                    cards,
                    position,
                    sub,
                    top,
                    group: id.clone(),
                    domain: "iard".into(),
                });
            }
            position += 1;
            prev.clear();
            cards = false;
        }
    }
    Ok(out)
}

fn dedup(it: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut v = Vec::new();
    for x in it {
        if !v.contains(&x) {
            v.push(x);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_titles() {
        let none = |_: &str| None;
        assert_eq!(
            mentions_to_titles("Yes, how about @187028 <It  (2017)>  ?", &none),
            "Yes, how about It (2017) ?"
        );
        assert_eq!(
            mentions_to_titles("try @81792 <Zootopia>  <Zootopia> .", &none),
            "try Zootopia ."
        );
        let known = |id: &str| (id == "5").then(|| "Heat (1995)".to_string());
        assert_eq!(
            mentions_to_titles("@5 and @6", &known),
            "Heat (1995) and @6"
        );
        assert_eq!(mentions_to_titles("email@ me", &none), "email@ me");
    }

    #[test]
    fn own_examples_are_checked_line_by_line() {
        let p = Path::new("x.jsonl");
        let ok = parse_own(
            p,
            r#"{"text":"seen it","prev":"How about Heat?","cards":true,"sub":["SEE","PRO"]}"#,
            "movies",
        )
        .expect("parses");
        assert_eq!(ok[0].sub, vec![9, 4]);
        assert_eq!(ok[0].top, vec![2, 1]);
        assert_eq!(ok[0].position, 1);
        let first = parse_own(
            p,
            r#"{"text":"horror","prev":"Hi! What do you like?","first":true,"sub":["ANS","IQU"]}
{"text":"horror","sub":["IQU"]}"#,
            "movies",
        )
        .expect("parses");
        assert_eq!((first[0].position, first[1].position), (0, 0));
        let e = parse_own(
            p,
            "{\"text\":\"a\",\"sub\":[\"SEE\"]}\n{\"text\":\"b\",\"sub\":[\"XYZ\"]}",
            "g",
        )
        .expect_err("bad label");
        assert!(
            e.to_string()
                .contains("x.jsonl:2: sub: unknown label `XYZ`"),
            "{e}"
        );
    }

    #[test]
    fn builtin_examples_load() {
        let ex = builtin_examples().expect("own examples parse");
        assert!(ex.len() >= 500, "{}", ex.len());
    }

    #[test]
    fn the_shipped_head_was_trained_on_the_shipped_examples() {
        let ex = builtin_examples().expect("own examples parse");
        let model = crate::intent::IntentModel::builtin().expect("shipped head");
        assert_eq!(
            model.manifest.data_hash,
            crate::intent::train::data_hash(&ex),
            "adapters/intent/examples changed since the head was trained: run `reco intent train --out adapters/intent`"
        );
    }
}
