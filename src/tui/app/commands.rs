//! Sending what was typed: a turn (the transcript gets the user's line and a pending
//! answer) or a slash command (parsed; `/help` and `/quit` are handled here, the rest become
//! engine requests).

use super::{App, Effect, Entry, Stage, TurnInfo, Who};
use crate::{
    store::Feedback,
    tui::{
        events::Request,
        slash::{self, Slash},
    },
};

impl App {
    /// Send what is typed: a turn, or a slash command.
    pub(super) fn submit(&mut self) -> Vec<Effect> {
        let line = self.input.text().trim().to_string();
        if line.is_empty() {
            return Vec::new();
        }
        if line.starts_with('/') {
            self.input.take();
            return self.slash(&line);
        }
        if self.busy.is_some() {
            self.push(
                Who::Note,
                "reco is still answering: wait, or press Esc to stop it.",
            );
            return Vec::new();
        }
        let text = self.input.take();
        self.push(Who::User, &text);
        self.transcript.push(Entry {
            who: Who::Reco,
            text: String::new(),
        });
        self.pending = Some(self.transcript.len() - 1);
        self.busy = Some(Stage::Understanding);
        self.turn = TurnInfo::default();
        vec![Effect::Send(Request::Turn(text))]
    }

    fn slash(&mut self, line: &str) -> Vec<Effect> {
        let cmd = match slash::parse(line) {
            Ok(c) => c,
            Err(m) => {
                self.push(Who::Error, &m);
                return Vec::new();
            }
        };
        match cmd {
            Slash::Help => {
                self.help = true;
                return Vec::new();
            }
            Slash::Quit => return vec![Effect::Send(Request::Quit), Effect::Quit],
            _ if self.busy.is_some() => {
                self.push(
                    Who::Note,
                    "reco is still answering: wait, or press Esc to stop it.",
                );
                return Vec::new();
            }
            _ => {}
        }
        self.push(Who::Command, line);
        let req = match cmd {
            Slash::Catalog(n) => Request::Catalog(n),
            Slash::Adapter(n) => Request::Adapter(n),
            Slash::New => Request::New,
            Slash::Sessions => Request::Sessions,
            Slash::Open(id) => Request::Open(id),
            Slash::Export(f) => Request::Export(f.map(Into::into)),
            Slash::Profile => Request::Profile,
            Slash::Forget(i) => Request::Forget(i),
            Slash::Why(n) => Request::Why(n),
            Slash::Like(n) => Request::Mark(n, Feedback::Liked),
            Slash::Reject(n) => Request::Mark(n, Feedback::Rejected),
            Slash::Seen(n) => Request::Mark(n, Feedback::Seen),
            Slash::Help | Slash::Quit => return Vec::new(),
        };
        vec![Effect::Send(req)]
    }

    /// Esc / Ctrl+C while a turn runs.
    pub(super) fn cancel(&mut self) -> Vec<Effect> {
        if self.busy.is_some() {
            self.busy = Some(Stage::Stopping);
            return vec![Effect::Send(Request::Cancel)];
        }
        Vec::new()
    }
}
