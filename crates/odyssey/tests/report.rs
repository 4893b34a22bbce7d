//! The report model the pipeline fills: disease names for every disease of the reported genes
//! (`disease_labels`), the case's unused terms and the analysis warnings. Uses the embedded
//! knowledge base (HPO 2025-01-16).

use odyssey::{phenotype_report, KbHandle, ReportOptions};
use odyssey_pheno::case::{CaseInput, TermInput};
use odyssey_pheno::{Case, Method, PhenotypeScorer, ScorerOptions};

fn term(id: &str, excluded: bool) -> TermInput {
    TermInput {
        id: id.into(),
        label: None,
        excluded,
    }
}

fn report(kb: &KbHandle, terms: Vec<TermInput>, top: usize) -> odyssey_report::AnalysisReport {
    let input = CaseInput {
        id: "t".into(),
        terms,
        ..Default::default()
    };
    let case = Case::resolve(&input, &kb.kb).unwrap();
    let scorer = PhenotypeScorer::new(&kb.kb, ScorerOptions::default());
    phenotype_report(
        kb,
        &scorer,
        &case,
        Method::LikelihoodRatio,
        &ReportOptions {
            top,
            inputs: vec![],
            command: vec![],
        },
    )
}

#[test]
fn every_disease_of_a_reported_gene_is_named() {
    let kb = KbHandle::embedded().unwrap();
    // Pfeiffer syndrome's hallmarks (craniosynostosis, broad thumbs and halluces), top 3 only
    let r = report(
        &kb,
        vec![
            term("HP:0001363", false),
            term("HP:0011304", false),
            term("HP:0010055", false),
            term("HP:9999999", false),
        ],
        3,
    );
    let referenced: std::collections::BTreeSet<&String> =
        r.genes.iter().flat_map(|g| &g.diseases).collect();
    assert!(
        referenced.len() > r.diseases.len(),
        "some gene has a disease outside the top 3"
    );
    assert_eq!(
        r.disease_labels
            .keys()
            .collect::<std::collections::BTreeSet<_>>(),
        referenced,
        "exactly the genes' diseases are named"
    );
    for d in &r.diseases {
        if let Some(l) = r.disease_labels.get(&d.id) {
            assert_eq!(l, &d.label);
        }
    }
    // FGFR2 is among the top genes; its disease Crouzon syndrome (OMIM:123500) and
    // Saethre-Chotzen syndrome (OMIM:101400, a TWIST1/FGFR2 disease) carry their OMIM names
    let fgfr2 = r
        .genes
        .iter()
        .find(|g| g.symbol == "FGFR2")
        .expect("FGFR2 in the top 3 genes");
    assert!(fgfr2.diseases.iter().any(|d| d == "OMIM:123500"));
    assert_eq!(r.disease_labels["OMIM:123500"], "Crouzon syndrome");
    assert_eq!(r.disease_labels["OMIM:101600"], "Pfeiffer syndrome");
    // the unknown id is reported as not used, and warned about (left out of the analysis)
    assert_eq!(
        r.case
            .ignored
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["HP:9999999"]
    );
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("observed term \"HP:9999999\" left out of the analysis"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn a_ranking_on_excluded_terms_alone_is_a_warning() {
    let kb = KbHandle::embedded().unwrap();
    let r = report(
        &kb,
        vec![term("HP:0001249", true), term("HP:0001250", true)],
        5,
    );
    assert_eq!(
        r.warnings,
        ["no observed phenotypic abnormality: the ranking rests on the 2 excluded term(s) alone"]
    );
}
