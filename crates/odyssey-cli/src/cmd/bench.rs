//! `odyssey bench`: accuracy and speed on a folder of published phenopackets (see
//! `bench/README.md` and the `odyssey-bench` crate).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use odyssey::spiked::{SampleVcf, SpikedAnalyzer};
use odyssey::ScorerOptions;
use odyssey_bench::phenotype::{
    run_phenotype, write_per_case_tsv, BenchOutput, Corpus, PhenotypeConfig,
};
use odyssey_bench::report::{headline_gene_top1, markdown, today_utc, KbInfo};
use odyssey_bench::spiked::{
    run_spiked, PipelineDisease, PipelineGene, PipelineInfo, PipelineRanking, PipelineVariant,
    SpikedConfig, SpikedJob, Spiker, TsvLiftover, VariantPipeline,
};
use odyssey_bench::stability::{self, run_stability};
use odyssey_bench::{liftover::ChainMap, spike::Background};
use odyssey_genome::Assembly;

use super::Global;

/// Benchmark mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Phenotype-only ranking.
    Phenotype,
    /// Causal variants spiked into a background exome, then the full variant analysis.
    Spiked,
    /// Both, one after the other (the full release tables in one command).
    All,
}

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Mode.
    #[arg(long, value_enum, default_value = "phenotype")]
    pub mode: Mode,
    /// Disease databases ranked by the phenotype model (as `odyssey analyze --databases`).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "omim,orpha,decipher"
    )]
    pub databases: Vec<super::analyze::DbArg>,
    /// Folder of phenopackets in cohort folders (phenopacket-store layout).
    #[arg(
        long,
        value_name = "DIR",
        default_value = "../shared/data/phenopacket-store/cases"
    )]
    pub cases: PathBuf,
    /// Only the cases listed in this file (paths relative to --cases, one per line).
    #[arg(long, value_name = "FILE")]
    pub sample: Option<PathBuf>,
    /// Also score with the annotations citing each case's publication removed (reported as
    /// the headline).
    #[arg(long)]
    pub leave_publication_out: bool,
    /// Write <out>/<name>.json and <out>/<name>.md (default name: <date>-<mode>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// File name stem of the results.
    #[arg(long)]
    pub name: Option<String>,
    /// Date stamp of the results (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Write PhEval standardised result files under this folder (one subfolder per model).
    #[arg(long, value_name = "DIR")]
    pub pheval: Option<PathBuf>,
    /// Items per PhEval file (plus every true positive ranked below them).
    #[arg(long, default_value_t = 100)]
    pub pheval_top: usize,
    /// Write every case's ranks as TSV.
    #[arg(long, value_name = "FILE")]
    pub per_case: Option<PathBuf>,
    /// Fail when the headline gene top-1 (%) is below this.
    #[arg(long, value_name = "PERCENT")]
    pub min_gene_top1: Option<f64>,
    /// Fail when the headline gene top-1 is below that of this earlier result (same model)
    /// minus --margin.
    #[arg(long, value_name = "JSON")]
    pub baseline: Option<PathBuf>,
    /// Percentage points of tolerance under --baseline.
    #[arg(long, default_value_t = 1.0)]
    pub margin: f64,
    /// Cross-check every N-th case's gold ranks against the full product ranking (0: none).
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub check_every: usize,
    /// Exit successfully with a note when the cases folder does not exist (CI without
    /// ../shared).
    #[arg(long)]
    pub skip_if_missing: bool,
    /// Instead of the benchmark, scan the model's parameters on the two halves of a
    /// deterministic cohort split (several minutes; writes <date>-stability.{json,md}).
    #[arg(long, conflicts_with_all = ["pheval", "per_case"])]
    pub stability: bool,
    /// Spiked mode: background exome (single sample).
    #[arg(
        long,
        value_name = "VCF",
        default_value = "../shared/data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz",
        help_heading = "Spiked mode"
    )]
    pub background: PathBuf,
    /// Spiked mode: assembly of the background (default: from its ##contig lengths).
    #[arg(long, value_name = "GRCh37|GRCh38", help_heading = "Spiked mode")]
    pub background_assembly: Option<Assembly>,
    /// Spiked mode: UCSC chain file from the cases' assembly (hg38) to the background's
    /// (default: ../shared/data/liftover/hg38ToHg19.over.chain.gz when they differ).
    #[arg(long, value_name = "FILE", help_heading = "Spiked mode")]
    pub chain: Option<PathBuf>,
    /// Spiked mode: phenopacket-store's cases.tsv, whose GRCh37 positions check the liftover
    /// (default: cases.tsv beside the cases folder, when present).
    #[arg(long, value_name = "FILE", help_heading = "Spiked mode")]
    pub cases_tsv: Option<PathBuf>,
    /// Spiked mode: keep the spiked VCFs in this folder.
    #[arg(long, value_name = "DIR", help_heading = "Spiked mode")]
    pub keep_vcfs: Option<PathBuf>,
    /// Spiked mode: annotate every record of every spiked VCF afresh instead of remembering
    /// the annotator's answer per variant across cases (same results, about 4 times slower;
    /// a check of the memo).
    #[arg(long, help_heading = "Spiked mode")]
    pub no_annotation_memo: bool,
}

/// The benchmark's pipeline trait over `odyssey`'s own spiked-VCF analysis
/// ([`odyssey::variant::spiked`]): the spiked VCF is analysed exactly as `odyssey analyze --vcf`
/// does and combined with the case's phenotype scores, which arrive with
/// leave-publication-out already applied when the run asks for it. This adapter only maps
/// types.
struct OdysseyPipeline(SpikedAnalyzer);

impl VariantPipeline for OdysseyPipeline {
    fn info(&self) -> PipelineInfo {
        PipelineInfo {
            name: format!("odyssey {} (phenotype LR x genotype LR)", env!("CARGO_PKG_VERSION")),
            annotation_sources: vec![
                format!("gene models: {}", self.0.gene_models()),
                "population frequencies: none (no gnomAD here); every rare or common background variant passes the frequency filter".into(),
                "ClinVar, REVEL, CADD, AlphaMissense, SpliceAI: none".into(),
            ],
        }
    }

    fn analyse(&self, job: &SpikedJob) -> Result<PipelineRanking, String> {
        let vcf = SampleVcf {
            vcf: job.vcf,
            assembly: job.assembly,
            sample: job.sample,
            sex: job.sex,
        };
        let r = self.0.rank(
            vcf,
            job.scorer,
            job.phenotype_scores,
            job.phenotype.observed.len(),
        )?;
        Ok(PipelineRanking {
            genes: r
                .genes
                .into_iter()
                .map(|g| PipelineGene {
                    symbol: g.item,
                    rank: g.rank,
                    score: g.score,
                    probability: g.probability,
                })
                .collect(),
            diseases: r
                .diseases
                .into_iter()
                .map(|d| PipelineDisease {
                    id: d.item,
                    rank: d.rank,
                    score: d.score,
                })
                .collect(),
            variants: r
                .variants
                .into_iter()
                .map(|v| PipelineVariant {
                    chrom: v.item.0,
                    pos: v.item.1,
                    reference: v.item.2,
                    alternate: v.item.3,
                    rank: v.rank,
                    score: v.score,
                })
                .collect(),
        })
    }
}

/// The variant pipeline the spiked mode calls, with the embedded gene models of the
/// background's assembly.
fn variant_pipeline(
    assembly: Assembly,
    memo: bool,
) -> anyhow::Result<Option<Box<dyn VariantPipeline>>> {
    Ok(Some(Box::new(OdysseyPipeline(SpikedAnalyzer::embedded(
        assembly, memo,
    )?))))
}

/// What can be said of the annotation sources on this machine (stated in spiked reports).
const ANNOTATION_NOTE: &str = "Available here: Odyssey's embedded gene models and consequence annotator; gnomAD, ClinVar, dbSNP and score sources only as small excerpts (annonars, Exomiser and vcfanno test data, SpliceAI excerpt). Not available: full gnomAD, full ClinVar, dbNSFP, CADD, REVEL, AlphaMissense. Spiked and background variants go through the same annotation.";

fn kb_info(global: &Global) -> anyhow::Result<(odyssey::KbHandle, KbInfo)> {
    let t = Instant::now();
    let h = global.load_kb()?;
    let info = KbInfo {
        source: h.source.clone(),
        // an as-of knowledge base names its date here ("2025-01-16, annotations 2025-01-16
        // as of 2022-01-01"), so every benchmark report shows it
        hpo_release: match &h.kb.meta() {
            m if m.annotations_release.contains(" as of ")
                || m.annotations_release.contains(" + ") =>
            {
                format!("{}, annotations {}", m.hpo_release, m.annotations_release)
            }
            m => m.hpo_release.clone(),
        },
        checksum: h.checksum.clone(),
        calibration: h.kb.calibration().cloned(),
        load_ms: t.elapsed().as_secs_f64() * 1e3,
        ..Default::default()
    };
    Ok((h, info))
}

/// A knowledge base compiled with case reports (`kb build --cases`) holds the benchmark's own
/// cases: without `--leave-publication-out` each case is scored against itself, so the
/// figures mean nothing (docs/phenotype-model.md, "Published patients as knowledge").
fn warn_case_knowledge(kb: &odyssey::KbHandle, leave_publication_out: bool) {
    let meta = kb.kb.meta();
    let with_cases = meta
        .sources
        .iter()
        .any(|(name, _)| name == "case-knowledge");
    if with_cases && !leave_publication_out {
        note!(
            "warning: the knowledge base holds case reports ({}): without --leave-publication-out every case that is among them is scored against its own annotations, so these figures overstate accuracy",
            meta.annotations_release
        );
    }
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

pub fn run(args: BenchArgs, global: &Global) -> anyhow::Result<()> {
    if !args.cases.is_dir() {
        if args.skip_if_missing {
            note!(
                "note: {} is absent; benchmark skipped",
                args.cases.display()
            );
            return Ok(());
        }
        bail!(
            "{}: no such folder of phenopackets (give --cases DIR)",
            args.cases.display()
        );
    }
    let date = args.date.clone().unwrap_or_else(today_utc);
    let command = std::iter::once("odyssey".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(d) = &args.out {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let (kb, info) = kb_info(global)?;
    warn_case_knowledge(&kb, args.leave_publication_out);
    let corpus = Corpus::load(&args.cases, args.sample.as_deref())?;
    note!(
        "{} cases read in {:.2} s ({} unreadable)",
        corpus.cases.len(),
        corpus.read_s,
        corpus.errors.len()
    );

    if args.stability {
        if args.mode != Mode::Phenotype {
            bail!("--stability scans the phenotype model: use --mode phenotype");
        }
        let progress = |done: usize, total: usize| note!("stability: {done}/{total} settings");
        let r = run_stability(&kb.kb, &corpus.cases, &date, &command, &progress);
        let md = stability::markdown(&r);
        match &args.out {
            Some(d) => {
                let stem = args
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{date}-stability"));
                write(
                    &d.join(format!("{stem}.json")),
                    &serde_json::to_string_pretty(&r)?,
                )?;
                write(&d.join(format!("{stem}.md")), &md)?;
                note!("wrote {}/{stem}.{{json,md}}", d.display());
            }
            None => out_raw!("{md}"),
        }
        return Ok(());
    }

    let modes: &[Mode] = match args.mode {
        Mode::All => &[Mode::Phenotype, Mode::Spiked],
        Mode::Phenotype => &[Mode::Phenotype],
        Mode::Spiked => &[Mode::Spiked],
    };
    if modes.len() > 1 && (args.name.is_some() || args.per_case.is_some()) {
        bail!("--name and --per-case name one file: use them with --mode phenotype or spiked");
    }
    // the first mode's headline is the one checked against thresholds
    let mut checked = None;
    for &mode in modes {
        let out = run_mode(mode, &args, &kb, &info, &corpus, &command, &date)?;
        let md = markdown(&out.report);
        match &args.out {
            Some(d) => {
                let stem = args
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{date}-{}", out.report.mode));
                // compact: the per-cohort tallies make a pretty-printed file ~1 MB; the .md is
                // the readable form
                write(
                    &d.join(format!("{stem}.json")),
                    &(serde_json::to_string(&out.report)? + "\n"),
                )?;
                write(&d.join(format!("{stem}.md")), &md)?;
                note!("wrote {}/{stem}.{{json,md}}", d.display());
                // the headline tables on the terminal
                let end = md.find("## By whether").unwrap_or(md.len());
                out_raw!("{}", &md[..end]);
            }
            None => out_raw!("{md}"),
        }
        if let Some(p) = &args.per_case {
            write_per_case_tsv(p, &out.runs, &out.outcomes)?;
        }
        if checked.is_none() {
            checked =
                Some(headline_gene_top1(&out.report).context("no gene-level result to check")?);
        }
    }
    let (key, top1) = checked.context("no mode ran")?;
    let mut threshold = args.min_gene_top1;
    if let Some(b) = &args.baseline {
        let base = odyssey_bench::report::recorded_gene_top1(b, &key)?;
        let t = base - args.margin;
        note!(
            "baseline {}: {key} gene top-1 {base:.2}% (threshold {t:.2}%)",
            b.display()
        );
        threshold = Some(threshold.map_or(t, |x: f64| x.max(t)));
    }
    if let Some(t) = threshold {
        if top1 < t {
            bail!("gene top-1 of {key} is {top1:.2}%, below the threshold {t:.2}%");
        }
        note!("ok: gene top-1 of {key} is {top1:.2}% (threshold {t:.2}%)");
    }
    Ok(())
}

/// The PhEval folder of a mode (a subfolder per mode with `--mode all`).
fn pheval_dir(args: &BenchArgs, mode: &str) -> Option<(PathBuf, usize)> {
    args.pheval.clone().map(|d| {
        (
            if args.mode == Mode::All {
                d.join(mode)
            } else {
                d
            },
            args.pheval_top,
        )
    })
}

/// One mode's run over the loaded corpus.
fn run_mode(
    mode: Mode,
    args: &BenchArgs,
    kb: &odyssey::KbHandle,
    info: &KbInfo,
    corpus: &Corpus,
    command: &str,
    date: &str,
) -> anyhow::Result<BenchOutput> {
    Ok(match mode {
        Mode::Phenotype => {
            let cfg = PhenotypeConfig {
                leave_publication_out: args.leave_publication_out,
                options: scorer_options(args, &kb.kb),
                pheval: pheval_dir(args, "phenotype"),
                check_every: args.check_every,
                command: command.to_string(),
                date: date.to_string(),
            };
            run_phenotype(&kb.kb, info.clone(), corpus, &cfg)?
        }
        Mode::Spiked | Mode::All => {
            let background = Background::read(&args.background, args.background_assembly)?;
            // the cases' assembly: that of their vcfRecords (phenopacket-store: hg38)
            let case_asm = corpus
                .cases
                .iter()
                .flat_map(|c| &c.variants)
                .find_map(|v| v.assembly.parse::<Assembly>().ok())
                .unwrap_or(Assembly::GRCh38);
            let shared = Path::new("../shared/data/liftover");
            let chain_path = match (&args.chain, case_asm == background.assembly) {
                (Some(p), _) => Some(p.clone()),
                (None, true) => None,
                (None, false) => Some(shared.join(match case_asm {
                    Assembly::GRCh38 => "hg38ToHg19.over.chain.gz",
                    Assembly::GRCh37 => "hg19ToHg38.over.chain.gz",
                })),
            };
            let chain = match &chain_path {
                Some(p) => Some(ChainMap::from_path(p)?),
                None => None,
            };
            let tsv_path = args.cases_tsv.clone().or_else(|| {
                args.cases
                    .parent()
                    .map(|p| p.join("cases.tsv"))
                    .filter(|p| p.is_file())
            });
            // cases.tsv's liftover is hg38 -> GRCh37: only a check when that is the direction
            let tsv = match (&tsv_path, case_asm, background.assembly) {
                (Some(p), Assembly::GRCh38, Assembly::GRCh37) => Some(TsvLiftover::read(p)?),
                _ => None,
            };
            let asm = background.assembly;
            let spiker = Spiker {
                background,
                chain,
                tsv,
            };
            let cfg = SpikedConfig {
                leave_publication_out: args.leave_publication_out,
                options: scorer_options(args, &kb.kb),
                keep_vcfs: args.keep_vcfs.clone(),
                command: command.to_string(),
                date: date.to_string(),
                annotation_note: ANNOTATION_NOTE.into(),
                pheval: pheval_dir(args, "spiked"),
            };
            let pipeline = variant_pipeline(asm, !args.no_annotation_memo)?;
            run_spiked(
                &kb.kb,
                info.clone(),
                corpus,
                &spiker,
                &cfg,
                pipeline.as_deref(),
            )?
        }
    })
}

/// The default model with the databases asked for and the knowledge base's probability
/// calibration, if it records one (as `odyssey analyze`).
fn scorer_options(args: &BenchArgs, kb: &odyssey_kb::KnowledgeBase) -> ScorerOptions {
    let mut o = ScorerOptions::for_kb(kb);
    o.index.databases = super::analyze::databases(&args.databases);
    o
}
