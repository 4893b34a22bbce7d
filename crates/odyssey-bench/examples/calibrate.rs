//! Fits the calibration parameters of the post-test probability under leave-publication-out
//! with cohort-grouped 2-fold cross-validation: the temperature θ
//! (`probability_temperature`), its decay with the number of observed terms κ
//! (`probability_term_decay`: the case's temperature is θ n^-κ, n its observed terms), and
//! the pretest probability of "none of them" (`pretest_unknown`), and the gene-rank prior's
//! weight ε (`probability_rank_mixture`; the top gene's probability is (1 − ε) P + ε r̄, r̄
//! the mean of c k^-2 over its tie group's ranks). The prior's rank-1 mass c
//! (`probability_rank_prior`) is not fitted but measured: the fraction of the fitting cases
//! whose top gene is causal.
//! Each half of the cohort
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

/// Weights ε of the gene-rank prior of the grid.
const EPSILONS: [f64; 11] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

/// One grid point: θ, κ, p_u, ε, c.
#[derive(Clone, Copy, Debug)]
struct Params {
    theta: f64,
    kappa: f64,
    pu: f64,
    eps: f64,
    c: f64,
}

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
    /// Genes tied with the top gene (at least 1).
    ties: usize,
}

/// Least mean log loss over `cases` on the (θ, κ, p_u, ε) grid, with the gene-rank prior's
/// rank-1 mass c measured, not fitted: the fraction of `cases` whose top gene is causal (at
/// most 0.6). Returns (parameters, loss).
fn fit(cases: &[&Case], with_prior: bool) -> (Params, f64) {
    let top1 = cases.iter().filter(|c| c.fit.hit).count() as f64 / cases.len().max(1) as f64;
    let top1 = top1.min(odyssey_kb::MAX_RANK_PRIOR);
    let mut grid = Vec::new();
    for &theta in &THETAS {
        for &kappa in &KAPPAS {
            for &pu in &PRETEST {
                for &eps in EPSILONS.iter().filter(|&&e| with_prior || e == 0.0) {
                    let c = if eps == 0.0 { 0.0 } else { top1 };
                    grid.push(Params {
                        theta,
                        kappa,
                        pu,
                        eps,
                        c,
                    });
                }
            }
        }
    }
    grid.into_par_iter()
        .map(|q| (q, mean_log_loss(cases, q)))
        .reduce_with(|a, b| if b.1 < a.1 { b } else { a })
        .expect("a non-empty grid")
}

fn prob(c: &Case, q: Params) -> f64 {
    let t = q.theta * (c.observed.max(1) as f64).powf(-q.kappa);
    let p = c.fit.probability(nearest(t), q.pu);
    odyssey_pheno::rank::with_rank_prior(p, q.eps, q.c, 1, c.ties)
}

/// Mean log loss of the top gene's probability (clamped to [1e-6, 1 − 1e-6]) over `cases`
/// at grid point `q`.
fn mean_log_loss(cases: &[&Case], q: Params) -> f64 {
    let sum: f64 = cases
        .iter()
        .map(|c| {
            let p = prob(c, q).clamp(1e-6, 1.0 - 1e-6);
            if c.fit.hit {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum();
    sum / cases.len().max(1) as f64
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
            let (top, ties) = ev.top_gene_ties(&w)?;
            let top = top.to_vec();
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
                ties,
            })
        })
        .flatten()
        .collect();
    let of = |h: Half| -> Vec<&Case> { cases.iter().filter(|c| c.fit.half == h).collect() };
    let (a, b) = (of(Half::A), of(Half::B));
    let all: Vec<&Case> = cases.iter().collect();
    println!(
        "cases: {} (A {}, B {}), τ = {tau}, grid θ {THETAS:?} × κ {KAPPAS:?} × p_u {PRETEST:?} × ε {EPSILONS:?}, c the fitting cases' top-1 rate\n",
        cases.len(),
        a.len(),
        b.len(),
    );
    // the family without the gene-rank prior (ε = 0), for comparison out of sample
    let (ta, tb) = (fit(&a, false), fit(&b, false));
    let (fa, fb, fall) = (fit(&a, true), fit(&b, true), fit(&all, true));
    println!(
        "| fitted on | θ | κ | p_u | ε | c | log loss there |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    for (name, (q, l)) in [("half A", fa), ("half B", fb), ("all", fall)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {l:.4} |",
            q.theta, q.kappa, q.pu, q.eps, q.c
        );
    }
    println!();
    let pairs = |cs: &[&Case], q: Params| -> Vec<(f64, bool)> {
        cs.iter().map(|c| (prob(c, q), c.fit.hit)).collect()
    };
    println!("Out of sample (each half scored with the other's choice), log loss and ECE:\n");
    println!("| family | A with B's | B with A's | pooled | ECE A | ECE B | ECE pooled |\n|---|---:|---:|---:|---:|---:|---:|");
    for (name, (qa, qb)) in [
        ("θ, κ, p_u", (ta.0, tb.0)),
        ("θ, κ, p_u, ε (gene-rank prior)", (fa.0, fb.0)),
    ] {
        let (la, lb) = (mean_log_loss(&a, qb), mean_log_loss(&b, qa));
        let pooled =
            (la * a.len() as f64 + lb * b.len() as f64) / (a.len() + b.len()).max(1) as f64;
        let mut both = pairs(&a, qb);
        both.extend(pairs(&b, qa));
        println!(
            "| {name} | {la:.4} | {lb:.4} | {pooled:.4} | {:.3} | {:.3} | {:.3} |",
            from_pairs("", pairs(&a, qb)).ece,
            from_pairs("", pairs(&b, qa)).ece,
            from_pairs("", both).ece
        );
    }
    println!();
    let mut cross = pairs(&a, fb.0);
    cross.extend(pairs(&b, fa.0));
    let mut tables = vec![
        from_pairs("cross-fitted (A with B's choice; B with A's)", cross),
        from_pairs("half A with B's choice", pairs(&a, fb.0)),
        from_pairs("half B with A's choice", pairs(&b, fa.0)),
        from_pairs(
            "all cases with the whole-corpus choice",
            pairs(&all, fall.0),
        ),
    ];
    let global = Params {
        theta: base.probability_temperature,
        kappa: base.probability_term_decay,
        pu: base.probability_pretest_unknown,
        eps: base.probability_rank_mixture,
        c: base.probability_rank_prior,
    };
    tables.push(from_pairs(
        "all cases with the global defaults",
        pairs(&all, global),
    ));
    // the calibration the knowledge base records (`kb build --cases` or `--calibration`)
    if let Some(c) = kb.calibration() {
        let q = Params {
            theta: c.temperature,
            kappa: c.term_decay,
            pu: c.pretest_unknown,
            eps: c.rank_mixture,
            c: c.rank_prior,
        };
        let name = format!("the KB's recorded calibration ({})", c.short());
        tables.push(from_pairs(
            &format!("all cases with {name}"),
            pairs(&all, q),
        ));
        tables.push(from_pairs(&format!("half A with {name}"), pairs(&a, q)));
        tables.push(from_pairs(&format!("half B with {name}"), pairs(&b, q)));
    }
    print!("{}", markdown(&tables));
    Ok(())
}
