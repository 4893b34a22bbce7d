//! The `phenotype` mode: every case ranked from its HPO terms alone, by the default model and
//! the Resnik baseline, with and without leave-publication-out, timed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{ScorerOptions, Scratch};
use rayon::prelude::*;

use crate::corpus::{list_cases, read_case_list, BenchCase};
use crate::error::{BenchError, Result};
use crate::evaluate::{CaseOutcome, DiseaseStatus, Evaluator, RankingSink, RunSpec};
use crate::pheval::{PhenotypePheval, PhevalWriter};
use crate::report::{
    conventions, BenchReport, ConsistencyInfo, CorpusInfo, KbInfo, LeakageInfo, SpeedInfo, SCHEMA,
};
use crate::split::Half;
use crate::summary::summarize;

/// The cases of a run, read and parsed.
pub struct Corpus {
    /// Cases folder.
    pub dir: PathBuf,
    /// Sample list, when one was used.
    pub sample: Option<PathBuf>,
    /// Files listed.
    pub files: usize,
    /// Cases read, in list order.
    pub cases: Vec<BenchCase>,
    /// Files that could not be read, with the reason.
    pub errors: Vec<String>,
    /// Wall time of reading and parsing, seconds.
    pub read_s: f64,
}

impl Corpus {
    /// Reads every case of `dir` (or those of the `sample` list), in parallel. Unreadable files
    /// are reported in `errors`, not fatal. Errors: the folder or list cannot be read; a listed
    /// file is missing.
    pub fn load(dir: &Path, sample: Option<&Path>) -> Result<Corpus> {
        let t = Instant::now();
        let rel = match sample {
            Some(s) => {
                let v = read_case_list(s)?;
                if let Some(missing) = v.iter().find(|r| !dir.join(r).is_file()) {
                    return Err(BenchError::Config(format!(
                        "{}: case {missing} is not in {}",
                        s.display(),
                        dir.display()
                    )));
                }
                v
            }
            None => list_cases(dir)?,
        };
        let read: Vec<Result<BenchCase>> =
            rel.par_iter().map(|r| BenchCase::read(dir, r)).collect();
        let mut cases = Vec::with_capacity(read.len());
        let mut errors = Vec::new();
        for r in read {
            match r {
                Ok(c) => cases.push(c),
                Err(e) => errors.push(e.to_string()),
            }
        }
        Ok(Corpus {
            dir: dir.to_path_buf(),
            sample: sample.map(Path::to_path_buf),
            files: rel.len(),
            cases,
            errors,
            read_s: t.elapsed().as_secs_f64(),
        })
    }
}

/// Settings of a phenotype-mode run.
pub struct PhenotypeConfig {
    /// Compute the leave-publication-out runs (the headline) besides the plain ones.
    pub leave_publication_out: bool,
    /// Model settings (the default model is `ScorerOptions::default()`).
    pub options: ScorerOptions,
    /// Write PhEval results under this folder, keeping the best `usize` items per file.
    pub pheval: Option<(PathBuf, usize)>,
    /// Cross-check every n-th case against the full product ranking (0: none).
    pub check_every: usize,
    /// The command line, for the record.
    pub command: String,
    /// Date stamp (YYYY-MM-DD).
    pub date: String,
}

/// A finished run: the report and every case's outcome.
pub struct BenchOutput {
    /// The report.
    pub report: BenchReport,
    /// Per-case outcomes (same order as the corpus).
    pub outcomes: Vec<CaseOutcome>,
    /// The runs, in the order of `CaseOutcome::ranks`.
    pub runs: Vec<RunSpec>,
}

/// Corpus facts shared by both modes.
pub(crate) fn corpus_info(corpus: &Corpus, outcomes: &[CaseOutcome]) -> CorpusInfo {
    let mut cohorts: Vec<(&str, Half)> = outcomes
        .iter()
        .map(|o| (o.cohort.as_str(), o.half))
        .collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    let count = |h: Half| {
        (
            outcomes.iter().filter(|o| o.half == h).count(),
            cohorts.iter().filter(|c| c.1 == h).count(),
        )
    };
    CorpusInfo {
        cases_dir: corpus.dir.display().to_string(),
        sample: corpus.sample.as_ref().map(|p| p.display().to_string()),
        files: corpus.files,
        read_errors: corpus.errors.clone(),
        cases: outcomes.len(),
        cohorts: cohorts.len(),
        half_a: count(Half::A),
        half_b: count(Half::B),
        unscored: outcomes.iter().filter(|o| o.unscored.is_some()).count(),
        with_gene: outcomes.iter().filter(|o| o.has_gold_gene).count(),
        gene_not_in_kb: outcomes
            .iter()
            .filter(|o| o.has_gold_gene && !o.gold_gene_in_kb)
            .count(),
        with_disease: outcomes.iter().filter(|o| o.has_gold_disease).count(),
        disease_ranked: outcomes
            .iter()
            .filter(|o| o.disease_status == DiseaseStatus::Ranked)
            .count(),
        disease_in_kb_not_ranked: outcomes
            .iter()
            .filter(|o| o.disease_status == DiseaseStatus::InKbNotRanked)
            .count(),
        disease_absent: outcomes
            .iter()
            .filter(|o| o.disease_status == DiseaseStatus::Absent)
            .count(),
    }
}

pub(crate) fn consistency_info(outcomes: &[CaseOutcome]) -> ConsistencyInfo {
    let max = |i: usize| {
        outcomes
            .iter()
            .filter_map(|o| o.lpo_check[i])
            .fold(0.0, f64::max)
    };
    let bad: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            o.rank_check
                .as_ref()
                .filter(|m| !m.is_empty())
                .map(|m| format!("{}: {}", o.rel_path, m.join(", ")))
        })
        .collect();
    ConsistencyInfo {
        cases_checked: outcomes.iter().filter(|o| o.rank_check.is_some()).count(),
        rank_mismatches: outcomes
            .iter()
            .filter_map(|o| o.rank_check.as_ref())
            .map(Vec::len)
            .sum(),
        mismatch_examples: bad.into_iter().take(20).collect(),
        lpo_path_max_abs_diff_lr: max(0),
        lpo_path_max_abs_diff_resnik: max(1),
    }
}

pub(crate) fn leakage_info(corpus: &Corpus, outcomes: &[CaseOutcome]) -> LeakageInfo {
    LeakageInfo {
        cases_with_pmid: corpus
            .cases
            .iter()
            .filter(|c| !c.publications.is_empty())
            .count(),
        cases_affected: outcomes
            .iter()
            .filter(|o| o.lpo_annotations_removed > 0)
            .count(),
        annotations_removed: outcomes.iter().map(|o| o.lpo_annotations_removed).sum(),
        diseases_rescored: outcomes.iter().map(|o| o.lpo_diseases_rescored).sum(),
        gold_emptied: outcomes.iter().filter(|o| o.lpo_gold_emptied).count(),
    }
}

/// Times the default model over every case: returns (wall seconds, per-case nanoseconds).
pub fn time_default_batch(ev: &Evaluator, cases: &[BenchCase]) -> (f64, Vec<u64>) {
    let t = Instant::now();
    let nanos: Vec<u64> = cases
        .par_iter()
        .map_init(Scratch::default, |scratch, c| {
            let t = Instant::now();
            let r = ev.rank_default(c, scratch);
            let ns = t.elapsed().as_nanos() as u64;
            std::hint::black_box(r);
            ns
        })
        .collect();
    (t.elapsed().as_secs_f64(), nanos)
}

/// Runs the phenotype mode over a loaded corpus.
pub fn run_phenotype(
    kb: &KnowledgeBase,
    kb_info: KbInfo,
    corpus: &Corpus,
    cfg: &PhenotypeConfig,
) -> Result<BenchOutput> {
    let t = Instant::now();
    let mut ev = Evaluator::new(kb, cfg.options.clone());
    ev.set_check_every(cfg.check_every);
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    let runs = RunSpec::phenotype_runs(cfg.leave_publication_out);

    let (default_batch_s, nanos) = time_default_batch(&ev, &corpus.cases);

    let writer = match &cfg.pheval {
        Some((dir, top)) => Some(PhevalWriter::new(dir, &runs, &["gene", "disease"], *top)?),
        None => None,
    };
    let sink = writer.as_ref().map(|w| PhenotypePheval { writer: w, kb });
    let t = Instant::now();
    let outcomes: Vec<CaseOutcome> = corpus
        .cases
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |scratch, (i, c)| {
            ev.evaluate(
                c,
                i,
                &runs,
                scratch,
                sink.as_ref().map(|s| s as &dyn RankingSink),
            )
        })
        .collect();
    let evaluation_s = t.elapsed().as_secs_f64();
    if let Some(w) = &writer {
        w.finish()?;
    }

    let speed = SpeedInfo::measured(
        corpus.cases.len(),
        corpus.read_s,
        index_ms,
        default_batch_s,
        &nanos,
        evaluation_s,
    );
    let mut notes = vec![
        "Baselines run side by side on the same cases in the same invocation: Odyssey's default likelihood-ratio model and its Resnik best-match-average baseline (Phenomizer).".to_string(),
        "Resnik under leave-publication-out: the diseases citing the case's publication are re-scored by the best-match average over their remaining direct annotations (same IC).".to_string(),
    ];
    if let Some((dir, top)) = &cfg.pheval {
        notes.push(format!("PhEval results written under {} (best {top} items per file plus every true positive below them).", dir.display()));
    }
    let kb_info = KbInfo {
        ranked_diseases: ev.scorer().index().diseases().len(),
        genes: count_ranked_genes(&ev),
        cited_pmids: ev.publications().len(),
        ..kb_info
    };
    let report = BenchReport {
        schema: SCHEMA.into(),
        date: cfg.date.clone(),
        mode: "phenotype".into(),
        odyssey_version: env!("CARGO_PKG_VERSION").into(),
        command: cfg.command.clone(),
        corpus: corpus_info(corpus, &outcomes),
        knowledge_base: kb_info,
        model: serde_json::to_value(&cfg.options).unwrap_or_default(),
        conventions: conventions(),
        runs: summarize(&runs, &outcomes, false),
        leakage: cfg
            .leave_publication_out
            .then(|| leakage_info(corpus, &outcomes)),
        consistency: consistency_info(&outcomes),
        speed,
        spiked: None,
        calibration: crate::calibration::of_runs(&runs, &outcomes),
        notes,
    };
    Ok(BenchOutput {
        report,
        outcomes,
        runs,
    })
}

pub(crate) fn count_ranked_genes(ev: &Evaluator) -> usize {
    let kb = ev.scorer().kb();
    kb.genes()
        .iter()
        .filter(|g| {
            g.diseases
                .iter()
                .any(|d| ev.scorer().index().position(*d).is_some())
        })
        .count()
}

/// Writes one line per case: path, cohort, half, diagnosis status, then the gene, disease
/// (and variant) rank of every run (`NA` when not found). Errors: the file cannot be written.
pub fn write_per_case_tsv(path: &Path, runs: &[RunSpec], outcomes: &[CaseOutcome]) -> Result<()> {
    use std::fmt::Write as _;
    let mut s = String::from("case\tcohort\thalf\tdiagnosis\tunscored");
    for r in runs {
        let _ = write!(s, "\t{0}_gene\t{0}_disease\t{0}_variant", r.key);
    }
    s.push('\n');
    let f = |x: Option<usize>| x.map_or("NA".to_string(), |v| v.to_string());
    for o in outcomes {
        let status = serde_json::to_value(o.disease_status)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let _ = write!(
            s,
            "{}\t{}\t{}\t{}\t{}",
            o.rel_path,
            o.cohort,
            o.half.name(),
            status,
            o.unscored
                .as_deref()
                .unwrap_or("")
                .replace(['\t', '\n'], " ")
        );
        for r in &o.ranks {
            let _ = write!(s, "\t{}\t{}\t{}", f(r.gene), f(r.disease), f(r.variant));
        }
        s.push('\n');
    }
    std::fs::write(path, s).map_err(|e| BenchError::io(path, e))
}
