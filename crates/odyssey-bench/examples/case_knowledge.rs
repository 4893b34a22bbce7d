//! Published patients as knowledge, measured under leave-publication-out on both halves of the
//! 2-fold cohort split. Each argument is one setting `SOURCE:EXCLUDED`:
//!
//! * `none`: the HPO release alone, built the same way (the reference row);
//! * `all:zero`, `all:ignore`: knowledge from every case of the corpus (each case's own
//!   publication left out of its scoring by leave-publication-out); excluded terms as `0/n`
//!   rows or ignored (`odyssey_bench::case_knowledge::ExcludedTerms`);
//! * `other-half:zero`, `other-half:ignore`: the stricter variant: cases of half A are scored
//!   with knowledge from half B's cohorts only and vice versa, so no case is scored with
//!   knowledge from its own cohort (phenopacket-store curates a gene's cohort in one style) or
//!   its own gene;
//! * `earlier:zero`, `earlier:ignore`: knowledge from every case, but each case is scored
//!   without the publications about its diagnosis whose PubMed id is not lower than its own
//!   (the literature before it; HPOA rows citing them are left out too); `earlier:none`
//!   is the same leave-out without case knowledge.
//!
//! `cargo run --release -p odyssey-bench --example case_knowledge -- none all:zero other-half:zero`
//! (reads `../shared/data/phenopacket-store/cases`, or `ODYSSEY_CASES`, and the HPO release in
//! `data/hpo/2025-01-16`, or `ODYSSEY_HPO`).

use std::path::PathBuf;

use odyssey_bench::case_knowledge::{case_knowledge, ExcludedTerms};
use odyssey_bench::corpus::BenchCase;
use odyssey_bench::metrics::LevelMetrics;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::split::Half;
use odyssey_bench::stability::evaluate_setting;
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

fn build(
    hpo: &std::path::Path,
    knowledge: &[&BenchCase],
    rule: Option<ExcludedTerms>,
) -> Result<KnowledgeBase, String> {
    let extra = rule.map(|r| {
        let (x, rep) = case_knowledge(knowledge, r);
        eprintln!("knowledge: {rep:?}");
        x
    });
    let (kb, rep) =
        KnowledgeBase::build_with(hpo, None, extra.as_ref()).map_err(|e| e.to_string())?;
    eprintln!(
        "built: {} diseases, {} genes, {} extra rows with unknown terms",
        kb.diseases().len(),
        kb.genes().len(),
        rep.extra_unknown_terms
    );
    Ok(kb)
}

/// The cases with, as publications to leave out, their own PMIDs plus every PMID of a corpus
/// case of the same diagnosis that is not lower than the case's own (PubMed ids grow roughly
/// with the date of entry): the knowledge of the case's disease is then the literature
/// published before it. HPOA rows citing those PMIDs are left out too.
fn later_publications(cases: &[BenchCase]) -> Vec<BenchCase> {
    let num = |p: &str| p.trim_start_matches("PMID:").parse::<u64>().unwrap_or(0);
    let mut by_disease: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for c in cases {
        for d in &c.gold_diseases {
            by_disease
                .entry(d)
                .or_default()
                .extend(c.publications.iter().map(String::as_str));
        }
    }
    cases
        .iter()
        .map(|c| {
            let mut c2 = c.clone();
            let own = c.publications.iter().map(|p| num(p)).min().unwrap_or(0);
            for d in &c.gold_diseases {
                for p in &by_disease[d.as_str()] {
                    if num(p) >= own && !c2.publications.iter().any(|x| x == p) {
                        c2.publications.push((*p).to_string());
                    }
                }
            }
            c2
        })
        .collect()
}

fn main() -> Result<(), String> {
    let env_path =
        |k: &str, d: &str| std::env::var_os(k).map_or_else(|| PathBuf::from(d), PathBuf::from);
    let dir = env_path("ODYSSEY_CASES", "../shared/data/phenopacket-store/cases");
    let hpo = env_path("ODYSSEY_HPO", "data/hpo/2025-01-16");
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let all: Vec<&BenchCase> = corpus.cases.iter().collect();
    println!("| setting | gene top-1 A | gene top-1 B | gene top-1 | gene top-10 A | gene top-10 B | gene top-10 | gene MRR | disease top-1 | disease top-10 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for setting in std::env::args().skip(1) {
        let (source, rule) = match setting.split_once(':') {
            None if setting == "none" => ("none", None),
            Some((s, "zero")) => (s, Some(ExcludedTerms::ZeroCount)),
            Some((s, "ignore")) => (s, Some(ExcludedTerms::Ignore)),
            // the same leave-out without case knowledge (the reference of `earlier`)
            Some((s, "none")) => (s, None),
            _ => {
                return Err(format!(
                    "{setting}: expected none or SOURCE:zero|ignore|none"
                ))
            }
        };
        let o = ScorerOptions::default;
        let (g, d) = match source {
            "none" | "all" => evaluate_setting(&build(&hpo, &all, rule)?, o(), &corpus.cases),
            "other-half" => {
                let half = |h: Half| -> Vec<BenchCase> {
                    corpus
                        .cases
                        .iter()
                        .filter(|c| Half::of(&c.cohort) == h)
                        .cloned()
                        .collect()
                };
                let (a, b) = (half(Half::A), half(Half::B));
                let ka = build(&hpo, &b.iter().collect::<Vec<_>>(), rule)?;
                let (mut g, mut d) = evaluate_setting(&ka, o(), &a);
                drop(ka);
                let kb = build(&hpo, &a.iter().collect::<Vec<_>>(), rule)?;
                let (g2, d2) = evaluate_setting(&kb, o(), &b);
                (g.b, d.b) = (g2.b, d2.b);
                (g, d)
            }
            "earlier" => {
                let later = later_publications(&corpus.cases);
                evaluate_setting(&build(&hpo, &all, rule)?, o(), &later)
            }
            s => return Err(format!("{s}: expected none, all, other-half or earlier")),
        };
        let (ga, dall) = (merged(&g.a, &g.b), merged(&d.a, &d.b));
        let pct = |m: &LevelMetrics, k: usize| 100.0 * m.recall(k);
        println!(
            "| {setting} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {:.1} | {:.1} |",
            pct(&g.a, 1),
            pct(&g.b, 1),
            pct(&ga, 1),
            pct(&g.a, 10),
            pct(&g.b, 10),
            pct(&ga, 10),
            ga.mrr(),
            pct(&dall, 1),
            pct(&dall, 10)
        );
    }
    Ok(())
}
