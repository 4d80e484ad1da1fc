//! A card as the chat shows it: an [`Item`] (and the reason given for it, and what the user
//! said about it) in, a [`CardView`] of terminal-safe strings out. Every catalog string
//! passes through [`terminal_line`] here, the one door from catalog data into the TUI.

use crate::{
    catalog::Item,
    store::{Feedback, Session},
    text::terminal_line,
};

/// Genres and tags shown on a card.
const LABELS: usize = 4;

/// One numbered card, ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardView {
    /// Catalog id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Release year.
    pub year: Option<i32>,
    /// Price as shown ("$14.99", "free").
    pub price: Option<String>,
    /// A few genres and tags, joined.
    pub labels: String,
    /// The one-line reason ("" until the model gives one).
    pub why: String,
    /// What the user said about it in this session.
    pub mark: Option<Feedback>,
    /// Whether it is an add-on (DLC, soundtrack).
    pub addon: bool,
}

impl CardView {
    /// The card of an item, without a reason.
    #[must_use]
    pub fn of(it: &Item) -> Self {
        let mut labels: Vec<String> = Vec::new();
        for l in it.labels() {
            let l = terminal_line(l);
            if !l.is_empty() && !labels.iter().any(|x| x.eq_ignore_ascii_case(&l)) {
                labels.push(l);
            }
            if labels.len() == LABELS {
                break;
            }
        }
        Self {
            id: terminal_line(&it.id),
            title: terminal_line(&it.title),
            year: it.year,
            price: it.price.map(|p| p.to_string()),
            labels: labels.join(", "),
            why: String::new(),
            mark: None,
            addon: it.is_addon(),
        }
    }

    /// With a reason (made terminal-safe).
    #[must_use]
    pub fn with_why(mut self, why: &str) -> Self {
        self.why = terminal_line(why);
        self
    }

    /// With the user's feedback on the item, read from the session.
    #[must_use]
    pub fn marked(mut self, session: &Session, id: &str) -> Self {
        let has = |v: &[String]| v.iter().any(|x| x == id);
        self.mark = if has(&session.rejected) {
            Some(Feedback::Rejected)
        } else if has(&session.seen) {
            Some(Feedback::Seen)
        } else if has(&session.liked) {
            Some(Feedback::Liked)
        } else {
            None
        };
        self
    }

    /// "2016 · $14.99" (the facts line without labels).
    #[must_use]
    pub fn facts(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(y) = self.year {
            parts.push(y.to_string());
        }
        if let Some(p) = &self.price {
            parts.push(p.clone());
        }
        if self.addon {
            parts.push("add-on".into());
        }
        parts.join(" · ")
    }
}

/// The word shown for a mark.
#[must_use]
pub fn mark_word(m: Feedback) -> &'static str {
    match m {
        Feedback::Liked => "liked",
        Feedback::Rejected => "rejected",
        Feedback::Seen => "seen",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_items_become_plain_text() {
        let it = Item {
            id: "x\u{1b}[2J".into(),
            title: "Evil\u{1b}]0;pwned\u{7} Game\u{1b}[2J".into(),
            genres: vec!["Action\u{9b}31m".into(), "action".into()],
            tags: vec!["Co-op".into()],
            price: Some(crate::catalog::Price::Paid(4.5)),
            year: Some(2020),
            ..Item::default()
        };
        let c = CardView::of(&it).with_why("because\u{1b}[31m red");
        assert_eq!(c.title, "Evil Game");
        assert_eq!(c.id, "x");
        assert_eq!(c.labels, "Action, Co-op");
        assert_eq!(c.why, "because red");
        assert_eq!(c.facts(), "2020 · $4.50");
        let s = Session {
            rejected: vec!["x".into()],
            ..Session::default()
        };
        assert_eq!(c.marked(&s, "x").mark, Some(Feedback::Rejected));
    }
}
