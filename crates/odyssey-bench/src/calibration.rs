//! Do post-test probabilities mean what they say? For each case, the LR model's top-ranked
//! gene and its post-test probability p (the sum of its diseases' probabilities,
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

/// One table per LR run, over the cases with a causal gene in the KB that were scored.
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
        "Per case, the LR model's top gene and its post-test probability; a hit when it is a causal gene (pessimistic rank 1). ECE = Σ (n_bin / n) |mean p − hit rate|.\n"
    );
    for t in tables {
        let _ = writeln!(o, "### {} ({} cases, ECE {:.3})\n", t.run, t.cases, t.ece);
        let _ = writeln!(
            o,
            "| p bin | cases | mean p | hit rate |\n|---|---:|---:|---:|"
        );
        for b in &t.bins {
            let _ = writeln!(
                o,
                "| {:.1}-{:.1} | {} | {:.3} | {:.3} |",
                b.from,
                b.from + 0.1,
                b.cases,
                b.mean_probability,
                b.hit_rate
            );
        }
        let _ = writeln!(o);
    }
    o
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
    }
}
