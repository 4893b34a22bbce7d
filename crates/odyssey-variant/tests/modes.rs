//! Every mode of inheritance on hand-written VCF + PED fixtures, with the failure cases.

mod common;

use common::*;
use odyssey_variant::inheritance::{ModeOfInheritance as M, Pattern};

fn modes_of(a: &odyssey_variant::analysis::GenotypeAnalysis, gene: &str, pos: u32) -> Vec<Pattern> {
    a.gene(gene)
        .unwrap_or_else(|| panic!("{gene} missing"))
        .variants
        .iter()
        .find(|v| v.pos == pos)
        .unwrap_or_else(|| panic!("{gene}:{pos} missing"))
        .compatible_modes
        .clone()
}

fn why(a: &odyssey_variant::analysis::GenotypeAnalysis, gene: &str, pos: u32) -> String {
    a.gene(gene)
        .unwrap()
        .variants
        .iter()
        .find(|v| v.pos == pos)
        .unwrap()
        .incompatible_modes
        .join(" | ")
}

#[test]
fn autosomal_dominant_inherited_from_affected_parent() {
    let ped = "F kid dad mum 1 2\nF dad 0 0 1 2\nF mum 0 0 2 1\n";
    let f = fixture(
        &["kid", "dad", "mum"],
        &[rec("chr1", 1500, "A", "G", &["0/1", "0/1", "0/0"])],
        Some(ped),
    );
    let a = run(&f);
    assert_eq!(a.family_structure, "trio");
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalDominant]
    );
    assert!(why(&a, "GENEA", 1500).contains("de_novo: parent dad carries it"));
    // missense score 0.6, no sources; co-segregation: affected father carries -> x2
    let ev = a.gene("GENEA").unwrap();
    assert_eq!(ev.best_mode, Some(M::AutosomalDominant));
    let expected = lr(0.6, 1.0, 0.1) * 2.0;
    assert!(
        (a.genotype_lr("GENEA", M::AutosomalDominant).lr - expected).abs() < 1e-3,
        "{}",
        ev.modes_of_inheritance[0].explanation
    );
}

#[test]
fn autosomal_dominant_fails_when_inherited_from_unaffected_parent() {
    let f = fixture(
        &["kid", "dad", "mum"],
        &[rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/1"])],
        Some(TRIO),
    );
    let a = run(&f);
    assert!(modes_of(&a, "GENEA", 1500).is_empty());
    let w = why(&a, "GENEA", 1500);
    assert!(w.contains("AD: unaffected mum carries it (GT 0/1)"), "{w}");
    assert!(w.contains("de_novo: parent mum carries it"), "{w}");
    let ad = a.genotype_lr("GENEA", M::AutosomalDominant);
    assert!(!ad.compatible);
    assert!((ad.lr - lr(0.0, 1.0, 0.1)).abs() < 1e-9);
}

#[test]
fn de_novo_in_trio_and_its_failures() {
    let good = rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/0"]);
    let f = fixture(&["kid", "dad", "mum"], &[good], Some(TRIO));
    let a = run(&f);
    // a de novo allele also segregates like AD (carried by the affected, not by the unaffected)
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalDominant, Pattern::DeNovo]
    );
    let ad = a
        .gene("GENEA")
        .unwrap()
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == M::AutosomalDominant)
        .unwrap()
        .clone();
    assert_eq!(ad.pattern, Some(Pattern::DeNovo));
    assert!(
        (ad.lr - lr(0.6, 1.0, 0.1) * 18.7).abs() < 1e-3,
        "{}",
        ad.explanation
    );
    // unaffected parents: inherited AD impossible, de novo explains it
    // parent with too little depth
    let shallow = rec("chr1", 1500, "A", "G", &["0/1", "0/0:5,0:5:99", "0/0"]);
    let a = run(&fixture(&["kid", "dad", "mum"], &[shallow], Some(TRIO)));
    // still segregates like AD, but the de novo call is not confirmed: no de novo factor
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalDominant]
    );
    assert!((a.genotype_lr("GENEA", M::AutosomalDominant).lr - lr(0.6, 1.0, 0.1)).abs() < 1e-6);
    assert!(why(&a, "GENEA", 1500).contains("parent dad has depth 5 < 10"));
    // parent with ALT reads (mosaic or miscalled)
    let alt_reads = rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/0:27,3:30:60"]);
    let a = run(&fixture(&["kid", "dad", "mum"], &[alt_reads], Some(TRIO)));
    assert!(why(&a, "GENEA", 1500).contains("parent mum has 3 ALT reads (10% > 5%)"));
    // parent without a call
    let nocall = rec("chr1", 1500, "A", "G", &["0/1", "./.", "0/0"]);
    let a = run(&fixture(&["kid", "dad", "mum"], &[nocall], Some(TRIO)));
    assert!(why(&a, "GENEA", 1500).contains("parent dad has no call"));
}

#[test]
fn recessive_homozygous_and_mendelian_failure() {
    let ok = rec("chr1", 1500, "A", "G", &["1/1", "0/1", "0/1"]);
    let a = run(&fixture(&["kid", "dad", "mum"], &[ok], Some(TRIO)));
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalRecessiveHomozygous]
    );
    let ar = a.genotype_lr("GENEA", M::AutosomalRecessive);
    assert!(ar.compatible);
    assert!(
        (ar.lr - lr(1.2, 2.0, 0.1)).abs() < 1e-6,
        "{}",
        ar.explanation
    );
    // a homozygous reference parent contradicts an inherited homozygote
    let bad = rec("chr1", 1500, "A", "G", &["1/1", "0/0", "0/1"]);
    let a = run(&fixture(&["kid", "dad", "mum"], &[bad], Some(TRIO)));
    let w = why(&a, "GENEA", 1500);
    assert!(
        w.contains("AR_hom: father dad is homozygous reference"),
        "{w}"
    );
    // an unaffected homozygous sibling contradicts it too
    let ped = format!("{TRIO}F sib dad mum 2 1\n");
    let sib = rec("chr1", 1500, "A", "G", &["1/1", "0/1", "0/1", "1/1"]);
    let a = run(&fixture(&["kid", "dad", "mum", "sib"], &[sib], Some(&ped)));
    assert_eq!(a.family_structure, "quartet");
    assert!(why(&a, "GENEA", 1500).contains("unaffected sib has the same genotype"));
}

#[test]
fn compound_heterozygous_one_allele_per_parent() {
    let recs = [
        rec("chr1", 1200, "A", "G", &["0/1", "0/1", "0/0"]),
        rec("chr1", 1800, "C", "T", &["0/1", "0/0", "0/1"]),
    ];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert_eq!(
        modes_of(&a, "GENEA", 1200),
        vec![Pattern::AutosomalRecessiveCompoundHet]
    );
    assert_eq!(
        modes_of(&a, "GENEA", 1800),
        vec![Pattern::AutosomalRecessiveCompoundHet]
    );
    let ar = a
        .gene("GENEA")
        .unwrap()
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == M::AutosomalRecessive)
        .unwrap()
        .clone();
    assert_eq!(ar.variants, vec![0, 1]);
    // one allele from each sequenced parent: confirmed in trans (× 4.33)
    assert!(
        (ar.lr / (lr(1.2, 2.0, 0.1) * 4.33) - 1.0).abs() < 1e-6,
        "{}",
        ar.explanation
    );
    assert_eq!(
        a.gene("GENEA").unwrap().best_mode,
        Some(M::AutosomalRecessive)
    );
}

#[test]
fn compound_heterozygous_fails_when_both_alleles_come_from_one_parent() {
    let recs = [
        rec("chr1", 1200, "A", "G", &["0/1", "0/1", "0/0"]),
        rec("chr1", 1800, "C", "T", &["0/1", "0/1", "0/0"]),
    ];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert!(modes_of(&a, "GENEA", 1200).is_empty());
    let w = why(&a, "GENEA", 1200);
    assert!(
        w.contains("AR_comp_het: both alleles come from the father dad"),
        "{w}"
    );
    assert!(!a.genotype_lr("GENEA", M::AutosomalRecessive).compatible);
}

#[test]
fn compound_heterozygous_uses_phase() {
    // singleton, phased in cis (same PS, same haplotype): rejected
    let cis = [
        rec("chr1", 1200, "A", "G", &["0|1:15,15:30:99:1100"]),
        rec("chr1", 1800, "C", "T", &["0|1:15,15:30:99:1100"]),
    ];
    let a = run(&fixture(&["kid"], &cis, None));
    assert_eq!(a.family_structure, "singleton");
    assert!(why(&a, "GENEA", 1200).contains("in cis in the proband"));
    // phased in trans: accepted
    let trans = [
        rec("chr1", 1200, "A", "G", &["0|1:15,15:30:99:1100"]),
        rec("chr1", 1800, "C", "T", &["1|0:15,15:30:99:1100"]),
    ];
    let a = run(&fixture(&["kid"], &trans, None));
    assert_eq!(
        modes_of(&a, "GENEA", 1200),
        vec![
            Pattern::AutosomalDominant,
            Pattern::AutosomalRecessiveCompoundHet
        ]
    );
    // different phase sets say nothing: accepted as possibly in trans
    let sets = [
        rec("chr1", 1200, "A", "G", &["0|1:15,15:30:99:1100"]),
        rec("chr1", 1800, "C", "T", &["0|1:15,15:30:99:1700"]),
    ];
    let a = run(&fixture(&["kid"], &sets, None));
    assert!(modes_of(&a, "GENEA", 1800).contains(&Pattern::AutosomalRecessiveCompoundHet));
}

#[test]
fn x_linked_recessive_hemizygous_male() {
    let recs = [rec("chrX", 10_005_000, "A", "G", &["1", "0", "0/1"])];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert_eq!(
        modes_of(&a, "XGENE", 10_005_000),
        vec![Pattern::XLinkedRecessiveHomozygous]
    );
    let xr = a.genotype_lr("XGENE", M::XLinkedRecessive);
    // male: λD = 1, hemizygous counts once
    assert!(
        (xr.lr - lr(0.6, 1.0, 0.1)).abs() < 1e-6,
        "{}",
        xr.explanation
    );
    assert!(!a.genotype_lr("XGENE", M::XLinkedDominant).compatible); // mother unaffected carrier
                                                                     // the same allele absent from the mother: de novo (supports XR and XD for a male)
    let recs = [rec("chrX", 10_005_000, "A", "G", &["1/1", "0", "0/0"])];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert_eq!(
        modes_of(&a, "XGENE", 10_005_000),
        vec![Pattern::XLinkedDominant, Pattern::DeNovo]
    );
    assert!(why(&a, "XGENE", 10_005_000)
        .contains("mother mum is homozygous reference (the allele would be de novo)"));
    assert!(a.genotype_lr("XGENE", M::XLinkedRecessive).compatible);
}

#[test]
fn x_linked_male_heterozygous_call_fails_and_is_reported() {
    let mut recs = vec![rec("chrX", 10_005_000, "A", "G", &["0/1", "0", "0/1"])];
    // ten more heterozygous calls of the son on non-PAR X trigger the sex warning
    for i in 0..10 {
        recs.push(rec(
            "chrX",
            20_000_000 + i * 100,
            "C",
            "T",
            &["0/1", "0", "0/1"],
        ));
    }
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    let w = why(&a, "XGENE", 10_005_000);
    assert!(
        w.contains("XR_hom: heterozygous call in a male on chrX outside the PARs"),
        "{w}"
    );
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("\"kid\" is recorded as male but 11 of 11")),
        "{:?}",
        a.warnings
    );
}

#[test]
fn x_linked_dominant_female_and_compound_het() {
    let ped = "F kid dad mum 2 2\nF dad 0 0 1 1\nF mum 0 0 2 2\n";
    let recs = [rec("chrX", 10_001_000, "A", "G", &["0/1", "0", "0/1"])];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(ped)));
    assert_eq!(
        modes_of(&a, "XGENE", 10_001_000),
        vec![Pattern::XLinkedDominant]
    );
    // female compound heterozygote on X with unaffected carrier mother and hemizygous father
    // would need an unaffected male carrier: rejected; with the father's allele absent it is
    // also rejected (one allele in neither parent)
    let ped = "F kid dad mum 2 2\nF dad 0 0 1 1\nF mum 0 0 2 1\n";
    let recs = [
        rec("chrX", 10_001_000, "A", "G", &["0/1", "0", "0/1"]),
        rec("chrX", 10_002_000, "C", "T", &["0/1", "1", "0/0"]),
    ];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(ped)));
    assert!(why(&a, "XGENE", 10_002_000).contains("unaffected male dad carries it"));
}

#[test]
fn mitochondrial_and_y_linked() {
    let recs = [
        rec("chrM", 300, "A", "G", &["1", "0", "1"]),
        rec("chrY", 3_050_000, "C", "T", &["1", "0", "."]),
    ];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert_eq!(modes_of(&a, "MT-GENE", 300), vec![Pattern::Mitochondrial]);
    assert!(a.genotype_lr("MT-GENE", M::Mitochondrial).compatible);
    assert_eq!(modes_of(&a, "YGENE", 3_050_000), vec![Pattern::YLinked]);
    // Y-linked with an unaffected father carrying: rejected
    let recs = [rec("chrY", 3_050_000, "C", "T", &["1", "1", "."])];
    let a = run(&fixture(&["kid", "dad", "mum"], &recs, Some(TRIO)));
    assert!(why(&a, "YGENE", 3_050_000).contains("unaffected dad carries it"));
}

#[test]
fn quartet_segregation_counts_informative_sibling() {
    let ped = "F kid dad mum 1 2\nF dad 0 0 1 1\nF mum 0 0 2 2\nF sib dad mum 2 2\n";
    let recs = [rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/1", "0/1"])];
    let a = run_proband(
        &fixture(&["kid", "dad", "mum", "sib"], &recs, Some(ped)),
        "kid",
    );
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalDominant]
    );
    let ad = a
        .gene("GENEA")
        .unwrap()
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == M::AutosomalDominant)
        .unwrap()
        .clone();
    // affected mother carries (x2) and affected sister carries (x2)
    assert_eq!(ad.segregation_factor, 4.0);
    // the affected sister lacking the allele breaks segregation
    let recs = [rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/1", "0/0"])];
    let a = run_proband(
        &fixture(&["kid", "dad", "mum", "sib"], &recs, Some(ped)),
        "kid",
    );
    assert!(why(&a, "GENEA", 1500).contains("affected sib does not carry it"));
}

#[test]
fn singleton_has_no_de_novo_and_multiallelic_records_split() {
    // proband 1/2 at a multi-allelic site: each ALT is heterozygous, both in GENEA
    let recs = [rec("chr1", 1500, "A", "G,T", &["1/2:0,14,16:30:99"])];
    let a = run(&fixture(&["kid"], &recs, None));
    assert_eq!(a.filters.alleles, 2);
    assert_eq!(a.filters.passed, 2);
    let ev = a.gene("GENEA").unwrap();
    assert_eq!(ev.variants.len(), 2);
    assert!(ev.variants.iter().all(|v| v
        .compatible_modes
        .contains(&Pattern::AutosomalRecessiveCompoundHet)));
    assert!(why(&a, "GENEA", 1500).contains("de_novo: needs both parents sequenced"));
    assert_eq!(ev.variants[0].genotypes[0].ad, Some([0, 14]));
}

#[test]
fn one_vcf_with_two_families() {
    let ped = "F1 kid1 dad1 mum1 1 2\nF1 dad1 0 0 1 1\nF1 mum1 0 0 2 1\nF2 kid2 0 0 2 2\n";
    let recs = [
        rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/0", "0/0"]),
        rec("chr1", 5500, "A", "G", &["0/0", "0/0", "0/0", "1/1"]),
    ];
    let f = fixture(&["kid1", "dad1", "mum1", "kid2"], &recs, Some(ped));
    // without --family or --proband: ambiguous
    let e = odyssey_variant::analyze(&config(&f))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("2 families (F1, F2)") && e.contains("--family"),
        "{e}"
    );
    let mut c = config(&f);
    c.family = Some("F2".into());
    let a = odyssey_variant::analyze(&c).unwrap();
    assert_eq!(
        (a.proband.as_str(), a.family_structure.as_str()),
        ("kid2", "singleton")
    );
    assert!(a.gene("GENEA").is_none());
    // a homozygote also carries the allele, so AD segregation holds in a singleton
    assert_eq!(
        modes_of(&a, "GENEB", 5500),
        vec![
            Pattern::AutosomalDominant,
            Pattern::AutosomalRecessiveHomozygous
        ]
    );
    c.family = Some("F1".into());
    let a = odyssey_variant::analyze(&c).unwrap();
    assert_eq!(
        (a.proband.as_str(), a.family_structure.as_str()),
        ("kid1", "trio")
    );
    assert_eq!(
        modes_of(&a, "GENEA", 1500),
        vec![Pattern::AutosomalDominant, Pattern::DeNovo]
    );
}

#[test]
fn pedigree_from_ga4gh_records() {
    use odyssey_variant::pedigree::{Affection, PedRecord, Pedigree, Sex};
    let r = |id: &str, f: Option<&str>, m: Option<&str>, sex, aff| PedRecord {
        family: "FAM".into(),
        id: id.into(),
        father: f.map(str::to_string),
        mother: m.map(str::to_string),
        sex,
        affection: aff,
    };
    let ped = Pedigree::from_records(
        vec![
            r(
                "kid",
                Some("dad"),
                Some("mum"),
                Sex::Female,
                Affection::Affected,
            ),
            r("dad", None, None, Sex::Male, Affection::Unaffected),
            r("mum", None, None, Sex::Female, Affection::Unaffected),
        ],
        "phenopacket family",
    )
    .unwrap();
    let recs = [
        rec("chr1", 1200, "A", "G", &["0/1", "0/1", "0/0"]),
        rec("chr1", 1800, "C", "T", &["0/1", "0/0", "0/1"]),
    ];
    let f = fixture(&["kid", "dad", "mum"], &recs, None);
    let mut c = config(&f);
    c.pedigree = Some(ped);
    let a = odyssey_variant::analyze(&c).unwrap();
    assert_eq!(
        a.gene("GENEA").unwrap().best_mode,
        Some(M::AutosomalRecessive)
    );
    let bad = Pedigree::from_records(
        vec![
            r("kid", Some("mum"), None, Sex::Female, Affection::Affected),
            r("mum", None, None, Sex::Female, Affection::Unaffected),
        ],
        "phenopacket family",
    );
    assert!(bad
        .unwrap_err()
        .to_string()
        .starts_with("pedigree phenopacket family: \"mum\" is the father of \"kid\""));
}
