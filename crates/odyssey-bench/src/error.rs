//! Errors of the benchmark harness. Every variant names the file and, where there is one, the
//! line or record and what was expected.

use std::path::PathBuf;

/// Errors of the benchmark harness.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// File or folder.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// A malformed line of a text input (case list, chain file, cases.tsv, results file).
    #[error("{path}, line {line}: {message}")]
    Line {
        /// File.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A case that cannot be used (unreadable phenopacket).
    #[error("{path}: {message}")]
    Case {
        /// Phenopacket file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A VCF that cannot be used as a background.
    #[error("{path}: {message}")]
    Vcf {
        /// VCF file.
        path: PathBuf,
        /// What was wrong, with the record number (1-based, after the header) when relevant.
        message: String,
    },
    /// A bad option or combination of options.
    #[error("{0}")]
    Config(String),
}

impl BenchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> BenchError {
        BenchError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, BenchError>;
