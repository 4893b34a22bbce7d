//! Variant analysis: the case's VCF (and family) analysed by `odyssey-variant`, combined with
//! the phenotype likelihood ratios into one ranking of genes and diseases.
//!
//! Combination (after LIRICAL, Robinson et al. AJHG 2020): each hypothesis is a pair
//! (disease D, gene G) of a disease with a known gene; its likelihood ratio is
//! LR_phenotype(D)^τ × LR_genotype(G | modes of D), where τ is the evidence weight of the
//! phenotype model and the genotype LR is `odyssey-variant`'s Poisson model for the
//! disease's modes of inheritance (all modes when the disease lists none). Every disease-gene
//! association has the same pretest probability (a disease with two genes, such as Pfeiffer
//! syndrome with FGFR1 and FGFR2, is two genetic entities, as LIRICAL treats them), and there
//! is a pretest probability `pretest_unknown` that the diagnosis is none of them. Then
//! P(D, G | data) = LR(D, G) / (Σ LR(D', G') + N p_u / (1 − p_u)), with N the number of
//! associations; a disease's probability is the sum over its genes and a gene's the sum over
//! its diseases, the same aggregation as the phenotype-only ranking. Diseases without a known
//! gene cannot be matched to variants and are not ranked here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use odyssey_genome::Assembly;
use odyssey_kb::{KnowledgeBase, ModeOfInheritance as KbMode};
use odyssey_pheno::phenopacket::CaseFile;
use odyssey_pheno::rank::rank_by_score;
use odyssey_pheno::{Case, Method, PhenotypeScorer, Scratch};
use odyssey_report::{
    AnalysisReport, ClinVarAssertion, FamilyMember, FilterCount, FilterSummary, FilteredVariant,
    GeneResult, SampleGenotype, SourceInfo, VariantResult,
};
use odyssey_variant::analysis::{AnalysisConfig, AnnotationChoice, GenotypeAnalysis, VariantCall};
use odyssey_variant::inheritance::ModeOfInheritance as VarMode;
use odyssey_variant::pedigree::{Affection, PedRecord, Pedigree, Sex as VarSex};

use crate::phenotype::{
    case_summary, case_warnings, disease_labels, disease_results_with, provenance,
};
use crate::{KbHandle, ReportOptions};

/// Errors of the variant analysis set-up.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    /// From `odyssey-variant` (VCF, PED, sources...), with file and line.
    #[error(transparent)]
    Variant(#[from] odyssey_variant::Error),
    /// From the annotator (gene models).
    #[error("gene models: {0}")]
    Annotate(#[from] odyssey_annotate::Error),
    /// Anything else, explained.
    #[error("{0}")]
    Setup(String),
}

/// Where the variant analysis takes its inputs.
#[derive(Clone, Debug, Default)]
pub struct VariantOptions {
    /// `--vcf`; otherwise the phenopacket's `files[]`.
    pub vcf: Option<PathBuf>,
    /// `--assembly`; otherwise the file's `genomeAssembly`, otherwise the VCF header.
    pub assembly: Option<Assembly>,
    /// `--proband`; otherwise the subject mapped through `individualToFileIdentifiers`.
    pub proband: Option<String>,
    /// `--ped`; otherwise a GA4GH Family's pedigree.
    pub ped: Option<PathBuf>,
    /// `--family`.
    pub family: Option<String>,
    /// `--sources` TOML.
    pub sources: Option<PathBuf>,
    /// Use CSQ/ANN/BCSQ from the VCF instead of Odyssey's annotator.
    pub vcf_annotations: bool,
    /// `--refdata`: compiled gene models (and sequence) replacing the embedded ones.
    pub refdata: Option<PathBuf>,
    /// `--explain CHROM:POS|GENE`.
    pub explain: Vec<String>,
    /// `--panel FILE` (one HGNC symbol per line).
    pub panel: Option<PathBuf>,
    /// `--regions FILE.bed`.
    pub regions: Option<PathBuf>,
}

fn sex_of(s: &str) -> VarSex {
    match s.to_ascii_uppercase().as_str() {
        "MALE" | "M" | "1" => VarSex::Male,
        "FEMALE" | "F" | "2" => VarSex::Female,
        _ => VarSex::Unknown,
    }
}

/// The VCF of a case file: the first `files[]` entry whose format is VCF or BCF (or whose
/// name ends in .vcf, .vcf.gz, .vcf.bgz or .bcf), resolved against the phenopacket's folder.
fn vcf_from_case(
    file: &CaseFile,
    base: &Path,
) -> Option<(PathBuf, Option<String>, Option<&'static str>)> {
    for f in file.files() {
        let fmt = f.format();
        let by_name = [".vcf", ".vcf.gz", ".vcf.bgz", ".bcf"]
            .iter()
            .any(|e| f.uri.to_ascii_lowercase().ends_with(e));
        if matches!(fmt.as_deref(), Some("VCF" | "BCF")) || (fmt.is_none() && by_name) {
            let path = f.local_path(base)?;
            let subject = file
                .proband()
                .subject
                .as_ref()
                .map(|s| s.id.as_str())
                .unwrap_or("");
            let sample = f.sample_for(subject).map(String::from);
            let asm = f
                .assembly()
                .and_then(|a| a.parse::<Assembly>().ok())
                .map(|a| match a {
                    Assembly::GRCh37 => "GRCh37",
                    Assembly::GRCh38 => "GRCh38",
                });
            return Some((path, sample, asm));
        }
    }
    None
}

/// The variant analysis configuration, and the individual id of each VCF sample when a GA4GH
/// Family maps them (`individualToFileIdentifiers`), for the report.
pub struct VariantSetup {
    /// Configuration for `odyssey_variant::analysis::analyze`.
    pub config: AnalysisConfig,
    /// VCF sample id -> individual id.
    pub individuals: std::collections::HashMap<String, String>,
}

/// Builds the `odyssey-variant` configuration from the options and, when given, the case
/// file (its `files[]`, subject and GA4GH Family pedigree).
///
/// Errors: no VCF given or listed; an unknown `genomeAssembly`; PED, sources, panel and BED
/// errors with file and line; gene models that cannot be loaded.
pub fn variant_config(
    opts: &VariantOptions,
    case_file: Option<(&CaseFile, &Path)>,
    case: &Case,
) -> Result<VariantSetup, VariantError> {
    let from_file =
        case_file.and_then(|(f, p)| vcf_from_case(f, p.parent().unwrap_or(Path::new("."))));
    if let Some((f, p)) = case_file {
        for file in f.files() {
            if let Some(a) = file.assembly() {
                if a.parse::<Assembly>().is_err() {
                    return Err(VariantError::Setup(format!(
                        "{}: genomeAssembly {a:?} is not GRCh37/hg19 or GRCh38/hg38",
                        p.display()
                    )));
                }
            }
        }
    }
    let vcf = match (&opts.vcf, &from_file) {
        (Some(v), _) => v.clone(),
        (None, Some((v, _, _))) => {
            if !v.exists() {
                let packet = case_file
                    .map(|(_, p)| p.display().to_string())
                    .unwrap_or_default();
                return Err(VariantError::Setup(format!(
                    "{packet}: its files[] lists the VCF {}, which does not exist (relative paths are resolved against the phenopacket's folder); give --vcf FILE, or --phenotype-only to rank from the phenotype alone",
                    v.display()
                )));
            }
            v.clone()
        }
        (None, None) => {
            return Err(VariantError::Setup(
                "no VCF: give --vcf FILE or list it in the phenopacket's files[]".into(),
            ))
        }
    };
    let assembly = opts.assembly.or_else(|| {
        from_file
            .as_ref()
            .and_then(|f| f.2)
            .and_then(|a| a.parse().ok())
    });
    let annotation = if opts.vcf_annotations {
        AnnotationChoice::Vcf(None)
    } else {
        // gene models of the assembly: the user's build, or the embedded defaults
        let asm = match assembly {
            Some(a) => a,
            None => odyssey_variant::input::sniff_assembly(&vcf)?.ok_or_else(|| VariantError::Setup(format!(
                "{}: cannot tell the genome assembly from the header's ##contig lengths; give --assembly GRCh37|GRCh38", vcf.display())))?,
        };
        let annotator = match &opts.refdata {
            Some(p) => odyssey_annotate::Annotator::from_path(p)?,
            None => odyssey_annotate::Annotator::embedded(asm)?,
        };
        if annotator.assembly() != asm {
            return Err(VariantError::Setup(format!(
                "gene models are {} but the analysis is on {asm}",
                annotator.assembly()
            )));
        }
        AnnotationChoice::Annotator(Arc::new(annotator))
    };
    let mut cfg = AnalysisConfig::new(vcf, annotation);
    let mut individuals = std::collections::HashMap::new();
    cfg.assembly = assembly;
    cfg.proband = opts
        .proband
        .clone()
        .or_else(|| from_file.as_ref().and_then(|f| f.1.clone()));
    // the subject must be the analysed proband (checked by the analysis)
    cfg.subject = from_file
        .as_ref()
        .and_then(|f| f.1.clone())
        .or_else(|| case.subject_id.clone());
    cfg.proband_sex = case.sex.map(|s| match s {
        odyssey_kb::Sex::Male => VarSex::Male,
        odyssey_kb::Sex::Female => VarSex::Female,
    });
    if let Some(ped) = &opts.ped {
        cfg.pedigree = Some(Pedigree::from_ped_file(ped)?);
    } else if let Some((CaseFile::Family(fam), path)) = case_file {
        if let Some(p) = &fam.pedigree {
            // individual ids -> sample ids through the family's file mapping when present
            let sample = |id: &str| -> String {
                fam.files
                    .iter()
                    .chain(&fam.hts_files)
                    .find_map(|f| f.sample_for(id))
                    .unwrap_or(id)
                    .to_string()
            };
            let parent =
                |id: &str| -> Option<String> { (!id.is_empty() && id != "0").then(|| sample(id)) };
            for x in &p.persons {
                let s = sample(&x.individual_id);
                if s != x.individual_id {
                    individuals.insert(s, x.individual_id.clone());
                }
            }
            let records: Vec<PedRecord> = p
                .persons
                .iter()
                .map(|x| PedRecord {
                    family: if x.family_id.is_empty() {
                        fam.id.clone()
                    } else {
                        x.family_id.clone()
                    },
                    id: sample(&x.individual_id),
                    father: parent(&x.paternal_id),
                    mother: parent(&x.maternal_id),
                    sex: sex_of(&x.sex),
                    affection: match x.affected_status.to_ascii_uppercase().as_str() {
                        "AFFECTED" => Affection::Affected,
                        "UNAFFECTED" => Affection::Unaffected,
                        _ => Affection::Unknown,
                    },
                })
                .collect();
            if !records.is_empty() {
                cfg.pedigree = Some(Pedigree::from_records(
                    records,
                    &format!("{} (pedigree)", path.display()),
                )?);
            }
            if cfg.proband.is_none() {
                let subject = fam
                    .proband
                    .subject
                    .as_ref()
                    .map(|s| s.id.clone())
                    .unwrap_or_default();
                if !subject.is_empty() {
                    cfg.proband = Some(sample(&subject));
                }
            }
        }
    }
    cfg.family = opts.family.clone();
    if let Some(s) = &opts.sources {
        let (asm, sources) = odyssey_variant::sources::read_sources_toml(s)?;
        if let (Some(a), Some(b)) = (asm, cfg.assembly) {
            if a != b {
                return Err(VariantError::Setup(format!(
                    "{}: the sources are {a} but the analysis is on {b}",
                    s.display()
                )));
            }
        }
        cfg.sources = sources;
    }
    for q in &opts.explain {
        cfg.explain.push(q.parse()?);
    }
    if let Some(p) = &opts.panel {
        cfg.filters.gene_panel = Some(odyssey_variant::filter::read_gene_panel(p)?);
    }
    if let Some(p) = &opts.regions {
        cfg.filters.regions = Some(odyssey_variant::filter::Regions::from_bed(p)?);
    }
    Ok(VariantSetup {
        config: cfg,
        individuals,
    })
}

/// The variant modes a knowledge-base disease allows (all when it lists none or only modes
/// genotypes cannot test).
fn modes_of(kb: &KnowledgeBase, d: odyssey_kb::DiseaseIdx) -> Vec<VarMode> {
    let mut out = Vec::new();
    for m in kb.modes_of_inheritance(d) {
        match m {
            KbMode::AutosomalDominant => out.push(VarMode::AutosomalDominant),
            KbMode::AutosomalRecessive => out.push(VarMode::AutosomalRecessive),
            KbMode::XLinkedDominant => out.push(VarMode::XLinkedDominant),
            KbMode::XLinkedRecessive => out.push(VarMode::XLinkedRecessive),
            KbMode::XLinked => out.extend([VarMode::XLinkedRecessive, VarMode::XLinkedDominant]),
            KbMode::Mitochondrial => out.push(VarMode::Mitochondrial),
            KbMode::YLinked => out.push(VarMode::YLinked),
            KbMode::Other => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

fn variant_result(v: &VariantCall) -> VariantResult {
    VariantResult {
        chrom: v.chrom.clone(),
        pos: v.pos,
        reference: v.reference.clone(),
        alt: v.alt.clone(),
        gene: v.gene.clone(),
        transcript: v.transcript.clone(),
        consequence: v.consequence.as_str().to_string(),
        hgvs_c: v.hgvs_c.clone(),
        hgvs_p: v.hgvs_p.clone(),
        genotypes: v
            .genotypes
            .iter()
            .map(|g| SampleGenotype {
                sample: g.sample.clone(),
                genotype: g.gt.clone(),
                gq: g.gq.map(|q| q.round() as u32),
                dp: g.dp,
                ad: g.ad.map(|a| a.to_vec()).unwrap_or_default(),
            })
            .collect(),
        allele_frequency: v.af.map(f64::from),
        frequency_source: v.af_source.clone(),
        clinvar: v.clinvar.as_ref().map(|c| ClinVarAssertion {
            significance: format!("{:?}", c.significance),
            stars: c.stars,
            id: None,
        }),
        scores: v
            .scores
            .iter()
            .map(|(k, x)| (k.clone(), f64::from(*x)))
            .collect(),
        pathogenicity: f64::from(v.score.score),
        modes_of_inheritance: v
            .compatible_modes
            .iter()
            .map(|p| p.label().to_string())
            .collect(),
        filter: v.filter_status.clone(),
    }
}

/// A disease-gene hypothesis of the combined ranking.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Position of the disease in the phenotype index.
    pub pos: usize,
    /// Gene (knowledge-base index).
    pub gene: u32,
    /// Combined natural-log LR: τ × phenotype + genotype.
    pub ln_lr: f64,
    /// Natural-log genotype LR.
    pub ln_geno: f64,
}

/// The combined ranking of a case (see the module docs).
#[derive(Clone, Debug)]
pub struct CombinedRanking {
    /// Every disease-gene hypothesis.
    pub pairs: Vec<Pair>,
    /// (disease position, pessimistic rank, tie size), best first.
    pub diseases: Vec<(usize, usize, usize)>,
    /// (gene, pessimistic rank, tie size), best first.
    pub genes: Vec<(u32, usize, usize)>,
    /// Per disease position: Σ exp(ln LR − scale) over its genes.
    pub disease_sum: std::collections::BTreeMap<usize, f64>,
    /// Per gene: (Σ exp(ln LR − scale) over its diseases, index of its best pair).
    pub gene_sum: std::collections::BTreeMap<u32, (f64, usize)>,
    /// The scale (max ln LR, at least 0) the sums are relative to.
    pub scale: f64,
    /// Post-test denominator in the same scale (includes the unknown-diagnosis mass).
    pub denominator: f64,
}

/// Combines per-disease phenotype scores (natural-log LRs in `scorer.index()` order, e.g.
/// from `PhenotypeScorer::scores` or after leave-publication-out) with the genotype analysis.
/// With a gene panel, only the panel's genes are ranked.
pub fn combined_ranking(
    k: &KnowledgeBase,
    scorer: &PhenotypeScorer,
    pheno: &[f64],
    g: &GenotypeAnalysis,
) -> CombinedRanking {
    let tau = scorer.options().evidence_weight;
    let p_unknown = scorer.options().pretest_unknown;
    let mut pairs = Vec::new();
    for (pos, &d) in scorer.index().diseases().iter().enumerate() {
        let genes = &k.disease(d).genes;
        if genes.is_empty() || !pheno[pos].is_finite() {
            continue;
        }
        let modes = modes_of(k, d);
        for &gi in genes {
            // a gene panel restricts the candidates, not only the variants
            if let Some(panel) = &g.filter_config.gene_panel {
                if !panel.contains(&k.gene(gi).symbol) {
                    continue;
                }
            }
            let geno = g.best_genotype_lr(&k.gene(gi).symbol, &modes);
            let ln_geno = geno.lr.max(1e-300).ln();
            pairs.push(Pair {
                pos,
                gene: gi,
                ln_lr: tau * pheno[pos] + ln_geno,
                ln_geno,
            });
        }
    }
    let n_pairs = pairs.len() as f64;
    let max = pairs.iter().map(|p| p.ln_lr).fold(0.0f64, f64::max);
    let unknown = if p_unknown > 0.0 {
        n_pairs * p_unknown / (1.0 - p_unknown)
    } else {
        0.0
    };
    let denominator: f64 =
        pairs.iter().map(|p| (p.ln_lr - max).exp()).sum::<f64>() + unknown * (-max).exp();
    let mut disease_sum: std::collections::BTreeMap<usize, f64> = Default::default();
    let mut gene_sum: std::collections::BTreeMap<u32, (f64, usize)> = Default::default();
    for (i, p) in pairs.iter().enumerate() {
        let x = (p.ln_lr - max).exp();
        *disease_sum.entry(p.pos).or_default() += x;
        let e = gene_sum.entry(p.gene).or_insert((0.0, i));
        e.0 += x;
        if p.ln_lr > pairs[e.1].ln_lr {
            e.1 = i;
        }
    }
    // rank on log10 scores (as reported), ties within the shared tolerance
    let ln10 = std::f64::consts::LN_10;
    let to_log10 = |x: f64| (x.ln() + max) / ln10;
    let dis_items: Vec<(usize, f64)> = disease_sum
        .iter()
        .map(|(&pos, &x)| (pos, to_log10(x)))
        .collect();
    let gene_items: Vec<(u32, f64)> = gene_sum
        .iter()
        .map(|(&gi, &(x, _))| (gi, to_log10(x)))
        .collect();
    CombinedRanking {
        diseases: rank_by_score(&dis_items),
        genes: rank_by_score(&gene_items),
        pairs,
        disease_sum,
        gene_sum,
        scale: max,
        denominator,
    }
}

/// Ranks genes and diseases from phenotype and genotype together (see the module docs) and
/// builds the report, including the variants, the family and the filter summary.
pub fn combined_report(
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    case: &Case,
    g: &GenotypeAnalysis,
    individuals: &std::collections::HashMap<String, String>,
    opts: &ReportOptions,
) -> AnalysisReport {
    let k = &kb.kb;
    let tau = scorer.options().evidence_weight;
    let mut pheno = Vec::new();
    scorer.scores_with(
        case,
        Method::LikelihoodRatio,
        &mut Scratch::default(),
        &mut pheno,
    );
    let cr = combined_ranking(k, scorer, &pheno, g);
    let (pairs, ranked_d, ranked_g, by_disease, by_gene, denom) = (
        &cr.pairs,
        &cr.diseases,
        &cr.genes,
        &cr.disease_sum,
        &cr.gene_sum,
        cr.denominator,
    );
    let ln10 = std::f64::consts::LN_10;
    let max = cr.scale;
    let to_log10 = |x: f64| (x.ln() + max) / ln10;

    let diseases = disease_results_with(
        scorer,
        case,
        ranked_d.iter().take(opts.top).map(|&(pos, rank, tie)| {
            let x = by_disease[&pos];
            (
                scorer.index().diseases()[pos],
                rank,
                tie,
                to_log10(x),
                Some(x / denom),
            )
        }),
    );
    let mut disease_rank = std::collections::HashMap::new();
    for (i, &(pos, _, _)) in ranked_d.iter().enumerate() {
        disease_rank.insert(scorer.index().diseases()[pos], i);
    }
    let genes: Vec<GeneResult> = ranked_g
        .iter()
        .take(opts.top)
        .map(|&(gi, rank, tie)| {
            let (x, best) = by_gene[&gi];
            let best = &pairs[best];
            let gene = k.gene(gi);
            let mut ds: Vec<_> = gene
                .diseases
                .iter()
                .filter_map(|d| disease_rank.get(d).map(|&r| (r, *d)))
                .collect();
            ds.sort_unstable();
            let evidence = g.gene(&gene.symbol);
            GeneResult {
                rank,
                tie_size: tie,
                symbol: gene.symbol.clone(),
                ncbi_gene_id: gene.id.to_string(),
                score: to_log10(x),
                post_test_probability: Some(x / denom),
                diseases: ds
                    .into_iter()
                    .map(|(_, d)| k.disease(d).id.to_string())
                    .collect(),
                phenotype_score: Some(tau * pheno[best.pos] / ln10),
                genotype_score: Some(best.ln_geno / ln10),
                modes_of_inheritance: evidence
                    .map(|e| {
                        e.modes_of_inheritance
                            .iter()
                            .filter(|m| m.compatible)
                            .map(|m| m.mode.short().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                variants: evidence
                    .map(|e| e.variants.iter().map(variant_result).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();

    let mut prov = provenance(kb, scorer, Method::LikelihoodRatio, opts);
    if let Some(obj) = prov.parameters.as_object_mut() {
        obj.insert(
            "assembly".into(),
            serde_json::Value::String(g.assembly.to_string()),
        );
        obj.insert(
            "filters".into(),
            serde_json::to_value(&g.filter_config).unwrap_or_default(),
        );
        obj.insert(
            "genotype_scoring".into(),
            serde_json::to_value(&g.scoring).unwrap_or_default(),
        );
    }
    prov.sources = std::iter::once(SourceInfo {
        name: "gene annotation".into(),
        role: "annotation".into(),
        version: g.annotation.clone(),
        path: None,
    })
    .chain(g.sources.iter().map(|s| SourceInfo {
        name: s.name.clone(),
        role: format!("{:?}", s.role).to_lowercase(),
        version: s.access.clone(),
        path: s.paths.first().map(|p| p.display().to_string()),
    }))
    .collect();
    let mut summary = case_summary(k, case);
    summary.family_id = Some(g.family_id.clone());
    summary.family = g
        .family
        .iter()
        .map(|m| {
            let ind = |s: &String| individuals.get(s).cloned().unwrap_or_else(|| s.clone());
            FamilyMember {
                id: ind(&m.id),
                sample: m.sequenced.then(|| m.id.clone()),
                sex: format!("{:?}", m.sex).to_lowercase(),
                status: format!("{:?}", m.affection).to_lowercase(),
                father: m.father.as_ref().map(ind),
                mother: m.mother.as_ref().map(ind),
                proband: m.proband,
            }
        })
        .collect();
    let mut removed: Vec<FilterCount> = g
        .filters
        .removed
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(r, &n)| FilterCount {
            reason: r.to_string(),
            count: n,
        })
        .collect();
    removed.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    let filters = FilterSummary {
        records: g.filters.records,
        variants: g.filters.alleles,
        passed: g.filters.passed,
        removed,
        filtered_variants: g
            .removed
            .iter()
            .map(|r| FilteredVariant {
                variant: r.variant.clone(),
                gene: (!r.genes.is_empty()).then(|| r.genes.join(",")),
                reason: if r.detail.is_empty() {
                    r.reason.to_string()
                } else {
                    format!("{}: {}", r.reason, r.detail)
                },
            })
            .collect(),
    };
    let mut warnings = case_warnings(case);
    if let Some(panel) = &g.filter_config.gene_panel {
        let unknown: Vec<&str> = panel
            .iter()
            .filter(|s| k.gene_by_symbol(s).is_none())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            warnings.push(format!(
                "gene panel symbols not linked to any disease in the knowledge base (check the spelling; they cannot be ranked): {}",
                unknown.join(", ")
            ));
        }
    }
    warnings.extend(g.warnings.iter().cloned());
    let disease_labels = disease_labels(k, &genes);
    AnalysisReport {
        odyssey: prov,
        case: summary,
        diseases,
        genes,
        filters: Some(filters),
        warnings,
        disease_labels,
    }
}
