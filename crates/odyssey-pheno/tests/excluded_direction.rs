//! Excluded terms move the ranking in the direction they should, on a real case: the
//! example phenopacket (examples/phenotype-only.json, Ellis-van Creveld-like features) scored
//! against the real HPO 2025-01-16 knowledge base.

use std::path::Path;

use odyssey_kb::{Aspect, KnowledgeBase};
use odyssey_pheno::phenopacket::read_case_file;
use odyssey_pheno::*;

fn example() -> CaseInput {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/phenotype-only.json");
    CaseInput::from_phenopacket(read_case_file(&p).unwrap().proband())
}

fn score_of(s: &PhenotypeScorer, case: &Case, d: odyssey_kb::DiseaseIdx) -> f64 {
    let mut out = Vec::new();
    s.scores(case, &mut Scratch::default(), &mut out);
    out[s.index().position(d).unwrap()]
}

#[test]
fn excluding_an_obligate_feature_lowers_that_disease() {
    let kb = KnowledgeBase::embedded().unwrap();
    let s = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let input = example();
    let case = Case::resolve(&input, &kb).unwrap();
    let r = s.rank(&case);
    // a runner-up (a different disease that the patient resembles, among the next ten) with
    // an obligate (frequency 1) feature that the case does not mention
    let o = kb.ontology();
    let obligate_unmentioned = |d: odyssey_kb::DiseaseIdx| {
        kb.disease(d)
            .annotations
            .iter()
            .filter(|a| {
                a.aspect == Aspect::Phenotype && !a.negated && a.frequency.proportion() == Some(1.0)
            })
            .map(|a| a.term)
            .find(|&t| {
                case.observed
                    .iter()
                    .chain(&case.excluded)
                    .all(|&c| !o.is_ancestor_or_self(t, c) && !o.is_ancestor_or_self(c, t))
            })
    };
    let (second, feature) = r.diseases[1..11]
        .iter()
        .find_map(|d| Some((d.disease, obligate_unmentioned(d.disease)?)))
        .expect("a runner-up has an obligate feature not in the case");
    let mut with = input.clone();
    with.terms.push(TermInput {
        id: o.id(feature).to_string(),
        label: None,
        excluded: true,
    });
    let case2 = Case::resolve(&with, &kb).unwrap();
    let top = r.diseases[0].disease;
    let before = score_of(&s, &case, second) - score_of(&s, &case, top);
    let after = score_of(&s, &case2, second) - score_of(&s, &case2, top);
    assert!(
        after < before,
        "excluding {} should lower {} against {}: {before} -> {after}",
        o.id(feature),
        kb.disease(second).id,
        kb.disease(top).id
    );
    let rank = |r: &Ranking, d| r.diseases.iter().find(|x| x.disease == d).unwrap().rank;
    let r2 = s.rank(&case2);
    assert!(rank(&r2, second) >= rank(&r, second));
}

#[test]
fn observing_instead_of_excluding_raises_the_disease() {
    // the same feature observed rather than excluded must score the disease higher
    let kb = KnowledgeBase::embedded().unwrap();
    let s = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let input = example();
    let case = Case::resolve(&input, &kb).unwrap();
    let top = s.rank(&case).diseases[0].disease;
    let o = kb.ontology();
    let feature = kb
        .disease(top)
        .annotations
        .iter()
        .filter(|a| a.aspect == Aspect::Phenotype && !a.negated)
        .map(|a| a.term)
        .find(|&t| {
            case.observed
                .iter()
                .chain(&case.excluded)
                .all(|&c| !o.is_ancestor_or_self(t, c) && !o.is_ancestor_or_self(c, t))
        })
        .unwrap();
    let mut obs = input.clone();
    obs.terms.push(TermInput {
        id: o.id(feature).to_string(),
        label: None,
        excluded: false,
    });
    let mut exc = input;
    exc.terms.push(TermInput {
        id: o.id(feature).to_string(),
        label: None,
        excluded: true,
    });
    let (co, ce) = (
        Case::resolve(&obs, &kb).unwrap(),
        Case::resolve(&exc, &kb).unwrap(),
    );
    assert!(score_of(&s, &co, top) > score_of(&s, &ce, top));
}
