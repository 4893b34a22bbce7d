//! How often each kind of term match occurs for the diagnosis against a random disease, under
//! leave-publication-out: an empirical check of the per-term likelihood ratios. For every case
//! whose diagnosis is indexed, every observed term's evidence ([`odyssey_pheno::TermEvidence`])
//! is computed for the diagnosis (its annotations citing the case's publication left out) and
//! for K pseudo-random indexed diseases; the terms are grouped by match kind (partial matches
//! split by whether the shared ancestor is a parent of the patient's term, "sibling") and by
//! the model's LR (bins of half a decade). The ratio of a group's share among the diagnosis's
//! terms to its share among the random diseases' terms estimates that group's true LR
//! (P(match | D) / P(match | a random disease)), to compare with the model's mean LR.
//!
//! `cargo run --release -p odyssey-bench --example match_kinds [K] [setting]` (K default 20;
//! setting as in the ablation example, e.g. `sibling_match=0.3`; reads
//! `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::leakage::cites;
use odyssey_bench::phenotype::Corpus;
use odyssey_bench::stability::params;
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::lr::MatchKind;
use odyssey_pheno::{ScorerOptions, TermEvidence};
use rayon::prelude::*;

type Tally = BTreeMap<(String, i32), (f64, f64, f64)>;

fn key(kb: &KnowledgeBase, e: &TermEvidence) -> (String, i32) {
    let o = kb.ontology();
    let kind = match e.kind {
        MatchKind::Exact => "exact".to_string(),
        MatchKind::Descendant => "descendant".to_string(),
        MatchKind::Ancestor => {
            let a = e.disease_term.unwrap_or(e.term);
            if o.parents(e.term).contains(&a) {
                "ancestor (parent)".to_string()
            } else {
                "ancestor (further)".to_string()
            }
        }
        MatchKind::Partial => {
            let m = e.disease_term.unwrap_or(e.term);
            if o.parents(e.term).contains(&m) {
                "partial (sibling)".to_string()
            } else {
                "partial (further)".to_string()
            }
        }
        MatchKind::None => "none".to_string(),
        MatchKind::Negated => "not".to_string(),
    };
    (kind, (e.lr.log10() * 2.0).floor() as i32)
}

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let k: usize = std::env::args()
        .nth(1)
        .map_or(Ok(20), |a| a.parse())
        .map_err(|_| "K: expected a number".to_string())?;
    let mut opts = ScorerOptions::default();
    if let Some(setting) = std::env::args().nth(2) {
        let ps = params();
        for kv in setting.split(',') {
            let (n, v) = kv.split_once('=').ok_or("expected name=value")?;
            let p = ps.iter().find(|p| p.name == n).ok_or("unknown parameter")?;
            (p.set)(&mut opts, v.parse().map_err(|_| "not a number")?);
        }
    }
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let ev = Evaluator::new(&kb, opts);
    let sc = ev.scorer();
    let n_idx = sc.index().diseases().len() as u64;
    let (tally, n_gold, n_rand) = corpus
        .cases
        .par_iter()
        .enumerate()
        .map(|(ci, c)| {
            let mut t = Tally::new();
            let (mut ng, mut nr) = (0.0, 0.0);
            let Ok(case) = ev.resolve(c) else {
                return (t, ng, nr);
            };
            let (gold, _) = ev.gold(c);
            let skip = |a: &odyssey_kb::Annotation| cites(&kb, a, &c.publications);
            let Some(ge) = gold
                .diseases
                .iter()
                .find_map(|&d| sc.explain_without(&case, d, &skip))
            else {
                return (t, ng, nr);
            };
            for e in ge.iter().filter(|e| e.observed) {
                t.entry(key(&kb, e)).or_default().0 += 1.0;
                t.entry(key(&kb, e)).or_default().2 += e.lr;
                ng += 1.0;
            }
            for j in 0..k as u64 {
                let h = (ci as u64 * 0x9E37_79B9_7F4A_7C15).wrapping_add(j * 0xC2B2_AE3D_27D4_EB4F);
                let h = (h ^ (h >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB);
                let pos = (h >> 11) % n_idx;
                let d = sc.index().diseases()[pos as usize];
                if gold.diseases.contains(&d) {
                    continue;
                }
                if let Some(re) = sc.explain_without(&case, d, &skip) {
                    for e in re.iter().filter(|e| e.observed) {
                        t.entry(key(&kb, e)).or_default().1 += 1.0;
                        nr += 1.0;
                    }
                }
            }
            (t, ng, nr)
        })
        .reduce(
            || (Tally::new(), 0.0, 0.0),
            |(mut a, ga, ra), (b, gb, rb)| {
                for (kk, v) in b {
                    let e = a.entry(kk).or_default();
                    e.0 += v.0;
                    e.1 += v.1;
                    e.2 += v.2;
                }
                (a, ga + gb, ra + rb)
            },
        );
    println!("terms: diagnosis {n_gold}, random {n_rand}");
    println!("| kind | model LR bin | share diagnosis | share random | empirical LR | mean model LR (diagnosis) |");
    println!("|---|---|---:|---:|---:|---:|");
    for ((kind, bin), (g, r, s)) in &tally {
        let (sg, sr) = (g / n_gold, r / n_rand);
        println!(
            "| {kind} | [{:.2}, {:.2}) | {:.4} | {:.4} | {:.2} | {:.2} |",
            10f64.powf(*bin as f64 / 2.0),
            10f64.powf((*bin + 1) as f64 / 2.0),
            sg,
            sr,
            if sr > 0.0 { sg / sr } else { f64::INFINITY },
            if *g > 0.0 { s / g } else { f64::NAN }
        );
    }
    Ok(())
}
