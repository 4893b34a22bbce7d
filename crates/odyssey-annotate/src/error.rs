//! Errors of the annotator: building, loading and reading reference data.

use std::path::PathBuf;

/// Everything that can go wrong while building, loading or using annotation reference data.
///
/// Input-format errors name the file, the line (1-based) or record, and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file being read or written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A malformed line in a GFF3, GTF, FASTA, VCF or table file (`FILE:LINE: message`, or
    /// `FILE: message` when the line is not known).
    #[error("{}{}: {message}", path.display(), if *line > 0 { format!(":{line}") } else { String::new() })]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when unknown).
        line: u64,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A compiled reference-data file that is not one, is damaged, or is of another format version.
    #[error("{path}: unusable Odyssey reference data (this build reads format version {expected}): {found}")]
    BadStore {
        /// The file.
        path: PathBuf,
        /// Format version this build reads.
        expected: u32,
        /// What was found instead.
        found: String,
    },
    /// Reference data for another assembly than requested.
    #[error("reference data is for {found}, but {expected} was requested")]
    AssemblyMismatch {
        /// Requested assembly.
        expected: odyssey_genome::Assembly,
        /// Assembly of the reference data.
        found: odyssey_genome::Assembly,
    },
    /// Reference data that cannot be used (no transcripts, inconsistent models).
    #[error("invalid reference data: {0}")]
    Invalid(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}
