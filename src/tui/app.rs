//! The chat's state and its one place of change: [`App::update`] takes a [`Msg`] (a key, a
//! paste, the mouse, a resize, a tick, an engine [`Event`]) and returns [`Effect`]s (requests
//! for the engine task, quit). Nothing here waits or draws: the event loop feeds it and
//! [`super::view::render`] draws it. Text from events is made terminal-safe on the way in,
//! so the state only ever holds harmless strings.

mod commands;
mod keys;

use crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

use super::{
    events::{Event, ModelStatus, Request, TurnDone},
    input::Input,
    view, CardView,
};
use crate::{
    dialogue::Timings,
    text::{terminal, terminal_line},
};

/// Who said a transcript entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The person.
    User,
    /// reco's answer.
    Reco,
    /// A slash command as typed.
    Command,
    /// An answer to a command, or a notice.
    Note,
    /// Something went wrong.
    Error,
}

/// One transcript entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Who said it.
    pub who: Who,
    /// What (terminal-safe).
    pub text: String,
}

/// Where a running turn is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Understanding the turn.
    Understanding,
    /// Searching the catalog.
    Searching,
    /// Writing the answer (or waiting for the model to load).
    Writing,
    /// Esc was pressed.
    Stopping,
}

/// The last turn's report, for the status line.
#[derive(Debug, Clone, Default)]
pub struct TurnInfo {
    /// Intent label.
    pub intent: String,
    /// Its probability.
    pub confidence: f32,
    /// What reco did.
    pub action: String,
    /// Per-stage latency (once the turn is done).
    pub timings: Option<Timings>,
}

/// An input to [`App::update`].
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted.
    Paste(String),
    /// The mouse did something.
    Mouse(MouseEvent),
    /// The terminal has this size now (columns, rows).
    Resize(u16, u16),
    /// Time passed (spinners).
    Tick,
    /// The engine task said something.
    Engine(Event),
}

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send this to the engine task.
    Send(Request),
    /// Leave the chat.
    Quit,
}

/// The chat's whole state.
#[derive(Debug, Clone)]
pub struct App {
    /// Catalog of the session.
    pub catalog: String,
    /// Adapter in use.
    pub adapter: String,
    /// Session id.
    pub session: String,
    /// Session title.
    pub title: String,
    /// Generation model.
    pub model: ModelStatus,
    /// The conversation so far.
    pub transcript: Vec<Entry>,
    /// Cards on screen.
    pub cards: Vec<CardView>,
    /// The input box.
    pub input: Input,
    /// The turn in flight.
    pub busy: Option<Stage>,
    /// Index of the answer being written in `transcript`.
    pub pending: Option<usize>,
    /// The last turn's report.
    pub turn: TurnInfo,
    /// Transcript lines scrolled up from the bottom.
    pub scroll: usize,
    /// The help popup is open.
    pub help: bool,
    /// Tab completions being cycled, and the one shown.
    pub completions: (Vec<String>, usize),
    /// Catalog names (completion).
    pub catalogs: Vec<String>,
    /// Session ids (completion).
    pub sessions: Vec<String>,
    /// Ticks so far (spinner frame).
    pub tick: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
}

impl App {
    /// An empty chat of the given terminal size, waiting for its session.
    #[must_use]
    pub fn new(size: (u16, u16)) -> Self {
        Self {
            catalog: String::new(),
            adapter: "none".into(),
            session: String::new(),
            title: String::new(),
            model: ModelStatus::Off,
            transcript: Vec::new(),
            cards: Vec::new(),
            input: Input::default(),
            busy: None,
            pending: None,
            turn: TurnInfo::default(),
            scroll: 0,
            help: false,
            completions: (Vec::new(), 0),
            catalogs: Vec::new(),
            sessions: Vec::new(),
            tick: 0,
            size,
        }
    }

    /// Whether something on screen moves (a spinner), so ticks must redraw.
    #[must_use]
    pub fn animating(&self) -> bool {
        self.busy.is_some() || matches!(self.model, ModelStatus::Loading(_))
    }

    /// Apply one message.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => return self.key(k),
            Msg::Paste(s) => {
                self.input.paste(&s);
                self.completions.0.clear();
            }
            Msg::Mouse(m) => match m.kind {
                MouseEventKind::ScrollUp => self.scroll_by(3),
                MouseEventKind::ScrollDown => self.scroll_by(-3),
                _ => {}
            },
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.scroll_by(0);
            }
            Msg::Tick => self.tick = self.tick.wrapping_add(1),
            Msg::Engine(e) => self.engine(e),
        }
        Vec::new()
    }

    /// Add an entry (made terminal-safe).
    pub fn push(&mut self, who: Who, text: &str) {
        self.transcript.push(Entry {
            who,
            text: terminal(text).trim_end().to_string(),
        });
        self.scroll = 0;
    }

    /// Scroll the transcript by `lines` (positive: up), within its length.
    pub fn scroll_by(&mut self, lines: isize) {
        let max = view::max_scroll(self);
        self.scroll = self.scroll.saturating_add_signed(lines).min(max);
    }

    fn engine(&mut self, e: Event) {
        match e {
            Event::Model(m) => {
                self.model = match m {
                    ModelStatus::Loading(n) => ModelStatus::Loading(terminal_line(&n)),
                    ModelStatus::Ready(n, s) => ModelStatus::Ready(terminal_line(&n), s),
                    ModelStatus::Failed(why) => {
                        self.push(Who::Error, &format!("The model could not be loaded: {why}"));
                        ModelStatus::Failed(terminal_line(&why))
                    }
                    ModelStatus::Off => ModelStatus::Off,
                }
            }
            Event::Adapter(name) => self.adapter = terminal_line(&name),
            Event::Session(v) => {
                self.session = terminal_line(&v.id);
                self.catalog = terminal_line(&v.catalog);
                self.adapter = terminal_line(&v.adapter);
                self.title = terminal_line(&v.title);
                self.transcript.clear();
                let mut history = Vec::new();
                for (user, text) in &v.transcript {
                    self.push(if *user { Who::User } else { Who::Reco }, text);
                    if *user {
                        history.push(terminal(text));
                    }
                }
                self.input.set_history(history);
                self.cards = v.cards.into_iter().map(safe_card).collect();
                self.busy = None;
                self.pending = None;
                self.turn = TurnInfo::default();
                self.scroll = 0;
            }
            Event::Understood {
                intent,
                confidence,
                action,
            } => {
                self.turn = TurnInfo {
                    intent: terminal_line(&intent),
                    confidence,
                    action: terminal_line(&action),
                    timings: None,
                };
                self.stage(Stage::Searching);
            }
            Event::Cards(c) => {
                self.cards = c.into_iter().map(safe_card).collect();
                self.stage(Stage::Writing);
            }
            Event::Token(t) => {
                if let Some(e) = self.pending.and_then(|i| self.transcript.get_mut(i)) {
                    e.text.push_str(&terminal(&t));
                }
                self.stage(Stage::Writing);
            }
            Event::Done(d) => self.done(d),
            Event::Cancelled(kept) => {
                if let Some(e) = self.pending.and_then(|i| self.transcript.get_mut(i)) {
                    let t = e.text.trim_end().to_string();
                    e.text = if t.is_empty() {
                        "(stopped)".into()
                    } else {
                        format!("{t} … (stopped)")
                    };
                }
                if !kept {
                    self.push(
                        Who::Note,
                        "The turn stopped before it was understood; it was not saved.",
                    );
                }
                self.finish();
            }
            Event::Failed(m) => {
                if let Some(i) = self
                    .pending
                    .filter(|&i| self.transcript.get(i).is_some_and(|e| e.text.is_empty()))
                {
                    self.transcript.remove(i);
                }
                self.push(Who::Error, &m);
                self.finish();
            }
            Event::Note(n) => self.push(Who::Note, &n),
            Event::Lists(c, s) => {
                self.catalogs = c.iter().map(|x| terminal_line(x)).collect();
                self.sessions = s.iter().map(|x| terminal_line(x)).collect();
            }
        }
    }

    fn stage(&mut self, s: Stage) {
        if self.busy.is_some() && self.busy != Some(Stage::Stopping) {
            self.busy = Some(s);
        }
    }

    fn finish(&mut self) {
        self.busy = None;
        self.pending = None;
        self.scroll_by(0);
    }

    fn done(&mut self, d: TurnDone) {
        if let Some(e) = self.pending.and_then(|i| self.transcript.get_mut(i)) {
            let text = terminal(&d.text).trim_end().to_string();
            e.text = if text.is_empty() {
                "(no answer)".into()
            } else {
                text
            };
        }
        self.cards = d.cards.into_iter().map(safe_card).collect();
        self.turn = TurnInfo {
            intent: terminal_line(&d.intent),
            confidence: d.confidence,
            action: terminal_line(&d.action),
            timings: Some(d.timings),
        };
        self.finish();
    }
}

/// A card with every field made terminal-safe.
fn safe_card(c: CardView) -> CardView {
    CardView {
        id: terminal_line(&c.id),
        title: terminal_line(&c.title),
        price: c.price.map(|p| terminal_line(&p)),
        labels: terminal_line(&c.labels),
        why: terminal_line(&c.why),
        ..c
    }
}
