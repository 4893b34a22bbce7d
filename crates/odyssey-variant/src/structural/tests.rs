//! Unit tests of the structural reading rules, with hand-derived expected values.

use super::*;
use crate::genotype::FormatIndex;

fn chr1() -> Chrom {
    Chrom::autosome(1).unwrap()
}

fn call(keys: &str, s: &str) -> SampleCall {
    let mut f = FormatIndex::default();
    f.update_str(keys);
    let mut c = SampleCall::default();
    c.parse(&f, s, 1).unwrap();
    c
}

#[test]
fn symbolic_deletion_coordinates() {
    // <DEL> at POS 46125066 with END 46230365: POS is the padding base, so the deleted bases
    // are 46125067-46230365, 46230365 − 46125067 + 1 = 105,299 bp
    let ev = parse_symbolic(
        chr1(),
        46_125_066,
        "<DEL>",
        "SVTYPE=DEL;END=46230365;SVLEN=-105299;CIPOS=-10,10;CIEND=-5,20",
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (ev.start, ev.end, ev.length),
        (46_125_067, 46_230_365, Some(105_299))
    );
    assert_eq!(ev.class, SvClass::Loss);
    assert_eq!((ev.cipos, ev.ciend), (Some((-10, 10)), Some((-5, 20))));
    assert_eq!(ev.describe(), "DEL 1:46125067-46230365 (105,299 bp)");
    // END from SVLEN when END is absent: 1000 + 500 = 1500
    let ev = parse_symbolic(chr1(), 1000, "<DUP:TANDEM>", "SVLEN=500")
        .unwrap()
        .unwrap();
    assert_eq!(
        (ev.svtype, ev.class, ev.start, ev.end),
        (SvType::DupTandem, SvClass::Gain, 1001, 1500)
    );
    let ev = parse_symbolic(chr1(), 1000, "<INV>", "END=3000")
        .unwrap()
        .unwrap();
    assert_eq!(ev.class, SvClass::Inversion);
    let ev = parse_symbolic(chr1(), 1000, "<INS:ME:ALU>", "SVLEN=312")
        .unwrap()
        .unwrap();
    assert_eq!(
        (ev.class, ev.start, ev.end, ev.length),
        (SvClass::Insertion, 1000, 1000, Some(312))
    );
}

#[test]
fn breakends_are_kept_with_their_mate() {
    let ev = parse_symbolic(chr1(), 5000, "G]17:198982]", "SVTYPE=BND")
        .unwrap()
        .unwrap();
    assert_eq!((ev.svtype, ev.class), (SvType::Bnd, SvClass::Breakend));
    assert_eq!(ev.mate.as_deref(), Some("17:198982"));
    let ev = parse_symbolic(chr1(), 5000, "<BND>", "CHR2=15;POS2=10642")
        .unwrap()
        .unwrap();
    assert_eq!(ev.mate.as_deref(), Some("15:10642"));
    assert_eq!(ev.describe(), "BND 1:5000 → 15:10642");
}

#[test]
fn malformed_and_non_structural_alleles() {
    assert!(parse_symbolic(chr1(), 10, "*", "").is_none());
    assert!(parse_symbolic(chr1(), 10, "<NON_REF>", "").is_none());
    assert!(parse_symbolic(chr1(), 10, "A", "").is_none());
    let e = parse_symbolic(chr1(), 10, "<DEL>", "SVTYPE=DEL")
        .unwrap()
        .unwrap_err();
    assert!(e.contains("without INFO END or SVLEN"), "{e}");
    let e = parse_symbolic(chr1(), 10, "<DEL>", "END=5")
        .unwrap()
        .unwrap_err();
    assert!(e.contains("not after POS 10"), "{e}");
    let e = parse_symbolic(chr1(), 10, "<DEL>", "END=x")
        .unwrap()
        .unwrap_err();
    assert!(e.contains("END=\"x\" is not an integer"), "{e}");
    let e = parse_symbolic(chr1(), 10, "<DEL>", "END=20;CIPOS=5,-5")
        .unwrap()
        .unwrap_err();
    assert!(e.contains("CIPOS"), "{e}");
}

#[test]
fn explicit_sequence_indels_of_50_bp_or_more() {
    let anchor = "A";
    let del50 = format!("A{}", "C".repeat(50));
    // 50 deleted bases after the anchor at 100: 101-150
    let k = VariantKey::new(chr1(), 100, &del50, anchor).unwrap();
    let ev = from_sequence(&k).unwrap();
    assert_eq!(
        (ev.class, ev.start, ev.end, ev.length),
        (SvClass::Loss, 101, 150, Some(50))
    );
    assert!(ev.explicit);
    // 49 bases: a small variant
    let del49 = format!("A{}", "C".repeat(49));
    assert!(from_sequence(&VariantKey::new(chr1(), 100, &del49, anchor).unwrap()).is_none());
    let k = VariantKey::new(chr1(), 100, anchor, &format!("A{}", "T".repeat(60))).unwrap();
    let ev = from_sequence(&k).unwrap();
    assert_eq!(
        (ev.class, ev.start, ev.length),
        (SvClass::Insertion, 100, Some(60))
    );
}

#[test]
fn cnv_direction_from_copy_number() {
    let mut ev = parse_symbolic(chr1(), 1000, "<CNV>", "END=2000")
        .unwrap()
        .unwrap();
    assert!(resolve_copy_number(&mut ev, None, 2).is_err());
    resolve_copy_number(&mut ev, Some(1.0), 2).unwrap();
    assert_eq!(ev.class, SvClass::Loss);
    resolve_copy_number(&mut ev, Some(3.0), 2).unwrap();
    assert_eq!(ev.class, SvClass::Gain);
    let e = resolve_copy_number(&mut ev, Some(2.0), 2).unwrap_err();
    assert!(e.contains("no copy-number change"), "{e}");
    // <CN0> states its copy number in the ALT
    let mut ev = parse_symbolic(chr1(), 1000, "<CN0>", "END=2000")
        .unwrap()
        .unwrap();
    resolve_copy_number(&mut ev, None, 2).unwrap();
    assert_eq!((ev.class, ev.alt_copy_number), (SvClass::Loss, Some(0)));
    // on a male X (expected 1) CN 1 is no change, CN 0 a loss
    let mut ev = parse_symbolic(Chrom::X, 1000, "<CNV>", "END=2000")
        .unwrap()
        .unwrap();
    assert!(resolve_copy_number(&mut ev, Some(1.0), 1).is_err());
    resolve_copy_number(&mut ev, Some(0.0), 1).unwrap();
    assert_eq!(ev.class, SvClass::Loss);
}

#[test]
fn genotypes_from_copy_number() {
    // autosomal loss: CN 1 → 0/1, CN 0 → 1/1, CN 2 → 0/0
    for (cn, alleles, copies) in [("1", [0, 1], 1), ("0", [1, 1], 2), ("2", [0, 0], 0)] {
        let mut c = call("GT:CN", &format!("./.:{cn}"));
        genotype_from_copy_number(&mut c, SvClass::Loss, 2, 1);
        assert_eq!(c.alleles, alleles, "CN {cn}");
        assert_eq!(c.alt_copies(1), copies);
    }
    // gains: CN 3 and CN 4 both heterozygous (the extra copies' haplotypes are unknown)
    for cn in ["3", "4"] {
        let mut c = call("GT:CN", &format!("./.:{cn}"));
        genotype_from_copy_number(&mut c, SvClass::Gain, 2, 1);
        assert_eq!(c.alt_copies(1), 1, "CN {cn}");
    }
    // a male X (expected 1): CN 0 is hemizygous
    let mut c = call("GT:CN", ".:0");
    genotype_from_copy_number(&mut c, SvClass::Loss, 1, 1);
    assert_eq!((c.ploidy, c.alleles[0]), (1, 1));
    assert_eq!(c.gt, "1 (CN 0)");
    // a called GT is kept whatever the CN
    let mut c = call("GT:CN", "0/1:0");
    genotype_from_copy_number(&mut c, SvClass::Loss, 2, 1);
    assert_eq!(c.alleles, [0, 1]);
}

#[test]
fn sanity_checks() {
    use crate::inheritance::ChromClass::*;
    let het = call("GT:CN", "0/1:1");
    assert!(sanity_issue(&het, SvClass::Loss, 2, Autosomal, Sex::Female, 1).is_none());
    // a heterozygous deletion on a male X outside the PARs
    let issue = sanity_issue(&het, SvClass::Loss, 1, XNonPar, Sex::Male, 1).unwrap();
    assert!(issue.contains("male's X"), "{issue}");
    // CN beyond the ploidy for a deletion, CN not above it for a duplication
    let c = call("GT:CN", "0/1:3");
    assert!(
        sanity_issue(&c, SvClass::Loss, 2, Autosomal, Sex::Female, 1)
            .unwrap()
            .contains("not below the expected 2")
    );
    let c = call("GT:CN", "0/1:2");
    assert!(
        sanity_issue(&c, SvClass::Gain, 2, Autosomal, Sex::Female, 1)
            .unwrap()
            .contains("not above the expected 2")
    );
    let c = call("GT:CN", "1/1:1");
    assert!(
        sanity_issue(&c, SvClass::Loss, 2, Autosomal, Sex::Female, 1)
            .unwrap()
            .contains("homozygous deletion")
    );
    assert_eq!(expected_copies(XNonPar, Sex::Male), 1);
    assert_eq!(expected_copies(XNonPar, Sex::Female), 2);
    assert_eq!(expected_copies(Autosomal, Sex::Male), 2);
}

#[test]
fn copy_number_must_be_a_number() {
    let mut f = FormatIndex::default();
    f.update_str("GT:CN");
    let mut c = SampleCall::default();
    let e = c.parse(&f, "0/1:x", 1).unwrap_err();
    assert!(e.contains("CN \"x\""), "{e}");
    // 1e30 is a finite float, but no copy number: refused, not saturated to 4294967295
    let e = c.parse(&f, "0/1:1e30", 1).unwrap_err();
    assert!(e.contains("CN \"1e30\" is not a copy number"), "{e}");
    let mut c = SampleCall::default();
    c.parse(&f, "0/1:1000", 1).unwrap();
    assert_eq!(c.cn, Some(1000.0));
}

#[test]
fn breakend_alts_must_have_a_vcf_form() {
    // the four bracket forms of VCF 4.3 section 5.4 and a single breakend
    for (alt, mate) in [
        ("G]17:198982]", Some("17:198982")),
        ("]13:123456]T", Some("13:123456")),
        ("[chr2:321682[A", Some("chr2:321682")),
        ("AG[chrX:7[", Some("chrX:7")),
        (".A", None),
        ("T.", None),
    ] {
        let ev = parse_symbolic(chr1(), 5000, alt, "SVTYPE=BND")
            .unwrap()
            .unwrap_or_else(|e| panic!("{alt}: {e}"));
        assert_eq!(ev.mate.as_deref(), mate, "{alt}");
    }
    // unclosed, doubled brackets, bases on both sides, mixed brackets, no position
    for alt in [
        "N[22:abc",
        "N[[22:50519100[",
        "A[2:100[A",
        "A[2:100]",
        "A[2[",
        "N[22:[",
    ] {
        let e = parse_symbolic(chr1(), 5000, alt, "SVTYPE=BND")
            .unwrap()
            .unwrap_err();
        assert!(e.contains("is not of the form t[p["), "{alt}: {e}");
    }
}

#[test]
fn end_beyond_any_chromosome_is_named_as_such() {
    let e = parse_symbolic(chr1(), 10, "<DEL>", "END=99999999999")
        .unwrap()
        .unwrap_err();
    assert!(e.contains("beyond any chromosome's length"), "{e}");
}
