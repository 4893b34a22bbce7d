//! The genotype analysis: one pass over the VCF, filters with reasons, annotation sources,
//! segregation per gene and mode, and the genotype likelihood ratios.
//!
//! * [`AnalysisConfig`] and [`analyze`]: this module;
//! * the result types ([`GenotypeAnalysis`], [`GeneGenotypeEvidence`], [`VariantCall`],
//!   [`ModeEvidence`]...): `report`;
//! * grouping by gene, pattern checks and likelihood ratios: `genes`.

mod filters;
mod genes;
mod report;

pub use report::{
    ExplainEntry, ExplainReason, GeneGenotypeEvidence, GenotypeAnalysis, GenotypeLr,
    MemberGenotype, MemberReport, ModeEvidence, RemovedVariant, VariantCall,
};

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use noodles::vcf;
use odyssey_genome::{Assembly, Chrom, VariantKey};

use crate::annotation::{
    worst_per_gene, GeneAnnotator, GeneConsequence, VcfAnnotationKind, VcfAnnotations,
};
use crate::error::{Error, Location, Result};
use crate::filter::{ExplainQuery, FilterConfig, FilterReason, FilterSummary};
use crate::genotype::{FormatIndex, Genotype, SampleCall};
use crate::inheritance::{chrom_class, ChromClass};
use crate::input::{resolve_assembly, VcfReader, HG19_CHRM_LENGTH};
use crate::pedigree::{Family, Pedigree, Sex};
use crate::score::ScoringConfig;
use crate::sources::{ResolvedSource, Role, SourceAnnotations, SourceSet};

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
            annotation,
            sources: Vec::new(),
            filters: FilterConfig::default(),
            scoring: ScoringConfig::default(),
            explain: Vec::new(),
            threads: 2,
            keep_removed: 10_000,
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

enum Annotator {
    Vcf(VcfAnnotations),
    External(Arc<dyn GeneAnnotator>),
}

impl Annotator {
    fn genes(
        &mut self,
        rv: &RecordView,
        alt_index: usize,
        key: &VariantKey,
    ) -> Vec<GeneConsequence> {
        let effects = match self {
            Annotator::Vcf(p) => p.effects(rv.info, rv.reference, rv.alts, alt_index),
            Annotator::External(a) => a.annotate(key),
        };
        worst_per_gene(&effects)
    }
}

struct SexCheck {
    het: u64,
    hom: u64,
}

/// A sequence ALT (not `*`, `.`, symbolic `<...>` or a breakend, including single
/// breakends `.A`/`A.`); [`crate::input::check_alt`] has already rejected anything else.
fn is_supported_alt(a: &str) -> bool {
    !(a == "*"
        || a.starts_with('.')
        || a.ends_with('.')
        || a.starts_with('<')
        || a.contains('[')
        || a.contains(']'))
}

/// Records on contigs that are not primary chromosomes, by contig in first-seen order:
/// (name, records, first location).
#[derive(Default)]
struct SkippedContigs(Vec<(String, u64, Location)>);

impl SkippedContigs {
    fn add(&mut self, name: &str, location: Location) {
        match self.0.iter_mut().find(|(n, _, _)| n == name) {
            Some(e) => e.1 += 1,
            None => self.0.push((name.to_string(), 1, location)),
        }
    }

    /// The warning, `None` when nothing was skipped. Names that PLINK uses for X, Y, XY and
    /// MT (23-26) get a renaming hint.
    fn warning(&self, path: &std::path::Path, assembly: Assembly) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let total: u64 = self.0.iter().map(|e| e.1).sum();
        let shown: Vec<String> = self
            .0
            .iter()
            .take(8)
            .map(|(n, k, l)| {
                if *k == 1 {
                    format!("{n} ({l})")
                } else {
                    format!("{n} ({k} records, first at {l})")
                }
            })
            .collect();
        let plink = self.0.iter().any(|(n, _, _)| {
            let bare = n.strip_prefix("chr").unwrap_or(n);
            matches!(bare, "23" | "24" | "25" | "26")
        });
        Some(format!(
            "{}: {total} record(s) on contigs outside the primary {assembly} assembly (1-22, X, Y, MT) were skipped: {}{}{}",
            path.display(),
            shown.join(", "),
            if self.0.len() > 8 { format!(", ... ({} contigs)", self.0.len()) } else { String::new() },
            if plink {
                "; PLINK numbers X, Y, XY and MT as 23, 24, 25 and 26: rename these contigs (e.g. bcftools annotate --rename-chrs) to analyse them"
            } else {
                ""
            }
        ))
    }
}

struct Evaluation {
    reasons: Vec<ExplainReason>,
    genes: Vec<GeneConsequence>,
    ann: Option<SourceAnnotations>,
    proband: Option<Genotype>,
}

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
}

/// How many proband calls that reached the GQ/DP/allele-balance filters lacked each field
/// (those filters were not applied to them).
#[derive(Default)]
struct MissingQuality {
    checked: u64,
    gq: u64,
    dp: u64,
    ad: u64,
}

impl MissingQuality {
    fn count(&mut self, g: &Genotype) {
        self.checked += 1;
        self.gq += u64::from(g.gq.is_none());
        self.dp += u64::from(g.dp.is_none());
        self.ad += u64::from(g.ad_alt.is_none());
    }

    /// One warning naming the missing fields and the filters skipped, `None` when none.
    fn warning(&self, path: &std::path::Path) -> Option<String> {
        let parts: Vec<String> = [
            (self.gq, "GQ", "the GQ filter"),
            (self.dp, "DP", "the DP filter"),
            (self.ad, "AD", "the allele-balance filter"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, k, f)| format!("{k} missing in {n} ({f} was not applied to them)"))
        .collect();
        if parts.is_empty() {
            return None;
        }
        Some(format!(
            "{}: of {} proband call(s) that reached the call-quality filters, {}",
            path.display(),
            self.checked,
            parts.join("; ")
        ))
    }
}

/// A `--explain CHROM:POS` query and what the pass saw around it.
struct PositionQuery {
    chrom: Chrom,
    pos: u32,
    /// A record with ALT alleles starts at the position.
    matched: bool,
    /// A reference-only record (ALT `.`) starts at the position.
    ref_only: Option<Location>,
    /// Nearest record before and after on the chromosome (position, location).
    before: Option<(u32, Location)>,
    after: Option<(u32, Location)>,
}

/// Alleles of an `--explain GENE` query that the proband does not carry, summarised.
#[derive(Default)]
struct NotCarried {
    count: u64,
    /// Proband GT strings and their counts.
    gts: BTreeMap<String, u64>,
    first: Option<Location>,
    last: Option<Location>,
}

/// An `--explain` entry for a query that matched no allele (outcome `not found`).
fn not_found(query: String, notes: Vec<String>) -> ExplainEntry {
    ExplainEntry {
        query,
        variant: "-".into(),
        vcf_location: "-".into(),
        genes: vec![],
        outcome: "not found".into(),
        reasons: vec![],
        notes,
    }
}

/// Warnings about the filter outcome: regions or a gene panel that leave no variant, no
/// allele passing at all, no population frequency source, a frequency source that matched
/// nothing.
fn filter_warnings(cfg: &AnalysisConfig, ctx: &Ctx, summary: &FilterSummary) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(r) = &cfg.filters.regions {
        if ctx.region_checked > 0 && ctx.region_passed == 0 {
            w.push(format!(
                "--regions: none of the {} allele(s) that reached the region filter overlaps the {} BED interval(s): every variant was removed (check the BED's assembly and chromosomes)",
                ctx.region_checked,
                r.len()
            ));
        }
    }
    if let Some(panel) = &cfg.filters.gene_panel {
        if ctx.panel_checked > 0 && ctx.panel_passed == 0 {
            let shown: Vec<&str> = panel.iter().take(10).map(String::as_str).collect();
            w.push(format!(
                "--panel: none of the {} annotated allele(s) that reached the panel filter is in a panel gene ({}{}): every variant was removed (check the HGNC symbols)",
                ctx.panel_checked,
                shown.join(", "),
                if panel.len() > 10 { format!(", ... {} genes", panel.len()) } else { String::new() }
            ));
        }
    }
    if summary.passed == 0 {
        let mut reasons: Vec<(FilterReason, u64)> = summary
            .removed
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| (*r, *n))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let shown: Vec<String> = reasons
            .iter()
            .take(4)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        w.push(format!(
            "no variant passed the filters ({} record(s), {} allele(s){}): the genotype evidence is empty",
            summary.records,
            summary.alleles,
            if shown.is_empty() { String::new() } else { format!("; removed: {}", shown.join(", ")) }
        ));
    }
    if !cfg.sources.iter().any(|s| s.role == Role::Frequency) {
        w.push(
            "no population frequency source (--sources): common variants are not removed and genotype evidence is weak; configure gnomAD, see docs/sources.md"
                .into(),
        );
    }
    for p in ctx.sources.provenance() {
        if matches!(p.role, Role::Frequency | Role::LocalFrequency) && p.lookups > 0 && p.hits == 0
        {
            w.push(format!(
                "frequency source {:?} matched none of the {} variant(s) looked up: likely the wrong assembly, chromosome naming or file ({})",
                p.name,
                p.lookups,
                p.paths.iter().map(|x| x.display().to_string()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    w
}

/// The phenopacket subject must be the analysed proband when the subject is one of the VCF's
/// samples or one of the pedigree's members (of any family): otherwise the phenotype of one
/// person would be combined with the genotypes of another.
fn check_subject(
    cfg: &AnalysisConfig,
    family: &Family,
    samples: &[String],
    path: &std::path::Path,
) -> Result<()> {
    let Some(subject) = cfg.subject.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let proband = &family.proband().id;
    if subject == proband {
        return Ok(());
    }
    let in_vcf = samples.iter().any(|s| s == subject);
    let in_ped = cfg
        .pedigree
        .as_ref()
        .and_then(|p| p.records().iter().find(|r| r.id == subject))
        .map(|r| r.family.clone());
    if !in_vcf && in_ped.is_none() {
        return Ok(());
    }
    let where_ = match (&in_ped, in_vcf) {
        (Some(f), true) => format!("VCF sample and member of pedigree family {f}"),
        (Some(f), false) => format!("member of pedigree family {f}"),
        (None, _) => format!("sample of {}", path.display()),
    };
    Err(Error::Sample {
        path: path.to_path_buf(),
        message: format!(
            "the phenopacket subject {subject:?} ({where_}) is not the analysed proband {proband:?} (family {}): the phenotype and the genotypes would belong to different people; analyse the subject (drop --proband/--family or name the subject's family) or use the proband's phenopacket",
            family.id
        ),
    })
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

    // family
    let samples = reader.sample_names().to_vec();
    if samples.is_empty() {
        return Err(Error::Sample {
            path: path.clone(),
            message: "the VCF has no sample columns (no genotypes)".into(),
        });
    }
    let mut family: Family = match &cfg.pedigree {
        Some(ped) => {
            let mut fam = ped.family(cfg.family.as_deref(), cfg.proband.as_deref())?;
            if !fam.members.iter().any(|m| samples.contains(&m.id)) {
                let ids: Vec<&str> = fam.members.iter().map(|m| m.id.as_str()).collect();
                return Err(Error::Sample {
                    path: path.clone(),
                    message: format!(
                        "none of the {} member(s) of pedigree family {} ({}) is a sample of the VCF (samples: {}): the pedigree {} does not describe this VCF",
                        ids.len(),
                        fam.id,
                        ids.join(", "),
                        samples.iter().take(10).cloned().collect::<Vec<_>>().join(", "),
                        ped.source()
                    ),
                });
            }
            if let Some(s) = cfg.proband_sex {
                let p = fam.proband;
                match fam.members[p].sex {
                    Sex::Unknown => fam.members[p].sex = s,
                    ps if ps != s && s != Sex::Unknown => {
                        return Err(Error::Pedigree {
                            source_name: ped.source().to_string(),
                            message: format!(
                            "proband {:?} is {ps:?} in the pedigree but {s:?} in the phenopacket",
                            fam.members[p].id
                        ),
                        })
                    }
                    _ => {}
                }
            }
            fam
        }
        None => {
            let id = match &cfg.proband {
                Some(p) => p.clone(),
                None if samples.len() == 1 => samples[0].clone(),
                None => {
                    return Err(Error::Sample {
                        path: path.clone(),
                        message: format!(
                            "the VCF has {} samples ({}); name the proband (--proband) or give a pedigree",
                            samples.len(),
                            samples.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
                        ),
                    })
                }
            };
            Pedigree::singleton(&id, cfg.proband_sex.unwrap_or(Sex::Unknown))
                .family(None, Some(&id))?
        }
    };
    family.match_samples(&samples, &path)?;
    check_subject(cfg, &family, &samples, &path)?;
    warnings.extend(family.warnings.iter().cloned());
    if family.proband().sex == Sex::Unknown {
        warnings.push(format!(
            "proband {:?} has unknown sex: X-linked patterns assume female unless a call is haploid",
            family.proband().id
        ));
    }

    let annotator = match &cfg.annotation {
        AnnotationChoice::Vcf(kind) => Annotator::Vcf(
            VcfAnnotations::from_header(reader.header(), *kind).map_err(|m| {
                Error::parse(
                    &path,
                    Location::File,
                    format!("{m}; annotate the VCF or use Odyssey's annotator"),
                )
            })?,
        ),
        AnnotationChoice::Annotator(a) => Annotator::External(a.clone()),
    };
    let annotation_desc = match &annotator {
        Annotator::Vcf(p) => p.describe(),
        Annotator::External(a) => a.describe(),
    };
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
    };

    let n = family.members.len();
    let cols: Vec<Option<usize>> = family.members.iter().map(|m| m.sample).collect();
    let max_col = cols.iter().flatten().copied().max().unwrap_or(0);
    let mut col_to_member: Vec<Vec<usize>> = vec![Vec::new(); max_col + 1];
    for (m, c) in cols.iter().enumerate() {
        if let Some(c) = c {
            col_to_member[*c].push(m);
        }
    }
    let mut calls: Vec<SampleCall> = vec![SampleCall::default(); n];
    let mut fmt = FormatIndex::default();
    let mut summary = FilterSummary::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut explain: Vec<ExplainEntry> = Vec::new();
    let mut removed: Vec<RemovedVariant> = Vec::new();
    let mut removed_truncated = false;
    let mut explain_pos: Vec<PositionQuery> = cfg
        .explain
        .iter()
        .filter_map(|q| match q {
            ExplainQuery::Position { chrom, pos } => Some(PositionQuery {
                chrom: *chrom,
                pos: *pos,
                matched: false,
                ref_only: None,
                before: None,
                after: None,
            }),
            _ => None,
        })
        .collect();
    // gene queries: symbols seen in the annotation, differently-cased look-alikes, and the
    // alleles the proband does not carry (summarised in one entry per gene)
    let mut genes_seen: HashSet<String> = HashSet::new();
    let mut gene_case_hints: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut not_carried: BTreeMap<String, NotCarried> = BTreeMap::new();
    let mut identical_alt: (u64, Option<Location>) = (0, None);
    let mut skipped_contigs = SkippedContigs::default();
    // passing alleles by key (duplicate records are removed, never paired with themselves)
    let mut passed_keys: HashMap<VariantKey, Location> = HashMap::new();
    let mut duplicates: Vec<(Location, Location)> = Vec::new();
    let explain_genes: HashSet<String> = cfg
        .explain
        .iter()
        .filter_map(|q| match q {
            ExplainQuery::Gene(g) => Some(g.clone()),
            _ => None,
        })
        .collect();
    let mut sex_checks: Vec<SexCheck> = (0..n).map(|_| SexCheck { het: 0, hom: 0 }).collect();
    let mut rec = vcf::Record::default();
    let mut alts_buf: Vec<String> = Vec::new();
    let unsequenced_call = SampleCall {
        unsupported: true,
        ..SampleCall::default()
    };

    while reader.read(&mut rec)? {
        let location = reader.location();
        summary.records += 1;
        // POS is checked on every record, as written (no silent 32-bit wrap-around)
        let pos_opt = reader.position()?;
        let alts_raw = rec.alternate_bases();
        let alts_str: &str = alts_raw.as_ref();
        alts_buf.clear();
        if alts_str != "." && !alts_str.is_empty() {
            alts_buf.extend(alts_str.split(',').map(str::to_string));
        }
        let n_alts = alts_buf.len();
        summary.alleles += n_alts as u64;
        let vcf_chrom = rec.reference_sequence_name();
        let Some(chrom) = reader
            .chrom(vcf_chrom)
            .filter(|c| !(mt_not_rcrs && *c == Chrom::MT))
        else {
            *summary
                .removed
                .get_mut(&FilterReason::NonPrimaryContig)
                .unwrap() += n_alts as u64;
            skipped_contigs.add(vcf_chrom, location);
            continue;
        };
        if let Some(p) = pos_opt {
            if p > assembly.length(chrom) {
                return Err(Error::AssemblyMismatch {
                    path: path.clone(),
                    message: format!(
                        "{location}: position {vcf_chrom}:{} is beyond the end of chromosome {chrom} in {assembly} ({} bp)",
                        reader.raw_field(1),
                        assembly.length(chrom)
                    ),
                });
            }
            for q in explain_pos.iter_mut().filter(|q| q.chrom == chrom) {
                if p == q.pos {
                    if n_alts > 0 {
                        q.matched = true;
                    } else {
                        q.ref_only.get_or_insert(location);
                    }
                } else if p < q.pos {
                    if q.before.is_none_or(|b| p >= b.0) {
                        q.before = Some((p, location));
                    }
                } else if q.after.is_none_or(|a| p < a.0) {
                    q.after = Some((p, location));
                }
            }
        }
        if n_alts == 0 {
            continue;
        }
        let Some(pos) = pos_opt else {
            // POS 0 (telomere): no allele Odyssey can place
            *summary
                .removed
                .get_mut(&FilterReason::UnsupportedAllele)
                .unwrap() += n_alts as u64;
            for alt in &alts_buf {
                if removed.len() < cfg.keep_removed {
                    removed.push(RemovedVariant {
                        variant: format!("{vcf_chrom}:0:{}:{alt}", rec.reference_bases()),
                        vcf_location: location.to_string(),
                        genes: vec![],
                        reason: FilterReason::UnsupportedAllele,
                        detail: "POS 0 (telomere): no base to place the allele on".into(),
                    });
                } else {
                    removed_truncated = true;
                }
            }
            continue;
        };
        // genotypes of family members
        let samples_rec = rec.samples();
        fmt.update(samples_rec.keys().iter());
        let mut seen_cols = 0usize;
        for (i, s) in samples_rec.iter().enumerate() {
            if i > max_col {
                break;
            }
            seen_cols = i + 1;
            for &m in &col_to_member[i] {
                calls[m].parse(&fmt, s.as_ref(), n_alts).map_err(|msg| {
                    Error::parse(&path, location, format!("sample {}: {msg}", samples[i]))
                })?;
            }
        }
        if seen_cols <= max_col {
            return Err(Error::parse(
                &path,
                location,
                format!(
                    "the record has {seen_cols} sample columns but the header names {}",
                    samples.len()
                ),
            ));
        }
        for (m, c) in cols.iter().enumerate() {
            if c.is_none() {
                calls[m] = unsequenced_call.clone();
            }
        }
        let class = chrom_class(assembly, chrom, pos);
        let qual = match rec.quality_score() {
            None => None,
            Some(Ok(q)) => Some(q),
            Some(Err(e)) => {
                return Err(Error::parse(&path, location, format!("invalid QUAL: {e}")))
            }
        };
        if class == ChromClass::XNonPar {
            for (m, sc) in sex_checks.iter_mut().enumerate() {
                let c = &calls[m];
                if c.unsupported || c.ploidy != 2 || c.gq.is_some_and(|q| q < 20.0) {
                    continue;
                }
                let (a, b) = (c.alleles[0], c.alleles[1]);
                if a < 0 || b < 0 {
                    continue;
                }
                if a != b {
                    sc.het += 1;
                } else if a > 0 {
                    sc.hom += 1;
                }
            }
        }
        let filters_raw = rec.filters();
        let info_raw = rec.info();
        let alts: Vec<&str> = alts_buf.iter().map(String::as_str).collect();
        let rv = RecordView {
            vcf_chrom,
            reference: rec.reference_bases(),
            alts: &alts,
            qual,
            filter: filters_raw.as_ref(),
            info: info_raw.as_ref(),
            class,
        };
        let pos_explained = explain_pos.iter().any(|q| q.chrom == chrom && q.pos == pos);
        for a in 1..=n_alts {
            let alt = alts[a - 1];
            let vcf_record = || format!("{}:{}:{}:{}", rv.vcf_chrom, pos, rv.reference, alt);
            let key = if is_supported_alt(alt) {
                VariantKey::new(chrom, pos, rv.reference, alt).map_err(|e| match e {
                    odyssey_genome::AlleleError::Identical(_) => {
                        identical_alt.0 += 1;
                        identical_alt.1.get_or_insert(location);
                        format!(
                            "ALT {alt:?} equals REF {:?}: the record states no change",
                            rv.reference
                        )
                    }
                    e => e.to_string(),
                })
            } else {
                Err(format!(
                    "ALT {alt:?} is symbolic, a breakend or a spanning deletion"
                ))
            };
            let key = match key {
                Ok(k) => k,
                Err(detail) => {
                    *summary
                        .removed
                        .get_mut(&FilterReason::UnsupportedAllele)
                        .unwrap() += 1;
                    if pos_explained {
                        explain.push(ExplainEntry {
                            query: format!("{chrom}:{pos}"),
                            variant: vcf_record(),
                            vcf_location: location.to_string(),
                            genes: vec![],
                            outcome: "removed".into(),
                            reasons: vec![ExplainReason {
                                reason: FilterReason::UnsupportedAllele,
                                detail: detail.clone(),
                            }],
                            notes: vec![],
                        });
                    }
                    if removed.len() < cfg.keep_removed {
                        removed.push(RemovedVariant {
                            variant: vcf_record(),
                            vcf_location: location.to_string(),
                            genes: vec![],
                            reason: FilterReason::UnsupportedAllele,
                            detail,
                        });
                    } else {
                        removed_truncated = true;
                    }
                    continue;
                }
            };
            // explained by gene: annotate first
            let mut pre_genes = None;
            let mut gene_query = None;
            if !explain_genes.is_empty() {
                let g = ctx.annotator.genes(&rv, a, &key);
                for x in &g {
                    let sym = &x.gene_symbol;
                    if explain_genes.contains(sym) && !genes_seen.contains(sym) {
                        genes_seen.insert(sym.clone());
                    }
                    for q in explain_genes
                        .iter()
                        .filter(|q| *q != sym && q.eq_ignore_ascii_case(sym))
                    {
                        let h = gene_case_hints.entry(q.clone()).or_default();
                        if !h.contains(sym) {
                            h.insert(sym.clone());
                        }
                    }
                }
                gene_query = g
                    .iter()
                    .find(|x| explain_genes.contains(&x.gene_symbol))
                    .map(|x| x.gene_symbol.clone());
                pre_genes = Some(g);
            }
            // alleles of an explained gene that the proband does not carry: one count entry
            if !pos_explained {
                if let Some(gq) = &gene_query {
                    let pcall = &calls[ctx.proband];
                    if pcall.alt_copies(a) == 0 {
                        let nc = not_carried.entry(gq.clone()).or_default();
                        nc.count += 1;
                        let gt = if pcall.gt.is_empty() {
                            "."
                        } else {
                            pcall.gt.as_str()
                        };
                        match nc.gts.get_mut(gt) {
                            Some(c) => *c += 1,
                            None => {
                                nc.gts.insert(gt.to_string(), 1);
                            }
                        }
                        nc.first.get_or_insert(location);
                        nc.last = Some(location);
                        gene_query = None;
                    }
                }
            }
            let explained = pos_explained || gene_query.is_some();
            let all_genes_for_explain = pre_genes.clone();
            let ev = ctx.evaluate(&rv, a, &key, &calls, pre_genes, explained)?;
            if explained {
                let genes_shown: Vec<String> = all_genes_for_explain
                    .unwrap_or_else(|| ev.genes.clone())
                    .iter()
                    .map(|g| format!("{}:{}", g.gene_symbol, g.consequence))
                    .collect();
                explain.push(ExplainEntry {
                    query: gene_query.unwrap_or_else(|| format!("{chrom}:{pos}")),
                    variant: key.to_string(),
                    vcf_location: location.to_string(),
                    genes: genes_shown,
                    outcome: if ev.reasons.is_empty() {
                        "passed".into()
                    } else {
                        "removed".into()
                    },
                    reasons: ev.reasons.clone(),
                    notes: vec![],
                });
            }
            if let Some(r) = ev.reasons.first() {
                *summary.removed.get_mut(&r.reason).unwrap() += 1;
                if removed.len() < cfg.keep_removed {
                    removed.push(RemovedVariant {
                        variant: key.to_string(),
                        vcf_location: location.to_string(),
                        genes: ev.genes.iter().map(|g| g.gene_symbol.clone()).collect(),
                        reason: r.reason,
                        detail: r.detail.clone(),
                    });
                } else {
                    removed_truncated = true;
                }
                continue;
            }
            if let Some(first) = passed_keys.get(&key) {
                let detail = format!("the same allele as the record at {first}");
                duplicates.push((location, *first));
                *summary
                    .removed
                    .get_mut(&FilterReason::DuplicateRecord)
                    .unwrap() += 1;
                if removed.len() < cfg.keep_removed {
                    removed.push(RemovedVariant {
                        variant: key.to_string(),
                        vcf_location: location.to_string(),
                        genes: ev.genes.iter().map(|g| g.gene_symbol.clone()).collect(),
                        reason: FilterReason::DuplicateRecord,
                        detail,
                    });
                } else {
                    removed_truncated = true;
                }
                continue;
            }
            passed_keys.insert(key.clone(), location);
            summary.passed += 1;
            let genotypes: Vec<Genotype> = (0..n)
                .map(|m| {
                    if cols[m].is_some() {
                        calls[m].for_allele(a)
                    } else {
                        Genotype::no_call()
                    }
                })
                .collect();
            candidates.push(Candidate {
                key,
                vcf_record: vcf_record(),
                location,
                qual,
                filter: rv.filter.to_string(),
                genes: ev.genes,
                ann: ev.ann.unwrap_or_default(),
                genotypes,
                class,
            });
        }
    }

    warnings.extend(reader.warnings().iter().cloned());
    warnings.extend(skipped_contigs.warning(&path, assembly));
    // sex checks
    for (m, sc) in sex_checks.iter().enumerate() {
        let mem = &family.members[m];
        if mem.sample.is_none() {
            continue;
        }
        let total = sc.het + sc.hom;
        if mem.sex == Sex::Male && sc.het >= 10 && sc.het as f64 > 0.2 * total as f64 {
            warnings.push(format!(
                "{:?} is recorded as male but {} of {} non-reference chrX calls outside the PARs are heterozygous (check the sex or sample identity)",
                mem.id, sc.het, total
            ));
        }
        if mem.sex == Sex::Female && sc.het == 0 && sc.hom >= 20 {
            warnings.push(format!(
                "{:?} is recorded as female but has no heterozygous chrX calls outside the PARs ({} homozygous): check the sex or sample identity",
                mem.id, sc.hom
            ));
        }
    }
    if let Annotator::Vcf(p) = &ctx.annotator {
        if !p.unknown_terms().is_empty() {
            warnings.push(format!(
                "consequence terms not in the Sequence Ontology set were read as sequence_variant: {}",
                p.unknown_terms().iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }

    if identical_alt.0 > 0 {
        warnings.push(format!(
            "{}: {} allele(s) have an ALT identical to REF (first at {}): not variants; counted under {}",
            path.display(),
            identical_alt.0,
            identical_alt.1.map_or_else(|| "?".to_string(), |l| l.to_string()),
            FilterReason::UnsupportedAllele
        ));
    }
    warnings.extend(ctx.quality.warning(&path));
    if let Some((dup, first)) = duplicates.first() {
        warnings.push(format!(
            "{}: {} record(s) repeat an allele already read (first: {dup} repeats {first}); each duplicate was removed ({}) and the first record kept",
            path.display(),
            duplicates.len(),
            FilterReason::DuplicateRecord
        ));
    }
    warnings.extend(filter_warnings(cfg, &ctx, &summary));
    let genes = genes::build_genes(&family, cfg, &candidates);
    // notes for explained passed alleles
    for e in &mut explain {
        if e.outcome != "passed" {
            continue;
        }
        for g in &genes {
            if let Some(v) = g
                .variants
                .iter()
                .find(|v| format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alt) == e.variant)
            {
                let modes: Vec<&str> = v.compatible_modes.iter().map(|p| p.label()).collect();
                e.notes.push(format!(
                    "{}: fits {}; gene best mode {} with genotype LR {:.3}",
                    g.symbol,
                    if modes.is_empty() {
                        "no pattern".to_string()
                    } else {
                        modes.join(", ")
                    },
                    g.best_mode.map_or("-", |m| m.short()),
                    g.best_lr
                ));
                for why in &v.incompatible_modes {
                    e.notes.push(format!("{}: {why}", g.symbol));
                }
            }
        }
    }
    // gene queries: proband-not-carried alleles summarised, then queries that matched nothing
    for (gene, nc) in &not_carried {
        let mut gts: Vec<(&String, &u64)> = nc.gts.iter().collect();
        gts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = gts
            .iter()
            .take(6)
            .map(|(g, c)| format!("{g} ×{c}"))
            .collect();
        let (first, last) = (nc.first.expect("counted"), nc.last.expect("counted"));
        explain.push(ExplainEntry {
            query: gene.clone(),
            variant: format!("{} allele(s) not carried by the proband", nc.count),
            vcf_location: if first == last { first.to_string() } else { format!("{first} to {last}") },
            genes: vec![gene.clone()],
            outcome: "removed".into(),
            reasons: vec![ExplainReason {
                reason: FilterReason::NotInProband,
                detail: format!("proband GT {}{}", shown.join(", "), if gts.len() > 6 { ", ..." } else { "" }),
            }],
            notes: vec![format!(
                "{} allele(s) annotated to {gene} that the proband does not carry are summarised in this entry; explain one with --explain CHROM:POS",
                nc.count
            )],
        });
    }
    for q in &cfg.explain {
        match q {
            ExplainQuery::Gene(gene) => {
                if genes_seen.contains(gene) {
                    continue;
                }
                let mut notes = vec![match &ctx.annotator {
                    Annotator::External(a) => match a.knows_gene(gene) {
                        Some(true) => format!(
                            "{gene} is in the gene models ({}) but no allele of the VCF was annotated to it: the VCF has no variant in or near the gene",
                            a.describe()
                        ),
                        Some(false) => format!(
                            "{gene} is not a gene symbol of the gene models ({}): check the spelling (HGNC symbols, case-sensitive) and the assembly",
                            a.describe()
                        ),
                        None => format!(
                            "no allele of the VCF was annotated to {gene} ({}): the symbol is misspelt (HGNC symbols are case-sensitive), or the VCF has no variant in the gene",
                            a.describe()
                        ),
                    },
                    Annotator::Vcf(p) => format!(
                        "{gene} does not occur in the VCF's annotation ({}): the symbol is misspelt (HGNC symbols are case-sensitive), or the VCF has no variant in the gene",
                        p.describe()
                    ),
                }];
                if let Some(h) = gene_case_hints.get(gene) {
                    notes.push(format!(
                        "the annotation has {} (differently cased)",
                        h.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
                explain.push(not_found(gene.clone(), notes));
            }
            ExplainQuery::Position { chrom, pos } => {
                let Some(pq) = explain_pos
                    .iter()
                    .find(|x| x.chrom == *chrom && x.pos == *pos)
                else {
                    continue;
                };
                if pq.matched {
                    continue;
                }
                let mut notes = Vec::new();
                if let Some(l) = pq.ref_only {
                    notes.push(format!("the record at {chrom}:{pos} ({l}) has no ALT allele (ALT '.'): nothing to analyse"));
                } else {
                    notes.push(format!(
                        "no VCF record starts at {chrom}:{pos} (a deletion or other allele that starts before it is listed under its own POS)"
                    ));
                }
                match (pq.before, pq.after) {
                    (None, None) => {
                        notes.push(format!("the VCF has no record on chromosome {chrom}"))
                    }
                    (b, a) => {
                        let near: Vec<String> = [("before", b), ("after", a)]
                            .into_iter()
                            .filter_map(|(w, x)| x.map(|(p, l)| format!("{w}: {chrom}:{p} ({l})")))
                            .collect();
                        notes.push(format!("nearest records {}", near.join("; ")));
                    }
                }
                explain.push(not_found(format!("{chrom}:{pos}"), notes));
            }
        }
    }
    let proband_sex = family.proband().sex;
    let members = family
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| MemberReport {
            id: m.id.clone(),
            sex: m.sex,
            affection: m.affection,
            father: m.father.map(|f| family.members[f].id.clone()),
            mother: m.mother.map(|f| family.members[f].id.clone()),
            sequenced: m.sample.is_some(),
            proband: i == family.proband,
        })
        .collect();
    Ok(GenotypeAnalysis {
        vcf: path,
        vcf_format: reader.format(),
        assembly,
        proband: family.proband().id.clone(),
        proband_sex,
        family_id: family.id.clone(),
        family_structure: family.structure(),
        family: members,
        annotation: annotation_desc,
        sources: ctx.sources.provenance(),
        filters: summary,
        filter_config: cfg.filters.clone(),
        scoring: cfg.scoring.clone(),
        genes,
        explain,
        removed,
        removed_truncated,
        warnings,
        gene_index: Default::default(),
    })
}
