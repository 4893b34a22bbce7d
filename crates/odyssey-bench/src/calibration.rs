//! Do post-test probabilities mean what they say? For each case, the LR model's top-ranked
//! gene and its post-test probability p (the sum of its diseases' probabilities, mixed with the
//! gene-rank prior when the calibration has one,
//! `docs/phenotype-model.md`); the case is a hit when that gene is causal (gold gene at
//! pessimistic rank 1). Cases are grouped into ten bins of p ([0, 0.1), ..., [0.9, 1]); per
//! bin the mean p and the hit rate are compared (a reliability table), and the expected
//! calibration error is ECE = Σ_bins (n_bin / n) |mean p − hit rate| (Naeini et al., AAAI
//! 2015; Guo et al., ICML 2017).

use std::fmt::Write as _;

use serde::Serialize;

use crate::evaluate::{CaseOutcome, RunSpec};

/// One bin of the reliability table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Bin {
    /// Lower edge of the bin's probability range.
    pub from: f64,
    /// Cases.
    pub cases: u32,
    /// Mean predicted probability of the top gene.
    pub mean_probability: f64,
    /// Fraction of cases whose top gene is causal.
    pub hit_rate: f64,
}

/// Reliability table and ECE of one run.
#[derive(Clone, Debug, Serialize)]
pub struct Calibration {
    /// Run key.
    pub run: String,
    /// Cases with a causal gene that were scored.
    pub cases: u32,
    /// Ten bins.
    pub bins: Vec<Bin>,
    /// Expected calibration error.
    pub ece: f64,
}

/// The table from (probability, hit) pairs.
pub fn from_pairs(run: &str, pairs: impl IntoIterator<Item = (f64, bool)>) -> Calibration {
    let mut sum_p = [0.0f64; 10];
    let mut hits = [0u32; 10];
    let mut n = [0u32; 10];
    for (p, hit) in pairs {
        let b = ((p * 10.0).floor() as usize).min(9);
        sum_p[b] += p;
        hits[b] += u32::from(hit);
        n[b] += 1;
    }
    let total: u32 = n.iter().sum();
    let mut ece = 0.0;
    let bins = (0..10)
        .map(|b| {
            let (mp, hr) = if n[b] == 0 {
                (0.0, 0.0)
            } else {
                (
                    sum_p[b] / f64::from(n[b]),
                    f64::from(hits[b]) / f64::from(n[b]),
                )
            };
            if total > 0 {
                ece += f64::from(n[b]) / f64::from(total) * (mp - hr).abs();
            }
            Bin {
                from: b as f64 / 10.0,
                cases: n[b],
                mean_probability: mp,
                hit_rate: hr,
            }
        })
        .collect();
    Calibration {
        run: run.into(),
        cases: total,
        bins,
        ece,
    }
}

/// One table per LR run, over the scored cases that name a causal gene (in the KB or not).
pub fn of_runs(runs: &[RunSpec], outcomes: &[CaseOutcome]) -> Vec<Calibration> {
    runs.iter()
        .enumerate()
        .filter(|(_, r)| r.method == odyssey_pheno::Method::LikelihoodRatio)
        .map(|(ri, r)| {
            let pairs = outcomes
                .iter()
                .filter(|o| o.has_gold_gene)
                .filter_map(|o| o.top_gene_probability.get(ri).copied().flatten());
            from_pairs(&r.key, pairs)
        })
        .collect()
}

/// Markdown section.
pub fn markdown(tables: &[Calibration]) -> String {
    let mut o = String::new();
    if tables.is_empty() {
        return o;
    }
    let _ = writeln!(
        o,
        "## Calibration of the top gene's post-test probability\n"
    );
    let _ = writeln!(
        o,
        "Per case naming a causal gene (in the knowledge base or not: a gene the KB does not know is always a miss), the LR model's top gene and its post-test probability; a hit when it is a causal gene (pessimistic rank 1). ECE = Σ (n_bin / n) |mean p − hit rate|.\n"
    );
    for t in tables {
        let _ = writeln!(o, "### {} ({} cases, ECE {:.3})\n", t.run, t.cases, t.ece);
        let _ = writeln!(
            o,
            "| p bin | cases | mean p | hit rate |\n|---|---:|---:|---:|"
        );
        for b in &t.bins {
            // an empty bin has no mean and no hit rate (not 0)
            let (mean, rate) = if b.cases == 0 {
                ("–".to_string(), "–".to_string())
            } else {
                (
                    format!("{:.3}", b.mean_probability),
                    format!("{:.3}", b.hit_rate),
                )
            };
            let _ = writeln!(
                o,
                "| {:.1}-{:.1} | {} | {mean} | {rate} |",
                b.from,
                b.from + 0.1,
                b.cases,
            );
        }
        let _ = writeln!(o);
    }
    o
}

/// The post-test probability of a gene from τ-weighted log LRs `w` (index order) and the
/// positions of its diseases: Σ_top exp(θ w) / (Σ_all exp(θ w) + N p_u / (1 − p_u)), as
/// `PhenotypeScorer::ranking_from_scores` computes it (θ the probability temperature, p_u
/// the pretest probability of "none of them"). Computed in a shifted scale against overflow.
pub fn gene_probability(w: &[f64], top: &[usize], theta: f64, p_unknown: f64) -> f64 {
    let (num, den, shift) = probability_terms(w, top, theta);
    let unknown = if p_unknown > 0.0 {
        w.len() as f64 * p_unknown / (1.0 - p_unknown)
    } else {
        0.0
    };
    num / (den + unknown * (-shift).exp())
}

/// (Σ_top exp(θw − m), Σ_all exp(θw − m), m) with m = max(0, max θw): the parts of
/// [`gene_probability`] that do not depend on p_u, so that a fit can scan p_u cheaply.
pub fn probability_terms(w: &[f64], top: &[usize], theta: f64) -> (f64, f64, f64) {
    let m = w
        .iter()
        .map(|x| x * theta)
        .fold(f64::NEG_INFINITY, f64::max)
        .max(0.0);
    let den: f64 = w.iter().map(|x| (x * theta - m).exp()).sum();
    let num: f64 = top.iter().map(|&i| (w[i] * theta - m).exp()).sum();
    (num, den, m)
}

/// One case for the calibration fit: per temperature of the grid, the terms of
/// [`probability_terms`], the number of ranked diseases, whether the top gene is causal, and
/// the case's half of the cohort split.
#[derive(Clone, Debug)]
pub struct FitCase {
    /// Per temperature: (numerator, denominator, shift).
    pub terms: Vec<(f64, f64, f64)>,
    /// Ranked diseases N.
    pub n: usize,
    /// The top gene is causal.
    pub hit: bool,
    /// Half of the 2-fold cohort split.
    pub half: crate::split::Half,
}

impl FitCase {
    /// The top gene's probability at temperature index `t` and pretest p_u.
    pub fn probability(&self, t: usize, p_unknown: f64) -> f64 {
        let (num, den, m) = self.terms[t];
        let unknown = self.n as f64 * p_unknown / (1.0 - p_unknown);
        (num / (den + unknown * (-m).exp())).clamp(0.0, 1.0)
    }
}

/// The mean log loss of the top gene's probability (clamped to [1e-6, 1 − 1e-6]) over
/// `cases` at temperature index `t` and pretest p_u.
pub fn log_loss<'a>(cases: impl Iterator<Item = &'a FitCase>, t: usize, p_unknown: f64) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for c in cases {
        let p = c.probability(t, p_unknown).clamp(1e-6, 1.0 - 1e-6);
        sum -= if c.hit { p.ln() } else { (1.0 - p).ln() };
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// The grid point (temperature index, p_u) of least log loss over `cases` (the first on a
/// tie, grid order).
pub fn fit(cases: &[&FitCase], temperatures: usize, pretest: &[f64]) -> (usize, f64, f64) {
    let mut best = (0, pretest[0], f64::INFINITY);
    for t in 0..temperatures {
        for &p in pretest {
            let l = log_loss(cases.iter().copied(), t, p);
            if l < best.2 {
                best = (t, p, l);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ece_by_hand() {
        // bin 0.1: p 0.15, 0.15 with one hit: |0.15 - 0.5| = 0.35, weight 2/3;
        // bin 0.9: p 0.95 hit: |0.95 - 1| = 0.05, weight 1/3
        let c = from_pairs("x", [(0.15, true), (0.15, false), (0.95, true)]);
        assert_eq!((c.bins[1].cases, c.bins[9].cases, c.cases), (2, 1, 3));
        let want = 2.0 / 3.0 * 0.35 + 1.0 / 3.0 * 0.05;
        assert!((c.ece - want).abs() < 1e-12, "{}", c.ece);
        // p = 1 falls in the last bin
        assert_eq!(from_pairs("y", [(1.0, false)]).bins[9].cases, 1);
        // the table: a filled bin shows its mean and hit rate, an empty one dashes
        let md = markdown(&[c]);
        assert!(md.contains("| 0.1-0.2 | 2 | 0.150 | 0.500 |"), "{md}");
        assert!(md.contains("| 0.5-0.6 | 0 | – | – |"), "{md}");
    }

    #[test]
    fn gene_probability_by_hand() {
        // w = ln 3, 0; top gene = disease 0; θ = 1, p_u = 0.5: 3 / (3 + 1 + 2 × 1) = 0.5
        let w = [3f64.ln(), 0.0];
        assert!((gene_probability(&w, &[0], 1.0, 0.5) - 0.5).abs() < 1e-12);
        // θ = 2: 9 / (9 + 1 + 2) = 0.75
        assert!((gene_probability(&w, &[0], 2.0, 0.5) - 0.75).abs() < 1e-12);
        // θ = 0: every LR is 1: 1 / (2 + 2) = 0.25
        assert!((gene_probability(&w, &[0], 0.0, 0.5) - 0.25).abs() < 1e-12);
        // FitCase gives the same from the stored terms
        let c = FitCase {
            terms: vec![probability_terms(&w, &[0], 2.0)],
            n: 2,
            hit: true,
            half: crate::split::Half::A,
        };
        assert!((c.probability(0, 0.5) - 0.75).abs() < 1e-12);
        // log loss of one hit at p = 0.75 is -ln 0.75
        assert!((log_loss([&c].into_iter(), 0, 0.5) + 0.75f64.ln()).abs() < 1e-12);
    }
}
