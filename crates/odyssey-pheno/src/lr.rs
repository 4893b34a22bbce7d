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
//!
//! If D is annotated `NOT` to t or to an ancestor of t, LR = `contradiction` instead.
//!
//! Excluded term t (recorded as looked for and absent): a feature's absence is recorded when
//! it is absent *and* someone looked for it, and clinicians look for the features of the
//! diagnoses they consider (pertinent negatives). So
//! P(t recorded absent | D) ∝ c_D(t) (1 - p_D(t)), where c_D(t) = `pertinent_negative` when t
//! is related to D (D implies t, is annotated to an ancestor of t, or is annotated `NOT` to
//! t or an ancestor) and 1 otherwise, and p_D(t) = f_D(t) when D implies t,
//! f_D(a) bg(t) / bg(a) when D is annotated to an ancestor a of t, and 0 for `NOT`. The
//! absence factor is floored at `excluded_floor` (an obligate feature can be missed or not
//! yet developed). The LR divides by the mean of the same quantity over all indexed diseases
//! (the background). With the defaults (10 x 0.05 < 1), excluding an obligate or near-
//! obligate feature lowers a disease against unrelated ones, while excluding a feature a
//! disease shows only sometimes raises it: it was looked for because that diagnosis was
//! considered. A `NOT` annotation agreeing with an excluded term is the strongest support.
//! LIRICAL uses (1 - f) / (1 - bg) with no pertinence term; on the development corpus that
//! made excluded terms lower accuracy, because the recorded negatives are mostly features of
//! the true diagnosis (see docs/phenotype-model.md).
//!
//! A case's likelihood ratio is the product over its terms (independence, as in LIRICAL).

use odyssey_kb::{KnowledgeBase, TermIdx};
use serde::{Deserialize, Serialize};

use crate::case::Case;
use crate::index::PhenoIndex;
use crate::profile::DiseaseProfile;

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
        LrParams {
            partial_match: 0.1,
            no_match: 0.05,
            contradiction: 0.005,
            excluded_floor: 0.05,
            pertinent_negative: 10.0,
        }
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
    pub(crate) fn buffers(
        &mut self,
        n: usize,
        terms: usize,
    ) -> (&mut Vec<f64>, &mut Vec<f64>, &mut Vec<f64>) {
        self.total.resize(n, 0.0);
        self.best.resize(n, 0.0);
        self.memo.clear();
        self.memo.resize(terms, -1.0);
        (&mut self.total, &mut self.best, &mut self.memo)
    }
}

/// For excluded term `t`, writes into `num` the numerator c_D(t) max(1 - p_D(t), floor) of
/// every indexed disease and returns their mean (the background).
fn excluded_numerators(
    index: &PhenoIndex,
    kb: &KnowledgeBase,
    p: &LrParams,
    t: TermIdx,
    num: &mut [f64],
) -> f64 {
    let o = kb.ontology();
    let pa = o.phenotype_root();
    num.fill(-1.0); // p_D(t) for related diseases; -1 = unrelated
    let bg_t = index.background[t as usize];
    let (pos, freq) = index.implied.row(t);
    for (&d, &f) in pos.iter().zip(freq) {
        num[d as usize] = f64::from(f);
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
            let b = &mut num[d as usize];
            if v > *b {
                *b = v;
            }
        }
    }
    for &a in o.ancestors(t) {
        for &d in index.negated.row(a).0 {
            num[d as usize] = 0.0;
        }
    }
    let mut sum = 0.0;
    for b in num.iter_mut() {
        *b = if *b >= 0.0 {
            p.pertinent_negative * (1.0 - *b).max(p.excluded_floor)
        } else {
            1.0
        };
        sum += *b;
    }
    sum / num.len().max(1) as f64
}

/// The phenotype LR of every indexed disease, natural log, written into `out` (one per
/// index position).
pub(crate) fn score_into(
    index: &PhenoIndex,
    kb: &KnowledgeBase,
    p: &LrParams,
    case: &Case,
    scratch: &mut Scratch,
    out: &mut Vec<f64>,
) {
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
        let mean = excluded_numerators(index, kb, p, t, &mut scratch.best);
        let inv = 1.0 / mean;
        for (prod, &num) in scratch.product.iter_mut().zip(scratch.best.iter()) {
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
    /// The disease's frequency used, when one was.
    pub frequency: Option<f64>,
    /// Likelihood ratio.
    pub lr: f64,
}

/// The LR of one observed term for a disease profile, with how it matched: the same rules as
/// [`score_into`], evaluated on one disease.
fn observed_evidence(
    index: &PhenoIndex,
    o: &odyssey_kb::Ontology,
    p: &LrParams,
    prof: &DiseaseProfile,
    t: TermIdx,
) -> TermEvidence {
    if let Some(n) = prof.negating_term(o, t) {
        return TermEvidence {
            term: t,
            observed: true,
            kind: MatchKind::Negated,
            disease_term: Some(n),
            frequency: None,
            lr: p.contradiction,
        };
    }
    let pa = o.phenotype_root();
    let mut best = TermEvidence {
        term: t,
        observed: true,
        kind: MatchKind::None,
        disease_term: None,
        frequency: None,
        lr: p.no_match,
    };
    for &a in o.ancestors(t) {
        if o.is_ancestor_or_self(a, pa) {
            continue;
        }
        let bg_a = index.background[a as usize];
        if bg_a <= 0.0 {
            continue;
        }
        let f_a = prof.implied_frequency(a);
        if a == t {
            let v = f_a / bg_a;
            if f_a > 0.0 && v > best.lr {
                let (kind, dt) = if prof.direct_frequency(t).is_some() {
                    (MatchKind::Exact, t)
                } else {
                    // the annotated descendant that carries the frequency (most specific on ties)
                    let d = prof
                        .direct
                        .iter()
                        .filter(|e| o.is_ancestor_or_self(t, e.0))
                        .max_by(|x, y| x.1.total_cmp(&y.1).then(o.depth(x.0).cmp(&o.depth(y.0))));
                    (MatchKind::Descendant, d.map_or(t, |e| e.0))
                };
                best = TermEvidence {
                    term: t,
                    observed: true,
                    kind,
                    disease_term: Some(dt),
                    frequency: Some(f_a),
                    lr: v,
                };
            }
        } else {
            let v = p.partial_match * f_a / bg_a;
            if f_a > 0.0 && v > best.lr {
                best = TermEvidence {
                    term: t,
                    observed: true,
                    kind: MatchKind::Partial,
                    disease_term: Some(a),
                    frequency: Some(f_a),
                    lr: v,
                };
            }
            if let Some(fd) = prof.direct_frequency(a) {
                // f32 storage as in the index, so both paths agree to the last bit
                let v = f64::from(fd as f32) / bg_a;
                if v > best.lr {
                    best = TermEvidence {
                        term: t,
                        observed: true,
                        kind: MatchKind::Ancestor,
                        disease_term: Some(a),
                        frequency: Some(fd),
                        lr: v,
                    };
                }
            }
        }
    }
    best
}

/// Term-by-term evidence of a disease profile for a case: the LR of each observed and
/// excluded term, as [`score_into`] computes them (their product is the disease's LR).
/// Excluded terms need the background over all diseases, taken from the index.
pub(crate) fn explain(
    index: &PhenoIndex,
    kb: &KnowledgeBase,
    p: &LrParams,
    case: &Case,
    prof: &DiseaseProfile,
    scratch: &mut Scratch,
) -> Vec<TermEvidence> {
    let o = kb.ontology();
    let pa = o.phenotype_root();
    let mut out: Vec<TermEvidence> = case
        .observed
        .iter()
        .map(|&t| observed_evidence(index, o, p, prof, t))
        .collect();
    scratch.best.resize(index.diseases.len(), 0.0);
    for &t in &case.excluded {
        let mean = excluded_numerators(index, kb, p, t, &mut scratch.best);
        let bg_t = index.background[t as usize];
        let (kind, dt, pd) = if let Some(n) = prof.negating_term(o, t) {
            (MatchKind::Negated, Some(n), Some(0.0))
        } else {
            let mut best: (MatchKind, Option<TermIdx>, Option<f64>) = (MatchKind::None, None, None);
            let f_t = prof.implied_frequency(t);
            if f_t > 0.0 {
                best = (
                    if prof.direct_frequency(t).is_some() {
                        MatchKind::Exact
                    } else {
                        MatchKind::Descendant
                    },
                    Some(t),
                    Some(f_t),
                );
            }
            for &a in o.ancestors(t) {
                if a == t || o.is_ancestor_or_self(a, pa) {
                    continue;
                }
                let bg_a = index.background[a as usize];
                if let Some(fd) = prof.direct_frequency(a).filter(|_| bg_a > 0.0) {
                    let v = fd * (bg_t / bg_a);
                    if best.2.is_none_or(|b| v > b) {
                        best = (MatchKind::Ancestor, Some(a), Some(v));
                    }
                }
            }
            best
        };
        let num = match pd {
            Some(pd) => p.pertinent_negative * (1.0 - pd).max(p.excluded_floor),
            None => 1.0,
        };
        out.push(TermEvidence {
            term: t,
            observed: false,
            kind,
            disease_term: dt,
            frequency: pd,
            lr: num / mean,
        });
    }
    out
}
