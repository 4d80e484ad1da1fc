//! Adapters in the chat. `/adapter` lists the catalog's query adapters and generation
//! adapters; `/adapter NAME` (or `none`) swaps the query adapter at run time: one `Arc` in the
//! searcher, no reload, no re-indexing (item vectors are never adapted). A generation adapter
//! belongs to a catalog: switching catalog loads the model with the new catalog's adapter
//! merged in, in the background, and the model loaded before answers until it is ready.

use std::{
    sync::{atomic::Ordering, Arc},
    time::Instant,
};

use super::{Event, Task};
use crate::{
    generate::{lora, Generator},
    tui::loader::State,
    Result,
};

impl Task {
    /// The query adapter in use ("none").
    pub(super) fn adapter_name(&self) -> String {
        self.agent
            .searcher
            .adapter
            .as_ref()
            .map_or_else(|| "none".into(), |a| a.name().to_string())
    }

    /// `/adapter [NAME]`.
    pub(super) fn adapters(&mut self, name: Option<&str>) -> Result<()> {
        let catalog = self.conv.catalog().to_string();
        let Some(name) = name else {
            return self.list_adapters(&catalog);
        };
        let t = Instant::now();
        let adapter = self
            .engine
            .query_adapter(&catalog, Some(name), self.embedder.as_ref())?;
        self.agent.searcher = self.agent.searcher.clone().with_adapter(adapter);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let now = self.adapter_name();
        self.send(Event::Adapter(now.clone()));
        self.note(if now == "none" {
            format!("Searching `{catalog}` with the base embedding model now ({ms:.1} ms).")
        } else {
            format!("Query adapter `{now}` in use for `{catalog}` (loaded in {ms:.1} ms; the index is unchanged).")
        });
        Ok(())
    }

    fn list_adapters(&self, catalog: &str) -> Result<()> {
        let home = &self.engine.config.home;
        let query: Vec<String> = self
            .engine
            .adapters()
            .list(catalog)?
            .into_iter()
            .map(|a| match a.problem {
                None => a.name,
                Some(p) => format!("{} (unusable: {p})", a.name),
            })
            .collect();
        let generation = lora::list(home, catalog)?;
        let chosen = self
            .engine
            .store
            .require_catalog(catalog)?
            .adapters
            .generation;
        let model = self
            .model
            .as_ref()
            .map_or_else(|| "no model".to_string(), |m| m.name().to_string());
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        self.note(format!(
            "Query adapters of `{catalog}`: {} (in use: {}; /adapter NAME or /adapter none switches).\nGeneration adapters of `{catalog}`: {} (the catalog's: {}; the model answering: {model}). Choose one with `reco adapter use NAME --generation --catalog {catalog}`; it is merged into the model when the chat switches to the catalog.",
            list(&query),
            self.adapter_name(),
            list(&generation),
            chosen.as_deref().unwrap_or("none"),
        ));
        Ok(())
    }

    /// After a catalog switch: load the model with the new catalog's generation adapter in the
    /// background when it differs from the one answering now.
    pub(super) fn model_for_catalog(&mut self) {
        let Some(current) = self.model.as_ref().and_then(|m| m.choice()).cloned() else {
            return;
        };
        let catalog = self.conv.catalog().to_string();
        let wanted = match self.engine.model_choice(&catalog, &current.path) {
            Ok(c) => c,
            Err(e) => {
                // A load started for an earlier switch must not take over either.
                self.next = None;
                self.watch_model();
                self.note(format!(
                    "The generation adapter of `{catalog}` cannot be used ({e}); {} answers.",
                    current.name()
                ));
                return;
            }
        };
        if self.next.as_ref().and_then(|n| n.choice()) == Some(&wanted) {
            return;
        }
        if wanted == current {
            self.next = None;
            self.watch_model();
            return;
        }
        self.note(format!(
            "Loading {} for `{catalog}` in the background; {} answers until it is ready.",
            wanted.name(),
            current.name()
        ));
        self.next = Some(super::Loading::start(wanted));
        self.watch_next();
    }

    /// Report a background load when it ends: ready (it answers from the next turn), or failed
    /// (a note, and the status line goes back to the model that answers). Only the latest
    /// watcher reports.
    fn watch_next(&self) {
        let epoch = self.watchers.fetch_add(1, Ordering::SeqCst) + 1;
        let (Some(next), Some(model)) = (self.next.clone(), self.model.clone()) else {
            return;
        };
        let events = self.events.clone();
        let watchers = Arc::clone(&self.watchers);
        tokio::spawn(async move {
            let state = next.wait().await;
            if watchers.load(Ordering::SeqCst) != epoch {
                return;
            }
            match state {
                State::Failed(m) => {
                    let _ = events.send(Event::Note(format!(
                        "{} could not be loaded ({m}); {} answers.",
                        next.name(),
                        model.name()
                    )));
                    let _ = events.send(Event::Model(super::status_of(
                        model.name().to_string(),
                        model.state(),
                    )));
                }
                s => {
                    let _ = events.send(Event::Model(super::status_of(next.name().to_string(), s)));
                }
            }
        });
    }

    /// Before a turn: a background model that is ready takes over; one that failed is dropped
    /// (its watcher has said so).
    pub(super) fn promote_next(&mut self) {
        let Some(next) = &self.next else { return };
        match next.state() {
            State::Loading => {}
            State::Ready(..) => self.model = self.next.take(),
            State::Failed(_) => self.next = None,
        }
    }
}
