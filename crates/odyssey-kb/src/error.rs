//! Errors of the knowledge base: every reader error names the file, the line and the field.

use std::path::PathBuf;

/// Errors raised while reading HPO release files or a compiled knowledge base.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line of a release file is malformed.
    #[error("{path}:{line}: field `{field}`: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Column or tag name, e.g. `hpo_id` or `is_a`.
        field: String,
        /// What was found and what was expected.
        message: String,
    },
    /// A file lacks something required as a whole (a header, a version line, a term).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A compiled knowledge base file is not usable.
    #[error("knowledge base {source_name}: {message}")]
    BadKb {
        /// The file path, or `embedded`.
        source_name: String,
        /// What is wrong (magic, version, checksum, decoding).
        message: String,
    },
    /// An HPO id that is not in the ontology, neither as a primary, alternative nor obsolete id.
    #[error(
        "unknown HPO term {0} (not a current, alternative or obsolete id in this HPO release)"
    )]
    UnknownTerm(String),
}

impl Error {
    pub(crate) fn malformed(
        path: &std::path::Path,
        line: usize,
        field: &str,
        message: impl Into<String>,
    ) -> Error {
        Error::Malformed {
            path: path.to_path_buf(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
