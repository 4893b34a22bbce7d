//! [`Engine`]: the knowledge base and phenotype scorer, built once, and the analysis of one
//! request in the steps the docs describe: check the request's terms → read the case →
//! resolve it against the HPO release → check the document's terms → rank by phenotype alone,
//! or run the variant analysis and combine.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use odyssey_variant::annotation::GeneSymbols;

use odyssey_pheno::phenopacket::{parse_case_file, read_case_file, CaseFile};
use odyssey_pheno::{Case, CaseInput, Method, PhenotypeScorer, ScorerOptions, TermInput};
use odyssey_report::{AnalysisReport, InputFile};

use crate::error::{Error, Result, TermProblem, UnusableTerm};
use crate::provenance::input_file;
use crate::request::{AnalysisRequest, CaseSource};
use crate::{
    combined_report, phenotype_report, variant_config, KbHandle, ReportOptions, VariantOptions,
};

self_cell::self_cell!(
    /// The knowledge base and the scorer borrowing it.
    struct KbAndScorer {
        owner: KbHandle,
        #[covariant]
        dependent: PhenotypeScorer,
    }
);

/// The analysis engine: a loaded knowledge base and its phenotype scorer (index built once,
/// tens of milliseconds). `Send + Sync`: a server keeps one in an `Arc` and runs many
/// analyses at once; a batch shares one across threads.
pub struct Engine {
    cell: KbAndScorer,
    /// The knowledge base's gene symbols with the alias table, built on the first variant
    /// analysis.
    symbols: OnceLock<Arc<GeneSymbols>>,
}

/// A note or warning about the case for the user (the library prints nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// True for a warning (an id that is malformed or unknown), false for a note.
    pub warning: bool,
    /// The message, e.g. `HP:0000006 is an alternative id; using HP:0000007`.
    pub message: String,
}

impl std::fmt::Display for Note {
    /// `note: ...` or `warning: ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.warning { "warning" } else { "note" };
        write!(f, "{level}: {}", self.message)
    }
}

/// One analysis' result: the report, plus what a front end shows beside it.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The report (the JSON contract; every renderer's input).
    pub report: AnalysisReport,
    /// Remapped and ignored terms of the case, in input order (also in `report.case`).
    pub case_notes: Vec<Note>,
    /// What happened to each variant or gene of [`crate::AnalysisOptions::explain`] (variant
    /// analysis only; empty when none matched).
    pub explain: Vec<odyssey_variant::analysis::ExplainEntry>,
}

/// A read case document with its name (and folder, for a file).
struct Document<'a> {
    file: CaseFile,
    path: &'a Path,
    /// True for a file on disk (its `files[]` may be followed).
    on_disk: bool,
    input: InputFile,
}

impl Engine {
    /// An engine with the documented scorer defaults (`docs/phenotype-model.md`) and the
    /// probability calibration the knowledge base records, if any
    /// ([`ScorerOptions::for_kb`]).
    pub fn new(kb: KbHandle) -> Engine {
        let options = ScorerOptions::for_kb(&kb.kb);
        Engine::with_options(kb, options)
    }

    /// An engine whose cached scorer has these options, as given (requests with another
    /// method or other databases get a scorer of their own, built for them);
    /// [`ScorerOptions::calibrate_for`] applies the knowledge base's calibration.
    pub fn with_options(kb: KbHandle, options: ScorerOptions) -> Engine {
        Engine {
            cell: KbAndScorer::new(kb, |kb| PhenotypeScorer::new(&kb.kb, options)),
            symbols: OnceLock::new(),
        }
    }

    /// Loads `kb` (a compiled `.odkb`) or the embedded knowledge base.
    ///
    /// Errors: [`Error::Kb`] when the file cannot be read or is not a knowledge base.
    pub fn open(kb: Option<&Path>) -> Result<Engine> {
        Ok(Engine::new(KbHandle::open(kb)?))
    }

    /// The knowledge base's gene symbols with the alias table (built once): what the
    /// variant analysis normalises the annotation's gene symbols to.
    ///
    /// Errors: the embedded alias table cannot be read (a build defect).
    pub fn gene_symbols(&self) -> Result<Arc<GeneSymbols>> {
        if let Some(s) = self.symbols.get() {
            return Ok(s.clone());
        }
        let s = Arc::new(crate::gene_symbols(&self.kb().kb)?);
        Ok(self.symbols.get_or_init(|| s).clone())
    }

    /// The knowledge base and its provenance.
    pub fn kb(&self) -> &KbHandle {
        self.cell.borrow_owner()
    }

    /// The cached phenotype scorer.
    pub fn scorer(&self) -> &PhenotypeScorer<'_> {
        self.cell.borrow_dependent()
    }

    /// Checks terms given directly (not read from a document): each must be a well-formed id
    /// of a term of this release. Errors: [`Error::Term`] for the first that is not.
    pub fn check_terms(&self, terms: &[TermInput]) -> Result<()> {
        for t in terms {
            let id = t.id.trim();
            if id.is_empty() {
                continue;
            }
            let hpo: odyssey_kb::HpoId = id.parse().map_err(|e| Error::Term {
                id: id.to_string(),
                problem: TermProblem::Malformed,
                source: Box::new(e),
            })?;
            self.kb()
                .kb
                .ontology()
                .resolve(hpo)
                .map_err(|e| Error::Term {
                    id: id.to_string(),
                    problem: TermProblem::Unknown,
                    source: Box::new(e),
                })?;
        }
        Ok(())
    }

    /// Runs one analysis and returns its report (see [`Engine::run`]).
    pub fn analyze(&self, request: &AnalysisRequest) -> Result<AnalysisReport> {
        self.run(request).map(|a| a.report)
    }

    /// Runs one analysis: phenotype-only when there is no VCF (given, or listed in a case
    /// file), otherwise the variant analysis combined with the phenotype (LR method only).
    ///
    /// Errors: [`Error::Term`] (a request term), [`Error::CaseFile`] (unreadable document),
    /// [`Error::UnusableTerms`] (document ids malformed or unknown, with
    /// `strict_terms`), [`Error::Case`] (no usable term, bad age), [`Error::Request`]
    /// (nothing to analyse, Resnik with variants), [`Error::Variant`] (VCF, PED, sources...).
    pub fn run(&self, request: &AnalysisRequest) -> Result<Analysis> {
        self.check_terms(&request.terms)?;
        let document = read_document(&request.case)?;
        let case = self.resolve_case(request, document.as_ref())?;
        let case_notes = case_notes(&case);
        let own_record = document
            .as_ref()
            .and_then(|d| own_case_report_warning(self.kb(), &d.file.proband().id));
        let owned;
        let scorer = match self.scorer_for(request) {
            Some(s) => s,
            None => {
                owned = PhenotypeScorer::new(&self.kb().kb, self.scorer_options(request));
                &owned
            }
        };
        let mut inputs: Vec<InputFile> = document.iter().map(|d| d.input.clone()).collect();
        let listed_vcf = document
            .as_ref()
            .is_some_and(|d| d.on_disk && lists_vcf(&d.file));
        let ropts = |inputs| ReportOptions {
            top: request.options.top,
            inputs,
            command: request.command.clone(),
        };
        if request.vcf.is_none() && (request.options.phenotype_only || !listed_vcf) {
            let mut report = phenotype_report(
                self.kb(),
                scorer,
                &case,
                scorer.options().method,
                &ropts(inputs),
            );
            report.warnings.extend(own_record);
            report
                .warnings
                .extend(variant_options_unused(&request.options));
            return Ok(Analysis {
                report,
                case_notes,
                explain: Vec::new(),
            });
        }
        if scorer.options().method != Method::LikelihoodRatio {
            return Err(Error::Request("variant analysis combines likelihood ratios: use --method lr (or --phenotype-only with --method resnik)".into()));
        }
        let case_file = document.as_ref().map(|d| (&d.file, d.path));
        let mut setup = variant_config(
            &variant_options(request, document.as_ref()),
            case_file,
            &case,
        )?;
        let symbols = self.gene_symbols()?;
        if let Some(p) = &mut setup.config.filters.gene_panel {
            *p = crate::panel_current_symbols(p, &symbols);
        }
        setup.config.gene_symbols = Some(symbols);
        let cfg = &setup.config;
        inputs.push(input_file("vcf", &cfg.vcf));
        if let Some(p) = &request.ped {
            inputs.push(input_file("ped", p));
        }
        if let Some(p) = &request.sources {
            inputs.push(input_file("sources", p));
        }
        let g = odyssey_variant::analysis::analyze(cfg).map_err(crate::VariantError::from)?;
        let mut report = combined_report(
            self.kb(),
            scorer,
            &case,
            &g,
            &setup.individuals,
            &ropts(inputs),
        );
        report.warnings.extend(own_record);
        report.warnings.extend(setup.warnings);
        Ok(Analysis {
            report,
            case_notes,
            explain: g.explain,
        })
    }

    /// The scorer options a request asks for: the engine's, with its method and databases.
    fn scorer_options(&self, request: &AnalysisRequest) -> ScorerOptions {
        let mut o = self.scorer().options().clone();
        o.method = request.options.method;
        let mut dbs = request.options.databases.clone();
        dbs.sort();
        dbs.dedup();
        o.index.databases = dbs;
        o
    }

    /// The cached scorer when it has the request's options.
    fn scorer_for(&self, request: &AnalysisRequest) -> Option<&PhenotypeScorer<'_>> {
        (self.scorer_options(request) == *self.scorer().options()).then(|| self.scorer())
    }

    /// The case: the document's (or an empty one named `request.id`), with the request's
    /// terms, sex and age, resolved against the HPO release; then the document's ids checked
    /// ([`Error::UnusableTerms`] with `strict_terms`).
    fn resolve_case(&self, request: &AnalysisRequest, doc: Option<&Document>) -> Result<Case> {
        let mut input = match doc {
            Some(d) => CaseInput::from_phenopacket(d.file.proband()),
            None => CaseInput {
                id: request.id.clone(),
                ..Default::default()
            },
        };
        input.terms.extend(request.terms.iter().cloned());
        if let Some(s) = request.sex {
            input.sex = Some(s);
        }
        if let Some(a) = &request.age {
            input.age = Some(a.clone());
        }
        let case = Case::resolve(&input, &self.kb().kb)?;
        if let (Some(d), true) = (doc, request.options.strict_terms) {
            check_document_terms(&d.input.path, &case)?;
        }
        Ok(case)
    }
}

/// Reads the case document, if any.
fn read_document(source: &CaseSource) -> Result<Option<Document<'_>>> {
    Ok(match source {
        CaseSource::File(p) => Some(Document {
            file: read_case_file(p)?,
            path: p,
            on_disk: true,
            input: input_file("phenopacket", p),
        }),
        CaseSource::Document { name, text } => Some(Document {
            file: parse_case_file(text, Path::new(name))?,
            path: Path::new(name.as_str()),
            on_disk: false,
            input: InputFile {
                role: "document".into(),
                path: name.clone(),
                checksum: Some(format!(
                    "{:016x}",
                    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
                )),
            },
        }),
        CaseSource::Terms => None,
    })
}

/// True when a case file lists a VCF or BCF in `files[]` (by format or by name).
/// Warnings for variant options given to a phenotype-only analysis (no VCF), which does
/// nothing with them: `--explain`, `--panel`, `--regions`.
fn variant_options_unused(o: &crate::AnalysisOptions) -> Vec<String> {
    let mut w = Vec::new();
    if !o.explain.is_empty() {
        w.push(format!(
            "--explain {}: does nothing in a phenotype-only analysis (no VCF): it reports what the variant filters did",
            o.explain.join(", ")
        ));
    }
    if let Some(p) = &o.panel {
        w.push(format!(
            "--panel {}: does nothing in a phenotype-only analysis (no VCF): genes are ranked on the phenotype alone, panel or not",
            p.display()
        ));
    }
    if let Some(p) = &o.regions {
        w.push(format!(
            "--regions {}: does nothing in a phenotype-only analysis (no VCF)",
            p.display()
        ));
    }
    w
}

fn lists_vcf(file: &CaseFile) -> bool {
    file.files().iter().any(|x| {
        matches!(x.format().as_deref(), Some("VCF" | "BCF"))
            || [".vcf", ".vcf.gz", ".vcf.bgz", ".bcf"]
                .iter()
                .any(|e| x.uri.to_ascii_lowercase().ends_with(e))
    })
}

/// A document's HPO ids must be well-formed terms of the release in use. Terms given in the
/// request are checked before ([`Engine::check_terms`]), so any invalid id here comes from
/// the document.
fn check_document_terms(source_name: &str, case: &Case) -> Result<()> {
    let items: Vec<UnusableTerm> = case
        .ignored
        .iter()
        .filter(|i| i.invalid_id)
        .map(|i| UnusableTerm {
            index: i.input_index,
            id: i.id.clone(),
            excluded: i.excluded,
            reason: i.reason.clone(),
        })
        .collect();
    if items.is_empty() {
        return Ok(());
    }
    Err(Error::UnusableTerms {
        source_name: source_name.to_string(),
        items,
    })
}

/// Remapped ids (notes) and ids not used (warnings for invalid ids, notes otherwise).
fn case_notes(case: &Case) -> Vec<Note> {
    let remapped = case.remapped.iter().map(|r| Note {
        warning: false,
        message: format!("{} is an {}; using {}", r.from, r.how, r.to),
    });
    let ignored = case.ignored.iter().map(|i| {
        let what = if i.excluded { "excluded term" } else { "term" };
        let id = if i.id.trim().is_empty() {
            "(no id)"
        } else {
            i.id.as_str()
        };
        Note {
            warning: i.invalid_id,
            message: format!("{what} {id} not used: {}", i.reason),
        }
    });
    remapped.chain(ignored).collect()
}

/// The variant-analysis inputs of a request; a document's `files[]` are followed only for a
/// file on disk.
fn variant_options(request: &AnalysisRequest, doc: Option<&Document>) -> VariantOptions {
    let o = &request.options;
    VariantOptions {
        vcf: request.vcf.clone(),
        assembly: o.assembly,
        proband: o.proband.clone(),
        ped: request.ped.clone(),
        family: o.family.clone(),
        sources: request.sources.clone(),
        vcf_annotations: o.vcf_annotations,
        refdata: request.refdata.clone(),
        explain: o.explain.clone(),
        panel: o.panel.clone(),
        regions: o.regions.clone(),
        ignore_listed_files: doc.is_some_and(|d| !d.on_disk),
        strict_file_uris: o.strict_file_uris,
    }
}

/// The warning for a phenopacket that is itself one of the case reports compiled into the
/// knowledge base (`kb build --cases`; same phenopacket id, [`odyssey_kb::KnowledgeBase::holds_case_report`]):
/// its own record is part of the knowledge, so its ranking overstates what a new patient
/// would get. `None` for an empty id or a case the knowledge base does not hold.
pub(crate) fn own_case_report_warning(kb: &KbHandle, phenopacket_id: &str) -> Option<String> {
    let id = phenopacket_id.trim();
    (!id.is_empty() && kb.kb.holds_case_report(id)).then(|| {
        format!(
            "this phenopacket ({id}) is one of the {} case reports compiled into the knowledge base ({}): its own record is part of the knowledge, so its ranking and probabilities overstate what a new patient would get; to score it as a new patient, leave its publication out (`odyssey --kb {} bench --leave-publication-out --cases DIR --sample LIST`, LIST naming this file under DIR) or build the knowledge base without it",
            kb.kb.case_reports().len(),
            kb.source,
            kb.source
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Engine>();
    }
}
