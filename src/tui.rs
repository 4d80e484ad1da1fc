//! The interactive chat (`reco chat`, and `reco` with no arguments), Elm-style:
//!
//! ```text
//!  terminal keys, paste, mouse, resize ─┐
//!  ticks (spinners) ────────────────────┼─► Msg ─► App::update ─► Effect ─► engine task
//!  engine task events ──────────────────┘              │                    (Agent::turn,
//!                                                       ▼                     store, model)
//!                                           view::render(&App) (pure)
//! ```
//!
//! - [`app`]: the state and its one place of change; [`input`]: the editor; [`slash`]: the
//!   commands; [`cards`]: terminal-safe cards.
//! - [`view`]: pure drawing (transcript, cards, input, status line, help popup); [`wrap`]
//!   wraps styled text to a width.
//! - [`engine`]: the task that owns the agent, the conversation and the generator, runs turns
//!   (cancellable with Esc) and answers commands; [`events`] is what it and the UI say.
//! - [`loader`]: the model loads in the background at startup; a turn shows its cards at
//!   once and its prose waits for the model if it must.
//! - `terminal`: the event loop (one `tokio::select!`) and terminal setup and restore.

pub mod app;
pub mod cards;
pub mod engine;
pub mod events;
pub mod input;
pub mod loader;
pub mod slash;
mod terminal;
pub mod view;
pub mod wrap;

use std::time::Duration;

pub use app::{App, Effect, Msg, Who};
pub use cards::CardView;
pub use engine::{spawn, Handle, Parts};
pub use events::{Event, ModelStatus, Request, SessionView, TurnDone};
pub use loader::Loading;

use crate::Result;

/// Run the chat until the user quits. Must be called inside a tokio runtime. When the UI
/// ends, the engine task is told to quit and given a moment to finish (it saves a stopped
/// turn, and removes the session if nothing was said in it).
pub async fn chat(parts: Parts) -> Result<()> {
    let Handle {
        requests,
        events,
        task,
    } = spawn(parts);
    let r = terminal::run(App::new((80, 24)), requests.clone(), events).await;
    let _ = requests.send(Request::Quit);
    drop(requests);
    let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    r
}
