//! "More from the same studio as the first one", "anything else by the people who made
//! Hades?", "what else did they make?": a request for items by the makers of one item. Its
//! makers ([`Item::makers`]: the developers, or the publishers where the catalog names no
//! developer) become a hard filter ([`crate::retrieve::Filters::makers`]), the item itself
//! the anchor the results are ranked by (and never shown again), and what else the turn says
//! ("but cheaper", "a horror one") applies as in any request. A catalog that does not say who
//! made the item gets a line saying so, not a search for the word "developer".

use std::collections::HashSet;

use super::{
    generate::Plan,
    reading::plays_together,
    state::DialogueState,
    understand::Understood,
    words::{search_words, without_named},
    Agent, Conversation,
};
use crate::{
    catalog::{makers::maker_parts, Item},
    intent::refs::CardRef,
    retrieve::{anchor::Named, Retriever},
    text::terminal_line,
    Result,
};

/// Phrases that ask for the makers of an item ("same studio", "the people who made").
const SAME_MAKER: &[&str] = &[
    "same developer",
    "same dev",
    "same studio",
    "same maker",
    "same creator",
    "same publisher",
    "same company",
    "same team",
    "same people",
    "same guys",
    "same director",
    "same author",
    "makers of",
    "creators of",
    "developers of",
    "developer of",
    "devs of",
    "dev of",
    "studio behind",
    "team behind",
    "people behind",
    "studio that made",
    "studio who made",
    "people who made",
    "guys who made",
    "folks who made",
    "team that made",
    "company that made",
    "else did they make",
    "else have they made",
    "else they made",
    "else by them",
    "more by them",
    "more from them",
    "games by them",
    "movies by them",
    "else from them",
    "that dev",
    "this dev",
    "that developer",
    "this developer",
    "that studio",
    "this studio",
    "those devs",
    "these devs",
];

/// Words before a maker's name in a request ("games by Valve", "what else has Valve made").
const BEFORE_NAME: &[&str] = &["by", "from", "has", "have", "did"];

/// Words of those phrases and of card references, left out of the search text ("more from
/// the same developer as the first one" searches for nothing but its conditions).
const MAKER_WORDS: &[&str] = &[
    "same",
    "developer",
    "developers",
    "dev",
    "devs",
    "studio",
    "studios",
    "maker",
    "makers",
    "creator",
    "creators",
    "publisher",
    "publishers",
    "company",
    "team",
    "people",
    "guys",
    "folks",
    "director",
    "author",
    "made",
    "make",
    "makes",
    "behind",
    "who",
    "that",
    "they",
    "them",
    "did",
    "have",
    "has",
    "else",
    "more",
    "other",
    "others",
    "from",
    "by",
    "as",
    "of",
    "the",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "last",
    "one",
    "ones",
    "it",
    "this",
];

/// Whether the turn asks for items by the makers of an item; not a question who they are
/// ("who's the developer of #4?").
#[must_use]
pub(super) fn asks_same_maker(lower: &str) -> bool {
    let who = [
        "who is",
        "who's",
        "whos",
        "who are",
        "who made",
        "who developed",
        "who created",
    ]
    .iter()
    .any(|w| lower.trim_start().starts_with(w));
    // Whole words: "that devastating ending" names no dev.
    let said = |p: &str| {
        lower.match_indices(p).any(|(at, _)| {
            !lower[at + p.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
    };
    !who && SAME_MAKER.iter().any(|p| said(p))
}

/// A maker the turn names after "by", "from", "has" or "did" ("what else has valve made",
/// "anything from supergiant games?"): its folded name, when the catalog has at least two
/// items by it and a one-word name is no stopword, label or number.
#[must_use]
pub(super) fn named_maker(r: &Retriever, text: &str) -> Option<String> {
    let words: Vec<String> = crate::retrieve::lexical::words(&crate::text::fold(text)).collect();
    let makers = r.makers();
    for (i, w) in words.iter().enumerate() {
        if !BEFORE_NAME.contains(&w.as_str()) {
            continue;
        }
        for n in (1..=4).rev() {
            let Some(name) = words.get(i + 1..i + 1 + n).map(|ws| ws.join(" ")) else {
                continue;
            };
            let common = n == 1
                && (name.len() < 3
                    || crate::retrieve::lexical::STOPWORDS.contains(&name.as_str())
                    || MAKER_WORDS.contains(&name.as_str())
                    || r.vocab().lookup(&name).is_some()
                    || name.chars().all(|c| c.is_ascii_digit()));
            if !common && makers.get(&name).is_some_and(|&c| c >= 2) {
                return Some(name);
            }
        }
    }
    None
}

/// The targets of a request for items by makers, if the turn is one: the card or item it
/// points at ("more from the same studio as the first one", "what else did they make?"),
/// else the one in focus; empty for a maker the turn names ("what else has valve made"),
/// with no card or other item in it.
pub(super) fn maker_route(
    r: &Retriever,
    state: &DialogueState,
    text: &str,
    refs: Option<&CardRef>,
    card_targets: &[usize],
    named: &[usize],
) -> Option<Vec<usize>> {
    let lower = format!(" {} ", text.to_lowercase());
    if asks_same_maker(&lower) {
        let focus: Vec<usize> = if state.shown.is_empty() {
            state.focus.iter().filter_map(|f| r.index_of(f)).collect()
        } else {
            super::route::cards(r, state, Some(CardRef::That))
        };
        let one = match (card_targets, named) {
            ([c], _) => Some(*c),
            (_, [n]) => Some(*n),
            _ => focus.first().copied(),
        };
        if let Some(t) = one {
            return Some(vec![t]);
        }
    }
    (refs.is_none() && named.is_empty() && named_maker(r, text).is_some()).then(Vec::new)
}

/// How the catalog writes a folded maker name (its first spelling), for the terminal.
fn maker_text(r: &Retriever, folded: &str) -> String {
    r.items()
        .iter()
        .flat_map(|it| [&it.developer, &it.publisher])
        .flatten()
        .flat_map(|f| maker_parts(f))
        .find(|(_, f)| f == folded)
        .map_or_else(|| folded.to_string(), |(name, _)| terminal_line(&name))
}

/// `text` without the words of maker phrases and card references.
fn without_maker_words(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !MAKER_WORDS.contains(&crate::text::word_key(w).as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a line names an item's makers ("Valve", "Valve and Hidden Path").
fn maker_line(it: &Item) -> String {
    let raw = it
        .developer
        .as_deref()
        .or(it.publisher.as_deref())
        .unwrap_or("");
    let names: Vec<String> = maker_parts(raw)
        .iter()
        .map(|(m, _)| terminal_line(m))
        .collect();
    names.join(" and ")
}

impl Agent {
    /// A new request for items by the makers of `target` (catalog index), or, with no
    /// target, by the maker the turn names ([`named_maker`]).
    pub(super) fn by_makers(
        &self,
        conv: &mut Conversation,
        text: &str,
        u: &Understood,
        target: Option<usize>,
    ) -> Result<Plan> {
        let r = &self.searcher.retriever;
        let Some(target) = target else {
            return self.by_named_maker(conv, text, u);
        };
        let it = &r.items()[target];
        let makers = it.makers();
        if makers.is_empty() {
            return Ok(Plan::template(
                format!(
                    "The catalog does not say who made {}.\n",
                    terminal_line(&it.title)
                ),
                vec![target],
            ));
        }
        let mut all_named: Vec<Named> = u.named.iter().chain(&u.refused).cloned().collect();
        all_named.sort_by_key(|n| n.start);
        let request = without_maker_words(&without_named(text, &all_named));
        self.request_by(conv, &request, makers, vec![it.id.clone()])?;
        let plan = self.recommend(conv, &HashSet::new())?;
        let line = format!(
            "By {} (who made {}):\n",
            maker_line(it),
            terminal_line(&it.title)
        );
        let preface = Some(line + plan.preface.as_deref().unwrap_or(""));
        Ok(plan.with_preface(preface))
    }

    /// A new request for items by the maker the turn names ("what else has valve made").
    fn by_named_maker(&self, conv: &mut Conversation, text: &str, u: &Understood) -> Result<Plan> {
        let r = &self.searcher.retriever;
        let Some(name) = named_maker(r, text) else {
            return self.recommend(conv, &HashSet::new());
        };
        let shown = maker_text(r, &name);
        // The name's words are no search words either.
        let folded = crate::text::fold(&without_named(text, &u.named));
        let name_words: Vec<&str> = name.split(' ').collect();
        let request = folded
            .split_whitespace()
            .filter(|x| !name_words.contains(&crate::text::word_key(x).as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        self.request_by(conv, &without_maker_words(&request), vec![name], Vec::new())?;
        let plan = self.recommend(conv, &HashSet::new())?;
        let preface = Some(format!("By {shown}:\n") + plan.preface.as_deref().unwrap_or(""));
        Ok(plan.with_preface(preface))
    }

    /// Replace the request with `request`'s conditions and words, by `makers`, anchored on
    /// `anchors`.
    fn request_by(
        &self,
        conv: &mut Conversation,
        request: &str,
        makers: Vec<String>,
        anchors: Vec<String>,
    ) -> Result<()> {
        let r = &self.searcher.retriever;
        let mut parsed = match request.trim() {
            "" => crate::retrieve::ParsedQuery::default(),
            t => r.parse(t).unwrap_or_default(),
        };
        parsed.filters.makers = makers;
        conv.state.offered.clear();
        // A new request: what was said before it counts less in the search.
        conv.state.request_at = Some(super::state::RequestStart {
            turn: conv.user_turns(),
            mentioned: conv.state.mentioned.len(),
            liked: conv.session.liked.len(),
        });
        conv.state.focus = anchors.first().cloned();
        conv.state.constraints.replace(
            &parsed,
            &search_words(&parsed.text, plays_together(r)),
            anchors,
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maker_phrases_and_what_is_left_to_search() {
        for t in [
            "more from the same developer as the first one",
            "anything else by the people who made hades?",
            "what else did they make",
            "other games by the same dev?",
            "something from the makers of portal but cheaper",
        ] {
            assert!(asks_same_maker(t), "{t}");
        }
        for t in [
            "that devastating ending though",
            "games by valve",
            "same as before",
            "what did you make of it",
            "something the same length",
        ] {
            assert!(!asks_same_maker(t), "{t}");
        }
        assert_eq!(
            without_maker_words("more from the same developer as the first one"),
            ""
        );
        assert_eq!(
            without_maker_words("a horror game by the same studio"),
            "a horror game"
        );
    }
}
