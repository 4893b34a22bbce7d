//! Reference FASTA consistency (issue 13): a stale `.fai`, duplicate sequence names, a FASTA
//! that does not hold the transcripts, and index-layout errors are refused with the file, the
//! line or record, and what was expected; partial coverage is counted.

mod common;

use std::path::{Path, PathBuf};

use common::forward_sequence;
use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::Error;
use odyssey_genome::Assembly;

const GFF3: &str = "##gff-version 3
1\tensembl\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=protein_coding;gene_id=G1
1\tensembl\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=protein_coding;transcript_id=TX1;version=1
1\tensembl\texon\t11\t40\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t21\t40\t.\t+\t0\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
1\tensembl\texon\t61\t90\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t61\t73\t.\t+\t1\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
";

/// `>name` and `bases` in lines of `width`.
fn record(name: &str, bases: &str, width: usize) -> String {
    let mut t = format!(">{name} test construct\n");
    for chunk in bases.as_bytes().chunks(width) {
        t.push_str(std::str::from_utf8(chunk).unwrap());
        t.push('\n');
    }
    t
}

fn build_with(dir: &Path, fasta: &str) -> Result<odyssey_annotate::build::BuildStats, Error> {
    let gff = dir.join("g.gff3");
    std::fs::write(&gff, GFF3).unwrap();
    let fa = dir.join("ref.fa");
    std::fs::write(&fa, fasta).unwrap();
    build(&BuildOptions {
        models: vec![gff],
        fasta: vec![fa],
        assembly: Assembly::GRCh38,
        label: Some("test".into()),
        flank: 10,
        whole_transcripts: false,
    })
    .map(|(_, s)| s)
}

/// Writes the `.fai` of `dir/ref.fa` as it is now.
fn index_now(dir: &Path) -> PathBuf {
    use noodles::fasta;
    let fa = dir.join("ref.fa");
    let fai = dir.join("ref.fa.fai");
    fasta::fai::fs::write(&fai, &fasta::fs::index(&fa).unwrap()).unwrap();
    fai
}

fn parse_error(r: Result<odyssey_annotate::build::BuildStats, Error>) -> (PathBuf, u64, String) {
    match r {
        Err(Error::Parse {
            path,
            line,
            message,
        }) => (path, line, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn a_stale_fai_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = record("1", &forward_sequence(), 50);
    // a matching index passes
    build_with(d, &good).unwrap();
    let fai = index_now(d);
    build_with(d, &good).unwrap();

    // a record put before it: every offset moved
    let (path, line, message) = parse_error(build_with(d, &format!(">0\nACGT\n{good}")));
    assert_eq!((path.as_path(), line), (fai.as_path(), 1));
    assert!(
        message.starts_with(&format!(
            "the index does not match {}: record \"1\" should start after a '>1' header line ending at byte 18, but byte 17 is not a line end",
            d.join("ref.fa").display()
        )),
        "{message}"
    );
    assert!(
        message.ends_with("rebuild it (samtools faidx)"),
        "{message}"
    );

    // the same sequence rewrapped at 60 bases a line: the first line end is elsewhere
    let (_, line, message) = parse_error(build_with(d, &record("1", &forward_sequence(), 60)));
    assert_eq!(line, 1);
    assert!(
        message.contains("record \"1\": no line end after the first 50 bases (byte 68)"),
        "{message}"
    );

    // a record added after the indexed one
    let (_, line, message) = parse_error(build_with(d, &format!("{good}>2\nACGT\n")));
    assert_eq!(line, 1);
    assert!(
        message.contains("more data follows the last indexed sequence (from byte 140)"),
        "{message}"
    );
}

#[test]
fn duplicate_sequence_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let twice = format!(
        "{}{}",
        record("1", &forward_sequence(), 50),
        record("1", "ACGT", 50)
    );
    // indexed in memory: the FASTA and the record numbers
    let (path, line, message) = parse_error(build_with(d, &twice));
    assert_eq!((path, line), (d.join("ref.fa"), 2));
    assert_eq!(
        message,
        "FASTA sequence name \"1\" appears twice (records 1 and 2): sequence names must be unique"
    );
    // with a .fai: its line
    let fai = index_now(d);
    let (path, line, _) = parse_error(build_with(d, &twice));
    assert_eq!((path, line), (fai, 2));
}

#[test]
fn duplicate_names_in_a_streamed_gzip_fasta_name_the_header_lines() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let twice = format!(
        "{}{}",
        record("1", &forward_sequence(), 50),
        record("1", "ACGT", 50)
    );
    let fa = d.join("ref.fa.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&fa).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(twice.as_bytes()).unwrap();
    gz.finish().unwrap();
    let gff = d.join("g.gff3");
    std::fs::write(&gff, GFF3).unwrap();
    let r = build(&BuildOptions {
        models: vec![gff],
        fasta: vec![fa.clone()],
        assembly: Assembly::GRCh38,
        label: None,
        flank: 10,
        whole_transcripts: false,
    })
    .map(|(_, s)| s);
    let (path, line, message) = parse_error(r);
    // record 1: header line 1 and three sequence lines; record 2 at line 5
    assert_eq!((path, line), (fa, 5));
    assert!(message.contains("(header lines 1 and 5)"), "{message}");
}

#[test]
fn a_fasta_without_the_transcripts_is_an_error_and_partial_coverage_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // chromosome 5 only: none of the transcript's sequence
    match build_with(d, &record("5", &forward_sequence(), 50)) {
        Err(Error::Invalid(m)) => assert!(
            m.contains("holds none of the sequence of the 1 transcripts (on chromosomes 1)"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    // the first 50 bases: the first exon (11-40) but not the second (61-90)
    let s = build_with(d, &record("1", &forward_sequence()[..50], 50)).unwrap();
    assert_eq!(s.uncovered_transcripts, 1);
    assert_eq!(s.uncovered_examples, ["TX1.1"]);
    let s = build_with(d, &record("1", &forward_sequence(), 50)).unwrap();
    assert_eq!(s.uncovered_transcripts, 0);
}

#[test]
fn a_fasta_layout_that_cannot_be_indexed_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seq = forward_sequence();
    // lines of 50, 20, 50 bases: line 3 is short but not the last
    let text = format!(">1\n{}\n{}\n{}\n", &seq[..50], &seq[50..70], &seq[70..120]);
    let (path, line, message) = parse_error(build_with(d, &text));
    assert_eq!((path, line), (d.join("ref.fa"), 3));
    assert_eq!(
        message,
        "cannot index FASTA: a line of 20 bases inside record \"1\" before line 4: every line of a record but the last must be as long as the first (50 bases)"
    );
    let e = Error::Parse {
        path: "x.fa".into(),
        line: 0,
        message: "m".into(),
    };
    // an unknown line is not shown as line 0
    assert_eq!(e.to_string(), "x.fa: m");
}

/// Builds `dir/g.gff3` ([`GFF3`]) with the FASTA at `fa` (any name: plain, gzip or bgzip).
fn build_fasta_at(dir: &Path, fa: &Path) -> Result<odyssey_annotate::build::BuildStats, Error> {
    let gff = dir.join("g.gff3");
    std::fs::write(&gff, GFF3).unwrap();
    build(&BuildOptions {
        models: vec![gff],
        fasta: vec![fa.to_path_buf()],
        assembly: Assembly::GRCh38,
        label: None,
        flank: 10,
        whole_transcripts: false,
    })
    .map(|(_, s)| s)
}

fn gzip(path: &Path, text: &str) {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[test]
fn non_nucleotide_characters_are_refused_naming_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // position 57 of chromosome 1 (inside the transcript's 1-100 with its flank): in lines of
    // 50 bases after the header, line 3, column 7
    let mut bad = forward_sequence().into_bytes();
    bad[56] = b'!';
    let bad = String::from_utf8(bad).unwrap();
    let want =
        "'!' (byte 0x21) at column 7 (record \"1\", position 57): expected a nucleotide letter";
    // indexed (uncompressed, index built in memory)
    let (path, line, message) = parse_error(build_with(d, &record("1", &bad, 50)));
    assert_eq!((path, line), (d.join("ref.fa"), 3), "{message}");
    assert!(message.contains(want), "{message}");
    // streamed (plain gzip, no index)
    let gz = d.join("ref.fa.gz");
    gzip(&gz, &record("1", &bad, 50));
    let (path, line, message) = parse_error(build_fasta_at(d, &gz));
    assert_eq!((path, line), (gz.clone(), 3), "{message}");
    assert!(message.contains(want), "{message}");
    // IUPAC ambiguity codes and soft-masked (lower-case) bases are accepted by both
    let mut ok = forward_sequence().into_bytes();
    ok[56] = b'R';
    ok[57] = b'y';
    ok[20..30].make_ascii_lowercase();
    let ok = String::from_utf8(ok).unwrap();
    let s = build_with(d, &record("1", &ok, 50)).unwrap();
    assert_eq!(s.sequence_bases, 100);
    gzip(&gz, &record("1", &ok, 50));
    assert_eq!(build_fasta_at(d, &gz).unwrap().sequence_bases, 100);
}

/// Writes `text` as one BGZF block to `path`, its `.gzi` (no entries: one block) and the
/// `.fai` of the uncompressed text.
fn bgzip_indexed(dir: &Path, path: &Path, text: &str) {
    use noodles::{bgzf, fasta};
    use std::io::Write;
    let mut w = bgzf::io::Writer::new(std::fs::File::create(path).unwrap());
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap();
    bgzf::gzi::fs::write(
        path.with_added_extension("gzi"),
        &bgzf::gzi::Index::default(),
    )
    .unwrap();
    let plain = dir.join("plain.fa");
    std::fs::write(&plain, text).unwrap();
    fasta::fai::fs::write(
        path.with_added_extension("fai"),
        &fasta::fs::index(&plain).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(plain).unwrap();
}

#[test]
fn a_stale_index_of_a_bgzip_fasta_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fa = d.join("ref.fa.gz");
    let text = record("1", &forward_sequence(), 50);
    bgzip_indexed(d, &fa, &text);
    assert_eq!(build_fasta_at(d, &fa).unwrap().sequence_bases, 100);
    // the FASTA recompressed with a longer header after indexing: the old .fai points 5
    // bytes too early
    let newer = text.replacen("test construct", "test construct v2.0", 1);
    let (fai, gzi) = (
        fa.with_added_extension("fai"),
        fa.with_added_extension("gzi"),
    );
    let (old_fai, old_gzi) = (std::fs::read(&fai).unwrap(), std::fs::read(&gzi).unwrap());
    bgzip_indexed(d, &fa, &newer);
    std::fs::write(&fai, old_fai).unwrap();
    std::fs::write(&gzi, old_gzi).unwrap();
    let (path, line, message) = parse_error(build_fasta_at(d, &fa));
    assert_eq!((path, line), (fai, 1), "{message}");
    assert!(
        message.contains("the index does not match") && message.contains("record \"1\""),
        "{message}"
    );
    // a .gzi whose block lies past the end of the file
    bgzip_indexed(d, &fa, &newer);
    noodles::bgzf::gzi::fs::write(
        &gzi,
        &noodles::bgzf::gzi::Index::from(vec![(1 << 20, 1 << 16)]),
    )
    .unwrap();
    let (path, _, message) = parse_error(build_fasta_at(d, &fa));
    assert_eq!(path, gzi);
    assert!(message.contains("past the end of the file"), "{message}");
}

#[test]
fn overlapping_exons_are_warned_naming_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fa = d.join("ref.fa");
    std::fs::write(&fa, record("1", &forward_sequence(), 50)).unwrap();
    let run = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        build(&BuildOptions {
            models: vec![p],
            fasta: vec![fa.clone()],
            assembly: Assembly::GRCh38,
            label: None,
            flank: 10,
            whole_transcripts: false,
        })
        .unwrap()
        .1
    };
    // GFF3: the second exon (line 5) starts at 35, inside the first (11-40, line 4)
    let overlapping = GFF3.replace("exon\t61\t90", "exon\t35\t90");
    let s = run("o.gff3", &overlapping);
    assert_eq!(s.overlapping_exons, 1);
    assert!(
        s.overlapping_exon_examples[0].contains("o.gff3: lines 4 and 6: transcript")
            && s.overlapping_exon_examples[0].contains("has exons 11-40 and 35-90, which overlap"),
        "{:?}",
        s.overlapping_exon_examples
    );
    // exons that only touch (RefSeq splits an exon at an alignment gap) are not warned
    let touching = GFF3.replace("exon\t61\t90", "exon\t41\t90");
    assert_eq!(run("t.gff3", &touching).overlapping_exons, 0);
    assert_eq!(run("g.gff3", GFF3).overlapping_exons, 0);
    // GTF likewise
    let gtf = |second: &str| {
        format!(
            "1\tx\ttranscript\t11\t90\t.\t+\t.\tgene_id \"G1\"; transcript_id \"TX1\"; gene_name \"GENEA\";\n\
             1\tx\texon\t11\t40\t.\t+\t.\tgene_id \"G1\"; transcript_id \"TX1\";\n\
             1\tx\texon\t{second}\t90\t.\t+\t.\tgene_id \"G1\"; transcript_id \"TX1\";\n"
        )
    };
    let s = run("o.gtf", &gtf("30"));
    assert_eq!(s.overlapping_exons, 1);
    assert!(
        s.overlapping_exon_examples[0]
            .contains("o.gtf: lines 2 and 3: transcript TX1 has exons 11-40 and 30-90"),
        "{:?}",
        s.overlapping_exon_examples
    );
    assert_eq!(run("g.gtf", &gtf("61")).overlapping_exons, 0);
}
