//! Grounding: the model may only choose among the retrieved candidates, and everything it
//! names is checked against the catalog.
//!
//! By construction: the answer must match [`pick_constraint`], a regular expression whose only
//! item references are the candidates' numbers (`[1]`..`[n]`), enforced by mistral.rs while
//! decoding. Picks are read back from those numbers ([`parse_picks`]), so a pick is always a
//! catalog id. After the fact: [`mentions`] finds titles in the prose; a catalog title is
//! linked to its id, and a title-like phrase that is not in the catalog is marked as such in
//! the shown text ([`display`]) and can never become a pick.

use std::fmt::Write as _;

use serde::Serialize;

use crate::{catalog::Item, retrieve::Retriever};

/// Regex for one to `max_picks` lines of `[n] reason`, each `n` a different candidate number
/// in 1..=`n_candidates`. Reasons may not contain brackets, parentheses or `|`, which
/// keeps the model from copying the candidate lines instead of explaining.
#[must_use]
pub fn pick_constraint(n_candidates: usize, max_picks: usize) -> String {
    fn lines(left: &[usize], depth: usize) -> String {
        let alts: Vec<String> = left
            .iter()
            .map(|&n| {
                let rest: Vec<usize> = left.iter().copied().filter(|&m| m != n).collect();
                let tail = if depth > 1 && !rest.is_empty() {
                    format!("({})?", lines(&rest, depth - 1))
                } else {
                    String::new()
                };
                format!(r"\[{n}\] {LEAD}{REASON}\n{tail}")
            })
            .collect();
        alts.join("|")
    }
    let all: Vec<usize> = (1..=n_candidates.clamp(1, 9)).collect();
    lines(&all, max_picks.clamp(1, 3))
}

/// Every reason starts with these words, which turns a tiny model from copying the
/// candidate list to explaining.
pub const LEAD: &str = "because it";
const REASON: &str = r"[^\n\[\]|()]{8,140}";

/// A recommendation read from the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pick {
    /// Catalog id.
    pub id: String,
    /// Catalog title.
    pub title: String,
    /// The model's one-line reason.
    pub reason: String,
}

/// The `[n] reason` lines of `text`, mapped to candidates; unknown numbers and repeats dropped.
#[must_use]
pub fn parse_picks(text: &str, candidates: &[&Item]) -> Vec<Pick> {
    let mut out: Vec<Pick> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix('[') else {
            continue;
        };
        let Some((num, reason)) = rest.split_once(']') else {
            continue;
        };
        let Ok(n) = num.trim().parse::<usize>() else {
            continue;
        };
        let Some(item) = n.checked_sub(1).and_then(|i| candidates.get(i)) else {
            continue;
        };
        if out.iter().any(|p| p.id == item.id) {
            continue;
        }
        out.push(Pick {
            id: item.id.clone(),
            title: item.title.clone(),
            reason: reason.trim().to_string(),
        });
    }
    out
}

/// A title-like phrase found in the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// The phrase as written.
    pub text: String,
    /// The catalog item it names, if any.
    pub id: Option<String>,
    /// Whether that item is one of the candidates.
    pub candidate: bool,
}

/// Words that start sentences or are capitalised for other reasons.
const COMMON: &[&str] = &[
    "The", "A", "An", "It", "Its", "This", "That", "If", "You", "Your", "I", "With", "For", "And",
    "But", "Both", "Great", "Perfect", "Ideal", "Fans", "Play", "Try", "Like",
];

/// Title-like phrases in `text`: candidate titles, and runs of two or more capitalised words
/// that are not made only of words of the candidates' listed facts.
#[must_use]
pub fn mentions(text: &str, candidates: &[&Item], catalog: &Retriever) -> Vec<Mention> {
    let lower = text.to_lowercase();
    let mut out: Vec<Mention> = Vec::new();
    for it in candidates {
        if it.title.len() >= 3 && lower.contains(&it.title.to_lowercase()) {
            out.push(Mention {
                text: it.title.clone(),
                id: Some(it.id.clone()),
                candidate: true,
            });
        }
    }
    let facts: String = crate::generate::prompt::candidate_lines(candidates).to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let cap =
            |w: &str| w.chars().next().is_some_and(char::is_uppercase) && !COMMON.contains(&w);
        if !cap(words[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let joins = |w: &str| {
            matches!(w, "of" | "the" | "&") || w.chars().next().is_some_and(|c| c.is_ascii_digit())
        };
        while j < words.len() && (cap(words[j]) || (j > i && joins(words[j]))) {
            j += 1;
            if words[j - 1].ends_with(['.', ',', '!', '?', ';', ':']) {
                break;
            }
        }
        if j - i >= 2 {
            let phrase: String = words[i..j].join(" ");
            let phrase = phrase
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            let known = phrase.split_whitespace().all(|w| {
                facts.contains(
                    &w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase(),
                )
            });
            if !known && !out.iter().any(|m| m.text.eq_ignore_ascii_case(&phrase)) {
                let item = catalog.by_title(&phrase);
                out.push(Mention {
                    id: item.map(|x| x.id.clone()),
                    candidate: item.is_some_and(|x| candidates.iter().any(|c| c.id == x.id)),
                    text: phrase,
                });
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The answer as shown: `[n]` becomes the candidate's title, and phrases in `flagged` are
/// marked "(not in the catalog)".
#[must_use]
pub fn display(text: &str, candidates: &[&Item], flagged: &[Mention]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let shown = match line
            .trim_start()
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
        {
            Some((n, rest)) => match n
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| candidates.get(n.wrapping_sub(1)))
            {
                Some(it) => format!("• {} — {}", it.title, rest.trim()),
                None => line.to_string(),
            },
            None => line.to_string(),
        };
        let mut shown = shown;
        for m in flagged.iter().filter(|m| m.id.is_none()) {
            shown = shown.replace(&m.text, &format!("{} (not in the catalog)", m.text));
        }
        let _ = writeln!(out, "{shown}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str) -> Item {
        Item {
            id: id.into(),
            title: title.into(),
            tags: vec!["Co-op".into()],
            ..Item::default()
        }
    }

    #[test]
    fn picks_only_from_candidates() {
        let a = item("10", "Portal 2");
        let b = item("20", "Stardew Valley");
        let c = [&a, &b];
        let text = "[2] Farming with friends.\n[7] Not a candidate.\n[2] Repeat.\n[1] Puzzles.\n";
        let picks = parse_picks(text, &c);
        assert_eq!(
            picks.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            ["20", "10"]
        );
        let re = pick_constraint(2, 3);
        assert!(re.starts_with(r"\[1\] ") && re.contains(r"|\[2\] "), "{re}");
        assert_eq!(re.matches(r"\[1\]").count(), 2, "{re}");
    }

    #[test]
    fn flags_titles_not_in_the_catalog() {
        let a = item("10", "Portal 2");
        let cat = Retriever::from_parts(
            "t",
            vec![a.clone(), item("30", "Half-Life 2")],
            Default::default(),
        );
        let c = [&a];
        let text = "[1] Like Half-Life 2 and Grand Theft Auto, Portal 2 has Co-op.\n";
        let m = mentions(text, &c, &cat);
        let gta = m
            .iter()
            .find(|m| m.text == "Grand Theft Auto")
            .expect("gta found");
        assert_eq!(gta.id, None);
        let hl = m
            .iter()
            .find(|m| m.text == "Half-Life 2")
            .expect("hl found");
        assert_eq!(hl.id.as_deref(), Some("30"));
        assert!(!hl.candidate);
        let shown = display(text, &c, &m);
        assert!(shown.starts_with("• Portal 2 — "), "{shown}");
        assert!(
            shown.contains("Grand Theft Auto (not in the catalog)"),
            "{shown}"
        );
    }
}
