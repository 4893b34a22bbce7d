//! Fits the two calibration parameters of the post-test probability, the temperature θ
//! (`probability_temperature`) and the pretest probability of "none of them"
//! (`pretest_unknown`), under leave-publication-out with cohort-grouped 2-fold
//! cross-validation: each half of the cohort split (`odyssey_bench::split`) chooses the grid
//! point of least log loss of the top gene's probability, and is then scored with the other
//! half's choice (ECE and reliability table, out of sample). Prints the grid choices, the
//! cross-fitted tables and the choice on the whole corpus (the documented default).
//!
//! `cargo run --release -p odyssey-bench --example calibrate`
//! (reads `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::path::PathBuf;

use odyssey_bench::calibration::{fit, from_pairs, markdown, probability_terms, FitCase};
use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::split::Half;
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Method, ScorerOptions, Scratch};
use rayon::prelude::*;

/// Temperatures θ of the grid.
const THETAS: [f64; 14] = [
    0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0,
];
/// Pretest probabilities of "none of them" of the grid.
const PRETEST: [f64; 16] = [
    0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999,
];

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let base = ScorerOptions::default();
    let ev = Evaluator::new(&kb, base.clone());
    let tau = base.evidence_weight;
    let cases: Vec<FitCase> = corpus
        .cases
        .par_iter()
        .map_init(Scratch::default, |scratch, c| {
            let (gold, _) = ev.gold(c);
            if gold.genes.is_empty() {
                return None;
            }
            let resolved = ev.resolve(c).ok()?;
            let (scores, effect) = ev.scores(
                &resolved,
                Method::LikelihoodRatio,
                Some(&c.publications),
                scratch,
            );
            let ranks = ev.gold_ranks_from_scores(
                &scores,
                Method::LikelihoodRatio,
                &gold,
                &effect.diseases_emptied,
            );
            let w: Vec<f64> = scores.iter().map(|s| s * tau).collect();
            let top = ev.top_gene(&w)?.to_vec();
            Some(FitCase {
                terms: THETAS
                    .iter()
                    .map(|&t| probability_terms(&w, &top, t))
                    .collect(),
                n: w.len(),
                hit: ranks.gene == Some(1),
                half: Half::of(&c.cohort),
            })
        })
        .flatten()
        .collect();
    let of = |h: Half| -> Vec<&FitCase> { cases.iter().filter(|c| c.half == h).collect() };
    let (a, b) = (of(Half::A), of(Half::B));
    let all: Vec<&FitCase> = cases.iter().collect();
    let default_t = THETAS.iter().position(|&t| t == 1.0).unwrap();
    println!(
        "cases: {} (A {}, B {}), τ = {tau}, grid θ {:?} × p_u {:?}\n",
        cases.len(),
        a.len(),
        b.len(),
        THETAS,
        PRETEST
    );
    let fa = fit(&a, THETAS.len(), &PRETEST);
    let fb = fit(&b, THETAS.len(), &PRETEST);
    let fall = fit(&all, THETAS.len(), &PRETEST);
    println!("| fitted on | θ | p_u | log loss there |\n|---|---:|---:|---:|");
    for (name, f) in [("half A", fa), ("half B", fb), ("all", fall)] {
        println!("| {name} | {} | {} | {:.4} |", THETAS[f.0], f.1, f.2);
    }
    println!();
    let pairs = |cs: &[&FitCase], t: usize, p: f64| -> Vec<(f64, bool)> {
        cs.iter().map(|c| (c.probability(t, p), c.hit)).collect()
    };
    // before: the former defaults (θ = 1, p_u = 0.5) on all cases
    let before = from_pairs(
        "before (θ 1, p_u 0.5), all cases",
        pairs(&all, default_t, base.pretest_unknown),
    );
    // cross-fitted: A scored with B's choice and B with A's
    let mut cross = pairs(&a, fb.0, fb.1);
    cross.extend(pairs(&b, fa.0, fa.1));
    let cross = from_pairs("cross-fitted (A with B's θ, p_u; B with A's)", cross);
    let a_with_b = from_pairs("half A with B's choice", pairs(&a, fb.0, fb.1));
    let b_with_a = from_pairs("half B with A's choice", pairs(&b, fa.0, fa.1));
    let in_sample = from_pairs(
        &format!(
            "all cases with the whole-corpus choice (θ {}, p_u {})",
            THETAS[fall.0], fall.1
        ),
        pairs(&all, fall.0, fall.1),
    );
    print!(
        "{}",
        markdown(&[before, cross, a_with_b, b_with_a, in_sample])
    );
    Ok(())
}
