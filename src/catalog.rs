//! Catalogs: the normalised [`Item`], importers for real catalog files ([`import`]), and the
//! ingest step that streams an importer's records into the store with progress and a skip
//! report ([`import_file`]). The demo catalog `catalogs/games.jsonl` is compiled in and
//! installed on first use ([`ensure_default`]). [`interactions`] reads the files that say
//! which items belong together (users' histories, sessions, ReDial dialogues).

pub mod import;
pub mod interactions;
pub mod item;
pub mod makers;

mod ingest;

pub use ingest::{ensure_default, import_file, ImportReport, DEFAULT_CATALOG};
pub use item::{Item, Price};
