//! MONDO exact matches attached to the embedded knowledge base.

use odyssey_kb::{DiseaseId, KnowledgeBase};

/// Marfan syndrome: `zcat crates/odyssey-kb/data/mondo-equivalents.tsv.gz | grep OMIM:154700`
/// gives `MONDO:0007947  OMIM:154700  ORPHA:558,ORPHA:284963` (MONDO release 2026-08-04); both
/// OMIM:154700 and ORPHA:558 have phenotype annotations in HPO 2025-01-16, so they are one
/// entity represented by the OMIM entry.
#[test]
fn marfan_omim_and_orphanet_entries_are_one_entity() {
    let kb = KnowledgeBase::embedded().unwrap();
    let id = |s: &str| kb.disease_index(s.parse::<DiseaseId>().unwrap()).unwrap();
    let (omim, orpha) = (id("OMIM:154700"), id("ORPHA:558"));
    assert_eq!(
        kb.equivalent_ids(omim),
        ["MONDO:0007947", "ORPHA:558", "ORPHA:284963"]
    );
    assert_eq!(
        kb.equivalent_ids(orpha),
        ["MONDO:0007947", "OMIM:154700", "ORPHA:284963"]
    );
    assert_eq!(kb.representative(orpha), omim);
    assert_eq!(kb.representative(omim), omim);
    assert_eq!(kb.mondo_release(), "2026-08-04");
}
