//! A damaged compiled reference-data file is refused with an error naming it: every single-bit
//! flip, a truncation, a padding and a huge declared length (issue 13).

mod common;

use std::path::Path;

use common::*;
use odyssey_annotate::{Annotator, Error, RefData};

const GFF3: &str = "##gff-version 3
1\tensembl\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=protein_coding
1\tensembl\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=protein_coding;transcript_id=TX1
1\tensembl\texon\t11\t40\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t21\t40\t.\t+\t0\tParent=transcript:TX1;protein_id=P1
1\tensembl\texon\t61\t90\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t61\t73\t.\t+\t1\tParent=transcript:TX1;protein_id=P1
";

fn small_file(dir: &Path) -> (std::path::PathBuf, Vec<u8>) {
    let g = dir.join("g.gff3");
    std::fs::write(&g, GFF3).unwrap();
    let opts = odyssey_annotate::build::BuildOptions {
        models: vec![g],
        fasta: vec![],
        assembly: odyssey_genome::Assembly::GRCh38,
        label: Some("t".into()),
        flank: 10,
        whole_transcripts: false,
    };
    let (d, _) = odyssey_annotate::build::build(&opts).unwrap();
    let out = dir.join("small.odyref");
    d.save(&out, 3).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    (out, bytes)
}

fn message(path: &Path) -> String {
    match Annotator::from_path(path) {
        Err(e @ Error::BadStore { .. }) => e.to_string(),
        Err(e) => panic!("unexpected error kind: {e}"),
        Ok(_) => panic!("damaged file accepted"),
    }
}

#[test]
fn every_bit_flip_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (out, bytes) = small_file(dir.path());
    // the intact file loads and annotates
    let a = Annotator::from_path(&out).unwrap();
    assert_eq!(a.annotate(&key(chr1(), 24, "A", "C")).len(), 1);
    let bad = dir.path().join("flipped.odyref");
    for byte in 0..bytes.len() {
        for bit in [0u8, 3, 7] {
            let mut b = bytes.clone();
            b[byte] ^= 1 << bit;
            std::fs::write(&bad, &b).unwrap();
            let m = message(&bad);
            assert!(m.contains("flipped.odyref"), "{m}");
            // the payload length and checksum live in bytes 12..28; flips there or in the
            // payload are either a length or a checksum mismatch
            if byte >= 28 {
                assert!(m.contains("checksum mismatch"), "byte {byte}: {m}");
            }
        }
    }
}

#[test]
fn truncated_padded_and_huge_declared_length() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bytes) = small_file(dir.path());
    let bad = dir.path().join("bad.odyref");
    std::fs::write(&bad, &bytes[..bytes.len() - 1]).unwrap();
    let n = bytes.len() as u64;
    assert!(
        message(&bad).contains(&format!("file is {} bytes, header says {n}", n - 1)),
        "{}",
        message(&bad)
    );
    let mut padded = bytes.clone();
    padded.push(0);
    std::fs::write(&bad, &padded).unwrap();
    assert!(message(&bad).contains(&format!("file is {} bytes, header says {n}", n + 1)));
    let mut huge = bytes.clone();
    huge[20..28].copy_from_slice(&(1u64 << 60).to_le_bytes());
    std::fs::write(&bad, &huge).unwrap();
    assert!(message(&bad).contains("header says"));
    std::fs::write(&bad, &bytes[..20]).unwrap();
    assert!(message(&bad).contains("truncated header (20 of 28 bytes)"));
    // from_bytes gives the same verdicts on images
    assert!(RefData::from_bytes(&bytes[..bytes.len() - 1], &bad)
        .unwrap_err()
        .to_string()
        .contains("truncated or padded"));
}

#[cfg(unix)]
#[test]
fn dev_zero_fails_fast() {
    let m = message(Path::new("/dev/zero"));
    assert!(
        m.contains("/dev/zero") && m.contains("missing ODYREFDT magic"),
        "{m}"
    );
}

/// `refdata build --gff /dev/zero` and `--fasta /dev/zero` fail fast with bounded memory
/// (issue 13: both grew until the machine's memory was gone).
#[cfg(unix)]
#[test]
fn dev_zero_inputs_fail_fast() {
    use odyssey_annotate::build::{build, BuildOptions};
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.gff3");
    std::fs::write(&g, GFF3).unwrap();
    let opts = |models: Vec<std::path::PathBuf>, fasta: Vec<std::path::PathBuf>| BuildOptions {
        models,
        fasta,
        assembly: odyssey_genome::Assembly::GRCh38,
        label: None,
        flank: 10,
        whole_transcripts: false,
    };
    let zero = std::path::PathBuf::from("/dev/zero");
    let start = std::time::Instant::now();
    let e = build(&opts(vec![zero.clone()], vec![]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/dev/zero") && e.contains("a line longer than 67108864 bytes"),
        "{e}"
    );
    let e = build(&opts(vec![g], vec![zero])).unwrap_err().to_string();
    assert!(
        e.contains("/dev/zero")
            && e.contains("expected a FASTA header line starting with '>', found byte 0x00"),
        "{e}"
    );
    assert!(start.elapsed().as_secs() < 30);
}

/// A record with fewer sample columns than the `#CHROM` line is an error naming the line
/// (issue 13: it passed through `annotate` unchanged).
#[test]
fn vcf_record_missing_sample_columns_is_an_error() {
    use odyssey_annotate::vcf::{annotate_vcf, VcfOptions};
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = small_file(dir.path());
    let ann = Annotator::from_path(&out).unwrap();
    let vcf = dir.path().join("in.vcf");
    // header: 9 fixed columns + 2 samples = 11; line 4 has one sample only (10 columns)
    std::fs::write(
        &vcf,
        "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n\
         #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tmum\tkid\n\
         1\t24\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\n",
    )
    .unwrap();
    let e = annotate_vcf(
        &vcf,
        &dir.path().join("o.vcf"),
        &ann,
        &VcfOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("in.vcf")
            && e.contains("4")
            && e.contains("10 tab-separated columns, expected 11 as in the #CHROM header line (2 sample columns)"),
        "{e}"
    );
}
