//! Validation, configuration and matching, without HTTP.

mod common;

use std::path::Path;

use common::{kb, patient, patients};
use odyssey_kb::HpoId;
use odyssey_mme::config::MmeConfig;
use odyssey_mme::matching::{
    genotype_score, phenotype_score, phenotype_score_with, rank, Normalisation, ScoredMatch,
    SAME_EFFECT, SAME_GENE, SAME_VARIANT, SAME_VARIANT_AND_ZYGOSITY,
};
use odyssey_mme::profile::PatientProfile;
use odyssey_mme::validate::{self, Level};
use odyssey_mme::{match_patients, GeneResolver, MatchRequest};
use serde_json::{json, Value};

fn request_of(p: &odyssey_mme::Patient) -> Value {
    serde_json::to_value(MatchRequest {
        disclaimer: None,
        terms: None,
        patient: p.clone(),
    })
    .unwrap()
}

fn fields(v: &[validate::Violation]) -> Vec<&str> {
    v.iter().map(|x| x.field.as_str()).collect()
}

#[test]
fn fixture_patients_follow_the_specification_strictly() {
    for name in ["centre-a.json", "centre-b.json"] {
        for p in patients(name) {
            let v = validate::request(&request_of(&p), Level::Strict);
            assert!(v.is_empty(), "{name} {}: {v:?}", p.id);
        }
    }
}

#[test]
fn violations_name_the_offending_field() {
    let mut r = request_of(&patient("centre-a.json", "A1"));
    r["patient"]["features"][2]["id"] = json!("HP:12");
    r["patient"]["features"][1]["observed"] = json!("maybe");
    r["patient"]["contact"]
        .as_object_mut()
        .unwrap()
        .remove("href");
    r["patient"]["genomicFeatures"][0]["zygosity"] = json!(3);
    r["patient"]["genomicFeatures"][0]["variant"]["referenceBases"] = json!("CX");
    r["patient"]["genomicFeatures"][0]["variant"]["end"] = json!(10);
    r["patient"]["sex"] = json!("female");
    let v = validate::request(&r, Level::Server);
    assert_eq!(
        fields(&v),
        [
            "patient.contact.href",
            "patient.sex",
            "patient.features[1].observed",
            "patient.features[2].id",
            "patient.genomicFeatures[0].variant.end",
            "patient.genomicFeatures[0].variant.referenceBases",
            "patient.genomicFeatures[0].zygosity",
        ]
    );
    assert!(v[3].problem.contains("\"HP:12\""), "{}", v[3].problem);
}

#[test]
fn missing_patient_id_contact_and_both_feature_lists() {
    let r = json!({"patient": {"features": [], "label": 5}});
    let v = validate::request(&r, Level::Server);
    assert_eq!(
        fields(&v),
        [
            "patient.id",
            "patient.label",
            "patient.contact",
            "patient.features"
        ]
    );
    assert_eq!(
        fields(&validate::request(&json!([1]), Level::Server)),
        ["(body)"]
    );
}

#[test]
fn strict_level_rejects_undefined_fields_but_not_underscore_ones() {
    let mut r = request_of(&patient("centre-a.json", "A2"));
    r["patient"]["_internalId"] = json!("x");
    r["patient"]["genomicFeatures"][0]["gene"]["_geneName"] = json!("SCN1A");
    assert!(validate::request(&r, Level::Strict).is_empty());
    r["patient"]["nickname"] = json!("x");
    assert!(validate::request(&r, Level::Server).is_empty());
    assert_eq!(
        fields(&validate::request(&r, Level::Strict)),
        ["patient.nickname"]
    );
}

#[test]
fn response_scores_must_lie_in_the_unit_interval() {
    let p = serde_json::to_value(patient("centre-b.json", "B2")).unwrap();
    let ok = json!({"results": [{"score": {"patient": 1.0}, "patient": p}]});
    assert!(validate::response(&ok, Level::Strict).is_empty());
    let bad = json!({"results": [{"score": {"patient": 1.5}, "patient": p}, {"patient": p}]});
    assert_eq!(
        fields(&validate::response(&bad, Level::Strict)),
        ["results[0].score.patient", "results[1].score"]
    );
    assert_eq!(
        fields(&validate::response(&json!({}), Level::Strict)),
        ["results"]
    );
}

#[test]
fn the_benchmark_patients_lack_variant_start_exactly_twice() {
    // Found independently by reading the file: P0001017 and P0001018 each have one variant
    // without `start` (mandatory when `variant` is given); nothing else breaks the rules.
    let Some(dir) = common::shared_mme() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("testing/benchmark_patients.json")).unwrap();
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(all.len(), 50);
    let mut found = Vec::new();
    for p in &all {
        for v in validate::patient("patient", p, Level::Strict) {
            found.push(format!("{} {}", p["id"].as_str().unwrap(), v.field));
        }
    }
    assert_eq!(
        found,
        [
            "P0001017 patient.genomicFeatures[1].variant.start",
            "P0001018 patient.genomicFeatures[0].variant.start"
        ]
    );
}

#[test]
fn features_resolve_alt_ids_and_observed_no() {
    let kb = kb();
    let genes = GeneResolver::from_kb(&kb);
    let b1 = PatientProfile::new(&patient("centre-b.json", "B1"), &kb, &genes);
    let seizure = kb.ontology().index(HpoId::new(1250)).unwrap();
    // HP:0002306 is an alt_id of HP:0001250 in HPO 2025-01-16; observed "no" → excluded
    assert_eq!(b1.excluded, vec![seizure]);
    assert_eq!(b1.observed.len(), 3);
    assert!(b1.ignored.is_empty());
    let mut p = patient("centre-b.json", "B1");
    p.features[0].id = "HP:9999999".into();
    let prof = PatientProfile::new(&p, &kb, &genes);
    assert_eq!(prof.ignored.len(), 1);
    assert_eq!(prof.ignored[0].field, "patient.features[0].id");
}

#[test]
fn gene_ids_resolve_across_symbol_entrez_and_ensembl() {
    let kb = kb();
    let mut genes = GeneResolver::from_kb(&kb);
    assert_eq!(genes.key("55768"), "NGLY1");
    assert_eq!(genes.key("NCBIGene:55768"), "NGLY1");
    assert_eq!(genes.key("ngly1"), "NGLY1");
    assert_eq!(genes.key("ENSG00000151092.17"), "ENSG00000151092");
    genes.add("NGLY1", &["ENSG00000151092"]);
    assert_eq!(genes.key("ENSG00000151092.17"), "NGLY1");
}

#[test]
fn phenotype_score_is_one_for_identical_profiles_and_hand_derived_for_parent_child() {
    let kb = kb();
    let o = kb.ontology();
    let t = |n| o.index(HpoId::new(n)).unwrap();
    // febrile seizure is a descendant of seizure: their MICA is seizure (IC grows down the graph)
    let (child, parent) = (t(2373), t(1250));
    assert!(o.is_ancestor_or_self(parent, child) && child != parent);
    assert!(kb.ic(child) > kb.ic(parent));
    let same = phenotype_score(&kb, &[child, t(1263)], &[child, t(1263)]);
    assert!((same - 1.0).abs() < 1e-12, "{same}");
    // Q = {child}, C = {parent}: both best matches are IC(parent); self-similarities IC(child)
    // and IC(parent)
    let (ic_c, ic_p) = (kb.ic(child), kb.ic(parent));
    let pooled = 2.0 * ic_p / (ic_c + ic_p);
    let got = phenotype_score(&kb, &[child], &[parent]);
    assert!((got - pooled).abs() < 1e-12, "{got} vs {pooled}");
    assert!((phenotype_score(&kb, &[parent], &[child]) - pooled).abs() < 1e-12);
    for (norm, expected) in [
        (Normalisation::MeanOfDirections, 0.5 * (ic_p / ic_c + 1.0)),
        (Normalisation::GeometricMean, (ic_p / ic_c).sqrt()),
        (Normalisation::QueryOnly, ic_p / ic_c),
    ] {
        let got = phenotype_score_with(&kb, &[child], &[parent], norm);
        assert!(
            (got - expected).abs() < 1e-12,
            "{norm:?}: {got} vs {expected}"
        );
    }
    assert_eq!(phenotype_score(&kb, &[], &[parent]), 0.0);
}

#[test]
fn genotype_levels() {
    let kb = kb();
    let genes = GeneResolver::from_kb(&kb);
    let a1 = PatientProfile::new(&patient("centre-a.json", "A1"), &kb, &genes);
    let b1 = PatientProfile::new(&patient("centre-b.json", "B1"), &kb, &genes);
    assert_eq!(
        genotype_score(&a1.genes, &b1.genes),
        (SAME_VARIANT_AND_ZYGOSITY, vec!["NGLY1".to_string()])
    );
    let mut b = b1.clone();
    b.genes[0].zygosity = Some(1);
    assert_eq!(genotype_score(&a1.genes, &b.genes).0, SAME_VARIANT);
    b.genes[0].variant.as_mut().unwrap().start += 1;
    assert_eq!(genotype_score(&a1.genes, &b.genes).0, SAME_EFFECT);
    b.genes[0].effect = None;
    assert_eq!(genotype_score(&a1.genes, &b.genes).0, SAME_GENE);
    b.genes[0].gene = "FGFR2".into();
    assert_eq!(genotype_score(&a1.genes, &b.genes), (0.0, vec![]));
}

#[test]
fn match_patients_ranks_the_gene_partner_first_with_the_documented_score() {
    let kb = kb();
    let a1 = patient("centre-a.json", "A1");
    let cands = patients("centre-b.json");
    let ms = match_patients(&a1, &cands, &kb);
    assert_eq!(ms[0].patient_id, "B1");
    let genes = GeneResolver::from_kb(&kb);
    let (q, c) = (
        PatientProfile::new(&a1, &kb, &genes),
        PatientProfile::new(&cands[0], &kb, &genes),
    );
    let p = phenotype_score(&kb, &q.observed, &c.observed);
    assert!((ms[0].score - (0.5 * 1.0 + 0.5 * p)).abs() < 1e-12);
    assert_eq!(ms[0].phenotype, Some(p));
    assert!(ms.iter().all(|m| (0.0..=1.0).contains(&m.score)));
}

#[test]
fn ties_share_the_worst_rank_and_are_ordered_by_id() {
    let m = |id: &str, score| ScoredMatch {
        candidate: 0,
        patient_id: id.into(),
        score,
        genotype: None,
        phenotype: None,
        shared_genes: vec![],
        rank: 0,
        tie_size: 0,
    };
    let mut ms = vec![m("z", 0.5), m("b", 0.9), m("a", 0.5)];
    rank(&mut ms);
    let got: Vec<(&str, usize, usize)> = ms
        .iter()
        .map(|x| (x.patient_id.as_str(), x.rank, x.tie_size))
        .collect();
    assert_eq!(got, [("b", 1, 1), ("a", 3, 2), ("z", 3, 2)]);
}

#[test]
fn config_parses_and_errors_name_file_and_entry() {
    let path = Path::new("/etc/odyssey/mme.toml");
    let good = r#"
[[incoming]]
name = "Centre B"
token = "tb"

[[outgoing]]
name = "Centre B"
base_url = "http://127.0.0.1:9000/mme/"
token = "ta"
timeout_seconds = 2.5
"#;
    let c = MmeConfig::parse(good, path).unwrap();
    assert_eq!(c.outgoing[0].match_url(), "http://127.0.0.1:9000/mme/match");
    assert_eq!(c.outgoing[0].timeout().as_millis(), 2500);
    assert_eq!(c.incoming_node("tb"), Some("Centre B"));
    assert_eq!(c.incoming_node("tB"), None);

    let dup =
        "[[incoming]]\nname = \"X\"\ntoken = \"t\"\n[[incoming]]\nname = \"Y\"\ntoken = \"t\"\n";
    let e = MmeConfig::parse(dup, path).unwrap_err().to_string();
    assert_eq!(e, "/etc/odyssey/mme.toml: incoming[1] (\"Y\"): same token as incoming[0]; each node needs its own token");

    let https = "[[outgoing]]\nname = \"Z\"\nbase_url = \"https://z.example/mme\"\ntoken = \"t\"\n";
    let e = MmeConfig::parse(https, path).unwrap_err().to_string();
    assert!(
        e.starts_with("/etc/odyssey/mme.toml: outgoing[0] (\"Z\"): `base_url`"),
        "{e}"
    );

    let unknown = "[[outgoing]]\nname = \"Z\"\nurl = \"http://z\"\ntoken = \"t\"\n";
    let e = MmeConfig::parse(unknown, path).unwrap_err().to_string();
    assert!(
        e.contains("/etc/odyssey/mme.toml") && e.contains("line 3") && e.contains("url"),
        "{e}"
    );

    let e = MmeConfig::load(Path::new("/nonexistent/mme.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("/nonexistent/mme.toml: cannot read"), "{e}");
}

#[test]
fn benchmark_summary_by_hand_on_the_fixture_patients() {
    // Genotype alone (w = 1) on A1, A2, B1, B2, B3: NGLY1 is shared by A1, B1 (same variant
    // and zygosity: 1.0) and B3 (gene only: 0.6). A1 and B1 find each other at rank 1; B3
    // sees A1 and B1 tied at 0.6, both at rank 2. A2 and B2 have no partner.
    let kb = kb();
    let mut all = patients("centre-a.json");
    all.extend(patients("centre-b.json"));
    let options = odyssey_mme::MatchOptions {
        genotype_weight: 1.0,
        ..Default::default()
    };
    let ranks =
        odyssey_mme::benchmark::partner_ranks(&all, &kb, &GeneResolver::from_kb(&kb), &options);
    let got: Vec<(&str, usize, usize)> = ranks
        .iter()
        .map(|r| (r.query.as_str(), r.partners, r.best_rank))
        .collect();
    assert_eq!(got, [("A1", 2, 1), ("B1", 2, 1), ("B3", 2, 2)]);
    let s = odyssey_mme::benchmark::summarise(&ranks);
    assert_eq!(s.queries, 3);
    assert!((s.top1 - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(s.top5, 1.0);
    assert!((s.mrr - 5.0 / 6.0).abs() < 1e-12);
    assert_eq!(s.map, 1.0);
}

#[test]
fn a_phenopacket_becomes_a_valid_mme_record() {
    use odyssey_mme::convert::{patient_from_phenopacket, ConvertOptions};
    let case =
        odyssey_pheno::phenopacket::read_case_file(&common::fixture("case.phenopacket.json"))
            .unwrap();
    let contact = odyssey_mme::model::Contact {
        name: "Dr A. Alpha".into(),
        href: "mailto:alpha@centre-a.example".into(),
        ..Default::default()
    };
    let opts = ConvertOptions {
        include_disorders: true,
    };
    let p = patient_from_phenopacket(case.proband(), "case-7", contact, &opts);
    let expected = json!({
        "id": "case-7",
        "contact": {"name": "Dr A. Alpha", "href": "mailto:alpha@centre-a.example"},
        "sex": "FEMALE",
        "disorders": [{"id": "MIM:615273", "label": "Congenital disorder of deglycosylation 1"}],
        "features": [
            {"id": "HP:0001263", "label": "Global developmental delay", "observed": "yes"},
            {"id": "HP:0000522", "label": "Alacrima", "observed": "yes"},
            {"id": "HP:0001250", "label": "Seizure", "observed": "no"}
        ],
        "genomicFeatures": [{
            "gene": {"id": "NGLY1"},
            // VCF pos 25750001 (1-based) → 0-based start 25750000, end = start + len(REF)
            "variant": {"assembly": "GRCh38", "referenceName": "3", "start": 25750000, "end": 25750001, "referenceBases": "C", "alternateBases": "T"},
            "zygosity": 2
        }]
    });
    assert_eq!(serde_json::to_value(&p).unwrap(), expected);
    assert!(validate::patient("patient", &expected, Level::Strict).is_empty());
}

#[cfg(feature = "annotate")]
#[test]
fn ensembl_ids_resolve_through_the_embedded_gene_models() {
    let genes = GeneResolver::from_kb(&kb()).with_gene_models().unwrap();
    // NGLY1 is ENSG00000151092 and FGFR2 ENSG00000066468 (Ensembl)
    assert_eq!(genes.key("ENSG00000151092.17"), "NGLY1");
    assert_eq!(genes.key("ENSG00000066468"), "FGFR2");
}
