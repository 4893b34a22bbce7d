//! HPO release consistency (issue 13): an `alt_id` that is another term's id (or another
//! term's `alt_id`), unknown ids in `genes_to_phenotype.txt`, and `hp.obo` beside a different
//! `hp.obo.gz` are refused with the file, the line and the field. Built from copies of the
//! 13-term fixture (tests/fixtures/mini).

use std::io::Write;
use std::path::{Path, PathBuf};

use odyssey_kb::KnowledgeBase;

fn mini() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

/// A copy of the fixture release in a fresh folder.
fn copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"] {
        std::fs::copy(mini().join(f), d.path().join(f)).unwrap();
    }
    d
}

fn read(d: &Path, f: &str) -> String {
    std::fs::read_to_string(d.join(f)).unwrap()
}

/// 1-based line of the first line of `text` equal to `line`.
fn line_of(text: &str, line: &str) -> usize {
    text.lines().position(|l| l == line).unwrap() + 1
}

fn build_err(d: &Path) -> String {
    KnowledgeBase::build(d).map(drop).unwrap_err().to_string()
}

#[test]
fn the_fixture_builds() {
    KnowledgeBase::build(copy().path()).unwrap();
}

#[test]
fn an_alt_id_that_is_another_terms_id_is_refused() {
    let d = copy();
    let obo = read(d.path(), "hp.obo");
    // HP:0000006 Autosomal dominant inheritance is a current term; make it an alt_id of
    // HP:0000007 Autosomal recessive inheritance
    let bad = obo.replace(
        "id: HP:0000007\nname: Autosomal recessive inheritance\n",
        "id: HP:0000007\nname: Autosomal recessive inheritance\nalt_id: HP:0000006\n",
    );
    assert_ne!(bad, obo);
    std::fs::write(d.path().join("hp.obo"), &bad).unwrap();
    let e = build_err(d.path());
    let line7 = line_of(&bad, "id: HP:0000007");
    let line6 = line_of(&bad, "id: HP:0000006");
    let expected_suffix = format!(
        "field `alt_id`: HP:0000006 is an alt_id of HP:0000007 but also the id of the current term \"Autosomal dominant inheritance\" (line {}): an id must name one term",
        line6
    );
    assert!(
        e.ends_with(&expected_suffix),
        "{e}\nexpected …{expected_suffix}"
    );
    assert!(
        e.starts_with(&format!("{}:{}:", d.path().join("hp.obo").display(), line7)),
        "{e}"
    );
}

#[test]
fn one_alt_id_claimed_by_two_terms_is_refused() {
    let d = copy();
    let obo = read(d.path(), "hp.obo");
    // HP:0000998 is already the alt_id of Intellectual disability; give it to HP:0000007 too
    assert!(obo.contains("alt_id: HP:0000998"));
    let bad = obo.replace(
        "id: HP:0000007\nname: Autosomal recessive inheritance\n",
        "id: HP:0000007\nname: Autosomal recessive inheritance\nalt_id: HP:0000998\n",
    );
    std::fs::write(d.path().join("hp.obo"), &bad).unwrap();
    let e = build_err(d.path());
    assert!(
        e.contains("field `alt_id`: HP:0000998 is an alt_id of both ")
            && e.contains("HP:0000007")
            && e.contains("an id must name one term"),
        "{e}"
    );
}

#[test]
fn unknown_ids_in_genes_to_phenotype_are_errors_like_in_phenotype_hpoa() {
    let d = copy();
    let g2p = read(d.path(), "genes_to_phenotype.txt");
    let bad = format!("{g2p}9\tGENEY\tHP:9999999\tNo such term\t-\tOMIM:999\n");
    std::fs::write(d.path().join("genes_to_phenotype.txt"), &bad).unwrap();
    let e = build_err(d.path());
    assert_eq!(
        e,
        format!(
            "{}:{}: field `hpo_id`: HP:9999999 is not a term of this HPO release ({})",
            d.path().join("genes_to_phenotype.txt").display(),
            bad.lines().count(),
            d.path().join("hp.obo").display()
        )
    );
    // an alternative or obsolete id of the release is still accepted (as in phenotype.hpoa)
    let ok = format!("{g2p}9\tGENEY\tHP:0000998\tOld id\t-\tOMIM:999\n");
    std::fs::write(d.path().join("genes_to_phenotype.txt"), ok).unwrap();
    KnowledgeBase::build(d.path()).unwrap();
}

#[test]
fn a_plain_file_beside_a_different_gz_is_refused() {
    let d = copy();
    let obo = read(d.path(), "hp.obo");
    let gz = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(
            std::fs::File::create(d.path().join("hp.obo.gz")).unwrap(),
            flate2::Compression::default(),
        );
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap();
    };
    // the same text compressed: fine
    gz(&obo);
    KnowledgeBase::build(d.path()).unwrap();
    // another release
    gz(&obo.replace("2099-12-31", "2099-11-30"));
    assert_eq!(
        build_err(d.path()),
        format!(
            "{}: both hp.obo and hp.obo.gz are in this HPO release folder and their contents differ: remove the one that is not the release to use",
            d.path().display()
        )
    );
}
