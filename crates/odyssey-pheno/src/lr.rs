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
//!   to be a different one, so the background ratio is discounted); when m is a parent of t
//!   (a sibling match) `sibling_match` replaces `partial_match`, and the LR is floored at
//!   min(`sibling_floor`, f_D(m) / bg(m)) (floor off by default: measured, not adopted);
//! * otherwise LR = `no_match` (the finding is unexplained by D: noise, a second condition,
//!   or an incomplete annotation).
//!
//! If D is annotated `NOT` to t or to an ancestor of t, LR = `contradiction` instead.
//!
//! Excluded term t (recorded as looked for and absent), LIRICAL's rule with a cap:
//! LR = min(1, max(1 - γ p_D(t), `excluded_floor`) / (1 - γ bg(t))), γ =
//! `excluded_sensitivity` the probability that a present feature is noticed, with p_D(t) = f_D(t) when D
//! implies t, and f_D(a) bg(t) / bg(a) when D is annotated only to an ancestor a of t (so
//! close to neutral); LR = 1 when D is unrelated to t, and 1 / (1 - γ bg(t)) when D is annotated
//! `NOT` to t or an ancestor (the only case in which an excluded term raises a disease). An
//! excluded term therefore never raises a disease that shows the feature, and lowers it the
//! more the more often D shows it. (Until 2026-12 a "pertinent negative" factor of 10 raised
//! diseases related to an excluded term; it read the diagnosis off negatives chosen by
//! authors who knew it, and did not generalise: see docs/phenotype-model.md.)
//!
//! Profile size: a disease with many annotations explains many findings by chance. With
//! `size_prior` β > 0 every disease D gets the log prior -β ln(n_D) + c, n_D its number of
//! phenotype annotations (after leave-out, when annotations are removed) and c the constant
//! that makes the prior weights n_D^-β average to 1 over the indexed diseases.
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
    /// Probability γ that a feature the patient has is noticed when it is looked for: an
    /// excluded term's P(recorded absent | D) = 1 - γ p_D(t). 1 is LIRICAL's rule; 0 makes
    /// excluded terms neutral except against `NOT` annotations (then also neutral).
    pub excluded_sensitivity: f64,
    /// Exponent β of the profile-size prior n_D^-β (0: a uniform prior).
    pub size_prior: f64,
    /// Discount of a partial match through a **parent** of the patient's term (the patient's
    /// term and the disease's annotation are siblings, or the annotation lies below a
    /// sibling): replaces `partial_match` for that closest kind of partial match.
    #[serde(default = "default_sibling_match")]
    pub sibling_match: f64,
    /// Floor c of a sibling match: its LR is max(`sibling_match` r, min(c, r)), r = f_D(m) /
    /// bg(m) the background ratio of the parent m the patient's term shares with the
    /// disease's annotations. With c = 1 a sibling match never counts against a disease
    /// that shows the parent feature more often than the background (r ≥ 1); 0 is off.
    #[serde(default)]
    pub sibling_floor: f64,
}

fn default_sibling_match() -> f64 {
    0.1
}

impl Default for LrParams {
    fn default() -> Self {
        LrParams {
            partial_match: 0.1,
            no_match: 0.05,
            contradiction: 0.005,
            excluded_floor: 0.05,
            excluded_sensitivity: 0.1,
            size_prior: 1.0,
            sibling_match: default_sibling_match(),
            sibling_floor: 0.0,
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

/// LR of a sibling match: the discounted background ratio `discounted` (= `sibling_match`
/// r), floored at min(`floor`, r), r = f_D(m) / bg(m) (`ratio`). With `floor` 0 it is
/// `discounted` exactly.
#[inline]
fn sibling_lr(discounted: f64, ratio: f64, floor: f64) -> f64 {
    discounted.max(ratio.min(floor))
}

/// LR of an excluded term for a disease with P(feature present | D) = `p_d`, against the
/// background frequency `bg_t`, with recording sensitivity γ = `excluded_sensitivity`:
/// (1 - γ p_D) / (1 - γ bg), the numerator floored at `excluded_floor`, the whole capped at 1
/// (an excluded feature never raises a disease that shows it).
#[inline]
pub(crate) fn excluded_lr(p: &LrParams, p_d: f64, bg_t: f64) -> f64 {
    let g = p.excluded_sensitivity;
    ((1.0 - g * p_d).max(p.excluded_floor) / (1.0 - g * bg_t).max(p.excluded_floor)).min(1.0)
}

/// LR of an excluded term for a disease annotated `NOT` to it (or to an ancestor):
/// P(absent | D) = 1 against P(recorded absent) = 1 - γ bg(t) (LIRICAL's rule for γ = 1).
#[inline]
pub(crate) fn excluded_negated_lr(p: &LrParams, bg_t: f64) -> f64 {
    1.0 / (1.0 - p.excluded_sensitivity * bg_t).max(p.excluded_floor)
}

/// For excluded term `t`, writes into `lr` the likelihood ratio of every indexed disease:
/// [`excluded_lr`] with p_D(t) = f_D(t) when D implies t, f_D(a) bg(t) / bg(a) when D is
/// annotated only to an ancestor a of t (close to neutral), [`excluded_negated_lr`] when D is
/// annotated `NOT` to t or an ancestor, and exactly 1 when D is unrelated to t.
fn excluded_lrs(index: &PhenoIndex, kb: &KnowledgeBase, p: &LrParams, t: TermIdx, lr: &mut [f64]) {
    let o = kb.ontology();
    let pa = o.phenotype_root();
    lr.fill(0.0); // p_D(t); 0 = unrelated, and gives LR 1 through the cap
    let bg_t = index.background[t as usize];
    let (pos, freq) = index.implied.row(t);
    for (&d, &f) in pos.iter().zip(freq) {
        lr[d as usize] = f64::from(f);
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
            let b = &mut lr[d as usize];
            *b = b.max(v);
        }
    }
    for b in lr.iter_mut() {
        *b = if *b > 0.0 {
            excluded_lr(p, *b, bg_t)
        } else {
            1.0
        };
    }
    let neg = excluded_negated_lr(p, bg_t);
    for &a in o.ancestors(t) {
        for &d in index.negated.row(a).0 {
            lr[d as usize] = neg;
        }
    }
}

/// The phenotype LR of every indexed disease, natural log, written into `out` (one per
/// index position). The best LR per disease is kept with `f64::max` rather than a compare
/// and branch: whether a posting improves on the best so far is unpredictable, and the
/// branchless form takes about a third less time per case (docs/phenotype-model.md, "Speed").
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
                    *b = b.max(v);
                }
            } else {
                let inv = 1.0 / bg_a;
                if o.parents(t).contains(&a) {
                    let k = p.sibling_match / bg_a;
                    let c = p.sibling_floor;
                    for (&d, &f) in pos.iter().zip(freq) {
                        let v = sibling_lr(f64::from(f) * k, f64::from(f) * inv, c);
                        let b = &mut best[d as usize];
                        *b = b.max(v);
                    }
                } else {
                    let k = p.partial_match / bg_a;
                    for (&d, &f) in pos.iter().zip(freq) {
                        let v = f64::from(f) * k;
                        let b = &mut best[d as usize];
                        *b = b.max(v);
                    }
                }
                let (pos, freq) = index.direct.row(a);
                for (&d, &f) in pos.iter().zip(freq) {
                    let v = f64::from(f) * inv;
                    let b = &mut best[d as usize];
                    *b = b.max(v);
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
        excluded_lrs(index, kb, p, t, &mut scratch.best);
        for (prod, &lr) in scratch.product.iter_mut().zip(scratch.best.iter()) {
            *prod *= lr;
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
            let v = if o.parents(t).contains(&a) {
                sibling_lr(p.sibling_match * f_a / bg_a, f_a / bg_a, p.sibling_floor)
            } else {
                p.partial_match * f_a / bg_a
            };
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
    let _ = scratch;
    for &t in &case.excluded {
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
        let lr = match (kind, pd) {
            (MatchKind::Negated, _) => excluded_negated_lr(p, bg_t),
            (_, Some(pd)) if pd > 0.0 => excluded_lr(p, pd, bg_t),
            _ => 1.0,
        };
        out.push(TermEvidence {
            term: t,
            observed: false,
            kind,
            disease_term: dt,
            frequency: pd,
            lr,
        });
    }
    out
}
