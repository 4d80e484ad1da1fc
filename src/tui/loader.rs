//! The generation model, loaded in the background: [`Loading::start`] begins loading a model
//! (with the catalog's generation adapter merged in, if it names one) and returns at once;
//! [`Loading`] is a [`Generator`] whose requests wait for the load to finish and are then
//! forwarded to the model. So a turn typed while the model still loads is understood and its
//! cards are shown at once, and only its prose waits.

use std::{sync::Arc, time::Instant};

use tokio::sync::{mpsc, watch};

use crate::generate::{GenEvent, GenHandle, GenRequest, Generator, ModelChoice};

/// Where the load is.
#[derive(Clone)]
pub enum State {
    /// Still loading.
    Loading,
    /// Loaded, with the seconds it took.
    Ready(Arc<dyn Generator>, f64),
    /// Failed; the message says why.
    Failed(String),
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            State::Loading => f.write_str("Loading"),
            State::Ready(g, s) => write!(f, "Ready({}, {s:.1}s)", g.name()),
            State::Failed(m) => write!(f, "Failed({m})"),
        }
    }
}

/// A model being loaded (or loaded): a [`Generator`] that waits for it.
#[derive(Debug, Clone)]
pub struct Loading {
    name: String,
    choice: Option<ModelChoice>,
    state: watch::Receiver<State>,
}

impl Loading {
    /// Start loading `choice` on the current tokio runtime.
    #[must_use]
    pub fn start(choice: ModelChoice) -> Self {
        Self::start_after(choice, std::future::ready(()))
    }

    /// Like [`Loading::start`], but the load begins only when `gate` completes (the tests
    /// hold a load back this way to see what the chat does while it runs, whatever the
    /// machine's speed).
    #[must_use]
    pub fn start_after(
        choice: ModelChoice,
        gate: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Self {
        let name = choice.name();
        let (tx, state) = watch::channel(State::Loading);
        let c = choice.clone();
        tokio::spawn(async move {
            gate.await;
            let t = Instant::now();
            // mistral.rs reads and builds the model inside its async load without yielding, for
            // seconds; on a thread of the blocking pool that holds no runtime worker.
            let handle = tokio::runtime::Handle::current();
            let loaded = tokio::task::spawn_blocking(move || handle.block_on(c.load())).await;
            let next = match loaded {
                Ok(Ok(g)) => State::Ready(Arc::new(g), t.elapsed().as_secs_f64()),
                Ok(Err(e)) => State::Failed(e.to_string()),
                Err(e) => State::Failed(format!("the model loader stopped: {e}")),
            };
            let _ = tx.send(next);
        });
        Self {
            name,
            choice: Some(choice),
            state,
        }
    }

    /// A generator that is ready already (tests, benchmarks).
    #[must_use]
    pub fn ready(generator: Arc<dyn Generator>) -> Self {
        let (_tx, state) = watch::channel(State::Ready(Arc::clone(&generator), 0.0));
        Self {
            name: generator.name().to_string(),
            choice: None,
            state,
        }
    }

    /// What is loaded (None for [`Loading::ready`]).
    #[must_use]
    pub fn choice(&self) -> Option<&ModelChoice> {
        self.choice.as_ref()
    }

    /// The state now.
    #[must_use]
    pub fn state(&self) -> State {
        self.state.borrow().clone()
    }

    /// Wait until the load has finished (or failed).
    pub async fn wait(&self) -> State {
        let mut rx = self.state.clone();
        loop {
            let now = rx.borrow_and_update().clone();
            if !matches!(now, State::Loading) {
                return now;
            }
            if rx.changed().await.is_err() {
                return State::Failed("the model loader stopped".into());
            }
        }
    }
}

impl Generator for Loading {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&self, req: GenRequest) -> GenHandle {
        let me = self.clone();
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let generator = match me.wait().await {
                State::Ready(g, _) => g,
                State::Failed(m) => {
                    let _ = tx.send(GenEvent::Failed(format!("the model did not load: {m}")));
                    return;
                }
                State::Loading => return,
            };
            // Dropping `inner` (when this task is aborted) cancels the generation.
            let mut inner = generator.start(req);
            while let Some(ev) = inner.events.recv().await {
                if tx.send(ev).is_err() {
                    return;
                }
            }
        });
        GenHandle::new(rx, task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::FakeGenerator;

    #[tokio::test]
    async fn a_ready_model_forwards_events() {
        let l = Loading::ready(Arc::new(FakeGenerator {
            script: Some("one two".into()),
            ..FakeGenerator::default()
        }));
        assert!(matches!(l.state(), State::Ready(..)));
        let mut h = l.start(GenRequest {
            system: String::new(),
            history: Vec::new(),
            user: String::new(),
            constraint: None,
            max_tokens: 10,
        });
        let mut text = String::new();
        while let Some(ev) = h.events.recv().await {
            match ev {
                GenEvent::Token(t) => text.push_str(&t),
                GenEvent::Done(_) => break,
                GenEvent::Failed(m) => panic!("{m}"),
            }
        }
        assert_eq!(text, "one two");
    }

    #[tokio::test]
    async fn a_missing_model_fails_every_request() {
        let l = Loading::start(ModelChoice::plain(std::path::Path::new(
            "/nonexistent/model.gguf",
        )));
        assert!(matches!(l.wait().await, State::Failed(m) if m.contains("not found")));
        let mut h = l.start(GenRequest {
            system: String::new(),
            history: Vec::new(),
            user: String::new(),
            constraint: None,
            max_tokens: 10,
        });
        assert!(matches!(h.events.recv().await, Some(GenEvent::Failed(_))));
    }
}
