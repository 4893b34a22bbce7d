//! One entity ranked once: OMIM:154700 and ORPHA:558 (Marfan syndrome) are one MONDO entity
//! (MONDO:0007947); the ranking keeps the better-scoring one and gives the other −∞.

use odyssey_kb::{DiseaseId, KnowledgeBase};
use odyssey_pheno::{Case, CaseInput, PhenotypeScorer, ScorerOptions, Scratch, TermInput};

fn marfan(kb: &KnowledgeBase) -> Case {
    // Ectopia lentis, Arachnodactyly, Aortic root aneurysm
    let terms = ["HP:0001083", "HP:0001166", "HP:0002616"]
        .iter()
        .map(|id| TermInput {
            id: id.to_string(),
            label: None,
            excluded: false,
        })
        .collect();
    let input = CaseInput {
        id: "m".into(),
        terms,
        ..Default::default()
    };
    Case::resolve(&input, kb).unwrap()
}

#[test]
fn equivalent_diseases_are_ranked_once_under_the_best_member() {
    let kb = KnowledgeBase::embedded().unwrap();
    let case = marfan(&kb);
    let id = |s: &str| kb.disease_index(s.parse::<DiseaseId>().unwrap()).unwrap();
    let (omim, orpha) = (id("OMIM:154700"), id("ORPHA:558"));

    let plain = PhenotypeScorer::new(
        &kb,
        ScorerOptions {
            merge_equivalents: false,
            ..Default::default()
        },
    );
    let mut raw = Vec::new();
    plain.scores(&case, &mut Scratch::default(), &mut raw);
    let (po, pr) = (
        plain.index().position(omim).unwrap(),
        plain.index().position(orpha).unwrap(),
    );
    assert!(raw[po].is_finite() && raw[pr].is_finite());
    assert!(plain.entity_positions(po).is_empty());

    let merged = PhenotypeScorer::new(
        &kb,
        ScorerOptions {
            merge_equivalents: true,
            ..Default::default()
        },
    );
    assert!(merged.entity_positions(po).contains(&(pr as u32)));
    let mut m = raw.clone();
    merged.merge_equivalents(&mut m);
    let (keep, drop) = if raw[pr] > raw[po] {
        (pr, po)
    } else {
        (po, pr)
    };
    assert_eq!(m[keep], raw[keep]);
    assert_eq!(m[drop], f64::NEG_INFINITY);
    // idempotent
    let mut again = m.clone();
    merged.merge_equivalents(&mut again);
    assert_eq!(again, m);

    // in the ranking, Marfan syndrome is listed once among the finite scores
    let r = merged.rank(&case);
    let listed: Vec<_> = r
        .diseases
        .iter()
        .filter(|d| d.score.is_finite() && (d.disease == omim || d.disease == orpha))
        .collect();
    assert_eq!(listed.len(), 1);
    let r_plain = plain.rank(&case);
    let both = r_plain
        .diseases
        .iter()
        .filter(|d| d.score.is_finite() && (d.disease == omim || d.disease == orpha))
        .count();
    assert_eq!(both, 2);
}
