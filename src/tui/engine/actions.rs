//! The engine's answers to slash commands that need the store or the catalog: sessions
//! (new, open, list, export), catalogs (list, switch; adapters are in `adapters.rs`), and the profile (show,
//! feedback on a card, forget an item, why a card was shown). Each change to the profile is
//! committed at once (one transaction + flush), like a turn.

use std::{path::PathBuf, sync::Arc};

use super::{Event, Request, Task};
use crate::{
    dialogue::{Agent, Conversation},
    render::markdown,
    store::Feedback,
    tui::cards::mark_word,
    Error, Result,
};

impl Task {
    /// Handle a request other than a turn.
    pub(super) fn command(&mut self, req: Request) {
        let r = match req {
            Request::New => self.new_session(),
            Request::Open(id) => self.open(&id),
            Request::Catalog(None) => self.list_catalogs(),
            Request::Catalog(Some(name)) => self.switch_catalog(&name),
            Request::Adapter(name) => self.adapters(name.as_deref()),
            Request::Sessions => self.list_sessions(),
            Request::Export(path) => self.export(path),
            Request::Profile => self.profile(),
            Request::Forget(item) => self.forget(&item),
            Request::Why(n) => self.why(n),
            Request::Mark(n, f) => self.mark(n, f),
            Request::Turn(_) | Request::Cancel | Request::Quit => Ok(()),
        };
        if let Err(e) = r {
            self.note(format!("error: {e}"));
        }
    }

    fn title(&self, id: &str) -> String {
        self.agent
            .searcher
            .retriever
            .by_id(id)
            .map_or_else(|| id.to_string(), |i| i.title.clone())
    }

    fn replace(&mut self, conv: Conversation) {
        self.drop_if_empty();
        self.conv = conv;
        self.show_session();
        self.send_lists();
    }

    fn new_session(&mut self) -> Result<()> {
        let c = Conversation::create(&self.engine.store, self.conv.catalog())?;
        self.replace(c);
        self.note("New session. What are you in the mood for?");
        Ok(())
    }

    fn open(&mut self, id: &str) -> Result<()> {
        if id == self.conv.id() {
            self.note("That is this session.");
            return Ok(());
        }
        let c = Conversation::open(&self.engine.store, id)?;
        let other = c.catalog() != self.conv.catalog();
        if other {
            self.agent = self.agent_for(c.catalog())?;
        }
        self.replace(c);
        if other {
            self.model_for_catalog();
        }
        Ok(())
    }

    /// An agent for another catalog with its default query adapter, as `reco ask` uses it
    /// (its index must be up to date: indexing is a long job with its own progress bar, run
    /// from the command line).
    fn agent_for(&self, catalog: &str) -> Result<Agent> {
        self.engine.ensure_catalog(catalog)?;
        let adapter = self
            .engine
            .query_adapter(catalog, None, self.embedder.as_ref())?;
        let searcher = self
            .engine
            .searcher(catalog, Arc::clone(&self.embedder))?
            .with_adapter(adapter);
        let intents = self.engine.intent_model(searcher.embedder.id())?;
        let collab = self.engine.collab(catalog, &searcher.retriever)?;
        Ok(Agent {
            store: self.engine.store.clone(),
            searcher,
            intents,
            options: self.agent.options.clone(),
            collab,
        })
    }

    fn list_catalogs(&self) -> Result<()> {
        let store = &self.engine.store;
        let mut lines = vec!["Catalogs (/catalog NAME switches, in a new session):".to_string()];
        for name in store.catalog_names()? {
            let items = store.item_count(&name)?;
            let indexed = store.vector_model(&name)?.as_deref() == Some(self.embedder.id());
            lines.push(format!(
                "{} {name}: {items} items{}",
                if name == self.conv.catalog() {
                    "*"
                } else {
                    " "
                },
                if indexed { "" } else { " (not indexed)" }
            ));
        }
        self.note(lines.join("\n"));
        Ok(())
    }

    fn switch_catalog(&mut self, name: &str) -> Result<()> {
        if name == self.conv.catalog() {
            self.note(format!("Already on catalog `{name}`."));
            return Ok(());
        }
        let agent = self.agent_for(name)?;
        let c = Conversation::create(&self.engine.store, name)?;
        self.agent = agent;
        self.replace(c);
        self.model_for_catalog();
        self.note(format!(
            "Catalog `{name}` ({} items), new session.",
            self.agent.searcher.retriever.items().len()
        ));
        Ok(())
    }

    fn list_sessions(&self) -> Result<()> {
        let all = self.engine.store.sessions()?;
        let mut lines = vec![format!("Sessions ({}; /open ID reopens one):", all.len())];
        for s in all.iter().take(15) {
            lines.push(format!(
                "{} {} · {} · {} turns · {}",
                if s.id == self.conv.id() { "*" } else { " " },
                s.id,
                s.catalog,
                s.turns,
                if s.title.is_empty() {
                    "(empty)"
                } else {
                    &s.title
                }
            ));
        }
        self.note(lines.join("\n"));
        self.send_lists();
        Ok(())
    }

    fn export(&self, path: Option<PathBuf>) -> Result<()> {
        let s = &self.conv.session;
        let path = path.unwrap_or_else(|| PathBuf::from(format!("reco-{}.md", s.id)));
        let store = &self.engine.store;
        let turns = store.turns(&s.id, usize::try_from(s.turns).unwrap_or(usize::MAX))?;
        let r = &self.agent.searcher.retriever;
        let md = markdown::session(s, &turns, &|id| r.by_id(id).cloned());
        std::fs::write(&path, md).map_err(|e| Error::io(&path, e))?;
        self.note(format!("Wrote {} ({} turns).", path.display(), turns.len()));
        Ok(())
    }

    fn profile(&self) -> Result<()> {
        let s = &self.conv.session;
        let names = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.iter()
                    .map(|i| self.title(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let r = &self.agent.searcher.retriever;
        let constraints = self
            .conv
            .state
            .constraints
            .describe(&|id| r.by_id(id).map(|i| i.title.clone()));
        self.note(format!(
            "What reco remembers in this session:\nliked: {}\nrejected: {}\nseen: {}\npreferences: {}\nlooking for: {}",
            names(&s.liked),
            names(&s.rejected),
            names(&s.seen),
            if s.preferences.is_empty() {
                "none".into()
            } else {
                s.preferences.join("; ")
            },
            if constraints.is_empty() { "nothing yet" } else { &constraints }
        ));
        Ok(())
    }

    fn why(&self, n: usize) -> Result<()> {
        let id = self.conv.card(n)?;
        let r = &self.agent.searcher.retriever;
        let it = r
            .by_id(&id)
            .ok_or_else(|| Error::NotFound(format!("item `{id}`")))?;
        let reason = self
            .conv
            .state
            .reasons
            .get(n - 1)
            .map_or("", String::as_str);
        let labels: Vec<&str> = it.labels().take(8).collect();
        let constraints = self
            .conv
            .state
            .constraints
            .describe(&|id| r.by_id(id).map(|i| i.title.clone()));
        let mut s = format!("Card {n}, {}:", it.title);
        s.push_str(&format!(
            "\nreason: {}",
            if reason.is_empty() {
                "none given"
            } else {
                reason
            }
        ));
        s.push_str(&format!(
            "\nmatched the request: {}",
            if constraints.is_empty() {
                "(none)"
            } else {
                &constraints
            }
        ));
        if !labels.is_empty() {
            s.push_str(&format!("\nlabels: {}", labels.join(", ")));
        }
        if let Some(d) = &it.developer {
            s.push_str(&format!("\nby {d}"));
        }
        self.note(s);
        Ok(())
    }

    fn mark(&mut self, n: usize, f: Feedback) -> Result<()> {
        let id = self.conv.card(n)?;
        self.conv.mark(&id, f);
        self.conv.commit(&self.engine.store, Vec::new())?;
        let title = self.title(&id);
        // The cards first: when the note shows, the card already wears its mark.
        self.send(Event::Cards(self.cards()));
        self.note(match f {
            Feedback::Liked => format!("Noted: you like {title}."),
            Feedback::Rejected => {
                format!("Noted: {title} will not be shown again in this session. Say \"more\" for other cards.")
            }
            Feedback::Seen => format!("Noted: you know {title} already; it will not be recommended again."),
        });
        Ok(())
    }

    fn forget(&mut self, what: &str) -> Result<()> {
        let id = self.conv.remembered(what, &|id| self.title(id))?;
        let s = &self.conv.session;
        let was: Vec<&str> = [
            (Feedback::Liked, &s.liked),
            (Feedback::Rejected, &s.rejected),
            (Feedback::Seen, &s.seen),
        ]
        .iter()
        .filter(|(_, v)| v.contains(&id))
        .map(|(f, _)| mark_word(*f))
        .collect();
        if !self.conv.session.forget(&id) {
            self.note(format!("reco remembers nothing about {}.", self.title(&id)));
            return Ok(());
        }
        self.conv.commit(&self.engine.store, Vec::new())?;
        self.note(format!(
            "Forgot that {} was {}.",
            self.title(&id),
            was.join(" and ")
        ));
        self.send(Event::Cards(self.cards()));
        Ok(())
    }
}
