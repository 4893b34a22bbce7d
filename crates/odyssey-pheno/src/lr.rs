//! The default phenotype model: a likelihood ratio per patient term and disease, in the
//! spirit of LIRICAL (Robinson et al., "Interpretable clinical genomics with a likelihood
//! ratio paradigm", AJHG 107:403-417, 2020), with these differences, each documented below:
//! partial matches use the background ratio instead of a heuristic, an observed term that a
//! disease is annotated `NOT` to is strong evidence against it, and excluded terms use the
//! same frequencies as observed ones.
//!
//! Notation: for disease D and term a, f_D(a) is the frequency with which D shows a or a more
//! specific feature (annotation frequencies propagated to ancestors, see
//! [`crate::Propagation`]); bg(a) is the mean of f_D'(a) over all indexed diseases D' (the
//! probability that a patient with a random disease of the knowledge base shows a, LIRICAL's
//! denominator). Every LR is P(finding | D) / P(finding | not D), with P(finding | not D)
//! approximated by the background.
//!
//! Observed term t, best of:
//! * exact or implied (D is annotated to t or a descendant of t): LR = f_D(t) / bg(t);
//! * the patient's term is more specific than an annotation a of D (a is an ancestor of t):
//!   D's feature a shows as t as often as in other diseases, P(t | D) = f_D(a) bg(t) / bg(a),
//!   so LR = f_D(a) / bg(a);
//! * partial: t and D's annotations share an ancestor m below HP:0000118 that D implies but
//!   did not annotate directly: LR = `partial_match` x f_D(m) / bg(m) (D's m-feature is known
//!   to be a different one, so the background ratio is discounted);
//! * otherwise LR = `no_match` (the finding is unexplained by D: noise, a second condition,
//!   or an incomplete annotation).
//! If D is annotated `NOT` to t or to an ancestor of t, LR = `contradiction` instead.
//!
//! Excluded term t: P(t absent | D) = 1 - p_D(t), with p_D(t) = f_D(t) when D implies t,
//! f_D(a) bg(t) / bg(a) when D is annotated to an ancestor a of t, 0 when D is annotated
//! `NOT` to t or an ancestor, and 0 otherwise; P(t absent | not D) = 1 - bg(t). So
//! LR = max(1 - p_D(t), `excluded_floor`) / (1 - bg(t)): a disease that nearly always shows
//! the feature is strongly penalised, unrelated diseases gain a little.
//!
//! A case's likelihood ratio is the product over its terms (independence, as in LIRICAL).

use odyssey_kb::{KnowledgeBase, TermIdx};
use serde::{Deserialize, Serialize};

use crate::case::Case;
use crate::index::PhenoIndex;

/// The model's parameters, with the values chosen on the development corpus (see
/// `docs/phenotype-model.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrParams {
    /// Discount of a partial match through a shared ancestor.
    pub partial_match: f64,
    /// LR of an observed term with no relation to the disease's annotations.
    pub no_match: f64,
    /// LR of an observed term the disease is annotated `NOT` to.
    pub contradiction: f64,
    /// Smallest P(feature absent | disease) for an excluded term (an obligate feature can
    /// still be missed or not yet developed).
    pub excluded_floor: f64,
    /// How much more often a feature is looked for, and its absence recorded, when it belongs
    /// to the patient's disease than when it does not (pertinent negatives follow the
    /// differential diagnosis).
    pub pertinent_negative: f64,
}

impl Default for LrParams {
    fn default() -> Self {
        LrParams { partial_match: 0.1, no_match: 0.05, contradiction: 0.005, excluded_floor: 0.05, pertinent_negative: 10.0 }
    }
}

/// How a patient term met a disease's annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The disease is annotated to the term itself.
    Exact,
    /// The disease is annotated to an ancestor of the patient's term (the patient's term is
    /// more specific).
    Ancestor,
    /// The disease is annotated to a descendant of the patient's term (the patient's term is
    /// more general).
    Descendant,
    /// The terms share an ancestor below HP:0000118.
    Partial,
    /// No relation.
    None,
    /// The disease is annotated `NOT` to the term or to an ancestor of it: a contradiction
    /// for an observed term, an agreement for an excluded one.
    #[serde(rename = "not")]
    Negated,
}

/// Per-thread working memory for scoring, reused across cases.
#[derive(Default)]
pub struct Scratch {
    best: Vec<f64>,
    total: Vec<f64>,
    product: Vec<f64>,
    memo: Vec<f64>,
}

/// Likelihood ratios are multiplied in `product` and moved into the log-space `total` every
/// `FLUSH` terms: each factor lies within [1e-4, 1e6], so 16 of them stay far inside the f64
/// range, and one logarithm replaces sixteen.
const FLUSH: usize = 16;

impl Scratch {
    pub(crate) fn buffers(&mut self, n: usize, terms: usize) -> (&mut Vec<f64>, &mut Vec<f64>, &mut Vec<f64>) {
        self.total.resize(n, 0.0);
        self.best.resize(n, 0.0);
        self.memo.clear();
        self.memo.resize(terms, -1.0);
        (&mut self.total, &mut self.best, &mut self.memo)
    }
}

/// The phenotype LR of every indexed disease, natural log, written into `out` (one per
/// index position).
pub(crate) fn score_into(index: &PhenoIndex, kb: &KnowledgeBase, p: &LrParams, case: &Case, scratch: &mut Scratch, out: &mut Vec<f64>) {
    let n = index.diseases.len();
    let o = kb.ontology();
    let pa = o.phenotype_root();
    scratch.total.clear();
    scratch.total.resize(n, 0.0);
    scratch.best.resize(n, 0.0);
    scratch.product.clear();
    scratch.product.resize(n, 1.0);
    let mut pending = 0;
    let flush = |s: &mut Scratch| {
        for (t, p) in s.total.iter_mut().zip(s.product.iter_mut()) {
            *t += p.ln();
            *p = 1.0;
        }
    };
    for &t in &case.observed {
        let best = &mut scratch.best;
        best.fill(p.no_match);
        let bg_t = index.background[t as usize];
        for &a in o.ancestors(t) {
            if o.is_ancestor_or_self(a, pa) {
                continue; // HP:0000118 and above say nothing
            }
            let bg_a = index.background[a as usize];
            if bg_a <= 0.0 {
                continue;
            }
            let (pos, freq) = index.implied.row(a);
            if a == t {
                let inv = 1.0 / bg_t;
                for (&d, &f) in pos.iter().zip(freq) {
                    let v = f64::from(f) * inv;
                    let b = &mut best[d as usize];
                    if v > *b {
                        *b = v;
                    }
                }
            } else {
                let k = p.partial_match / bg_a;
                for (&d, &f) in pos.iter().zip(freq) {
                    let v = f64::from(f) * k;
                    let b = &mut best[d as usize];
                    if v > *b {
                        *b = v;
                    }
                }
                let inv = 1.0 / bg_a;
                let (pos, freq) = index.direct.row(a);
                for (&d, &f) in pos.iter().zip(freq) {
                    let v = f64::from(f) * inv;
                    let b = &mut best[d as usize];
                    if v > *b {
                        *b = v;
                    }
                }
            }
        }
        for &a in o.ancestors(t) {
            for &d in index.negated.row(a).0 {
                best[d as usize] = p.contradiction;
            }
        }
        for (prod, &b) in scratch.product.iter_mut().zip(best.iter()) {
            *prod *= b;
        }
        pending += 1;
        if pending == FLUSH {
            flush(scratch);
            pending = 0;
        }
    }
    for &t in &case.excluded {
        let best = &mut scratch.best;
        best.fill(-1.0); // p_D(t) for related diseases; -1 = unrelated
        let bg_t = index.background[t as usize];
        let (pos, freq) = index.implied.row(t);
        for (&d, &f) in pos.iter().zip(freq) {
            best[d as usize] = f64::from(f);
        }
        for &a in o.ancestors(t) {
            if a == t || o.is_ancestor_or_self(a, pa) {
                continue;
            }
            let bg_a = index.background[a as usize];
            if bg_a <= 0.0 {
                continue;
            }
            let k = bg_t / bg_a;
            let (pos, freq) = index.direct.row(a);
            for (&d, &f) in pos.iter().zip(freq) {
                let v = f64::from(f) * k;
                let b = &mut best[d as usize];
                if v > *b {
                    *b = v;
                }
            }
        }
        for &a in o.ancestors(t) {
            for &d in index.negated.row(a).0 {
                best[d as usize] = 0.0;
            }
        }
        // numerator: rho * max(1 - p, floor) for related diseases, 1 otherwise; the
        // denominator is its mean over all indexed diseases
        let mut sum = 0.0;
        let mut related = 0usize;
        for b in best.iter_mut() {
            if *b >= 0.0 {
                *b = p.pertinent_negative * (1.0 - *b).max(p.excluded_floor);
                sum += *b;
                related += 1;
            } else {
                *b = 1.0;
            }
        }
        let mean = (sum + (n - related) as f64) / n as f64;
        let inv = 1.0 / mean;
        for (prod, &num) in scratch.product.iter_mut().zip(best.iter()) {
            *prod *= num * inv;
        }
        pending += 1;
        if pending == FLUSH {
            flush(scratch);
            pending = 0;
        }
    }
    if pending > 0 {
        flush(scratch);
    }
    out.clear();
    out.extend_from_slice(&scratch.total);
}

/// The evidence of one patient term for one disease.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermEvidence {
    /// The patient's term.
    pub term: TermIdx,
    /// True for an observed term, false for an excluded one.
    pub observed: bool,
    /// How it matched.
    pub kind: MatchKind,
    /// The disease term it matched (annotation, or shared ancestor for partial matches).
    pub disease_term: Option<TermIdx>,
    /// The disease's frequency used (propagated), when one was.
    pub frequency: Option<f64>,
    /// Likelihood ratio.
    pub lr: f64,
}

/// Recomputes, term by term, the LRs of [`score_into`] for one disease (index position),
/// with the matching disease term. Slower than scoring; used for the top of the ranking.
pub(crate) fn explain(index: &PhenoIndex, kb: &KnowledgeBase, p: &LrParams, case: &Case, pos: usize) -> Vec<TermEvidence> {
    let o = kb.ontology();
    let pa = o.phenotype_root();
    let terms = index.disease_terms.row(pos);
    let negated = |t: TermIdx| o.ancestors(t).iter().any(|&a| index.negated.row(a).0.binary_search(&(pos as u32)).is_ok());
    let direct_f = |a: TermIdx| {
        let (ps, fs) = index.direct.row(a);
        ps.binary_search(&(pos as u32)).ok().map(|i| f64::from(fs[i]))
    };
    let mut out = Vec::new();
    for &t in &case.observed {
        let bg_t = index.background[t as usize];
        if negated(t) {
            let dt = o.ancestors(t).iter().copied().find(|&a| index.negated.row(a).0.binary_search(&(pos as u32)).is_ok());
            out.push(TermEvidence { term: t, observed: true, kind: MatchKind::Negated, disease_term: dt, frequency: None, lr: p.contradiction });
            continue;
        }
        let mut best = TermEvidence { term: t, observed: true, kind: MatchKind::None, disease_term: None, frequency: None, lr: p.no_match };
        let f_t = index.frequency(pos, t);
        if f_t > 0.0 && bg_t > 0.0 && f_t / bg_t > best.lr {
            let (kind, dt) = if terms.contains(&t) {
                (MatchKind::Exact, t)
            } else {
                // the most specific annotated descendant with the highest frequency
                let d = terms.iter().copied().filter(|&d| o.is_ancestor_or_self(t, d)).max_by(|&x, &y| {
                    index.frequency(pos, x).total_cmp(&index.frequency(pos, y)).then(o.depth(x).cmp(&o.depth(y)))
                });
                (MatchKind::Descendant, d.unwrap_or(t))
            };
            best = TermEvidence { term: t, observed: true, kind, disease_term: Some(dt), frequency: Some(f_t), lr: f_t / bg_t };
        }
        for &a in o.ancestors(t) {
            if a == t || o.is_ancestor_or_self(a, pa) {
                continue;
            }
            let bg_a = index.background[a as usize];
            if bg_a <= 0.0 {
                continue;
            }
            let f_a = index.frequency(pos, a);
            if let Some(fd) = direct_f(a) {
                if fd / bg_a > best.lr {
                    best = TermEvidence { term: t, observed: true, kind: MatchKind::Ancestor, disease_term: Some(a), frequency: Some(fd), lr: fd / bg_a };
                }
            }
            if f_a > 0.0 && p.partial_match * f_a / bg_a > best.lr {
                best = TermEvidence { term: t, observed: true, kind: MatchKind::Partial, disease_term: Some(a), frequency: Some(f_a), lr: p.partial_match * f_a / bg_a };
            }
        }
        out.push(best);
    }
    for &t in &case.excluded {
        let bg_t = index.background[t as usize];
        let denom = (1.0 - bg_t).max(p.excluded_floor);
        if negated(t) {
            let dt = o.ancestors(t).iter().copied().find(|&a| index.negated.row(a).0.binary_search(&(pos as u32)).is_ok());
            out.push(TermEvidence { term: t, observed: false, kind: MatchKind::Negated, disease_term: dt, frequency: Some(0.0), lr: 1.0 / denom });
            continue;
        }
        let mut pd = index.frequency(pos, t);
        let mut kind = MatchKind::None;
        let mut dt = None;
        if pd > 0.0 {
            kind = if terms.contains(&t) { MatchKind::Exact } else { MatchKind::Descendant };
            dt = Some(t);
        }
        for &a in o.ancestors(t) {
            if a == t || o.is_ancestor_or_self(a, pa) {
                continue;
            }
            let bg_a = index.background[a as usize];
            if let Some(fd) = direct_f(a).filter(|_| bg_a > 0.0) {
                let v = fd * bg_t / bg_a;
                if v > pd {
                    pd = v;
                    kind = MatchKind::Ancestor;
                    dt = Some(a);
                }
            }
        }
        let lr = if pd == 0.0 { 1.0 / denom } else { (1.0 - pd).max(p.excluded_floor) / denom };
        out.push(TermEvidence { term: t, observed: false, kind, disease_term: dt, frequency: (pd > 0.0).then_some(pd), lr });
    }
    out
}
