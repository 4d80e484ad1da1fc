//! [`Conversation`]: the state one conversation carries from turn to turn — its session
//! (profile: liked / rejected / seen items and stated preferences, persisted in sled), the
//! cards last shown (numbered as the user saw them) with their reasons, the item in focus,
//! the active [`Constraints`], and the recent turns. It is written back to the store after
//! every turn in one transaction ([`crate::store::Store::commit`]).

use serde::{Deserialize, Serialize};

use super::Constraints;
use crate::{
    generate::Transcript,
    store::{Feedback, Role, Session, Store, Turn},
    Error, Result,
};

/// Recent turns kept in memory for context.
const RECENT: usize = 12;

/// The dialogue layer's part of a session record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DialogueState {
    /// Ids of the cards last shown, in the order the user saw them.
    pub shown: Vec<String>,
    /// The reason shown with each card ("" where none).
    pub reasons: Vec<String>,
    /// The item last discussed ("that one", "it").
    pub focus: Option<String>,
    /// The active constraints.
    pub constraints: Constraints,
    /// Items named so far by either side (the person's turns, and turns recorded with
    /// [`Conversation::observe`]), in order, each once: seeds of the collaborative ranker and
    /// never recommended back.
    pub mentioned: Vec<String>,
    /// Every card shown since the current request started (a new request clears it): "anything
    /// else?" never brings one back.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<String>,
    /// Where a new request started over earlier cards ([`super::route::Route::fresh`]):
    /// what was said and named before it is no seed of its search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_at: Option<RequestStart>,
    /// The items of the last comparison, until the cards change: "which one is newer?"
    /// after "compare the first and third" picks between those two.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<String>,
}

/// Where the current request started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStart {
    /// The user turn (0-based).
    pub turn: usize,
    /// How many items had been mentioned before it.
    pub mentioned: usize,
    /// How many items had been liked before it (the session's list is in the order liked).
    pub liked: usize,
}

/// One conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// The persisted session (profile and counters).
    pub session: Session,
    /// Cards, focus and constraints.
    pub state: DialogueState,
    /// Recent turns, oldest first.
    pub recent: Vec<Turn>,
    /// Embedding of the last system turn (context for the intent classifier).
    pub prev_vector: Option<Vec<f32>>,
    /// The conversation as the language model saw it (in memory only: the model's prefix
    /// cache does not outlive the process either).
    pub transcript: Transcript,
}

impl Conversation {
    /// A new conversation on `catalog`, created in the store.
    pub fn create(store: &Store, catalog: &str) -> Result<Self> {
        let session = store.create_new_session(catalog)?;
        Ok(Self::from_session(session, Vec::new()))
    }

    /// Reopen a stored conversation.
    pub fn open(store: &Store, id: &str) -> Result<Self> {
        let session = store.require_session(id)?;
        let recent = store.turns(id, RECENT)?;
        Ok(Self::from_session(session, recent))
    }

    /// The most recently changed conversation, if any.
    pub fn latest(store: &Store) -> Result<Option<Self>> {
        match store.sessions()?.into_iter().next() {
            Some(s) => Ok(Some(Self::open(store, &s.id)?)),
            None => Ok(None),
        }
    }

    fn from_session(session: Session, recent: Vec<Turn>) -> Self {
        let state: DialogueState =
            serde_json::from_value(session.state.clone()).unwrap_or_default();
        Self {
            session,
            state,
            recent,
            prev_vector: None,
            transcript: Transcript::default(),
        }
    }

    /// The session id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.session.id
    }

    /// The catalog it recommends from.
    #[must_use]
    pub fn catalog(&self) -> &str {
        &self.session.catalog
    }

    /// The texts of the person's last `n` turns, newest first.
    pub fn recent_user_texts(&self, n: usize) -> impl Iterator<Item = &str> {
        self.recent
            .iter()
            .rev()
            .filter(|t| t.role == Role::User)
            .take(n)
            .map(|t| t.text.as_str())
    }

    /// The last system turn's text ("" if none).
    #[must_use]
    pub fn last_system_text(&self) -> &str {
        self.recent
            .iter()
            .rev()
            .find(|t| t.role == Role::Assistant)
            .map_or("", |t| t.text.as_str())
    }

    /// User turns so far.
    #[must_use]
    pub fn user_turns(&self) -> usize {
        (self.session.turns as usize).div_ceil(2)
    }

    /// Items that must never be offered again in this session: rejected, seen, liked ("oh
    /// yep, I love that movie" says it was watched; a liked card is noted already) and
    /// mentioned.
    #[must_use]
    pub fn excluded(&self) -> std::collections::HashSet<String> {
        self.session
            .rejected
            .iter()
            .chain(&self.session.seen)
            .chain(&self.session.liked)
            .chain(&self.state.mentioned)
            .cloned()
            .collect()
    }

    /// The id of card `n` (1-based, as the user saw the cards).
    pub fn card(&self, n: usize) -> Result<String> {
        self.state
            .shown
            .get(n.wrapping_sub(1))
            .cloned()
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "there is no card {n} ({} on screen)",
                    self.state.shown.len()
                ))
            })
    }

    /// An item reco remembers feedback on, named by card number, id or title (`title` maps
    /// an id to its title; compared without case).
    pub fn remembered(&self, what: &str, title: &dyn Fn(&str) -> String) -> Result<String> {
        if let Ok(n) = what.trim().parse::<usize>() {
            return self.card(n);
        }
        let s = &self.session;
        s.liked
            .iter()
            .chain(&s.rejected)
            .chain(&s.seen)
            .find(|id| id.as_str() == what || title(id).eq_ignore_ascii_case(what.trim()))
            .cloned()
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "`{what}` among the items reco remembers in session `{}`",
                    s.id
                ))
            })
    }

    /// Record a turn reco did not produce — a human recommender's, when a dialogue is replayed
    /// — with the items it names: it becomes context for the next turns (the intent
    /// classifier's previous turn, the collaborative seeds) and is stored like any turn. The
    /// items a recommender's turn names are what the person just read: they become the cards
    /// on screen, the last one in focus, so "no, I haven't seen it" is about them and not about
    /// cards reco ranked but nobody showed.
    pub fn observe(
        &mut self,
        store: &Store,
        role: Role,
        text: &str,
        items: &[String],
    ) -> Result<()> {
        let mut turn = Turn::new(role, crate::text::strip_controls(text).0);
        turn.items = items.to_vec();
        self.remember_mentions(&turn.items);
        if role == Role::Assistant && !items.is_empty() {
            self.state.shown = items.to_vec();
            self.state.reasons = vec![String::new(); items.len()];
            self.state.focus = items.last().cloned();
        }
        self.commit(store, vec![turn])
    }

    fn remember_mentions(&mut self, items: &[String]) {
        for id in items {
            if !self.state.mentioned.contains(id) {
                self.state.mentioned.push(id.clone());
            }
        }
    }

    /// Record feedback on an item (in memory; persisted with the next commit).
    pub fn mark(&mut self, item: &str, feedback: Feedback) -> bool {
        self.session.mark(item, feedback)
    }

    /// Write the state and `turns` to the store in one transaction.
    pub fn commit(&mut self, store: &Store, turns: Vec<Turn>) -> Result<()> {
        if self.session.title.is_empty() {
            if let Some(t) = turns.iter().find(|t| t.role == Role::User) {
                self.session.title = crate::text::terminal_line(&t.text)
                    .chars()
                    .take(60)
                    .collect();
            }
        }
        for t in turns.iter().filter(|t| t.role == Role::User) {
            self.remember_mentions(&t.items);
        }
        self.session.state = serde_json::to_value(&self.state)?;
        store.commit(&mut self.session, &turns)?;
        self.recent.extend(turns);
        if self.recent.len() > RECENT {
            let cut = self.recent.len() - RECENT;
            self.recent.drain(..cut);
        }
        Ok(())
    }

    /// Start over: constraints, cards and focus are cleared; the profile stays.
    pub fn start_over(&mut self) {
        self.state = DialogueState::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_reopening() {
        let store = Store::temporary().expect("store");
        let mut c = Conversation::create(&store, "games").expect("create");
        c.state.shown = vec!["a".into(), "b".into()];
        c.state.focus = Some("b".into());
        c.state.constraints.filters.price_max = Some(9.99);
        c.mark("x", Feedback::Rejected);
        c.commit(
            &store,
            vec![
                Turn::new(Role::User, "hi"),
                Turn::new(Role::Assistant, "hello"),
            ],
        )
        .expect("commit");
        let again = Conversation::open(&store, c.id()).expect("open");
        assert_eq!(again.state, c.state);
        assert_eq!(again.session.rejected, ["x"]);
        assert_eq!(again.recent.len(), 2);
        assert_eq!(again.last_system_text(), "hello");
        assert_eq!(again.session.title, "hi");
        assert_eq!(
            Conversation::latest(&store)
                .expect("latest")
                .map(|c| c.id().to_string()),
            Some(c.id().to_string())
        );
    }

    #[test]
    fn an_observed_suggestion_is_what_is_on_screen() {
        let store = Store::temporary().expect("store");
        let mut c = Conversation::create(&store, "movies").expect("create");
        c.state.shown = vec!["ranked".into()];
        c.observe(
            &store,
            Role::User,
            "anything like Alien?",
            &["alien".into()],
        )
        .expect("observe");
        assert_eq!(c.state.shown, ["ranked"], "a seeker's turn shows nothing");
        c.observe(
            &store,
            Role::Assistant,
            "Try Aliens or Predator",
            &["aliens".into(), "predator".into()],
        )
        .expect("observe");
        assert_eq!(c.state.shown, ["aliens", "predator"]);
        assert_eq!(c.state.focus.as_deref(), Some("predator"));
        assert_eq!(c.state.mentioned, ["alien", "aliens", "predator"]);
        let again = Conversation::open(&store, c.id()).expect("open");
        assert_eq!(again.state, c.state);
    }
}
