//! Tests of the output plan and the all-or-nothing, never-overwrite writer.

use std::io::Write;
use std::path::{Path, PathBuf};

use odyssey_report::AnalysisReport;

use super::*;
use crate::Result;

/// `write_report` with standard output discarded.
fn write_report(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
    force: bool,
) -> Result<Vec<String>> {
    super::write_report(report, formats, dest, force, &mut std::io::sink())
}

#[test]
fn destination_by_name() {
    let f = |o: &str, fs: &[Format]| Destination::choose(Some(Path::new(o)), fs).unwrap();
    assert!(matches!(
        f("out.html", &[Format::Html]),
        Destination::File(_)
    ));
    assert!(matches!(
        f("out.vcf.gz", &[Format::VcfGz]),
        Destination::File(_)
    ));
    assert!(matches!(
        f("out.vcf.gz", &[Format::Vcf]),
        Destination::Prefix(_)
    ));
    assert!(matches!(
        f("out.json", &[Format::Phenopacket]),
        Destination::File(_)
    ));
    assert!(matches!(
        f("run/case1", &[Format::Html, Format::Json]),
        Destination::Prefix(_)
    ));
    assert!(Destination::choose(None, &[Format::Html, Format::Json]).is_err());
    // `-o -`: standard output, one format only; `./-` is a file prefix
    assert!(matches!(f("-", &[Format::Json]), Destination::Stdout));
    assert!(Destination::choose(Some(Path::new("-")), &[Format::Tsv, Format::Json]).is_err());
    assert!(matches!(f("./-", &[Format::Json]), Destination::Prefix(_)));
}

fn report() -> AnalysisReport {
    serde_json::from_value(serde_json::json!({
        "odyssey": { "version": "0", "knowledge_base": { "hpo_release": "r", "annotations_release": "r", "source": "embedded", "checksum": "0" },
            "method": "lr", "parameters": {}, "inputs": [], "command": [], "created": "2026-01-01T00:00:00Z" },
        "case": { "id": "c", "observed": [], "excluded": [], "terms": [], "ignored": [], "remapped": [] },
        "diseases": [], "genes": []
    }))
    .unwrap()
}

#[test]
fn several_formats_all_or_nothing() {
    let dir = std::env::temp_dir().join(format!("odyssey-output-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let prefix = dir.join("run/case");
    let formats = [Format::Html, Format::Json, Format::Tsv, Format::Phenopacket];
    let dest = Destination::choose(Some(&prefix), &formats).unwrap();
    write_report(&report(), &formats, &dest, false).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir.join("run"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // no temporary file left behind; no variants table without a variant analysis
    assert_eq!(
        names,
        [
            "case.diseases.tsv",
            "case.genes.tsv",
            "case.html",
            "case.json",
            "case.phenopacket.json"
        ]
    );
    // one existing file: the run is refused before anything is written
    std::fs::remove_file(dir.join("run/case.json")).unwrap();
    std::fs::write(dir.join("run/case.html"), "mine").unwrap();
    let e = write_report(&report(), &formats, &dest, false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("case.html") && e.contains("--force"), "{e}");
    assert!(!dir.join("run/case.json").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("run/case.html")).unwrap(),
        "mine"
    );
    // --force replaces
    write_report(&report(), &formats, &dest, true).unwrap();
    assert!(std::fs::read_to_string(dir.join("run/case.html"))
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    // VCF output needs a variant analysis
    let e = write_report(
        &report(),
        &[Format::VcfGz],
        &Destination::Prefix(prefix.clone()),
        true,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("no input VCF"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("odyssey-output-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Many threads writing the same output at once (batch mode, two cases with one name): each
/// has its own temporary file. With --force every write succeeds and the file is one
/// writer's whole content; without it exactly one succeeds and the others are refused.
#[test]
fn concurrent_writes_of_one_name() {
    let dir = scratch("concurrent");
    let path = dir.join("case.json");
    let contents: Vec<String> = (0..16)
        .map(|i| format!("writer {i} ").repeat(20_000))
        .collect();
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = contents
            .iter()
            .map(|c| s.spawn(|| write_file(&path, true, |w| w.write_all(c.as_bytes()))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &results {
        assert!(r.is_ok(), "{:#}", r.as_ref().unwrap_err());
    }
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(contents.contains(&written), "a mix of writers");
    assert_eq!(names(&dir), ["case.json"], "temporary files left");

    std::fs::remove_file(&path).unwrap();
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let handles: Vec<_> = contents
            .iter()
            .map(|c| s.spawn(|| write_file(&path, false, |w| w.write_all(c.as_bytes()))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(e.to_string().contains("exists; pass --force"), "{e:#}");
    }
    assert!(contents.contains(&std::fs::read_to_string(&path).unwrap()));
    assert_eq!(names(&dir), ["case.json"], "temporary files left");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A failure while writing leaves nothing: no file, no temporary file, no folder made for it;
/// an existing file is kept as it was.
#[test]
fn a_failed_write_leaves_nothing() {
    let dir = scratch("failed");
    let path = dir.join("new/deeper/out.json");
    let e = write_file(&path, false, |w| {
        w.write_all(b"half")?;
        Err(std::io::Error::other("interrupted"))
    })
    .unwrap_err();
    assert!(
        matches!(&e, crate::Error::Write { path: p, source } if p.ends_with("new/deeper/out.json") && source.to_string() == "interrupted"),
        "{e:?}"
    );
    assert!(names(&dir).is_empty(), "{:?}", names(&dir));
    std::fs::write(dir.join("old.json"), "old").unwrap();
    assert!(
        write_file(&dir.join("old.json"), true, |_| Err(std::io::Error::other(
            "no"
        )))
        .is_err()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("old.json")).unwrap(),
        "old"
    );
    assert_eq!(names(&dir), ["old.json"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Errors name the output asked for and what is wrong with it.
#[test]
fn output_path_errors() {
    let dir = scratch("paths");
    std::fs::write(dir.join("r.json"), "x").unwrap();
    let ok = |_: &mut dyn Write| Ok(());
    let e = write_file(&dir.join("r.json/sub.json"), false, ok)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "cannot write {0}/r.json/sub.json: parent {0}/r.json is not a directory",
            dir.display()
        )
    );
    let e = write_file(&dir.join("r.json/a/b.json"), true, ok)
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with(&format!(
            "parent {}/r.json is not a directory",
            dir.display()
        )),
        "{e}"
    );
    let e = write_file(&dir, true, ok).unwrap_err().to_string();
    assert_eq!(
        e,
        format!("cannot write {}: it is a directory", dir.display())
    );
    let e = write_file(&dir.join("r.json"), false, ok)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "{}/r.json exists; pass --force to overwrite it",
            dir.display()
        )
    );
    // a folder that takes no new files: the message names the target, not a temporary file
    if Path::new("/proc/self").exists() {
        let e = write_file(Path::new("/proc/out.json"), false, ok)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot write /proc/out.json: cannot write in /proc: "),
            "{e}"
        );
        assert!(!e.contains(".tmp"), "{e}");
    }
    // permission denied (not testable as root, who may write anywhere)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "").is_err() {
            let e = write_file(&ro.join("out.json"), false, ok)
                .unwrap_err()
                .to_string();
            assert_eq!(
                e,
                format!(
                    "cannot write {0}/out.json: cannot write in {0}: permission denied",
                    ro.display()
                )
            );
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A VCF for `write_report`: records out of order, so its BGZF copy cannot be indexed.
const UNSORTED_VCF: &str = "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t2000\t.\tA\tG\t.\tPASS\t.\n1\t1000\t.\tC\tT\t.\tPASS\t.\n";

/// Several formats are all or nothing: when the last step (indexing the `vcf.gz`) fails,
/// none of the files rendered before it is written, nor the folder made for them.
#[test]
fn a_failing_format_writes_no_other() {
    let dir = scratch("all-or-nothing");
    let vcf = dir.join("unsorted.vcf");
    std::fs::write(&vcf, UNSORTED_VCF).unwrap();
    let mut r = report();
    r.odyssey.inputs.push(odyssey_report::InputFile {
        role: "vcf".into(),
        path: vcf.display().to_string(),
        checksum: None,
    });
    let formats = [Format::Json, Format::Html, Format::VcfGz];
    let prefix = dir.join("us/case");
    let e = write_report(&r, &formats, &Destination::Prefix(prefix.clone()), false)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("us/case.vcf.gz") && e.contains("sorted") && !e.contains(".tmp"),
        "{e}"
    );
    assert_eq!(
        names(&dir),
        ["unsorted.vcf"],
        "files written by a failed run"
    );
    // sorted, the same run writes the VCF and its index
    std::fs::write(
        &vcf,
        UNSORTED_VCF
            .replace("1\t2000\t.\tA\tG\t.\tPASS\t.\n", "")
            .replace("PASS\t.\n", "PASS\t.\n1\t2000\t.\tA\tG\t.\tPASS\t.\n"),
    )
    .unwrap();
    write_report(&r, &formats, &Destination::Prefix(prefix.clone()), false).unwrap();
    assert_eq!(
        names(&dir.join("us")),
        ["case.html", "case.json", "case.vcf.gz", "case.vcf.gz.tbi"]
    );
    // an existing index refuses the run too, naming it
    std::fs::remove_file(dir.join("us/case.json")).unwrap();
    let e = write_report(
        &r,
        &[Format::Json, Format::VcfGz],
        &Destination::Prefix(prefix),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("case.vcf.gz.tbi") && e.contains("--force"),
        "{e}"
    );
    assert!(!dir.join("us/case.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// An output that is one of the report's inputs is refused, even with --force.
#[test]
fn never_over_an_input() {
    let dir = scratch("input");
    let input = dir.join("case.json");
    std::fs::write(&input, "{\"id\": \"c\"}").unwrap();
    let mut r = report();
    r.odyssey.inputs.push(odyssey_report::InputFile {
        role: "phenopacket".into(),
        path: input.display().to_string(),
        checksum: None,
    });
    let aliased = dir.join(".").join("case.json");
    let e = write_report(&r, &[Format::Json], &Destination::File(aliased), true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("is the input"), "{e}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "{\"id\": \"c\"}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A phenopacket written to another folder keeps pointing at the input's VCF.
#[test]
fn phenopacket_file_uris_stay_valid() {
    let dir = scratch("uris");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let input = dir.join("in/case.json");
    std::fs::write(&input, r#"{"id": "c", "subject": {"id": "s"}, "files": [{"uri": "file://case.vcf.gz"}], "metaData": {"phenopacketSchemaVersion": "2.0"}}"#).unwrap();
    let mut r = report();
    r.odyssey.inputs.push(odyssey_report::InputFile {
        role: "phenopacket".into(),
        path: input.display().to_string(),
        checksum: None,
    });
    let out = dir.join("out/c.phenopacket.json");
    write_report(
        &r,
        &[Format::Phenopacket],
        &Destination::File(out.clone()),
        false,
    )
    .unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let expected = format!(
        "file://{}",
        dir.canonicalize().unwrap().join("in/case.vcf.gz").display()
    );
    assert_eq!(doc["files"][0]["uri"], serde_json::json!(expected));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `tsv` set replaced with `--force` by a run without a variant analysis: the older set's
/// variants table goes with it (no new genes table beside an old variants table); without
/// `--force` that table refuses the run like any member of the set (issue 13).
#[test]
fn force_over_a_set_removes_the_older_variants_table() {
    let dir = scratch("stale-variants");
    let prefix = dir.join("case");
    for n in ["case.genes.tsv", "case.diseases.tsv", "case.variants.tsv"] {
        std::fs::write(dir.join(n), "old").unwrap();
    }
    let dest = Destination::Prefix(prefix.clone());
    std::fs::remove_file(dir.join("case.genes.tsv")).unwrap();
    std::fs::remove_file(dir.join("case.diseases.tsv")).unwrap();
    let e = write_report(&report(), &[Format::Tsv], &dest, false)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "{} exists; pass --force to overwrite it",
            dir.join("case.variants.tsv").display()
        )
    );
    assert_eq!(names(&dir), ["case.variants.tsv"]);
    write_report(&report(), &[Format::Tsv], &dest, true).unwrap();
    assert_eq!(names(&dir), ["case.diseases.tsv", "case.genes.tsv"]);
    // only a regular file goes: a folder under that name is refused before any work
    std::fs::create_dir(dir.join("case.variants.tsv")).unwrap();
    let e = write_report(&report(), &[Format::Tsv], &dest, true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("case.variants.tsv: it is a directory"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
