//! Variant analysis: the case's VCF (and family) analysed by `odyssey-variant`, combined with
//! the phenotype likelihood ratios into one ranking of genes and diseases.
//!
//! Combination (after LIRICAL, Robinson et al. AJHG 2020): each hypothesis is a pair
//! (disease D, gene G) of a disease with a known gene; its likelihood ratio is
//! LR_phenotype(D)^τ × LR_genotype(G | modes of D), where τ is the evidence weight of the
//! phenotype model and the genotype LR is `odyssey-variant`'s Poisson model for the
//! disease's modes of inheritance (all modes when the disease lists none). Every disease-gene
//! association has the same pretest probability (a disease with two genes, such as Pfeiffer
//! syndrome with FGFR1 and FGFR2, is two genetic entities, as LIRICAL treats them). Genes are
//! ranked by S_G = Σ_D LR(D, G) over their diseases, diseases by S_D = Σ_G LR(D, G). Post-test
//! probabilities are temperature-scaled at the level reported (Guo et al., ICML 2017): with
//! T = θ_c n^-κ_c the case's temperature (`combined_temperature`, `combined_term_decay`, n the
//! observed terms) and a pretest probability `pretest_unknown` p_u that the diagnosis is none
//! of them, P(G | data) = S_G^T / (Σ_G' S_G'^T + N p_u / (1 − p_u)), N the number of ranked
//! genes (diseases alike), so the probabilities keep the ranking's order; the parameters were
//! fitted on the spiked benchmark (docs/variant-analysis.md). Diseases without a known
//! gene cannot be matched to variants and are not ranked here.

mod combined;
mod pedigree;
pub mod spiked;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use odyssey_genome::Assembly;
use odyssey_pheno::phenopacket::CaseFile;
use odyssey_pheno::Case;
use odyssey_variant::analysis::{AnalysisConfig, AnnotationChoice};
use odyssey_variant::pedigree::{Pedigree, Sex as VarSex};

pub use combined::{combined_ranking, combined_report, CombinedRanking, Pair};

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
    /// Never follow the case document's `files[]` (an uploaded document: its paths are not
    /// the sender's to name); its pedigree is still used.
    pub ignore_listed_files: bool,
    /// Refuse a listed VCF whose relative path leaves the document's folder (`../`); without
    /// it such a VCF is analysed with a warning in the report.
    pub strict_file_uris: bool,
}

/// A VCF listed in a case file's `files[]`.
struct ListedVcf {
    /// The `uri` as written.
    uri: String,
    /// Resolved against the case file's folder; `None` for a URI that is not a local file
    /// (`https://`, `s3://`, ...), which Odyssey does not fetch.
    path: Option<PathBuf>,
    /// A relative path that climbs out of the case file's folder (`../x.vcf`).
    leaves_folder: bool,
    /// The proband's sample, through `individualToFileIdentifiers`.
    sample: Option<String>,
    /// The file's `genomeAssembly`, normalised.
    assembly: Option<&'static str>,
}

/// True when the relative path `p` climbs above the folder it is resolved against (more
/// `..` than folders before them at some point: `../x`, `a/../../x`). Lexical: symbolic
/// links inside the folder are not followed. Absolute paths are not relative: false.
fn leaves_folder(p: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0i64;
    for c in p.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    false
}

/// The path part of a local `files[].uri` as written (`file://` or `file:` removed); `None`
/// for another scheme.
fn uri_path(uri: &str) -> Option<&str> {
    let u = uri.trim();
    if let Some(rest) = u.strip_prefix("file://") {
        Some(rest)
    } else if u.contains("://") {
        None
    } else {
        Some(u.strip_prefix("file:").unwrap_or(u))
    }
}

/// The VCF of a case file: the first `files[]` entry whose format is VCF or BCF (or whose
/// name ends in .vcf, .vcf.gz, .vcf.bgz or .bcf), resolved against the phenopacket's folder.
fn vcf_from_case(file: &CaseFile, base: &Path) -> Option<ListedVcf> {
    for f in file.files() {
        let fmt = f.format();
        let by_name = [".vcf", ".vcf.gz", ".vcf.bgz", ".bcf"]
            .iter()
            .any(|e| f.uri.to_ascii_lowercase().ends_with(e));
        if matches!(fmt.as_deref(), Some("VCF" | "BCF")) || (fmt.is_none() && by_name) {
            let path = f.local_path(base);
            let leaves_folder = uri_path(&f.uri).is_some_and(|p| leaves_folder(Path::new(p)));
            let subject = file
                .proband()
                .subject
                .as_ref()
                .map(|s| s.id.as_str())
                .unwrap_or("");
            let sample = f.sample_for(subject).map(String::from);
            let assembly = f
                .assembly()
                .and_then(|a| a.parse::<Assembly>().ok())
                .map(|a| match a {
                    Assembly::GRCh37 => "GRCh37",
                    Assembly::GRCh38 => "GRCh38",
                });
            return Some(ListedVcf {
                uri: f.uri.clone(),
                path,
                leaves_folder,
                sample,
                assembly,
            });
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
    /// Warnings for every report of the analysis (a listed VCF outside the document's folder).
    pub warnings: Vec<String>,
}

/// Builds the `odyssey-variant` configuration from the options and, when given, the case
/// file (its `files[]`, subject and GA4GH Family pedigree), in steps: the VCF (given or
/// listed) → its assembly and the annotation → proband and pedigree → sources → explain
/// queries, gene panel and regions.
///
/// Errors: no VCF given or listed; an unknown `genomeAssembly`; PED, sources, panel and BED
/// errors with file and line; gene models that cannot be loaded.
pub fn variant_config(
    opts: &VariantOptions,
    case_file: Option<(&CaseFile, &Path)>,
    case: &Case,
) -> Result<VariantSetup, VariantError> {
    let listed = case_file.filter(|_| !opts.ignore_listed_files);
    let from_file = listed_vcf(listed)?;
    let (vcf, warnings) = choose_vcf(opts, from_file.as_ref(), case_file)?;
    let assembly = opts.assembly.or_else(|| {
        from_file
            .as_ref()
            .and_then(|f| f.assembly)
            .and_then(|a| a.parse().ok())
    });
    let annotation = annotation_choice(opts, assembly, &vcf)?;
    let mut cfg = AnalysisConfig::new(vcf, annotation);
    cfg.assembly = assembly;
    cfg.proband = opts
        .proband
        .clone()
        .or_else(|| from_file.as_ref().and_then(|f| f.sample.clone()));
    // the subject must be the analysed proband (checked by the analysis)
    cfg.subject = from_file
        .as_ref()
        .and_then(|f| f.sample.clone())
        .or_else(|| case.subject_id.clone());
    cfg.proband_sex = case.sex.map(|s| match s {
        odyssey_kb::Sex::Male => VarSex::Male,
        odyssey_kb::Sex::Female => VarSex::Female,
    });
    let mut individuals = std::collections::HashMap::new();
    if let Some(ped) = &opts.ped {
        cfg.pedigree = Some(Pedigree::from_ped_file(ped)?);
    } else if let Some((CaseFile::Family(fam), path)) = case_file {
        let family = pedigree::family_pedigree(fam, path)?;
        cfg.pedigree = family.pedigree;
        individuals = family.individuals;
        cfg.proband = cfg.proband.or(family.proband);
    }
    cfg.individuals = individuals.clone();
    cfg.family = opts.family.clone();
    if let Some(s) = &opts.sources {
        cfg.sources = read_sources(s, cfg.assembly)?;
        cfg.structural = odyssey_variant::structural::sources::read_structural_toml(s)?;
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
        warnings,
    })
}

/// The knowledge base's gene symbols (NCBI Gene id, symbol of each gene) with the embedded
/// alias table, for [`AnalysisConfig::gene_symbols`]: the annotation's gene symbols are then
/// normalised to the knowledge base's (see `odyssey_variant::annotation::GeneSymbols`).
///
/// Errors: the embedded alias table cannot be read (a build defect).
pub fn gene_symbols(
    kb: &odyssey_kb::KnowledgeBase,
) -> Result<odyssey_variant::annotation::GeneSymbols, VariantError> {
    odyssey_variant::annotation::GeneSymbols::embedded(
        kb.genes().iter().map(|g| (g.id.0, g.symbol.as_str())),
    )
    .map_err(VariantError::Setup)
}

/// Gene-panel symbols as the knowledge base names the genes: a previous symbol or alias of
/// one knowledge-base gene becomes its current symbol (`LARGE` → `LARGE1`); the others stay.
pub fn panel_current_symbols(
    panel: &std::collections::BTreeSet<String>,
    symbols: &odyssey_variant::annotation::GeneSymbols,
) -> std::collections::BTreeSet<String> {
    panel
        .iter()
        .map(|s| {
            symbols
                .resolve(s, None, None)
                .renamed()
                .unwrap_or(s)
                .to_string()
        })
        .collect()
}

/// The VCF a case file lists, after checking every `files[]` assembly is one Odyssey knows.
fn listed_vcf(case_file: Option<(&CaseFile, &Path)>) -> Result<Option<ListedVcf>, VariantError> {
    let Some((f, p)) = case_file else {
        return Ok(None);
    };
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
    Ok(vcf_from_case(f, p.parent().unwrap_or(Path::new("."))))
}

/// The VCF to analyse: the one given, else the one listed, and the warnings it brings.
///
/// Errors, naming the case file and the `uri`: a listed URI that is not a local file (not
/// fetched); a listed VCF that does not exist; a relative path leaving the case file's folder
/// with [`VariantOptions::strict_file_uris`] (without it: a warning).
fn choose_vcf(
    opts: &VariantOptions,
    from_file: Option<&ListedVcf>,
    case_file: Option<(&CaseFile, &Path)>,
) -> Result<(PathBuf, Vec<String>), VariantError> {
    let packet = || {
        case_file
            .map(|(_, p)| p.display().to_string())
            .unwrap_or_default()
    };
    let listed = match (&opts.vcf, from_file) {
        (Some(v), _) => return Ok((v.clone(), Vec::new())),
        (None, Some(listed)) => listed,
        (None, None) => {
            return Err(VariantError::Setup(
                "no VCF: give --vcf FILE or list it in the phenopacket's files[]".into(),
            ))
        }
    };
    let Some(v) = &listed.path else {
        return Err(VariantError::Setup(format!(
            "{}: its files[] lists the VCF {:?}, which is not a local file: Odyssey does not fetch remote files (http, https, ftp, s3, ...); download it and give --vcf FILE, or --phenotype-only to rank from the phenotype alone",
            packet(),
            listed.uri
        )));
    };
    let mut warnings = Vec::new();
    if listed.leaves_folder {
        let folder = case_file
            .and_then(|(_, p)| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if opts.strict_file_uris {
            return Err(VariantError::Setup(format!(
                "{}: its files[] lists the VCF {:?}, which leaves the phenopacket's folder {} (--strict-file-uris refuses such paths): move the VCF beside the phenopacket, or give --vcf FILE",
                packet(),
                listed.uri,
                folder.display()
            )));
        }
        warnings.push(format!(
            "{}: the VCF listed in files[] ({:?}) is outside the phenopacket's folder {}: {} was analysed; check it is the intended file (--strict-file-uris refuses such paths)",
            packet(),
            listed.uri,
            folder.display(),
            v.display()
        ));
    }
    if !v.exists() {
        return Err(VariantError::Setup(format!(
            "{}: its files[] lists the VCF {}, which does not exist (relative paths are resolved against the phenopacket's folder); give --vcf FILE, or --phenotype-only to rank from the phenotype alone",
            packet(),
            v.display()
        )));
    }
    Ok((v.clone(), warnings))
}

/// Consequences from the VCF's own fields, or from gene models of the analysis' assembly
/// (the user's `--refdata`, or the embedded ones); the assembly is sniffed from the VCF's
/// `##contig` lengths when not known.
fn annotation_choice(
    opts: &VariantOptions,
    assembly: Option<Assembly>,
    vcf: &Path,
) -> Result<AnnotationChoice, VariantError> {
    if opts.vcf_annotations {
        return Ok(AnnotationChoice::Vcf(None));
    }
    let asm = match assembly {
        Some(a) => a,
        None => odyssey_variant::input::sniff_assembly(vcf)?.ok_or_else(|| VariantError::Setup(format!(
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
    Ok(AnnotationChoice::Annotator(Arc::new(annotator)))
}

/// The sources of a TOML file, whose assembly (if stated) must be the analysis'.
fn read_sources(
    path: &Path,
    assembly: Option<Assembly>,
) -> Result<Vec<odyssey_variant::sources::ResolvedSource>, VariantError> {
    let (asm, sources) = odyssey_variant::sources::read_sources_toml(path)?;
    if let (Some(a), Some(b)) = (asm, assembly) {
        if a != b {
            return Err(VariantError::Setup(format!(
                "{}: the sources are {a} but the analysis is on {b}",
                path.display()
            )));
        }
    }
    Ok(sources)
}

#[cfg(test)]
mod uri_tests {
    use super::*;

    #[test]
    fn relative_paths_that_climb_out_of_the_folder() {
        for (p, out) in [
            ("exome.vcf", false),
            ("./data/exome.vcf", false),
            ("data/../exome.vcf", false),
            ("../exome.vcf", true),
            ("data/../../exome.vcf", true),
            ("./../x/exome.vcf", true),
            ("/abs/exome.vcf", false),
        ] {
            assert_eq!(leaves_folder(Path::new(p)), out, "{p}");
        }
        assert_eq!(uri_path("file://../x.vcf"), Some("../x.vcf"));
        assert_eq!(uri_path("file:../x.vcf"), Some("../x.vcf"));
        assert_eq!(uri_path(" https://h/x.vcf"), None);
        assert_eq!(uri_path("s3://b/x.vcf"), None);
    }
}
