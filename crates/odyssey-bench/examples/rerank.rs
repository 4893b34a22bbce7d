//! A learned re-ranker of genes, measured under leave-publication-out with the 2-fold cohort
//! split (issue 11). For each case the top `K` genes of the default LR model are re-scored by
//! a linear function of a few features; the weights are fitted on one half of the cohorts and
//! evaluated on the other (and vice versa). Genes below the top `K` keep their order.
//!
//! Features per gene (all computed after leave-publication-out):
//! 1. `lr_gap`: the gene's LR score (ln of the sum of its diseases' weighted LRs, as the
//!    product ranks genes) minus the case's best gene score (≤ 0);
//! 2. `resnik_gap`: the gene's best Resnik BMA similarity (nats) minus the best among the
//!    case's top `K`;
//! 3. `ln_profile`: ln of the number of direct phenotype terms of the gene's best LR disease
//!    (its profile after leave-out);
//! 4. `ln_diseases`: ln of the number of ranked diseases of the gene;
//! 5. `exact`: fraction of observed terms annotated to that disease exactly;
//! 6. `implied`: fraction of observed terms that are a proper ancestor of one of its terms;
//! 7. `ln_rank`: ln of the gene's default rank (1-based).
//!
//! Model: conditional logit (softmax over the case's top `K`, the gold gene the positive;
//! McFadden 1974), features standardized on the training half, L2 penalty λ = 1e-3 per case,
//! fitted by full-batch gradient ascent (fixed 3000 steps, step 0.5). Cases whose gold gene is
//! outside the top `K` do not enter the fit. Ranks are pessimistic (ties count against the
//! gold gene, relative tolerance 1e-9), as in `odyssey_bench::evaluate`.
//!
//! `ODYSSEY_RERANK_FEATURES=lr_gap,resnik_gap` fits only the named features (the others weigh
//! 0); the lr_gap weight starts at its default-ranking value whether fitted or not.
//!
//! `cargo run --release -p odyssey-bench --example rerank -- [K]` (default K = 50; reads
//! `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::path::PathBuf;

use odyssey_bench::corpus::BenchCase;
use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::split::Half;
use odyssey_kb::{DiseaseIdx, KnowledgeBase, TermIdx};
use odyssey_pheno::{Method, ProfileBuilder, ScorerOptions, Scratch};
use rayon::prelude::*;

const F: usize = 7;
const NAMES: [&str; F] = [
    "lr_gap",
    "resnik_gap",
    "ln_profile",
    "ln_diseases",
    "exact",
    "implied",
    "ln_rank",
];

/// One case: its half, its default gold-gene rank (None: miss), and, when the gold gene is in
/// the top K, the features of the top K genes and the gold's position among them.
struct CaseRow {
    half: Half,
    base_rank: Option<usize>,
    top: Vec<[f64; F]>,
    gold_in_top: Option<usize>,
}

fn tied(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Pessimistic 1-based rank of `s` among `all` (itself included).
fn rank_among(all: impl Iterator<Item = f64>, s: f64) -> usize {
    all.filter(|&x| x > s || (x.is_finite() && tied(x, s)))
        .count()
}

struct Ctx<'a> {
    ev: Evaluator<'a>,
    kb: &'a KnowledgeBase,
    /// Gene -> index positions of its ranked diseases (genes with at least one).
    genes: Vec<(u32, Vec<usize>)>,
    k: usize,
}

fn gene_positions(ev: &Evaluator, kb: &KnowledgeBase) -> Vec<(u32, Vec<usize>)> {
    let mut by_gene: Vec<Vec<usize>> = vec![Vec::new(); kb.genes().len()];
    for (pos, &d) in ev.scorer().index().diseases().iter().enumerate() {
        for &g in &kb.disease(d).genes {
            by_gene[g as usize].push(pos);
        }
    }
    by_gene
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(g, p)| (g as u32, p))
        .collect()
}

/// Direct terms of the disease at `pos` after leave-out of `pmids` (when it cites one).
fn profile_terms(
    ctx: &Ctx,
    pos: usize,
    d: DiseaseIdx,
    rescored: &[DiseaseIdx],
    pmids: &[String],
) -> Vec<TermIdx> {
    if !rescored.contains(&d) {
        return ctx.ev.scorer().disease_terms(pos).to_vec();
    }
    let skip = |a: &odyssey_kb::Annotation| odyssey_bench::leakage::cites(ctx.kb, a, pmids);
    ProfileBuilder::new(ctx.kb.ontology().len())
        .build(
            ctx.kb,
            ctx.kb.disease(d),
            &ctx.ev.scorer().options().index,
            &skip,
        )
        .map(|p| p.direct.iter().map(|e| e.0).collect())
        .unwrap_or_default()
}

/// Features and gold position of one case.
fn case_row(ctx: &Ctx, case: &BenchCase, scratch: &mut Scratch) -> Option<CaseRow> {
    let (gold, _) = ctx.ev.gold(case);
    if gold.genes_given == 0 {
        return None;
    }
    let half = Half::of(&case.cohort);
    let miss = CaseRow {
        half,
        base_rank: None,
        top: Vec::new(),
        gold_in_top: None,
    };
    let Ok(resolved) = ctx.ev.resolve(case) else {
        return Some(miss);
    };
    let pm = Some(&case.publications[..]);
    let (lr, eff) = ctx
        .ev
        .scores(&resolved, Method::LikelihoodRatio, pm, scratch);
    let (res, _) = ctx.ev.scores(&resolved, Method::Resnik, pm, scratch);
    let o = ctx.ev.scorer().options();
    let w: Vec<f64> = lr.iter().map(|s| s * o.evidence_weight).collect();
    let max = w.iter().copied().fold(f64::NEG_INFINITY, f64::max).max(0.0);
    let rho = o.gene_sharpness;
    let diseases = ctx.ev.scorer().index().diseases();
    let gscore: Vec<f64> = ctx
        .genes
        .iter()
        .map(|(_, p)| {
            p.iter()
                .map(|&i| (w[i] - max).exp().powf(rho))
                .sum::<f64>()
                .ln()
                / rho
                + max
        })
        .collect();
    // gold genes in the KB with a disease not emptied by leave-out
    let gold_i: Vec<usize> = gold
        .genes
        .iter()
        .filter_map(|g| ctx.genes.binary_search_by_key(g, |x| x.0).ok())
        .filter(|&i| {
            ctx.genes[i]
                .1
                .iter()
                .any(|&p| !eff.diseases_emptied.contains(&diseases[p]))
        })
        .collect();
    let base_rank = gold_i
        .iter()
        .map(|&i| rank_among(gscore.iter().copied(), gscore[i]))
        .min();
    let mut order: Vec<usize> = (0..gscore.len()).collect();
    // descending score, ties by gene order
    order.sort_by(|&a, &b| gscore[b].total_cmp(&gscore[a]).then(a.cmp(&b)));
    order.truncate(ctx.k);
    // the gold gene's slot: the best-ranked gold gene inside the top K
    let gold_in_top = order.iter().position(|i| gold_i.contains(i));
    let best = gscore[order[0]];
    let mut top: Vec<[f64; F]> = Vec::with_capacity(order.len());
    let n_obs = resolved.observed.len().max(1) as f64;
    let onto = ctx.kb.ontology();
    for &gi in &order {
        let pos = &ctx.genes[gi].1;
        let bd = *pos
            .iter()
            .max_by(|&&a, &&b| w[a].total_cmp(&w[b]).then(b.cmp(&a)))
            .expect("non-empty");
        let rs = pos
            .iter()
            .map(|&p| res[p])
            .filter(|x| x.is_finite())
            .fold(-1.0, f64::max);
        let terms = profile_terms(
            ctx,
            bd,
            diseases[bd],
            &eff.diseases_rescored,
            &case.publications,
        );
        let exact = resolved
            .observed
            .iter()
            .filter(|t| terms.contains(t))
            .count() as f64;
        let implied = resolved
            .observed
            .iter()
            .filter(|&&t| {
                !terms.contains(&t) && terms.iter().any(|&d| onto.is_ancestor_or_self(t, d))
            })
            .count() as f64;
        let r = rank_among(gscore.iter().copied(), gscore[gi]);
        top.push([
            gscore[gi] - best,
            rs,
            (terms.len().max(1) as f64).ln(),
            (pos.len() as f64).ln(),
            exact / n_obs,
            implied / n_obs,
            (r as f64).ln(),
        ]);
    }
    let rmax = top.iter().map(|f| f[1]).fold(f64::NEG_INFINITY, f64::max);
    for f in &mut top {
        f[1] -= rmax;
    }
    Some(CaseRow {
        half,
        base_rank,
        top,
        gold_in_top,
    })
}

/// Mean and standard deviation of each feature over the training rows' top-K genes.
fn standardizer(rows: &[&CaseRow]) -> ([f64; F], [f64; F]) {
    let (mut m, mut s, mut n) = ([0.0; F], [0.0; F], 0.0);
    for f in rows.iter().flat_map(|r| &r.top) {
        for j in 0..F {
            m[j] += f[j];
            s[j] += f[j] * f[j];
        }
        n += 1.0;
    }
    for j in 0..F {
        m[j] /= n;
        s[j] = (s[j] / n - m[j] * m[j]).max(1e-12).sqrt();
    }
    (m, s)
}

/// Conditional-logit fit on standardized features; returns weights on the raw scale.
fn fit(rows: &[&CaseRow], used: &[bool; F]) -> [f64; F] {
    let rows: Vec<&CaseRow> = rows
        .iter()
        .copied()
        .filter(|r| r.gold_in_top.is_some())
        .collect();
    let (mean, sd) = standardizer(&rows);
    let z = |f: &[f64; F]| -> [f64; F] { std::array::from_fn(|j| (f[j] - mean[j]) / sd[j]) };
    let data: Vec<(Vec<[f64; F]>, usize)> = rows
        .iter()
        .map(|r| (r.top.iter().map(z).collect(), r.gold_in_top.unwrap()))
        .collect();
    let n = data.len() as f64;
    let (lambda, step) = (1e-3, 0.5);
    let mut w = [0.0; F];
    w[0] = sd[0]; // start at the default ranking (lr_gap alone)
    for _ in 0..3000 {
        let g = data
            .par_iter()
            .fold(
                || [0.0; F],
                |mut g, (x, y)| {
                    let s: Vec<f64> = x
                        .iter()
                        .map(|f| (0..F).map(|j| w[j] * f[j]).sum())
                        .collect();
                    let m = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let e: Vec<f64> = s.iter().map(|v| (v - m).exp()).collect();
                    let tot: f64 = e.iter().sum();
                    for (xi, ei) in x.iter().zip(&e) {
                        for j in 0..F {
                            g[j] -= ei / tot * xi[j];
                        }
                    }
                    for j in 0..F {
                        g[j] += x[*y][j];
                    }
                    g
                },
            )
            .reduce(|| [0.0; F], |a, b| std::array::from_fn(|j| a[j] + b[j]));
        for j in (0..F).filter(|&j| used[j]) {
            w[j] += step * (g[j] / n - lambda * w[j]);
        }
    }
    std::array::from_fn(|j| w[j] / sd[j])
}

/// (top-1 %, top-10 %, MRR) of a half with the given gene ranks.
fn metrics(ranks: &[Option<usize>]) -> (f64, f64, f64) {
    let n = ranks.len() as f64;
    let within = |k| ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as f64 / n * 100.0;
    let mrr = ranks
        .iter()
        .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n;
    (within(1), within(10), mrr)
}

/// The gold rank after re-scoring the top K with `w` (outside the top K: the default rank).
fn reranked(r: &CaseRow, w: &[f64; F]) -> Option<usize> {
    let Some(gp) = r.gold_in_top else {
        return r.base_rank;
    };
    let s: Vec<f64> = r
        .top
        .iter()
        .map(|f| (0..F).map(|j| w[j] * f[j]).sum())
        .collect();
    Some(rank_among(s.iter().copied(), s[gp]))
}

fn main() -> Result<(), String> {
    let k: usize = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .map_err(|_| format!("{a}: expected K, a positive integer"))?,
        None => 50,
    };
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let ev = Evaluator::new(&kb, ScorerOptions::default());
    let genes = gene_positions(&ev, &kb);
    let ctx = Ctx {
        ev,
        kb: &kb,
        genes,
        k,
    };
    let rows: Vec<CaseRow> = corpus
        .cases
        .par_iter()
        .map_init(Scratch::default, |s, c| case_row(&ctx, c, s))
        .flatten()
        .collect();
    let half = |h: Half| rows.iter().filter(|r| r.half == h).collect::<Vec<_>>();
    let (a, b) = (half(Half::A), half(Half::B));
    // ODYSSEY_RERANK_FEATURES=lr_gap,resnik_gap,...: fit only these (the others weigh 0)
    let used: [bool; F] = match std::env::var("ODYSSEY_RERANK_FEATURES") {
        Ok(v) => {
            for name in v.split(',') {
                if !NAMES.contains(&name) {
                    return Err(format!(
                        "ODYSSEY_RERANK_FEATURES: {name}: expected one of {NAMES:?}"
                    ));
                }
            }
            std::array::from_fn(|j| v.split(',').any(|x| x == NAMES[j]))
        }
        Err(_) => [true; F],
    };
    let (wa, wb) = (fit(&a, &used), fit(&b, &used));
    println!(
        "K = {k}; cases with a gold gene: A {}, B {}",
        a.len(),
        b.len()
    );
    println!("| weights fitted on | {} |", NAMES.join(" | "));
    println!("|---|{}", "---:|".repeat(F));
    for (name, w) in [("A", &wa), ("B", &wb)] {
        let ws: Vec<String> = w.iter().map(|x| format!("{x:.4}")).collect();
        println!("| {name} | {} |", ws.join(" | "));
    }
    let mut id = [0.0; F];
    id[0] = 1.0;
    println!("\n| ranking | half | top-1 % | top-10 % | MRR | gold in top K |");
    println!("|---|---|---:|---:|---:|---:|");
    for (hn, rows, w_other, w_self) in [("A", &a, &wb, &wa), ("B", &b, &wa, &wb)] {
        let intop = rows.iter().filter(|r| r.gold_in_top.is_some()).count();
        for (label, ranks) in [
            (
                "default",
                rows.iter().map(|r| r.base_rank).collect::<Vec<_>>(),
            ),
            (
                "lr_gap alone (check)",
                rows.iter().map(|r| reranked(r, &id)).collect(),
            ),
            (
                "re-ranked, fitted on other half",
                rows.iter().map(|r| reranked(r, w_other)).collect(),
            ),
            (
                "re-ranked, fitted on same half (optimistic)",
                rows.iter().map(|r| reranked(r, w_self)).collect(),
            ),
        ] {
            let (t1, t10, mrr) = metrics(&ranks);
            println!("| {label} | {hn} | {t1:.1} | {t10:.1} | {mrr:.3} | {intop} |");
        }
    }
    // pooled over both halves, each scored with the weights of the other half
    let pooled = |f: &dyn Fn(&CaseRow) -> Option<usize>| {
        metrics(&a.iter().chain(&b).map(|r| f(r)).collect::<Vec<_>>())
    };
    let base = pooled(&|r| r.base_rank);
    let cross = pooled(&|r| reranked(r, if r.half == Half::A { &wb } else { &wa }));
    for (label, (t1, t10, mrr)) in [("default", base), ("re-ranked, cross-fitted", cross)] {
        println!("| {label} | A+B | {t1:.1} | {t10:.1} | {mrr:.3} | |");
    }
    Ok(())
}
