//! Wiring for the commands: one [`Engine`] holds the validated config and the open store, and
//! hands out ready searchers — fetching models, installing the demo catalog and refreshing a
//! stale vector index on the way, with progress, so that every command works on first run.

use crate::{
    catalog,
    config::Config,
    embed::{Embedder, FastEmbedder},
    models::{self, Bundle, ModelPaths},
    retrieve::{index, Retriever, Searcher},
    store::Store,
    Result,
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
    /// Open the store named by `config`.
    pub fn open(config: Config, progress: bool) -> Result<Self> {
        std::fs::create_dir_all(&config.home).map_err(|e| crate::Error::io(&config.home, e))?;
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
        if name == catalog::DEFAULT_CATALOG {
            catalog::ensure_default(&self.store, &self.config)?;
        }
        self.store.require_catalog(name).map(|_| ())
    }

    /// The embedding model, fetched on first use.
    pub fn embedder(&self) -> Result<FastEmbedder> {
        models::ensure(&self.config, Bundle::Embedding, self.progress)?;
        FastEmbedder::load(
            &ModelPaths::under(&self.config.models_dir),
            self.config.embed_threads,
        )
    }

    /// Embed what is new or changed in a catalog.
    pub fn index(&self, catalog: &str, embedder: &mut dyn Embedder) -> Result<index::IndexReport> {
        self.ensure_catalog(catalog)?;
        index::build(&self.store, catalog, embedder, self.progress)
    }

    /// A searcher over `catalog` with an up-to-date index (items are read from the store once).
    pub fn searcher(&self, catalog: &str) -> Result<Searcher> {
        let mut embedder = self.embedder()?;
        self.ensure_catalog(catalog)?;
        let items = self.store.items(catalog)?;
        index::build_for(&self.store, catalog, &items, &mut embedder, self.progress)?;
        Ok(Searcher {
            retriever: Retriever::from_parts(catalog, items, self.store.vectors(catalog)?),
            embedder: Box::new(embedder),
        })
    }
}
