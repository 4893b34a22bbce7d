//! Are the default parameters tuned to individual cases? The cohorts are split in two halves
//! ([`crate::split`]); for each of the model's few parameters a small grid is scored on each
//! half separately (the others at their defaults), and the value each half would choose is
//! reported next to the default. Stable defaults are chosen alike by both halves, or lie where
//! the objective is flat.
//!
//! Objective: gene-level top-1 of the default LR model under leave-publication-out (ties
//! broken by MRR, then by the value nearest the default on a log scale).

use std::fmt::Write as _;
use std::time::Instant;

use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Method, ScorerOptions, Scratch};
use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::BenchCase;
use crate::evaluate::{Evaluator, RunSpec};
use crate::metrics::LevelMetrics;
use crate::split::Half;

/// A parameter of the model and its grid.
pub struct Param {
    /// Name as in `LrParams` / `IndexOptions`.
    pub name: &'static str,
    /// Values tried (the default among them).
    pub grid: Vec<f64>,
    /// Reads the value from options.
    pub get: fn(&ScorerOptions) -> f64,
    /// Sets the value in options.
    pub set: fn(&mut ScorerOptions, f64),
}

/// The parameters examined: `partial_match`, `no_match`, `size_prior`, `excluded_floor`
/// (`LrParams`), `gene_prior` (`ScorerOptions`), `unknown_frequency` (`IndexOptions`) and `evidence_weight`
/// (τ, `ScorerOptions`; it changes gene ranks only), each on a small grid around its default.
pub fn params() -> Vec<Param> {
    vec![
        Param {
            name: "partial_match",
            grid: vec![0.02, 0.05, 0.1, 0.2, 0.5],
            get: |o| o.lr.partial_match,
            set: |o, v| o.lr.partial_match = v,
        },
        Param {
            name: "no_match",
            grid: vec![0.01, 0.02, 0.05, 0.1, 0.2],
            get: |o| o.lr.no_match,
            set: |o, v| o.lr.no_match = v,
        },
        Param {
            name: "excluded_sensitivity",
            grid: vec![0.0, 0.05, 0.1, 0.25, 1.0],
            get: |o| o.lr.excluded_sensitivity,
            set: |o, v| o.lr.excluded_sensitivity = v,
        },
        Param {
            name: "size_prior",
            grid: vec![0.0, 0.25, 0.5, 0.75, 1.0],
            get: |o| o.lr.size_prior,
            set: |o, v| o.lr.size_prior = v,
        },
        Param {
            name: "gene_prior",
            grid: vec![0.0, 0.25, 0.5, 0.75, 1.0],
            get: |o| o.gene_prior,
            set: |o, v| o.gene_prior = v,
        },
        Param {
            name: "excluded_floor",
            grid: vec![0.01, 0.02, 0.05, 0.1, 0.2],
            get: |o| o.lr.excluded_floor,
            set: |o, v| o.lr.excluded_floor = v,
        },
        Param {
            name: "unknown_frequency",
            grid: vec![0.2, 0.35, 0.5, 0.65, 0.8],
            get: |o| o.index.unknown_frequency,
            set: |o, v| o.index.unknown_frequency = v,
        },
        Param {
            name: "sibling_match",
            grid: vec![0.1, 0.2, 0.3, 0.5, 1.0],
            get: |o| o.lr.sibling_match,
            set: |o, v| o.lr.sibling_match = v,
        },
        Param {
            name: "sibling_floor",
            grid: vec![0.0, 0.5, 1.0, 2.0],
            get: |o| o.lr.sibling_floor,
            set: |o, v| o.lr.sibling_floor = v,
        },
        Param {
            name: "gene_sharpness",
            grid: vec![1.0, 1.25, 1.5, 2.0, 4.0],
            get: |o| o.gene_sharpness,
            set: |o, v| o.gene_sharpness = v,
        },
        Param {
            name: "evidence_weight",
            grid: vec![0.2, 0.35, 0.5, 0.75, 1.0],
            get: |o| o.evidence_weight,
            set: |o, v| o.evidence_weight = v,
        },
    ]
}

/// Gene-level metrics of one setting on both halves.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HalfMetrics {
    /// Half A.
    pub a: LevelMetrics,
    /// Half B.
    pub b: LevelMetrics,
}

/// One grid point.
#[derive(Clone, Debug, Serialize)]
pub struct GridPoint {
    /// Value.
    pub value: f64,
    /// Gene level on each half.
    pub gene: HalfMetrics,
}

/// One parameter's scan.
#[derive(Clone, Debug, Serialize)]
pub struct ParamScan {
    /// Name.
    pub name: String,
    /// Default value.
    pub default: f64,
    /// Grid.
    pub grid: Vec<GridPoint>,
    /// Value half A would choose.
    pub chosen_a: f64,
    /// Value half B would choose.
    pub chosen_b: f64,
}

/// The whole scan.
#[derive(Clone, Debug, Serialize)]
pub struct StabilityReport {
    /// Date.
    pub date: String,
    /// Command.
    pub command: String,
    /// Objective.
    pub objective: String,
    /// Cases and cohorts per half.
    pub halves: [(usize, usize); 2],
    /// The default model on both halves (gene level, leave-publication-out).
    pub default: HalfMetrics,
    /// The default model on both halves, disease level.
    pub default_disease: HalfMetrics,
    /// Per parameter.
    pub params: Vec<ParamScan>,
    /// Wall time, seconds.
    pub elapsed_s: f64,
    /// Settings evaluated.
    pub settings_evaluated: usize,
}

/// Gene- and disease-level metrics per half of one setting (LR, leave-publication-out).
pub fn evaluate_setting(
    kb: &KnowledgeBase,
    options: ScorerOptions,
    cases: &[BenchCase],
) -> (HalfMetrics, HalfMetrics) {
    let mut ev = Evaluator::new(kb, options);
    ev.set_check_every(0);
    let run = [RunSpec {
        key: "lr-lpo".into(),
        label: "LR".into(),
        method: Method::LikelihoodRatio,
        leave_publication_out: true,
    }];
    let outs: Vec<_> = cases
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |s, (i, c)| {
            ev.evaluate(c, i, &run, s, None)
        })
        .collect();
    let (mut g, mut d) = (HalfMetrics::default(), HalfMetrics::default());
    for o in &outs {
        let (gm, dm) = match o.half {
            Half::A => (&mut g.a, &mut d.a),
            Half::B => (&mut g.b, &mut d.b),
        };
        if o.has_gold_gene {
            gm.add(o.ranks[0].gene);
        }
        if o.has_gold_disease {
            dm.add(o.ranks[0].disease);
        }
    }
    (g, d)
}

/// The value a half would choose: best top-1, then best MRR, then nearest the default (log).
fn choose(grid: &[GridPoint], default: f64, half: Half) -> f64 {
    let m = |p: &GridPoint| {
        if half == Half::A {
            p.gene.a.clone()
        } else {
            p.gene.b.clone()
        }
    };
    grid.iter()
        .max_by(|x, y| {
            let (mx, my) = (m(x), m(y));
            mx.found_within[0]
                .cmp(&my.found_within[0])
                .then(mx.mrr().total_cmp(&my.mrr()))
                .then(
                    (y.value / default)
                        .ln()
                        .abs()
                        .total_cmp(&(x.value / default).ln().abs()),
                )
        })
        .map_or(default, |p| p.value)
}

/// Runs the scan. `progress` is called after each setting with (done, total).
pub fn run_stability(
    kb: &KnowledgeBase,
    cases: &[BenchCase],
    date: &str,
    command: &str,
    progress: &dyn Fn(usize, usize),
) -> StabilityReport {
    let t = Instant::now();
    let defaults = ScorerOptions::default();
    let ps = params();
    let total = 1 + ps
        .iter()
        .map(|p| p.grid.iter().filter(|&&v| v != (p.get)(&defaults)).count())
        .sum::<usize>();
    let (default_gene, default_disease) = evaluate_setting(kb, defaults.clone(), cases);
    let mut done = 1;
    progress(done, total);
    let mut scans = Vec::new();
    for p in &ps {
        let dv = (p.get)(&defaults);
        let mut grid = Vec::new();
        for &v in &p.grid {
            let gene = if v == dv {
                default_gene.clone()
            } else {
                let mut o = defaults.clone();
                (p.set)(&mut o, v);
                let (g, _) = evaluate_setting(kb, o, cases);
                done += 1;
                progress(done, total);
                g
            };
            grid.push(GridPoint { value: v, gene });
        }
        let (chosen_a, chosen_b) = (choose(&grid, dv, Half::A), choose(&grid, dv, Half::B));
        scans.push(ParamScan {
            name: p.name.into(),
            default: dv,
            grid,
            chosen_a,
            chosen_b,
        });
    }
    let mut cohorts: Vec<(&str, Half)> = cases
        .iter()
        .map(|c| (c.cohort.as_str(), Half::of(&c.cohort)))
        .collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    let half = |h: Half| {
        (
            cases.iter().filter(|c| Half::of(&c.cohort) == h).count(),
            cohorts.iter().filter(|c| c.1 == h).count(),
        )
    };
    StabilityReport {
        date: date.into(),
        command: command.into(),
        objective: "gene-level top-1 of the LR model under leave-publication-out (ties: MRR, then the value nearest the default)".into(),
        halves: [half(Half::A), half(Half::B)],
        default: default_gene,
        default_disease,
        params: scans,
        elapsed_s: t.elapsed().as_secs_f64(),
        settings_evaluated: total,
    }
}

/// Markdown rendering.
pub fn markdown(r: &StabilityReport) -> String {
    let mut o = String::new();
    let pct = |m: &LevelMetrics| format!("{:.1}", 100.0 * m.recall(1));
    let _ = writeln!(
        o,
        "# Odyssey parameter stability: 2-fold cohort split, {}\n",
        r.date
    );
    let _ = writeln!(o, "Command: `{}`\n", r.command);
    let _ = writeln!(o, "Objective: {}. Half A: {} cases in {} cohorts; half B: {} cases in {} cohorts. {} settings evaluated in {:.0} s.\n", r.objective, r.halves[0].0, r.halves[0].1, r.halves[1].0, r.halves[1].1, r.settings_evaluated, r.elapsed_s);
    let _ = writeln!(
        o,
        "## Default model on both halves (leave-publication-out)\n"
    );
    let _ = writeln!(o, "| level | half | n | top-1 % | top-3 % | top-5 % | top-10 % | MRR | not found |\n|---|:---:|---:|---:|---:|---:|---:|---:|---:|");
    for (level, hm) in [("gene", &r.default), ("disease", &r.default_disease)] {
        for (h, m) in [("A", &hm.a), ("B", &hm.b)] {
            let _ = writeln!(
                o,
                "| {level} | {h} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {} |",
                m.cases,
                100.0 * m.recall(1),
                100.0 * m.recall(3),
                100.0 * m.recall(5),
                100.0 * m.recall(10),
                m.mrr(),
                m.not_found
            );
        }
    }
    let _ = writeln!(o, "\n## Value each half would choose\n");
    let _ = writeln!(o, "| parameter | default | chosen on A | chosen on B | A top-1 % at default / at A's choice | B top-1 % at default / at B's choice |\n|---|---:|---:|---:|---:|---:|");
    for p in &r.params {
        let at = |v: f64| {
            p.grid
                .iter()
                .find(|g| g.value == v)
                .map(|g| g.gene.clone())
                .unwrap_or_default()
        };
        let (d, ca, cb) = (at(p.default), at(p.chosen_a), at(p.chosen_b));
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} / {} | {} / {} |",
            p.name,
            p.default,
            p.chosen_a,
            p.chosen_b,
            pct(&d.a),
            pct(&ca.a),
            pct(&d.b),
            pct(&cb.b)
        );
    }
    let _ = writeln!(o, "\n## Grids (gene level, leave-publication-out)\n");
    for p in &r.params {
        let _ = writeln!(o, "### {}\n\n| value | A top-1 % | A MRR | B top-1 % | B MRR |\n|---:|---:|---:|---:|---:|", p.name);
        for g in &p.grid {
            let mark = |v: f64, c: f64| if v == c { " *" } else { "" };
            let _ = writeln!(
                o,
                "| {}{} | {}{} | {:.3} | {}{} | {:.3} |",
                g.value,
                if g.value == p.default {
                    " (default)"
                } else {
                    ""
                },
                pct(&g.gene.a),
                mark(g.value, p.chosen_a),
                g.gene.a.mrr(),
                pct(&g.gene.b),
                mark(g.value, p.chosen_b),
                g.gene.b.mrr()
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "`*` marks each half's choice.");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(value: f64, a: &[Option<usize>], b: &[Option<usize>]) -> GridPoint {
        let mut g = HalfMetrics::default();
        a.iter().for_each(|&r| g.a.add(r));
        b.iter().for_each(|&r| g.b.add(r));
        GridPoint { value, gene: g }
    }

    #[test]
    fn choice_rule() {
        // A: top-1 best at 0.1 and 0.3 equally, MRR better at 0.3 -> 0.3
        // B: all equal on top-1 and MRR -> nearest to the default 0.1 on a log scale
        let grid = vec![
            point(0.03, &[Some(2), Some(5)], &[Some(1)]),
            point(0.1, &[Some(1), Some(5)], &[Some(1)]),
            point(0.3, &[Some(1), Some(2)], &[Some(1)]),
        ];
        assert_eq!(choose(&grid, 0.1, Half::A), 0.3);
        assert_eq!(choose(&grid, 0.1, Half::B), 0.1);
        // B prefers 0.03 when it is strictly better
        let grid = vec![
            point(0.03, &[], &[Some(1), Some(1)]),
            point(0.1, &[], &[Some(1), Some(2)]),
        ];
        assert_eq!(choose(&grid, 0.1, Half::B), 0.03);
    }

    #[test]
    fn grids_contain_the_defaults() {
        let d = ScorerOptions::default();
        for p in params() {
            assert!(
                p.grid.contains(&(p.get)(&d)),
                "{} default {} not in its grid",
                p.name,
                (p.get)(&d)
            );
            let mut o = d.clone();
            (p.set)(&mut o, 0.123);
            assert_eq!((p.get)(&o), 0.123, "{}", p.name);
        }
    }
}
