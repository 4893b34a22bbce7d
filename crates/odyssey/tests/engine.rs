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
    // every input carries the xxh3-64 of its bytes, the VCF too
    for (i, name) in
        report
            .odyssey
            .inputs
            .iter()
            .zip(["family.json", "family.vcf.gz", "sources.toml"])
    {
        let bytes = std::fs::read(example(name)).unwrap();
        let want = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(i.checksum.as_deref(), Some(want.as_str()), "{}", i.path);
    }
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

/// By default malformed and unknown ids of a document are left out, with a warning in the
/// report naming each; with `strict_terms` they are one error listing each (a server answers
/// 422 with them).
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
    // the report itself (JSON `warnings`, hence TSV header and HTML) names both ids
    let json = serde_json::to_value(&a.report).unwrap();
    let w: Vec<String> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    assert!(
        w.iter()
            .any(|x| x.contains("HP:9999999") && x.contains("left out")),
        "{w:?}"
    );
    assert!(w.iter().any(|x| x.contains("\"HP:12\"")), "{w:?}");
    req.options.strict_terms = true;
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

/// With a newer release's hp.obo, an observed id the knowledge base does not know is analysed
/// as its nearest known ancestor (the same ranking as giving that ancestor), said in the
/// report; an excluded one is left out (its absence says nothing about the ancestor).
#[test]
fn newer_release_terms_are_analysed_as_known_ancestors() {
    let dir = std::env::temp_dir().join(format!("odyssey-newer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let obo = dir.join("hp.obo");
    // a hand-made "newer release": two new terms under HPO 2025-01-16 terms
    std::fs::write(
        &obo,
        "format-version: 1.2\ndata-version: hp/releases/2025-11-24\n\n\
         [Term]\nid: HP:9999990\nname: Newer kind of focal seizure\nis_a: HP:0007359\n\n\
         [Term]\nid: HP:9999991\nname: Newer kind of seizure\nis_a: HP:0001250\n\n",
    )
    .unwrap();
    let e = Engine::new(
        KbHandle::embedded()
            .unwrap()
            .with_newer_ontology(&obo)
            .unwrap(),
    );
    let text = r#"{"id":"c","subject":{"id":"kid"},"phenotypicFeatures":[
        {"type":{"id":"HP:9999990","label":"Newer kind of focal seizure"}},
        {"type":{"id":"HP:0001263","label":"Global developmental delay"}},
        {"type":{"id":"HP:9999991","label":"Newer kind of seizure"},"excluded":true}],
        "metaData":{"phenopacketSchemaVersion":"2.0"}}"#;
    let req = AnalysisRequest::new(CaseSource::Document {
        name: "newer.json".into(),
        text: text.into(),
    });
    let r = e.analyze(&req).unwrap();
    assert_eq!(r.case.observed, ["HP:0007359", "HP:0001263"]);
    assert!(r.case.excluded.is_empty());
    assert_eq!(r.case.remapped.len(), 1);
    assert_eq!(
        (
            r.case.remapped[0].from.as_str(),
            r.case.remapped[0].to.as_str()
        ),
        ("HP:9999990", "HP:0007359")
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("HP:9999990")
            && w.contains("2025-11-24")
            && w.contains("HP:0007359 (Focal-onset seizure)")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("\"HP:9999991\"") && w.contains("left out")),
        "{:?}",
        r.warnings
    );
    // the same genes, in the same order, as giving the ancestor itself
    let direct = e
        .analyze(
            &AnalysisRequest::new(CaseSource::Terms)
                .with_terms(["HP:0007359", "HP:0001263"], false),
        )
        .unwrap();
    let genes = |r: &odyssey::AnalysisReport| -> Vec<String> {
        r.genes.iter().map(|g| g.symbol.clone()).collect()
    };
    assert_eq!(genes(&r), genes(&direct));
    // without the newer release the id is left out
    let plain = engine().analyze(&req).unwrap();
    assert_eq!(plain.case.observed, ["HP:0001263"]);
    std::fs::remove_dir_all(&dir).ok();
}

/// The README trio's post-test probability of MLC1 is the documented formula
/// (docs/variant-analysis.md, "Combined ranking") with the documented parameters, recomputed
/// here from every disease-gene pair's combined ln LR: S_G = Σ_{pairs of G} LR,
/// P(G) = S_G^T / (Σ_genes S^T + N p_u / (1 − p_u)), T = θ_c n^-κ_c, n the case's observed
/// terms, N the number of ranked genes.
#[test]
fn family_probability_is_the_documented_formula() {
    // docs/variant-analysis.md: θ_c 2, κ_c 0.2, p_u 0
    let (theta, kappa, p_u) = (2.0, 0.2, 0.0);
    let mut req = AnalysisRequest::new(CaseSource::File(example("family.json")));
    req.sources = Some(example("sources.toml"));
    let report = engine().analyze(&req).unwrap();
    let mlc1 = &report.genes[0];
    assert_eq!(mlc1.symbol, "MLC1");
    let reported = mlc1.post_test_probability.unwrap();

    let kb = KbHandle::embedded().unwrap();
    let path = example("family.json");
    let file = odyssey_pheno::phenopacket::read_case_file(&path).unwrap();
    let case = odyssey_pheno::Case::resolve(
        &odyssey_pheno::CaseInput::from_phenopacket(file.proband()),
        &kb.kb,
    )
    .unwrap();
    let scorer = odyssey_pheno::PhenotypeScorer::new(&kb.kb, odyssey::ScorerOptions::default());
    let mut pheno = Vec::new();
    scorer.scores(&case, &mut odyssey_pheno::Scratch::default(), &mut pheno);
    scorer.merge_equivalents(&mut pheno);
    let opts = odyssey::VariantOptions {
        sources: Some(example("sources.toml")),
        ..Default::default()
    };
    let setup = odyssey::variant_config(&opts, Some((&file, &path)), &case).unwrap();
    let g = odyssey_variant::analysis::analyze(&setup.config).unwrap();
    let cr = odyssey::combined_ranking(&kb.kb, &scorer, &pheno, case.observed.len(), &g);
    let mlc1_gene = kb.kb.gene_by_symbol("MLC1").unwrap();

    let t = theta * (case.observed.len().max(1) as f64).powf(-kappa);
    let mut s: std::collections::BTreeMap<u32, f64> = Default::default();
    for p in &cr.pairs {
        *s.entry(p.gene).or_default() += p.ln_lr.exp();
    }
    assert!(
        s.values().all(|x| x.is_finite()),
        "no overflow: plain powers suffice"
    );
    let all: f64 = s.values().map(|x| x.powf(t)).sum();
    let top = s[&mlc1_gene].powf(t);
    let unknown = s.len() as f64 * p_u / (1.0 - p_u);
    let expected = top / (all + unknown);
    assert!(
        (reported - expected).abs() < 1e-9,
        "reported {reported}, recomputed {expected}"
    );
}
