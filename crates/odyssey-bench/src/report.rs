//! The benchmark's result: a JSON document and its Markdown rendering.

use std::fmt::Write as _;

use serde::Serialize;

use crate::metrics::{LevelMetrics, TOP_K};
use crate::summary::{LevelSet, RunSummary};
use crate::timing::Latency;

/// Version of the JSON layout.
pub const SCHEMA: &str = "odyssey-bench/1";

/// The knowledge base used.
#[derive(Clone, Debug, Default, Serialize)]
pub struct KbInfo {
    /// `embedded` or a path.
    pub source: String,
    /// HPO release.
    pub hpo_release: String,
    /// Checksum of the compiled image.
    pub checksum: String,
    /// Time to load it, milliseconds.
    pub load_ms: f64,
    /// Diseases ranked by the phenotype index.
    pub ranked_diseases: usize,
    /// Genes linked to a ranked disease.
    pub genes: usize,
    /// Distinct PubMed ids cited by the phenotype annotations of ranked diseases.
    pub cited_pmids: usize,
    /// The calibration of post-test probabilities the knowledge base records (used by the
    /// run); `None`: the global defaults (see the model settings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<odyssey_kb::ProbabilityCalibration>,
}

/// What the corpus held.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CorpusInfo {
    /// Cases folder.
    pub cases_dir: String,
    /// Sample list used instead of the whole folder.
    pub sample: Option<String>,
    /// Case files listed.
    pub files: usize,
    /// Files that could not be read (named, with the reason).
    pub read_errors: Vec<String>,
    /// Cases read.
    pub cases: usize,
    /// Cohorts.
    pub cohorts: usize,
    /// Cases and cohorts of half A, half B.
    pub half_a: (usize, usize),
    /// Cases and cohorts of half B.
    pub half_b: (usize, usize),
    /// Cases that could not be scored (no usable HPO term), counted as not found.
    pub unscored: usize,
    /// Cases naming a causal gene.
    pub with_gene: usize,
    /// Cases whose causal genes are all absent from the knowledge base.
    pub gene_not_in_kb: usize,
    /// Cases naming a diagnosis.
    pub with_disease: usize,
    /// Cases whose diagnosis is ranked.
    pub disease_ranked: usize,
    /// Cases whose diagnosis is in the KB but not ranked.
    pub disease_in_kb_not_ranked: usize,
    /// Cases whose diagnosis is absent from the KB.
    pub disease_absent: usize,
}

/// Leave-publication-out statistics.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LeakageInfo {
    /// Cases with at least one PubMed id.
    pub cases_with_pmid: usize,
    /// Cases for which at least one annotation was removed.
    pub cases_affected: usize,
    /// Annotations removed, summed over cases.
    pub annotations_removed: usize,
    /// Disease re-scorings, summed over cases.
    pub diseases_rescored: usize,
    /// Cases whose diagnosis was left without phenotype annotations (counted as not found
    /// at the disease level under leave-publication-out).
    pub gold_emptied: usize,
}

/// Self-checks of the harness, run on every 16th case.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConsistencyInfo {
    /// Cases cross-checked.
    pub cases_checked: usize,
    /// (case, run) pairs whose gold ranks from the full product ranking
    /// (`ranking_from_scores`) differ from the harness' direct count.
    pub rank_mismatches: usize,
    /// The first mismatches, `case: runs`.
    pub mismatch_examples: Vec<String>,
    /// Largest |single-disease score − fast-path score| of a diagnosis, LR model (natural-log
    /// units): the leave-publication-out path against the ranking's.
    pub lpo_path_max_abs_diff_lr: f64,
    /// Same for the Resnik model (nats).
    pub lpo_path_max_abs_diff_resnik: f64,
}

/// Speed measured in the run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SpeedInfo {
    /// Worker threads.
    pub threads: usize,
    /// Reading and parsing every case file, seconds (wall).
    pub read_s: f64,
    /// Building the phenotype index, milliseconds.
    pub index_ms: f64,
    /// The default model over every case (resolve, score, rank all diseases and genes),
    /// seconds (wall, all threads).
    pub default_batch_s: f64,
    /// Cases per second of the default batch.
    pub default_cases_per_s: f64,
    /// Read + default batch (what `odyssey analyze --batch` does), seconds.
    pub end_to_end_s: f64,
    /// Per-case latency of the default model (resolve + score + rank), measured in-thread.
    pub default_latency: Latency,
    /// The evaluation of every run (all models, leave-out), seconds (wall).
    pub evaluation_s: f64,
    /// Peak resident memory of the process (VmHWM), MiB.
    pub peak_rss_mib: Option<f64>,
    /// 1-minute load average of the machine at the end of the run (other processes compete
    /// for the cores when it exceeds `threads`).
    pub load_average: Option<f64>,
}

impl SpeedInfo {
    /// The speed of a run over `cases` cases, with the process's peak memory and the machine's
    /// load average read now (at the end of the run). `nanos`: per-case latencies of the
    /// default model.
    pub fn measured(
        cases: usize,
        read_s: f64,
        index_ms: f64,
        default_batch_s: f64,
        nanos: &[u64],
        evaluation_s: f64,
    ) -> SpeedInfo {
        SpeedInfo {
            threads: rayon::current_num_threads(),
            read_s,
            index_ms,
            default_batch_s,
            default_cases_per_s: if default_batch_s > 0.0 {
                cases as f64 / default_batch_s
            } else {
                0.0
            },
            end_to_end_s: read_s + default_batch_s,
            default_latency: Latency::from_nanos(nanos),
            evaluation_s,
            peak_rss_mib: crate::timing::peak_rss_mib(),
            load_average: crate::timing::load_average_1min(),
        }
    }
}

/// A benchmark result.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// [`SCHEMA`].
    pub schema: String,
    /// Date of the run (UTC, YYYY-MM-DD).
    pub date: String,
    /// `phenotype` or `spiked`.
    pub mode: String,
    /// Odyssey version.
    pub odyssey_version: String,
    /// The command that produced it.
    pub command: String,
    /// Corpus.
    pub corpus: CorpusInfo,
    /// Knowledge base.
    pub knowledge_base: KbInfo,
    /// The default model's settings.
    pub model: serde_json::Value,
    /// Conventions of the metrics.
    pub conventions: Vec<String>,
    /// Results per run.
    pub runs: Vec<RunSummary>,
    /// Leave-publication-out statistics, when computed.
    pub leakage: Option<LeakageInfo>,
    /// Self-checks.
    pub consistency: ConsistencyInfo,
    /// Speed.
    pub speed: SpeedInfo,
    /// Spiked-mode details, in spiked mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spiked: Option<serde_json::Value>,
    /// Reliability tables of the LR runs' top-gene probability (phenotype mode).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calibration: Vec<crate::calibration::Calibration>,
    /// Other remarks.
    pub notes: Vec<String>,
}

/// The conventions every report states.
pub fn conventions() -> Vec<String> {
    vec![
        "Ties are pessimistic: an answer tied with others gets the rank of the last member of its tie group (scores equal within a relative 1e-9).".into(),
        "A case with several answers at a level (causal genes, variants, diagnosis ids) is scored by its best-ranked answer.".into(),
        "Not found (answer absent from the knowledge base, not ranked, left without annotations by leave-publication-out, or case not scorable) counts in the denominator with reciprocal rank 0.".into(),
        "Gene level: cases naming a causal gene; disease level: cases naming a diagnosis; variant level: spiked mode only.".into(),
        "Leave-publication-out: annotations citing the case's PubMed id (metaData.externalReferences and the PMID_<n> prefix of the phenopacket id) are removed from every disease before scoring; background frequencies and IC are kept from the full knowledge base.".into(),
        "Cohort halves: cohort goes to half A when the XXH3-64 hash of its name is even, else B.".into(),
    ]
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn metric_cells(m: &LevelMetrics) -> String {
    let mut s = format!("| {} ", m.cases);
    for k in TOP_K {
        let _ = write!(s, "| {} ", pct(m.recall(k)));
    }
    let _ = write!(s, "| {:.3} | {} |", m.mrr(), m.not_found);
    s
}

fn delta_cells(m: &LevelMetrics, base: &LevelMetrics) -> String {
    let mut s = "| ".to_string();
    for k in TOP_K {
        let _ = write!(s, "| {:+.1} ", 100.0 * (m.recall(k) - base.recall(k)));
    }
    let _ = write!(
        s,
        "| {:+.3} | {:+} |",
        m.mrr() - base.mrr(),
        i64::from(m.not_found) - i64::from(base.not_found)
    );
    s
}

const HEAD: &str = "| n | top-1 % | top-3 % | top-5 % | top-10 % | MRR | not found |";
const RULE: &str = "|---:|---:|---:|---:|---:|---:|---:|";

fn level_of<'a>(set: &'a LevelSet, level: &str) -> Option<&'a LevelMetrics> {
    match level {
        "gene" => Some(&set.gene),
        "disease" => Some(&set.disease),
        _ => set.variant.as_ref(),
    }
}

/// One table: every run at one level and group, with a Δ row of each run against the default
/// run of the same leave-out setting.
fn level_table(
    out: &mut String,
    runs: &[RunSummary],
    level: &str,
    group: fn(&RunSummary) -> &LevelSet,
) {
    let _ = writeln!(out, "| model | leave-pub-out {HEAD}");
    let _ = writeln!(out, "|---|:---:{RULE}");
    let mut any = false;
    for r in runs {
        let Some(m) = level_of(group(r), level) else {
            continue;
        };
        any = true;
        let lpo = if r.run.leave_publication_out {
            "yes"
        } else {
            "no"
        };
        let _ = writeln!(out, "| {} | {} {}", r.run.label, lpo, metric_cells(m));
        // Δ against the first run with the same leave-out setting (the default model)
        if let Some(base) = runs
            .iter()
            .find(|b| b.run.leave_publication_out == r.run.leave_publication_out)
        {
            if base.run.key != r.run.key {
                if let Some(bm) = level_of(group(base), level) {
                    let _ = writeln!(
                        out,
                        "| Δ vs {} | {} {}",
                        base.run.label,
                        lpo,
                        delta_cells(m, bm)
                    );
                }
            }
        }
    }
    if !any {
        let _ = writeln!(out, "| n/a | | | | | | | | |");
    }
}

/// Renders the Markdown report.
pub fn markdown(r: &BenchReport) -> String {
    let mut o = String::new();
    md_header(&mut o, r);
    md_levels(&mut o, r);
    md_by_kb(&mut o, r);
    md_by_publication(&mut o, r);
    md_cohort_split(&mut o, r);
    md_leakage(&mut o, r);
    md_self_checks(&mut o, r);
    md_speed(&mut o, r);
    md_spike_in(&mut o, r);
    o.push_str(&crate::calibration::markdown(&r.calibration));
    md_closing(&mut o, r);
    md_cohort_appendix(&mut o, r);
    o
}

/// Markdown report: title, command, corpus and knowledge base, and which rows are the headline.
fn md_header(o: &mut String, r: &BenchReport) {
    let _ = writeln!(o, "# Odyssey benchmark: {} mode, {}\n", r.mode, r.date);
    let _ = writeln!(o, "Command: `{}`\n", r.command);
    let c = &r.corpus;
    let _ = writeln!(
        o,
        "Corpus: {} cases ({} cohorts) from `{}`{}; {} unreadable files; {} cases not scorable (counted as not found).",
        c.cases,
        c.cohorts,
        c.cases_dir,
        c.sample.as_ref().map(|s| format!(", sample `{s}`")).unwrap_or_default(),
        c.read_errors.len(),
        c.unscored
    );
    let _ = writeln!(
        o,
        "Diagnosis ranked by the KB: {} cases; in the KB without phenotype annotations or in an unranked database: {}; absent: {}. Causal gene absent from the KB: {} of {} cases.\n",
        c.disease_ranked, c.disease_in_kb_not_ranked, c.disease_absent, c.gene_not_in_kb, c.with_gene
    );
    let k = &r.knowledge_base;
    let _ = writeln!(
        o,
        "Knowledge base: HPO {} ({}, checksum {}), {} ranked diseases, {} genes.\n",
        k.hpo_release, k.source, k.checksum, k.ranked_diseases, k.genes
    );
    let _ = writeln!(
        o,
        "Calibration of the post-test probabilities: {}.\n",
        match &k.calibration {
            Some(c) => format!("recorded in the KB, {} ({})", c.short(), c.fitted),
            None => "the global defaults (the KB records none)".into(),
        }
    );
    let headline = r
        .runs
        .first()
        .map(|x| x.run.leave_publication_out)
        .unwrap_or(false);
    if headline {
        let _ = writeln!(o, "Headline: the leave-publication-out rows (annotations citing the case's own publication removed).\n");
    }
}

/// Markdown report: the overall gene, disease and variant tables.
fn md_levels(o: &mut String, r: &BenchReport) {
    for level in ["gene", "disease", "variant"] {
        let _ = writeln!(o, "## {} level\n", capitalise(level));
        if r.runs.iter().all(|x| level_of(&x.overall, level).is_none()) {
            if r.mode == "spiked" {
                let _ = writeln!(
                    o,
                    "Pending: no variant pipeline is plugged in (see Notes).\n"
                );
            } else {
                let _ = writeln!(o, "n/a in {} mode.\n", r.mode);
            }
            continue;
        }
        level_table(o, &r.runs, level, |x| &x.overall);
        let _ = writeln!(o);
    }
}

/// Markdown report: gene and disease tables split by whether the diagnosis is ranked by the KB.
fn md_by_kb(o: &mut String, r: &BenchReport) {
    let _ = writeln!(o, "## By whether the diagnosis is in the knowledge base\n");
    for (name, f) in [
        (
            "Diagnosis ranked by the KB",
            (|x: &RunSummary| &x.disease_in_kb) as fn(&RunSummary) -> &LevelSet,
        ),
        (
            "Diagnosis not in the KB (or not ranked)",
            |x: &RunSummary| &x.disease_not_in_kb,
        ),
    ] {
        for level in ["gene", "disease"] {
            let _ = writeln!(o, "### {name}: {level} level\n");
            level_table(o, &r.runs, level, f);
            let _ = writeln!(o);
        }
    }
}

/// Markdown report: gene tables split by whether the case's publication is cited by the KB.
fn md_by_publication(o: &mut String, r: &BenchReport) {
    let _ = writeln!(
        o,
        "## By whether the case's own publication is cited by the knowledge base\n"
    );
    let _ = writeln!(o, "Cases whose publication a curated annotation (phenotype.hpoa) of a ranked disease cites are partly scored against themselves unless leave-publication-out is on. Rows compiled from case reports (`kb build --cases`) do not count here: every case's own rows cite its publication (leave-publication-out removes them all the same).\n");
    for (name, f) in [
        (
            "Publication cited",
            (|x: &RunSummary| &x.publication_cited) as fn(&RunSummary) -> &LevelSet,
        ),
        ("Publication not cited", |x: &RunSummary| {
            &x.publication_not_cited
        }),
    ] {
        let _ = writeln!(o, "### {name}: gene level\n");
        level_table(o, &r.runs, "gene", f);
        let _ = writeln!(o);
    }
}

/// Markdown report: gene tables of the two cohort halves.
fn md_cohort_split(o: &mut String, r: &BenchReport) {
    let c = &r.corpus;
    let _ = writeln!(o, "## 2-fold cohort split\n");
    let _ = writeln!(
        o,
        "Half A: {} cases in {} cohorts; half B: {} cases in {} cohorts.\n",
        c.half_a.0, c.half_a.1, c.half_b.0, c.half_b.1
    );
    for (name, f) in [
        (
            "Half A",
            (|x: &RunSummary| &x.half_a) as fn(&RunSummary) -> &LevelSet,
        ),
        ("Half B", |x: &RunSummary| &x.half_b),
    ] {
        let _ = writeln!(o, "### {name}: gene level\n");
        level_table(o, &r.runs, "gene", f);
        let _ = writeln!(o);
    }
}

/// Markdown report: what leave-publication-out removed, when it ran.
fn md_leakage(o: &mut String, r: &BenchReport) {
    if let Some(l) = &r.leakage {
        let _ = writeln!(o, "## Leave-publication-out\n");
        let _ = writeln!(
            o,
            "{} cases have a PubMed id; for {} of them, {} phenotype annotations citing it were removed ({} disease re-scorings); {} diagnoses were left without any phenotype annotation (not found at the disease level).\n",
            l.cases_with_pmid, l.cases_affected, l.annotations_removed, l.diseases_rescored, l.gold_emptied
        );
    }
}

/// Markdown report: the harness's cross-checks against the product ranking.
fn md_self_checks(o: &mut String, r: &BenchReport) {
    let k2 = &r.consistency;
    let _ = writeln!(o, "## Self-checks\n");
    let _ = writeln!(
        o,
        "On {} cross-checked cases, gold ranks counted by the harness were compared with those of the full product ranking: {} mismatches. The leave-publication-out scoring path agrees with the ranking's fast path on the full diagnoses within {:.1e} (LR, ln units) and {:.1e} (Resnik, nats).\n",
        k2.cases_checked, k2.rank_mismatches, k2.lpo_path_max_abs_diff_lr, k2.lpo_path_max_abs_diff_resnik
    );
    for e in &k2.mismatch_examples {
        let _ = writeln!(o, "- mismatch: {e}");
    }
}

/// Markdown report: the speed table.
fn md_speed(o: &mut String, r: &BenchReport) {
    let k = &r.knowledge_base;
    let s = &r.speed;
    let _ = writeln!(o, "## Speed\n");
    let _ = writeln!(o, "| measure | value |\n|---|---:|");
    let _ = writeln!(o, "| threads | {} |", s.threads);
    let _ = writeln!(o, "| knowledge base load (ms) | {:.1} |", k.load_ms);
    let _ = writeln!(
        o,
        "| phenotype index + publication index build (ms) | {:.1} |",
        s.index_ms
    );
    let _ = writeln!(o, "| read + parse all cases (s) | {:.2} |", s.read_s);
    let _ = writeln!(
        o,
        "| default model, all cases: resolve + score + rank (s) | {:.2} |",
        s.default_batch_s
    );
    let _ = writeln!(
        o,
        "| default model, cases per second | {:.0} |",
        s.default_cases_per_s
    );
    let _ = writeln!(
        o,
        "| read + default model, all cases (s) | {:.2} |",
        s.end_to_end_s
    );
    let _ = writeln!(
        o,
        "| per case, median (ms) | {:.3} |",
        s.default_latency.median_ms
    );
    let _ = writeln!(
        o,
        "| per case, p95 (ms) | {:.3} |",
        s.default_latency.p95_ms
    );
    let _ = writeln!(
        o,
        "| full evaluation, every run (s) | {:.2} |",
        s.evaluation_s
    );
    let _ = writeln!(
        o,
        "| peak RSS (MiB) | {} |",
        s.peak_rss_mib.map_or("n/a".into(), |m| format!("{m:.0}"))
    );
    let _ = writeln!(
        o,
        "| machine load average (1 min) at the end | {} |\n",
        s.load_average.map_or("n/a".into(), |m| format!("{m:.2}"))
    );
}

/// Markdown report: the spike-in figures (spiked mode).
fn md_spike_in(o: &mut String, r: &BenchReport) {
    if let Some(serde_json::Value::Object(sp)) = &r.spiked {
        let _ = writeln!(o, "## Spike-in\n\n| item | value |\n|---|---|");
        for (k, v) in sp {
            let _ = writeln!(o, "| {} | {} |", k.replace('_', " "), cell(v));
        }
        let _ = writeln!(o);
    }
}

/// Markdown report: conventions, notes and the unreadable files.
fn md_closing(o: &mut String, r: &BenchReport) {
    let c = &r.corpus;
    let _ = writeln!(o, "## Conventions\n");
    for cv in &r.conventions {
        let _ = writeln!(o, "- {cv}");
    }
    if !r.notes.is_empty() {
        let _ = writeln!(o, "\n## Notes\n");
        for n in &r.notes {
            let _ = writeln!(o, "- {n}");
        }
    }
    if !c.read_errors.is_empty() {
        let _ = writeln!(o, "\n## Unreadable files\n");
        for e in c.read_errors.iter().take(50) {
            let _ = writeln!(o, "- {e}");
        }
    }
}

/// Markdown report: appendix, the headline run's gene level per cohort with the other runs' top-1 and top-10.
fn md_cohort_appendix(o: &mut String, r: &BenchReport) {
    if let Some(head) = r.runs.first() {
        let _ = writeln!(
            o,
            "\n## Appendix: gene level per cohort ({}{})\n",
            head.run.label,
            if head.run.leave_publication_out {
                ", leave-publication-out"
            } else {
                ""
            }
        );
        let others: Vec<&RunSummary> = r.runs.iter().skip(1).collect();
        let mut h = "| cohort | half | n | top-1 % | top-10 % | MRR |".to_string();
        let mut rule = "|---|:---:|---:|---:|---:|---:|".to_string();
        for x in &others {
            let _ = write!(h, " {} top-1 % | {} top-10 % |", x.run.key, x.run.key);
            rule.push_str("---:|---:|");
        }
        let _ = writeln!(o, "{h}\n{rule}");
        for (cohort, set) in &head.by_cohort {
            let g = &set.gene;
            let _ = write!(
                o,
                "| {} | {} | {} | {} | {} | {:.3} |",
                cohort,
                crate::split::Half::of(cohort).name(),
                g.cases,
                pct(g.recall(1)),
                pct(g.recall(10)),
                g.mrr()
            );
            for x in &others {
                let og = x
                    .by_cohort
                    .get(cohort)
                    .map(|s| s.gene.clone())
                    .unwrap_or_default();
                let _ = write!(o, " {} | {} |", pct(og.recall(1)), pct(og.recall(10)));
            }
            let _ = writeln!(o);
        }
    }
}

/// The headline run's key and its overall gene-level top-1 in percent.
pub fn headline_gene_top1(r: &BenchReport) -> Option<(String, f64)> {
    let run = r.runs.first()?;
    (run.overall.gene.cases > 0).then(|| (run.run.key.clone(), 100.0 * run.overall.gene.recall(1)))
}

/// The overall gene-level top-1 (percent) of run `key` in a result file written earlier.
/// Errors: unreadable file, not a result of this harness, or no such run (named).
pub fn recorded_gene_top1(path: &std::path::Path, key: &str) -> crate::Result<f64> {
    let bad = |m: String| crate::BenchError::Config(format!("{}: {m}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| crate::BenchError::io(path, e))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
    if v.get("schema").and_then(|s| s.as_str()) != Some(SCHEMA) {
        return Err(bad(format!("not an {SCHEMA} result")));
    }
    let runs = v
        .get("runs")
        .and_then(|r| r.as_array())
        .ok_or_else(|| bad("no runs".into()))?;
    let run = runs
        .iter()
        .find(|r| r.get("key").and_then(|k| k.as_str()) == Some(key))
        .ok_or_else(|| bad(format!("no run {key:?}")))?;
    let g = &run["overall"]["gene"];
    let cases = g["cases"]
        .as_f64()
        .filter(|&c| c > 0.0)
        .ok_or_else(|| bad(format!("run {key:?} has no gene-level cases")))?;
    let top1 = g["found_within"][0]
        .as_f64()
        .ok_or_else(|| bad(format!("run {key:?}: no found_within")))?;
    Ok(100.0 * top1 / cases)
}

/// A JSON value as one Markdown table cell.
fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.replace('|', "\\|"),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| format!("{}: {}", k.replace('_', " "), cell(x)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Today's date in UTC as `YYYY-MM-DD` (civil-from-days, Hinnant's algorithm).
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    date_from_unix_days((secs / 86_400) as i64)
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms", civil_from_days).
pub fn date_from_unix_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_baselines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        std::fs::write(&p, r#"{"schema":"odyssey-bench/1","runs":[{"key":"lr","overall":{"gene":{"cases":8,"found_within":[2,3,4,5]}}}]}"#).unwrap();
        assert_eq!(recorded_gene_top1(&p, "lr").unwrap(), 25.0);
        assert!(recorded_gene_top1(&p, "lr-lpo")
            .unwrap_err()
            .to_string()
            .contains("no run \"lr-lpo\""));
        std::fs::write(&p, r#"{"runs":[]}"#).unwrap();
        assert!(recorded_gene_top1(&p, "lr")
            .unwrap_err()
            .to_string()
            .contains("not an odyssey-bench/1 result"));
    }

    #[test]
    fn civil_dates_by_hand() {
        assert_eq!(date_from_unix_days(0), "1970-01-01");
        // 2000-03-01 is day 11017 (30 years incl. 7 leap days = 10957, + 31 + 29 Jan/Feb 2000)
        assert_eq!(date_from_unix_days(10_957 + 31 + 29), "2000-03-01");
        assert_eq!(date_from_unix_days(10_957 + 31 + 28), "2000-02-29");
        assert_eq!(date_from_unix_days(-1), "1969-12-31");
    }

    #[test]
    fn metric_cells_and_deltas() {
        let mut a = LevelMetrics::default();
        for r in [Some(1), Some(2), None, Some(3)] {
            a.add(r);
        }
        // top-1 1/4, top-3 3/4, top-5 3/4, top-10 3/4; MRR (1 + 1/2 + 0 + 1/3)/4 = 0.4583
        assert_eq!(
            metric_cells(&a),
            "| 4 | 25.0 | 75.0 | 75.0 | 75.0 | 0.458 | 1 |"
        );
        let mut b = LevelMetrics::default();
        for r in [Some(1), None, None, None] {
            b.add(r);
        }
        assert_eq!(
            delta_cells(&b, &a),
            "| | +0.0 | -50.0 | -50.0 | -50.0 | -0.208 | +2 |"
        );
    }
}
