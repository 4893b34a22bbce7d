//! Regression tests for problems found in QA: positions beyond 32 bits, genotypes outside the
//! record, malformed columns, misspelt source keys, filters that leave nothing, and
//! `--explain` queries that match nothing. Each test writes its own small inputs.

mod common;

use std::collections::BTreeSet;

use common::*;
use odyssey_variant::analysis::analyze;
use odyssey_variant::filter::{FilterReason as R, Regions};
use odyssey_variant::sources::config::parse_sources_toml;

const NO_FREQ: &str = "no population frequency source (--sources): common variants are not removed and genotype evidence is weak; configure gnomAD, see docs/sources.md";

fn err(samples: &[&str], records: &[String]) -> String {
    let f = fixture(samples, records, None);
    let mut c = config(&f);
    c.proband = Some(samples[0].to_string());
    analyze(&c).unwrap_err().to_string()
}

/// A record line with a raw POS string.
fn raw(chrom: &str, pos: &str, sample: &str) -> String {
    format!(
        "{chrom}\t{pos}\t.\tA\tG\t50\tPASS\t.\tGT:AD:DP:GQ\t{}\n",
        g(sample)
    )
}

#[test]
fn positions_that_do_not_fit_are_errors_quoting_the_vcf() {
    // 4345480028 = 2^32 + 50512732: used to wrap to 50512732 silently
    let e = err(&["kid"], &[raw("chr1", "4345480028", "0/1")]);
    assert!(e.contains("fam.vcf: line 16: POS 4345480028 is too large: positions above 4294967295 are not supported"), "{e}");
    let e = err(&["kid"], &[raw("chr1", "999999999999", "0/1")]);
    assert!(e.contains("line 16: POS 999999999999 is too large"), "{e}");
    // also on contigs Odyssey otherwise skips, and on records it does not analyse
    let e = err(
        &["kid"],
        &[
            raw("chr1", "1500", "0/1"),
            raw("chrUn_KI270302v1", "4294967296", "0/1"),
        ],
    );
    assert!(e.contains("line 17: POS 4294967296 is too large"), "{e}");
    // the largest 32-bit value parses, then lies beyond chr1 (GRCh38 248,956,422 bp)
    let e = err(&["kid"], &[raw("chr1", "4294967295", "0/1")]);
    assert!(e.contains("line 16: position chr1:4294967295 is beyond the end of chromosome 1 in GRCh38 (248956422 bp)"), "{e}");
    let e = err(&["kid"], &[raw("chr1", "248956423", "0/0")]);
    assert!(
        e.contains("position chr1:248956423 is beyond the end"),
        "{e}"
    );
    let f = fixture(&["kid"], &[raw("chr1", "248956422", "0/0")], None);
    assert!(analyze(&config(&f)).is_ok());
    // negative or decimal positions say what was expected
    let e = err(&["kid"], &[raw("chr1", "-5", "0/1")]);
    assert!(
        e.contains("line 16: POS \"-5\" is not a position: expected a whole number from 1 to 4294967295 (0 for a telomere), without sign or decimals"),
        "{e}"
    );
    assert!(err(&["kid"], &[raw("chr1", "1e3", "0/1")]).contains("POS \"1e3\" is not a position"));
}

#[test]
fn genotypes_outside_the_record_are_errors() {
    // GT 0/2 with one ALT used to count as "not_in_proband"
    let e = err(
        &["kid", "dad"],
        &[rec("chr1", 1500, "A", "G", &["0/2", "0/0"])],
    );
    assert!(
        e.contains("fam.vcf: line 16: sample kid: GT \"0/2\" refers to allele 2 but the record has 1 ALT allele(s) (indices 0 to 1)"),
        "{e}"
    );
    // a relative's call is checked too
    let f = fixture(
        &["kid", "dad", "mum"],
        &[rec(
            "chr1",
            1500,
            "A",
            "G,T",
            &["0/1:15,15,0:30:99", "0/3", "0/0:30,0,0:30:99"],
        )],
        Some(TRIO),
    );
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(
        e.contains("sample dad: GT \"0/3\" refers to allele 3 but the record has 2 ALT allele(s)"),
        "{e}"
    );
    // ploidy 3 is stated, not read as a no call
    let e = err(
        &["kid"],
        &[rec("chr1", 1500, "A", "G", &["0/1/1:15,15:30:99"])],
    );
    assert!(
        e.contains("line 16: sample kid: GT \"0/1/1\": ploidy 3 not supported"),
        "{e}"
    );
}

#[test]
fn alt_equal_to_ref_is_counted_and_reported() {
    let recs = [
        rec("chr1", 1500, "A", "A", &["0/1"]),
        rec("chr1", 1600, "C", "C,T", &["1/2:0,15,15:30:99"]),
    ];
    let f = fixture(&["kid"], &recs, None);
    let a = run(&f);
    assert_eq!(a.filters.alleles, 3);
    assert_eq!(a.filters.removed[&R::UnsupportedAllele], 2);
    assert_eq!(a.filters.passed, 1);
    let r: Vec<(&str, &str, &str)> = a
        .removed
        .iter()
        .filter(|r| r.reason == R::UnsupportedAllele)
        .map(|r| {
            (
                r.variant.as_str(),
                r.vcf_location.as_str(),
                r.detail.as_str(),
            )
        })
        .collect();
    assert_eq!(
        r,
        vec![
            (
                "chr1:1500:A:A",
                "line 16",
                "ALT \"A\" equals REF \"A\": the record states no change"
            ),
            (
                "chr1:1600:C:C",
                "line 17",
                "ALT \"C\" equals REF \"C\": the record states no change"
            ),
        ]
    );
    assert!(
        a.warnings.iter().any(|w| w.ends_with("fam.vcf: 2 allele(s) have an ALT identical to REF (first at line 16): not variants; counted under unsupported_allele")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn wrong_number_of_sample_columns_is_an_error_on_every_record() {
    // header with 3 samples, singleton analysis of the first: a record with one sample column
    // whose sample does not carry the ALT used to pass unnoticed
    let short = "chr1\t1500\t.\tA\tG\t50\tPASS\t.\tGT:AD:DP:GQ\t0/0:30,0:30:99\n".to_string();
    let e = err(
        &["kid", "dad", "mum"],
        &[
            rec("chr1", 1400, "A", "G", &["0/1", "0/0", "0/0"]),
            short.clone(),
        ],
    );
    assert!(
        e.contains("fam.vcf: line 17: the record has 1 sample columns but the header names 3 (expected 12 tab-separated columns, found 10)"),
        "{e}"
    );
    // a reference-only record and a record on a skipped contig are checked too
    let ref_only = "chr1\t1500\t.\tA\t.\t50\tPASS\t.\tGT\t0/0\t0/0\n".to_string();
    assert!(err(&["kid", "dad", "mum"], &[ref_only])
        .contains("line 16: the record has 2 sample columns but the header names 3"));
    let decoy = "chrUn_KI270302v1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\t0/0\n".to_string();
    assert!(err(&["kid", "dad", "mum"], &[decoy])
        .contains("the record has 4 sample columns but the header names 3"));
}

#[test]
fn malformed_columns_say_what_was_expected() {
    let e = err(&["kid"], &["chr1\t1500\t.\tA\tG\n".to_string()]);
    assert!(
        e.contains("fam.vcf: line 16: expected at least 8 tab-separated columns (10 with samples; the header names 1 sample(s), so 10), found 5"),
        "{e}"
    );
    let e = err(
        &["kid"],
        &["chr1 1500 . A G 50 PASS . GT 0/1\n".to_string()],
    );
    assert!(e.contains("line 16: expected at least 8 tab-separated columns (10 with samples; the header names 1 sample(s), so 10), found 1: columns must be separated by tabs, not spaces"), "{e}");
    let e = err(
        &["kid"],
        &["chr1\t1500\t.\tA\tG\t\tPASS\t.\tGT\t0/1\n".to_string()],
    );
    assert!(
        e.contains("line 16: column 6 (QUAL) is empty (write '.' for a missing value)"),
        "{e}"
    );
    let e = err(
        &["kid"],
        &["chr1\t1500\t.\tA\tG\t50\tPASS\t.\tGT\t\n".to_string()],
    );
    assert!(e.contains("column 10 (sample column 1) is empty"), "{e}");
    // blank lines carry nothing and are skipped; line numbers stay those of the file
    let f = fixture(
        &["kid"],
        &["\n".to_string(), raw("chr1", "-1", "0/1")],
        None,
    );
    assert!(analyze(&config(&f))
        .unwrap_err()
        .to_string()
        .contains("line 17: POS \"-1\""));
}

/// A singleton with alleles in GENEA (1500, 1600) and GENEB (5500), and a frequency source
/// file `g.vcf` with the given data lines.
fn with_source(toml_extra: &str, source_lines: &str) -> (Fixture, odyssey_variant::AnalysisConfig) {
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/1"]),
        rec("chr1", 1600, "C", "T", &["0/1"]),
        rec("chr1", 5500, "G", "A", &["0/1"]),
    ];
    let f = fixture(&["kid"], &recs, None);
    std::fs::write(
        f.dir.path().join("g.vcf"),
        format!("##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n##INFO=<ID=AF_afr,Number=A,Type=Float,Description=\"AFR\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n{source_lines}"),
    )
    .unwrap();
    let toml = format!("[[source]]\nname='g'\nrole='frequency'\npath='g.vcf'\n{toml_extra}");
    let (_, sources) = parse_sources_toml(&toml, &f.dir.path().join("sources.toml")).unwrap();
    let mut c = config(&f);
    c.sources = sources;
    (f, c)
}

#[test]
fn misspelt_source_keys_fail_when_the_source_is_opened() {
    // /tmp/qa/s5.toml: af = "NOSUCHFIELD" used to be ignored, so nothing was frequency-filtered
    let (f, c) = with_source(
        "af='NOSUCHFIELD'\n",
        "chr1\t1500\t.\tA\tG\t.\tPASS\tAF=0.3\n",
    );
    let e = analyze(&c).unwrap_err().to_string();
    let g = f.dir.path().join("g.vcf");
    assert_eq!(
        e,
        format!("source \"g\" ({}): INFO key(s) \"NOSUCHFIELD\" (`af`) not declared in the header (no ##INFO=<ID=...> line); the INFO keys it declares are: AF, AF_afr", g.display())
    );
    let (_f, c) = with_source("populations=['afr','nfe']\n", "");
    assert!(analyze(&c)
        .unwrap_err()
        .to_string()
        .contains("\"AF_nfe\" (`populations`) not declared"));
}

#[test]
fn frequency_source_warnings() {
    // a matching source: 1500 is common (removed), the others are looked up and absent
    let (_f, c) = with_source("", "chr1\t1500\t.\tA\tG\t.\tPASS\tAF=0.3\n");
    let a = analyze(&c).unwrap();
    assert_eq!(a.filters.removed[&R::Frequency], 1);
    assert!(
        !a.warnings
            .iter()
            .any(|w| w.contains("matched none") || w == NO_FREQ),
        "{:?}",
        a.warnings
    );
    // a source with another chromosome's data (e.g. the wrong assembly) matches nothing: the
    // three alleles that reach the frequency filter are looked up
    let (_f, c) = with_source("", "chr2\t1500\t.\tA\tG\t.\tPASS\tAF=0.3\n");
    let a = analyze(&c).unwrap();
    let w: Vec<&String> = a
        .warnings
        .iter()
        .filter(|w| w.contains("matched none"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", a.warnings);
    assert!(w[0].starts_with("frequency source \"g\" matched none of the 3 variant(s) looked up: likely the wrong assembly, chromosome naming or file"), "{}", w[0]);
    // no frequency source at all
    let f = fixture(&["kid"], &[rec("chr1", 1500, "A", "G", &["0/1"])], None);
    let a = run(&f);
    assert!(a.warnings.iter().any(|w| w == NO_FREQ), "{:?}", a.warnings);
}

#[test]
fn regions_or_panel_leaving_nothing_are_warned_about() {
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/1"]),
        rec("chr1", 1600, "C", "T", &["0/0"]), // not in the proband: never reaches the region filter
        rec("chr1", 5500, "G", "A", &["0/1"]),
    ];
    let f = fixture(&["kid"], &recs, None);
    let bed = f.dir.path().join("rnone.bed");
    std::fs::write(&bed, "chr7\t1\t100\n").unwrap();
    let mut c = config(&f);
    c.filters.regions = Some(Regions::from_bed(&bed).unwrap());
    let a = analyze(&c).unwrap();
    assert_eq!(
        (a.filters.passed, a.filters.removed[&R::OutsideRegions]),
        (0, 2)
    );
    assert!(
        a.warnings.iter().any(|w| w == "--regions: none of the 2 allele(s) that reached the region filter overlaps the 1 BED interval(s): every variant was removed (check the BED's assembly and chromosomes)"),
        "{:?}",
        a.warnings
    );
    assert!(
        a.warnings.iter().any(|w| w == "no variant passed the filters (3 record(s), 3 allele(s); removed: outside_regions 2, not_in_proband 1): the genotype evidence is empty"),
        "{:?}",
        a.warnings
    );
    // regions that keep something: no warning
    std::fs::write(&bed, "chr1\t1000\t2000\n").unwrap();
    c.filters.regions = Some(Regions::from_bed(&bed).unwrap());
    let a = analyze(&c).unwrap();
    assert_eq!(a.filters.passed, 1);
    assert!(
        !a.warnings
            .iter()
            .any(|w| w.starts_with("--regions") || w.starts_with("no variant passed")),
        "{:?}",
        a.warnings
    );
    // a panel of unknown symbols
    let mut c = config(&f);
    c.filters.gene_panel = Some(BTreeSet::from(["GENEZ".to_string(), "genea".to_string()]));
    let a = analyze(&c).unwrap();
    assert!(
        a.warnings.iter().any(|w| w == "--panel: none of the 2 annotated allele(s) that reached the panel filter is in a panel gene (GENEZ, genea): every variant was removed (check the HGNC symbols)"),
        "{:?}",
        a.warnings
    );
}

#[test]
fn explain_queries_that_match_nothing_get_an_entry() {
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/0"]),
        rec("chr1", 1600, "C", "T", &["./."]),
        rec("chr1", 1700, "G", "A", &["0/1"]),
        rec("chr1", 1800, "G", "A", &["0/0"]),
        "chr1\t3000\t.\tT\t.\t50\tPASS\t.\tGT:AD:DP:GQ\t0/0:30:30:99\n".to_string(),
    ];
    let f = fixture(&["kid"], &recs, None);
    let mut c = config(&f);
    c.explain = [
        "GENEA",
        "GENEB",
        "NOSUCH",
        "genea",
        "chr1:1",
        "chr1:2500",
        "chr1:3000",
        "chrX:5",
    ]
    .iter()
    .map(|q| q.parse().unwrap())
    .collect();
    let a = analyze(&c).unwrap();
    let by = |q: &str| {
        a.explain
            .iter()
            .filter(|e| e.query == q)
            .collect::<Vec<_>>()
    };
    // GENEA: the carried allele on its own, the three others in one count entry
    let genea = by("GENEA");
    assert_eq!(genea.len(), 2, "{genea:#?}");
    assert_eq!(genea[0].variant, "1-1700-G-A");
    assert_eq!(genea[1].variant, "3 allele(s) not carried by the proband");
    assert_eq!(genea[1].vcf_location, "line 16 to line 19");
    assert_eq!(genea[1].reasons[0].reason, R::NotInProband);
    assert_eq!(genea[1].reasons[0].detail, "proband GT 0/0 ×2, ./. ×1");
    // genes: known to the gene models but without variants, unknown, and differently cased
    let geneb = by("GENEB");
    assert_eq!(
        (
            geneb.len(),
            geneb[0].outcome.as_str(),
            geneb[0].variant.as_str()
        ),
        (1, "not found", "-")
    );
    assert_eq!(
        geneb[0].notes,
        vec!["GENEB is in the gene models (test table) but no allele of the VCF was annotated to it: the VCF has no variant in or near the gene"]
    );
    assert_eq!(
        by("NOSUCH")[0].notes,
        vec!["NOSUCH is not a gene symbol of the gene models (test table): check the spelling (HGNC symbols, case-sensitive) and the assembly"]
    );
    let lower = by("genea");
    assert_eq!(lower[0].outcome, "not found");
    assert_eq!(
        lower[0].notes[1],
        "the annotation has GENEA (differently cased)"
    );
    // positions: none, between records, a reference-only record, a chromosome without records
    let p1 = by("1:1");
    assert_eq!(p1[0].outcome, "not found");
    assert_eq!(
        p1[0].notes,
        vec![
            "no VCF record starts at 1:1 (a deletion or other allele that starts before it is listed under its own POS)".to_string(),
            "nearest records after: 1:1500 (line 16)".to_string()
        ]
    );
    assert_eq!(
        by("1:2500")[0].notes[1],
        "nearest records before: 1:1800 (line 19); after: 1:3000 (line 20)"
    );
    assert_eq!(
        by("1:3000")[0].notes[0],
        "the record at 1:3000 (line 20) has no ALT allele (ALT '.'): nothing to analyse"
    );
    assert_eq!(
        by("X:5")[0].notes[1],
        "the VCF has no record on chromosome X"
    );
    // explaining changes no count
    assert_eq!(a.filters, run(&f).filters);
}
