//! Leakage control: leave-publication-out.
//!
//! phenopacket-store cases come from published reports, and HPO curators annotate diseases
//! from the same reports: a case from PMID X scored against a disease annotated from PMID X is
//! partly scored against itself. With leave-publication-out, every phenotype annotation whose
//! references cite one of the case's publications is removed, from **every** disease that has
//! such an annotation (usually only the case's own diagnosis), before the case is scored.
//!
//! The whole knowledge base is not rebuilt per case: the diseases concerned are re-scored on
//! their reduced profiles ([`PhenotypeScorer::ln_lr_without`] for the likelihood-ratio model;
//! the Resnik best-match average over the remaining direct annotations for the Resnik
//! baseline), and their scores replace the full-knowledge ones before ranking. What is kept:
//! the background term frequencies of the LR model and the information content of the Resnik
//! model are those of the full knowledge base (one publication changes a mean over ~8,000
//! diseases very little). A disease left without any phenotype annotation cannot be ranked by
//! phenotype: its score becomes the lowest possible, and when it is the case's diagnosis the
//! case counts as not found at the disease level.

use std::collections::HashMap;

use odyssey_kb::{Annotation, Aspect, DiseaseIdx, KnowledgeBase};
use odyssey_pheno::{Case, Method, PhenotypeScorer, ProfileBuilder, Scratch};
use serde::Serialize;

/// Score given to a disease left without phenotype annotations: below every real score
/// (LR model: a natural-log LR of `f64::MIN`, i.e. LR 0; Resnik: similarity -1).
pub fn dropped_score(method: Method) -> f64 {
    match method {
        Method::LikelihoodRatio => f64::MIN,
        Method::Resnik => -1.0,
    }
}

/// For each PubMed id, the indexed diseases with a phenotype annotation citing it.
pub struct PublicationIndex {
    by_pmid: HashMap<String, Vec<DiseaseIdx>>,
}

/// True when an annotation cites one of `pmids` (`PMID:<digits>`, exact match of one of its
/// references).
pub fn cites(kb: &KnowledgeBase, a: &Annotation, pmids: &[String]) -> bool {
    kb.references(a)
        .any(|r| pmids.iter().any(|p| p == r.trim()))
}

impl PublicationIndex {
    /// Indexes the aspect-P annotations of the diseases the scorer ranks.
    pub fn build(scorer: &PhenotypeScorer) -> PublicationIndex {
        let kb = scorer.kb();
        let mut by_pmid: HashMap<String, Vec<DiseaseIdx>> = HashMap::new();
        for &d in scorer.index().diseases() {
            for a in kb
                .disease(d)
                .annotations
                .iter()
                .filter(|a| a.aspect == Aspect::Phenotype)
            {
                for r in kb.references(a) {
                    let r = r.trim();
                    if r.starts_with("PMID:") {
                        let v = by_pmid.entry(r.to_string()).or_default();
                        if v.last() != Some(&d) {
                            v.push(d);
                        }
                    }
                }
            }
        }
        PublicationIndex { by_pmid }
    }

    /// Indexed diseases with an annotation citing any of `pmids`, ascending, deduplicated.
    pub fn diseases_citing(&self, pmids: &[String]) -> Vec<DiseaseIdx> {
        let mut out: Vec<DiseaseIdx> = pmids
            .iter()
            .filter_map(|p| self.by_pmid.get(p))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Number of distinct PubMed ids cited by phenotype annotations.
    pub fn len(&self) -> usize {
        self.by_pmid.len()
    }

    /// True when no annotation cites a PubMed id.
    pub fn is_empty(&self) -> bool {
        self.by_pmid.is_empty()
    }
}

/// What leave-publication-out changed for one case.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LeaveOutEffect {
    /// Diseases re-scored.
    pub diseases_rescored: Vec<DiseaseIdx>,
    /// Phenotype annotations removed (over all re-scored diseases).
    pub annotations_removed: usize,
    /// Diseases left without any phenotype annotation (scored [`dropped_score`]).
    pub diseases_emptied: Vec<DiseaseIdx>,
}

/// Replaces, in `scores` (raw scores in index order from
/// [`PhenotypeScorer::scores_with`] with the same `method`), the score of every disease with a
/// phenotype annotation citing one of `pmids` by its score without those annotations.
/// `ic` is the information content per term (nats), used by the Resnik method.
#[allow(clippy::too_many_arguments)]
pub fn leave_publication_out(
    scorer: &PhenotypeScorer,
    pubs: &PublicationIndex,
    ic: &[f64],
    case: &Case,
    method: Method,
    pmids: &[String],
    scores: &mut [f64],
    scratch: &mut Scratch,
) -> LeaveOutEffect {
    let kb = scorer.kb();
    let mut effect = LeaveOutEffect::default();
    if pmids.is_empty() {
        return effect;
    }
    let skip = |a: &Annotation| cites(kb, a, pmids);
    for d in pubs.diseases_citing(pmids) {
        let Some(pos) = scorer.index().position(d) else {
            continue;
        };
        effect.annotations_removed += kb
            .disease(d)
            .annotations
            .iter()
            .filter(|a| a.aspect == Aspect::Phenotype && skip(a))
            .count();
        effect.diseases_rescored.push(d);
        let new = match method {
            Method::LikelihoodRatio => scorer.ln_lr_without(case, d, &skip, scratch),
            Method::Resnik => ProfileBuilder::new(kb.ontology().len())
                .build(kb, kb.disease(d), &scorer.options().index, &skip)
                .map(|p| {
                    let terms: Vec<_> = p.direct.iter().map(|e| e.0).collect();
                    odyssey_pheno::resnik::bma(kb, ic, &case.observed, &terms)
                }),
        };
        scores[pos] = match new {
            Some(s) => s,
            None => {
                effect.diseases_emptied.push(d);
                dropped_score(method)
            }
        };
    }
    effect
}

/// The score of one indexed disease recomputed on its own full profile (nothing left out), by
/// the same single-disease path leave-publication-out uses. Compared with the fast path's
/// score it checks that leave-out scores are on the same scale as the others.
pub fn single_disease_score(
    scorer: &PhenotypeScorer,
    ic: &[f64],
    case: &Case,
    method: Method,
    d: DiseaseIdx,
    scratch: &mut Scratch,
) -> Option<f64> {
    let kb = scorer.kb();
    match method {
        Method::LikelihoodRatio => scorer.ln_lr_without(case, d, &|_| false, scratch),
        Method::Resnik => {
            let p = ProfileBuilder::new(kb.ontology().len()).build(
                kb,
                kb.disease(d),
                &scorer.options().index,
                &|_| false,
            )?;
            let terms: Vec<_> = p.direct.iter().map(|e| e.0).collect();
            Some(odyssey_pheno::resnik::bma(kb, ic, &case.observed, &terms))
        }
    }
}
