//! A conversation as the model sees it. [`Transcript`] keeps the messages of earlier turns
//! exactly as they were sent and answered, and the items the model has been shown, each with
//! the number it was given (numbers hold for the whole conversation). A turn's prompt is the
//! transcript plus one new user message that lists only items not shown before (with their
//! descriptions when the turn is about them) and refers to the rest by number; session memory
//! is repeated only when it changed. So the prompt grows by a few dozen tokens a turn and the
//! engine's prefix cache serves the rest. Past [`MAX_CHARS`] the transcript starts afresh.

use std::collections::HashSet;

use super::prompt::{self, PromptKind};
use crate::{catalog::Item, store::Role};

/// Past this many characters of earlier messages a turn starts a fresh transcript (about
/// 1,500 tokens: longer contexts slow every step on a CPU).
pub const MAX_CHARS: usize = 6000;

/// One earlier message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Who said it.
    pub role: Role,
    /// What was said (as sent, or as the answer was shown in the model's format).
    pub text: String,
}

/// The model's view of one conversation.
#[derive(Debug, Clone)]
pub struct Transcript {
    messages: Vec<Message>,
    /// Item ids in the model's numbering (item `n` is `listed[n - 1]`).
    listed: Vec<String>,
    described: HashSet<String>,
    memory: String,
    keep: bool,
}

impl Default for Transcript {
    fn default() -> Self {
        Self {
            messages: Vec::new(),
            listed: Vec::new(),
            described: HashSet::new(),
            memory: String::new(),
            keep: true,
        }
    }
}

/// The prompt of one turn, and the transcript it leads to once answered.
#[derive(Debug, Clone)]
pub struct TurnPrompt {
    /// Earlier messages to send before `user`.
    pub history: Vec<Message>,
    /// This turn's user message.
    pub user: String,
    /// The model's number of each item of the turn, in order.
    pub numbers: Vec<usize>,
    next: Transcript,
}

impl Transcript {
    /// A transcript that forgets every turn: each prompt stands alone (for measuring what
    /// keeping the conversation buys).
    #[must_use]
    pub fn stateless() -> Self {
        Self {
            keep: false,
            ..Self::default()
        }
    }

    /// Earlier messages.
    #[must_use]
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    fn chars(&self) -> usize {
        self.messages.iter().map(|m| m.text.len()).sum()
    }

    /// The prompt of a turn of `kind` about `items`.
    #[must_use]
    pub fn turn(
        &self,
        kind: PromptKind,
        items: &[&Item],
        memory: &str,
        question: &str,
        n_picks: usize,
    ) -> TurnPrompt {
        let mut next = if self.keep && self.chars() <= MAX_CHARS {
            self.clone()
        } else {
            Self {
                keep: self.keep,
                ..Self::default()
            }
        };
        let mut lines = Vec::new();
        let mut numbers = Vec::new();
        for it in items {
            let n = match next.listed.iter().position(|id| *id == it.id) {
                Some(i) => i + 1,
                None => {
                    next.listed.push(it.id.clone());
                    let n = next.listed.len();
                    lines.push(prompt::fact_line(n, it));
                    n
                }
            };
            if kind.describes() && next.described.insert(it.id.clone()) {
                lines.extend(prompt::description_line(n, it));
            }
            numbers.push(n);
        }
        let memory = if memory == next.memory {
            ""
        } else {
            next.memory = memory.to_string();
            memory
        };
        let numbered: Vec<(usize, &Item)> =
            numbers.iter().copied().zip(items.iter().copied()).collect();
        // A recommendation lists its cards right above (or earlier): numbers suffice.
        let cards = if kind == PromptKind::Recommend {
            numbers
                .iter()
                .map(|n| format!("[{n}]"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            prompt::references(&numbered)
        };
        let user = prompt::turn_message(
            kind,
            &prompt::items_block(&lines),
            memory,
            &cards,
            question,
            n_picks,
        );
        TurnPrompt {
            history: next.messages.clone(),
            user,
            numbers,
            next,
        }
    }

    /// Record an answered turn: its prompt and the answer as shown, in the model's format.
    pub fn record(&mut self, turn: TurnPrompt, answer: &str) {
        let mut next = turn.next;
        if next.keep {
            next.messages.push(Message {
                role: Role::User,
                text: turn.user,
            });
            next.messages.push(Message {
                role: Role::Assistant,
                text: answer.trim_end().to_string(),
            });
        } else {
            next.listed.clear();
            next.described.clear();
            next.memory.clear();
        }
        *self = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> Item {
        Item {
            id: id.into(),
            title: id.to_uppercase(),
            description: Some(format!("all about {id}")),
            ..Item::default()
        }
    }

    #[test]
    fn a_conversation_grows_and_lists_each_item_once() {
        let (a, b, c) = (item("a"), item("b"), item("c"));
        let mut t = Transcript::default();
        let first = t.turn(PromptKind::Recommend, &[&a, &b], "", "fun", 2);
        assert_eq!(first.numbers, [1, 2]);
        assert!(first.history.is_empty());
        assert!(first.user.contains("[1] A") && !first.user.contains("described"));
        let user1 = first.user.clone();
        t.record(first, "[2] because it is B");
        let second = t.turn(PromptKind::Recommend, &[&c, &b], "", "more", 2);
        assert_eq!(second.numbers, [3, 2]);
        assert_eq!(second.history.len(), 2);
        assert_eq!(
            second.history[0].text, user1,
            "earlier turns are sent unchanged"
        );
        assert!(second.user.contains("[3] C") && !second.user.contains("[2] B |"));
        t.record(second, "[3] because it is C");
        let third = t.turn(PromptKind::AnswerItem, &[&b], "", "tell me more", 1);
        assert_eq!(third.numbers, [2]);
        assert!(
            third.user.contains("[2] described: all about b"),
            "{}",
            third.user
        );
        assert!(!third.user.contains("Items:\n[2] B"), "{}", third.user);
    }

    #[test]
    fn stateless_prompts_stand_alone() {
        let (a, b) = (item("a"), item("b"));
        let mut t = Transcript::stateless();
        let first = t.turn(PromptKind::Recommend, &[&a], "", "x", 1);
        t.record(first, "[1] because it is A");
        let second = t.turn(PromptKind::Recommend, &[&b, &a], "", "y", 1);
        assert!(second.history.is_empty());
        assert_eq!(second.numbers, [1, 2]);
    }
}
