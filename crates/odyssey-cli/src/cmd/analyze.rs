//! `odyssey analyze`: rank diseases and genes for one case or a batch of cases.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use odyssey::output::{write_file, Destination};
use odyssey::{
    Analysis, AnalysisOptions, AnalysisReport, AnalysisRequest, CaseSource, DiseaseDb, Method, Sex,
};
use rayon::prelude::*;

use super::output::Format;
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
    /// Age as an ISO 8601 duration, e.g. P3Y or P18M (at most 150 years). Recorded in the
    /// reports only: the ranking does not use age (nor the phenopacket's), so it does not
    /// change any score or probability (docs/phenotype-model.md, "Input terms").
    #[arg(long, value_name = "DURATION", value_parser = parse_age)]
    pub age: Option<String>,
    /// Case id when the case is given with --hpo.
    #[arg(long, default_value = "case")]
    pub id: String,
    /// Analyse every phenopacket in a folder (recursively: .json, .yml, .yaml) or listed in a
    /// file (one path per line; relative paths are taken from the list file's folder, as in
    /// bench/smoke-cases.txt, not from the working folder), with one knowledge-base load and
    /// all cores; needs -o OUTDIR.
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
    /// (--batch). Standard output when absent or `-` (one format).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Number of diseases and genes reported.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
    /// Refuse a phenopacket when some of its HPO ids are malformed or unknown to the
    /// knowledge base's HPO release. Without it such ids are left out (or mapped with
    /// --newer-ontology), with a warning in every report and the batch summary.
    #[arg(long)]
    pub strict_terms: bool,
    /// The default since terms unknown to the release are left out: accepted for
    /// compatibility, does nothing.
    #[arg(long, hide = true, conflicts_with = "strict_terms")]
    pub skip_unknown_terms: bool,

    /// The exome or genome: VCF 4.1-4.4 (plain, bgzip) or BCF, one or more samples. Without it,
    /// the VCF listed in the phenopacket's files[] is used, if any.
    #[arg(long, value_name = "FILE", help_heading = "Variant analysis")]
    pub vcf: Option<PathBuf>,
    /// Refuse a phenopacket whose listed VCF (files[].uri, relative to the phenopacket's
    /// folder) leaves that folder (`../`). Without it such a VCF is analysed, with a warning
    /// in every report.
    #[arg(long, help_heading = "Variant analysis")]
    pub strict_file_uris: bool,
    /// Genome assembly of the VCF (checked against its ##contig lengths).
    #[arg(long, value_name = "GRCh37|GRCh38", help_heading = "Variant analysis")]
    pub assembly: Option<odyssey::Assembly>,
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
    /// Tell what happened to a variant (CHROM:POS) or gene (symbol); repeatable. Printed to
    /// standard error, apart from the results on standard output.
    #[arg(long, value_name = "CHROM:POS|GENE", help_heading = "Variant analysis")]
    pub explain: Vec<String>,
    /// Ignore any VCF listed in the phenopacket: phenotype-only analysis.
    #[arg(long, conflicts_with = "vcf", help_heading = "Variant analysis")]
    pub phenotype_only: bool,
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

impl AnalyzeArgs {
    /// The analysis request for one case (`case` a file, or none: the --hpo terms).
    fn request(&self, case: Option<&Path>) -> AnalysisRequest {
        let source = case.map_or(CaseSource::Terms, |p| CaseSource::File(p.to_path_buf()));
        let mut r = AnalysisRequest::new(source)
            .with_terms(&self.hpo, false)
            .with_terms(&self.excluded, true);
        r.id = self.id.clone();
        r.sex = self.sex.map(|s| match s {
            SexArg::Female => Sex::Female,
            SexArg::Male => Sex::Male,
        });
        r.age = self.age.clone();
        r.vcf = self.vcf.clone();
        r.ped = self.ped.clone();
        r.sources = self.sources.clone();
        r.refdata = self.refdata.clone();
        r.options = AnalysisOptions {
            method: match self.method {
                MethodArg::Lr => Method::LikelihoodRatio,
                MethodArg::Resnik => Method::Resnik,
            },
            databases: databases(&self.databases),
            top: usize::from(self.top),
            panel: self.panel.clone(),
            regions: self.regions.clone(),
            explain: self.explain.clone(),
            proband: self.proband.clone(),
            family: self.family.clone(),
            assembly: self.assembly,
            phenotype_only: self.phenotype_only,
            strict_terms: self.strict_terms,
            strict_file_uris: self.strict_file_uris,
            vcf_annotations: self.vcf_annotations,
        };
        r.command = std::env::args().collect();
        r
    }

    fn formats(&self) -> Vec<odyssey::output::Format> {
        self.format.iter().map(|&f| f.into()).collect()
    }
}

/// The library's error, with the command-line flags that fix it.
fn with_flag_hints(e: odyssey::Error) -> anyhow::Error {
    match e {
        odyssey::Error::Term {
            id,
            problem,
            source,
        } => {
            let id = match problem {
                odyssey::TermProblem::Malformed => format!("{id:?}"),
                _ => id,
            };
            anyhow::anyhow!("--hpo/--excluded {id}: {source}")
        }
        odyssey::Error::UnusableTerms { ref items, .. } => {
            let one = items.len() == 1;
            anyhow::anyhow!(
                "{e}. Correct the id{} (`odyssey kb search` finds terms by name), or leave out --strict-terms to analyse without {}",
                if one { "" } else { "s" },
                if one { "it" } else { "them" }
            )
        }
        e => e.into(),
    }
}

/// Writes the report's formats, printing the writer's warnings.
fn write_report(
    report: &AnalysisReport,
    args: &AnalyzeArgs,
    dest: &Destination,
) -> anyhow::Result<()> {
    let warnings = odyssey::output::write_report(
        report,
        &args.formats(),
        dest,
        args.force,
        &mut std::io::stdout().lock(),
    )?;
    for w in warnings {
        note!("warning: {w}");
    }
    Ok(())
}

/// Prints the `--explain` answers to standard error.
fn print_explain(analysis: &Analysis, args: &AnalyzeArgs) {
    for e in &analysis.explain {
        note!(
            "explain {} {} ({}): {}",
            e.query,
            e.variant,
            e.vcf_location,
            e.outcome
        );
        for r in &e.reasons {
            note!("    removed: {} {}", r.reason, r.detail);
        }
        for n in &e.notes {
            note!("    {n}");
        }
        if !e.genes.is_empty() {
            note!("    genes: {}", e.genes.join(", "));
        }
    }
    let variants = odyssey::report::has_variant_analysis(&analysis.report);
    if variants && !args.explain.is_empty() && analysis.explain.is_empty() {
        note!(
            "explain: no variant in the VCF matched {}",
            args.explain.join(", ")
        );
    }
}

pub fn run(args: AnalyzeArgs, global: &Global) -> anyhow::Result<()> {
    if let Some(batch) = &args.batch {
        return run_batch(batch, &args, global);
    }
    if args.phenopacket.is_none() && args.hpo.is_empty() && args.excluded.is_empty() {
        bail!("give a phenopacket, or HPO terms with --hpo (and --excluded), or --batch DIR");
    }
    let dest = Destination::choose(args.output.as_deref(), &args.formats())?;
    let engine = global.engine(args.request(None).options.scorer_options())?;
    let analysis = engine
        .run(&args.request(args.phenopacket.as_deref()))
        .map_err(with_flag_hints)?;
    // the warnings among the notes (ids left out) are also the report's warnings, below
    for n in analysis.case_notes.iter().filter(|n| !n.warning) {
        note!("{n}");
    }
    print_explain(&analysis, &args);
    let report = &analysis.report;
    for w in &report.warnings {
        note!("warning: {w}");
    }
    if report.genes.is_empty() {
        let dbs: Vec<String> = args
            .databases
            .iter()
            .map(|d| format!("{d:?}").to_ascii_lowercase())
            .collect();
        note!("note: no gene is linked to the diseases ranked (--databases {}): the gene list is empty", dbs.join(","));
    }
    write_report(report, &args, &dest)
}

/// Case files of a folder (recursive) or a list file.
fn batch_files(batch: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if batch.is_dir() {
        files = super::batch_walk::case_files(batch)?;
    } else {
        let text = odyssey_genome::text::read_text_file(batch)
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
    /// (case id, top gene and its probability, top disease, the report's warnings).
    result: Result<(String, String, String, String), String>,
}

fn run_batch(batch: &Path, args: &AnalyzeArgs, global: &Global) -> anyhow::Result<()> {
    let outdir = args.output.as_deref().context("--batch needs -o OUTDIR")?;
    if outdir == Path::new("-") {
        bail!("--batch writes a folder of reports and summary.tsv: give -o OUTDIR (`-`, standard output, is for one case)");
    }
    let files = batch_files(batch)?;
    // before any per-case file is written (issue 13)
    super::output::check_target(&outdir.join("summary.tsv"), args.force)?;
    std::fs::create_dir_all(outdir).with_context(|| format!("creating {}", outdir.display()))?;
    let engine = global.engine(args.request(None).options.scorer_options())?;
    engine
        .check_terms(&args.request(None).terms)
        .map_err(with_flag_hints)?;
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
            let result = (|| -> anyhow::Result<(String, String, String, String)> {
                let report = engine
                    .analyze(&args.request(Some(file)))
                    .map_err(with_flag_hints)?;
                write_report(&report, args, &Destination::Prefix(outdir.join(&name)))?;
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
                Ok((
                    report.case.id.clone(),
                    format!("{top_gene}\t{top_p}"),
                    top_d,
                    report.warnings.join("; "),
                ))
            })()
            .map_err(|e| super::error_chain(&e));
            if let Err(e) = &result {
                let shown = file.display().to_string();
                bar.suspend(|| {
                    if e.contains(&shown) {
                        note!("error: {e}")
                    } else {
                        note!("error: {shown}: {e}")
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
    let tsv = super::tsv_text::field;
    write_file(&summary, args.force, |w| {
        writeln!(
            w,
            "## odyssey {} batch {} ({} cases, {} failed)",
            env!("CARGO_PKG_VERSION"),
            tsv(&batch.display().to_string()),
            rows.len(),
            failed
        )?;
        writeln!(
            w,
            "file\toutput\tstatus\tcase_id\ttop_gene\ttop_gene_probability\ttop_disease\tmessage"
        )?;
        for r in &rows {
            match &r.result {
                Ok((id, gene, dis, warn)) => writeln!(
                    w,
                    "{}\t{}\tok\t{}\t{}\t{}\t{}",
                    tsv(&r.file.display().to_string()),
                    tsv(&r.name),
                    tsv(id),
                    gene.split('\t').map(tsv).collect::<Vec<_>>().join("\t"),
                    tsv(dis),
                    tsv(warn)
                )?,
                Err(e) => writeln!(
                    w,
                    "{}\t{}\terror\t\t\t\t\t{}",
                    tsv(&r.file.display().to_string()),
                    tsv(&r.name),
                    tsv(e)
                )?,
            }
        }
        Ok(())
    })?;
    note!(
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

/// `--age`: an ISO 8601 duration of a human age, refused when the command line is read
/// ([`odyssey::age_problem`] says what is wrong), so the message names the option; kept
/// without surrounding spaces.
fn parse_age(s: &str) -> std::result::Result<String, String> {
    match odyssey::age_problem(s) {
        Some(problem) => Err(problem),
        None => Ok(s.trim().to_string()),
    }
}
