//! The boundary to the analysis library. The job runner only knows the [`Analyzer`] trait; the
//! one implementation over `odyssey::Engine` lives in [`crate::engine`], the only module that
//! calls the analysis.

use std::path::PathBuf;

/// A stored case's files, checked against their checksums and laid out on disk for the run.
#[derive(Clone, Debug)]
pub struct CaseInputs {
    /// Name of the case document as uploaded (its extension chooses JSON or YAML).
    pub case_name: String,
    /// The case document's text.
    pub case_text: String,
    /// The VCF, if any.
    pub vcf: Option<PathBuf>,
    /// The PED, if any.
    pub ped: Option<PathBuf>,
    /// Words recorded as the report's `command` (provenance), e.g. the server's request.
    pub command: Vec<String>,
}

/// A finished analysis.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The report, as `odyssey analyze --format json` writes it.
    pub report_json: String,
}

/// Runs analyses. `Send + Sync`: one is shared by every worker.
pub trait Analyzer: Send + Sync + 'static {
    /// Identifies the knowledge base and sources: a job queued for one engine is only run by
    /// an engine with the same key (a reanalysis with a new knowledge base does not run on the
    /// server's old one).
    fn engine_key(&self) -> String;
    /// The settings recorded with each analysis (knowledge base release and checksum,
    /// sources, top N).
    fn settings(&self) -> serde_json::Value;
    /// HPO release of the knowledge base, with the annotations' release when it differs (a
    /// knowledge base built `--as-of` a date says so).
    fn kb_release(&self) -> String;
    /// Runs one analysis (CPU-bound: call from a blocking thread). `progress(fraction, stage)`
    /// reports progress. Errors are texts for the user (the case's problem, or the server's).
    fn analyze(&self, inputs: &CaseInputs, progress: &dyn Fn(f64, &str))
        -> Result<Outcome, String>;
}

/// Checks that an uploaded case document parses (Phenopacket v1/v2 or GA4GH Family, JSON or
/// YAML) and returns its id. Errors name the problem, for a 422.
pub fn case_label(name: &str, text: &str) -> Result<String, String> {
    let file = odyssey_pheno::phenopacket::parse_case_file(text, std::path::Path::new(name))
        .map_err(|e| e.to_string())?;
    let label = match &file {
        odyssey_pheno::phenopacket::CaseFile::Phenopacket(p) => p.id.clone(),
        odyssey_pheno::phenopacket::CaseFile::Family(f) => f.id.clone(),
    };
    Ok(if label.is_empty() {
        file.proband().id.clone()
    } else {
        label
    })
}
