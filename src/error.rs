//! One error type for the whole crate: a variant per pipeline stage, each message saying what
//! went wrong and where (file, line, field) so that a user can act on it. Errors from the
//! libraries underneath (sled, ONNX Runtime through fastembed, mistral.rs, candle, serde) are
//! kept as sources, so `{:#}` shows the whole chain.

use std::path::PathBuf;

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A library error kept as a source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in reco, grouped by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Input that cannot be used at all (as opposed to a skipped line).
    #[error("{path}:{line}: {field}: {message}")]
    Parse {
        /// The file at fault.
        path: PathBuf,
        /// 1-based line number (0 when the whole file is at fault).
        line: usize,
        /// The field or column at fault (`-` when none).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The sled database failed.
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    /// The database holds data this version cannot read.
    #[error("store: {0}")]
    Store(String),
    /// Model files are missing, corrupt, or could not be fetched.
    #[error("models: {0}")]
    Models(String),
    /// The embedding backbone failed.
    #[error("embedding: {message}")]
    Embed {
        /// What reco was doing.
        message: String,
        /// The library's error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// Retrieval failed (bad query, missing index, ...).
    #[error("retrieval: {0}")]
    Retrieve(String),
    /// Text generation failed.
    #[error("generation: {message}")]
    Generate {
        /// What reco was doing.
        message: String,
        /// The library's error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// A tensor operation (adapter or classifier training, safetensors files) failed.
    #[error("tensors: {0}")]
    Tensor(#[from] candle_core::Error),
    /// JSON could not be written or read.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The configuration file or a command-line value is invalid.
    #[error("config: {0}")]
    Config(String),
    /// A named thing (catalog, item, session) does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// Input the user gave that cannot be used.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The operation was cancelled by the user.
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// An embedding error with no underlying library error.
    pub fn embed(message: impl Into<String>) -> Self {
        Self::Embed {
            message: message.into(),
            source: None,
        }
    }

    /// An embedding error caused by `source`.
    pub fn embed_from(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Embed {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A generation error with no underlying library error.
    pub fn generate(message: impl Into<String>) -> Self {
        Self::Generate {
            message: message.into(),
            source: None,
        }
    }

    /// A generation error caused by `source`.
    pub fn generate_from(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Generate {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl From<sled::transaction::TransactionError<Error>> for Error {
    fn from(e: sled::transaction::TransactionError<Error>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(s) => Self::Sled(s),
        }
    }
}
