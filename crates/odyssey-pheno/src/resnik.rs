//! The comparison method: Phenomizer-style semantic similarity (Köhler et al., "Clinical
//! diagnostics in human genetics with semantic similarity searches in ontologies", AJHG
//! 85:457-464, 2009).
//!
//! Term similarity is Resnik's (1995): the information content (nats, see the knowledge
//! base's IC) of the most informative common ancestor. Set similarity is the symmetric
//! best-match average:
//! sim(Q, D) = ½ [ mean_{q ∈ Q} max_{d ∈ D} IC(MICA(q, d)) + mean_{d ∈ D} max_{q ∈ Q} IC(MICA(q, d)) ],
//! with Q the patient's observed terms and D the disease's direct phenotype annotations
//! (without `NOT`). Excluded terms are not used, as in Phenomizer.

use odyssey_kb::{KnowledgeBase, TermIdx};

use crate::case::Case;
use crate::index::PhenoIndex;
use crate::lr::Scratch;

/// Writes the BMA similarity of every indexed disease into `out`.
pub(crate) fn score_into(
    index: &PhenoIndex,
    kb: &KnowledgeBase,
    ic: &[f64],
    case: &Case,
    scratch: &mut Scratch,
    out: &mut Vec<f64>,
) {
    let o = kb.ontology();
    let n = index.diseases.len();
    out.clear();
    out.resize(n, 0.0);
    if case.observed.is_empty() {
        return;
    }
    let (sum_q, best, memo) = scratch.buffers(n, o.len());
    sum_q.fill(0.0);
    for &q in &case.observed {
        best.fill(0.0);
        for &a in o.ancestors(q) {
            let ic = ic[a as usize];
            if ic <= 0.0 {
                continue;
            }
            for &d in index.implied.row(a).0 {
                let b = &mut best[d as usize];
                if ic > *b {
                    *b = ic;
                }
            }
        }
        for (s, b) in sum_q.iter_mut().zip(best.iter()) {
            *s += *b;
        }
    }
    // closure of the query, each ancestor with its IC (0 when not in the closure)
    let mut in_query = vec![false; o.len()];
    for &q in &case.observed {
        for &a in o.ancestors(q) {
            in_query[a as usize] = true;
        }
    }
    let nq = case.observed.len() as f64;
    for pos in 0..index.disease_terms.len() {
        let terms = index.disease_terms.row(pos);
        let mut sum_d = 0.0;
        for &d in terms {
            let m = &mut memo[d as usize];
            if *m < 0.0 {
                *m = o
                    .ancestors(d)
                    .iter()
                    .filter(|&&a| in_query[a as usize])
                    .map(|&a| ic[a as usize])
                    .fold(0.0, f64::max);
            }
            sum_d += *m;
        }
        out[pos] = 0.5 * (sum_q[pos] / nq + sum_d / terms.len() as f64);
    }
}

/// Symmetric best-match average of Resnik similarities between two term sets, computed
/// pair by pair (the reference the fast path is tested against). `ic[t]` is the IC of term t.
pub fn bma(kb: &KnowledgeBase, ic: &[f64], q: &[TermIdx], d: &[TermIdx]) -> f64 {
    if q.is_empty() || d.is_empty() {
        return 0.0;
    }
    let sim = |a: TermIdx, b: TermIdx| resnik_with(kb, ic, a, b);
    let row: f64 = q
        .iter()
        .map(|&x| d.iter().map(|&y| sim(x, y)).fold(0.0, f64::max))
        .sum::<f64>()
        / q.len() as f64;
    let col: f64 = d
        .iter()
        .map(|&y| q.iter().map(|&x| sim(x, y)).fold(0.0, f64::max))
        .sum::<f64>()
        / d.len() as f64;
    0.5 * (row + col)
}

/// Resnik similarity with a given IC vector.
pub fn resnik_with(kb: &KnowledgeBase, ic: &[f64], a: TermIdx, b: TermIdx) -> f64 {
    mica_ic(kb, a, b, |t| ic[t as usize])
}

/// Resnik similarity of two terms (IC of their most informative common ancestor, nats).
pub fn resnik(kb: &KnowledgeBase, a: TermIdx, b: TermIdx) -> f64 {
    mica_ic(kb, a, b, |t| kb.ic(t))
}

/// The highest IC among the common ancestors of `a` and `b` (a merge of the two sorted
/// ancestor lists).
fn mica_ic(kb: &KnowledgeBase, a: TermIdx, b: TermIdx, ic: impl Fn(TermIdx) -> f64) -> f64 {
    let o = kb.ontology();
    let (xa, xb) = (o.ancestors(a), o.ancestors(b));
    let (mut i, mut j, mut best) = (0, 0, 0.0f64);
    while i < xa.len() && j < xb.len() {
        match xa[i].cmp(&xb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                best = best.max(ic(xa[i]));
                i += 1;
                j += 1;
            }
        }
    }
    best
}
