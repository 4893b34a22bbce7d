//! `odyssey kb build --cases`: published cases compiled as knowledge next to an HPO release
//! (the 13-term fixture of odyssey-kb), what is used and left out, and the product surface.

mod common;
use common::{odyssey, Scratch};

const MINI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../odyssey-kb/tests/fixtures/mini"
);

/// A phenopacket of `disease` with gene GENEX, observed and excluded HPO ids, and a PubMed id
/// in `metaData.externalReferences` when given.
fn packet(
    id: &str,
    pmid: Option<&str>,
    disease: &str,
    observed: &[&str],
    excluded: &[&str],
) -> String {
    let mut f: Vec<String> = observed
        .iter()
        .map(|t| format!(r#"{{"type":{{"id":"{t}","label":"x"}}}}"#))
        .collect();
    f.extend(
        excluded
            .iter()
            .map(|t| format!(r#"{{"type":{{"id":"{t}","label":"x"}},"excluded":true}}"#)),
    );
    let refs = pmid.map_or(String::new(), |p| format!(r#"{{"id":"{p}"}}"#));
    format!(
        r#"{{"id":"{id}","subject":{{"id":"s"}},"phenotypicFeatures":[{}],
        "interpretations":[{{"id":"i","progressStatus":"SOLVED","diagnosis":{{"disease":{{"id":"{disease}","label":"d"}},
        "genomicInterpretations":[{{"subjectOrBiosampleId":"s","interpretationStatus":"CAUSATIVE",
        "variantInterpretation":{{"variationDescriptor":{{"id":"v","geneContext":{{"valueId":"HGNC:1","symbol":"GENEX"}}}}}}}}]}}}}],
        "metaData":{{"created":"2020-01-01T00:00:00Z","createdBy":"t","resources":[],"phenopacketSchemaVersion":"2.0","externalReferences":[{refs}]}}}}"#,
        f.join(",")
    )
}

#[test]
fn kb_build_with_cases() {
    let s = Scratch::new("case-knowledge");
    std::fs::create_dir_all(s.path("cases/GENEX")).unwrap();
    s.write(
        "cases/GENEX/a.json",
        &packet(
            "a",
            Some("PMID:51"),
            "OMIM:1",
            &["HP:0007359"],
            &["HP:0000252"],
        ),
    );
    s.write(
        "cases/GENEX/b.json",
        &packet("b", Some("PMID:51"), "OMIM:1", &["HP:0001250"], &[]),
    );
    s.write(
        "cases/GENEX/c.json",
        &packet("c", Some("PMID:52"), "OMIM:5", &["HP:0000152"], &[]),
    );
    s.write(
        "cases/GENEX/d.json",
        &packet("d", None, "OMIM:1", &["HP:0000152"], &[]),
    );
    let o = odyssey(
        &s.0,
        &[
            "kb", "build", "--hpo", MINI, "--cases", "cases", "-o", "k.odkb",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // the case left out is named with why
    assert!(
        err.contains(&format!(
            "warning: {}: no PubMed id",
            std::path::Path::new("cases").join("GENEX/d.json").display()
        )),
        "{err}"
    );
    // a, b and c used; d has no PubMed id. Groups (OMIM:1, PMID:51) and (OMIM:5, PMID:52);
    // rows: OMIM:1 Focal 1/2, Seizure 1/2 (Microcephaly excluded only: no row by default),
    // OMIM:5 Head 1/1
    assert!(
        err.contains("3 of 4 cases used (1 without a PubMed id, 0 without an OMIM/ORPHA/DECIPHER diagnosis, 0 unreadable), 2 (diagnosis, publication) groups, 3 rows (0 of them 0/n)"),
        "{err}"
    );
    let info = odyssey(&s.0, &["--kb", "k.odkb", "kb", "info", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(v["annotations_release"], "2099-12-30 + 3 case reports");
    // the fixture's 11 HPOA rows plus the 3 case rows; OMIM:5 is a new disease
    assert_eq!(v["stats"]["annotations"], 14);
    assert_eq!(v["stats"]["diseases"][0], serde_json::json!(["OMIM", 4]));
    // with the excluded term as a 0/n row: 4 rows
    let o = odyssey(
        &s.0,
        &[
            "kb",
            "build",
            "--hpo",
            MINI,
            "--cases",
            "cases",
            "--case-excluded",
            "zero",
            "-o",
            "z.odkb",
        ],
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("4 rows (1 of them 0/n)"));
    // --case-excluded needs --cases; a folder without any usable case is refused
    let o = odyssey(
        &s.0,
        &[
            "kb",
            "build",
            "--hpo",
            MINI,
            "--case-excluded",
            "zero",
            "-o",
            "y.odkb",
        ],
    );
    assert!(!o.status.success());
    std::fs::create_dir_all(s.path("none/X")).unwrap();
    s.write(
        "none/X/d.json",
        &packet("d", None, "OMIM:1", &["HP:0000152"], &[]),
    );
    let o = odyssey(
        &s.0,
        &[
            "kb", "build", "--hpo", MINI, "--cases", "none", "-o", "n.odkb",
        ],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("none: no case with a diagnosis and a PubMed id"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!s.path("n.odkb").exists());
    // case files directly in the folder (not in cohort folders) are not read: said so
    std::fs::create_dir_all(s.path("flat")).unwrap();
    s.write(
        "flat/a.json",
        &packet("a", Some("PMID:51"), "OMIM:1", &["HP:0007359"], &[]),
    );
    let o = odyssey(
        &s.0,
        &[
            "kb", "build", "--hpo", MINI, "--cases", "flat", "-o", "f.odkb",
        ],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(
            "flat: no case files found: expected a phenopacket-store style folder, DIR/<cohort>/*.json"
        ),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // a knowledge base named to kb build is not read: said so
    let o = odyssey(
        &s.0,
        &[
            "--kb", "k.odkb", "kb", "build", "--hpo", MINI, "-o", "w.odkb",
        ],
    );
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("warning: --kb (or ODYSSEY_KB) k.odkb is not used by kb build"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // a benchmark on a KB holding case reports, without leave-publication-out, is warned
    std::fs::create_dir_all(s.path("bench/X")).unwrap();
    s.write(
        "bench/X/b.json",
        &packet("b", Some("PMID:51"), "OMIM:1", &["HP:0001250"], &[]),
    );
    let o = odyssey(&s.0, &["--kb", "k.odkb", "bench", "--cases", "bench"]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("warning: the knowledge base holds case reports (2099-12-30 + 3 case reports): without --leave-publication-out"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
