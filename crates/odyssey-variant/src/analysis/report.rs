//! Result types of the genotype analysis (serde-serialisable) and their accessors.

use std::collections::BTreeMap;
use std::path::PathBuf;

use odyssey_genome::Assembly;
use serde::{Deserialize, Serialize};

use crate::filter::{FilterConfig, FilterReason, FilterSummary};
use crate::inheritance::{ModeOfInheritance, Pattern};
use crate::input::VcfFormat;
use crate::pedigree::{Affection, Sex};
use crate::score::{poisson_lr, ScoringConfig, VariantScore};
use crate::sources::{ClinVarRecord, SourceProvenance};

/// A family member's genotype at one variant, for reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberGenotype {
    /// Individual id.
    pub sample: String,
    /// GT as written in the VCF (`.` when not sequenced).
    pub gt: String,
    /// Copies of this ALT allele.
    pub alt_copies: u8,
    /// Read depth.
    pub dp: Option<u32>,
    /// Genotype quality.
    pub gq: Option<f32>,
    /// Reads for REF and this ALT.
    pub ad: Option<[u32; 2]>,
    /// Phase set and haplotype of a phased heterozygous call.
    pub phase: Option<crate::genotype::Phase>,
    /// False for pedigree members absent from the VCF.
    pub sequenced: bool,
}

/// A variant that passed the filters, as reported under one gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantCall {
    /// Chromosome (`1`..`22`, `X`, `Y`, `MT`).
    pub chrom: String,
    /// 1-based position of the minimal representation.
    pub pos: u32,
    /// REF of the minimal representation.
    #[serde(rename = "ref")]
    pub reference: String,
    /// ALT of the minimal representation.
    pub alt: String,
    /// The record as written in the VCF: `CHROM:POS:REF:ALT` (ALT of this allele).
    pub vcf_record: String,
    /// Line (VCF) or record (BCF) of the record.
    pub vcf_location: String,
    /// HGNC gene symbol.
    pub gene: String,
    /// Most severe consequence on the gene.
    pub consequence: odyssey_genome::Consequence,
    /// Transcript of that consequence.
    pub transcript: Option<String>,
    /// HGVS c./n. when known.
    pub hgvs_c: Option<String>,
    /// HGVS p. when known.
    pub hgvs_p: Option<String>,
    /// Genotype per family member (pedigree order).
    pub genotypes: Vec<MemberGenotype>,
    /// Mitochondrial calls: the proband's ALT read fraction (heteroplasmy, 0-1) from AD;
    /// `None` elsewhere or without AD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heteroplasmy: Option<f32>,
    /// How much the proband's call is trusted (GQ, QUAL, allele balance): the weight of the
    /// allele in the genotype likelihood ratio.
    pub call_confidence: crate::score::CallConfidence,
    /// Highest population AF (see [`crate::sources::SourceAnnotations::max_af`]).
    pub af: Option<f32>,
    /// `source:field` of `af`.
    pub af_source: Option<String>,
    /// In-house AF.
    pub local_af: Option<f32>,
    /// Population homozygotes (highest over sources).
    pub nhomalt: Option<u32>,
    /// ClinVar assertion.
    pub clinvar: Option<ClinVarRecord>,
    /// Predictor scores by kind.
    pub scores: BTreeMap<String, f32>,
    /// Variant pathogenicity score and its basis.
    pub score: VariantScore,
    /// Patterns this allele fits (compound heterozygous when part of a compatible pair).
    pub compatible_modes: Vec<Pattern>,
    /// Why other patterns do not fit, `pattern: reason`.
    pub incompatible_modes: Vec<String>,
    /// QUAL.
    pub qual: Option<f32>,
    /// FILTER column.
    pub filter: String,
    /// Filter status: always `PASS` for listed variants (removed ones are only counted, or
    /// reported by `--explain`).
    pub filter_status: String,
    /// A structural event: the event, its effect on this gene, copy numbers and its
    /// population, ClinVar and dosage evidence (docs/structural-variants.md); absent for
    /// small variants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structural: Option<crate::structural::StructuralCall>,
}

/// The evidence for one mode of inheritance in one gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeEvidence {
    /// Mode.
    pub mode: ModeOfInheritance,
    /// HPO id of the mode.
    pub hpo_id: String,
    /// True when some allele (pair) fits the mode.
    pub compatible: bool,
    /// The best fitting pattern.
    pub pattern: Option<Pattern>,
    /// Indices into the gene's `variants` of the alleles used (one, or two for compound
    /// heterozygotes).
    pub variants: Vec<usize>,
    /// Genotype likelihood ratio.
    pub lr: f64,
    /// log10 of `lr`.
    pub log10_lr: f64,
    /// Weighted count of pathogenic alleles `k`.
    pub observed: f64,
    /// λ of the disease model.
    pub lambda_disease: f64,
    /// λ of the background model.
    pub lambda_background: f64,
    /// Co-segregation factor included in `lr`.
    pub segregation_factor: f64,
    /// Evidence factors included in `lr`: de novo, confirmed in trans and ClinVar P/LP
    /// (their product; 1 when none applies). The name is kept for the JSON schema.
    pub de_novo_factor: f64,
    /// Plain-language account of the computation.
    pub explanation: String,
}

/// Per-gene genotype evidence, keyed by HGNC symbol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneGenotypeEvidence {
    /// HGNC symbol.
    pub symbol: String,
    /// NCBI Gene id when the annotation gives it.
    pub ncbi_gene_id: Option<u32>,
    /// Variants passing the filters, by position.
    pub variants: Vec<VariantCall>,
    /// One entry per mode relevant to the gene's chromosome (AD and AR on autosomes, XD and
    /// XR on X, MT, YL), best LR first.
    pub modes_of_inheritance: Vec<ModeEvidence>,
    /// Mode with the highest LR (ties: declaration order of [`ModeOfInheritance`]).
    pub best_mode: Option<ModeOfInheritance>,
    /// Highest LR over modes.
    pub best_lr: f64,
}

/// The genotype likelihood ratio of a gene under a mode, for combination with phenotype LRs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenotypeLr {
    /// Likelihood ratio.
    pub lr: f64,
    /// True when an allele (pair) fits the mode.
    pub compatible: bool,
    /// Explanation.
    pub explanation: String,
}

/// A family member in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberReport {
    /// Id.
    pub id: String,
    /// Sex.
    pub sex: Sex,
    /// Affected status.
    pub affection: Affection,
    /// Father id.
    pub father: Option<String>,
    /// Mother id.
    pub mother: Option<String>,
    /// In the VCF.
    pub sequenced: bool,
    /// Proband.
    pub proband: bool,
}

/// What `--explain` found for one allele.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainEntry {
    /// The query that matched.
    pub query: String,
    /// `chrom-pos-ref-alt` (minimal representation) or the VCF record when not normalisable.
    pub variant: String,
    /// VCF line/record.
    pub vcf_location: String,
    /// Genes and consequences (when annotated).
    pub genes: Vec<String>,
    /// `passed`, `removed`, or `not found` (the query matched no allele: `variant` and
    /// `vcf_location` are `-` and `notes` say why, e.g. whether a gene is in the gene models).
    /// For a gene query, the alleles the proband does not carry are one `removed` entry whose
    /// `variant` is `N allele(s) not carried by the proband` and whose `vcf_location` spans
    /// their lines.
    pub outcome: String,
    /// Every failing filter with details (all evaluated, not only the first).
    pub reasons: Vec<ExplainReason>,
    /// For passed alleles: compatible patterns per gene and the gene's best mode and LR.
    pub notes: Vec<String>,
}

/// One failing filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainReason {
    /// Reason.
    pub reason: FilterReason,
    /// Values behind it.
    pub detail: String,
}

/// The result of [`crate::analysis::analyze`].
/// A variant removed by a filter, with its first failing reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemovedVariant {
    /// `chrom-pos-ref-alt` (minimal representation).
    pub variant: String,
    /// File and line (or record) of the VCF record.
    pub vcf_location: String,
    /// Genes the variant was annotated to (empty when removed before annotation).
    pub genes: Vec<String>,
    /// First failing filter.
    pub reason: FilterReason,
    /// Its detail (thresholds and values).
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenotypeAnalysis {
    /// VCF read.
    pub vcf: PathBuf,
    /// Its format.
    pub vcf_format: VcfFormat,
    /// Assembly used.
    pub assembly: Assembly,
    /// Proband id.
    pub proband: String,
    /// Proband sex used for X-linked logic.
    pub proband_sex: Sex,
    /// Family id.
    pub family_id: String,
    /// Singleton, duo, trio, quartet or N-member family.
    pub family_structure: String,
    /// Members.
    pub family: Vec<MemberReport>,
    /// Annotation used (provenance).
    pub annotation: String,
    /// Sources used, with lookups and hits.
    pub sources: Vec<SourceProvenance>,
    /// Structural-variant evidence sources used (`[[structural]]` tables), with their records.
    #[serde(default)]
    pub structural_sources: Vec<crate::structural::sources::StructuralSourceProvenance>,
    /// Filter counts.
    pub filters: FilterSummary,
    /// Filter settings used.
    pub filter_config: FilterConfig,
    /// Scoring settings used.
    pub scoring: ScoringConfig,
    /// Genes with at least one passing variant, best LR first (ties by symbol).
    pub genes: Vec<GeneGenotypeEvidence>,
    /// `--explain` results.
    pub explain: Vec<ExplainEntry>,
    /// Removed variants with their first failing reason, in file order (at most
    /// `AnalysisConfig::keep_removed`).
    pub removed: Vec<RemovedVariant>,
    /// True when more variants were removed than listed in `removed`.
    pub removed_truncated: bool,
    /// Stated warnings (pedigree fixes, sex checks, assembly notes, unknown terms, ALT = REF
    /// records, regions/panel leaving no variant, no passing variant, no population frequency
    /// source, a frequency source without any match, preset population keys a source lacks).
    pub warnings: Vec<String>,
    /// Position of each gene in `genes` by symbol, built on the first [`GenotypeAnalysis::gene`]
    /// call (not serialised).
    #[serde(skip)]
    /// (length of `genes` when built, position of each symbol).
    pub(crate) gene_index: std::sync::OnceLock<(usize, std::collections::HashMap<String, usize>)>,
}

impl GenotypeAnalysis {
    /// The evidence of a gene.
    pub fn gene(&self, symbol: &str) -> Option<&GeneGenotypeEvidence> {
        let (len, index) = self.gene_index.get_or_init(|| {
            let mut m = std::collections::HashMap::with_capacity(self.genes.len());
            for (i, g) in self.genes.iter().enumerate() {
                m.entry(g.symbol.clone()).or_insert(i);
            }
            (self.genes.len(), m)
        });
        match index.get(symbol).and_then(|&i| self.genes.get(i)) {
            Some(g) if g.symbol == symbol => Some(g),
            None if *len == self.genes.len() => None,
            // `genes` changed after the index was built (it is a public field): search it
            _ => self.genes.iter().find(|g| g.symbol == symbol),
        }
    }

    /// The genotype LR of a gene under a mode; for genes without a passing variant (or modes
    /// not evaluated on the gene's chromosome) the no-qualifying-allele LR `e^(λB − λD)`.
    pub fn genotype_lr(&self, symbol: &str, mode: ModeOfInheritance) -> GenotypeLr {
        if let Some(e) = self
            .gene(symbol)
            .and_then(|g| g.modes_of_inheritance.iter().find(|m| m.mode == mode))
        {
            return GenotypeLr {
                lr: e.lr,
                compatible: e.compatible,
                explanation: e.explanation.clone(),
            };
        }
        let ld = mode.expected_alleles(self.proband_sex);
        let lb = self.scoring.background(symbol);
        let lr = poisson_lr(0.0, ld, lb);
        GenotypeLr {
            lr,
            compatible: false,
            explanation: format!(
                "no variant in {symbol} passed the filters: {} LR = Pois(0; λD={ld})/Pois(0; λB={lb}) = {lr:.3}",
                mode.short()
            ),
        }
    }

    /// The best genotype LR of a gene over the given modes (all modes when empty), for diseases
    /// with several or no recorded modes.
    pub fn best_genotype_lr(&self, symbol: &str, modes: &[ModeOfInheritance]) -> GenotypeLr {
        let modes: Vec<ModeOfInheritance> = if modes.is_empty() {
            ModeOfInheritance::ALL.to_vec()
        } else {
            modes.to_vec()
        };
        modes
            .into_iter()
            .map(|m| self.genotype_lr(symbol, m))
            .fold(None::<GenotypeLr>, |b, c| match b {
                Some(b) if b.lr >= c.lr => Some(b),
                _ => Some(c),
            })
            .expect("at least one mode")
    }

    /// Writes the variant TSV: one row per (gene, variant), genes in result order. Columns:
    /// gene, chrom, pos, ref, alt, consequence, transcript, hgvs_c, hgvs_p, genotypes
    /// (`id=GT` comma-separated), af, af_source, clinvar, stars, scores (`k=v`), score,
    /// score_basis, compatible_modes, gene_best_mode, gene_best_lr.
    pub fn write_variant_tsv<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        writeln!(
            w,
            "gene\tchrom\tpos\tref\talt\tconsequence\ttranscript\thgvs_c\thgvs_p\tgenotypes\taf\taf_source\tclinvar\tclinvar_stars\tscores\tvariant_score\tscore_basis\tcompatible_modes\tgene_best_mode\tgene_best_lr"
        )?;
        let o = |s: &Option<String>| s.clone().unwrap_or_else(|| ".".into());
        for g in &self.genes {
            for v in &g.variants {
                let gts: Vec<String> = v
                    .genotypes
                    .iter()
                    .map(|m| format!("{}={}", m.sample, m.gt))
                    .collect();
                let scores: Vec<String> =
                    v.scores.iter().map(|(k, x)| format!("{k}={x}")).collect();
                let modes: Vec<&str> = v.compatible_modes.iter().map(|p| p.label()).collect();
                writeln!(
                    w,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{:.4}",
                    g.symbol,
                    v.chrom,
                    v.pos,
                    v.reference,
                    v.alt,
                    v.consequence,
                    o(&v.transcript),
                    o(&v.hgvs_c),
                    o(&v.hgvs_p),
                    gts.join(","),
                    v.af.map_or(".".into(), |a| a.to_string()),
                    o(&v.af_source),
                    v.clinvar.as_ref().map_or(".".into(), |c| format!("{:?}", c.significance)),
                    v.clinvar.as_ref().map_or(".".into(), |c| c.stars.to_string()),
                    if scores.is_empty() { ".".into() } else { scores.join(",") },
                    v.score.score,
                    v.score.basis,
                    if modes.is_empty() { ".".into() } else { modes.join(",") },
                    g.best_mode.map_or(".", |m| m.short()),
                    g.best_lr
                )?;
            }
        }
        Ok(())
    }
}
