//! Hand-computed values on a 13-term ontology with four diseases (tests/fixtures/mini).
//!
//! Ontology (is_a): All > {Phenotypic abnormality (PA), Mode of inheritance, Onset};
//! PA > {Nervous (A), Head or neck (H)}; A > {Seizure (S), Intellectual disability (ID)};
//! S > Focal-onset seizure (F); Microcephaly (M) has two parents, H and A.
//! Secondary ids: HP:0000998 = alt_id of ID; HP:0000999 obsolete, replaced by S;
//! HP:0000997 obsolete without replacement.
//!
//! Phenotype annotations (aspect P, NOT excluded, secondary ids resolved):
//! OMIM:1 {S, ID}; OMIM:2 {F, M}; OMIM:3 {ID (via alt id)} plus NOT S; ORPHA:4 {H, S (via
//! obsolete id)}. So N = 4 and, with the true-path rule:
//! n(All) = n(PA) = n(A) = 4; n(S) = 3 (1, 2, 4); n(F) = 1; n(ID) = 2 (1, 3); n(H) = 2 (2, 4);
//! n(M) = 1. IC = -ln(n/4): S = ln(4/3), F = ln 4, ID = ln 2, H = ln 2, M = ln 4; terms no
//! disease reaches (e.g. HP:0000006) take n = 1, IC = ln 4.

use std::path::{Path, PathBuf};

use odyssey_kb::{DiseaseId, HpoId, KnowledgeBase, ModeOfInheritance, Resolution};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn kb() -> KnowledgeBase {
    KnowledgeBase::build(&dir()).unwrap().0
}

fn idx(kb: &KnowledgeBase, n: u32) -> u32 {
    kb.ontology().index(HpoId::new(n)).unwrap()
}

#[test]
fn ancestors_are_the_hand_computed_closure() {
    let kb = kb();
    let o = kb.ontology();
    let ids = |t: u32| -> Vec<u32> { o.ancestors(t).iter().map(|&a| o.id(a).number()).collect() };
    assert_eq!(ids(idx(&kb, 252)), vec![1, 118, 152, 252, 707]);
    assert_eq!(ids(idx(&kb, 7359)), vec![1, 118, 707, 1250, 7359]);
    assert_eq!(ids(idx(&kb, 1)), vec![1]);
    assert!(o.is_ancestor_or_self(idx(&kb, 707), idx(&kb, 252)));
    assert!(!o.is_ancestor_or_self(idx(&kb, 252), idx(&kb, 707)));
    let children: Vec<u32> = o
        .children(idx(&kb, 707))
        .iter()
        .map(|&c| o.id(c).number())
        .collect();
    assert_eq!(children, vec![252, 1249, 1250]);
    assert_eq!(o.depth(idx(&kb, 7359)), 4);
    assert!(o.is_phenotype(idx(&kb, 252)));
    assert!(!o.is_phenotype(idx(&kb, 6)));
    assert_eq!(o.len(), 13);
}

#[test]
fn information_content_matches_hand_computation() {
    let kb = kb();
    assert_eq!(kb.diseases_counted(), 4);
    let cases = [
        (1, 4, 0.0),
        (118, 4, 0.0),
        (707, 4, 0.0),
        (1250, 3, (4.0f64 / 3.0).ln()),
        (7359, 1, 4.0f64.ln()),
        (1249, 2, 2.0f64.ln()),
        (152, 2, 2.0f64.ln()),
        (252, 1, 4.0f64.ln()),
        (6, 0, 4.0f64.ln()),
    ];
    for (term, count, ic) in cases {
        let t = idx(&kb, term);
        assert_eq!(kb.diseases_annotated(t), count, "count of HP:{term:07}");
        assert!(
            (kb.ic(t) - ic).abs() < 1e-12,
            "IC of HP:{term:07}: {} vs {ic}",
            kb.ic(t)
        );
    }
}

#[test]
fn secondary_ids_resolve() {
    let kb = kb();
    let o = kb.ontology();
    assert_eq!(
        o.resolve(HpoId::new(998)).unwrap(),
        Resolution::Alternative(idx(&kb, 1249))
    );
    assert_eq!(
        o.resolve(HpoId::new(999)).unwrap(),
        Resolution::Replaced {
            term: idx(&kb, 1250),
            obsolete_name: "obsolete Fits".into()
        }
    );
    assert_eq!(
        o.resolve(HpoId::new(997)).unwrap(),
        Resolution::ObsoleteUnreplaced {
            obsolete_name: "obsolete Odd".into(),
            consider: vec![HpoId::new(152)]
        }
    );
    let err = o.resolve(HpoId::new(4242)).unwrap_err().to_string();
    assert!(err.contains("unknown HPO term HP:0004242"), "{err}");
}

#[test]
fn diseases_genes_and_inheritance() {
    let (kb, report) = KnowledgeBase::build(&dir()).unwrap();
    assert_eq!(
        report.remapped,
        vec![
            (HpoId::new(998), HpoId::new(1249)),
            (HpoId::new(999), HpoId::new(1250))
        ]
    );
    assert_eq!(report.links_without_disease, 1);
    assert_eq!(kb.diseases().len(), 4);
    let d3 = kb
        .disease_index("OMIM:3".parse::<DiseaseId>().unwrap())
        .unwrap();
    let dis = kb.disease(d3);
    assert_eq!(dis.annotations.len(), 3);
    assert!(dis.annotations[1].negated);
    assert_eq!(
        kb.modes_of_inheritance(d3),
        vec![ModeOfInheritance::AutosomalDominant]
    );
    let d2 = kb.disease_index("OMIM:2".parse().unwrap()).unwrap();
    let a = &kb.disease(d2).annotations[0];
    assert_eq!(a.frequency.proportion(), Some(0.75));
    assert_eq!(a.onset, Some(idx(&kb, 3577)));
    assert_eq!(kb.references(a).collect::<Vec<_>>(), vec!["PMID:21"]);
    let d1 = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
    assert_eq!(
        kb.references(&kb.disease(d1).annotations[1])
            .collect::<Vec<_>>(),
        vec!["PMID:11", "PMID:12"]
    );
    // genes: FGFR2 -> OMIM:1, ORPHA:4; GENEX -> OMIM:2; GENEY's only disease is unknown, so it is dropped
    assert_eq!(kb.genes().len(), 2);
    let fgfr2 = kb.gene_by_symbol("FGFR2").unwrap();
    let ds: Vec<String> = kb
        .gene(fgfr2)
        .diseases
        .iter()
        .map(|&d| kb.disease(d).id.to_string())
        .collect();
    assert_eq!(ds, vec!["OMIM:1", "ORPHA:4"]);
    assert!(kb.gene_by_symbol("GENEY").is_none());
    assert_eq!(kb.meta().hpo_release, "2099-12-31");
    assert_eq!(kb.meta().annotations_release, "2099-12-30");
}

#[test]
fn file_round_trip_and_damage_detection() {
    let kb = kb();
    let bytes = kb.to_bytes();
    assert_eq!(KnowledgeBase::from_bytes(&bytes, "t").unwrap(), kb);
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    let err = KnowledgeBase::from_bytes(&damaged, "t.odkb")
        .unwrap_err()
        .to_string();
    assert!(err.contains("checksum mismatch"), "{err}");
    let err = KnowledgeBase::from_bytes(&bytes[..bytes.len() - 10], "t.odkb")
        .unwrap_err()
        .to_string();
    assert!(err.contains("truncated"), "{err}");
    let err = KnowledgeBase::from_bytes(b"hello world, this is not a knowledge base", "x")
        .unwrap_err()
        .to_string();
    assert!(err.contains("wrong magic"), "{err}");
    let mut future = bytes.clone();
    future[8] = 99;
    assert!(KnowledgeBase::from_bytes(&future, "t")
        .unwrap_err()
        .to_string()
        .contains("format version 99"));
    // save never leaves a partial file and refuses nothing silently
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("mini.odkb");
    kb.save(&path).unwrap();
    assert_eq!(KnowledgeBase::load(&path).unwrap(), kb);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn malformed_release_files_name_file_line_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"] {
        std::fs::copy(dir().join(f), tmp.path().join(f)).unwrap();
    }
    // an annotation to a term the ontology does not have, on line 8 of the HPOA file
    let hpoa = std::fs::read_to_string(dir().join("phenotype.hpoa")).unwrap();
    let broken = hpoa.replacen("HP:0007359", "HP:0004242", 1);
    std::fs::write(tmp.path().join("phenotype.hpoa"), broken).unwrap();
    let err = KnowledgeBase::build(tmp.path()).unwrap_err().to_string();
    assert!(
        err.contains("phenotype.hpoa:7: field `hpo_id`: HP:0004242 is not a term"),
        "{err}"
    );
    // an is_a to a missing parent in the ontology (line 50 is Focal-onset seizure's id)
    std::fs::write(tmp.path().join("phenotype.hpoa"), hpoa).unwrap();
    let obo = std::fs::read_to_string(dir().join("hp.obo")).unwrap();
    std::fs::write(
        tmp.path().join("hp.obo"),
        obo.replace("is_a: HP:0001250 ! Seizure", "is_a: HP:0001111 ! Missing"),
    )
    .unwrap();
    let err = KnowledgeBase::build(tmp.path()).unwrap_err().to_string();
    let line = obo.lines().position(|l| l == "id: HP:0007359").unwrap() + 1;
    assert!(
        err.contains(&format!("hp.obo:{line}: field `is_a`")),
        "{err}"
    );
}
