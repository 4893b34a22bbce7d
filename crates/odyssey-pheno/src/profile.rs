//! A disease's phenotype annotations as the likelihood-ratio model sees them: direct
//! annotations with their frequency, the frequencies propagated to every ancestor, and the
//! `NOT` annotations. The index is built from these profiles, and the same profile scores a
//! single disease exactly (term-by-term evidence, leave-publication-out).

use odyssey_kb::{
    Annotation, Aspect, Disease, Frequency, KnowledgeBase, Ontology, TermIdx, POOLED_CURATION,
};

use crate::index::{IndexOptions, Propagation};

/// Frequencies are kept as `f32`, as in the index, so that both paths compute the same values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiseaseProfile {
    /// Directly annotated phenotype terms, sorted, with the highest annotated frequency.
    pub direct: Vec<(TermIdx, f32)>,
    /// Every term implied by the direct annotations (them and their ancestors), sorted, with
    /// the propagated frequency.
    pub implied: Vec<(TermIdx, f32)>,
    /// Terms annotated `NOT` (or with frequency zero), sorted; a `NOT` that contradicts a
    /// positive annotation of the same disease is dropped.
    pub negated: Vec<TermIdx>,
}

impl DiseaseProfile {
    /// Propagated frequency of `t` (0 when not implied).
    pub fn implied_frequency(&self, t: TermIdx) -> f64 {
        self.implied
            .binary_search_by_key(&t, |e| e.0)
            .map(|i| f64::from(self.implied[i].1))
            .unwrap_or(0.0)
    }

    /// Frequency of a direct annotation to `t`.
    pub fn direct_frequency(&self, t: TermIdx) -> Option<f64> {
        self.direct
            .binary_search_by_key(&t, |e| e.0)
            .ok()
            .map(|i| f64::from(self.direct[i].1))
    }

    /// The `NOT`-annotated term that is `t` or an ancestor of `t`, if any.
    pub fn negating_term(&self, o: &Ontology, t: TermIdx) -> Option<TermIdx> {
        o.ancestors(t)
            .iter()
            .copied()
            .find(|a| self.negated.binary_search(a).is_ok())
    }
}

/// Reusable working memory for building profiles.
pub struct ProfileBuilder {
    scratch: Vec<f64>,
    touched: Vec<TermIdx>,
}

impl ProfileBuilder {
    /// For a knowledge base with `n_terms` terms.
    pub fn new(n_terms: usize) -> Self {
        ProfileBuilder {
            scratch: vec![-1.0; n_terms],
            touched: Vec::new(),
        }
    }

    /// The profile of a disease from its aspect-P annotations, skipping those for which
    /// `skip` is true. `None` when no positive phenotype annotation remains.
    ///
    /// A missing frequency is `options.unknown_frequency`; several annotations of one term
    /// take the highest frequency, except the case-knowledge rows (biocuration
    /// [`POOLED_CURATION`], frequency `k/n` per publication), which are first pooled into one
    /// frequency Σk/Σn over the rows `skip` leaves; a positive annotation with frequency zero
    /// (also a pooled 0/n) counts as `NOT`; frequencies propagate to ancestors by
    /// `options.propagation`.
    pub fn build(
        &mut self,
        kb: &KnowledgeBase,
        d: &Disease,
        options: &IndexOptions,
        skip: &dyn Fn(&Annotation) -> bool,
    ) -> Option<DiseaseProfile> {
        let o = kb.ontology();
        let mut direct: Vec<(TermIdx, f64)> = Vec::new();
        let mut not: Vec<TermIdx> = Vec::new();
        // case-knowledge rows (k/n per publication), pooled per term: (term, Σk, Σn)
        let mut pooled: Vec<(TermIdx, u32, u32)> = Vec::new();
        for a in d
            .annotations
            .iter()
            .filter(|a| a.aspect == Aspect::Phenotype && !skip(a))
        {
            if let (false, Frequency::Ratio { n, m }) = (a.negated, a.frequency) {
                if kb.biocuration(a).starts_with(POOLED_CURATION) {
                    match pooled.iter_mut().find(|e| e.0 == a.term) {
                        Some(e) => (e.1, e.2) = (e.1 + n.min(m), e.2 + m),
                        None => pooled.push((a.term, n.min(m), m)),
                    }
                    continue;
                }
            }
            let f = a
                .frequency
                .proportion()
                .unwrap_or(options.unknown_frequency);
            if a.negated || f <= 0.0 {
                not.push(a.term);
            } else if let Some(e) = direct.iter_mut().find(|e| e.0 == a.term) {
                e.1 = e.1.max(f);
            } else {
                direct.push((a.term, f));
            }
        }
        for (t, k, n) in pooled {
            let f = if n == 0 {
                0.0
            } else {
                f64::from(k) / f64::from(n)
            };
            if f <= 0.0 {
                not.push(t);
            } else if let Some(e) = direct.iter_mut().find(|e| e.0 == t) {
                e.1 = e.1.max(f);
            } else {
                direct.push((t, f));
            }
        }
        if direct.is_empty() {
            return None;
        }
        for &(t, f) in &direct {
            for &a in o.ancestors(t) {
                let s = &mut self.scratch[a as usize];
                if *s < 0.0 {
                    self.touched.push(a);
                    *s = f;
                } else {
                    *s = match options.propagation {
                        Propagation::Max => s.max(f),
                        Propagation::NoisyOr => 1.0 - (1.0 - *s) * (1.0 - f),
                    };
                }
            }
        }
        self.touched.sort_unstable();
        let mut implied = Vec::with_capacity(self.touched.len());
        for &a in &self.touched {
            implied.push((a, self.scratch[a as usize] as f32));
            self.scratch[a as usize] = -1.0;
        }
        self.touched.clear();
        direct.sort_by_key(|e| e.0);
        not.sort_unstable();
        not.dedup();
        not.retain(|t| implied.binary_search_by_key(t, |e| e.0).is_err());
        Some(DiseaseProfile {
            direct: direct.into_iter().map(|(t, f)| (t, f as f32)).collect(),
            implied,
            negated: not,
        })
    }
}
