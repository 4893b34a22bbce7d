//! The result of an analysis: the machine contract, documented in `docs/json-output.md` and
//! `docs/odyssey-result.schema.json`. Field names and meanings listed there are stable;
//! fields may be added.

use serde::{Deserialize, Serialize};

/// One analysis: provenance, the case, ranked diseases and genes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisReport {
    /// Provenance: Odyssey version, knowledge base, method, inputs, date.
    pub odyssey: Provenance,
    /// The case as scored.
    pub case: CaseSummary,
    /// Ranked diseases, best first (the top N requested).
    pub diseases: Vec<DiseaseResult>,
    /// Ranked genes, best first (the top N requested).
    pub genes: Vec<GeneResult>,
    /// Variant filtering summary (variant analysis only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<FilterSummary>,
    /// Warnings of the analysis, for people: what Odyssey could not do or had to assume (no
    /// population frequency source, pedigree corrections, sex checks, unknown panel genes...).
    /// Empty when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Names of the diseases the report refers to, by id (`OMIM:...` -> name): every disease of
    /// every reported gene, including those outside the top N `diseases`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub disease_labels: std::collections::BTreeMap<String, String>,
}

/// Where a result came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Odyssey version.
    pub version: String,
    /// Knowledge base in use.
    pub knowledge_base: KnowledgeBaseInfo,
    /// `lr` (likelihood ratio) or `resnik`.
    pub method: String,
    /// Model parameters, as used.
    pub parameters: serde_json::Value,
    /// Input files with checksums.
    pub inputs: Vec<InputFile>,
    /// Annotation sources and gene models used (variant analysis).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceInfo>,
    /// The command line.
    pub command: Vec<String>,
    /// When the analysis ran (UTC, RFC 3339; `SOURCE_DATE_EPOCH` fixes it).
    pub created: String,
}

/// The knowledge base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeBaseInfo {
    /// HPO release date, e.g. `2025-01-16`.
    pub hpo_release: String,
    /// `phenotype.hpoa` release date.
    pub annotations_release: String,
    /// `embedded` or the path of the `.odkb` file.
    pub source: String,
    /// Checksum of the compiled knowledge base (xxh3-64, hex).
    pub checksum: String,
    /// The calibration of post-test probabilities the knowledge base records (and the
    /// analysis used); absent when it records none and the global defaults apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<KbCalibration>,
}

/// The calibration of the phenotype ranking's post-test probabilities recorded in a knowledge
/// base, as the knowledge base stores it (θ, κ, p_u, the gene-rank prior's ε and c, how they
/// were chosen; docs/phenotype-model.md, "Calibration", "Gene-rank prior").
pub type KbCalibration = odyssey_kb::ProbabilityCalibration;

/// An input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// `phenopacket`, `vcf`, `ped`, `sources`, ...
    pub role: String,
    /// Path as given.
    pub path: String,
    /// xxh3-64 of the bytes (hex), for a regular file that could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

/// An annotation source or gene model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Name (e.g. `gnomad_exomes`, `clinvar`, `gene models`).
    pub name: String,
    /// Role (frequency, clinvar, score, annotation).
    pub role: String,
    /// Version or release as known.
    pub version: String,
    /// Path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The case as Odyssey used it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// Subject id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<String>,
    /// `female`, `male` or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// ISO 8601 duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    /// Observed HPO terms used for scoring.
    pub observed: Vec<String>,
    /// Excluded HPO terms used for scoring.
    pub excluded: Vec<String>,
    /// Every scored term with its name.
    pub terms: Vec<TermRef>,
    /// Input terms not used, and why.
    pub ignored: Vec<IgnoredTerm>,
    /// Alternative or obsolete ids mapped to current terms.
    pub remapped: Vec<RemappedTerm>,
    /// Family members (variant analysis with a pedigree).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub family: Vec<FamilyMember>,
    /// The analysed family's id (variant analysis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<String>,
}

/// A term with its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRef {
    /// HPO id.
    pub id: String,
    /// Name.
    pub label: String,
    /// Observed (true) or excluded (false).
    pub observed: bool,
}

/// A term that was not used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredTerm {
    /// Id as given.
    pub id: String,
    /// Given as excluded.
    pub excluded: bool,
    /// Why.
    pub reason: String,
}

/// A mapped id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemappedTerm {
    /// Id as given.
    pub from: String,
    /// Current id used.
    pub to: String,
    /// `alternative id` or `obsolete, replaced`.
    pub how: String,
}

/// A gene reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneRef {
    /// HGNC symbol.
    pub symbol: String,
    /// `NCBIGene:...`.
    pub ncbi_gene_id: String,
}

/// A ranked disease.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiseaseResult {
    /// Pessimistic rank: ties share the worst rank of their group.
    pub rank: usize,
    /// Number of diseases sharing this score (1 = no tie).
    pub tie_size: usize,
    /// `OMIM:...`, `ORPHA:...` or `DECIPHER:...`.
    pub id: String,
    /// Other ids of the same disease by MONDO exact match (`MONDO:...`, then `OMIM:...`, then
    /// `ORPHA:...`); empty when none.
    #[serde(default)]
    pub equivalent_ids: Vec<String>,
    /// Name.
    pub label: String,
    /// LR model: log10 of the likelihood ratio; Resnik: similarity in nats.
    pub score: f64,
    /// LR model: post-test probability; absent for Resnik.
    pub post_test_probability: Option<f64>,
    /// Modes of inheritance (AD, AR, XD, XR, XL, MT, YL, other).
    pub modes_of_inheritance: Vec<String>,
    /// Associated genes.
    pub genes: Vec<GeneRef>,
    /// Term-by-term evidence (LR model; for the top diseases).
    pub evidence: Vec<TermEvidence>,
}

/// The evidence of one patient term for a disease.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermEvidence {
    /// The patient's term.
    pub term: String,
    /// Its name.
    pub label: String,
    /// Observed (true) or excluded (false).
    pub observed: bool,
    /// `exact`, `ancestor` (the disease is annotated to an ancestor of the patient's term),
    /// `descendant` (to a descendant), `partial` (they share an ancestor), `none`, or `not`
    /// (the disease is annotated NOT to the term or an ancestor).
    #[serde(rename = "match")]
    pub match_kind: String,
    /// The disease's term that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease_term: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease_term_label: Option<String>,
    /// Frequency of the feature in the disease (0..1), when used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<f64>,
    /// Likelihood ratio.
    pub lr: f64,
}

/// A ranked gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneResult {
    /// Pessimistic rank.
    pub rank: usize,
    /// Number of genes sharing this score.
    pub tie_size: usize,
    /// HGNC symbol.
    pub symbol: String,
    /// `NCBIGene:...`.
    pub ncbi_gene_id: String,
    /// LR model: log10 of the gene's likelihood ratio; Resnik: best disease similarity.
    pub score: f64,
    /// LR model: post-test probability.
    pub post_test_probability: Option<f64>,
    /// Its diseases, best first.
    pub diseases: Vec<String>,
    /// log10 phenotype LR (variant analysis: the phenotype part of `score`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phenotype_score: Option<f64>,
    /// log10 genotype LR (variant analysis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genotype_score: Option<f64>,
    /// Modes of inheritance compatible with the variants (variant analysis); the same as
    /// `genotype_fits`, kept for existing readers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes_of_inheritance: Vec<String>,
    /// Modes of inheritance of the gene's diseases (the union over `diseases`, in the order
    /// AD, AR, XD, XR, XL, MT, YL, other), from the knowledge base.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disease_modes: Vec<String>,
    /// Variant analysis: the modes of inheritance the family's genotypes fit (AD, AR, XD, XR,
    /// MT, YL), from the segregation checks; empty when no mode fits or no variant qualifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub genotype_fits: Vec<String>,
    /// Variant analysis: `variants` when the gene has variants that passed the filters,
    /// `phenotype_only` when it is ranked on the phenotype alone; absent without a VCF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Candidate variants (variant analysis), most pathogenic first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantResult>,
}

/// A variant of a candidate gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    /// Chromosome as in the input VCF.
    pub chrom: String,
    /// 1-based position (minimal representation).
    pub pos: u32,
    /// Reference allele.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Alternate allele.
    pub alt: String,
    /// HGNC symbol.
    pub gene: String,
    /// Transcript of the reported consequence and HGVS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// Most severe Sequence Ontology consequence in this gene.
    pub consequence: String,
    /// HGVS c. (or n.).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hgvs_c: Option<String>,
    /// HGVS p.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hgvs_p: Option<String>,
    /// Genotype of every family member in the VCF.
    pub genotypes: Vec<SampleGenotype>,
    /// Highest population allele frequency used for filtering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allele_frequency: Option<f64>,
    /// Source (and population) of that frequency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_source: Option<String>,
    /// ClinVar assertion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinvar: Option<ClinVarAssertion>,
    /// Pathogenicity predictions by name (REVEL, CADD_PHRED, AlphaMissense, SpliceAI).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub scores: std::collections::BTreeMap<String, f64>,
    /// Odyssey's variant pathogenicity score, 0..1.
    pub pathogenicity: f64,
    /// Modes of inheritance this variant fits in this family (AD, AR, XD, XR, MT, de novo, ...).
    pub modes_of_inheritance: Vec<String>,
    /// `PASS`, or why the variant was filtered out.
    pub filter: String,
    /// A structural variant or copy-number change (docs/structural-variants.md): the event
    /// and its evidence. For these, `alt` is the symbolic ALT (`<DEL>`), `hgvs_c` the event
    /// and its effect on the gene in words, `frequency_source` the matched population record
    /// with its reciprocal overlap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structural: Option<StructuralInfo>,
    /// Mitochondrial variants: the proband's heteroplasmy, the ALT read fraction (0..1) from
    /// AD; absent elsewhere or without AD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heteroplasmy: Option<f64>,
}

/// A structural event as reported with a candidate gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralInfo {
    /// `DEL`, `DUP`, `DUP:TANDEM`, `INV`, `INS`, `CNV`, `BND`.
    pub svtype: String,
    /// `loss`, `gain`, `inversion`, `insertion` or `breakend`.
    pub class: String,
    /// First affected base (1-based).
    pub start: u32,
    /// Last affected base.
    pub end: u32,
    /// Length in bp, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// `DEL 12:46125067-46230365 (105,299 bp)`.
    pub summary: String,
    /// The effect on this gene, e.g. `exons 3-5 of 12 deleted (412 coding bp, out of frame)`.
    pub effect: String,
    /// Copy number of each sample (same order as `genotypes`), when called.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy_numbers: Vec<Option<f32>>,
    /// The evidence found, one line each: population and ClinVar matches with their
    /// reciprocal overlap, ClinGen dosage of the gene and regions covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A genotype call of one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleGenotype {
    /// Sample id (VCF column).
    pub sample: String,
    /// The pedigree's id of this person when it differs from the sample id (a GA4GH Family
    /// mapping individuals to VCF samples through `individualToFileIdentifiers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual: Option<String>,
    /// `0/1`, `1|0`, `1/1`, `1` (hemizygous), `./.`.
    pub genotype: String,
    /// Genotype quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gq: Option<u32>,
    /// Read depth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<u32>,
    /// Allelic depths (ref, alt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ad: Vec<u32>,
}

impl SampleGenotype {
    /// How outputs name the person: `father (VCF: NA12891)` when the pedigree's id differs
    /// from the VCF sample id, else the sample id.
    pub fn label(&self) -> String {
        match &self.individual {
            Some(ind) if *ind != self.sample => format!("{ind} (VCF: {})", self.sample),
            _ => self.sample.clone(),
        }
    }
}

/// A ClinVar assertion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinVarAssertion {
    /// Clinical significance (CLNSIG), e.g. `Pathogenic`.
    pub significance: String,
    /// Review status as stars, 0..4.
    pub stars: u8,
    /// Variation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A member of the family analysed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyMember {
    /// Individual id.
    pub id: String,
    /// Sample id in the VCF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// `male`, `female`, or `unknown`.
    pub sex: String,
    /// Affected status: `affected`, `unaffected`, `unknown`.
    pub status: String,
    /// Father's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub father: Option<String>,
    /// Mother's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<String>,
    /// True for the proband.
    pub proband: bool,
}

/// Counts of variants removed per reason (variant analysis).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterSummary {
    /// VCF records read.
    pub records: u64,
    /// Variants (alleles after splitting multi-allelic records) considered.
    pub variants: u64,
    /// Variants that passed every filter.
    pub passed: u64,
    /// Removed, per reason (reason, count), largest first.
    pub removed: Vec<FilterCount>,
    /// Variants that were filtered out, with their reason (for the report's searchable list;
    /// may be truncated, see `removed` for the counts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filtered_variants: Vec<FilteredVariant>,
}

/// A filter reason and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterCount {
    /// Reason, e.g. `allele frequency above 0.001 (AD)`.
    pub reason: String,
    /// Variants removed for it.
    pub count: u64,
}

/// A removed variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilteredVariant {
    /// `chrom:pos:ref:alt`.
    pub variant: String,
    /// Gene, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gene: Option<String>,
    /// Why it was removed.
    pub reason: String,
}
