//! Case-knowledge rows (k/n per publication, biocuration `POOLED_CURATION`) on the 13-term
//! fixture of odyssey-kb (tests/fixtures/mini; its annotations are listed in
//! odyssey-kb/tests/mini.rs): pooled Σk/Σn over the rows a leave-out keeps, joined with the
//! HPOA rows by the highest frequency, a pooled 0/n as NOT, and the build's gene links.

use std::path::Path;

use odyssey_kb::hpoa::HpoaRecord;
use odyssey_kb::{
    Aspect, DiseaseId, Evidence, ExtraKnowledge, Frequency, HpoId, KnowledgeBase, POOLED_CURATION,
};
use odyssey_pheno::{ProfileBuilder, ScorerOptions};

const SEIZURE: u32 = 1250; // OMIM:1 in the HPOA: 1/2 (PMID:11)
const ID: u32 = 1249; // OMIM:1 in the HPOA: Very frequent 0.895 (PMID:11;PMID:12)
const FOCAL: u32 = 7359;
const MICRO: u32 = 252;
const HEAD: u32 = 152;
/// HP:0040281 Very frequent, 0.895, as stored in a profile (f32).
const VERY_FREQUENT: f64 = 0.895_f32 as f64;

fn row(disease: &str, term: u32, pmid: &str, k: u32, n: u32) -> HpoaRecord {
    HpoaRecord {
        line: 1,
        disease: disease.parse().unwrap(),
        disease_name: disease.into(),
        negated: false,
        term: HpoId::new(term),
        references: vec![pmid.into()],
        evidence: Evidence::Pcs,
        onset: None,
        frequency: Frequency::Ratio { n: k, m: n },
        sex: None,
        modifiers: vec![],
        aspect: Aspect::Phenotype,
        biocuration: POOLED_CURATION.into(),
    }
}

fn kb() -> (KnowledgeBase, usize) {
    let extra = ExtraKnowledge {
        name: "case-knowledge".into(),
        description: "test".into(),
        records: vec![
            row("OMIM:1", FOCAL, "PMID:51", 1, 4),
            row("OMIM:1", FOCAL, "PMID:52", 2, 2),
            row("OMIM:1", MICRO, "PMID:51", 0, 4),
            row("OMIM:1", SEIZURE, "PMID:51", 1, 4),
            row("OMIM:5", HEAD, "PMID:53", 1, 1),
            row("OMIM:5", 99999, "PMID:53", 1, 1), // not a term of the fixture
        ],
        gene_links: vec![
            ("OMIM:1".parse().unwrap(), "GENEX".into()), // OMIM:1 is linked already
            ("OMIM:5".parse().unwrap(), "GENEX".into()),
            ("OMIM:5".parse().unwrap(), "NOSUCHGENE".into()),
        ],
        case_reports: vec![],
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../odyssey-kb/tests/fixtures/mini");
    let (kb, report) = KnowledgeBase::build_with(&dir, None, Some(&extra)).unwrap();
    (kb, report.extra_unknown_terms)
}

/// (direct frequencies of the given terms, NOT-annotated term numbers) of a disease's
/// profile, leaving out the annotations that cite `left_out`.
fn profile(
    kb: &KnowledgeBase,
    d: &str,
    left_out: &str,
    terms: &[u32],
) -> (Vec<Option<f64>>, Vec<u32>) {
    let o = kb.ontology();
    let di = kb.disease_index(d.parse::<DiseaseId>().unwrap()).unwrap();
    let skip = |a: &odyssey_kb::Annotation| kb.references(a).any(|r| r == left_out);
    let p = ProfileBuilder::new(o.len())
        .build(kb, kb.disease(di), &ScorerOptions::default().index, &skip)
        .unwrap();
    let f = terms
        .iter()
        .map(|&t| p.direct_frequency(o.index(HpoId::new(t)).unwrap()))
        .collect();
    (f, p.negated.iter().map(|&t| o.id(t).number()).collect())
}

#[test]
fn case_rows_pool_over_the_publications_left() {
    let (kb, unknown) = kb();
    assert_eq!(unknown, 1);
    let terms = [FOCAL, SEIZURE, ID, MICRO];
    // nothing left out: Focal (1+2)/(4+2) = 0.5 (the max rule would give 1); Seizure: the
    // HPOA's 1/2 against the pooled 1/4: the higher, 0.5; ID from the HPOA only; Micro 0/4: NOT
    let (f, not) = profile(&kb, "OMIM:1", "none", &terms);
    assert_eq!(f, vec![Some(0.5), Some(0.5), Some(VERY_FREQUENT), None]);
    assert_eq!(not, vec![MICRO]);
    // PMID:52 left out: Focal 1/4
    let (f, not) = profile(&kb, "OMIM:1", "PMID:52", &terms);
    assert_eq!(f, vec![Some(0.25), Some(0.5), Some(VERY_FREQUENT), None]);
    assert_eq!(not, vec![MICRO]);
    // PMID:51 left out: Focal 2/2, no Seizure row from the cases, no NOT Microcephaly
    let (f, not) = profile(&kb, "OMIM:1", "PMID:51", &terms);
    assert_eq!(f, vec![Some(1.0), Some(0.5), Some(VERY_FREQUENT), None]);
    assert!(not.is_empty());
    // PMID:11 left out (the HPOA's Seizure and ID rows): Seizure is the cases' 1/4 alone
    let (f, _) = profile(&kb, "OMIM:1", "PMID:11", &terms);
    assert_eq!(f, vec![Some(0.5), Some(0.25), None, None]);
}

#[test]
fn new_diseases_and_their_gene_links() {
    let (kb, _) = kb();
    // OMIM:5 exists only in the case rows; it is linked to GENEX (NCBIGene:7, from
    // genes_to_phenotype.txt); NOSUCHGENE has no NCBI Gene id there and is dropped; OMIM:1
    // keeps only its own gene FGFR2
    let d5 = kb.disease_index("OMIM:5".parse().unwrap()).unwrap();
    let genes = |d| -> Vec<String> {
        kb.disease(d)
            .genes
            .iter()
            .map(|&g| kb.gene(g).symbol.clone())
            .collect()
    };
    assert_eq!(genes(d5), vec!["GENEX"]);
    let d1 = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
    assert_eq!(genes(d1), vec!["FGFR2"]);
    assert!(kb.meta().annotations_release.ends_with("+ test"));
    assert_eq!(kb.meta().sources.last().unwrap().0, "case-knowledge");
}
