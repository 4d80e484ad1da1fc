//! `reco sessions list | show | export | remove | mark | forget`: the conversations reco
//! remembers, for scripts. Everything the chat shows of a session is reachable here (the
//! transcript, the cards with their reasons, the profile) and its feedback commands too
//! (`/like`, `/reject`, `/seen`, `/forget`); a turn is added with `reco ask --session ID`.
//! Output is terminal-safe; `--json` prints the stored records.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::{
    catalog::Item,
    dialogue::Conversation,
    engine::Engine,
    render::{self, markdown},
    store::{Feedback, Role, Session, Store, Turn},
    text::{terminal, terminal_line},
    Error, Result,
};

/// Session subcommands.
#[derive(Debug, Subcommand)]
pub enum SessionsCmd {
    /// List sessions, most recent first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a session: transcript, cards with reasons, profile.
    Show {
        /// Session id (`last` for the most recent).
        id: String,
        /// Print the stored session and turns as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a session as Markdown (to stdout, or to a file).
    Export {
        /// Session id (`last` for the most recent).
        id: String,
        /// Output file (default: stdout).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Delete a session and its turns.
    Remove {
        /// Session id.
        id: String,
    },
    /// Feedback on a card of the session's last answer (the chat's `/like N`, `/reject N`,
    /// `/seen N`).
    Mark {
        /// Session id (`last` for the most recent).
        id: String,
        /// Card number, as shown (1-based).
        card: usize,
        /// What to remember.
        #[arg(value_enum)]
        feedback: Mark,
    },
    /// Forget the feedback on an item: a card number, an id or a title (the chat's `/forget`).
    Forget {
        /// Session id (`last` for the most recent).
        id: String,
        /// Card number, item id or title.
        item: String,
    },
}

/// Feedback a script can give on a card.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Mark {
    /// You like it.
    Like,
    /// Never show it again in this session.
    Reject,
    /// You already know it.
    Seen,
}

impl From<Mark> for Feedback {
    fn from(m: Mark) -> Self {
        match m {
            Mark::Like => Feedback::Liked,
            Mark::Reject => Feedback::Rejected,
            Mark::Seen => Feedback::Seen,
        }
    }
}

/// "3 min ago" for a Unix time.
#[must_use]
pub fn ago(unix: u64) -> String {
    let s = crate::store::sessions_now().saturating_sub(unix);
    match s {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// A session by id, or the most recent for `last`.
pub fn resolve(store: &Store, id: &str) -> Result<Session> {
    if id == "last" {
        return store
            .sessions()?
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound("any session (start one with `reco chat`)".into()));
    }
    store.require_session(id)
}

/// Every turn of a session, oldest first.
pub fn all_turns(store: &Store, s: &Session) -> Result<Vec<Turn>> {
    store.turns(&s.id, usize::try_from(s.turns).unwrap_or(usize::MAX))
}

/// The Markdown export of a session.
pub fn export(store: &Store, s: &Session) -> Result<String> {
    let turns = all_turns(store, s)?;
    let lookup = |id: &str| store.item(&s.catalog, id).ok().flatten();
    Ok(markdown::session(s, &turns, &lookup))
}

/// Run a sessions subcommand.
pub fn run(engine: &Engine, cmd: SessionsCmd) -> Result<()> {
    let store = &engine.store;
    match cmd {
        SessionsCmd::List { json } => {
            let all = store.sessions()?;
            if json {
                println!("{}", render::json(&all));
                return Ok(());
            }
            if all.is_empty() {
                println!("no sessions yet (start one with `reco chat` or `reco ask`)");
                return Ok(());
            }
            println!(
                "{:<14} {:<10} {:>5}  {:<12} TITLE",
                "SESSION", "CATALOG", "TURNS", "UPDATED"
            );
            for s in all {
                println!(
                    "{:<14} {:<10} {:>5}  {:<12} {}",
                    terminal_line(&s.id),
                    terminal_line(&s.catalog),
                    s.turns,
                    ago(s.updated_at),
                    terminal_line(&s.title)
                );
            }
        }
        SessionsCmd::Show { id, json } => {
            let s = resolve(store, &id)?;
            let turns = all_turns(store, &s)?;
            if json {
                let v = serde_json::json!({"session": s, "turns": turns});
                println!("{}", render::json_pretty(&v));
            } else {
                print!("{}", show(store, &s, &turns));
            }
        }
        SessionsCmd::Export { id, output } => {
            let s = resolve(store, &id)?;
            let md = export(store, &s)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, &md).map_err(|e| Error::io(&path, e))?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{md}"),
            }
        }
        SessionsCmd::Remove { id } => {
            if !store.remove_session(&id)? {
                return Err(Error::NotFound(format!("session `{id}`")));
            }
            println!("removed session {}", terminal_line(&id));
        }
        SessionsCmd::Mark { id, card, feedback } => {
            let mut c = Conversation::open(store, &resolve(store, &id)?.id)?;
            let item = c.card(card)?;
            c.mark(&item, feedback.into());
            c.commit(store, Vec::new())?;
            println!(
                "{}: {}",
                title(store, &c.session, &item),
                match feedback {
                    Mark::Like => "liked",
                    Mark::Reject => "rejected (not shown again in this session)",
                    Mark::Seen => "seen (not recommended again)",
                }
            );
        }
        SessionsCmd::Forget { id, item } => {
            let mut c = Conversation::open(store, &resolve(store, &id)?.id)?;
            let s = c.session.clone();
            let item = c.remembered(&item, &|i| title(store, &s, i))?;
            if c.session.forget(&item) {
                c.commit(store, Vec::new())?;
                println!("forgot what you said about {}", title(store, &s, &item));
            } else {
                println!("reco remembers nothing about {}", title(store, &s, &item));
            }
        }
    }
    Ok(())
}

/// An item's title (terminal-safe), or its id when the catalog no longer has it.
fn title(store: &Store, s: &Session, id: &str) -> String {
    store
        .item(&s.catalog, id)
        .ok()
        .flatten()
        .map_or_else(|| terminal_line(id), |i| terminal_line(&i.title))
}

/// A session for a terminal: header, transcript with cards and reasons, profile.
fn show(store: &Store, s: &Session, turns: &[Turn]) -> String {
    let item = |id: &str| -> Option<Item> { store.item(&s.catalog, id).ok().flatten() };
    let mut out = format!(
        "session {} · catalog {} · {} turns · {}\n",
        terminal_line(&s.id),
        terminal_line(&s.catalog),
        s.turns,
        ago(s.updated_at)
    );
    for t in turns {
        let who = match t.role {
            Role::User => "you",
            Role::Assistant => "reco",
        };
        out.push_str(&format!("\n{who}: {}\n", terminal(t.text.trim_end())));
        if t.role == Role::Assistant && !t.reasons.is_empty() {
            for (n, id) in t.items.iter().enumerate() {
                let card = item(id).map_or_else(|| terminal_line(id), |it| render::card(&it));
                let why = t.reasons.get(n).map(String::as_str).unwrap_or_default();
                out.push_str(&format!("  {}. {card}", n + 1));
                if !why.is_empty() {
                    out.push_str(&format!(" — {}", terminal_line(why)));
                }
                out.push('\n');
            }
        }
    }
    let names = |ids: &[String]| -> String {
        if ids.is_empty() {
            return "none".into();
        }
        ids.iter()
            .map(|id| item(id).map_or_else(|| terminal_line(id), |i| terminal_line(&i.title)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "\nliked: {}\nrejected: {}\nseen: {}\npreferences: {}\n",
        names(&s.liked),
        names(&s.rejected),
        names(&s.seen),
        if s.preferences.is_empty() {
            "none".into()
        } else {
            terminal_line(&s.preferences.join("; "))
        }
    ));
    out
}
