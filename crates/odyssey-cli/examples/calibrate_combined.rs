//! Fits the calibration of the combined (phenotype × genotype) post-test probability of the
//! variant analysis on the spiked benchmark, under leave-publication-out, with cohort-grouped
//! 2-fold cross-fitting. A gene's natural-log score s (the log of the sum of its disease-gene
//! pairs' combined LRs, τ × phenotype + genotype: the ranking's score) is multiplied by the
//! case's temperature T = θ_c n^-κ_c (n the observed terms; `combined_temperature`,
//! `combined_term_decay`) and p_u (`pretest_unknown`) is the pretest probability of "none of
//! them": P(top gene) = e^(T s_top) / (Σ_genes e^(T s) + N p_u / (1 − p_u)). The ranking does
//! not depend on (θ_c, κ_c, p_u) and the probabilities keep its order. Each half of the
//! cohort split chooses the grid point of least log loss of the top gene's probability and is
//! scored with the other half's choice (ECE and reliability table, out of sample).
//!
//! The spiked benchmark runs once (as `odyssey bench --mode spiked --sample
//! bench/spiked-sample.txt --leave-publication-out`, the same `run_spiked` and pipeline, with
//! the compiled defaults; ~20 min on a loaded machine), writing its report as `odyssey bench
//! --out DIR --name NAME` would, and every case's terms on a log grid of effective
//! temperatures (1.05^k, about 0.005 to 210) to a TSV, so that the fit can be repeated without
//! re-running the annotation:
//!
//! `cargo run --release -p odyssey-cli --example calibrate_combined -- [--from FILE] [--dump FILE] [--out DIR --name NAME]`
//!
//! (reads `../shared/data/phenopacket-store/cases` and the Pfeiffer background; the dump
//! defaults to `/tmp/odyssey-combined-fit.tsv`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use odyssey::spiked::{SampleVcf, SpikedAnalyzer};
use odyssey::ScorerOptions;
use odyssey_bench::calibration::{from_pairs, markdown, probability_terms, FitCase};
use odyssey_bench::liftover::ChainMap;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::report::KbInfo;
use odyssey_bench::spike::Background;
use odyssey_bench::spiked::{
    run_spiked, PipelineDisease, PipelineGene, PipelineInfo, PipelineRanking, PipelineVariant,
    SpikedConfig, SpikedJob, Spiker, TsvLiftover, VariantPipeline,
};
use odyssey_bench::split::Half;
use odyssey_genome::Assembly;

/// Temperatures θ_c of the grid (at n = 1 observed term).
const THETAS: [f64; 22] = [
    0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0,
    10.0, 15.0, 20.0,
];
/// Decay exponents κ_c of the grid.
const KAPPAS: [f64; 12] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25];
/// Pretest probabilities of "none of them" of the grid.
const PRETEST: [f64; 13] = [
    0.0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.98, 0.99, 0.999,
];
/// Ceilings ε of the third family: the probability is multiplied by 1 − ε, the chance that
/// the analysis' evidence is right at all however strong it looks (investigated for the
/// over-confident top bins; not adopted, docs/variant-analysis.md).
const CEILINGS: [f64; 11] = [0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
/// Effective temperatures: 1.05^(k − ONE), k < EFFECTIVE (about 0.005 to 210; exactly 1 at
/// k = ONE).
const EFFECTIVE: usize = 219;
const ONE: i32 = 109;

fn effective(k: usize) -> f64 {
    1.05f64.powi(k as i32 - ONE)
}

fn nearest(t: f64) -> usize {
    (t.ln() / 1.05f64.ln() + f64::from(ONE))
        .round()
        .clamp(0.0, (EFFECTIVE - 1) as f64) as usize
}

/// What the recording pipeline keeps of one case's leave-publication-out run.
#[derive(Clone, Debug)]
struct Record {
    observed: usize,
    genes: usize,
    /// Per effective temperature: (e^(T s_top − m), Σ_genes e^(T s − m), m) of
    /// `probability_terms`.
    terms: Vec<(f64, f64, f64)>,
    /// The top gene's probability as the pipeline reported it (compiled defaults).
    reported: f64,
    /// No gene has a larger reported probability than the top-ranked one.
    top_is_most_probable: bool,
}

/// The Odyssey pipeline of `odyssey bench`, also recording each case's terms.
struct Recorder {
    analyzer: SpikedAnalyzer,
    records: Mutex<HashMap<String, Record>>,
}

impl Recorder {
    fn record(&self, job: &SpikedJob, vcf: SampleVcf<'_>) -> Result<(), String> {
        let observed = job.phenotype.observed.len();
        let (cr, _) = self
            .analyzer
            .combined(vcf, job.scorer, job.phenotype_scores, observed)?;
        let Some(&(top, _, _)) = cr.genes.first() else {
            return Ok(());
        };
        // the genes' natural-log scores, as ranked
        let genes: Vec<u32> = cr.gene_sum.keys().copied().collect();
        let s: Vec<f64> = cr
            .gene_sum
            .values()
            .map(|&(x, _)| x.ln() + cr.scale)
            .collect();
        let top_pos = [genes.binary_search(&top).map_err(|_| "top gene")?];
        let terms = (0..EFFECTIVE)
            .map(|k| probability_terms(&s, &top_pos, effective(k)))
            .collect();
        let reported = cr.gene_probability[&top];
        let most = cr.gene_probability.values().copied().fold(0.0, f64::max);
        let rec = Record {
            observed,
            genes: s.len(),
            terms,
            reported,
            top_is_most_probable: reported >= most,
        };
        self.records
            .lock()
            .expect("not poisoned")
            .insert(job.case_id.to_string(), rec);
        Ok(())
    }
}

impl VariantPipeline for Recorder {
    fn info(&self) -> PipelineInfo {
        PipelineInfo {
            name: format!("odyssey {} (phenotype LR x genotype LR)", env!("CARGO_PKG_VERSION")),
            annotation_sources: vec![
                format!("gene models: {}", self.analyzer.gene_models()),
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
        if job.leave_publication_out {
            self.record(job, vcf)?;
        }
        let r = self.analyzer.rank(
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

/// One case of the fit.
struct Case {
    fit: FitCase,
    observed: usize,
}

/// What can be said of the annotation sources on this machine (as `odyssey bench` states it).
const ANNOTATION_NOTE: &str = "Available here: Odyssey's embedded gene models and consequence annotator; gnomAD, ClinVar, dbSNP and score sources only as small excerpts (annonars, Exomiser and vcfanno test data, SpliceAI excerpt). Not available: full gnomAD, full ClinVar, dbNSFP, CADD, REVEL, AlphaMissense. Spiked and background variants go through the same annotation.";

/// Runs the spiked benchmark (leave-publication-out), writes its report to `out` (folder and
/// name stem) when given, and every case's terms to `dump`.
fn run_and_dump(dump: &Path, out_dir: Option<(PathBuf, String)>) -> Result<(), String> {
    let cases_dir = PathBuf::from("../shared/data/phenopacket-store/cases");
    let t = std::time::Instant::now();
    let kb = odyssey::KbHandle::embedded().map_err(|e| e.to_string())?;
    let info = KbInfo {
        source: kb.source.clone(),
        hpo_release: kb.kb.meta().hpo_release.clone(),
        checksum: kb.checksum.clone(),
        load_ms: t.elapsed().as_secs_f64() * 1e3,
        ..Default::default()
    };
    let corpus = Corpus::load(&cases_dir, Some(Path::new("bench/spiked-sample.txt")))
        .map_err(|e| e.to_string())?;
    let background = Background::read(
        Path::new("../shared/data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz"),
        None,
    )
    .map_err(|e| e.to_string())?;
    if background.assembly != Assembly::GRCh37 {
        return Err("expected the GRCh37 Pfeiffer background".into());
    }
    let chain = ChainMap::from_path(Path::new(
        "../shared/data/liftover/hg38ToHg19.over.chain.gz",
    ))
    .map_err(|e| e.to_string())?;
    let tsv = TsvLiftover::read(&cases_dir.parent().expect("a parent").join("cases.tsv"))
        .map_err(|e| e.to_string())?;
    let spiker = Spiker {
        background,
        chain: Some(chain),
        tsv: Some(tsv),
    };
    let command = std::iter::once(
        "cargo run --release -p odyssey-cli --example calibrate_combined --".to_string(),
    )
    .chain(std::env::args().skip(1))
    .collect::<Vec<_>>()
    .join(" ");
    let cfg = SpikedConfig {
        leave_publication_out: true,
        options: ScorerOptions::default(),
        keep_vcfs: None,
        command,
        date: odyssey_bench::report::today_utc(),
        annotation_note: ANNOTATION_NOTE.into(),
        pheval: None,
    };
    let rec = Recorder {
        analyzer: SpikedAnalyzer::embedded(Assembly::GRCh37, true).map_err(|e| e.to_string())?,
        records: Mutex::new(HashMap::new()),
    };
    let out =
        run_spiked(&kb.kb, info, &corpus, &spiker, &cfg, Some(&rec)).map_err(|e| e.to_string())?;
    if let Some((dir, name)) = out_dir {
        let md = odyssey_bench::report::markdown(&out.report);
        let json = serde_json::to_string(&out.report).map_err(|e| e.to_string())? + "\n";
        for (ext, text) in [("json", json), ("md", md)] {
            let p = dir.join(format!("{name}.{ext}"));
            std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    let ri = out
        .runs
        .iter()
        .position(|r| r.key == "pipeline-lpo")
        .ok_or("no pipeline-lpo run")?;
    let id_of: HashMap<&str, &str> = corpus
        .cases
        .iter()
        .map(|c| (c.rel_path.as_str(), c.id.as_str()))
        .collect();
    let records = rec.records.into_inner().expect("not poisoned");
    let mut text = String::new();
    let mut not_most = 0;
    for o in out.outcomes.iter().filter(|o| o.has_gold_gene) {
        let Some(r) = id_of
            .get(o.rel_path.as_str())
            .and_then(|id| records.get(*id))
        else {
            continue;
        };
        let Some((p, hit)) = o.top_gene_probability[ri] else {
            continue;
        };
        // the recorded analysis is the one the benchmark scored
        if (p - r.reported).abs() > 1e-12 {
            return Err(format!(
                "{}: reported {p} vs recorded {}",
                o.rel_path, r.reported
            ));
        }
        not_most += usize::from(!r.top_is_most_probable);
        let _ = write!(
            text,
            "{}\t{}\t{}\t{}\t{}\t",
            o.rel_path,
            o.half.name(),
            hit,
            r.observed,
            r.genes
        );
        for (k, t) in r.terms.iter().enumerate() {
            let sep = if k + 1 == EFFECTIVE { '\n' } else { ';' };
            let _ = write!(text, "{:e},{:e},{:e}{sep}", t.0, t.1, t.2);
        }
    }
    println!(
        "compiled defaults: cases whose top-ranked gene does not have the largest probability: {not_most}\n"
    );
    std::fs::write(dump, text).map_err(|e| format!("{}: {e}", dump.display()))
}

/// Reads the dump written by [`run_and_dump`].
fn read_dump(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bad = |line: usize, what: &str| format!("{}:{line}: {what}", path.display());
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 6 {
            return Err(bad(i + 1, "expected 6 tab-separated fields"));
        }
        let half = match f[1] {
            "A" => Half::A,
            "B" => Half::B,
            _ => return Err(bad(i + 1, "half: expected A or B")),
        };
        let num = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| bad(i + 1, "expected a number"))
        };
        let mut terms = Vec::new();
        for t in f[5].split(';') {
            let v: Vec<&str> = t.split(',').collect();
            if v.len() != 3 {
                return Err(bad(i + 1, "expected num,den,shift per temperature"));
            }
            terms.push((num(v[0])?, num(v[1])?, num(v[2])?));
        }
        if terms.len() != EFFECTIVE {
            return Err(bad(i + 1, "wrong number of temperatures"));
        }
        out.push(Case {
            fit: FitCase {
                terms,
                n: f[4]
                    .parse()
                    .map_err(|_| bad(i + 1, "genes: expected a count"))?,
                hit: f[2] == "true",
                half,
            },
            observed: f[3]
                .parse()
                .map_err(|_| bad(i + 1, "observed: expected a count"))?,
        });
    }
    Ok(out)
}

/// (θ_c, κ_c, p_u, ε).
type Params = (f64, f64, f64, f64);

fn temperature_index(c: &Case, (th, ka, _, _): Params) -> usize {
    nearest(th * (c.observed.max(1) as f64).powf(-ka))
}

fn prob(c: &Case, p: Params) -> f64 {
    (1.0 - p.3) * c.fit.probability(temperature_index(c, p), p.2)
}

fn log_loss(cases: &[&Case], p: Params) -> f64 {
    let mut sum = 0.0;
    for c in cases {
        let q = prob(c, p).clamp(1e-6, 1.0 - 1e-6);
        sum -= if c.fit.hit { q.ln() } else { (1.0 - q).ln() };
    }
    sum / cases.len().max(1) as f64
}

/// Least mean log loss over `cases` on the grid (κ_c fixed at 0 when `no_decay`; ε at 0
/// unless `ceiling`).
fn fit(cases: &[&Case], no_decay: bool, ceiling: bool) -> (Params, f64) {
    let mut best = ((1.0, 0.0, 0.5, 0.0), f64::INFINITY);
    for &th in &THETAS {
        for &ka in KAPPAS.iter().filter(|&&k| !no_decay || k == 0.0) {
            for &pu in &PRETEST {
                for &eps in CEILINGS.iter().filter(|&&e| ceiling || e == 0.0) {
                    let l = log_loss(cases, (th, ka, pu, eps));
                    if l < best.1 {
                        best = ((th, ka, pu, eps), l);
                    }
                }
            }
        }
    }
    best
}

/// Cases with p ≥ `at`: (count, mean p, hit rate).
fn top_bins(pairs: &[(f64, bool)], at: f64) -> (usize, f64, f64) {
    let top: Vec<&(f64, bool)> = pairs.iter().filter(|(p, _)| *p >= at).collect();
    let n = top.len().max(1) as f64;
    (
        top.len(),
        top.iter().map(|(p, _)| p).sum::<f64>() / n,
        top.iter().filter(|(_, h)| *h).count() as f64 / n,
    )
}

fn pairs(cs: &[&Case], p: Params) -> Vec<(f64, bool)> {
    cs.iter().map(|c| (prob(c, p), c.fit.hit)).collect()
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let dump = match arg("--from") {
        Some(p) => p,
        None => {
            let p = arg("--dump").unwrap_or_else(|| "/tmp/odyssey-combined-fit.tsv".into());
            let out = arg("--out")
                .zip(arg("--name"))
                .map(|(d, n)| (d, n.display().to_string()));
            run_and_dump(&p, out)?;
            eprintln!("wrote {}", p.display());
            p
        }
    };
    let cases = read_dump(&dump)?;
    let of = |h: Half| -> Vec<&Case> { cases.iter().filter(|c| c.fit.half == h).collect() };
    let (a, b) = (of(Half::A), of(Half::B));
    let all: Vec<&Case> = cases.iter().collect();
    let before: Params = (1.0, 0.0, 0.5, 0.0);
    println!(
        "cases naming a causal gene: {} (A {}, B {}); hits (top gene causal): {}\n",
        cases.len(),
        a.len(),
        b.len(),
        cases.iter().filter(|c| c.fit.hit).count()
    );
    println!("| family | fitted on | θ_c | κ_c | p_u | ε | log loss there | held-out log loss (other half) | held-out ECE (other half) | the other half before: log loss, ECE |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut chosen = Vec::new();
    for (family, no_decay, ceiling) in [
        ("θ_c n^-κ_c, p_u", false, false),
        ("θ_c, p_u (κ_c = 0)", true, false),
        ("θ_c n^-κ_c, p_u, ceiling 1 − ε", false, true),
    ] {
        let (fa, la) = fit(&a, no_decay, ceiling);
        let (fb, lb) = fit(&b, no_decay, ceiling);
        let (fall, lall) = fit(&all, no_decay, ceiling);
        for (name, f, l, other) in [("half A", fa, la, &b), ("half B", fb, lb, &a)] {
            println!(
                "| {family} | {name} | {} | {} | {} | {} | {l:.4} | {:.4} | {:.3} | {:.4}, {:.3} |",
                f.0,
                f.1,
                f.2,
                f.3,
                log_loss(other, f),
                from_pairs("", pairs(other, f)).ece,
                log_loss(other, before),
                from_pairs("", pairs(other, before)).ece,
            );
        }
        println!(
            "| {family} | all | {} | {} | {} | {} | {lall:.4} | | | |",
            fall.0, fall.1, fall.2, fall.3
        );
        chosen.push((family, fa, fb, fall));
    }
    println!("\nHeld out (A with B's choice, B with A's), the top bins: cases, mean p, hit rate\n\n| family | p ≥ 0.8 | p ≥ 0.9 |\n|---|---|---|");
    for (family, fa, fb, _) in &chosen {
        let mut cross = pairs(&a, *fb);
        cross.extend(pairs(&b, *fa));
        let (n8, m8, h8) = top_bins(&cross, 0.8);
        let (n9, m9, h9) = top_bins(&cross, 0.9);
        println!("| {family} | {n8}, {m8:.3}, {h8:.3} | {n9}, {m9:.3}, {h9:.3} |");
    }
    println!();
    let (_, fa, fb, fall) = chosen[0];
    let mut cross = pairs(&a, fb);
    cross.extend(pairs(&b, fa));
    let tables = [
        from_pairs(
            "before (θ_c 1, κ_c 0, p_u 0.5), all cases",
            pairs(&all, before),
        ),
        from_pairs("before, half A", pairs(&a, before)),
        from_pairs("before, half B", pairs(&b, before)),
        from_pairs("cross-fitted (A with B's choice; B with A's)", cross),
        from_pairs("half A with B's choice", pairs(&a, fb)),
        from_pairs("half B with A's choice", pairs(&b, fa)),
        from_pairs(
            &format!(
                "all cases with the whole-sample choice (θ_c {}, κ_c {}, p_u {})",
                fall.0, fall.1, fall.2
            ),
            pairs(&all, fall),
        ),
    ];
    print!("{}", markdown(&tables));
    Ok(())
}
