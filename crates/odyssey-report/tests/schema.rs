//! The JSON contract: output validates against docs/odyssey-result.schema.json (JSON Schema
//! draft 2020-12), the schema rejects what it should, and docs/json-output.md names every field.

mod common;

use common::*;
use odyssey_report::*;
use serde_json::{json, Value};

fn repo_file(rel: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&repo_file("docs/odyssey-result.schema.json")).unwrap();
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

fn to_json(r: &AnalysisReport) -> Value {
    let mut out = Vec::new();
    write_json(r, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A report with every optional field present, so that the schema's `additionalProperties:
/// false` sees every field Odyssey can write.
fn maximal_report() -> AnalysisReport {
    let mut r = full_report();
    r.odyssey.sources[0].path = Some("/data/clinvar.odss".into());
    r.odyssey.inputs[1].checksum = Some("00000000000000ff".into());
    r
}

#[test]
fn reports_validate() {
    let v = validator();
    for r in [maximal_report(), full_report(), phenotype_only_report()] {
        let e = errors(&v, &to_json(&r));
        assert!(e.is_empty(), "{e:#?}");
    }
}

#[test]
fn schema_rejects_wrong_output() {
    let v = validator();
    let good = to_json(&maximal_report());
    type Mutation = Box<dyn Fn(&mut Value)>;
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "rank as string",
            Box::new(|j| j["genes"][0]["rank"] = json!("1")),
        ),
        ("rank 0", Box::new(|j| j["diseases"][0]["rank"] = json!(0))),
        (
            "probability above 1",
            Box::new(|j| j["genes"][0]["post_test_probability"] = json!(1.5)),
        ),
        (
            "unknown match kind",
            Box::new(|j| j["diseases"][0]["evidence"][0]["match"] = json!("maybe")),
        ),
        (
            "undocumented field",
            Box::new(|j| j["genes"][0]["surprise"] = json!(1)),
        ),
        (
            "missing required field",
            Box::new(|j| {
                j["case"].as_object_mut().unwrap().remove("terms");
            }),
        ),
        (
            "bad HPO id",
            Box::new(|j| j["case"]["observed"][0] = json!("HP:12")),
        ),
        (
            "bad gene id",
            Box::new(|j| j["genes"][0]["ncbi_gene_id"] = json!("2263")),
        ),
        (
            "ClinVar stars 5",
            Box::new(|j| j["genes"][0]["variants"][0]["clinvar"]["stars"] = json!(5)),
        ),
        (
            "bad date",
            Box::new(|j| j["odyssey"]["created"] = json!("yesterday")),
        ),
        (
            "warning not a string",
            Box::new(|j| j["warnings"][0] = json!(3)),
        ),
        (
            "disease label keyed by a non-CURIE",
            Box::new(|j| j["disease_labels"]["Pfeiffer"] = json!("Pfeiffer syndrome")),
        ),
        (
            "disease label not a string",
            Box::new(|j| j["disease_labels"]["OMIM:101400"] = json!(null)),
        ),
    ];
    for (what, m) in mutations {
        let mut bad = good.clone();
        m(&mut bad);
        assert!(!v.is_valid(&bad), "the schema accepted: {what}");
    }
}

fn property_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            for x in m.values() {
                property_names(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| property_names(x, out)),
        _ => {}
    }
}

#[test]
fn every_field_is_documented() {
    let schema: Value =
        serde_json::from_str(&repo_file("docs/odyssey-result.schema.json")).unwrap();
    let doc = repo_file("docs/json-output.md");
    let mut names = Vec::new();
    property_names(&schema, &mut names);
    names.sort();
    names.dedup();
    assert!(names.len() > 60, "{names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/json-output.md does not describe {missing:?}"
    );
}

/// Real `odyssey analyze --format json` output validates; run by
/// `scripts/check-report-in-chromium.sh` with ODYSSEY_REPORT_JSON set.
#[test]
#[ignore]
fn real_output_validates() {
    let Ok(path) = std::env::var("ODYSSEY_REPORT_JSON") else {
        eprintln!("ODYSSEY_REPORT_JSON not set; skipping");
        return;
    };
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let e = errors(&validator(), &j);
    assert!(e.is_empty(), "{path}: {e:#?}");
    // and it is the model: it reads back into AnalysisReport
    let r: AnalysisReport = serde_json::from_value(j).unwrap();
    eprintln!(
        "{path} validates ({} genes, {} diseases)",
        r.genes.len(),
        r.diseases.len()
    );
}
