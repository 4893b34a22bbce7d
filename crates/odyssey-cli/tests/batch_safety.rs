//! `--batch` refuses an existing `summary.tsv` before it writes any per-case file (issue 13).

mod common;

use common::{odyssey, Scratch};

#[test]
fn existing_summary_is_refused_before_any_case_file() {
    let s = Scratch::new("batch-summary");
    std::fs::create_dir_all(s.path("cases")).unwrap();
    s.write(
        "cases/one.json",
        r#"{"id":"one","phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]}"#,
    );
    std::fs::create_dir_all(s.path("out")).unwrap();
    s.write("out/summary.tsv", "old");
    let o = odyssey(&s.0, &["analyze", "--batch", "cases", "-o", "out"]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("summary.tsv exists; pass --force"), "{e}");
    let names: Vec<String> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["summary.tsv".to_string()]);
    assert_eq!(
        std::fs::read_to_string(s.path("out/summary.tsv")).unwrap(),
        "old"
    );
}

/// A newline or tab in a case id cannot add rows or columns to `summary.tsv` (issue 13).
#[test]
fn control_characters_in_a_case_id_are_escaped_in_the_summary() {
    let s = Scratch::new("batch-controls");
    std::fs::create_dir_all(s.path("cases")).unwrap();
    s.write(
        "cases/one.json",
        r#"{"id":"one\nINJECTED\trow","phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]}"#,
    );
    let o = odyssey(&s.0, &["analyze", "--batch", "cases", "-o", "out"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(s.path("out/summary.tsv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // the comment line, the column header and one row of 8 fields
    assert_eq!(lines.len(), 3, "{text}");
    let row: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(row.len(), 8, "{text}");
    assert_eq!(row[3], "one\\nINJECTED\\trow");
}

/// The per-case TSV tables too: a case id (and a file name) with a newline, tab or other
/// control character cannot add a row or a column to any header line (issue 13).
#[test]
fn control_characters_never_reach_per_case_tsv_lines() {
    let s = Scratch::new("case-tsv-controls");
    let name = "case\u{1b}\nx.json";
    s.write(
        name,
        r#"{"id":"one\nINJECTED\trow\u0007","phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]}"#,
    );
    let o = odyssey(&s.0, &["analyze", name, "--format", "tsv", "-o", "out/c"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["out/c.genes.tsv", "out/c.diseases.tsv"] {
        let text = std::fs::read_to_string(s.path(f)).unwrap();
        assert!(
            text.lines()
                .any(|l| l == "## case=one INJECTED row  observed=HP:0001250 excluded="),
            "{f}: {text}"
        );
        assert!(text.contains("## input phenopacket=case  x.json\n"), "{f}");
        for l in text.lines() {
            assert!(
                !l.chars().any(|c| c.is_ascii_control() && c != '\t'),
                "{f}: {l:?}"
            );
            assert!(
                !l.starts_with("INJECTED") && !l.starts_with("x.json"),
                "{f}: {l:?}"
            );
        }
    }
}

/// `--batch DIR -o -` is refused: a batch writes a folder, and `-` (standard output) would
/// otherwise become a folder named "-".
#[test]
fn batch_to_standard_output_is_refused_without_a_folder_named_dash() {
    let s = Scratch::new("batch-dash");
    std::fs::create_dir_all(s.path("cases")).unwrap();
    s.write(
        "cases/one.json",
        r#"{"id":"one","phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]}"#,
    );
    let o = odyssey(&s.0, &["analyze", "--batch", "cases", "-o", "-"]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("--batch writes a folder") && e.contains("-o OUTDIR"),
        "{e}"
    );
    assert!(!s.path("-").exists());
}
