//! The engine task: it owns the [`Agent`], the [`Conversation`] and the generator, takes
//! [`Request`]s from the UI and sends [`Event`]s back, so the UI never awaits anything slow.
//! A turn runs [`Agent::turn`] — the same pipeline as `reco ask` — with a [`Sink`] that
//! forwards its stages over the channel; while it runs, the task still listens, and Esc
//! drops the turn's future (which aborts generation).
//!
//! A stopped turn is kept: `Agent::turn` commits only at its end, and everything before
//! generation (feedback remembered, constraints changed, new cards) has already happened in
//! memory when Esc arrives, so the task commits the user's turn with what was shown of the
//! answer, marked "(stopped)", and the cards without reasons. The store and the screen then
//! agree with what the user saw. A failed turn is not committed: the conversation is
//! reopened from the store.

mod actions;
mod adapters;

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::{
    events::{Event, ModelStatus, Request, SessionView, TurnDone},
    loader::{Loading, State},
    CardView,
};
use crate::{
    catalog::Item,
    dialogue::{clean_turn, Agent, Answer, Conversation, Sink, Understood},
    embed::Embedder,
    engine::Engine,
    generate::Generator,
    store::{Role, Turn},
};

/// Everything the engine task owns.
pub struct Parts {
    /// Config and store.
    pub engine: Engine,
    /// The agent for the session's catalog.
    pub agent: Agent,
    /// The conversation to continue.
    pub conv: Conversation,
    /// The embedding backbone (to load other catalogs).
    pub embedder: Arc<dyn Embedder>,
    /// The generation model (None: answers from the catalog's facts).
    pub model: Option<Loading>,
    /// Notices to show first.
    pub notes: Vec<String>,
}

/// The UI's ends of the engine task's channels, and the task.
pub struct Handle {
    /// Requests to the engine.
    pub requests: UnboundedSender<Request>,
    /// Events from the engine.
    pub events: UnboundedReceiver<Event>,
    /// The task (it ends after [`Request::Quit`] or when `requests` is dropped).
    pub task: tokio::task::JoinHandle<()>,
}

/// Start the engine task on the current runtime. It first sends the model's state, the
/// session to show and the lists for completion.
#[must_use]
pub fn spawn(parts: Parts) -> Handle {
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(parts, req_rx, ev_tx));
    Handle {
        requests: req_tx,
        events: ev_rx,
        task,
    }
}

struct Task {
    engine: Engine,
    agent: Agent,
    conv: Conversation,
    embedder: Arc<dyn Embedder>,
    model: Option<Loading>,
    /// A model loading in the background for the catalog switched to (another generation
    /// adapter); `model` answers until it is ready.
    next: Option<Loading>,
    /// Bumped by every status watcher started; older watchers stay silent.
    watchers: Arc<AtomicU64>,
    events: UnboundedSender<Event>,
}

async fn run(parts: Parts, mut rx: UnboundedReceiver<Request>, events: UnboundedSender<Event>) {
    let Parts {
        engine,
        agent,
        conv,
        embedder,
        model,
        notes,
    } = parts;
    let mut t = Task {
        engine,
        agent,
        conv,
        embedder,
        model,
        next: None,
        watchers: Arc::new(AtomicU64::new(0)),
        events,
    };
    t.watch_model();
    t.show_session();
    t.send_lists();
    for n in notes {
        t.note(n);
    }
    while let Some(req) = rx.recv().await {
        match req {
            Request::Turn(text) => {
                if !t.turn(&text, &mut rx).await {
                    break;
                }
            }
            Request::Cancel => {}
            Request::Quit => break,
            other => t.command(other),
        }
    }
    t.drop_if_empty();
}

/// Forwards a turn's stages to the UI and remembers what was shown (for a stopped turn).
struct ChannelSink {
    events: UnboundedSender<Event>,
    understood: Option<(String, f32, Vec<usize>)>,
    cards: bool,
    text: String,
}

impl Sink for ChannelSink {
    fn understood(&mut self, u: &Understood) {
        let label = u.intent.label();
        self.understood = Some((
            label.clone(),
            u.intent.confidence,
            u.named.iter().map(|n| n.index).collect(),
        ));
        let _ = self.events.send(Event::Understood {
            intent: label,
            confidence: u.intent.confidence,
            action: u.route.action.name().to_string(),
        });
    }

    fn cards(&mut self, items: &[&Item]) {
        self.cards = true;
        let cards = items.iter().map(|it| CardView::of(it)).collect();
        let _ = self.events.send(Event::Cards(cards));
    }

    fn token(&mut self, text: &str) {
        self.text.push_str(text);
        let _ = self.events.send(Event::Token(text.to_string()));
    }

    fn done(&mut self, _answer: &Answer) {}
}

impl Task {
    fn send(&self, e: Event) {
        let _ = self.events.send(e);
    }

    fn note(&self, text: impl Into<String>) {
        self.send(Event::Note(text.into()));
    }

    /// Report the answering model's state now and when its load ends. A watcher started
    /// earlier stops reporting (each watcher checks that it is still the latest).
    fn watch_model(&self) {
        let epoch = self.watchers.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(model) = self.model.clone() else {
            self.send(Event::Model(ModelStatus::Off));
            return;
        };
        let name = model.name().to_string();
        let events = self.events.clone();
        let watchers = Arc::clone(&self.watchers);
        tokio::spawn(async move {
            let current = || watchers.load(Ordering::SeqCst) == epoch;
            let status = match model.state() {
                State::Loading => {
                    let _ = events.send(Event::Model(ModelStatus::Loading(name.clone())));
                    model.wait().await
                }
                s => s,
            };
            if current() {
                let _ = events.send(Event::Model(status_of(name, status)));
            }
        });
    }

    /// The cards on screen, with reasons and marks.
    fn cards(&self) -> Vec<CardView> {
        let r = &self.agent.searcher.retriever;
        let st = &self.conv.state;
        st.shown
            .iter()
            .enumerate()
            .filter_map(|(n, id)| {
                let why = st.reasons.get(n).map_or("", String::as_str);
                r.by_id(id).map(|it| {
                    CardView::of(it)
                        .with_why(why)
                        .marked(&self.conv.session, id)
                })
            })
            .collect()
    }

    fn show_session(&self) {
        let s = &self.conv.session;
        let turns = self
            .engine
            .store
            .turns(&s.id, usize::try_from(s.turns).unwrap_or(usize::MAX))
            .unwrap_or_else(|e| {
                self.note(format!("could not read the turns: {e}"));
                Vec::new()
            });
        self.send(Event::Session(SessionView {
            id: s.id.clone(),
            catalog: s.catalog.clone(),
            adapter: self.adapter_name(),
            title: s.title.clone(),
            transcript: turns
                .into_iter()
                .map(|t| (t.role == Role::User, t.text))
                .collect(),
            cards: self.cards(),
        }));
    }

    fn send_lists(&self) {
        let store = &self.engine.store;
        let catalogs = store.catalog_names().unwrap_or_default();
        let sessions = store
            .sessions()
            .map(|v| v.into_iter().take(50).map(|s| s.id).collect())
            .unwrap_or_default();
        self.send(Event::Lists(catalogs, sessions));
    }

    /// Run one turn; false when the UI has gone.
    async fn turn(&mut self, text: &str, rx: &mut UnboundedReceiver<Request>) -> bool {
        let mut sink = ChannelSink {
            events: self.events.clone(),
            understood: None,
            cards: false,
            text: String::new(),
        };
        self.promote_next();
        let generator = self.model.as_ref().map(|m| m as &dyn Generator);
        let mut open = true;
        let outcome = {
            let fut = self.agent.turn(&mut self.conv, text, generator, &mut sink);
            tokio::pin!(fut);
            loop {
                tokio::select! {
                    // A request already waiting (Esc) wins over a turn that ends now.
                    biased;
                    req = rx.recv() => match req {
                        Some(Request::Cancel) => break None,
                        Some(Request::Quit) | None => {
                            open = false;
                            break None;
                        }
                        Some(_) => {
                            let _ = self.events.send(Event::Note(
                                "reco is still answering: wait, or press Esc to stop it".into(),
                            ));
                        }
                    },
                    r = &mut fut => break Some(r),
                }
            }
        };
        match outcome {
            Some(Ok(a)) => self.send(Event::Done(TurnDone {
                text: a.text,
                cards: self.cards(),
                timings: a.timings_ms,
                intent: a.intent.label,
                confidence: a.intent.confidence,
                action: a.action.to_string(),
            })),
            Some(Err(e)) => {
                self.reload();
                self.send(Event::Failed(e.to_string()));
                self.send(Event::Cards(self.cards()));
            }
            None => {
                let kept = self.keep_stopped(text, &sink);
                self.send(Event::Cancelled(kept));
                self.send(Event::Cards(self.cards()));
            }
        }
        open
    }

    /// Commit a stopped turn with what was shown of it (see the module doc).
    fn keep_stopped(&mut self, text: &str, sink: &ChannelSink) -> bool {
        let Some((label, confidence, named)) = &sink.understood else {
            return false;
        };
        let Ok(clean) = clean_turn(text) else {
            return false;
        };
        let items = self.agent.searcher.retriever.items();
        let mut user = Turn::new(Role::User, clean);
        user.intent = Some(label.clone());
        user.confidence = Some(*confidence);
        user.items = named.iter().map(|&i| items[i].id.clone()).collect();
        let shown = sink.text.trim_end();
        let mut reply = Turn::new(
            Role::Assistant,
            if shown.is_empty() {
                "(stopped)".to_string()
            } else {
                format!("{shown} … (stopped)")
            },
        );
        if sink.cards {
            reply.items = self.conv.state.shown.clone();
            reply.reasons = self.conv.state.reasons.clone();
        }
        self.conv.prev_vector = None;
        match self.conv.commit(&self.engine.store, vec![user, reply]) {
            Ok(()) => true,
            Err(e) => {
                self.note(format!("the stopped turn could not be saved: {e}"));
                self.reload();
                false
            }
        }
    }

    /// Reopen the conversation from the store (after a failed turn changed it in memory).
    fn reload(&mut self) {
        match Conversation::open(&self.engine.store, self.conv.id()) {
            Ok(c) => self.conv = c,
            Err(e) => self.note(format!("could not reopen the session: {e}")),
        }
    }

    /// Remove the session if nothing happened in it (opening the chat and leaving).
    fn drop_if_empty(&self) {
        let s = &self.conv.session;
        let empty = s.turns == 0
            && s.liked.is_empty()
            && s.rejected.is_empty()
            && s.seen.is_empty()
            && s.preferences.is_empty();
        if empty {
            let _ = self.engine.store.remove_session(&s.id);
        }
    }
}

/// The status line's words for a finished (or still running) load.
fn status_of(name: String, state: State) -> ModelStatus {
    match state {
        State::Ready(_, secs) => ModelStatus::Ready(name, secs),
        State::Failed(m) => ModelStatus::Failed(m),
        State::Loading => ModelStatus::Loading(name),
    }
}
