//! Fits the calibration parameters of the post-test probability under leave-publication-out
//! with cohort-grouped 2-fold cross-validation: the temperature θ
//! (`probability_temperature`), its decay with the number of observed terms κ
//! (`probability_term_decay`: the case's temperature is θ n^-κ, n its observed terms), and
//! the pretest probability of "none of them" (`pretest_unknown`). Each half of the cohort
//! split (`odyssey_bench::split`) chooses the grid point of least log loss of the top gene's
//! probability, and is then scored with the other half's choice (ECE and reliability table,
//! out of sample). Prints the grid choices, the cross-fitted tables and the choice on the
//! whole corpus (the documented default).
//!
//! The case's temperature θ n^-κ is looked up on a fine log grid of effective temperatures
//! (ratio 1.05 between neighbours; the fit's resolution), computed once per case.
//!
//! `cargo run --release -p odyssey-bench --example calibrate`
//! (reads `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`; the
//! embedded knowledge base, or the compiled file in `ODYSSEY_KB`).

use std::path::PathBuf;

use odyssey_bench::calibration::{from_pairs, markdown, probability_terms, FitCase};
use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::split::Half;
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Method, ScorerOptions, Scratch};
use rayon::prelude::*;

/// Temperatures θ of the grid (at n = 1 observed term).
const THETAS: [f64; 20] = [
    0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 9.0, 10.0, 12.0, 15.0, 20.0,
    30.0, 50.0,
];
/// Decay exponents κ of the grid.
const KAPPAS: [f64; 12] = [
    0.0, 0.25, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.25, 1.5,
];
/// Pretest probabilities of "none of them" of the grid.
const PRETEST: [f64; 13] = [
    0.0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.98, 0.99, 0.999,
];

/// Effective temperatures: 0.005 × 1.05^k.
fn effective(k: usize) -> f64 {
    0.005 * 1.05f64.powi(k as i32)
}
const EFFECTIVE: usize = 220; // up to ~230

fn nearest(t: f64) -> usize {
    ((t / 0.005).ln() / 1.05f64.ln())
        .round()
        .clamp(0.0, (EFFECTIVE - 1) as f64) as usize
}

struct Case {
    fit: FitCase,
    observed: usize,
}

/// Least mean log loss over `cases` on the (θ, κ, p_u) grid: (θ, κ, p_u, loss).
fn fit3(cases: &[&Case]) -> (f64, f64, f64, f64) {
    let mut best = (0.0, 0.0, 0.0, f64::INFINITY);
    for &th in &THETAS {
        for &ka in &KAPPAS {
            for &pu in &PRETEST {
                let mut sum = 0.0;
                for c in cases {
                    let p = prob(c, th, ka, pu).clamp(1e-6, 1.0 - 1e-6);
                    sum -= if c.fit.hit { p.ln() } else { (1.0 - p).ln() };
                }
                let l = sum / cases.len().max(1) as f64;
                if l < best.3 {
                    best = (th, ka, pu, l);
                }
            }
        }
    }
    best
}

fn prob(c: &Case, th: f64, ka: f64, pu: f64) -> f64 {
    let t = th * (c.observed.max(1) as f64).powf(-ka);
    c.fit.probability(nearest(t), pu)
}

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    // the embedded knowledge base, or a compiled one named by ODYSSEY_KB (e.g. with case
    // knowledge, `odyssey kb build --cases`)
    let kb = match std::env::var_os("ODYSSEY_KB") {
        Some(p) => KnowledgeBase::load(std::path::Path::new(&p)),
        None => KnowledgeBase::embedded(),
    }
    .map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let base = ScorerOptions::default();
    let ev = Evaluator::new(&kb, base.clone());
    let tau = base.evidence_weight;
    let cases: Vec<Case> = corpus
        .cases
        .par_iter()
        .map_init(Scratch::default, |scratch, c| {
            let (gold, _) = ev.gold(c);
            // every case naming a causal gene, in the KB or not (a miss when not)
            if gold.genes_given == 0 {
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
            Some(Case {
                fit: FitCase {
                    terms: (0..EFFECTIVE)
                        .map(|k| probability_terms(&w, &top, effective(k)))
                        .collect(),
                    n: w.len(),
                    hit: ranks.gene == Some(1),
                    half: Half::of(&c.cohort),
                },
                observed: resolved.observed.len(),
            })
        })
        .flatten()
        .collect();
    let of = |h: Half| -> Vec<&Case> { cases.iter().filter(|c| c.fit.half == h).collect() };
    let (a, b) = (of(Half::A), of(Half::B));
    let all: Vec<&Case> = cases.iter().collect();
    println!(
        "cases: {} (A {}, B {}), τ = {tau}, grid θ {:?} × κ {:?} × p_u {:?}\n",
        cases.len(),
        a.len(),
        b.len(),
        THETAS,
        KAPPAS,
        PRETEST
    );
    let (fa, fb, fall) = (fit3(&a), fit3(&b), fit3(&all));
    // the two-parameter family of before (κ = 0), for comparison
    println!("| fitted on | θ | κ | p_u | log loss there |\n|---|---:|---:|---:|---:|");
    for (name, f) in [("half A", fa), ("half B", fb), ("all", fall)] {
        println!("| {name} | {} | {} | {} | {:.4} |", f.0, f.1, f.2, f.3);
    }
    println!();
    let pairs = |cs: &[&Case], f: (f64, f64, f64, f64)| -> Vec<(f64, bool)> {
        cs.iter()
            .map(|c| (prob(c, f.0, f.1, f.2), c.fit.hit))
            .collect()
    };
    let before = from_pairs(
        "before (θ 1, κ 0, p_u 0.5), all cases",
        pairs(&all, (1.0, 0.0, 0.5, 0.0)),
    );
    let mut cross = pairs(&a, fb);
    cross.extend(pairs(&b, fa));
    let cross = from_pairs("cross-fitted (A with B's choice; B with A's)", cross);
    let a_with_b = from_pairs("half A with B's choice", pairs(&a, fb));
    let b_with_a = from_pairs("half B with A's choice", pairs(&b, fa));
    let in_sample = from_pairs(
        &format!(
            "all cases with the whole-corpus choice (θ {}, κ {}, p_u {})",
            fall.0, fall.1, fall.2
        ),
        pairs(&all, fall),
    );
    let defaults = from_pairs(
        &format!(
            "all cases with the global defaults (θ {}, κ {}, p_u {})",
            base.probability_temperature,
            base.probability_term_decay,
            base.probability_pretest_unknown
        ),
        pairs(
            &all,
            (
                base.probability_temperature,
                base.probability_term_decay,
                base.probability_pretest_unknown,
                0.0,
            ),
        ),
    );
    let mut tables = vec![before, defaults, cross, a_with_b, b_with_a, in_sample];
    // the calibration the knowledge base records (`kb build --cases` or `--calibration`)
    if let Some(c) = kb.calibration() {
        let f = (c.temperature, c.term_decay, c.pretest_unknown, 0.0);
        tables.push(from_pairs(
            &format!(
                "all cases with the KB's recorded calibration ({})",
                c.short()
            ),
            pairs(&all, f),
        ));
        tables.push(from_pairs(
            "half A with the KB's recorded calibration",
            pairs(&a, f),
        ));
        tables.push(from_pairs(
            "half B with the KB's recorded calibration",
            pairs(&b, f),
        ));
    }
    print!("{}", markdown(&tables));
    Ok(())
}
