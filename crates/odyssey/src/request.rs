//! [`AnalysisRequest`]: everything one analysis needs, free of any front end (the CLI builds it
//! from its arguments, a server from an upload and a form).

use std::path::PathBuf;

use odyssey_genome::Assembly;
use odyssey_kb::{DiseaseDb, Sex};
use odyssey_pheno::{Method, ScorerOptions, TermInput};

/// Where the case comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseSource {
    /// A GA4GH Phenopacket (v2 or v1) or Family file, JSON or YAML. Its `files[]` VCF is
    /// analysed (resolved against the file's folder) unless a VCF is given or
    /// [`AnalysisOptions::phenotype_only`].
    File(PathBuf),
    /// A phenopacket or Family document in memory (an upload). `name` is used in messages and
    /// provenance (its extension, `.json`/`.yml`/`.yaml`, chooses the parser; otherwise the
    /// first character does). Its `files[]` are never followed (a request must not reach
    /// files the sender does not own): give the VCF as [`AnalysisRequest::vcf`]. A Family's
    /// pedigree is used.
    Document {
        /// Name for messages and provenance, e.g. `case.json`.
        name: String,
        /// The document's text.
        text: String,
    },
    /// No document: the case is [`AnalysisRequest::terms`] (with `id`, `sex`, `age`).
    Terms,
}

/// Analysis settings (the scoring method, what to rank and report, variant filters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// Scoring method (default the likelihood-ratio model; Resnik is phenotype-only).
    pub method: Method,
    /// Disease databases ranked (default OMIM, Orphanet, DECIPHER).
    pub databases: Vec<DiseaseDb>,
    /// Number of diseases and genes reported (default 20).
    pub top: usize,
    /// Only genes listed in this file (one HGNC symbol per line).
    pub panel: Option<PathBuf>,
    /// Only variants inside these BED regions.
    pub regions: Option<PathBuf>,
    /// Variants (`CHROM:POS`) or genes (symbol) whose fate is reported in
    /// [`crate::Analysis::explain`].
    pub explain: Vec<String>,
    /// Sample id of the proband in the VCF (default: the phenopacket subject, or the
    /// pedigree's affected child, or the only sample).
    pub proband: Option<String>,
    /// Family to analyse when the PED holds several.
    pub family: Option<String>,
    /// Genome assembly of the VCF (default: the document's `genomeAssembly`, else the VCF's
    /// `##contig` lengths).
    pub assembly: Option<Assembly>,
    /// Ignore any VCF listed in the document: phenotype-only analysis.
    pub phenotype_only: bool,
    /// Refuse a document when some of its HPO ids are malformed or unknown to the knowledge
    /// base's release ([`crate::Error::UnusableTerms`]). Without it (the default) such ids are
    /// left out of the analysis (or, with [`crate::KbHandle::with_newer_ontology`], an observed
    /// term of the newer release is analysed as its nearest known ancestors) and every report
    /// says so in its `warnings`.
    pub strict_terms: bool,
    /// Take consequences from the VCF's CSQ/ANN/BCSQ field instead of Odyssey's annotator.
    pub vcf_annotations: bool,
    /// Refuse a document whose listed VCF (`files[].uri`, a relative path) leaves the
    /// document's folder (`../`). Without it (the default) that VCF is analysed and every
    /// report says so in its `warnings`.
    pub strict_file_uris: bool,
}

impl AnalysisOptions {
    /// The documented scorer defaults with this method and these databases (sorted,
    /// deduplicated).
    pub fn scorer_options(&self) -> ScorerOptions {
        let mut o = ScorerOptions {
            method: self.method,
            ..Default::default()
        };
        let mut dbs = self.databases.clone();
        dbs.sort();
        dbs.dedup();
        o.index.databases = dbs;
        o
    }
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            method: Method::LikelihoodRatio,
            databases: vec![DiseaseDb::Omim, DiseaseDb::Orpha, DiseaseDb::Decipher],
            top: 20,
            panel: None,
            regions: None,
            explain: Vec::new(),
            proband: None,
            family: None,
            assembly: None,
            phenotype_only: false,
            strict_terms: false,
            vcf_annotations: false,
            strict_file_uris: false,
        }
    }
}

/// One analysis: a case (document or terms), optional variant inputs, options, and the
/// command line recorded in the report's provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisRequest {
    /// The case.
    pub case: CaseSource,
    /// Case id when the case is [`CaseSource::Terms`] (default `case`).
    pub id: String,
    /// Observed and excluded HPO terms added to the document's. Each must be a well-formed
    /// term of the release ([`crate::Error::Term`] otherwise).
    pub terms: Vec<TermInput>,
    /// Sex of the patient (overrides the document's).
    pub sex: Option<Sex>,
    /// Age as an ISO 8601 duration, e.g. `P3Y` (overrides the document's).
    pub age: Option<String>,
    /// The exome or genome: VCF 4.1-4.4 (plain, bgzip) or BCF.
    pub vcf: Option<PathBuf>,
    /// Pedigree (PED) for family analysis (default: a GA4GH Family's pedigree).
    pub ped: Option<PathBuf>,
    /// Annotation sources TOML (docs/sources.md).
    pub sources: Option<PathBuf>,
    /// Compiled gene models from `odyssey refdata build`, instead of the embedded ones.
    pub refdata: Option<PathBuf>,
    /// Settings.
    pub options: AnalysisOptions,
    /// The command line (or request description) recorded in the report's provenance.
    pub command: Vec<String>,
}

impl AnalysisRequest {
    /// A request for `case` with default options and no variant inputs.
    pub fn new(case: CaseSource) -> Self {
        AnalysisRequest {
            case,
            id: "case".into(),
            terms: Vec::new(),
            sex: None,
            age: None,
            vcf: None,
            ped: None,
            sources: None,
            refdata: None,
            options: AnalysisOptions::default(),
            command: Vec::new(),
        }
    }

    /// Adds observed (`excluded` false) or excluded HPO terms by id.
    pub fn with_terms<S: AsRef<str>>(
        mut self,
        ids: impl IntoIterator<Item = S>,
        excluded: bool,
    ) -> Self {
        for id in ids {
            let id = id.as_ref().trim();
            if !id.is_empty() {
                self.terms.push(TermInput {
                    id: id.to_string(),
                    label: None,
                    excluded,
                });
            }
        }
        self
    }
}
