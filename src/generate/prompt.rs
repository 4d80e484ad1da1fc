//! Prompts live as files in `prompts/` (compiled in) with named `{placeholders}`; this module
//! renders them with the candidate items, a short summary of session memory and the question.
//! Prompts are kept compact: on a CPU, prompt processing dominates latency.

use crate::{catalog::Item, store::Session};

const SYSTEM: &str = include_str!("../../prompts/system.md");
const RECOMMEND: &str = include_str!("../../prompts/recommend.md");
const ANSWER_ITEM: &str = include_str!("../../prompts/answer_item.md");
const COMPARE: &str = include_str!("../../prompts/compare.md");
const SMALLTALK: &str = include_str!("../../prompts/smalltalk.md");
const MEMORY: &str = include_str!("../../prompts/memory.md");

/// Which prompt a turn uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Recommend from candidates.
    Recommend,
    /// Answer a question about one item.
    AnswerItem,
    /// Compare a few items.
    Compare,
    /// Chit-chat (no items).
    SmallTalk,
}

/// The system prompt.
#[must_use]
pub fn system() -> &'static str {
    SYSTEM.trim()
}

/// Replace each `{name}` in `template` by its value.
#[must_use]
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// One compact line per candidate: `[n] Title (year) | price | genres | tags | by developer`.
#[must_use]
pub fn candidate_lines(items: &[&Item]) -> String {
    let mut s = String::new();
    for (i, it) in items.iter().enumerate() {
        s.push_str(&format!("[{}] {}", i + 1, it.title));
        if let Some(y) = it.year {
            s.push_str(&format!(" ({y})"));
        }
        if let Some(p) = it.price {
            s.push_str(&format!(" | {p}"));
        }
        if !it.genres.is_empty() {
            s.push_str(&format!(
                " | {}",
                it.genres
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !it.tags.is_empty() {
            s.push_str(&format!(
                " | {}",
                it.tags
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(d) = &it.developer {
            s.push_str(&format!(" | by {d}"));
        }
        s.push('\n');
    }
    s
}

/// A one-line summary of what the session remembers (empty when there is nothing).
#[must_use]
pub fn memory_line(session: Option<&Session>, title_of: impl Fn(&str) -> String) -> String {
    let Some(s) = session else {
        return String::new();
    };
    if s.liked.is_empty() && s.rejected.is_empty() && s.seen.is_empty() && s.preferences.is_empty()
    {
        return String::new();
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.iter()
                .rev()
                .take(5)
                .map(|i| title_of(i))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let prefs = if s.preferences.is_empty() {
        "none".into()
    } else {
        s.preferences.join("; ")
    };
    fill(
        MEMORY.trim(),
        &[
            ("liked", &list(&s.liked)),
            ("rejected", &list(&s.rejected)),
            ("seen", &list(&s.seen)),
            ("preferences", &prefs),
        ],
    )
}

/// Render the user prompt of a turn.
#[must_use]
pub fn render(
    kind: PromptKind,
    items: &[&Item],
    memory: &str,
    question: &str,
    n_picks: usize,
) -> String {
    let template = match kind {
        PromptKind::Recommend => RECOMMEND,
        PromptKind::AnswerItem => ANSWER_ITEM,
        PromptKind::Compare => COMPARE,
        PromptKind::SmallTalk => SMALLTALK,
    };
    let memory = if memory.is_empty() {
        String::new()
    } else {
        format!("{memory}\n")
    };
    fill(
        template.trim(),
        &[
            ("candidates", candidate_lines(items).trim_end()),
            ("memory", memory.trim_end()),
            ("question", question.trim()),
            ("n_picks", &n_picks.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Price;

    #[test]
    fn renders_compact_prompt() {
        let it = Item {
            id: "620".into(),
            title: "Portal 2".into(),
            year: Some(2011),
            price: Some(Price::Paid(9.99)),
            genres: vec!["Puzzle".into()],
            tags: vec!["Co-op".into()],
            developer: Some("Valve".into()),
            ..Item::default()
        };
        let p = render(PromptKind::Recommend, &[&it], "", "co-op puzzle", 1);
        assert!(
            p.contains("[1] Portal 2 (2011) | $9.99 | Puzzle | Co-op | by Valve"),
            "{p}"
        );
        assert!(p.contains("Request: co-op puzzle"));
        assert!(!p.contains('{'), "unfilled placeholder in {p}");
        for kind in [
            PromptKind::AnswerItem,
            PromptKind::Compare,
            PromptKind::SmallTalk,
        ] {
            assert!(!render(kind, &[&it], "m", "q", 1).contains("{"));
        }
    }
}
