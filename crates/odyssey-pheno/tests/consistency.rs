//! The fast path (posting lists over all diseases) against the slow path (one disease's own
//! profile, term by term) on the real HPO 2025-01-16 knowledge base, for deterministic
//! pseudo-random cases drawn from disease annotations; and the Resnik fast path against the
//! pair-by-pair best-match average.

use odyssey_kb::{Aspect, KnowledgeBase, TermIdx};
use odyssey_pheno::*;

/// A small deterministic generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// Cases mixing terms of one disease (some made more general or more specific) with random
/// terms, and some excluded terms.
fn cases(kb: &KnowledgeBase, n: usize) -> Vec<Case> {
    let o = kb.ontology();
    let mut rng = Lcg(42);
    let mut out = Vec::new();
    while out.len() < n {
        let d = kb.disease(rng.next(kb.diseases().len()) as u32);
        let ann: Vec<TermIdx> = d
            .annotations
            .iter()
            .filter(|a| a.aspect == Aspect::Phenotype)
            .map(|a| a.term)
            .collect();
        if ann.is_empty() {
            continue;
        }
        let mut terms = Vec::new();
        for i in 0..(3 + rng.next(8)) {
            let mut t = ann[rng.next(ann.len())];
            match i % 4 {
                1 => t = *o.parents(t).first().unwrap_or(&t),
                2 => t = *o.children(t).first().unwrap_or(&t),
                3 => t = rng.next(o.len()) as TermIdx,
                _ => {}
            }
            terms.push(TermInput {
                id: o.id(t).to_string(),
                label: None,
                excluded: rng.next(3) == 0,
            });
        }
        if let Ok(c) = Case::resolve(
            &CaseInput {
                id: format!("c{}", out.len()),
                terms,
                ..Default::default()
            },
            kb,
        ) {
            out.push(c);
        }
    }
    out
}

#[test]
fn fast_path_equals_per_disease_evidence() {
    let kb = KnowledgeBase::embedded().unwrap();
    let s = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let mut scratch = Scratch::default();
    let mut rng = Lcg(7);
    let mut checked = 0;
    for case in cases(&kb, 25) {
        let mut fast = Vec::new();
        s.scores(&case, &mut scratch, &mut fast);
        for _ in 0..40 {
            let pos = rng.next(fast.len());
            let d = s.index().diseases()[pos];
            let ev = s.explain(&case, d).unwrap();
            // the evidence's product, times the disease's prior (profile size, gene share)
            let slow: f64 = ev.iter().map(|e| e.lr.ln()).sum::<f64>()
                + s.ln_prior(pos, s.index().disease_terms_len(pos));
            assert!(
                (fast[pos] - slow).abs() <= 1e-9 * fast[pos].abs().max(1.0),
                "{} {}: fast {} slow {}",
                case.id,
                kb.disease(d).id,
                fast[pos],
                slow
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 1000);
}

#[test]
fn resnik_fast_path_equals_pairwise_bma() {
    let kb = KnowledgeBase::embedded().unwrap();
    let s = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let ic: Vec<f64> = kb.ontology().terms().map(|t| kb.ic(t)).collect();
    let mut scratch = Scratch::default();
    let mut rng = Lcg(11);
    for case in cases(&kb, 10)
        .into_iter()
        .filter(|c| !c.observed.is_empty())
    {
        let mut fast = Vec::new();
        s.resnik_scores_with_ic(&case, &ic, &mut scratch, &mut fast);
        for _ in 0..20 {
            let pos = rng.next(fast.len());
            let want = resnik::bma(&kb, &ic, &case.observed, s.disease_terms(pos));
            assert!((fast[pos] - want).abs() < 1e-9, "{} vs {}", fast[pos], want);
        }
    }
}
