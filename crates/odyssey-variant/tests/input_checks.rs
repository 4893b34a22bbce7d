//! Input checks from a fresh-user test: truncated BGZF files and unterminated last lines,
//! parents who are VCF samples without a PED row, malformed REF/ALT, contigs outside the
//! assembly, header messages, and missing source files. Each test writes its own inputs
//! (the family test reads the committed `examples/family`).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use noodles::bgzf;
use odyssey_genome::{Assembly, Consequence};
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis};
use odyssey_variant::filter::FilterReason as R;
use odyssey_variant::inheritance::{ModeOfInheritance, Pattern};
use odyssey_variant::pedigree::{Affection, Pedigree, Sex};
use odyssey_variant::sources::config::parse_sources_toml;

fn err(samples: &[&str], records: &[String]) -> String {
    let f = fixture(samples, records, None);
    analyze(&config(&f)).unwrap_err().to_string()
}

fn vcf_text(records: &[String]) -> String {
    let mut t = HEADER.to_string();
    t.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\n");
    for r in records {
        t.push_str(r);
    }
    t
}

fn analyze_file(path: &Path) -> GenotypeAnalysis {
    let mut c = AnalysisConfig::new(path, AnnotationChoice::Annotator(Arc::new(annotator())));
    c.threads = 1;
    analyze(&c).unwrap()
}

fn eof_warnings(a: &GenotypeAnalysis) -> Vec<&String> {
    a.warnings
        .iter()
        .filter(|w| w.contains("BGZF end-of-file") || w.contains("newline"))
        .collect()
}

#[test]
fn bgzf_without_end_of_file_marker_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let recs: Vec<String> = (0..3)
        .map(|i| rec("chr1", 1500 + i, "A", "G", &["0/1"]))
        .collect();
    let whole = dir.path().join("whole.vcf.gz");
    let mut w = bgzf::io::Writer::new(std::fs::File::create(&whole).unwrap());
    w.write_all(vcf_text(&recs).as_bytes()).unwrap();
    w.finish().unwrap();
    let bytes = std::fs::read(&whole).unwrap();
    // the writer ends the file with the 28-byte marker of SAM/BAM spec §4.1.2
    assert_eq!(bytes[bytes.len() - 28..], odyssey_variant::input::BGZF_EOF);
    let a = analyze_file(&whole);
    assert!(eof_warnings(&a).is_empty(), "{:?}", a.warnings);
    // cut cleanly at the block boundary before the marker: reads without error
    let cut = dir.path().join("cut.vcf.gz");
    std::fs::write(&cut, &bytes[..bytes.len() - 28]).unwrap();
    let a = analyze_file(&cut);
    assert_eq!(a.filters.records, 3);
    assert_eq!(
        eof_warnings(&a),
        [&format!("{}: no BGZF end-of-file marker: the file may be truncated (records after the last complete block would be missing)", cut.display())]
    );
    // blocks that end at line ends (as bgzip writes when lines fit): a file cut before its
    // last data block reads without any parse error and loses records; only the warning
    // tells
    let big = dir.path().join("big.vcf.gz");
    let mut w = bgzf::io::Writer::new(std::fs::File::create(&big).unwrap());
    w.write_all(vcf_text(&[]).as_bytes()).unwrap();
    w.flush().unwrap();
    let mut block_ends = Vec::new();
    for chunk in 0..3u32 {
        let recs: Vec<String> = (0..100)
            .map(|i| rec("chr1", 1000 + chunk * 100 + i, "A", "G", &["0/1"]))
            .collect();
        w.write_all(recs.concat().as_bytes()).unwrap();
        w.flush().unwrap();
        block_ends.push(w.get_ref().metadata().unwrap().len());
    }
    w.finish().unwrap();
    assert_eq!(analyze_file(&big).filters.records, 300);
    let bytes = std::fs::read(&big).unwrap();
    let cut = dir.path().join("cut_big.vcf.gz");
    std::fs::write(&cut, &bytes[..block_ends[1] as usize]).unwrap();
    let a = analyze_file(&cut);
    assert_eq!(a.filters.records, 200);
    assert!(
        eof_warnings(&a)
            .iter()
            .any(|w| w.contains("no BGZF end-of-file marker")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn bcf_without_end_of_file_marker_is_warned() {
    use noodles::vcf::variant::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let text = vcf_text(&[rec("chr1", 1500, "A", "G", &["0/1"])]);
    let mut reader = noodles::vcf::io::Reader::new(text.as_bytes());
    let header = reader.read_header().unwrap();
    let bcf = dir.path().join("a.bcf");
    let mut w = noodles::bcf::io::Writer::new(std::fs::File::create(&bcf).unwrap());
    w.write_header(&header).unwrap();
    for r in reader.records() {
        w.write_variant_record(&header, &r.unwrap()).unwrap();
    }
    w.try_finish().unwrap();
    drop(w);
    let bytes = std::fs::read(&bcf).unwrap();
    assert!(eof_warnings(&analyze_file(&bcf)).is_empty());
    let cut = dir.path().join("cut.bcf");
    std::fs::write(&cut, &bytes[..bytes.len() - 28]).unwrap();
    let a = analyze_file(&cut);
    assert_eq!(a.filters.records, 1);
    assert!(eof_warnings(&a)[0].starts_with(&format!(
        "{}: no BGZF end-of-file marker: the file may be truncated",
        cut.display()
    )));
}

#[test]
fn plain_vcf_without_final_newline_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/1"]),
        rec("chr1", 1600, "C", "T", &["0/1"]),
    ];
    let text = vcf_text(&recs);
    let p = dir.path().join("whole.vcf");
    std::fs::write(&p, &text).unwrap();
    assert!(eof_warnings(&analyze_file(&p)).is_empty());
    // a trailing blank line is fine too
    std::fs::write(&p, format!("{text}\n")).unwrap();
    assert!(eof_warnings(&analyze_file(&p)).is_empty());
    // cut inside the last record's sample column ("0/1:15,15:30:99" -> "0/1:15,1")
    let cut = dir.path().join("cut.vcf");
    std::fs::write(&cut, &text[..text.len() - 8]).unwrap();
    let a = analyze_file(&cut);
    assert_eq!(
        eof_warnings(&a),
        [&format!(
            "{}: line 17: the file does not end with a newline: the last record may be truncated",
            cut.display()
        )]
    );
}

#[test]
fn malformed_ref_and_alt_are_errors_naming_the_line() {
    let e = err(
        &["kid"],
        &[
            rec("chr1", 1400, "A", "G", &["0/1"]),
            rec("chr1", 1500, "N?", "G", &["0/1"]),
        ],
    );
    assert!(
        e.ends_with("fam.vcf: line 17: REF \"N?\" is not a sequence of reference bases: expected one or more of A, C, G, T, N (write IUPAC ambiguity codes as N)"),
        "{e}"
    );
    let e = err(&["kid"], &[rec("chr1", 1500, "A", "G,T?", &["0/1"])]);
    assert!(
        e.ends_with("fam.vcf: line 16: ALT allele \"T?\" (column \"G,T?\") is not valid: expected a sequence of A, C, G, T, N, a symbolic allele like <DEL>, a breakend, '*', or '.' for no ALT"),
        "{e}"
    );
    assert!(err(&["kid"], &[rec("chr1", 1500, "AC", "-", &["0/1"])])
        .contains("line 16: ALT allele \"-\""));
    assert!(
        err(&["kid"], &[rec("chr1", 1500, "AC", "<DEL", &["0/1"])]).contains("ALT allele \"<DEL\"")
    );
    // also on contigs that are skipped
    assert!(err(
        &["kid"],
        &[rec("chrUn_KI270302v1", 100, "R", "G", &["0/1"])]
    )
    .contains("line 16: REF \"R\""));
    // '*' and a symbolic allele without END or SVLEN are counted as unsupported; breakends
    // are structural events (docs/structural-variants.md), removed here as no_gene because
    // the test annotator places no structural events; lowercase bases are valid
    let recs = [
        rec("chr1", 1500, "A", "<DEL>", &["0/1"]),
        rec("chr1", 1510, "A", "*,G", &["1/2:0,15,15:30:99"]),
        rec("chr1", 1520, "A", "A]chr1:5000]", &["0/1"]),
        rec("chr1", 1530, "A", "A.", &["0/1"]),
        rec("chr1", 1540, "a", "g", &["0/1"]),
    ];
    let a = run(&fixture(&["kid"], &recs, None));
    assert_eq!(
        (
            a.filters.alleles,
            a.filters.removed[&R::UnsupportedAllele],
            a.filters.removed[&R::NoGene],
            a.filters.passed
        ),
        (6, 2, 2, 2)
    );
}

#[test]
fn contigs_outside_the_assembly_are_counted_and_stated() {
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/1"]),
        rec("23", 100, "A", "G", &["0/1"]),
        rec("23", 200, "C", "T", &["0/1"]),
        rec("chrUn_KI270302v1", 100, "A", "G", &["0/1"]),
    ];
    let f = fixture(&["kid"], &recs, None);
    let a = run(&f);
    assert_eq!(a.filters.removed[&R::NonPrimaryContig], 3);
    let w: Vec<&String> = a
        .warnings
        .iter()
        .filter(|w| w.contains("outside the primary"))
        .collect();
    assert_eq!(
        w,
        [&format!(
            "{}: 3 record(s) on contigs outside the primary GRCh38 assembly (1-22, X, Y, MT) were skipped: 23 (2 records, first at line 17), chrUn_KI270302v1 (line 19); PLINK numbers X, Y, XY and MT as 23, 24, 25 and 26: rename these contigs (e.g. bcftools annotate --rename-chrs) to analyse them",
            f.vcf.display()
        )]
    );
    // primary chromosomes only: no such warning
    let a = run(&fixture(&["kid"], &recs[..1], None));
    assert!(
        !a.warnings.iter().any(|w| w.contains("outside the primary")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn header_messages_say_what_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let spaced = vcf_text(&[]).replace(
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid",
        "#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT kid",
    );
    let p = dir.path().join("spaced.vcf");
    std::fs::write(&p, spaced).unwrap();
    let mut c = AnalysisConfig::new(&p, AnnotationChoice::Annotator(Arc::new(annotator())));
    c.threads = 1;
    let e = analyze(&c).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: line 15: the '#CHROM' header line has 1 tab-separated column(s) but 10 words: columns must be separated by tabs, not spaces",
            p.display()
        )
    );
    // no ##fileformat line (noodles said "invalid record: missing prefix")
    let p = dir.path().join("nofmt.vcf");
    std::fs::write(
        &p,
        vcf_text(&[rec("chr1", 1500, "A", "G", &["0/1"])]).replace("##fileformat=VCFv4.2\n", ""),
    )
    .unwrap();
    c.vcf = p.clone();
    let e = analyze(&c).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: line 1: the first line must be '##fileformat=VCFv4.x' (e.g. ##fileformat=VCFv4.2), found \"##contig=<ID=chr1,length=248956422>\"",
            p.display()
        )
    );
    let p = dir.path().join("nohead.vcf");
    std::fs::write(&p, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n").unwrap();
    c.vcf = p.clone();
    assert!(analyze(&c)
        .unwrap_err()
        .to_string()
        .contains("line 1: the first line must be '##fileformat=VCFv4.x'"));
}

#[test]
fn missing_source_file_names_the_toml_and_the_source() {
    let f = fixture(&["kid"], &[rec("chr1", 1500, "A", "G", &["0/1"])], None);
    let toml = f.dir.path().join("sources.toml");
    // (an in-house frequency file of its own: DP values are no frequencies since issue 13)
    std::fs::write(
        f.dir.path().join("inhouse.vcf"),
        "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t1500\t.\tA\tG\t.\tPASS\tAF=0.1\n",
    )
    .unwrap();
    let text = "[[source]]\nname='inhouse'\nrole='local_frequency'\npath='inhouse.vcf'\n\n[[source]]\nname='gnomad'\nrole='frequency'\npath='nope.vcf.gz'\n";
    let (_, sources) = parse_sources_toml(text, &toml).unwrap();
    let mut c = config(&f);
    c.sources = sources;
    let e = analyze(&c).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: [[source]] #2 \"gnomad\": file {} not found (relative paths are read from the directory of {})",
            toml.display(),
            f.dir.path().join("nope.vcf.gz").display(),
            toml.display()
        )
    );
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/family")
        .join(name)
}

/// examples/family with the given PED text, MLC1 (GRCh37 chr22:50,497,820-50,524,358)
/// annotated as frameshift, and the example's 1000 Genomes frequency source.
fn run_family(ped_text: &str) -> (tempfile::TempDir, PathBuf, GenotypeAnalysis) {
    let dir = tempfile::tempdir().unwrap();
    let ped = dir.path().join("family.ped");
    std::fs::write(&ped, ped_text).unwrap();
    let mlc1 = TableAnnotator {
        genes: vec![(
            chr(22),
            50_497_820,
            50_524_358,
            "MLC1",
            Consequence::FrameshiftVariant,
        )],
        overrides: Default::default(),
    };
    let mut c = AnalysisConfig::new(
        example("family.vcf.gz"),
        AnnotationChoice::Annotator(Arc::new(mlc1)),
    );
    c.assembly = Some(Assembly::GRCh37);
    c.threads = 1;
    c.sources = odyssey_variant::sources::read_sources_toml(&example("sources.toml"))
        .unwrap()
        .1;
    c.pedigree = Some(Pedigree::from_ped_file(&ped).unwrap());
    let a = analyze(&c).unwrap();
    (dir, ped, a)
}

#[test]
fn parent_without_ped_row_who_is_a_vcf_sample_is_sequenced_with_unknown_status() {
    let full = std::fs::read_to_string(example("family.ped")).unwrap();
    let no_mother: String = full
        .lines()
        .filter(|l| !l.starts_with("FAM1\tHG00097"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(no_mother.lines().count(), full.lines().count() - 1);
    let (_d, ped, a) = run_family(&no_mother);
    let w: Vec<&String> = a
        .warnings
        .iter()
        .filter(|w| w.contains("HG00097"))
        .collect();
    assert_eq!(w, [&format!("mother HG00097 has no row in {}; added from the VCF sample with unknown affection status", ped.display())]);
    let mother = a.family.iter().find(|m| m.id == "HG00097").unwrap();
    assert_eq!(
        (mother.sex, mother.affection, mother.sequenced),
        (Sex::Female, Affection::Unknown, true)
    );
    assert_eq!(a.family_structure, "trio");
    let (_d, _, full_a) = run_family(&full);
    for x in [&a, &full_a] {
        let g = x.genes.iter().find(|g| g.symbol == "MLC1").unwrap();
        // the spiked frameshifts: 50512732 from the mother, 50518416 from the father
        let ar = g
            .modes_of_inheritance
            .iter()
            .find(|m| m.mode == ModeOfInheritance::AutosomalRecessive)
            .unwrap();
        assert_eq!(ar.pattern, Some(Pattern::AutosomalRecessiveCompoundHet));
        let pos: Vec<u32> = ar.variants.iter().map(|&i| g.variants[i].pos).collect();
        assert_eq!(pos, [50_512_732, 50_518_416]);
        // each sequenced parent carries exactly one of the pair: confirmed in trans (× 4.33,
        // the odds of one moderate ACMG/AMP criterion, PM3)
        assert!(
            (ar.lr - lr(2.0, 2.0, 0.1) * 4.33).abs() < 1e-9,
            "{}",
            ar.explanation
        );
        assert!(ar.explanation.contains("confirmed in trans 4.33"));
        assert_eq!(g.best_mode, Some(ModeOfInheritance::AutosomalRecessive));
    }
    // unknown affection is neither affected nor unaffected: the mother carrying the
    // maternal frameshift no longer rules out AD (as an unaffected carrier did) and adds no
    // co-segregation factor (an affected carrier parent would give ×2)
    let ad_of = |x: &GenotypeAnalysis| -> (bool, f64, f64) {
        let g = x.genes.iter().find(|g| g.symbol == "MLC1").unwrap();
        let ad = g
            .modes_of_inheritance
            .iter()
            .find(|m| m.mode == ModeOfInheritance::AutosomalDominant)
            .unwrap();
        (ad.compatible, ad.segregation_factor, ad.lr)
    };
    let (ok, seg, l) = ad_of(&full_a);
    assert!(
        !ok && seg == 1.0 && (l - lr(0.0, 1.0, 0.1)).abs() < 1e-9,
        "{ok} {seg} {l}"
    );
    let (ok, seg, l) = ad_of(&a);
    assert!(
        ok && seg == 1.0 && (l - lr(1.0, 1.0, 0.1)).abs() < 1e-9,
        "{ok} {seg} {l}"
    );
}
