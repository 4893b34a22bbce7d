//! The genotype analysis: one pass over the VCF, filters with reasons, annotation sources,
//! segregation per gene and mode, and the genotype likelihood ratios.
//!
//! * [`AnalysisConfig`] and [`analyze`]: this module;
//! * the result types ([`GenotypeAnalysis`], [`GeneGenotypeEvidence`], [`VariantCall`],
//!   [`ModeEvidence`]...): `report`;
//! * grouping by gene, pattern checks and likelihood ratios: `genes`.

mod genes;
mod report;

pub use report::{
    ExplainEntry, ExplainReason, GeneGenotypeEvidence, RemovedVariant, GenotypeAnalysis, GenotypeLr, MemberGenotype, MemberReport,
    ModeEvidence, VariantCall,
};

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use noodles::vcf;
use odyssey_genome::{Assembly, Chrom, VariantKey};

use crate::annotation::{worst_per_gene, GeneAnnotator, GeneConsequence, VcfAnnotationKind, VcfAnnotations};
use crate::error::{Error, Location, Result};
use crate::filter::{ExplainQuery, FilterConfig, FilterReason, FilterSummary};
use crate::genotype::{FormatIndex, Genotype, SampleCall};
use crate::inheritance::{chrom_class, ChromClass};
use crate::input::{resolve_assembly, VcfReader};
use crate::pedigree::{Family, Pedigree, Sex};
use crate::score::ScoringConfig;
use crate::sources::{ResolvedSource, SourceAnnotations, SourceSet};

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
}

enum Annotator {
    Vcf(VcfAnnotations),
    External(Arc<dyn GeneAnnotator>),
}

impl Annotator {
    fn genes(&mut self, rv: &RecordView, alt_index: usize, key: &VariantKey) -> Vec<GeneConsequence> {
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

fn is_supported_alt(a: &str) -> bool {
    !(a == "*" || a == "." || a.starts_with('<') || a.contains('[') || a.contains(']'))
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
}

impl Ctx<'_> {
    /// Evaluates the filters of one allele; stops at the first failure unless `all`.
    fn evaluate(
        &mut self,
        rv: &RecordView,
        alt_index: usize,
        key: &VariantKey,
        calls: &[SampleCall],
        pre_genes: Option<Vec<GeneConsequence>>,
        all: bool,
    ) -> Result<Evaluation> {
        let f = &self.cfg.filters;
        let mut ev = Evaluation { reasons: Vec::new(), genes: Vec::new(), ann: None, proband: None };
        macro_rules! fail {
            ($r:expr, $($d:tt)*) => {{
                ev.reasons.push(ExplainReason { reason: $r, detail: format!($($d)*) });
                if !all { return Ok(ev); }
            }};
        }
        let pcall = &calls[self.proband];
        if pcall.alt_copies(alt_index) == 0 {
            fail!(FilterReason::NotInProband, "proband GT {}", if pcall.gt.is_empty() { "." } else { &pcall.gt });
        }
        if f.require_pass && !(rv.filter == "PASS" || rv.filter == "." || rv.filter.is_empty()) {
            fail!(FilterReason::FailedFilter, "FILTER {}", rv.filter);
        }
        if let Some(q) = rv.qual {
            if q < f.min_qual {
                fail!(FilterReason::LowQual, "QUAL {q} < {}", f.min_qual);
            }
        }
        let pg = pcall.for_allele(alt_index);
        if pg.carries() {
            if let Some(gq) = pg.gq {
                if gq < f.min_gq {
                    fail!(FilterReason::LowGenotypeQuality, "proband GQ {gq} < {}", f.min_gq);
                }
            }
            if let Some(dp) = pg.dp {
                if dp < f.min_dp {
                    fail!(FilterReason::LowDepth, "proband DP {dp} < {}", f.min_dp);
                }
            }
            if let Some(ab) = pg.allele_balance() {
                let (lo, hi) = f.het_allele_balance;
                let hom = pg.is_hom_alt() || pg.ploidy == 1;
                if hom && ab < f.hom_alt_min_allele_balance {
                    fail!(FilterReason::AlleleBalance, "homozygous call with ALT fraction {ab:.2} < {}", f.hom_alt_min_allele_balance);
                } else if !hom && pg.is_het() && pg.other_alt == 0 && !(lo..=hi).contains(&ab) {
                    fail!(FilterReason::AlleleBalance, "heterozygous call with ALT fraction {ab:.2} outside {lo}-{hi}");
                }
            }
        }
        ev.proband = Some(pg);
        if let Some(regions) = &f.regions {
            if !regions.overlaps(key.chrom, key.pos, key.end()) {
                fail!(FilterReason::OutsideRegions, "{}:{}-{} outside the BED regions", key.chrom, key.pos, key.end());
            }
        }
        let mut genes = match pre_genes {
            Some(g) => g,
            None => self.annotator.genes(rv, alt_index, key),
        };
        if genes.is_empty() {
            fail!(FilterReason::NoGene, "no gene annotation");
        }
        if let Some(panel) = &f.gene_panel {
            let before: Vec<String> = genes.iter().map(|g| g.gene_symbol.clone()).collect();
            genes.retain(|g| panel.contains(&g.gene_symbol));
            if genes.is_empty() && !before.is_empty() {
                fail!(FilterReason::NotInPanel, "genes {} not in the panel", before.join(","));
            }
        }
        let ann = if self.sources.is_empty() { SourceAnnotations::default() } else { self.sources.annotate(key)? };
        let highest = f.max_af.highest();
        if let Some(af) = ann.max_af {
            if af > highest {
                fail!(FilterReason::Frequency, "AF {af} ({}) > {highest}", ann.af_source.as_deref().unwrap_or("?"));
            }
        }
        if let Some(af) = ann.local_af {
            if af > highest {
                fail!(FilterReason::LocalFrequency, "in-house AF {af} > {highest}");
            }
        }
        let rescue = ann.clinvar.as_ref().is_some_and(|c| c.significance.is_pathogenic_or_likely() && c.stars >= f.clinvar_rescue_min_stars)
            || ann.score(crate::sources::ScoreKind::Spliceai).is_some_and(|s| s >= f.splice_rescue);
        if !rescue && !genes.is_empty() {
            let removed: Vec<String> = genes
                .iter()
                .filter(|g| f.remove_consequences.contains(&g.consequence))
                .map(|g| format!("{}:{}", g.gene_symbol, g.consequence))
                .collect();
            genes.retain(|g| !f.remove_consequences.contains(&g.consequence));
            if genes.is_empty() {
                fail!(FilterReason::Consequence, "{}", removed.join(","));
            }
        }
        if let (Some(min), Some(cv)) = (f.clinvar_benign_min_stars, &ann.clinvar) {
            if cv.significance.is_benign_or_likely() && cv.stars >= min {
                fail!(FilterReason::ClinvarBenign, "ClinVar {:?} ({}★)", cv.significance, cv.stars);
            }
        }
        ev.genes = genes;
        ev.ann = Some(ann);
        Ok(ev)
    }
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

    // family
    let samples = reader.sample_names().to_vec();
    if samples.is_empty() {
        return Err(Error::Sample { path: path.clone(), message: "the VCF has no sample columns (no genotypes)".into() });
    }
    let mut family: Family = match &cfg.pedigree {
        Some(ped) => {
            let mut fam = ped.family(cfg.family.as_deref(), cfg.proband.as_deref())?;
            if let Some(s) = cfg.proband_sex {
                let p = fam.proband;
                match fam.members[p].sex {
                    Sex::Unknown => fam.members[p].sex = s,
                    ps if ps != s && s != Sex::Unknown => {
                        return Err(Error::Pedigree {
                            source_name: ped.source().to_string(),
                            message: format!("proband {:?} is {ps:?} in the pedigree but {s:?} in the phenopacket", fam.members[p].id),
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
            Pedigree::singleton(&id, cfg.proband_sex.unwrap_or(Sex::Unknown)).family(None, Some(&id))?
        }
    };
    family.match_samples(&samples, &path)?;
    warnings.extend(family.warnings.iter().cloned());
    if family.proband().sex == Sex::Unknown {
        warnings.push(format!(
            "proband {:?} has unknown sex: X-linked patterns assume female unless a call is haploid",
            family.proband().id
        ));
    }

    let annotator = match &cfg.annotation {
        AnnotationChoice::Vcf(kind) => Annotator::Vcf(
            VcfAnnotations::from_header(reader.header(), *kind)
                .map_err(|m| Error::parse(&path, Location::File, format!("{m}; annotate the VCF or use Odyssey's annotator")))?,
        ),
        AnnotationChoice::Annotator(a) => Annotator::External(a.clone()),
    };
    let annotation_desc = match &annotator {
        Annotator::Vcf(p) => p.describe(),
        Annotator::External(a) => a.describe(),
    };
    let sources = SourceSet::open(&cfg.sources, assembly)?;
    let mut ctx = Ctx { cfg, sources, annotator, proband: family.proband };

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
    let explain_pos: Vec<(Chrom, u32)> = cfg
        .explain
        .iter()
        .filter_map(|q| match q {
            ExplainQuery::Position { chrom, pos } => Some((*chrom, *pos)),
            _ => None,
        })
        .collect();
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
    let unsequenced_call = SampleCall { unsupported: true, ..SampleCall::default() };

    while reader.read(&mut rec)? {
        let location = reader.location();
        summary.records += 1;
        let alts_raw = rec.alternate_bases();
        let alts_str: &str = alts_raw.as_ref();
        alts_buf.clear();
        if alts_str != "." && !alts_str.is_empty() {
            alts_buf.extend(alts_str.split(',').map(str::to_string));
        }
        let n_alts = alts_buf.len();
        summary.alleles += n_alts as u64;
        let vcf_chrom = rec.reference_sequence_name();
        let Some(chrom) = reader.chrom(vcf_chrom) else {
            *summary.removed.get_mut(&FilterReason::NonPrimaryContig).unwrap() += n_alts as u64;
            continue;
        };
        if n_alts == 0 {
            continue;
        }
        let pos = match rec.variant_start() {
            Some(Ok(p)) => usize::from(p) as u32,
            Some(Err(e)) => return Err(Error::parse(&path, location, format!("invalid POS: {e}"))),
            None => {
                *summary.removed.get_mut(&FilterReason::UnsupportedAllele).unwrap() += n_alts as u64;
                continue;
            }
        };
        if pos > assembly.length(chrom) {
            return Err(Error::AssemblyMismatch {
                path: path.clone(),
                message: format!(
                    "{location}: position {vcf_chrom}:{pos} is beyond the end of chromosome {chrom} in {assembly} ({} bp)",
                    assembly.length(chrom)
                ),
            });
        }
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
                calls[m].parse(&fmt, s.as_ref()).map_err(|msg| {
                    Error::parse(&path, location, format!("sample {}: {msg}", samples[i]))
                })?;
            }
        }
        if seen_cols <= max_col {
            return Err(Error::parse(
                &path,
                location,
                format!("the record has {seen_cols} sample columns but the header names {}", samples.len()),
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
            Some(Err(e)) => return Err(Error::parse(&path, location, format!("invalid QUAL: {e}"))),
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
        };
        let pos_explained = explain_pos.iter().any(|&(c, p)| c == chrom && p == pos);
        for a in 1..=n_alts {
            let alt = alts[a - 1];
            let vcf_record = || format!("{}:{}:{}:{}", rv.vcf_chrom, pos, rv.reference, alt);
            let key = if is_supported_alt(alt) { VariantKey::new(chrom, pos, rv.reference, alt).ok() } else { None };
            let Some(key) = key else {
                *summary.removed.get_mut(&FilterReason::UnsupportedAllele).unwrap() += 1;
                if pos_explained {
                    explain.push(ExplainEntry {
                        query: format!("{chrom}:{pos}"),
                        variant: vcf_record(),
                        vcf_location: location.to_string(),
                        genes: vec![],
                        outcome: "removed".into(),
                        reasons: vec![ExplainReason {
                            reason: FilterReason::UnsupportedAllele,
                            detail: format!("ALT {alt:?} is symbolic, a breakend, a spanning deletion or not A/C/G/T/N"),
                        }],
                        notes: vec![],
                    });
                }
                continue;
            };
            // explained by gene: annotate first
            let mut pre_genes = None;
            let mut gene_query = None;
            if !explain_genes.is_empty() {
                let g = ctx.annotator.genes(&rv, a, &key);
                gene_query = g.iter().find(|x| explain_genes.contains(&x.gene_symbol)).map(|x| x.gene_symbol.clone());
                pre_genes = Some(g);
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
                    outcome: if ev.reasons.is_empty() { "passed".into() } else { "removed".into() },
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
            summary.passed += 1;
            let genotypes: Vec<Genotype> = (0..n)
                .map(|m| if cols[m].is_some() { calls[m].for_allele(a) } else { Genotype::no_call() })
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

    let genes = genes::build_genes(&family, cfg, &candidates);
    // notes for explained passed alleles
    for e in &mut explain {
        if e.outcome != "passed" {
            continue;
        }
        for g in &genes {
            if let Some(v) = g.variants.iter().find(|v| format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alt) == e.variant) {
                let modes: Vec<&str> = v.compatible_modes.iter().map(|p| p.label()).collect();
                e.notes.push(format!(
                    "{}: fits {}; gene best mode {} with genotype LR {:.3}",
                    g.symbol,
                    if modes.is_empty() { "no pattern".to_string() } else { modes.join(", ") },
                    g.best_mode.map_or("-", |m| m.short()),
                    g.best_lr
                ));
                for why in &v.incompatible_modes {
                    e.notes.push(format!("{}: {why}", g.symbol));
                }
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
    })
}

