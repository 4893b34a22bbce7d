//! [`Error`]: everything an analysis or its output can refuse, typed so that a front end can
//! answer each kind properly (the CLI adds flag hints; a server maps request errors to
//! 400/422 and keeps I/O failures internal).

use std::path::PathBuf;

use crate::VariantError;

/// An HPO term of a case document that cannot be used: malformed, or unknown to the knowledge
/// base's HPO release (a typo or a term of a newer release).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusableTerm {
    /// Position in the document's `phenotypicFeatures` (0-based).
    pub index: usize,
    /// The id as written (may be empty).
    pub id: String,
    /// Given as excluded.
    pub excluded: bool,
    /// Why it cannot be used, e.g. `unknown HPO term in HPO release 2025-01-16`.
    pub reason: String,
}

impl std::fmt::Display for UnusableTerm {
    /// `phenotypicFeatures[2] ("HP:12", excluded): not an HPO term id`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = if self.id.trim().is_empty() {
            "no HPO id".to_string()
        } else {
            format!("{:?}", self.id)
        };
        write!(
            f,
            "phenotypicFeatures[{}] ({id}{}): {}",
            self.index,
            if self.excluded { ", excluded" } else { "" },
            self.reason
        )
    }
}

/// Why a term given directly in the request ([`crate::AnalysisRequest::terms`]) is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermProblem {
    /// Not an HPO id (`HP:` and seven digits).
    Malformed,
    /// Well formed but not a term of the knowledge base's HPO release.
    Unknown,
}

/// Errors of [`crate::Engine::analyze`] and of [`crate::output`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request itself is incomplete or contradictory (no case, a variant analysis with the
    /// Resnik method, ...): the message says what to give instead.
    #[error("{0}")]
    Request(String),
    /// A term given directly in the request is malformed or unknown (a typo there is an error,
    /// not a note).
    #[error("{id:?}: {source}")]
    Term {
        /// The id as given.
        id: String,
        /// Malformed or unknown.
        problem: TermProblem,
        /// The parser's or the ontology's message.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// HPO ids of a case document that cannot be used (refused with
    /// `strict_terms`): every one is listed.
    #[error("{}: {} phenotypic feature{} cannot be used: {}", .source_name, .items.len(), if .items.len() == 1 { "" } else { "s" }, .items.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    UnusableTerms {
        /// The document (file path or name given with the bytes).
        source_name: String,
        /// The unusable terms, in document order.
        items: Vec<UnusableTerm>,
    },
    /// The case document cannot be read or parsed (with file, line and column).
    #[error(transparent)]
    CaseFile(#[from] odyssey_pheno::phenopacket::PhenopacketError),
    /// The case has no usable term, or a malformed age.
    #[error(transparent)]
    Case(#[from] odyssey_pheno::CaseError),
    /// The knowledge base cannot be loaded.
    #[error(transparent)]
    Kb(#[from] odyssey_kb::Error),
    /// The variant analysis (VCF, PED, sources, panel, regions, gene models), with file and
    /// line.
    #[error(transparent)]
    Variant(#[from] VariantError),
    /// A renderer failed (HTML template, phenopacket or VCF input).
    #[error(transparent)]
    Report(#[from] odyssey_report::ReportError),
    /// Output files that exist (nothing was written; `force` overwrites them).
    #[error("{} exist{}; pass --force to overwrite{}", .paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "), if .paths.len() == 1 { "s" } else { "" }, if .paths.len() == 1 { " it" } else { "" })]
    Exists {
        /// The existing targets.
        paths: Vec<PathBuf>,
    },
    /// An output that cannot be written (a folder, a parent that is a file, a read-only
    /// folder, an output that is an input, an unsorted VCF to index...): the message names
    /// the output requested and what is wrong.
    #[error("{0}")]
    Output(String),
    /// Writing an output failed midway (nothing was moved into place).
    #[error("writing {}", .path.display())]
    Write {
        /// The output requested.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing to a stream (standard output) failed, e.g. a closed pipe.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    /// True when the request is at fault (bad terms, case, VCF or options: a server's 4xx),
    /// false for the machine's (I/O, output, knowledge base: a 5xx).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            Error::Request(_)
                | Error::Term { .. }
                | Error::UnusableTerms { .. }
                | Error::CaseFile(_)
                | Error::Case(_)
                | Error::Variant(_)
        )
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
