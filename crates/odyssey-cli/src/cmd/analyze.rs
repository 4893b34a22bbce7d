//! `odyssey analyze`: rank diseases and genes for one case or a batch of cases.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use odyssey::{
    combined_report, phenotype_report, provenance::input_file, variant_config, KbHandle,
    ReportOptions, VariantOptions,
};
use odyssey_kb::{DiseaseDb, Sex};
use odyssey_pheno::phenopacket::read_case_file;
use odyssey_pheno::{Case, CaseInput, Method, PhenotypeScorer, ScorerOptions, TermInput};
use odyssey_report::AnalysisReport;
use rayon::prelude::*;

use super::output::{write_file, Destination, Format};
use super::Global;

/// Scoring method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Likelihood-ratio model (default): observed and excluded terms, post-test probabilities.
    Lr,
    /// Phenomizer-style Resnik best-match average (observed terms only), for comparison.
    Resnik,
}

/// Sex of the patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SexArg {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Disease databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DbArg {
    /// OMIM.
    Omim,
    /// Orphanet.
    Orpha,
    /// DECIPHER.
    Decipher,
}

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// A GA4GH Phenopacket (v2 or v1) or Family, JSON or YAML.
    #[arg(value_name = "PHENOPACKET", conflicts_with = "batch")]
    pub phenopacket: Option<PathBuf>,
    /// Observed HPO terms, comma-separated (added to the phenopacket's, if any).
    #[arg(long, value_delimiter = ',', value_name = "HP:...")]
    pub hpo: Vec<String>,
    /// Excluded HPO terms (looked for and not found), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "HP:...")]
    pub excluded: Vec<String>,
    /// Sex of the patient.
    #[arg(long, value_enum)]
    pub sex: Option<SexArg>,
    /// Age as an ISO 8601 duration, e.g. P3Y or P18M.
    #[arg(long, value_name = "DURATION")]
    pub age: Option<String>,
    /// Case id when the case is given with --hpo.
    #[arg(long, default_value = "case")]
    pub id: String,
    /// Analyse every phenopacket in a folder (recursively: .json, .yml, .yaml) or listed in a
    /// file (one path per line), with one knowledge-base load and all cores; needs -o OUTDIR.
    #[arg(long, value_name = "DIR_OR_LIST")]
    pub batch: Option<PathBuf>,
    /// Scoring method.
    #[arg(long, value_enum, default_value = "lr")]
    pub method: MethodArg,
    /// Disease databases to rank, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "omim,orpha,decipher"
    )]
    pub databases: Vec<DbArg>,
    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "tsv")]
    pub format: Vec<Format>,
    /// Output file (one format), prefix (several formats: PREFIX.json, PREFIX.genes.tsv,
    /// PREFIX.diseases.tsv, PREFIX.html, PREFIX.phenopacket.json, PREFIX.vcf.gz), or folder
    /// (--batch). Standard output when absent.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Number of diseases and genes reported.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
    /// Analyse a phenopacket even when some of its HPO ids are malformed or unknown to the
    /// knowledge base's HPO release (they are then left out, with a warning and a line in
    /// every report). Without it such a phenopacket is an error.
    #[arg(long)]
    pub skip_unknown_terms: bool,
    /// The exome or genome: VCF 4.1-4.4 (plain, bgzip) or BCF, one or more samples. Without it,
    /// the VCF listed in the phenopacket's files[] is used, if any.
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub vcf: Option<PathBuf>,
    /// Genome assembly of the VCF (checked against its ##contig lengths).
    #[arg(long, value_name = "GRCh37|GRCh38", help_heading = "Variant analysis")]
    pub assembly: Option<odyssey_genome::Assembly>,
    /// Sample id of the proband in the VCF (default: the phenopacket subject, or the pedigree's
    /// affected child, or the only sample).
    #[arg(long, value_name = "ID", help_heading = "Variant analysis")]
    pub proband: Option<String>,
    /// Pedigree (PED file) for family analysis (default: a GA4GH Family's pedigree).
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub ped: Option<PathBuf>,
    /// Family to analyse when the PED holds several.
    #[arg(long, value_name = "ID", help_heading = "Variant analysis")]
    pub family: Option<String>,
    /// Annotation sources (gnomAD, ClinVar, scores, in-house frequencies): a TOML file
    /// (docs/sources.md).
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub sources: Option<PathBuf>,
    /// Take consequences from the VCF's VEP CSQ, SnpEff ANN or bcftools BCSQ field instead of
    /// Odyssey's annotator.
    #[arg(long, help_heading = "Variant analysis")]
    pub vcf_annotations: bool,
    /// Compiled gene models (and reference sequence) from `odyssey refdata build`, instead of
    /// the embedded ones.
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub refdata: Option<PathBuf>,
    /// Only genes listed in this file (one HGNC symbol per line).
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub panel: Option<PathBuf>,
    /// Only variants inside these BED regions.
    #[arg(long, value_name = "BED", help_heading = "Variant analysis")]
    pub regions: Option<PathBuf>,
    /// Tell what happened to a variant (CHROM:POS) or gene (symbol); repeatable.
    #[arg(long, value_name = "CHROM:POS|GENE", help_heading = "Variant analysis")]
    pub explain: Vec<String>,
    /// Ignore any VCF listed in the phenopacket: phenotype-only analysis.
    #[arg(long, conflicts_with = "vcf", help_heading = "Variant analysis")]
    pub phenotype_only: bool,
}

fn scorer_options(args: &AnalyzeArgs) -> ScorerOptions {
    let mut o = ScorerOptions {
        method: match args.method {
            MethodArg::Lr => Method::LikelihoodRatio,
            MethodArg::Resnik => Method::Resnik,
        },
        ..Default::default()
    };
    o.index.databases = databases(&args.databases);
    o
}

/// The databases, sorted and deduplicated.
pub fn databases(args: &[DbArg]) -> Vec<DiseaseDb> {
    let mut v: Vec<DiseaseDb> = args
        .iter()
        .map(|d| match d {
            DbArg::Omim => DiseaseDb::Omim,
            DbArg::Orpha => DiseaseDb::Orpha,
            DbArg::Decipher => DiseaseDb::Decipher,
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Reads a case file (or none) and adds the command-line terms.
fn case_input(path: Option<&Path>, args: &AnalyzeArgs) -> anyhow::Result<CaseInput> {
    let mut input = match path {
        Some(p) => {
            let file = read_case_file(p)?;
            CaseInput::from_phenopacket(file.proband())
        }
        None => CaseInput {
            id: args.id.clone(),
            ..Default::default()
        },
    };
    for (ids, excluded) in [(&args.hpo, false), (&args.excluded, true)] {
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            input.terms.push(TermInput {
                id: id.to_string(),
                label: None,
                excluded,
            });
        }
    }
    if let Some(s) = args.sex {
        input.sex = Some(match s {
            SexArg::Female => Sex::Female,
            SexArg::Male => Sex::Male,
        });
    }
    if let Some(a) = &args.age {
        input.age = Some(a.clone());
    }
    Ok(input)
}

/// Writes every requested format (see `output::write_report`: all files checked before the
/// first is written, atomic writes, `--force` to overwrite).
fn write_report(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
    force: bool,
) -> anyhow::Result<()> {
    super::output::write_report(report, formats, dest, force)
}

pub fn run(args: AnalyzeArgs, global: &Global) -> anyhow::Result<()> {
    if let Some(batch) = &args.batch {
        return run_batch(batch, &args, global);
    }
    if args.phenopacket.is_none() && args.hpo.is_empty() && args.excluded.is_empty() {
        bail!("give a phenopacket, or HPO terms with --hpo (and --excluded), or --batch DIR");
    }
    let dest = Destination::choose(args.output.as_deref(), &args.format)?;
    let kb = global.load_kb()?;
    check_command_line_terms(&args, &kb)?;
    let input = case_input(args.phenopacket.as_deref(), &args)?;
    let case = Case::resolve(&input, &kb.kb)?;
    check_case_terms(args.phenopacket.as_deref(), &case, &args)?;
    for r in &case.remapped {
        eprintln!("note: {} is an {}; using {}", r.from, r.how, r.to);
    }
    for i in &case.ignored {
        let what = if i.excluded { "excluded term" } else { "term" };
        let id = if i.id.trim().is_empty() {
            "(no id)"
        } else {
            i.id.as_str()
        };
        eprintln!(
            "{}: {what} {id} not used: {}",
            if i.invalid_id { "warning" } else { "note" },
            i.reason
        );
    }
    let opts = scorer_options(&args);
    let scorer = PhenotypeScorer::new(&kb.kb, opts);
    let report = analyse(
        args.phenopacket.as_deref(),
        &case,
        &args,
        &kb,
        &scorer,
        true,
    )?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if report.genes.is_empty() {
        let dbs: Vec<String> = args
            .databases
            .iter()
            .map(|d| format!("{d:?}").to_ascii_lowercase())
            .collect();
        eprintln!("note: no gene is linked to the diseases ranked (--databases {}): the gene list is empty", dbs.join(","));
    }
    write_report(&report, &args.format, &dest, args.force)
}

/// A phenopacket's HPO ids must be well-formed terms of the release in use: a typo or a
/// term of a newer release is an error naming the file and the feature, unless
/// `--skip-unknown-terms` (then a warning). Terms typed on the command line are checked
/// before ([`check_command_line_terms`]), so any invalid id here comes from the file.
fn check_case_terms(path: Option<&Path>, case: &Case, args: &AnalyzeArgs) -> anyhow::Result<()> {
    let (Some(path), false) = (path, args.skip_unknown_terms) else {
        return Ok(());
    };
    let bad: Vec<String> = case
        .ignored
        .iter()
        .filter(|i| i.invalid_id)
        .map(|i| {
            let id = if i.id.trim().is_empty() {
                "no HPO id".to_string()
            } else {
                format!("{:?}", i.id)
            };
            format!(
                "phenotypicFeatures[{}] ({id}{}): {}",
                i.input_index,
                if i.excluded { ", excluded" } else { "" },
                i.reason
            )
        })
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    bail!(
        "{}: {} phenotypic feature{} cannot be used: {}. Correct the id{} (`odyssey kb search` finds terms by name), or pass --skip-unknown-terms to analyse without {}",
        path.display(),
        bad.len(),
        if bad.len() == 1 { "" } else { "s" },
        bad.join("; "),
        if bad.len() == 1 { "" } else { "s" },
        if bad.len() == 1 { "it" } else { "them" }
    )
}

/// Terms typed on the command line must be valid: a typo there is an error, not a note
/// (terms read from a phenopacket that cannot be used are reported and skipped instead).
fn check_command_line_terms(args: &AnalyzeArgs, kb: &KbHandle) -> anyhow::Result<()> {
    for id in args
        .hpo
        .iter()
        .chain(&args.excluded)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let hpo: odyssey_kb::HpoId = id
            .parse()
            .with_context(|| format!("--hpo/--excluded {id:?}"))?;
        kb.kb
            .ontology()
            .resolve(hpo)
            .with_context(|| format!("--hpo/--excluded {id}"))?;
    }
    Ok(())
}

fn variant_options(args: &AnalyzeArgs) -> VariantOptions {
    VariantOptions {
        vcf: args.vcf.clone(),
        assembly: args.assembly,
        proband: args.proband.clone(),
        ped: args.ped.clone(),
        family: args.family.clone(),
        sources: args.sources.clone(),
        vcf_annotations: args.vcf_annotations,
        refdata: args.refdata.clone(),
        explain: args.explain.clone(),
        panel: args.panel.clone(),
        regions: args.regions.clone(),
    }
}

/// Phenotype-only or combined analysis of one resolved case; `verbose` prints the
/// `--explain` answers to standard error.
fn analyse(
    path: Option<&Path>,
    case: &Case,
    args: &AnalyzeArgs,
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    verbose: bool,
) -> anyhow::Result<AnalysisReport> {
    let file = match path {
        Some(p) => Some(read_case_file(p)?),
        None => None,
    };
    let listed_vcf = file.as_ref().is_some_and(|f| {
        f.files().iter().any(|x| {
            matches!(x.format().as_deref(), Some("VCF" | "BCF"))
                || [".vcf", ".vcf.gz", ".vcf.bgz", ".bcf"]
                    .iter()
                    .any(|e| x.uri.to_ascii_lowercase().ends_with(e))
        })
    });
    let mut inputs: Vec<_> = path.iter().map(|p| input_file("phenopacket", p)).collect();
    let command = std::env::args().collect();
    if args.vcf.is_none() && (args.phenotype_only || !listed_vcf) {
        let ropts = ReportOptions {
            top: usize::from(args.top),
            inputs,
            command,
        };
        return Ok(phenotype_report(
            kb,
            scorer,
            case,
            scorer.options().method,
            &ropts,
        ));
    }
    if scorer.options().method != Method::LikelihoodRatio {
        bail!("variant analysis combines likelihood ratios: use --method lr (or --phenotype-only with --method resnik)");
    }
    let setup = variant_config(&variant_options(args), file.as_ref().zip(path), case)?;
    let cfg = &setup.config;
    inputs.push(odyssey_report::InputFile {
        role: "vcf".into(),
        path: cfg.vcf.display().to_string(),
        checksum: None,
    });
    if let Some(p) = &args.ped {
        inputs.push(input_file("ped", p));
    }
    if let Some(p) = &args.sources {
        inputs.push(input_file("sources", p));
    }
    let g = odyssey_variant::analysis::analyze(cfg)?;
    // warnings reach the user through the report (`run` prints them)
    if verbose {
        for e in &g.explain {
            eprintln!(
                "explain {} {} ({}): {}",
                e.query, e.variant, e.vcf_location, e.outcome
            );
            for r in &e.reasons {
                eprintln!("    removed: {} {}", r.reason, r.detail);
            }
            for n in &e.notes {
                eprintln!("    {n}");
            }
            if !e.genes.is_empty() {
                eprintln!("    genes: {}", e.genes.join(", "));
            }
        }
        if !args.explain.is_empty() && g.explain.is_empty() {
            eprintln!(
                "explain: no variant in the VCF matched {}",
                args.explain.join(", ")
            );
        }
    }
    let ropts = ReportOptions {
        top: usize::from(args.top),
        inputs,
        command,
    };
    Ok(combined_report(
        kb,
        scorer,
        case,
        &g,
        &setup.individuals,
        &ropts,
    ))
}

/// Case files of a folder (recursive) or a list file.
fn batch_files(batch: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if batch.is_dir() {
        let mut stack = vec![batch.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
                let p = e?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("json" | "yml" | "yaml")
                ) {
                    files.push(p);
                }
            }
        }
    } else {
        let text = std::fs::read_to_string(batch)
            .with_context(|| format!("reading the case list {}", batch.display()))?;
        let base = batch.parent().unwrap_or(Path::new("."));
        for l in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let p = Path::new(l);
            files.push(if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            });
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        bail!(
            "{}: no phenopacket files (.json, .yml, .yaml) found",
            batch.display()
        );
    }
    Ok(files)
}

/// Output name of a batch case: its path relative to the batch folder, separators as `__`,
/// extension dropped.
fn output_name(batch: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(batch).unwrap_or(file);
    let s = rel
        .with_extension("")
        .to_string_lossy()
        .replace(['/', '\\'], "__");
    s.trim_start_matches("__").to_string()
}

/// Output names of all batch files: as [`output_name`], with the extension kept (`case.yaml`
/// -> `case_yaml`) for files whose names would otherwise collide (`case.json`, `case.yaml`).
fn output_names(batch: &Path, files: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> = files.iter().map(|f| output_name(batch, f)).collect();
    let mut count = std::collections::HashMap::new();
    for n in &names {
        *count.entry(n.clone()).or_insert(0usize) += 1;
    }
    names
        .into_iter()
        .zip(files)
        .map(|(n, f)| {
            if count[&n] > 1 {
                format!(
                    "{n}_{}",
                    f.extension().and_then(|e| e.to_str()).unwrap_or("")
                )
            } else {
                n
            }
        })
        .collect()
}

struct BatchRow {
    file: PathBuf,
    name: String,
    result: Result<(String, String, String), String>,
}

fn run_batch(batch: &Path, args: &AnalyzeArgs, global: &Global) -> anyhow::Result<()> {
    let outdir = args.output.as_deref().context("--batch needs -o OUTDIR")?;
    let files = batch_files(batch)?;
    std::fs::create_dir_all(outdir).with_context(|| format!("creating {}", outdir.display()))?;
    let kb: KbHandle = global.load_kb()?;
    check_command_line_terms(args, &kb)?;
    let opts = scorer_options(args);
    let scorer = PhenotypeScorer::new(&kb.kb, opts);
    let base = if batch.is_dir() {
        batch.to_path_buf()
    } else {
        batch.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} cases ({per_sec}, eta {eta})",
        )
        .unwrap(),
    );
    let names = output_names(&base, &files);
    let rows: Vec<BatchRow> = files
        .par_iter()
        .zip(names.par_iter())
        .map(|(file, name)| {
            let name = name.clone();
            let result = (|| -> anyhow::Result<(String, String, String)> {
                let input = case_input(Some(file), args)?;
                let case = Case::resolve(&input, &kb.kb)?;
                check_case_terms(Some(file), &case, args)?;
                let report = analyse(Some(file), &case, args, &kb, &scorer, false)?;
                write_report(
                    &report,
                    &args.format,
                    &Destination::Prefix(outdir.join(&name)),
                    args.force,
                )?;
                let top_gene = report
                    .genes
                    .first()
                    .map(|g| g.symbol.clone())
                    .unwrap_or_default();
                let top_p = report
                    .genes
                    .first()
                    .and_then(|g| g.post_test_probability)
                    .map(|p| format!("{p:.4}"))
                    .unwrap_or_default();
                let top_d = report
                    .diseases
                    .first()
                    .map(|d| d.id.clone())
                    .unwrap_or_default();
                Ok((case.id.clone(), format!("{top_gene}\t{top_p}"), top_d))
            })()
            .map_err(|e| super::error_chain(&e));
            if let Err(e) = &result {
                let shown = file.display().to_string();
                bar.suspend(|| {
                    if e.contains(&shown) {
                        eprintln!("error: {e}")
                    } else {
                        eprintln!("error: {shown}: {e}")
                    }
                });
            }
            bar.inc(1);
            BatchRow {
                file: file.clone(),
                name,
                result,
            }
        })
        .collect();
    bar.finish_and_clear();
    let failed = rows.iter().filter(|r| r.result.is_err()).count();
    let summary = outdir.join("summary.tsv");
    write_file(&summary, args.force, |w| {
        writeln!(
            w,
            "## odyssey {} batch {} ({} cases, {} failed)",
            env!("CARGO_PKG_VERSION"),
            batch.display(),
            rows.len(),
            failed
        )?;
        writeln!(
            w,
            "file\toutput\tstatus\tcase_id\ttop_gene\ttop_gene_probability\ttop_disease\tmessage"
        )?;
        for r in &rows {
            match &r.result {
                Ok((id, gene, dis)) => writeln!(
                    w,
                    "{}\t{}\tok\t{}\t{}\t{}\t",
                    r.file.display(),
                    r.name,
                    id,
                    gene,
                    dis
                )?,
                Err(e) => writeln!(
                    w,
                    "{}\t{}\terror\t\t\t\t\t{}",
                    r.file.display(),
                    r.name,
                    e.replace(['\t', '\n'], " ")
                )?,
            }
        }
        Ok(())
    })?;
    eprintln!(
        "{} of {} cases analysed, {} failed; summary in {}",
        rows.len() - failed,
        rows.len(),
        failed,
        summary.display()
    );
    if failed > 0 {
        bail!(
            "{failed} of {} cases failed (listed in {}); the others were written",
            rows.len(),
            summary.display()
        );
    }
    Ok(())
}
