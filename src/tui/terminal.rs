//! The event loop: one `tokio::select!` over terminal input (crossterm's event stream), a
//! tick (spinners) and the engine task's events. Each becomes a [`Msg`] for
//! [`App::update`]; effects go to the engine; the screen is redrawn after every change. The
//! terminal (raw mode, alternate screen, mouse capture, bracketed paste) is restored on every
//! way out, a panic included.

use std::{io::stdout, time::Duration};

use crossterm::{
    event::{
        DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
        Event as TermEvent, EventStream,
    },
    execute,
};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::{
    app::{App, Effect, Msg},
    events::{Event, Request},
    view,
};
use crate::{Error, Result};

/// Restores the terminal when dropped.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}

fn term_err(e: std::io::Error) -> Error {
    Error::io("the terminal", e)
}

/// Take over the terminal and run the chat until the user quits.
pub async fn run(
    mut app: App,
    requests: UnboundedSender<Request>,
    mut events: UnboundedReceiver<Event>,
) -> Result<()> {
    let mut terminal = ratatui::try_init().map_err(term_err)?;
    let _restore = Restore;
    execute!(stdout(), EnableMouseCapture, EnableBracketedPaste).map_err(term_err)?;
    let size = terminal.size().map_err(term_err)?;
    app.update(Msg::Resize(size.width, size.height));
    event_loop(&mut terminal, &mut app, &requests, &mut events).await
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    requests: &UnboundedSender<Request>,
    events: &mut UnboundedReceiver<Event>,
) -> Result<()> {
    let mut input = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(120));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    terminal.draw(|f| view::render(app, f)).map_err(term_err)?;
    loop {
        let msg = tokio::select! {
            e = input.next() => match e {
                Some(Ok(TermEvent::Key(k))) => Msg::Key(k),
                Some(Ok(TermEvent::Paste(s))) => Msg::Paste(s),
                Some(Ok(TermEvent::Mouse(m))) => Msg::Mouse(m),
                Some(Ok(TermEvent::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(term_err(e)),
                None => return Ok(()),
            },
            _ = tick.tick() => {
                if !app.animating() {
                    continue;
                }
                Msg::Tick
            }
            e = events.recv() => match e {
                Some(e) => Msg::Engine(e),
                None => return Err(Error::Invalid("the engine task stopped".into())),
            },
        };
        let resized = matches!(msg, Msg::Resize(..));
        for effect in app.update(msg) {
            match effect {
                Effect::Send(r) => {
                    let _ = requests.send(r);
                }
                Effect::Quit => return Ok(()),
            }
        }
        if resized {
            terminal.autoresize().map_err(term_err)?;
        }
        terminal.draw(|f| view::render(app, f)).map_err(term_err)?;
    }
}
