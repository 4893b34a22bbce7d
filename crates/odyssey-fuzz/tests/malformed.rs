//! Every file of `malformed/` is refused with an error that names the file and contains the
//! expected text listed in `malformed/expected.tsv` (one table; the expectations were written
//! from the format rules and the error texts, issue 13). Kinds are chosen by extension.

use std::path::{Path, PathBuf};

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::vcf::{annotate_vcf, VcfOptions};
use odyssey_annotate::{Annotator, RefData};
use odyssey_kb::KnowledgeBase;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn opts(fasta: Vec<PathBuf>) -> BuildOptions {
    BuildOptions {
        models: vec![root().join("seeds/gff3/small.gff3")],
        fasta,
        assembly: odyssey_genome::Assembly::GRCh38,
        label: None,
        flank: 10,
        whole_transcripts: false,
    }
}

/// The error of reading `p` with the reader its extension selects.
fn error_of(p: &Path, ann: &Annotator, scratch: &Path) -> Option<String> {
    let name = p.file_name().unwrap().to_string_lossy();
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let e = match ext {
        "odyref" => RefData::load(p).err().map(|e| e.to_string()),
        "odkb" => KnowledgeBase::load(p).err().map(|e| e.to_string()),
        "ostore" => odyssey_variant::sources::StoreReader::open(p)
            .err()
            .map(|e| e.to_string()),
        "toml" => odyssey_variant::sources::read_sources_toml(p)
            .err()
            .map(|e| e.to_string()),
        "vcf" => annotate_vcf(p, &scratch.join("out.vcf"), ann, &VcfOptions::default())
            .err()
            .map(|e| e.to_string()),
        "fa" => build(&opts(vec![p.to_path_buf()]))
            .err()
            .map(|e| e.to_string()),
        "ped" => odyssey_variant::Pedigree::from_ped_file(p)
            .err()
            .map(|e| e.to_string()),
        "json" | "yaml" => odyssey_pheno::phenopacket::read_case_file(p)
            .err()
            .map(|e| e.to_string()),
        other => panic!("{name}: no reader for extension {other:?}"),
    };
    e
}

#[test]
fn every_malformed_file_gives_its_expected_error() {
    let dir = root().join("malformed");
    let table = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let scratch = std::env::temp_dir().join(format!("odyssey-malformed-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let ann = Annotator::new(build(&opts(vec![])).unwrap().0);
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (file, expected) = line.split_once('\t').expect("file<TAB>expected");
        let p = dir.join(file);
        match error_of(&p, &ann, &scratch) {
            None => failures.push(format!("{file}: accepted")),
            Some(e) if !(e.contains(file) && e.contains(expected)) => {
                failures.push(format!("{file}: {e}\n    expected: {expected}"))
            }
            Some(_) => {}
        }
        checked += 1;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // every file of the folder is in the table
    let files = std::fs::read_dir(&dir).unwrap().count() - 1;
    assert_eq!(checked, files);
}
