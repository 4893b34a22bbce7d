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

/// Writes the cases a (PMID:51), b (PMID:51) and c (PMID:52) under `cases/GENEX/`.
fn three_cases(s: &Scratch) {
    std::fs::create_dir_all(s.path("cases/GENEX")).unwrap();
    s.write(
        "cases/GENEX/a.json",
        &packet("a", Some("PMID:51"), "OMIM:1", &["HP:0007359"], &[]),
    );
    s.write(
        "cases/GENEX/b.json",
        &packet("b", Some("PMID:51"), "OMIM:1", &["HP:0001250"], &[]),
    );
    s.write(
        "cases/GENEX/c.json",
        &packet("c", Some("PMID:52"), "OMIM:5", &["HP:0000152"], &[]),
    );
}

fn json_of(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_kb_records_its_calibration_and_analyze_uses_it() {
    use odyssey_bench::case_knowledge as ck;
    let s = Scratch::new("ck-calibration");
    three_cases(&s);
    let build = |extra: &[&str], out: &str| {
        let mut a = vec!["kb", "build", "--hpo", MINI, "-o", out];
        a.extend_from_slice(extra);
        odyssey(&s.0, &a)
    };
    // with --cases: the values fitted for case-knowledge knowledge bases, warned as fitted
    // on far more cases than these 3
    let o = build(&["--cases", "cases"], "k.odkb");
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("only 3 case reports") && err.contains("--calibration"),
        "{err}"
    );
    let v = json_of(&odyssey(&s.0, &["--kb", "k.odkb", "kb", "info", "--json"]));
    let c = &v["calibration"];
    assert_eq!(c["temperature"], ck::CASE_KNOWLEDGE_TEMPERATURE);
    assert_eq!(c["term_decay"], ck::CASE_KNOWLEDGE_TERM_DECAY);
    assert_eq!(c["pretest_unknown"], ck::CASE_KNOWLEDGE_PRETEST_UNKNOWN);
    assert_eq!(v["case_reports"], 3);
    // a plain build records none; --calibration records the given values on any build
    assert!(build(&[], "p.odkb").status.success());
    let v = json_of(&odyssey(&s.0, &["--kb", "p.odkb", "kb", "info", "--json"]));
    assert!(v["calibration"].is_null(), "{v}");
    assert_eq!(v["case_reports"], 0);
    let o = build(
        &["--cases", "cases", "--calibration", "3,0.5,0.25"],
        "g.odkb",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // a calibration given: no warning
    assert!(!String::from_utf8_lossy(&o.stderr).contains("case reports:"));
    // analyze: the report names the knowledge base's calibration and scores with it
    let r = json_of(&odyssey(
        &s.0,
        &[
            "--kb",
            "g.odkb",
            "analyze",
            "--hpo",
            "HP:0007359,HP:0000252",
            "--format",
            "json",
        ],
    ));
    let kb = &r["odyssey"]["knowledge_base"];
    assert_eq!(kb["calibration"]["temperature"], 3.0);
    assert_eq!(kb["calibration"]["term_decay"], 0.5);
    assert_eq!(kb["calibration"]["pretest_unknown"], 0.25);
    assert_eq!(
        kb["calibration"]["fitted"],
        "given with kb build --calibration"
    );
    let p = &r["odyssey"]["parameters"];
    assert_eq!(p["probability_temperature"], 3.0);
    assert_eq!(p["probability_term_decay"], 0.5);
    assert_eq!(p["probability_pretest_unknown"], 0.25);
    // p_u 0.25 leaves probability to "none of them": the diseases' sum is below 1
    let sum: f64 = r["diseases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["post_test_probability"].as_f64().unwrap())
        .sum();
    assert!(sum < 0.99, "{sum}");
    // the plain knowledge base: no calibration named, the global defaults used
    let r = json_of(&odyssey(
        &s.0,
        &[
            "--kb",
            "p.odkb",
            "analyze",
            "--hpo",
            "HP:0007359",
            "--format",
            "json",
        ],
    ));
    assert!(r["odyssey"]["knowledge_base"].get("calibration").is_none());
    let d = odyssey::ScorerOptions::default();
    assert_eq!(
        r["odyssey"]["parameters"]["probability_temperature"],
        d.probability_temperature
    );
    // five values record the gene-rank prior; "-0" is recorded as 0; three say "no prior"
    assert!(build(&["--calibration", "9,0.8,0,0.1,-0"], "z.odkb")
        .status
        .success());
    let info = odyssey(&s.0, &["--kb", "z.odkb", "kb", "info"]);
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("θ 9, κ 0.8, p_u 0, ε 0.1, c 0 "), "{text}");
    let info = odyssey(&s.0, &["--kb", "g.odkb", "kb", "info"]);
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("p_u 0.25, no gene-rank prior"), "{text}");
    // bad values are refused, naming the value
    for (arg, what) in [
        ("0,0.8,0", "temperature θ 0 is not a number > 0"),
        ("7,0.8,1", "pretest probability p_u 1 is not in [0, 1)"),
        ("7,0.8", "expected three or five comma-separated numbers"),
        (
            "7,0.8,0,0.2",
            "expected three or five comma-separated numbers",
        ),
        ("7,x,0", "term decay κ \"x\" is not a number"),
        ("7,0.8,0,1,0.3", "rank mixture ε 1 is not in [0, 1)"),
        ("7,0.8,0,0.2,0.7", "rank prior c 0.7 is not in [0, 0.6]"),
    ] {
        let o = build(&["--calibration", arg], "bad.odkb");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(what), "{arg}: {err}");
    }
    assert!(!s.path("bad.odkb").exists());
}

#[test]
fn analysing_one_of_the_kb_case_reports_is_warned_in_every_output() {
    let s = Scratch::new("ck-own-record");
    three_cases(&s);
    assert!(odyssey(
        &s.0,
        &["kb", "build", "--hpo", MINI, "--cases", "cases", "-o", "k.odkb"]
    )
    .status
    .success());
    let own = "this phenopacket (a) is one of the 3 case reports compiled into the knowledge base (k.odkb): its own record is part of the knowledge";
    // JSON warnings, and the suggestion to leave its publication out
    let r = json_of(&odyssey(
        &s.0,
        &[
            "--kb",
            "k.odkb",
            "analyze",
            "cases/GENEX/a.json",
            "--format",
            "json",
        ],
    ));
    let w: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        w.iter()
            .any(|x| x.starts_with(own) && x.contains("--leave-publication-out")),
        "{w:?}"
    );
    // the TSV header and the HTML report
    let o = odyssey(
        &s.0,
        &[
            "--kb",
            "k.odkb",
            "analyze",
            "cases/GENEX/a.json",
            "--format",
            "tsv,html",
            "-o",
            "out/a",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tsv = std::fs::read_to_string(s.path("out/a.genes.tsv")).unwrap();
    assert!(
        tsv.lines()
            .any(|l| l.starts_with(&format!("## warning={own}"))),
        "{tsv}"
    );
    let html = std::fs::read_to_string(s.path("out/a.html")).unwrap();
    assert!(
        html.contains("is one of the 3 case reports"),
        "no warning in the HTML"
    );
    // a batch's summary names it in the message column
    let o = odyssey(
        &s.0,
        &[
            "--kb", "k.odkb", "analyze", "--batch", "cases", "-o", "batch",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = std::fs::read_to_string(s.path("batch/summary.tsv")).unwrap();
    let with = summary
        .lines()
        .filter(|l| l.contains("is one of the 3 case reports"))
        .count();
    assert_eq!(with, 3, "{summary}");
    // a phenopacket the knowledge base does not hold (another id), and the embedded
    // knowledge base: no such warning
    s.write(
        "new.json",
        &packet(
            "new-patient",
            Some("PMID:51"),
            "OMIM:1",
            &["HP:0007359"],
            &[],
        ),
    );
    for args in [
        &["--kb", "k.odkb", "analyze", "new.json", "--format", "json"][..],
        &["analyze", "cases/GENEX/a.json", "--format", "json"][..],
    ] {
        let r = json_of(&odyssey(&s.0, args));
        let text = r["warnings"].to_string();
        assert!(!text.contains("case reports compiled"), "{args:?}: {text}");
    }
}

#[test]
fn analyze_help_says_that_age_is_not_used_in_scoring() {
    let s = Scratch::new("age-help");
    let o = odyssey(&s.0, &["analyze", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Recorded in the reports only: the ranking does not use age"),
        "{text}"
    );
    // and indeed: the same ranking and probabilities with and without an age
    let run = |extra: &[&str]| {
        let mut a = vec![
            "analyze",
            "--hpo",
            "HP:0001250,HP:0001263",
            "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        let r = json_of(&odyssey(&s.0, &a));
        (
            r["diseases"].clone(),
            r["genes"].clone(),
            r["case"]["age"].clone(),
        )
    };
    let (d0, g0, a0) = run(&[]);
    let (d1, g1, a1) = run(&["--age", "P3Y"]);
    assert_eq!((d0, g0), (d1, g1));
    assert_eq!(
        (a0, a1),
        (serde_json::Value::Null, serde_json::json!("P3Y"))
    );
}
