//! How the `odyssey` binary writes files (README: "Outputs never overwrite an existing file unless
//! `--force`, and are written through a temporary file, so an interrupted run leaves nothing
//! half-written"): `annotate`, `refdata build`, `sources build` and `analyze`, run as a user
//! would, in scratch folders.

mod common;

use std::path::Path;
use std::process::Output;

use common::{odyssey, Scratch};

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The error line of a failed run.
fn err(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let e = String::from_utf8_lossy(&o.stderr);
    e.lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in {e}"))
        .to_string()
}

/// A small GRCh38 VCF (contig lengths in the header tell the assembly).
const VCF: &str = "##fileformat=VCFv4.2
##contig=<ID=chr1,length=248956422>
##contig=<ID=chr2,length=242193529>
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO
chr1\t1000000\t.\tC\tT\t.\tPASS\t.
chr1\t2000000\t.\tA\tG\t.\tPASS\t.
chr2\t3000000\t.\tG\tA\t.\tPASS\t.
";

#[test]
fn annotate_never_writes_over_its_input() {
    let s = Scratch::new("annotate-input");
    s.write("in.vcf", VCF);
    #[cfg(unix)]
    std::os::unix::fs::symlink("in.vcf", s.path("link.vcf")).unwrap();
    for out in [
        "in.vcf",
        "./in.vcf",
        "link.vcf",
        &s.path("in.vcf").display().to_string(),
    ] {
        for force in [false, true] {
            let mut args = vec!["annotate", "in.vcf", "-o", out];
            if force {
                args.push("--force");
            }
            let e = err(&odyssey(&s.0, &args));
            assert!(
                e.contains(&format!("the output {out} is the input in.vcf")),
                "{out}: {e}"
            );
            assert_eq!(
                std::fs::read_to_string(s.path("in.vcf")).unwrap(),
                VCF,
                "-o {out} changed the input"
            );
        }
    }
}

#[test]
fn annotate_refuses_existing_output_and_writes_all_or_nothing() {
    let s = Scratch::new("annotate-force");
    s.write("in.vcf", VCF);
    ok(&odyssey(&s.0, &["annotate", "in.vcf", "-o", "out.vcf"]));
    let first = std::fs::read_to_string(s.path("out.vcf")).unwrap();
    assert_eq!(first.lines().filter(|l| !l.starts_with('#')).count(), 3);
    assert!(first.contains("##INFO=<ID=CSQ,"));

    // refused before any work (no reference-data note), the file untouched
    std::fs::write(s.path("out.vcf"), "mine").unwrap();
    let o = odyssey(&s.0, &["annotate", "in.vcf", "-o", "out.vcf"]);
    assert_eq!(
        err(&o),
        "error: out.vcf exists; pass --force to overwrite it"
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("note:"),
        "work was done before refusing"
    );
    assert_eq!(std::fs::read_to_string(s.path("out.vcf")).unwrap(), "mine");
    ok(&odyssey(
        &s.0,
        &["annotate", "in.vcf", "-o", "out.vcf", "--force"],
    ));
    assert_eq!(std::fs::read_to_string(s.path("out.vcf")).unwrap(), first);

    // an error after the first records: the old output stays whole, no new or temporary file
    s.write(
        "bad.vcf",
        &format!("{VCF}chr2\tnot-a-number\t.\tG\tA\t.\tPASS\t.\n"),
    );
    let e = err(&odyssey(
        &s.0,
        &["annotate", "bad.vcf", "-o", "out.vcf", "--force"],
    ));
    assert!(e.contains("bad.vcf:8: POS"), "{e}");
    assert_eq!(std::fs::read_to_string(s.path("out.vcf")).unwrap(), first);
    err(&odyssey(
        &s.0,
        &["annotate", "bad.vcf", "-o", "new/bad.vcf.gz"],
    ));
    assert_eq!(s.names(), ["bad.vcf", "in.vcf", "out.vcf"]);

    // bgzip output by name, through the temporary file too
    ok(&odyssey(&s.0, &["annotate", "in.vcf", "-o", "out.vcf.gz"]));
    let gz = std::fs::read(s.path("out.vcf.gz")).unwrap();
    assert_eq!(
        &gz[..4],
        &[0x1f, 0x8b, 8, 4],
        "a BGZF block (gzip with the extra field)"
    );
}

/// The gene of `odyssey-annotate`'s tests (GENEA, two exons), Ensembl GFF3.
const GFF3: &str = "##gff-version 3
1\tensembl\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=protein_coding;gene_id=G1
1\tensembl\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=protein_coding;transcript_id=TX1;version=1;tag=basic,Ensembl_canonical,MANE_Select
1\tensembl\texon\t11\t40\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t21\t40\t.\t+\t0\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
1\tensembl\texon\t61\t90\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t61\t73\t.\t+\t1\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
";

#[test]
fn refdata_build_needs_force_to_replace() {
    let s = Scratch::new("refdata");
    s.write("g.gff3", GFF3);
    let build = |extra: &[&str]| {
        let mut a = vec![
            "refdata",
            "build",
            "--gff",
            "g.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "out/g.odyref",
        ];
        a.extend_from_slice(extra);
        odyssey(&s.0, &a)
    };
    ok(&build(&[]));
    let info = odyssey(&s.0, &["refdata", "info", "out/g.odyref"]);
    assert!(String::from_utf8_lossy(&info.stdout).contains("transcripts\t1"));
    let before = std::fs::read(s.path("out/g.odyref")).unwrap();
    assert_eq!(
        err(&build(&[])),
        "error: out/g.odyref exists; pass --force to overwrite it"
    );
    // refused before the build: a missing input is not even read
    let o = odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "missing.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "out/g.odyref",
        ],
    );
    assert_eq!(
        err(&o),
        "error: out/g.odyref exists; pass --force to overwrite it"
    );
    ok(&build(&["--force"]));
    assert_eq!(
        std::fs::read(s.path("out/g.odyref")).unwrap().len(),
        before.len()
    );
    // never over an input; a failed build leaves no file and no folder
    assert!(err(&odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "g.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "g.gff3",
            "--force"
        ]
    ))
    .contains("is the input"));
    err(&odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "missing.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "new/g.odyref",
        ],
    ));
    assert_eq!(s.names(), ["g.gff3", "out"]);
    assert_eq!(
        std::fs::read_dir(s.path("out")).unwrap().count(),
        1,
        "temporary files left"
    );
}

#[test]
fn sources_build_needs_force_to_replace() {
    let s = Scratch::new("sources");
    s.write(
        "freq.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t1000\t.\tC\tT\t.\tPASS\tAF=0.01\n1\t2000\t.\tA\tG\t.\tPASS\tAF=0.2\n",
    );
    s.write("s.toml", "assembly = \"GRCh38\"\n[[source]]\nname = \"pop\"\nrole = \"frequency\"\npath = \"freq.vcf\"\nformat = \"vcf\"\naf = \"AF\"\n");
    ok(&odyssey(&s.0, &["sources", "build", "--config", "s.toml"]));
    assert_eq!(
        s.names(),
        ["freq.vcf", "pop.ostore", "s.toml", "sources.ostore.toml"]
    );
    let toml = std::fs::read_to_string(s.path("sources.ostore.toml")).unwrap();
    let store = s.0.canonicalize().unwrap().join("pop.ostore");
    assert!(
        toml.contains(&format!("path = {:?}", store.display().to_string())),
        "{toml}"
    );

    // every existing output is named, and nothing is rebuilt
    std::fs::remove_file(s.path("pop.ostore")).unwrap();
    let e = err(&odyssey(&s.0, &["sources", "build", "--config", "s.toml"]));
    assert_eq!(
        e,
        "error: ./sources.ostore.toml exists; pass --force to overwrite"
    );
    assert!(!s.path("pop.ostore").exists());
    ok(&odyssey(
        &s.0,
        &["sources", "build", "--config", "s.toml", "--force"],
    ));
    assert_eq!(
        std::fs::read_to_string(s.path("sources.ostore.toml")).unwrap(),
        toml
    );
    let e = err(&odyssey(&s.0, &["sources", "build", "--config", "s.toml"]));
    assert_eq!(
        e,
        "error: ./pop.ostore, ./sources.ostore.toml exist; pass --force to overwrite"
    );

    // a failing source: nothing written, not even the folder
    s.write("bad.toml", "[[source]]\nname = \"pop\"\nrole = \"frequency\"\npath = \"bad.vcf\"\nformat = \"vcf\"\naf = \"AF\"\n");
    s.write("bad.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\tx\t.\tC\tT\t.\tPASS\tAF=0.01\n");
    err(&odyssey(
        &s.0,
        &[
            "sources",
            "build",
            "--config",
            "bad.toml",
            "--out-dir",
            "new",
        ],
    ));
    assert!(!s.path("new").exists());
    assert!(
        s.names().iter().all(|n| !n.starts_with('.')),
        "{:?}",
        s.names()
    );
}

#[test]
fn analyze_output_path_errors_name_the_output() {
    let s = Scratch::new("analyze-paths");
    s.write("r.json", "x");
    let e = err(&odyssey(
        &s.0,
        &[
            "analyze",
            "--hpo",
            "HP:0001250",
            "--format",
            "json",
            "-o",
            "r.json/sub.json",
        ],
    ));
    assert_eq!(
        e,
        "error: cannot write r.json/sub.json: parent r.json is not a directory"
    );
    if Path::new("/proc/self").exists() {
        let e = err(&odyssey(
            &s.0,
            &[
                "analyze",
                "--hpo",
                "HP:0001250",
                "--format",
                "json",
                "-o",
                "/proc/out.json",
            ],
        ));
        assert!(
            e.starts_with("error: cannot write /proc/out.json: cannot write in /proc: "),
            "{e}"
        );
    }
}

/// The README family: the phenopacket written to another folder still finds the family's VCF,
/// and only genes with a variant are candidate interpretations.
#[test]
fn written_phenopacket_reads_back_from_anywhere() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/family")
        .canonicalize()
        .unwrap();
    let s = Scratch::new("phenopacket");
    let family = examples.join("family.json").display().to_string();
    let sources = examples.join("sources.toml").display().to_string();
    ok(&odyssey(
        &s.0,
        &[
            "analyze",
            &family,
            "--sources",
            &sources,
            "--format",
            "phenopacket,json",
            "-o",
            "out/fam",
        ],
    ));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("out/fam.phenopacket.json")).unwrap())
            .unwrap();
    assert_eq!(
        doc["files"][0]["uri"],
        serde_json::json!(format!(
            "file://{}",
            examples.join("family.vcf.gz").display()
        ))
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("out/fam.json")).unwrap()).unwrap();
    let with_variants: Vec<&str> = report["genes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["variants"].as_array().is_some_and(|v| !v.is_empty()))
        .map(|g| g["symbol"].as_str().unwrap())
        .collect();
    let ours: Vec<String> = doc["proband"]["interpretations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .filter(|i| i.starts_with("odyssey-"))
        .collect();
    assert!(!ours.is_empty());
    assert_eq!(
        ours.len(),
        with_variants.len().min(10),
        "{ours:?} vs {with_variants:?}"
    );
    for (id, g) in ours.iter().zip(&with_variants) {
        assert!(id.ends_with(&format!("-{g}")), "{id} {g}");
    }
    // read from the output's folder: a variant analysis of the same family
    let out = s.path("out");
    ok(&odyssey(
        &out,
        &[
            "analyze",
            "fam.phenopacket.json",
            "--sources",
            &sources,
            "--format",
            "json",
            "-o",
            "again.json",
        ],
    ));
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("again.json")).unwrap()).unwrap();
    assert_eq!(again["genes"][0]["symbol"], report["genes"][0]["symbol"]);
    assert!(
        again["filters"].is_object(),
        "the VCF was not found: no variant analysis"
    );
}
