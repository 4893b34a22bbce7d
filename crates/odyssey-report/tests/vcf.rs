//! VCF output: ODYSSEY INFO on the report's variants, everything else copied; BGZF + tabix;
//! BCF input; clear errors.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use noodles::vcf;
use odyssey_report::vcf::*;

const HEADER: &str = "##fileformat=VCFv4.2
##contig=<ID=chr8,length=145138636>
##contig=<ID=chr10,length=133797422>
##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">
##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tKID\tDAD\tMUM
";

// FGFR1 CA>C at chr8:38411000 written padded (TCA>TC one base earlier); an unrelated SNV;
// FGFR2 G>C at chr10:121520160 as the first ALT of a multi-allelic record.
const RECORDS: &str = "chr8\t38410999\t.\tTCA\tTC\t50\tPASS\tDP=30\tGT\t1/1\t0/1\t0/1
chr10\t121520100\trs1\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\t0/0
chr10\t121520160\t.\tG\tC,T\t99.5\tPASS\tDP=12;AF=0.5,0.01\tGT\t0/1\t0/0\t0/0
";

fn write_input(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn annotate(input: &Path, c: Compression) -> (Vec<u8>, VcfSummary) {
    let mut out = Vec::new();
    let s = annotate_vcf(input, &full_report(), &mut out, c).unwrap();
    (out, s)
}

fn records(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with('#')).collect()
}

#[test]
fn annotates_matching_alleles_and_copies_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "in.vcf", &format!("{HEADER}{RECORDS}"));
    let (out, s) = annotate(&input, Compression::None);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        s,
        VcfSummary {
            records: 3,
            annotated: 2,
            unmatched: vec![]
        }
    );
    let recs = records(&text);
    let input_recs = records(RECORDS);
    // hand-written expectations: gene rank | symbol | score to 4 decimals | modes joined by &
    assert_eq!(
        recs[0],
        "chr8\t38410999\t.\tTCA\tTC\t50\tPASS\tDP=30;ODYSSEY=2|FGFR1|1.2500|AR\tGT\t1/1\t0/1\t0/1"
    );
    assert_eq!(
        recs[1], input_recs[1],
        "an unmatched record is copied byte for byte"
    );
    assert_eq!(recs[2], "chr10\t121520160\t.\tG\tC,T\t99.5\tPASS\tDP=12;AF=0.5,0.01;ODYSSEY=1|FGFR2|4.5000|AD&de_novo;ODYSSEY_ALT=1\tGT\t0/1\t0/0\t0/0");
    // header: the input's lines, then ours, then #CHROM
    let header: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(&header[..6], &HEADER.lines().collect::<Vec<_>>()[..6]);
    assert!(header[6].starts_with("##INFO=<ID=ODYSSEY,Number=.,Type=String,Description=\"Odyssey candidate gene of this allele: rank|gene|score|mode"));
    assert!(header[7].starts_with("##INFO=<ID=ODYSSEY_ALT,Number=.,Type=Integer,"));
    assert_eq!(header[8], "##odysseyVersion=0.1.0");
    assert!(header.last().unwrap().starts_with("#CHROM"));
    // noodles reads the result and parses the new field with its declared type
    let mut reader = vcf::io::Reader::new(text.as_bytes());
    let h = reader.read_header().unwrap();
    let rec = reader.records().nth(2).unwrap().unwrap();
    let info = rec.info();
    let v = info.get(&h, "ODYSSEY").unwrap().unwrap().unwrap();
    assert!(matches!(
        v,
        vcf::variant::record::info::field::Value::Array(_)
    ));
}

/// The `##odyssey...` header lines of a VCF text.
fn own_header(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with("##odyssey"))
        .collect()
}

#[test]
fn header_records_version_knowledge_base_inputs_and_warnings() {
    // the provenance of common::provenance("lr"), written out by hand
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "in.vcf", &format!("{HEADER}{RECORDS}"));
    let (out, _) = annotate(&input, Compression::None);
    let text = String::from_utf8(out).unwrap();
    let want = [
        "##odysseyVersion=0.1.0",
        "##odysseyMethod=lr",
        "##odysseyKnowledgeBase=hpo_release=2025-01-16 annotations_release=2025-01-16 source=embedded checksum=0123456789abcdef",
        "##odysseyCase=SYNTHETIC-trio",
        "##odysseyCreated=2026-11-29T20:13:40Z",
        "##odysseyInput=phenopacket=cases/demo.json xxh3=aaaaaaaaaaaaaaaa",
        "##odysseyInput=vcf=cases/demo.vcf.gz",
        "##odysseyWarning=no population frequency source (--sources): common variants are not removed and genotype evidence is weak; configure gnomAD, see docs/sources.md",
        "##odysseyWarning=pedigree: \"DAD\" has unknown sex; taken as Male",
    ];
    assert_eq!(own_header(&text), want);
    // noodles reads the repeated unstructured lines
    let mut reader = vcf::io::Reader::new(text.as_bytes());
    reader.read_header().unwrap();

    // a knowledge base with its own calibration names it, after the knowledge base line
    let mut report = full_report();
    report.odyssey.knowledge_base.calibration = Some(odyssey_report::KbCalibration {
        temperature: 7.0,
        term_decay: 0.7,
        pretest_unknown: 0.0,
        rank_mixture: 0.15,
        rank_prior: 0.5,
        fitted: "fitted\nfor a test".into(),
    });
    let mut out = Vec::new();
    annotate_vcf(&input, &report, &mut out, Compression::None).unwrap();
    let text = String::from_utf8(out).unwrap();
    let h = own_header(&text);
    assert_eq!(h[2], want[2]);
    assert_eq!(
        h[3],
        "##odysseyCalibration=theta=7 kappa=0.7 p_u=0 epsilon=0.15 c=0.5 (fitted for a test)"
    );
    assert_eq!(&h[4..], &want[3..]);
}

#[test]
fn chromosome_names_with_or_without_chr_match() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{HEADER}{RECORDS}")
        .replace("chr8", "8")
        .replace("chr10", "10");
    let input = write_input(dir.path(), "in.vcf", &text);
    let (_, s) = annotate(&input, Compression::None);
    assert_eq!((s.records, s.annotated), (3, 2));
}

#[test]
fn reports_variants_missing_from_the_vcf() {
    let dir = tempfile::tempdir().unwrap();
    let only_second = RECORDS.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n";
    let input = write_input(dir.path(), "in.vcf", &format!("{HEADER}{only_second}"));
    let (_, s) = annotate(&input, Compression::None);
    assert_eq!(s.annotated, 1);
    assert_eq!(s.unmatched, vec!["chr8:38411000:CA:C FGFR1".to_string()]);
}

#[test]
fn reannotating_replaces_earlier_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "in.vcf", &format!("{HEADER}{RECORDS}"));
    let (once, _) = annotate(&input, Compression::None);
    let again = write_input(dir.path(), "again.vcf", std::str::from_utf8(&once).unwrap());
    let (twice, s) = annotate(&again, Compression::None);
    assert_eq!(
        String::from_utf8(twice).unwrap(),
        String::from_utf8(once.clone()).unwrap()
    );
    assert_eq!(s.annotated, 2);
    // a stale value on a record that is no longer a candidate is removed
    let stale = std::str::from_utf8(&once).unwrap().replace(
        "rs1\tA\tG\t.\tPASS\t.",
        "rs1\tA\tG\t.\tPASS\tODYSSEY=9|OLD|0.1|AD",
    );
    let stale = write_input(dir.path(), "stale.vcf", &stale);
    let (out, _) = annotate(&stale, Compression::None);
    assert_eq!(
        records(std::str::from_utf8(&out).unwrap())[1],
        records(RECORDS)[1]
    );
}

#[test]
fn bgzf_output_is_gzip_readable_and_indexable() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), "in.vcf", &format!("{HEADER}{RECORDS}"));
    let (plain, _) = annotate(&input, Compression::None);
    let (gz, _) = annotate(&input, Compression::Bgzf);
    // BGZF is gzip: it decompresses to the plain output, and ends with the BGZF EOF block
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .unwrap();
    assert_eq!(text, plain);
    assert!(gz.ends_with(&[
        0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1b, 0, 0x03,
        0, 0, 0, 0, 0, 0, 0, 0, 0
    ]));
    // tabix index, then a region query finds the annotated record
    let out = dir.path().join("out.vcf.gz");
    std::fs::write(&out, &gz).unwrap();
    let index = index_bgzf_vcf(&out).unwrap();
    assert_eq!(index.extension(), "tbi");
    let tbi = index_path(&out, &index);
    assert_eq!(tbi, dir.path().join("out.vcf.gz.tbi"));
    index.write(std::fs::File::create(&tbi).unwrap()).unwrap();
    let mut reader = vcf::io::indexed_reader::Builder::default()
        .build_from_path(&out)
        .unwrap();
    let header = reader.read_header().unwrap();
    let region = "chr10:121520160-121520160".parse().unwrap();
    let hits: Vec<vcf::Record> = reader
        .query(&header, &region)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(hits.len(), 1);
    assert!(hits[0]
        .info()
        .as_ref()
        .contains("ODYSSEY=1|FGFR2|4.5000|AD&de_novo"));
    // gzip (and BGZF) input is read too
    let gz_in = dir.path().join("in2.vcf.gz");
    std::fs::write(&gz_in, &gz).unwrap();
    let (again, s) = annotate(&gz_in, Compression::None);
    assert_eq!((again, s.annotated), (plain, 2));
}

#[test]
fn unsorted_input_cannot_be_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let swapped: Vec<&str> = RECORDS.lines().collect();
    let text = format!("{HEADER}{}\n{}\n{}\n", swapped[2], swapped[1], swapped[0]);
    let input = write_input(dir.path(), "in.vcf", &text);
    let (gz, _) = annotate(&input, Compression::Bgzf);
    let out = dir.path().join("out.vcf.gz");
    std::fs::write(&out, &gz).unwrap();
    let e = index_bgzf_vcf(&out)
        .err()
        .expect("unsorted records")
        .to_string();
    assert!(e.contains("out.vcf.gz") && e.contains("sorted"), "{e}");
}

#[test]
fn bcf_input() {
    let dir = tempfile::tempdir().unwrap();
    let vcf_in = write_input(dir.path(), "in.vcf", &format!("{HEADER}{RECORDS}"));
    // write the same records as BCF with noodles
    let bcf_path = dir.path().join("in.bcf");
    {
        let mut reader = vcf::io::Reader::new(
            std::fs::File::open(&vcf_in)
                .map(std::io::BufReader::new)
                .unwrap(),
        );
        let header = reader.read_header().unwrap();
        let mut writer = noodles::bcf::io::Writer::new(std::fs::File::create(&bcf_path).unwrap());
        writer.write_header(&header).unwrap();
        for r in reader.record_bufs(&header) {
            use noodles::vcf::variant::io::Write as _;
            writer.write_variant_record(&header, &r.unwrap()).unwrap();
        }
        writer.try_finish().unwrap();
    }
    let (from_vcf, _) = annotate(&vcf_in, Compression::None);
    let (from_bcf, s) = annotate(&bcf_path, Compression::None);
    assert_eq!((s.records, s.annotated), (3, 2));
    let a = String::from_utf8(from_vcf).unwrap();
    let b = String::from_utf8(from_bcf).unwrap();
    assert_eq!(records(&b), records(&a));
    assert!(b.contains("##INFO=<ID=ODYSSEY,Number=.,Type=String,"));
    // the same provenance lines, through noodles' header writer
    assert_eq!(own_header(&b), own_header(&a));
}

#[test]
fn malformed_input_is_reported_with_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let r = full_report();
    let run = |name: &str, text: &str| {
        let p = write_input(dir.path(), name, text);
        annotate_vcf(&p, &r, Vec::new(), Compression::None)
            .unwrap_err()
            .to_string()
    };
    let e = run(
        "short.vcf",
        &format!("{HEADER}chr1\t5\t.\tA\tG\t.\tPASS\t.\nchr1\t6\t.\tA\n"),
    );
    assert!(
        e.contains("short.vcf: record 2: line 9: expected at least 8"),
        "{e}"
    );
    let e = run(
        "pos.vcf",
        &format!("{HEADER}chr1\tfive\t.\tA\tG\t.\tPASS\t.\n"),
    );
    assert!(e.contains("pos.vcf: record 1: line 8: POS \"five\""), "{e}");
    let e = run("nohead.vcf", "chr1\t5\t.\tA\tG\t.\tPASS\t.\n");
    assert!(
        e.contains("nohead.vcf") && e.contains("##fileformat"),
        "{e}"
    );
    let e = run("trunc.vcf", "##fileformat=VCFv4.2\n");
    assert!(e.contains("trunc.vcf") && e.contains("#CHROM"), "{e}");
    let e = annotate_vcf(
        &dir.path().join("missing.vcf"),
        &r,
        Vec::new(),
        Compression::None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("missing.vcf"), "{e}");
}

/// The VCF written by a real `odyssey analyze --format vcf.gz,json` run carries every candidate
/// variant that passed the filters, and its index finds them; run by
/// `scripts/check-report-in-chromium.sh` with ODYSSEY_REPORT_VCF and ODYSSEY_REPORT_JSON.
#[test]
#[ignore]
fn real_output_vcf() {
    let (Ok(v), Ok(j)) = (
        std::env::var("ODYSSEY_REPORT_VCF"),
        std::env::var("ODYSSEY_REPORT_JSON"),
    ) else {
        eprintln!("ODYSSEY_REPORT_VCF / ODYSSEY_REPORT_JSON not set; skipping");
        return;
    };
    let report: odyssey_report::AnalysisReport =
        serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    let mut reader = vcf::io::indexed_reader::Builder::default()
        .build_from_path(&v)
        .unwrap();
    let header = reader.read_header().unwrap();
    let mut n = 0;
    for g in &report.genes {
        for var in g.variants.iter().filter(|x| x.filter == "PASS") {
            let region = format!("{}:{}-{}", var.chrom, var.pos, var.pos)
                .parse()
                .unwrap();
            let hits: Vec<vcf::Record> = reader
                .query(&header, &region)
                .unwrap()
                .records()
                .map(|r| r.unwrap())
                .collect();
            let want = format!("{}|{}|{:.4}|", g.rank, g.symbol, g.score);
            assert!(
                hits.iter().any(|h| h.info().as_ref().contains(&want)),
                "{v}: no ODYSSEY={want}… at {}:{}",
                var.chrom,
                var.pos
            );
            n += 1;
        }
    }
    assert!(n > 0, "the report has no candidate variants");
    eprintln!("{v}: all {n} candidate variants annotated and indexed");
}
