//! The genotype analysis: one pass over the VCF, filters with reasons, annotation sources,
//! segregation per gene and mode, and the genotype likelihood ratios.
//!
//! [`analyze`] runs the steps of docs/variant-analysis.md, one module each:
//!
//! 1. `subject`: the family and proband from the pedigree (or a singleton), matched to the
//!    VCF's samples, and the phenopacket subject checked to be that proband;
//! 2. `annotator`: where consequences come from (the VCF's CSQ/ANN/BCSQ or an annotator);
//! 3. `pass`: one pass over the records, each record **read** (`record`: position, ALTs,
//!    member genotypes, QUAL), its alleles **normalised** (`normalise`: contigs, minimal
//!    alleles), **annotated** and **filtered** (`filters`: FILTER/QUAL, call quality,
//!    regions, gene panel, frequency, consequence, ClinVar), and each passing allele kept
//!    (duplicates removed) for the next step; removed alleles are listed (`removed`);
//! 4. `genes`: segregation per gene and mode, and the genotype likelihood ratios;
//! 5. `explain`: the `--explain` entries (every failing reason, the modes a passing allele
//!    fits, and `not found` entries);
//! 6. `warnings` and `result`: the warnings of the pass and the assembled
//!    [`GenotypeAnalysis`] (result types in `report`).
//!
//! Counters behind warnings: `contigs` (skipped contigs), `quality` (calls lacking GQ, DP or
//! AD), `sex_check` (chrX heterozygosity against the recorded sex).

mod annotator;
mod contigs;
mod explain;
mod filters;
mod genes;
mod normalise;
mod pass;
mod quality;
mod record;
mod removed;
mod report;
mod result;
mod sex_check;
mod subject;
mod warnings;

pub use report::{
    ExplainEntry, ExplainReason, GeneGenotypeEvidence, GenotypeAnalysis, GenotypeLr,
    MemberGenotype, MemberReport, ModeEvidence, RemovedVariant, VariantCall,
};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use odyssey_genome::{Assembly, Chrom, VariantKey};

use crate::annotation::{GeneAnnotator, GeneConsequence, GeneSymbols, VcfAnnotationKind};
use crate::error::{Location, Result};
use crate::filter::{ExplainQuery, FilterConfig};
use crate::genotype::Genotype;
use crate::inheritance::ChromClass;
use crate::input::{resolve_assembly, VcfReader, HG19_CHRM_LENGTH};
use crate::pedigree::{Pedigree, Sex};
use crate::score::ScoringConfig;
use crate::sources::{ResolvedSource, SourceAnnotations, SourceSet};
use crate::structural::sources::{DosageCuration, StructuralEvidence, StructuralSources};
use crate::structural::{StructuralEvent, SvGeneDetail};

use annotator::Annotator;
use quality::MissingQuality;

/// Where gene and consequence annotations come from.
#[derive(Clone)]
pub enum AnnotationChoice {
    /// Annotations already in the VCF: VEP CSQ, SnpEff ANN or bcftools BCSQ (`None`: the first
    /// of these present in the header).
    Vcf(Option<VcfAnnotationKind>),
    /// A transcript annotator (e.g. `odyssey-annotate`).
    Annotator(Arc<dyn GeneAnnotator>),
}

impl std::fmt::Debug for AnnotationChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnnotationChoice::Vcf(k) => write!(f, "Vcf({k:?})"),
            AnnotationChoice::Annotator(a) => write!(f, "Annotator({})", a.describe()),
        }
    }
}

/// Everything an analysis needs. Build with [`AnalysisConfig::new`] and set fields.
#[derive(Clone, Debug)]
pub struct AnalysisConfig {
    /// VCF or BCF of the proband (and relatives).
    pub vcf: PathBuf,
    /// Analysis assembly (`--assembly`, phenopacket `genomeAssembly`); checked against the
    /// header. `None`: inferred from the header's contig lengths.
    pub assembly: Option<Assembly>,
    /// Proband sample id; `None`: from the pedigree, or the VCF's only sample.
    pub proband: Option<String>,
    /// Proband sex from the phenopacket (checked against the pedigree).
    pub proband_sex: Option<Sex>,
    /// The phenopacket subject's id (as a VCF sample id when the file maps it). When it is a
    /// VCF sample or pedigree member other than the analysed proband, [`analyze`] stops with
    /// an error naming both (a `--family` or `--proband` that picks someone else's child).
    pub subject: Option<String>,
    /// Pedigree (PED file or GA4GH family); `None`: singleton.
    pub pedigree: Option<Pedigree>,
    /// Family to analyse when the pedigree has several.
    pub family: Option<String>,
    /// VCF sample id → the pedigree's id of that person, for pedigrees whose ids differ from
    /// the samples' (a GA4GH Family's `individualToFileIdentifiers`): messages then name
    /// members as `father (VCF: NA12891)` ([`crate::pedigree::Member::label`]).
    pub individuals: std::collections::HashMap<String, String>,
    /// Where consequences come from.
    pub annotation: AnnotationChoice,
    /// Annotation sources.
    pub sources: Vec<ResolvedSource>,
    /// Filters.
    pub filters: FilterConfig,
    /// Genotype LR parameters.
    pub scoring: ScoringConfig,
    /// `--explain` queries.
    pub explain: Vec<ExplainQuery>,
    /// BGZF decompression threads (1 = none).
    pub threads: usize,
    /// How many removed variants to list individually in [`GenotypeAnalysis::removed`]
    /// (the counts per reason are always complete).
    pub keep_removed: usize,
    /// Evidence sources for structural events (`[[structural]]` tables of the sources TOML,
    /// [`crate::structural::sources`]).
    pub structural: Vec<crate::structural::sources::StructuralSource>,
    /// The knowledge base's gene symbols: when given, the annotation's gene symbols are
    /// normalised to them (by NCBI Gene id, or a previous symbol or alias of one gene; see
    /// [`GeneSymbols`]), so that a variant in a gene the models name `LARGE` counts for the
    /// knowledge base's `LARGE1`. `None`: symbols as the annotation gives them.
    pub gene_symbols: Option<Arc<GeneSymbols>>,
}

impl AnalysisConfig {
    /// A singleton analysis of `vcf` with default filters and scoring, 2 decompression threads.
    pub fn new(vcf: impl Into<PathBuf>, annotation: AnnotationChoice) -> Self {
        AnalysisConfig {
            vcf: vcf.into(),
            assembly: None,
            proband: None,
            proband_sex: None,
            subject: None,
            pedigree: None,
            family: None,
            individuals: Default::default(),
            annotation,
            sources: Vec::new(),
            filters: FilterConfig::default(),
            scoring: ScoringConfig::default(),
            explain: Vec::new(),
            threads: 2,
            keep_removed: 10_000,
            structural: Vec::new(),
            gene_symbols: None,
        }
    }
}

/// A passing allele, before grouping by gene.
struct Candidate {
    key: VariantKey,
    vcf_record: String,
    location: Location,
    qual: Option<f32>,
    filter: String,
    genes: Vec<GeneConsequence>,
    ann: SourceAnnotations,
    genotypes: Vec<Genotype>,
    class: ChromClass,
    /// The structural event, when the allele is one.
    sv: Option<Box<SvCandidate>>,
}

/// What a passing structural allele carries to the gene step.
struct SvCandidate {
    event: StructuralEvent,
    /// Per gene: the effect detail of its chosen transcript.
    details: BTreeMap<String, SvGeneDetail>,
    /// Per gene: its ClinGen dosage curation.
    dosage: BTreeMap<String, DosageCuration>,
    evidence: StructuralEvidence,
    /// Copy number per family member.
    copy_numbers: Vec<Option<f32>>,
}

/// One record's data needed by the allele evaluation.
struct RecordView<'r> {
    vcf_chrom: &'r str,
    reference: &'r str,
    alts: &'r [&'r str],
    qual: Option<f32>,
    filter: &'r str,
    info: &'r str,
    class: ChromClass,
}

/// What the filters found for one allele.
struct Evaluation {
    reasons: Vec<ExplainReason>,
    genes: Vec<GeneConsequence>,
    ann: Option<SourceAnnotations>,
    proband: Option<Genotype>,
    /// Structural alleles: per-gene details, dosage and the event's evidence.
    sv: Option<SvEvaluation>,
}

/// What the filters found for a structural allele.
#[derive(Default)]
struct SvEvaluation {
    details: BTreeMap<String, SvGeneDetail>,
    dosage: BTreeMap<String, DosageCuration>,
    evidence: StructuralEvidence,
}

/// The state the filters share across alleles.
struct Ctx<'a> {
    cfg: &'a AnalysisConfig,
    sources: SourceSet,
    annotator: Annotator,
    proband: usize,
    /// Alleles that reached the region filter (no earlier failure), and how many passed it.
    region_checked: u64,
    region_passed: u64,
    /// The same for the gene-panel filter.
    panel_checked: u64,
    panel_passed: u64,
    /// Proband calls reaching the call-quality filters without GQ, DP or AD.
    quality: MissingQuality,
    /// Structural evidence sources.
    structural: StructuralSources,
}

/// Runs the genotype analysis (see the crate docs for the steps).
///
/// Errors: unreadable or malformed VCF/BCF (file and line/record), pedigree inconsistencies,
/// a proband missing from the VCF, an assembly mismatch (header contig lengths, or a position
/// beyond a chromosome's end), sources that cannot be opened, or a VCF without the requested
/// in-VCF annotation.
pub fn analyze(cfg: &AnalysisConfig) -> Result<GenotypeAnalysis> {
    let mut reader = VcfReader::open(&cfg.vcf, cfg.threads.max(1))?;
    let path = cfg.vcf.clone();
    let mut warnings: Vec<String> = Vec::new();
    let (assembly, w) = resolve_assembly(&reader.contig_lengths(), cfg.assembly, &path)?;
    warnings.extend(w);
    // hg19's chrM is not rCRS: its records are skipped (warned about by resolve_assembly)
    let mt_not_rcrs = reader.contig_lengths().iter().any(|(name, len)| {
        name.parse::<Chrom>().ok() == Some(Chrom::MT) && *len == u64::from(HG19_CHRM_LENGTH)
    });

    let samples = reader.sample_names().to_vec();
    let family = subject::resolve_family(cfg, &samples, &path)?;
    warnings.extend(subject::family_warnings(&family));

    let annotator = Annotator::open(
        &cfg.annotation,
        cfg.gene_symbols.clone(),
        reader.header(),
        &path,
    )?;
    let mut annotation = annotator.describe();
    let sources = SourceSet::open(&cfg.sources, assembly)?;
    warnings.extend(sources.warnings().iter().cloned());
    let mut ctx = Ctx {
        cfg,
        sources,
        annotator,
        proband: family.proband,
        region_checked: 0,
        region_passed: 0,
        panel_checked: 0,
        panel_passed: 0,
        quality: MissingQuality::default(),
        structural: StructuralSources::open(&cfg.structural, assembly)?,
    };

    let input = pass::Input {
        path: &path,
        samples: &samples,
        assembly,
        mt_not_rcrs,
    };
    let mut pass = pass::run(&mut ctx, &mut reader, &family, &input)?;
    warnings.extend(warnings::pass_warnings(
        &reader, &pass, &ctx, &family, &input,
    ));
    let genes = genes::build_genes(&family, cfg, &pass.candidates);
    pass.explain.add_modes(&genes);
    let explain = pass.explain.finish(&cfg.explain, &ctx.annotator);
    if let Some(note) = ctx.annotator.symbol_log.renamed_note(20) {
        annotation = format!("{annotation}; {note}");
    }
    Ok(result::assemble(result::Parts {
        reader: &reader,
        path,
        assembly,
        family: &family,
        annotation,
        ctx: &ctx,
        summary: pass.summary,
        genes,
        explain,
        removed: pass.removed,
        warnings,
    }))
}
