//! The sled store: one database holding catalogs (items by id), their metadata, item vectors
//! and dialogue sessions, each in typed trees. A format-version key guards old data.
//!
//! Trees: `catalogs` (name → [`CatalogMeta`]), `items/<catalog>` (id → [`Item`] JSON),
//! `vectors/<catalog>` (id → text hash + f32 vector), `interactions/<catalog>` (key →
//! interaction, plus learned item descriptions), `sessions` (id → [`Session`]),
//! `turns/<session>` (sequence → [`Turn`]). Writes that belong together go through one
//! sled batch or transaction, so a killed process leaves each batch whole or absent.

mod catalogs;
mod interactions;
mod sessions;
mod vectors;

use std::path::Path;

pub use catalogs::{CatalogAdapters, CatalogMeta, ImportSummary, UpsertCounts};
pub use sessions::{new_session_id, now as sessions_now, Feedback, Role, Session, Turn};
pub use vectors::{StoredVector, VectorSet};

use crate::{Error, Result};

/// Version of the on-disk layout; bumped when a reader of the old layout would misread data.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_KEY: &[u8] = b"format_version";

/// Handle to reco's database. Cheap to clone (sled handles are reference counted).
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    catalogs: sled::Tree,
    sessions: sled::Tree,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Open (or create) the database at `path`. The file lock of a process that has just
    /// ended (or of a handle just dropped: sled's threads release it a moment later) is
    /// waited for, up to three seconds.
    pub fn open(path: &Path) -> Result<Self> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        // sled 0.34 reports a held lock as an `io::Error` of kind `Other` whose message is
        // all that is left of the OS error (`Config::open`, config.rs), so the message is
        // what tells it from other I/O errors.
        let locked = |e: &std::io::Error| e.to_string().contains("could not acquire lock");
        let db = loop {
            match sled::Config::new().path(path).open() {
                Ok(db) => break db,
                Err(sled::Error::Io(e)) if locked(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(e) => {
                    let hint = match &e {
                        sled::Error::Io(io) if locked(io) => " (is another reco process using it?)",
                        _ => "",
                    };
                    return Err(Error::Store(format!(
                        "cannot open the database at {}: {e}{hint}",
                        path.display()
                    )));
                }
            }
        };
        Self::init(db)
    }

    /// A throw-away in-memory database, for tests.
    pub fn temporary() -> Result<Self> {
        Self::init(sled::Config::new().temporary(true).open()?)
    }

    fn init(db: sled::Db) -> Result<Self> {
        match db.get(FORMAT_KEY)? {
            None => {
                db.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes())?;
            }
            Some(v) => {
                let found = <[u8; 4]>::try_from(v.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| Error::Store("corrupt format_version key".into()))?;
                if found != FORMAT_VERSION {
                    return Err(Error::Store(format!(
                        "database format {found} is not supported by this reco (format {FORMAT_VERSION})"
                    )));
                }
            }
        }
        Ok(Self {
            catalogs: db.open_tree("catalogs")?,
            sessions: db.open_tree("sessions")?,
            db,
        })
    }

    /// Flush pending writes to disk.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn tree(&self, prefix: &str, name: &str) -> Result<sled::Tree> {
        Ok(self.db.open_tree(format!("{prefix}/{name}"))?)
    }
}

/// Catalog names are short lowercase identifiers: `[a-z0-9_-]{1,64}`.
pub fn validate_catalog_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "catalog name `{name}`: use 1-64 characters from a-z, 0-9, '-' and '_'"
        )))
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| Error::Store(format!("encode: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Store(format!("corrupt {what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_version_is_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = Store::open(dir.path()).expect("create");
            s.db.insert(FORMAT_KEY, &99u32.to_be_bytes())
                .expect("write");
            s.flush().expect("flush");
        }
        let e = Store::open(dir.path()).expect_err("newer format refused");
        assert!(e.to_string().contains("format 99"), "{e}");
    }

    #[test]
    fn catalog_names() {
        assert!(validate_catalog_name("steam").is_ok());
        assert!(validate_catalog_name("my-games_2").is_ok());
        assert!(validate_catalog_name("").is_err());
        assert!(validate_catalog_name("Bad Name").is_err());
        assert!(validate_catalog_name("../x").is_err());
    }
}
