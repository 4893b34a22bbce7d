//! # odyssey
//!
//! The analysis library every front end calls (the `odyssey` binary, a server, batch and
//! reanalysis jobs): an [`AnalysisRequest`] (case, files, options) goes in, an
//! [`AnalysisReport`] (the JSON contract of `odyssey-report`) comes out; [`output`] renders a
//! report into each format and writes the files all or nothing. The library prints nothing:
//! notes and `explain` answers are returned ([`Analysis`]).
//!
//! - [`Engine`]: the knowledge base and phenotype scorer, built once (`Send + Sync`: keep it in
//!   an `Arc` and analyse concurrently); [`Engine::analyze`] runs one request.
//! - [`Error`]: typed failures (bad terms with the items, case file, variant inputs, output).
//! - [`output`]: [`output::Format`], [`output::plan`], [`output::render`],
//!   [`output::write_report`].
//!
//! ```
//! use odyssey::{AnalysisRequest, CaseSource, Engine, KbHandle};
//!
//! let engine = Engine::new(KbHandle::embedded()?);
//! // seizure, global developmental delay; microcephaly looked for and absent
//! let request = AnalysisRequest::new(CaseSource::Terms)
//!     .with_terms(["HP:0001250", "HP:0001263"], false)
//!     .with_terms(["HP:0000252"], true);
//! let report = engine.analyze(&request)?;
//! assert_eq!(report.case.observed, ["HP:0001250", "HP:0001263"]);
//! assert_eq!(report.diseases[0].rank, report.diseases[0].tie_size); // ranks are pessimistic
//! let tsv = odyssey::output::render(&report, odyssey::output::Format::Tsv)?;
//! assert!(String::from_utf8(tsv)?.lines().any(|l| l.starts_with("rank\t")));
//!
//! // a typo in a request term is an error naming it
//! let bad = AnalysisRequest::new(CaseSource::Terms).with_terms(["HP:999"], false);
//! assert!(matches!(engine.analyze(&bad), Err(odyssey::Error::Term { .. })));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod engine;
mod error;
mod kb_handle;
pub mod output;
mod phenotype;
pub mod provenance;
mod request;
pub mod terms;
mod variant;

pub use engine::{Analysis, Engine, Note};
pub use error::{Error, Result, TermProblem, UnusableTerm};
pub use kb_handle::KbHandle;
pub use phenotype::{phenotype_report, ReportOptions};
pub use request::{AnalysisOptions, AnalysisRequest, CaseSource};
/// Many single-sample VCFs against one set of gene models (the spiked benchmark).
pub use variant::spiked;
pub use variant::{
    combined_ranking, combined_report, gene_symbols, panel_current_symbols, variant_config,
    CombinedRanking, Pair, VariantError, VariantOptions, VariantSetup,
};

/// Types a front end needs to build requests and read reports, re-exported so that it depends
/// on `odyssey` alone.
pub use odyssey_genome::Assembly;
pub use odyssey_kb::{DiseaseDb, Sex};
pub use odyssey_pheno::case::age_problem;
pub use odyssey_pheno::{Method, ScorerOptions, TermInput};
/// The report model and its renderers (`odyssey-report`).
pub use odyssey_report as report;
pub use odyssey_report::AnalysisReport;
pub use odyssey_variant::analysis::ExplainEntry;

/// What a variant file is, from its first bytes: the same recognition the analysis applies
/// when it opens a VCF (`odyssey-variant`'s input), for front ends that see an upload's head
/// before the file is stored (the server refuses a "VCF" that is none with 422).
pub mod vcf {
    pub use odyssey_variant::input::{sniff_format, VcfFormat, NOT_VCF, SNIFF_LEN};
}
