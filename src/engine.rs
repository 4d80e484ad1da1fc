//! Wiring for the commands. [`Engine::open`] only opens the store; everything slow is an
//! explicit step that shows progress: fetching models ([`Engine::embedder`]), installing the
//! embedded demo catalog and refreshing a stale vector index ([`Engine::prepare`]). Loading
//! a catalog for search ([`Engine::searcher`]) has no side effects: a catalog whose index is
//! stale is an error that names the command to run. [`Engine::prepare`] also loads the
//! catalog's default query adapter (`reco adapter use`), checked against the backbone. A
//! catalog with interactions gets a collaborative model ([`Engine::collab`]), trained when the
//! agent is made.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use crate::{
    adapter::{QueryAdapter, Registry},
    catalog,
    config::Config,
    dialogue::{Agent, TurnOptions},
    embed::{Embedder, FastEmbedder},
    generate::ModelChoice,
    intent::IntentModel,
    models::{self, Bundle, ModelPaths},
    retrieve::{
        collab::{self, Collab},
        index, Retriever, Searcher,
    },
    store::Store,
    Error, Result,
};

/// Config + store.
#[derive(Debug)]
pub struct Engine {
    /// Validated configuration.
    pub config: Config,
    /// The open database.
    pub store: Store,
    /// Whether to show progress bars.
    pub progress: bool,
}

impl Engine {
    /// Open the store named by `config` (nothing else).
    pub fn open(config: Config, progress: bool) -> Result<Self> {
        std::fs::create_dir_all(&config.home).map_err(|e| Error::io(&config.home, e))?;
        let store = Store::open(&config.db_path)?;
        Ok(Self {
            config,
            store,
            progress,
        })
    }

    /// The catalog to use: the named one, else the configured default.
    #[must_use]
    pub fn catalog_name(&self, name: Option<&str>) -> String {
        name.map_or_else(|| self.config.default_catalog.clone(), str::to_string)
    }

    /// Make sure a catalog exists, installing the embedded demo catalog when it is the one.
    pub fn ensure_catalog(&self, name: &str) -> Result<()> {
        if name == catalog::DEFAULT_CATALOG
            && catalog::ensure_default(&self.store, &self.config)?
            && self.progress
        {
            eprintln!("installed the demo catalog `{name}`");
        }
        self.store.require_catalog(name).map(|_| ())
    }

    /// Fetch the embedding model if needed (with progress) and load it.
    pub fn embedder(&self) -> Result<Arc<FastEmbedder>> {
        models::ensure(&self.config, Bundle::Embedding, self.progress)?;
        Ok(Arc::new(FastEmbedder::load(
            &ModelPaths::under(&self.config.models_dir),
            self.config.embed_threads,
        )?))
    }

    /// Embed what is new or changed in a catalog (progress bar with items/s).
    pub fn index(&self, catalog: &str, embedder: &dyn Embedder) -> Result<index::IndexReport> {
        self.ensure_catalog(catalog)?;
        index::build(&self.store, catalog, embedder, self.progress)
    }

    /// A searcher over `catalog`, loaded as stored. Fails when items have no vectors.
    pub fn searcher(&self, catalog: &str, embedder: Arc<dyn Embedder>) -> Result<Searcher> {
        let r = Retriever::load(&self.store, catalog)?;
        let model = self.store.vector_model(catalog)?;
        if r.vectorless() > 0 || model.as_deref() != Some(embedder.id()) {
            return Err(Error::Retrieve(format!(
                "catalog `{catalog}` is not indexed for `{}` ({} of {} items lack vectors): run `reco catalog index {catalog}`",
                embedder.id(),
                if model.as_deref() == Some(embedder.id()) { r.vectorless() } else { r.items().len() },
                r.items().len()
            )));
        }
        Ok(Searcher {
            retriever: Arc::new(r),
            embedder,
            adapter: None,
        })
    }

    /// The adapter folders of this data directory (`<home>/adapters`).
    #[must_use]
    pub fn adapters(&self) -> Registry {
        Registry::new(&self.config.home)
    }

    /// The query adapter to use for `catalog`: `choice` `None` → the catalog's default (if
    /// any), `"none"` → none, a name → that adapter. Checked against `backbone`.
    pub fn query_adapter(
        &self,
        catalog: &str,
        choice: Option<&str>,
        backbone: &dyn Embedder,
    ) -> Result<Option<Arc<QueryAdapter>>> {
        let name = match choice {
            Some("none") => return Ok(None),
            Some(n) => n.to_string(),
            None => match self.store.require_catalog(catalog)?.adapters.retrieval {
                Some(n) => n,
                None => return Ok(None),
            },
        };
        let a = self.adapters().load(catalog, &name, backbone).map_err(|e| {
            if choice.is_none() {
                Error::Invalid(format!(
                    "the default adapter of `{catalog}` cannot be used ({e}); choose another with `reco adapter use NAME --catalog {catalog}` or `reco adapter use none --catalog {catalog}`"
                ))
            } else {
                e
            }
        })?;
        Ok(Some(Arc::new(a)))
    }

    /// The model to load for `catalog`: `path` with the catalog's generation adapter (if it
    /// names one, `reco adapter use NAME --generation`) merged in.
    ///
    /// # Errors
    /// The catalog does not exist, names an adapter whose folder is gone, or the model is not
    /// one an adapter can be merged into.
    pub fn model_choice(&self, catalog: &str, path: &Path) -> Result<ModelChoice> {
        let lora = match self.store.require_catalog(catalog)?.adapters.generation {
            Some(name) => {
                let dir = crate::generate::lora::dir(&self.config.home, catalog, &name)?;
                crate::generate::merge::check_model(path, &dir)?;
                Some(dir)
            }
            None => None,
        };
        Ok(ModelChoice {
            path: path.to_path_buf(),
            lora,
            cache: self.config.home.join("cache").join("merged"),
        })
    }

    /// Every step a command needs before searching `catalog`, each visible: fetch the models,
    /// install the demo catalog, bring the index up to date, load, with the catalog's default
    /// query adapter.
    pub fn prepare(&self, catalog: &str) -> Result<Searcher> {
        self.prepare_with(catalog, None)
    }

    /// [`Engine::prepare`] with an adapter choice (see [`Engine::query_adapter`]).
    pub fn prepare_with(&self, catalog: &str, adapter: Option<&str>) -> Result<Searcher> {
        let embedder = self.embedder()?;
        self.ensure_catalog(catalog)?;
        let report = index::build(&self.store, catalog, &*embedder, self.progress)?;
        if report.embedded > 0 && self.progress {
            eprintln!(
                "indexed {} items of `{catalog}` in {:.1}s",
                report.embedded, report.seconds
            );
        }
        let adapter = self.query_adapter(catalog, adapter, &*embedder)?;
        Ok(self.searcher(catalog, embedder)?.with_adapter(adapter))
    }

    /// Where a user-trained intent model lives (`<home>/adapters/intent`).
    #[must_use]
    pub fn intent_dir(&self) -> PathBuf {
        self.config.home.join("adapters").join("intent")
    }

    /// The intent model: a user-trained one in the home folder, else the shipped one.
    pub fn intent_model(&self, backbone: &str) -> Result<Arc<IntentModel>> {
        let dir = self.intent_dir();
        let m = if dir.join("manifest.json").exists() {
            IntentModel::load(&dir)?
        } else {
            IntentModel::builtin()?
        };
        m.check_backbone(backbone)?;
        Ok(Arc::new(m))
    }

    /// A ready agent for `catalog` (runs [`Engine::prepare`]; loads the collaborative model
    /// when the catalog has interactions).
    pub fn agent(&self, catalog: &str, options: TurnOptions) -> Result<Agent> {
        self.agent_with(catalog, options, None)
    }

    /// [`Engine::agent`] with an adapter choice (see [`Engine::query_adapter`]).
    pub fn agent_with(
        &self,
        catalog: &str,
        options: TurnOptions,
        adapter: Option<&str>,
    ) -> Result<Agent> {
        let searcher = self.prepare_with(catalog, adapter)?;
        let intents = self.intent_model(searcher.embedder.id())?;
        let collab = self.collab(catalog, &searcher.retriever)?;
        Ok(Agent {
            store: self.store.clone(),
            searcher,
            intents,
            options,
            collab,
        })
    }

    /// The collaborative model of `catalog`, trained on its stored interactions (`None` when
    /// it has none). Training is fast (counting), so the model is retrained on load and is
    /// therefore never older than the interactions; the learned item descriptions are written
    /// back whenever the interactions changed since they were last learned.
    pub fn collab(&self, catalog: &str, r: &Retriever) -> Result<Option<Arc<Collab>>> {
        if self.store.interaction_count(catalog)? == 0 {
            return Ok(None);
        }
        let version = self.store.interactions_version(catalog)?;
        let interactions = self.store.interactions(catalog)?;
        let model = Collab::train(r, &interactions, collab::DEFAULT_METHOD)?;
        if self.store.descriptions_version(catalog)? != Some(version) {
            self.store
                .put_descriptions(catalog, version, &model.descriptions(r))?;
            self.store.flush()?;
        }
        Ok(Some(Arc::new(model)))
    }
}
