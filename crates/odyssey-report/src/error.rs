//! Errors of the renderers.

use std::path::PathBuf;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Writing the output failed.
    #[error("writing the report: {0}")]
    Io(#[from] std::io::Error),
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The HTML template failed to render (a bug in Odyssey: the templates are compiled in).
    #[error("rendering the HTML report: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The input phenopacket is not JSON/YAML or not an object.
    #[error("{path}: not a phenopacket Odyssey can extend ({message})")]
    Phenopacket {
        /// File (or `<input>`).
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// The input VCF could not be read or re-written, with the record number (1-based, after the
    /// header) when the problem is in a record.
    #[error("{path}{}: {message}", record.map(|r| format!(": record {r}")).unwrap_or_default())]
    Vcf {
        /// File.
        path: PathBuf,
        /// 1-based record number, when known.
        record: Option<u64>,
        /// What was wrong.
        message: String,
    },
}
