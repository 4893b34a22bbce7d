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
    /// The PubMed ids cited by curated annotations (`phenotype.hpoa`), not counting rows
    /// compiled from case reports (biocuration [`odyssey_kb::POOLED_CURATION`]).
    curated: std::collections::HashSet<String>,
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
        let mut curated = std::collections::HashSet::new();
        for &d in scorer.index().diseases() {
            for a in kb
                .disease(d)
                .annotations
                .iter()
                .filter(|a| a.aspect == Aspect::Phenotype)
            {
                let from_cases = kb.biocuration(a).starts_with(odyssey_kb::POOLED_CURATION);
                for r in kb.references(a) {
                    let r = r.trim();
                    if r.starts_with("PMID:") {
                        let v = by_pmid.entry(r.to_string()).or_default();
                        if v.last() != Some(&d) {
                            v.push(d);
                        }
                        if !from_cases && !curated.contains(r) {
                            curated.insert(r.to_string());
                        }
                    }
                }
            }
        }
        PublicationIndex { by_pmid, curated }
    }

    /// True when a curated annotation (not a row compiled from case reports) of an indexed
    /// disease cites one of `pmids`. With a knowledge base built with case knowledge every
    /// case's publication is cited by its own case rows; this tells the cases whose
    /// publication the HPO curators used from those it did not, as with the default KB.
    pub fn cited_by_curated(&self, pmids: &[String]) -> bool {
        pmids.iter().any(|p| self.curated.contains(p))
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

#[cfg(test)]
mod tests {
    use super::*;
    use odyssey_kb::hpoa::HpoaRecord;
    use odyssey_kb::{Evidence, ExtraKnowledge, Frequency, HpoId, POOLED_CURATION};
    use odyssey_pheno::ScorerOptions;

    /// The 13-term fixture of odyssey-kb (OMIM:1 cites PMID:11 and PMID:12 in its HPOA rows)
    /// plus one case-knowledge row of OMIM:1 citing PMID:51.
    fn kb() -> KnowledgeBase {
        let row = HpoaRecord {
            line: 1,
            disease: "OMIM:1".parse().unwrap(),
            disease_name: "Disease one".into(),
            negated: false,
            term: HpoId::new(7359),
            references: vec!["PMID:51".into()],
            evidence: Evidence::Pcs,
            onset: None,
            frequency: Frequency::Ratio { n: 1, m: 2 },
            sex: None,
            modifiers: vec![],
            aspect: Aspect::Phenotype,
            biocuration: POOLED_CURATION.into(),
        };
        let extra = ExtraKnowledge {
            name: "case-knowledge".into(),
            description: "test".into(),
            records: vec![row],
            ..Default::default()
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../odyssey-kb/tests/fixtures/mini");
        KnowledgeBase::build_with(&dir, None, Some(&extra))
            .unwrap()
            .0
    }

    #[test]
    fn case_rows_are_left_out_but_are_not_curated_citations() {
        let kb = kb();
        let scorer = PhenotypeScorer::new(&kb, ScorerOptions::default());
        let pubs = PublicationIndex::build(&scorer);
        let one = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
        let p = |s: &str| vec![s.to_string()];
        // leave-publication-out removes the case row (OMIM:1 is re-scored) ...
        assert_eq!(pubs.diseases_citing(&p("PMID:51")), vec![one]);
        // ... but PMID:51 is cited by no curated annotation; PMID:12 (an HPOA row) is
        assert!(!pubs.cited_by_curated(&p("PMID:51")));
        assert!(pubs.cited_by_curated(&p("PMID:12")));
        assert!(pubs.cited_by_curated(&["PMID:51".into(), "PMID:11".into()]));
        assert!(!pubs.cited_by_curated(&p("PMID:99")));
    }
}
