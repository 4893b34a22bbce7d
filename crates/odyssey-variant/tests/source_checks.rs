//! Source files that contradict the analysis or themselves (issue 13): `##contig` lengths of
//! the other assembly, two records of one variant with different frequencies, and a tabix
//! index that no longer matches its file. Each case is checked both ways: the bad file is
//! refused with a message naming file and line, the corrected file is read.

use std::io::Write;
use std::path::Path;

use odyssey_genome::{Assembly, Chrom, VariantKey};
use odyssey_variant::sources::config::parse_sources_toml;
use odyssey_variant::sources::{build_store, ResolvedSource, SourceSet};

/// chr1 lengths from the NCBI assembly reports (GRCh37.p13 and GRCh38.p13).
const CHR1_GRCH37: u64 = 249_250_621;
const CHR1_GRCH38: u64 = 248_956_422;

fn header(chr1_len: u64) -> String {
    format!(
        "##fileformat=VCFv4.2\n##contig=<ID=1,length={chr1_len}>\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    )
}

fn sources(dir: &Path, toml: &str) -> Vec<ResolvedSource> {
    parse_sources_toml(toml, &dir.join("sources.toml"))
        .unwrap()
        .1
}

fn freq_toml(file: &str, extra: &str) -> String {
    format!("{extra}[[source]]\nname='g'\nrole='frequency'\npath='{file}'\n")
}

fn k(pos: u32, r: &str, a: &str) -> VariantKey {
    VariantKey::new(Chrom::autosome(1).unwrap(), pos, r, a).unwrap()
}

fn open_err(srcs: &[ResolvedSource], a: Assembly) -> String {
    match SourceSet::open(srcs, a) {
        Ok(_) => panic!("opened"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn contig_lengths_of_the_other_assembly_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let rec = "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n";
    std::fs::write(d.path().join("b37.vcf"), header(CHR1_GRCH37) + rec).unwrap();
    std::fs::write(d.path().join("b38.vcf"), header(CHR1_GRCH38) + rec).unwrap();
    // a GRCh37 source in a GRCh38 analysis: file, line 2 and the contig named
    let bad = sources(d.path(), &freq_toml("b37.vcf", ""));
    let e = open_err(&bad, Assembly::GRCh38);
    assert!(e.contains("b37.vcf"), "{e}");
    assert!(
        e.contains("line 2: source \"g\": ##contig 1 has length 249250621, which is GRCh37's (expected 248956422 for GRCh38)"),
        "{e}"
    );
    // the same file in a GRCh37 analysis, and the GRCh38 file in a GRCh38 analysis, are read
    for (file, asm) in [("b37.vcf", Assembly::GRCh37), ("b38.vcf", Assembly::GRCh38)] {
        let s = sources(d.path(), &freq_toml(file, ""));
        let mut set = SourceSet::open(&s, asm).unwrap();
        assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
    }
    // sources build: a declared assembly the lengths contradict is refused ...
    let out = d.path().join("g.ostore");
    let declared = sources(d.path(), &freq_toml("b37.vcf", "assembly = 'GRCh38'\n"));
    let e = build_store(&declared[0], &out).unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("GRCh37's"), "{e}");
    assert!(!out.exists());
    // ... and without a declared assembly the store records the one the lengths show, so
    // a GRCh38 analysis refuses it while a GRCh37 one reads it
    build_store(&bad[0], &out).unwrap();
    let store = sources(
        d.path(),
        "[[source]]\nname='g'\nrole='frequency'\npath='g.ostore'\n",
    );
    let e = open_err(&store, Assembly::GRCh38);
    assert!(e.contains("built from a GRCh37 source"), "{e}");
    let mut set = SourceSet::open(&store, Assembly::GRCh37).unwrap();
    assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
}

/// A chromosome 1 length of neither GRCh37 nor GRCh38 (a T2T-CHM13 header) is a warning
/// naming the file, the line and the contig, in `analyze` and in `sources build`; the
/// source is still read.
#[test]
fn contig_lengths_of_neither_assembly_are_a_warning() {
    let d = tempfile::tempdir().unwrap();
    // T2T-CHM13v2.0 chromosome 1 (NCBI GCF_009914755.1)
    let chm13 = 248_387_328;
    let text = header(chm13).replacen(
        "##INFO",
        "##contig=<ID=2,length=242696752>\n##contig=<ID=MT,length=16569>\n##INFO",
        1,
    ) + "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n";
    std::fs::write(d.path().join("t2t.vcf"), text).unwrap();
    let want = format!("t2t.vcf: line 2: source \"g\": ##contig 1 has length {chm13}, which is neither GRCh37's ({CHR1_GRCH37}) nor GRCh38's ({CHR1_GRCH38}) (and 1 more ##contig line likewise)");
    let s = sources(d.path(), &freq_toml("t2t.vcf", ""));
    for asm in [Assembly::GRCh37, Assembly::GRCh38] {
        let mut set = SourceSet::open(&s, asm).unwrap();
        assert_eq!(set.warnings().len(), 1, "{:?}", set.warnings());
        assert!(set.warnings()[0].contains(&want), "{:?}", set.warnings());
        assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
    }
    let out = d.path().join("t2t.ostore");
    for extra in ["", "assembly = 'GRCh38'\n"] {
        let s = sources(d.path(), &freq_toml("t2t.vcf", extra));
        let sum = build_store(&s[0], &out).unwrap();
        assert_eq!(sum.warnings.len(), 1, "{:?}", sum.warnings);
        assert!(sum.warnings[0].contains(&want), "{:?}", sum.warnings);
    }
    // the GRCh38 lengths: no warning
    std::fs::write(
        d.path().join("b38.vcf"),
        header(CHR1_GRCH38) + "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n",
    )
    .unwrap();
    let s = sources(d.path(), &freq_toml("b38.vcf", ""));
    assert!(SourceSet::open(&s, Assembly::GRCh38)
        .unwrap()
        .warnings()
        .is_empty());
}

/// The same checks on a streamed (bgzipped, tabix-indexed) source: a conflicting repeat is
/// refused when the variant is looked up, naming both lines; an identical repeat is read.
#[test]
fn conflicting_duplicates_in_a_streamed_source_name_both_lines() {
    let d = tempfile::tempdir().unwrap();
    let vcf = d.path().join("g.vcf.gz");
    let toml = "[[source]]\nname='g'\nrole='frequency'\npath='g.vcf.gz'\nmode='stream'\n";
    let s = sources(d.path(), toml);
    let write = |body: &str| {
        bgzip(&vcf, &(header(CHR1_GRCH38) + body));
        let _ = std::fs::remove_file(format!("{}.tbi", vcf.display()));
        tabix(&vcf);
    };
    // lines 5-8: 1-90, 1-100 C>T, 1-100 C>G, 1-100 C>T again
    let recs = |af: &str| {
        format!("1\t90\t.\tA\tG\t.\tPASS\tAF=0.5\n1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n1\t100\t.\tC\tG\t.\tPASS\tAF=0.01\n1\t100\t.\tC\tT\t.\tPASS\tAF={af}\n")
    };
    write(&recs("0.25"));
    let mut set = SourceSet::open(&s, Assembly::GRCh38).unwrap();
    assert_eq!(set.annotate(&k(90, "A", "G")).unwrap().max_af, Some(0.5));
    assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
    assert_eq!(set.annotate(&k(100, "C", "G")).unwrap().max_af, Some(0.01));
    write(&recs("0.3"));
    let mut set = SourceSet::open(&s, Assembly::GRCh38).unwrap();
    assert!(set.provenance()[0].access.starts_with("stream"));
    assert_eq!(set.annotate(&k(90, "A", "G")).unwrap().max_af, Some(0.5));
    let e = set.annotate(&k(100, "C", "T")).unwrap_err().to_string();
    let want = "g.vcf.gz: line 8: source \"g\": a second record for 1-100-C-T with different values (af 0.3) than line 6 (af 0.25)";
    assert!(e.contains(want), "{e}");
    // far into a file of many BGZF blocks (about 30 bytes a line, 64 KiB a block): the
    // lines are still counted right; 20,000 records at 1000, 1010, ... then the pair
    let mut body: String = (0..20_000u32)
        .map(|i| format!("1\t{}\t.\tA\tG\t.\tPASS\tAF=0.5\n", 1000 + 10 * i))
        .collect();
    body.push_str("1\t300000\t.\tC\tT\t.\tPASS\tAF=0.25\n1\t300000\t.\tC\tT\t.\tPASS\tAF=0.3\n");
    write(&body);
    let mut set = SourceSet::open(&s, Assembly::GRCh38).unwrap();
    assert_eq!(
        set.annotate(&k(199_990, "A", "G")).unwrap().max_af,
        Some(0.5)
    );
    let e = set.annotate(&k(300_000, "C", "T")).unwrap_err().to_string();
    // 4 header lines, then records 1-20,000 on lines 5-20,004
    let want = "g.vcf.gz: line 20006: source \"g\": a second record for 1-300000-C-T with different values (af 0.3) than line 20005 (af 0.25)";
    assert!(e.contains(want), "{e}");
}

#[test]
fn conflicting_duplicate_frequency_records_name_both_lines() {
    let d = tempfile::tempdir().unwrap();
    // lines 5 and 7 hold 1-100-C-T with AF 0.25 and 0.3 (line 6 is another allele)
    let body = "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n1\t100\t.\tC\tG\t.\tPASS\tAF=0.01\n1\t100\t.\tC\tT\t.\tPASS\tAF=0.3\n";
    std::fs::write(d.path().join("dup.vcf"), header(CHR1_GRCH38) + body).unwrap();
    let want = "dup.vcf: line 7: source \"g\": a second record for 1-100-C-T with different values (af 0.3) than line 5 (af 0.25)";
    let bad = sources(d.path(), &freq_toml("dup.vcf", ""));
    let e = open_err(&bad, Assembly::GRCh38);
    assert!(e.contains(want), "{e}");
    let out = d.path().join("dup.ostore");
    let e = build_store(&bad[0], &out).unwrap_err().to_string();
    assert!(e.contains(want), "{e}");
    assert!(!out.exists());
    // the same record repeated with the same value is accepted by both
    let same = "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n";
    std::fs::write(d.path().join("same.vcf"), header(CHR1_GRCH38) + same).unwrap();
    let ok = sources(d.path(), &freq_toml("same.vcf", ""));
    let mut set = SourceSet::open(&ok, Assembly::GRCh38).unwrap();
    assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
    assert_eq!(build_store(&ok[0], &out).unwrap().records, 1);
    // a score source lists a variant once per transcript: merged to the maximum
    let rows = "chr,hg19_pos,grch38_pos,ref,alt,REVEL\n1,1,100,C,T,0.2\n1,1,100,C,T,0.7\n";
    std::fs::write(d.path().join("revel.csv"), rows).unwrap();
    let revel = sources(
        d.path(),
        "[[source]]\nname='r'\nrole='score'\nscore='revel'\npath='revel.csv'\n",
    );
    let mut set = SourceSet::open(&revel, Assembly::GRCh38).unwrap();
    let ann = set.annotate(&k(100, "C", "T")).unwrap();
    assert_eq!(ann.scores.get("revel"), Some(&0.7));
}

fn bgzip(path: &Path, text: &str) {
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(path).unwrap());
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap();
}

fn tabix(path: &Path) {
    let noodles::vcf::Index::Tabix(index) = noodles::vcf::fs::index(path).unwrap() else {
        panic!("expected a tabix index")
    };
    noodles::tabix::fs::write(format!("{}.tbi", path.display()), &index).unwrap();
}

#[test]
fn a_stale_tabix_index_is_refused_and_an_older_matching_one_is_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let vcf = d.path().join("g.vcf.gz");
    let recs = "1\t100\t.\tC\tT\t.\tPASS\tAF=0.25\n2\t50\t.\tA\tG\t.\tPASS\tAF=0.5\n";
    let toml = "[[source]]\nname='g'\nrole='frequency'\npath='g.vcf.gz'\nmode='stream'\n";
    bgzip(&vcf, &(header(CHR1_GRCH38) + recs));
    tabix(&vcf);
    let s = sources(d.path(), toml);
    let mut set = SourceSet::open(&s, Assembly::GRCh38).unwrap();
    assert!(set.warnings().is_empty(), "{:?}", set.warnings());
    assert_eq!(set.annotate(&k(100, "C", "T")).unwrap().max_af, Some(0.25));
    // the file rewritten after indexing (a longer header moves every record; chromosome 1's
    // first record is no longer where the index says)
    let longer =
        header(CHR1_GRCH38).replacen("##contig", "##source=rewritten-after-indexing\n##contig", 1);
    bgzip(&vcf, &(longer + recs));
    let e = open_err(&s, Assembly::GRCh38);
    assert!(
        e.contains("g.vcf.gz.tbi: file: the index does not match")
            && e.contains("sequence \"1\" points to a line that is not one of its records")
            && e.contains("rebuild it"),
        "{e}"
    );
    // re-indexed: read again; then the index made older than the file: a warning only
    tabix(&vcf);
    let tbi = std::fs::File::options()
        .write(true)
        .open(format!("{}.tbi", vcf.display()))
        .unwrap();
    let earlier =
        std::fs::metadata(&vcf).unwrap().modified().unwrap() - std::time::Duration::from_secs(3600);
    tbi.set_modified(earlier).unwrap();
    let mut set = SourceSet::open(&s, Assembly::GRCh38).unwrap();
    assert_eq!(set.warnings().len(), 1, "{:?}", set.warnings());
    assert!(set.warnings()[0].contains("g.vcf.gz.tbi is older than"));
    assert_eq!(
        set.annotate(&VariantKey::new(Chrom::autosome(2).unwrap(), 50, "A", "G").unwrap())
            .unwrap()
            .max_af,
        Some(0.5)
    );
}
