//! The words of a turn: cleaning it, what is left of the request once named items and
//! card words are taken out, and a start-over phrase removed.

use super::MAX_TURN_BYTES;
use crate::{
    retrieve::{
        anchor::{self, Named},
        lexical,
    },
    Error, Result,
};

/// Clean a turn: controls become spaces, cut to [`MAX_TURN_BYTES`]; an empty turn is an error.
pub fn clean_turn(text: &str) -> Result<String> {
    let mut end = text.len().min(MAX_TURN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cleaned = crate::text::terminal_line(&text[..end]);
    if cleaned.is_empty() {
        return Err(Error::Invalid(
            "the turn is empty: type a request or a question".into(),
        ));
    }
    Ok(cleaned)
}

/// `text` without the named items' spans and a cue word right before each ("like Portal").
pub(super) fn without_named(text: &str, named: &[Named]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for n in named {
        if n.start < at {
            continue;
        }
        let mut before = &text[at..n.start];
        let trimmed = before.trim_end();
        let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
        if anchor::CUES.contains(&last.to_lowercase().as_str())
            || last.eq_ignore_ascii_case("similar")
        {
            before = &trimmed[..trimmed.len() - last.len()];
        }
        out.push_str(before);
        out.push(' ');
        at = n.end;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that carry no request in a follow-up turn.
const NOT_REQUEST: &[&str] = &[
    "one",
    "ones",
    "first",
    "second",
    "third",
    "last",
    "that",
    "this",
    "those",
    "these",
    "them",
    "please",
    "thanks",
    "thank",
    "ok",
    "okay",
    "yes",
    "no",
    "nah",
    "yeah",
    "sure",
    "else",
    "more",
    "other",
    "others",
    "another",
    "what",
    "about",
    "how",
    "tell",
    "show",
    "give",
    "hi",
    "hello",
    "hey",
    "hiya",
    "howdy",
    "there",
    "morning",
    "afternoon",
    "evening",
    "doing",
    "going",
    "bye",
    "goodbye",
    "cheers",
    "lol",
    "haha",
    "today",
];

pub(super) fn content_words(text: &str) -> usize {
    lexical::words(text)
        .filter(|w| !lexical::STOPWORDS.contains(&w.as_str()) && !NOT_REQUEST.contains(&w.as_str()))
        .filter(|w| !anchor::CUES.contains(&w.as_str()))
        .count()
}

/// The turn without its start-over phrase ("forget that, I need a comedy" → "I need a comedy").
pub(super) fn strip_start_over(text: &str) -> String {
    let lower = text.to_lowercase();
    for p in [
        "start over",
        "start again",
        "from scratch",
        "reset",
        "new search",
        "forget everything",
        "forget all that",
        "forget that",
        "begin again",
        "new topic",
        "let's",
        "lets",
        "ok",
        "okay",
    ] {
        if let Some(at) = lower.find(p) {
            let rest = format!("{} {}", &text[..at], &text[at + p.len()..]);
            return strip_start_over(
                rest.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '.'),
            );
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_items_and_cues_leave_the_request() {
        let named = [Named {
            start: 15,
            end: 21,
            index: 0,
            how: anchor::How::Exact,
        }];
        assert_eq!(
            without_named("something like Portal but co-op", &named),
            "something but co-op"
        );
        assert_eq!(
            strip_start_over("let's start over: a cozy farming game"),
            "a cozy farming game"
        );
        assert_eq!(content_words("hi there, how are you doing today?"), 0);
        assert_eq!(content_words("hey, a cozy farming game"), 2);
        assert!(super::super::route::asks_about_reco("So, what can you do?"));
        assert!(!super::super::route::asks_about_reco(
            "what can I play with my kids"
        ));
        assert!(clean_turn(" \u{1b}[2J ").is_err());
        assert_eq!(
            clean_turn(&"x".repeat(10_000)).map(|s| s.len()).ok(),
            Some(MAX_TURN_BYTES)
        );
    }
}
