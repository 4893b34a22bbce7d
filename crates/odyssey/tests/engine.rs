//! The analysis library as a front end calls it: one `Engine`, requests in, reports out, on
//! the repository's example trio (`examples/family`, documented in examples/README.md).

use std::path::PathBuf;
use std::sync::Arc;

use odyssey::{AnalysisRequest, CaseSource, Engine, Error, KbHandle, Method};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/family")
        .join(name)
}

fn engine() -> Engine {
    Engine::new(KbHandle::embedded().unwrap())
}

/// The README's main command through the library: the trio ranks MLC1 first, autosomal
/// recessive, with its two compound heterozygous variants (the example was built around them,
/// examples/README.md).
#[test]
fn family_file_ranks_mlc1_first_with_two_variants() {
    let mut req = AnalysisRequest::new(CaseSource::File(example("family.json")));
    req.sources = Some(example("sources.toml"));
    let report = engine().analyze(&req).unwrap();
    let top = &report.genes[0];
    assert_eq!(
        (
            top.symbol.as_str(),
            top.rank,
            top.modes_of_inheritance.as_slice()
        ),
        ("MLC1", 1, ["AR".to_string()].as_slice())
    );
    assert_eq!(top.variants.len(), 2);
    assert!(report.filters.is_some(), "a variant analysis");
    let roles: Vec<&str> = report
        .odyssey
        .inputs
        .iter()
        .map(|i| i.role.as_str())
        .collect();
    assert_eq!(roles, ["phenopacket", "vcf", "sources"]);
}

/// An uploaded document never makes the library open the files it lists: the same family as
/// text is ranked from its phenotype alone, unless the VCF is given in the request.
#[test]
fn document_files_are_not_followed() {
    let text = std::fs::read_to_string(example("family.json")).unwrap();
    let e = engine();
    let req = AnalysisRequest::new(CaseSource::Document {
        name: "family.json".into(),
        text: text.clone(),
    });
    let report = e.analyze(&req).unwrap();
    assert!(report.filters.is_none(), "files[] followed");
    assert_eq!(report.odyssey.inputs[0].role, "document");
    let mut req = req;
    req.vcf = Some(example("family.vcf.gz"));
    req.sources = Some(example("sources.toml"));
    let report = e.analyze(&req).unwrap();
    assert_eq!(report.genes[0].symbol, "MLC1");
    // the pedigree came from the document: three members, the proband affected
    assert_eq!(report.case.family.len(), 3);
}

/// Malformed and unknown ids of a document are one error listing each (a server answers 422
/// with them); `skip_unknown_terms` analyses without them and reports them.
#[test]
fn unusable_document_terms_are_listed() {
    let text = r#"{"id":"c","subject":{"id":"kid"},"phenotypicFeatures":[
        {"type":{"id":"HP:0001250","label":"Seizure"}},
        {"type":{"id":"HP:9999999","label":"x"}},
        {"type":{"id":"HP:12","label":"y"},"excluded":true}],
        "metaData":{"phenopacketSchemaVersion":"2.0"}}"#;
    let mut req = AnalysisRequest::new(CaseSource::Document {
        name: "upload.json".into(),
        text: text.into(),
    });
    let e = engine();
    match e.analyze(&req) {
        Err(err @ Error::UnusableTerms { .. }) => {
            assert!(err.is_input_error());
            let Error::UnusableTerms { source_name, items } = err else {
                unreachable!()
            };
            assert_eq!(source_name, "upload.json");
            let got: Vec<(usize, &str, bool)> = items
                .iter()
                .map(|i| (i.index, i.id.as_str(), i.excluded))
                .collect();
            assert_eq!(got, [(1, "HP:9999999", false), (2, "HP:12", true)]);
        }
        other => panic!("expected UnusableTerms, got {other:?}"),
    }
    req.options.skip_unknown_terms = true;
    let a = e.run(&req).unwrap();
    assert_eq!(a.report.case.observed, ["HP:0001250"]);
    let warned: Vec<&str> = a
        .case_notes
        .iter()
        .filter(|n| n.warning)
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(
        warned[0].starts_with("term HP:9999999 not used"),
        "{warned:?}"
    );
}

/// One engine shared by threads gives each request the report it gives alone.
#[test]
fn concurrent_requests_match_sequential_ones() {
    let e = Arc::new(engine());
    let cases = [
        vec!["HP:0001250", "HP:0001263"],
        vec!["HP:0000256", "HP:0001270"],
        vec!["HP:0004322"],
        vec!["HP:0000486", "HP:0000639"],
    ];
    let top = |e: &Engine, terms: &[&str]| {
        let r = e
            .analyze(&AnalysisRequest::new(CaseSource::Terms).with_terms(terms, false))
            .unwrap();
        serde_json::to_string(&(r.diseases, r.genes)).unwrap()
    };
    let alone: Vec<String> = cases.iter().map(|c| top(&e, c)).collect();
    let together: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|c| {
                let e = Arc::clone(&e);
                s.spawn(move || top(&e, c))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(alone, together);
}

/// A request with another method gets a scorer of its own; Resnik cannot combine with
/// variants.
#[test]
fn method_per_request() {
    let e = engine();
    let mut req = AnalysisRequest::new(CaseSource::Terms).with_terms(["HP:0001250"], false);
    req.options.method = Method::Resnik;
    assert_eq!(e.analyze(&req).unwrap().odyssey.method, "resnik");
    req.vcf = Some(example("family.vcf.gz"));
    assert!(matches!(e.analyze(&req), Err(Error::Request(_))));
    assert_eq!(e.scorer().options().method, Method::LikelihoodRatio);
}
