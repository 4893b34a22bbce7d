//! What `odyssey analyze` says of bad case input, run as a user would: phenopackets whose HPO
//! ids are malformed or unknown, sex values outside the Phenopacket enum, empty files, output
//! prefixes that are folders, a listed VCF that does not exist.

mod common;

use std::process::Output;

use common::{odyssey as run, Scratch};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A phenopacket with the given features (`(id, excluded)`) and subject sex.
fn packet(features: &[(&str, bool)], sex: &str) -> String {
    let f: Vec<String> = features
        .iter()
        .map(|(id, ex)| format!(r#"{{"type":{{"id":"{id}","label":"x"}},"excluded":{ex}}}"#))
        .collect();
    format!(
        r#"{{"id":"case-1","subject":{{"id":"kid","sex":"{sex}"}},"phenotypicFeatures":[{}],"metaData":{{"phenopacketSchemaVersion":"2.0"}}}}"#,
        f.join(",")
    )
}

#[test]
fn unknown_and_malformed_ids_in_a_phenopacket_are_errors_naming_the_feature() {
    let s = Scratch::new("ids");
    let d = &s.0;
    // HP:0001250 Seizure is valid; HP:9999999 does not exist; "HP:12" is malformed
    std::fs::write(
        d.join("case.json"),
        packet(
            &[
                ("HP:0001250", false),
                ("HP:9999999", false),
                ("HP:12", true),
            ],
            "FEMALE",
        ),
    )
    .unwrap();
    let o = run(d, &["analyze", "case.json", "--strict-terms"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("case.json: 2 phenotypic features cannot be used"),
        "{e}"
    );
    assert!(
        e.contains(
            "phenotypicFeatures[1] (\"HP:9999999\"): unknown HPO term in HPO release 2025-01-16"
        ),
        "{e}"
    );
    assert!(
        e.contains("phenotypicFeatures[2] (\"HP:12\", excluded): not an HPO term id"),
        "{e}"
    );
    assert!(e.contains("--strict-terms"), "{e}");
    // by default: ranked from the valid term, with a warning per dropped id, in the TSV too
    let o = run(d, &["analyze", "case.json", "--top", "1", "-o", "out.tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("warning: observed term \"HP:9999999\" left out of the analysis"),
        "{e}"
    );
    assert!(
        e.contains("warning: excluded term \"HP:12\" left out of the analysis"),
        "{e}"
    );
    let tsv = std::fs::read_to_string(d.join("out.tsv")).unwrap();
    let header: Vec<&str> = tsv.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        header
            .iter()
            .any(|l| l.contains("HP:9999999") && l.contains("left out")),
        "{header:?}"
    );
    // the old flag is still accepted
    let o = run(
        d,
        &["analyze", "case.json", "--skip-unknown-terms", "--top", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn sex_outside_the_enum_and_empty_files_are_errors() {
    let s = Scratch::new("sex");
    let d = &s.0;
    std::fs::write(
        d.join("banana.json"),
        packet(&[("HP:0001250", false)], "banana"),
    )
    .unwrap();
    let e = stderr(&run(d, &["analyze", "banana.json"]));
    assert!(
        e.contains("banana.json")
            && e.contains("sex \"banana\" is not one of UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX"),
        "{e}"
    );
    std::fs::write(d.join("empty.json"), "\n").unwrap();
    let e = stderr(&run(d, &["analyze", "empty.json"]));
    assert!(
        e.contains("empty.json") && e.contains("the file is empty"),
        "{e}"
    );
}

#[test]
fn an_output_prefix_that_is_a_folder_is_an_error() {
    let s = Scratch::new("outdir");
    let d = &s.0;
    std::fs::create_dir_all(d.join("adir")).unwrap();
    for o in ["adir/", "adir"] {
        let out = run(
            d,
            &[
                "analyze",
                "--hpo",
                "HP:0001250",
                "--format",
                "json",
                "-o",
                o,
            ],
        );
        assert!(!out.status.success());
        assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_dir(d.join("adir")).unwrap().count(), 0);
    assert!(!d.join("adir.json").exists() && !d.join("adir/.json").exists());
}

#[test]
fn a_listed_vcf_that_does_not_exist_names_the_phenopacket() {
    let s = Scratch::new("listed");
    let d = &s.0;
    let mut p: serde_json::Value =
        serde_json::from_str(&packet(&[("HP:0001250", false)], "MALE")).unwrap();
    p["files"] = serde_json::json!([{"uri": "file://nowhere/exome.vcf.gz", "fileAttributes": {"fileFormat": "VCF", "genomeAssembly": "GRCh38"}}]);
    std::fs::write(d.join("case.json"), p.to_string()).unwrap();
    let e = stderr(&run(d, &["analyze", "case.json"]));
    assert!(
        e.contains("case.json: its files[] lists the VCF") && e.contains("--phenotype-only"),
        "{e}"
    );
    let o = run(
        d,
        &["analyze", "case.json", "--phenotype-only", "--top", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `files[].uri` (issue 13): a relative path resolves against the phenopacket's folder; one
/// that leaves it (`../`) is analysed with a warning in every output, or refused with
/// --strict-file-uris; an https URI is "not fetched", not "no VCF".
#[test]
fn listed_vcf_outside_the_phenopacket_folder_is_a_warning_or_an_error() {
    let s = Scratch::new("uri-outside");
    let d = &s.0;
    std::fs::create_dir_all(d.join("cases")).unwrap();
    std::fs::write(
        d.join("exome.vcf"),
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\nchr1\t1000000\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n",
    )
    .unwrap();
    let with_uri = |uri: &str| {
        let mut p: serde_json::Value =
            serde_json::from_str(&packet(&[("HP:0001250", false)], "MALE")).unwrap();
        p["files"] = serde_json::json!([{"uri": uri, "individualToFileIdentifiers": {"kid": "kid"},
            "fileAttributes": {"fileFormat": "VCF", "genomeAssembly": "GRCh38"}}]);
        p.to_string()
    };
    std::fs::write(d.join("cases/up.json"), with_uri("../exome.vcf")).unwrap();
    let o = run(
        d,
        &[
            "analyze",
            "cases/up.json",
            "--format",
            "json,tsv,html",
            "-o",
            "out/c",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let warning = "cases/up.json: the VCF listed in files[] (\"../exome.vcf\") is outside the phenopacket's folder cases: cases/../exome.vcf was analysed; check it is the intended file (--strict-file-uris refuses such paths)";
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/c.json")).unwrap()).unwrap();
    assert!(
        json["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == warning),
        "{}",
        json["warnings"]
    );
    // the file really was the one outside: its variant is in the report
    assert_eq!(json["odyssey"]["inputs"][1]["path"], "cases/../exome.vcf");
    for f in [
        "out/c.genes.tsv",
        "out/c.diseases.tsv",
        "out/c.variants.tsv",
    ] {
        let t = std::fs::read_to_string(d.join(f)).unwrap();
        assert!(
            t.contains("is outside the phenopacket's folder cases"),
            "{f}"
        );
    }
    let html = std::fs::read_to_string(d.join("out/c.html")).unwrap();
    assert!(
        html.contains("is outside the phenopacket&#x27;s folder cases")
            || html.contains("is outside the phenopacket's folder cases")
    );

    // refused with --strict-file-uris, naming the file and the uri
    let o = run(d, &["analyze", "cases/up.json", "--strict-file-uris"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("error: cases/up.json: its files[] lists the VCF \"../exome.vcf\", which leaves the phenopacket's folder cases (--strict-file-uris refuses such paths)"),
        "{}",
        stderr(&o)
    );
    // inside the folder (a/../x stays inside): no warning, even with --strict-file-uris
    std::fs::create_dir_all(d.join("cases/a")).unwrap();
    std::fs::copy(d.join("exome.vcf"), d.join("cases/exome.vcf")).unwrap();
    std::fs::write(d.join("cases/in.json"), with_uri("a/../exome.vcf")).unwrap();
    let o = run(
        d,
        &[
            "analyze",
            "cases/in.json",
            "--strict-file-uris",
            "--top",
            "1",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("outside the phenopacket"));

    // a remote URI is not fetched
    std::fs::write(
        d.join("cases/remote.json"),
        with_uri("https://example.org/exome.vcf.gz"),
    )
    .unwrap();
    let e = stderr(&run(d, &["analyze", "cases/remote.json"]));
    assert!(
        e.contains("cases/remote.json: its files[] lists the VCF \"https://example.org/exome.vcf.gz\", which is not a local file: Odyssey does not fetch remote files"),
        "{e}"
    );
    assert!(!e.contains("no VCF"), "{e}");
}

/// An absurd age in a phenopacket is refused naming the file and the field, and never
/// reaches a report (issue 13).
#[test]
fn an_absurd_age_names_the_file_and_field() {
    let s = Scratch::new("age");
    let d = &s.0;
    let mut p: serde_json::Value =
        serde_json::from_str(&packet(&[("HP:0001250", false)], "MALE")).unwrap();
    p["subject"]["timeAtLastEncounter"] =
        serde_json::json!({"age": {"iso8601duration": "P99999999999999999999Y"}});
    std::fs::write(d.join("old.json"), p.to_string()).unwrap();
    let o = run(
        d,
        &["analyze", "old.json", "--format", "json", "-o", "r.json"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("error: old.json: not a valid GA4GH Phenopacket or Family (JSON): subject.timeAtLastEncounter.age.iso8601duration \"P99999999999999999999Y\" is 1.000e20 years: more than 150 years, not a human age"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("r.json").exists());
    // --age on the command line likewise
    let o = run(d, &["analyze", "--hpo", "HP:0001250", "--age", "P200Y"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "invalid value 'P200Y' for '--age <DURATION>': 200.0 years: more than 150 years"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(d, &["analyze", "--hpo", "HP:0001250", "--age", "3 years"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("for '--age <DURATION>': not an ISO 8601 duration"),
        "{}",
        stderr(&o)
    );
}

/// `--kb /dev/zero` is refused after its 28-byte header (wrong magic bytes), not read until
/// memory runs out: the CLI reads the file through the header-first reader. Run with a
/// 2 GiB address-space limit so that a whole-file read fails with "out of memory" instead.
#[test]
fn kb_from_a_device_is_refused_after_the_header() {
    let odyssey = env!("CARGO_BIN_EXE_odyssey");
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2097152; exec '{odyssey}' --kb /dev/zero kb info"
        ))
        .env_remove("ODYSSEY_KB")
        .output()
        .unwrap();
    let e = stderr(&o);
    assert!(!o.status.success());
    assert!(
        e.contains("/dev/zero") && e.contains("wrong magic bytes"),
        "{e}"
    );
}
