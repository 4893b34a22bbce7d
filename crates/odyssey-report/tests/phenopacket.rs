//! Phenopacket v2 output: interpretations added to the input, valid against the Phenopacket v2
//! schema (the protobuf-generated types of the `phenopackets` crate, built from the official
//! .proto files), and read back by Odyssey's own reader.

mod common;

use std::path::Path;

use common::*;
use odyssey_pheno::phenopacket::{parse_case_file, CaseFile};
use odyssey_report::phenopacket::*;
use serde_json::{json, Value};

const INPUT: &str = r#"{
  "id": "SYNTHETIC-trio",
  "subject": { "id": "KID", "sex": "MALE", "timeAtLastEncounter": { "age": { "iso8601duration": "P3Y6M" } } },
  "phenotypicFeatures": [
    { "type": { "id": "HP:0001363", "label": "Craniosynostosis" } },
    { "type": { "id": "HP:0001249", "label": "Intellectual disability" }, "excluded": true }
  ],
  "interpretations": [
    { "id": "lab-1", "progressStatus": "UNKNOWN_PROGRESS", "diagnosis": { "disease": { "id": "OMIM:123500", "label": "Crouzon syndrome" } } }
  ],
  "files": [ { "uri": "file://demo.vcf.gz", "individualToFileIdentifiers": { "KID": "KID" }, "fileAttributes": { "htsFormat": "VCF", "genomeAssembly": "GRCh38" } } ],
  "metaData": {
    "created": "2026-01-01T00:00:00Z",
    "createdBy": "test",
    "resources": [ { "id": "hp", "name": "human phenotype ontology", "url": "http://purl.obolibrary.org/obo/hp.owl", "version": "2025-01-16", "namespacePrefix": "HP", "iriPrefix": "http://purl.obolibrary.org/obo/HP_" } ],
    "phenopacketSchemaVersion": "2.0"
  },
  "somethingOdysseyDoesNotKnow": { "kept": true }
}"#;

fn output(input: Option<Value>, r: &odyssey_report::AnalysisReport) -> Value {
    add_interpretations(input, r, &PhenopacketOptions::default()).unwrap()
}

/// The genes that become candidates: after a variant analysis (`filters`), those with a
/// variant that passed the filters; otherwise all.
fn candidates(r: &odyssey_report::AnalysisReport) -> Vec<&odyssey_report::GeneResult> {
    r.genes
        .iter()
        .filter(|g| r.filters.is_none() || g.variants.iter().any(|v| v.filter == "PASS"))
        .collect()
}

/// Validates `doc` against the Phenopacket v2 schema: it must deserialize into the
/// protobuf-generated `Phenopacket` (types, enum names, field names of known messages), and
/// every interpretation and the metaData must serialize back to exactly what was written, so
/// no field was unknown to the schema (serde would drop it) and no value changed type.
fn assert_schema_valid(doc: &Value) {
    // a GA4GH Family carries the phenopacket of its proband
    let (back, packet) = if doc.get("proband").is_some() {
        let typed: phenopackets::schema::v2::Family =
            serde_json::from_value(doc.clone()).expect("a Family v2");
        let back = serde_json::to_value(&typed).unwrap();
        assert_eq!(
            back["metaData"], doc["metaData"],
            "the Family's metaData does not round-trip through the schema types"
        );
        (back["proband"].clone(), &doc["proband"])
    } else {
        let typed: phenopackets::schema::v2::Phenopacket =
            serde_json::from_value(doc.clone()).expect("a Phenopacket v2");
        (serde_json::to_value(&typed).unwrap(), doc)
    };
    assert!(
        packet["interpretations"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "no interpretations to check"
    );
    assert_eq!(
        back["interpretations"], packet["interpretations"],
        "interpretations do not round-trip through the schema types"
    );
    assert_eq!(
        back["metaData"], packet["metaData"],
        "metaData does not round-trip through the schema types"
    );
    assert_eq!(back["phenotypicFeatures"], packet["phenotypicFeatures"]);
}

/// The test catches a wrong field name, a wrong enum value and a wrong type.
#[test]
fn the_schema_check_can_fail() {
    let doc = output(Some(serde_json::from_str(INPUT).unwrap()), &full_report());
    for (what, m) in [
        (
            "field name",
            Box::new(|d: &mut Value| {
                d["interpretations"][1]["diagnosis"]["genomicInterpretation"] = json!([])
            }) as Box<dyn Fn(&mut Value)>,
        ),
        (
            "enum value",
            Box::new(|d: &mut Value| d["interpretations"][1]["progressStatus"] = json!("ONGOING")),
        ),
        (
            "type",
            Box::new(|d: &mut Value| {
                d["interpretations"][1]["diagnosis"]["genomicInterpretations"][0]
                    ["variantInterpretation"]["variationDescriptor"]["vcfRecord"]["pos"] =
                    json!("x")
            }),
        ),
    ] {
        let mut bad = doc.clone();
        m(&mut bad);
        assert!(
            std::panic::catch_unwind(|| assert_schema_valid(&bad)).is_err(),
            "accepted a wrong {what}"
        );
    }
}

#[test]
fn adds_candidate_interpretations_and_keeps_the_rest() {
    let r = full_report();
    let doc = output(Some(serde_json::from_str(INPUT).unwrap()), &r);
    assert_schema_valid(&doc);
    assert_eq!(doc["somethingOdysseyDoesNotKnow"], json!({ "kept": true }));
    let interps = doc["interpretations"].as_array().unwrap();
    // FGFR2 and FGFR1 have variants; TWIST1 has none in this variant analysis: not a candidate
    assert_eq!(interps.len(), 1 + 2);
    assert_eq!(interps[0]["id"], "lab-1");
    assert!(interps
        .iter()
        .all(|i| !i["id"].as_str().unwrap().contains("TWIST1")));

    // gene 1: FGFR2 with its variant, heterozygous in the proband, on GRCh38 (from parameters)
    let i = &interps[1];
    assert_eq!(i["progressStatus"], "IN_PROGRESS");
    assert_eq!(
        i["diagnosis"]["disease"],
        json!({ "id": "OMIM:101600", "label": "Pfeiffer syndrome" })
    );
    let gi = &i["diagnosis"]["genomicInterpretations"][0];
    assert_eq!(gi["interpretationStatus"], "CANDIDATE");
    assert_eq!(gi["subjectOrBiosampleId"], "KID");
    let vd = &gi["variantInterpretation"]["variationDescriptor"];
    assert_eq!(
        vd["geneContext"],
        json!({ "valueId": "NCBIGene:2263", "symbol": "FGFR2" })
    );
    assert_eq!(
        vd["vcfRecord"],
        json!({ "genomeAssembly": "GRCh38", "chrom": "chr10", "pos": 121520160, "ref": "G", "alt": "C" })
    );
    assert_eq!(
        vd["expressions"],
        json!([{ "syntax": "hgvs.c", "value": "NM_000141.5:c.1019A>G" }, { "syntax": "hgvs.p", "value": "p.(Tyr340Cys)" }])
    );
    assert_eq!(
        vd["allelicState"],
        json!({ "id": "GENO:0000135", "label": "heterozygous" })
    );
    // gene 2: homozygous in the proband (1/1)
    assert_eq!(
        interps[2]["diagnosis"]["genomicInterpretations"][0]["variantInterpretation"]
            ["variationDescriptor"]["allelicState"]["id"],
        "GENO:0000136"
    );
    // phenotype only: every gene is a gene-level candidate, TWIST1 included
    let po = output(
        Some(serde_json::from_str(INPUT).unwrap()),
        &phenotype_only_report(),
    );
    let twist = &po["interpretations"][3];
    assert_eq!(
        twist["diagnosis"]["genomicInterpretations"][0]["gene"],
        json!({ "valueId": "NCBIGene:7291", "symbol": "TWIST1" })
    );
    // OMIM:101400 is not among the ranked diseases: its name comes from `disease_labels`, and
    // without one the label is left out rather than made up
    assert_eq!(
        twist["diagnosis"]["disease"]["label"],
        "Saethre-Chotzen syndrome"
    );
    let mut bare = phenotype_only_report();
    bare.disease_labels.clear();
    let po = output(Some(serde_json::from_str(INPUT).unwrap()), &bare);
    assert!(
        po["interpretations"][3]["diagnosis"]["disease"]
            .get("label")
            .is_none(),
        "no made-up label"
    );

    // metaData: resources for every new prefix, an update record
    let prefixes: Vec<&str> = doc["metaData"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["namespacePrefix"].as_str().unwrap())
        .collect();
    for p in ["HP", "GENO", "OMIM", "NCBIGene"] {
        assert!(prefixes.contains(&p), "{p} missing from {prefixes:?}");
    }
    assert_eq!(prefixes.iter().filter(|p| **p == "HP").count(), 1);
    assert_eq!(
        doc["metaData"]["updates"][0]["timestamp"],
        "2026-11-29T20:13:40Z"
    );
}

#[test]
fn round_trips_through_odysseys_reader() {
    let r = full_report();
    let doc = output(Some(serde_json::from_str(INPUT).unwrap()), &r);
    let mut text = Vec::new();
    write_phenopacket(&doc, &mut text).unwrap();
    let file = parse_case_file(
        std::str::from_utf8(&text).unwrap(),
        Path::new("out.phenopacket.json"),
    )
    .unwrap();
    let p = file.proband();
    assert_eq!(p.id, "SYNTHETIC-trio");
    assert_eq!(p.phenotypic_features.len(), 2);
    assert!(p.phenotypic_features[1].is_excluded());
    assert_eq!(p.interpretations.len(), 3);
    let ours: Vec<_> = p
        .interpretations
        .iter()
        .filter(|i| i.id.starts_with("odyssey-"))
        .collect();
    let genes = candidates(&r);
    assert_eq!(ours.len(), genes.len());
    for (i, g) in ours.iter().zip(genes) {
        assert_eq!(i.progress_status, "IN_PROGRESS");
        let d = i.diagnosis.as_ref().unwrap();
        assert_eq!(d.disease.as_ref().unwrap().id, g.diseases[0]);
        let gi = &d.genomic_interpretations;
        assert_eq!(gi.len(), g.variants.len().max(1));
        for (k, x) in gi.iter().enumerate() {
            assert_eq!(x.interpretation_status, "CANDIDATE");
            match g.variants.get(k) {
                Some(v) => {
                    let vd = x
                        .variant_interpretation
                        .as_ref()
                        .unwrap()
                        .variation_descriptor
                        .as_ref()
                        .unwrap();
                    let rec = vd.vcf_record.as_ref().unwrap();
                    assert_eq!(
                        (
                            rec.chrom.as_str(),
                            rec.pos,
                            rec.reference.as_str(),
                            rec.alt.as_str()
                        ),
                        (
                            v.chrom.as_str(),
                            u64::from(v.pos),
                            v.reference.as_str(),
                            v.alt.as_str()
                        )
                    );
                    assert_eq!(vd.gene_context.as_ref().unwrap().symbol, g.symbol);
                    let kid = v.genotypes.iter().find(|s| s.sample == "KID").unwrap();
                    let expected = if kid.genotype == "1/1" {
                        "GENO:0000136"
                    } else {
                        "GENO:0000135"
                    };
                    assert_eq!(vd.allelic_state.as_ref().unwrap().id, expected);
                }
                None => assert_eq!(x.gene.as_ref().unwrap().symbol, g.symbol),
            }
        }
    }
}

#[test]
fn without_input_a_new_phenopacket_is_built() {
    let r = phenotype_only_report();
    let doc = output(None, &r);
    assert_schema_valid(&doc);
    let file = parse_case_file(&serde_json::to_string(&doc).unwrap(), Path::new("x.json")).unwrap();
    let p = file.proband();
    assert_eq!(p.id, r.case.id);
    assert_eq!(p.subject.as_ref().unwrap().sex, "MALE");
    let observed: Vec<&str> = p
        .phenotypic_features
        .iter()
        .filter(|f| !f.is_excluded())
        .map(|f| f.kind.id.as_str())
        .collect();
    let excluded: Vec<&str> = p
        .phenotypic_features
        .iter()
        .filter(|f| f.is_excluded())
        .map(|f| f.kind.id.as_str())
        .collect();
    assert_eq!(
        observed,
        r.case
            .observed
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        excluded,
        r.case
            .excluded
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    // phenotype only: gene-level candidates, no GENO resource needed
    assert!(
        doc["interpretations"][0]["diagnosis"]["genomicInterpretations"][0]["gene"].is_object()
    );
    assert!(!serde_json::to_string(&doc["metaData"])
        .unwrap()
        .contains("GENO"));
}

#[test]
fn family_gets_interpretations_on_the_proband_and_v1_is_replaced() {
    let fam = json!({
        "id": "FAM1",
        "proband": serde_json::from_str::<Value>(INPUT).unwrap(),
        "pedigree": { "persons": [ { "familyId": "FAM1", "individualId": "KID", "paternalId": "DAD", "maternalId": "MUM", "sex": "MALE", "affectedStatus": "AFFECTED" } ] },
        "metaData": { "created": "2026-01-01T00:00:00Z", "phenopacketSchemaVersion": "2.0" }
    });
    let doc = output(Some(fam), &full_report());
    assert_eq!(
        doc["proband"]["interpretations"].as_array().unwrap().len(),
        3
    );
    assert!(doc.get("interpretations").is_none());
    assert_eq!(doc["metaData"]["updates"].as_array().unwrap().len(), 1);
    assert_schema_valid(&doc);
    let file = parse_case_file(&serde_json::to_string(&doc).unwrap(), Path::new("f.json")).unwrap();
    assert!(matches!(file, CaseFile::Family(_)));
    assert_eq!(file.proband().interpretations.len(), 3);

    let v1 = json!({ "id": "old", "subject": { "id": "s" }, "phenotypicFeatures": [ { "type": { "id": "HP:0001250" }, "negated": true } ], "metaData": { "phenopacketSchemaVersion": "1.0" } });
    let doc = output(Some(v1), &full_report());
    assert_eq!(doc["metaData"]["phenopacketSchemaVersion"], "2.0");
    assert_eq!(doc["id"], "SYNTHETIC-trio");
    assert_schema_valid(&doc);
}

#[test]
fn reads_json_and_yaml_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let y = dir.path().join("p.yml");
    std::fs::write(&y, "id: y1\nsubject:\n  id: s\nphenotypicFeatures:\n  - type: {id: 'HP:0001250', label: Seizure}\nmetaData:\n  phenopacketSchemaVersion: '2.0'\n").unwrap();
    assert_eq!(read_phenopacket_value(&y).unwrap()["id"], "y1");
    let j = dir.path().join("p.json");
    std::fs::write(&j, "[1]").unwrap();
    let e = read_phenopacket_value(&j).unwrap_err().to_string();
    assert!(e.contains("p.json") && e.contains("not an object"), "{e}");
    std::fs::write(&j, "{\"id\": ").unwrap();
    let e = read_phenopacket_value(&j).unwrap_err().to_string();
    assert!(e.contains("p.json") && e.contains("JSON"), "{e}");
}

/// A real phenopacket-store case (string positions, existing SOLVED interpretation) keeps its
/// content and reads back with Odyssey's candidates added. Skips without ../shared.
#[test]
fn real_phenopacket_store_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/phenopacket-store/cases/AAGAB");
    let Some(file) = std::fs::read_dir(&dir).ok().and_then(|mut d| {
        d.find_map(|e| {
            e.ok()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
        })
    }) else {
        eprintln!("../shared not present: skipping");
        return;
    };
    let input = read_phenopacket_value(&file).unwrap();
    let before = parse_case_file(&std::fs::read_to_string(&file).unwrap(), &file).unwrap();
    let doc = output(Some(input.clone()), &full_report());
    let after = parse_case_file(&serde_json::to_string(&doc).unwrap(), &file).unwrap();
    let (b, a) = (before.proband(), after.proband());
    assert_eq!(a.phenotypic_features, b.phenotypic_features);
    assert_eq!(
        a.interpretations.len(),
        b.interpretations.len() + candidates(&full_report()).len()
    );
    assert_eq!(
        &a.interpretations[..b.interpretations.len()],
        &b.interpretations[..]
    );
    // everything but interpretations and metaData is untouched
    for (k, v) in input.as_object().unwrap() {
        if k != "interpretations" && k != "metaData" {
            assert_eq!(&doc[k], v, "{k}");
        }
    }
    // Odyssey's interpretations are valid schema objects
    for i in &doc["interpretations"].as_array().unwrap()[b.interpretations.len()..] {
        let typed: phenopackets::schema::v2::core::Interpretation =
            serde_json::from_value(i.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&typed).unwrap(), i);
    }
}

/// The phenopacket written by a real `odyssey analyze --format phenopacket,json` run is valid and
/// reads back with one candidate per top gene; run by `scripts/check-report-in-chromium.sh`
/// with ODYSSEY_REPORT_PHENOPACKET and ODYSSEY_REPORT_JSON.
#[test]
#[ignore]
fn real_output_is_valid_and_reads_back() {
    let (Ok(pp), Ok(j)) = (
        std::env::var("ODYSSEY_REPORT_PHENOPACKET"),
        std::env::var("ODYSSEY_REPORT_JSON"),
    ) else {
        eprintln!("ODYSSEY_REPORT_PHENOPACKET / ODYSSEY_REPORT_JSON not set; skipping");
        return;
    };
    let text = std::fs::read_to_string(&pp).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    assert_schema_valid(&doc);
    let file = parse_case_file(&text, Path::new(&pp)).unwrap();
    let ours: Vec<_> = file
        .proband()
        .interpretations
        .iter()
        .filter(|i| i.id.starts_with("odyssey-"))
        .collect();
    // after a variant analysis, only genes with a variant that passed the filters are candidates
    let variant_analysis = report.get("filters").is_some();
    let genes: Vec<&Value> = report["genes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| {
            !variant_analysis
                || g["variants"]
                    .as_array()
                    .is_some_and(|v| v.iter().any(|v| v["filter"] == "PASS"))
        })
        .take(PhenopacketOptions::default().top)
        .collect();
    assert_eq!(ours.len(), genes.len());
    for (i, g) in ours.iter().zip(genes) {
        assert_eq!(
            i.id,
            format!("odyssey-{}-{}", g["rank"], g["symbol"].as_str().unwrap())
        );
        let gi = &i.diagnosis.as_ref().unwrap().genomic_interpretations;
        assert!(gi.iter().all(|x| x.interpretation_status == "CANDIDATE"));
    }
    // every local file it names exists, resolved as Odyssey resolves it (from the output's folder)
    let base = Path::new(&pp).parent().unwrap();
    for f in file.files() {
        if let Some(p) = f.local_path(base) {
            assert!(
                p.exists(),
                "{pp}: files[].uri {} points nowhere ({})",
                f.uri,
                p.display()
            );
        }
    }
    eprintln!(
        "{pp}: valid Phenopacket v2 with {} Odyssey interpretations",
        ours.len()
    );
}

/// Relative file URIs are rewritten against the input's folder, so the written phenopacket is
/// valid wherever it is read from; absolute and remote URIs are kept.
#[test]
fn relative_file_uris_become_absolute() {
    let base = Path::new("/data/cases");
    for (uri, expected) in [
        ("file://demo.vcf.gz", Some("file:///data/cases/demo.vcf.gz")),
        ("demo.vcf.gz", Some("file:///data/cases/demo.vcf.gz")),
        (
            "./vcf/demo.vcf.gz",
            Some("file:///data/cases/vcf/demo.vcf.gz"),
        ),
        ("file:../demo.bcf", Some("file:///data/cases/../demo.bcf")),
        ("file:///abs/demo.vcf.gz", None),
        ("/abs/demo.vcf.gz", None),
        ("https://example.org/demo.vcf.gz", None),
        ("", None),
    ] {
        assert_eq!(absolute_file_uri(uri, base).as_deref(), expected, "{uri}");
    }

    // a Family: its files, the proband's and the relatives'
    let mut fam = json!({
        "id": "F",
        "proband": serde_json::from_str::<Value>(INPUT).unwrap(),
        "relatives": [ { "id": "DAD", "files": [ { "uri": "dad.vcf" } ] } ],
        "files": [ { "uri": "file://family.vcf.gz" }, { "uri": "s3://bucket/x.vcf" } ],
        "metaData": { "created": "2026-01-01T00:00:00Z", "phenopacketSchemaVersion": "2.0" }
    });
    assert_eq!(absolute_file_uris(&mut fam, base), 3);
    assert_eq!(
        fam["files"],
        json!([ { "uri": "file:///data/cases/family.vcf.gz" }, { "uri": "s3://bucket/x.vcf" } ])
    );
    assert_eq!(
        fam["proband"]["files"][0]["uri"],
        "file:///data/cases/demo.vcf.gz"
    );
    assert_eq!(
        fam["relatives"][0]["files"][0]["uri"],
        "file:///data/cases/dad.vcf"
    );

    // through add_interpretations: read back from another folder, the VCF resolves to the input's
    let dir = tempfile::tempdir().unwrap();
    let opts = PhenopacketOptions {
        resolve_files_against: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let doc = add_interpretations(
        Some(serde_json::from_str(INPUT).unwrap()),
        &full_report(),
        &opts,
    )
    .unwrap();
    assert_schema_valid(&doc);
    let file = parse_case_file(
        &serde_json::to_string(&doc).unwrap(),
        Path::new("elsewhere/out.json"),
    )
    .unwrap();
    assert_eq!(
        file.files()[0].local_path(Path::new("elsewhere")).unwrap(),
        dir.path().join("demo.vcf.gz")
    );
    // without the option, URIs are kept as given
    assert_eq!(
        output(Some(serde_json::from_str(INPUT).unwrap()), &full_report())["files"][0]["uri"],
        "file://demo.vcf.gz"
    );
}
