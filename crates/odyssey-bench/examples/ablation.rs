//! Ablation runs of the phenotype model under leave-publication-out: each argument is one
//! setting, `name=value[,name=value...]` with the parameter names of the stability scan
//! (`odyssey_bench::stability::params`, and `merge_equivalents=0|1`), or `default`. Prints, per setting, gene- and
//! disease-level top-1 / top-10 / MRR on the whole corpus and gene top-1 and MRR on each half
//! of the 2-fold cohort split.
//!
//! `cargo run --release -p odyssey-bench --example ablation -- default size_prior=0.5`
//! (reads `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::path::PathBuf;

use odyssey_bench::metrics::LevelMetrics;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::stability::{evaluate_setting, params};
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::ScorerOptions;

fn merged(a: &LevelMetrics, b: &LevelMetrics) -> LevelMetrics {
    let mut m = a.clone();
    m.cases += b.cases;
    m.not_found += b.not_found;
    m.reciprocal_rank_sum += b.reciprocal_rank_sum;
    for (x, y) in m.found_within.iter_mut().zip(b.found_within) {
        *x += y;
    }
    m
}

fn options(setting: &str) -> Result<ScorerOptions, String> {
    let mut o = ScorerOptions::default();
    if setting == "default" {
        return Ok(o);
    }
    let ps = params();
    for kv in setting.split(',') {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("{kv}: expected name=value"))?;
        let v: f64 = v.parse().map_err(|_| format!("{kv}: not a number"))?;
        if k == "merge_equivalents" {
            // not in the stability scan: a switch, 0 or 1
            o.merge_equivalents = v != 0.0;
            continue;
        }
        let p = ps
            .iter()
            .find(|p| p.name == k)
            .ok_or_else(|| format!("{k}: unknown parameter"))?;
        (p.set)(&mut o, v);
    }
    Ok(o)
}

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    println!("| setting | gene top-1 A | gene top-1 B | gene top-1 | gene top-10 | gene MRR | disease top-1 | disease top-10 | gene MRR A | gene MRR B |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for setting in std::env::args().skip(1) {
        let (g, d) = evaluate_setting(&kb, options(&setting)?, &corpus.cases);
        let (ga, dall) = (merged(&g.a, &g.b), merged(&d.a, &d.b));
        let pct = |m: &LevelMetrics, k: usize| 100.0 * m.recall(k);
        println!(
            "| {setting} | {:.2} | {:.2} | {:.2} | {:.2} | {:.4} | {:.2} | {:.2} | {:.4} | {:.4} |",
            pct(&g.a, 1),
            pct(&g.b, 1),
            pct(&ga, 1),
            pct(&ga, 10),
            ga.mrr(),
            pct(&dall, 1),
            pct(&dall, 10),
            g.a.mrr(),
            g.b.mrr()
        );
    }
    Ok(())
}
