//! Error type of the crate: every error names the file and, where there is one, the line or
//! record that caused it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file an error was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// 1-based line of a text file (VCF, PED, TSV, BED, TOML).
    Line(u64),
    /// 1-based record number of a binary file (BCF) or of a file read by record.
    Record(u64),
    /// The file as a whole (header, index, metadata).
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Record(n) => write!(f, "record {n}"),
            Location::File => f.write_str("file"),
        }
    }
}

/// Errors of `odyssey-variant`. Display strings start with the file (and line) concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The content of a file is malformed at a given place.
    #[error("{}: {location}: {message}", path.display())]
    Parse {
        /// File concerned.
        path: PathBuf,
        /// Line or record.
        location: Location,
        /// What was found and what was expected.
        message: String,
    },
    /// The pedigree is inconsistent (unknown parent, wrong parental sex, cycles, missing proband).
    #[error("pedigree {source_name}: {message}")]
    Pedigree {
        /// File or description of the pedigree's origin.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// A requested sample is not in the VCF, or the family and VCF do not fit together.
    #[error("{}: {message}", path.display())]
    Sample {
        /// VCF concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The VCF's contigs do not fit the requested assembly.
    #[error("{}: assembly mismatch: {message}", path.display())]
    AssemblyMismatch {
        /// VCF or source concerned.
        path: PathBuf,
        /// Which contig lengths disagree with which assembly.
        message: String,
    },
    /// Invalid configuration (sources TOML, filter settings, explain query).
    #[error("{context}: {message}")]
    Config {
        /// File or option concerned.
        context: String,
        /// What is wrong and what is expected.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn parse(path: &Path, location: Location, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.to_path_buf(),
            location,
            message: message.into(),
        }
    }

    pub(crate) fn config(context: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            context: context.into(),
            message: message.into(),
        }
    }
}

/// Result alias of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
