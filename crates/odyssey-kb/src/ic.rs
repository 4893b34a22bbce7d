//! Information content of HPO terms over disease annotations.
//!
//! IC(t) = -ln(n_t / N), in nats, where N is the number of diseases with at least one
//! phenotype annotation (aspect P, without `NOT`) and n_t the number of those diseases
//! annotated to t or to any descendant of t (the true-path rule: an annotation to a term
//! implies all its ancestors). A term no disease reaches gets n_t = 1, i.e. the maximum IC
//! ln(N) (as if it were annotated once), so that IC stays finite. The root HP:0000001 and
//! HP:0000118 have IC 0 (every counted disease reaches them). Resnik (1995) defined IC over
//! corpus frequencies; Köhler et al. (2009, AJHG) used disease annotations as the corpus.

use crate::ontology::{Ontology, TermIdx};

/// Per-term disease counts and IC (nats), indexed by [`TermIdx`].
pub(crate) struct InformationContent {
    pub counts: Vec<u32>,
    pub ic: Vec<f64>,
    pub diseases_counted: u32,
}

/// Computes counts and IC from each disease's set of directly annotated phenotype terms.
pub(crate) fn compute<'a, I>(ontology: &Ontology, disease_terms: I) -> InformationContent
where
    I: IntoIterator<Item = &'a [TermIdx]>,
{
    let n = ontology.len();
    let mut counts = vec![0u32; n];
    let mut stamp = vec![u32::MAX; n];
    let mut diseases = 0u32;
    for terms in disease_terms {
        if terms.is_empty() {
            continue;
        }
        for &t in terms {
            for &a in ontology.ancestors(t) {
                if stamp[a as usize] != diseases {
                    stamp[a as usize] = diseases;
                    counts[a as usize] += 1;
                }
            }
        }
        diseases += 1;
    }
    let total = f64::from(diseases.max(1));
    let ic = counts
        .iter()
        .map(|&c| -(f64::from(c.max(1)) / total).ln())
        .collect();
    InformationContent {
        counts,
        ic,
        diseases_counted: diseases,
    }
}
