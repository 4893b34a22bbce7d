//! Filters with reasons, counts and --explain; annotation sources; in-VCF annotations;
//! malformed input; BCF equals VCF.

mod common;

use std::collections::BTreeSet;
use std::io::Write;

use common::*;
use odyssey_genome::{Assembly, Consequence};
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice};
use odyssey_variant::filter::{ExplainQuery, FilterReason as R, Regions};
use odyssey_variant::inheritance::{ModeOfInheritance as M, Pattern};
use odyssey_variant::sources::config::parse_sources_toml;

fn line(chrom: &str, pos: u32, r: &str, a: &str, qual: &str, filter: &str, sample: &str) -> String {
    format!("{chrom}\t{pos}\t.\t{r}\t{a}\t{qual}\t{filter}\t.\tGT:AD:DP:GQ\t{sample}\n")
}

const HET: &str = "0/1:15,15:30:99";

fn filter_fixture() -> Fixture {
    let recs = vec![
        line("chrUn_KI270302v1", 100, "A", "G", "50", "PASS", HET),
        line("chr1", 1100, "A", "<DEL>", "50", "PASS", HET),
        line("chr1", 1150, "A", "G", "50", "PASS", "0/0:30,0:30:99"),
        line("chr1", 1200, "A", "G", "50", "LowQual", HET),
        line("chr1", 1250, "A", "G", "10", "PASS", HET),
        line("chr1", 1300, "A", "G", "50", "PASS", "0/1:15,15:30:10"),
        line("chr1", 1350, "A", "G", "50", "PASS", "0/1:3,2:5:99"),
        line("chr1", 1400, "A", "G", "50", "PASS", "0/1:27,3:30:99"),
        line("chr1", 1450, "A", "G", "50", "PASS", HET),
        line("chr1", 1500, "A", "G", "50", "PASS", HET),
        line("chr1", 1550, "A", "G", "50", "PASS", HET),
        line("chr1", 1600, "A", "G", "50", "PASS", HET),
        line("chr1", 1650, "A", "G", "50", "PASS", HET),
        line("chr1", 3000, "A", "G", "50", "PASS", HET),
        line("chr1", 9100, "C", "T", ".", ".", HET),
    ];
    let f = fixture(&["kid"], &recs, None);
    // sources: a gnomAD-like VCF, ClinVar and SpliceAI, written as plain VCF
    std::fs::write(
        f.dir.path().join("gnomad.vcf"),
        "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n##INFO=<ID=nhomalt,Number=A,Type=Integer,Description=\"hom\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t1450\t.\tA\tG\t.\tPASS\tAF=0.05;nhomalt=100\nchr1\t1650\t.\tA\tG\t.\tPASS\tAF=0.005;nhomalt=0\n",
    )
    .unwrap();
    std::fs::write(
        f.dir.path().join("clinvar.vcf"),
        "##fileformat=VCFv4.1\n##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"sig\">\n##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description=\"rev\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t1550\t1\tA\tG\t.\t.\tCLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;CLNSIG=Pathogenic\n",
    )
    .unwrap();
    std::fs::write(
        f.dir.path().join("spliceai.vcf"),
        "##fileformat=VCFv4.2\n##INFO=<ID=SpliceAI,Number=.,Type=String,Description=\"SpliceAI\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t1600\t.\tA\tG\t.\t.\tSpliceAI=G|GENEA|0.80|0.00|0.10|0.00|2|41|1|23\n",
    )
    .unwrap();
    f
}

fn filter_config(f: &Fixture) -> AnalysisConfig {
    let toml = "[[source]]\nname='gnomad'\nrole='frequency'\npath='gnomad.vcf'\n\n[[source]]\nname='clinvar'\nrole='clinvar'\npath='clinvar.vcf'\n\n[[source]]\nname='spliceai'\nrole='score'\nscore='spliceai'\npath='spliceai.vcf'\n";
    let (_, sources) = parse_sources_toml(toml, &f.dir.path().join("sources.toml")).unwrap();
    let mut ann = annotator();
    for p in [1500, 1550, 1600] {
        ann.overrides
            .insert((chr(1), p), Consequence::SynonymousVariant);
    }
    let mut c = AnalysisConfig::new(
        &f.vcf,
        AnnotationChoice::Annotator(std::sync::Arc::new(ann)),
    );
    c.sources = sources;
    c.threads = 1;
    c
}

#[test]
fn every_filter_counts_its_reason() {
    let f = filter_fixture();
    let a = analyze(&filter_config(&f)).unwrap();
    let s = &a.filters;
    assert_eq!((s.records, s.alleles), (15, 15));
    for r in [
        R::NonPrimaryContig,
        R::UnsupportedAllele,
        R::NotInProband,
        R::FailedFilter,
        R::LowQual,
        R::LowGenotypeQuality,
        R::LowDepth,
        R::AlleleBalance,
        R::NoGene,
        R::Frequency,
        R::Consequence,
    ] {
        assert_eq!(s.removed[&r], 1, "{r}");
    }
    assert_eq!(s.removed_total(), 11);
    assert_eq!(s.passed, 4);
    let genea: Vec<u32> = a
        .gene("GENEA")
        .unwrap()
        .variants
        .iter()
        .map(|v| v.pos)
        .collect();
    assert_eq!(genea, vec![1550, 1600, 1650]);
    // rescued synonymous variants keep their consequence and get the rescuing evidence
    let v1550 = &a.gene("GENEA").unwrap().variants[0];
    assert_eq!(v1550.consequence, Consequence::SynonymousVariant);
    assert_eq!(v1550.score.score, 1.0);
    assert_eq!(v1550.clinvar.as_ref().unwrap().stars, 2);
    let v1600 = &a.gene("GENEA").unwrap().variants[1];
    assert_eq!(v1600.scores.get("spliceai"), Some(&0.8));
    assert_eq!(v1600.score.basis, "SpliceAI 0.80");
    // AF 0.5%: too common for AD (0.1%), fine for compound heterozygosity (2%)
    let v1650 = &a.gene("GENEA").unwrap().variants[2];
    assert_eq!(v1650.af, Some(0.005));
    assert_eq!(v1650.af_source.as_deref(), Some("gnomad:AF"));
    assert!(v1650
        .incompatible_modes
        .iter()
        .any(|w| w.contains("AD: AF 0.5000% above the AD maximum 0.1000%")));
    assert!(v1650
        .compatible_modes
        .contains(&Pattern::AutosomalRecessiveCompoundHet));
    // sources provenance
    let cv = a.sources.iter().find(|p| p.name == "clinvar").unwrap();
    assert_eq!((cv.hits, cv.access.starts_with("memory")), (1, true));
    // GENEA: the two rescued alleles form a compound heterozygote (k = 1 + 0.8) and rank
    // above GENEC's stop-gained allele (AD, k = 1); the ClinVar P/LP allele (2 stars)
    // multiplies by the ClinVar factor 18.7
    assert_eq!(a.genes[0].symbol, "GENEA");
    assert_eq!(a.genes[0].best_mode, Some(M::AutosomalRecessive));
    assert!(
        (a.genes[0].best_lr / (lr(1.8, 2.0, 0.1) * 18.7) - 1.0).abs() < 1e-6,
        "{}",
        a.genes[0].best_lr
    );
    assert_eq!(a.genes[1].symbol, "GENEC");
    assert!((a.genes[1].best_lr - lr(1.0, 1.0, 0.1)).abs() < 1e-9);
}

#[test]
fn explain_reports_every_failing_filter() {
    let f = filter_fixture();
    let mut c = filter_config(&f);
    c.explain = vec![
        "chr1:1250".parse().unwrap(),
        "GENEA".parse().unwrap(),
        ExplainQuery::Position {
            chrom: chr(1),
            pos: 1100,
        },
    ];
    let a = analyze(&c).unwrap();
    let e1250 = a
        .explain
        .iter()
        .find(|e| e.variant == "1-1250-A-G")
        .unwrap_or_else(|| panic!("{:#?}", a.explain));
    assert_eq!(e1250.outcome, "removed");
    assert_eq!(
        e1250.reasons.iter().map(|r| r.reason).collect::<Vec<_>>(),
        vec![R::LowQual]
    );
    assert!(e1250.reasons[0].detail.contains("QUAL 10 < 20"));
    // the not-in-proband allele in GENEA (1150, GT 0/0) is counted in one summary entry of
    // the gene query rather than listed on its own
    assert!(a.explain.iter().all(|e| e.variant != "1-1150-A-G"));
    let nc = a
        .explain
        .iter()
        .find(|e| e.query == "GENEA" && e.variant.contains("not carried"))
        .unwrap();
    assert_eq!(nc.variant, "1 allele(s) not carried by the proband");
    assert_eq!(nc.vcf_location, "line 18");
    assert_eq!(nc.reasons[0].reason, R::NotInProband);
    assert_eq!(nc.reasons[0].detail, "proband GT 0/0 ×1");
    let e1450 = a
        .explain
        .iter()
        .find(|e| e.variant == "1-1450-A-G")
        .unwrap();
    assert_eq!(
        e1450.reasons.iter().map(|r| r.reason).collect::<Vec<_>>(),
        vec![R::Frequency]
    );
    assert!(e1450.reasons[0].detail.contains("AF 0.05 (gnomad:AF)"));
    let e1650 = a
        .explain
        .iter()
        .find(|e| e.variant == "1-1650-A-G")
        .unwrap();
    assert_eq!(e1650.outcome, "passed");
    assert!(
        e1650.notes.iter().any(|n| n.contains("AR_comp_het")),
        "{:?}",
        e1650.notes
    );
    let e1100 = a
        .explain
        .iter()
        .find(|e| e.vcf_location == "line 17")
        .unwrap();
    assert_eq!(e1100.reasons[0].reason, R::UnsupportedAllele);
    // explaining does not change the counts
    assert_eq!(a.filters.passed, 4);
}

#[test]
fn gene_panel_and_regions() {
    let f = filter_fixture();
    let mut c = filter_config(&f);
    c.filters.gene_panel = Some(BTreeSet::from(["GENEC".to_string()]));
    let a = analyze(&c).unwrap();
    assert_eq!(a.filters.passed, 1);
    // GENEA alleles that reach the panel filter: 1450 (before the frequency filter), 1500
    // (before the consequence filter), 1550, 1600, 1650
    assert_eq!(a.filters.removed[&R::NotInPanel], 5);
    let bed = f.dir.path().join("r.bed");
    std::fs::write(&bed, "chr1\t9000\t9200\n").unwrap();
    let mut c = filter_config(&f);
    c.filters.regions = Some(Regions::from_bed(&bed).unwrap());
    let a = analyze(&c).unwrap();
    assert_eq!(a.filters.passed, 1);
    assert_eq!(a.filters.removed[&R::OutsideRegions], 6);
}

#[test]
fn annotations_already_in_the_vcf() {
    let dir = tempfile::tempdir().unwrap();
    let vcf = dir.path().join("vep.vcf");
    let text = format!(
        "{HEADER}##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|HGVSc|HGVSp|MANE_SELECT\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\n\
chr1\t500\t.\tCT\tC\t50\tPASS\tCSQ=-|frameshift_variant|HIGH|ABC1|1234|Transcript|NM_1.2|protein_coding|NM_1.2:c.10del|NP_1.1:p.Leu4fs|NM_1.2,-|intron_variant|MODIFIER|ABC1|1234|Transcript|NM_9.1|protein_coding|||\tGT:AD:DP:GQ\t0/1:10,10:20:99\n\
chr1\t700\t.\tG\tA\t50\tPASS\tCSQ=A|synonymous_variant|LOW|ABC1|1234|Transcript|NM_1.2|protein_coding|NM_1.2:c.30G>A|NP_1.1:p.Leu10%3D|NM_1.2\tGT:AD:DP:GQ\t0/1:10,10:20:99\n"
    );
    std::fs::write(&vcf, text).unwrap();
    let c = AnalysisConfig::new(&vcf, AnnotationChoice::Vcf(None));
    let a = analyze(&c).unwrap();
    assert!(a.annotation.starts_with("VCF INFO/CSQ"));
    let g = a.gene("ABC1").unwrap();
    assert_eq!(g.ncbi_gene_id, Some(1234));
    assert_eq!(g.variants.len(), 1);
    let v = &g.variants[0];
    assert_eq!(
        (v.pos, v.reference.as_str(), v.alt.as_str()),
        (500, "CT", "C")
    );
    assert_eq!(v.consequence, Consequence::FrameshiftVariant);
    assert_eq!(v.hgvs_c.as_deref(), Some("NM_1.2:c.10del"));
    assert_eq!(a.filters.removed[&R::Consequence], 1);
    // asking for SnpEff ANN on a VEP-annotated file is a clear error
    let c = AnalysisConfig::new(
        &vcf,
        AnnotationChoice::Vcf(Some(odyssey_variant::annotation::VcfAnnotationKind::Ann)),
    );
    let e = analyze(&c).unwrap_err().to_string();
    assert!(e.contains("vep.vcf") && e.contains("INFO/ANN"), "{e}");
}

#[test]
fn malformed_input_gives_file_and_line() {
    let bad_gq = rec("chr1", 1500, "A", "G", &["0/1:15,15:30:abc"]);
    let f = fixture(
        &["kid"],
        &[rec("chr1", 1400, "A", "G", &["0/1"]), bad_gq],
        None,
    );
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(
        e.contains("fam.vcf: line 17: sample kid: GQ \"abc\" is not a number"),
        "{e}"
    );
    let short = "chr1\t1500\t.\tA\n".to_string();
    let f = fixture(&["kid"], &[short], None);
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(e.contains("fam.vcf: line 16: expected at least 8 tab-separated columns (10 with samples; the header names 1 sample(s), so 10), found 4"), "{e}");
    let bad_pos = "chr1\tx\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n".to_string();
    let f = fixture(&["kid"], &[bad_pos], None);
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(e.contains("line 16") && e.contains("POS"), "{e}");
    let missing_sample = "chr1\t1500\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n".to_string();
    let f = fixture(
        &["kid", "mum"],
        &[missing_sample],
        Some("F kid 0 mum 1 2\nF mum 0 0 2 1\n"),
    );
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(
        e.contains("line 16") && e.contains("1 sample columns"),
        "{e}"
    );
}

#[test]
fn samples_and_assembly_are_checked() {
    let f = fixture(
        &["kid", "dad", "mum"],
        &[rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/0"])],
        None,
    );
    let e = analyze(&config(&f)).unwrap_err().to_string();
    assert!(e.contains("3 samples") && e.contains("--proband"), "{e}");
    let mut c = config(&f);
    c.proband = Some("nobody".into());
    let e = analyze(&c).unwrap_err().to_string();
    assert!(
        e.contains("proband \"nobody\" is not a sample of the VCF (samples: kid, dad, mum)"),
        "{e}"
    );
    let mut c = config(&f);
    c.proband = Some("kid".into());
    c.assembly = Some(Assembly::GRCh37);
    let e = analyze(&c).unwrap_err().to_string();
    assert!(
        e.contains("assembly mismatch")
            && e.contains("chr1 has length 248956422, which is GRCh38's"),
        "{e}"
    );
    // a position past the chromosome end is an assembly mismatch too (header without lengths)
    let dir = tempfile::tempdir().unwrap();
    let vcf = dir.path().join("nolen.vcf");
    std::fs::write(&vcf, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\nchrM\t16570\t.\tA\tG\t50\tPASS\t.\tGT\t1\n").unwrap();
    let mut c = AnalysisConfig::new(
        &vcf,
        AnnotationChoice::Annotator(std::sync::Arc::new(annotator())),
    );
    let e = analyze(&c).unwrap_err().to_string();
    assert!(e.contains("--assembly"), "{e}");
    c.assembly = Some(Assembly::GRCh38);
    let e = analyze(&c).unwrap_err().to_string();
    assert!(
        e.contains("line 3: position chrM:16570 is beyond the end of chromosome MT"),
        "{e}"
    );
    // phenopacket sex contradicting the pedigree
    let f = fixture(
        &["kid"],
        &[rec("chr1", 1500, "A", "G", &["0/1"])],
        Some("F kid 0 0 2 2\n"),
    );
    let mut c = config(&f);
    c.proband_sex = Some(odyssey_variant::pedigree::Sex::Male);
    assert!(analyze(&c)
        .unwrap_err()
        .to_string()
        .contains("Female in the pedigree but Male in the phenopacket"));
}

/// Converts a VCF to BCF with noodles.
fn to_bcf(vcf: &std::path::Path, bcf: &std::path::Path) {
    use noodles::vcf::variant::io::Write as _;
    let mut r = noodles::vcf::io::reader::Builder::default()
        .build_from_path(vcf)
        .unwrap();
    let header = r.read_header().unwrap();
    let mut w = noodles::bcf::io::Writer::new(std::fs::File::create(bcf).unwrap());
    w.write_variant_header(&header).unwrap();
    for rec in r.record_bufs(&header) {
        w.write_variant_record(&header, &rec.unwrap()).unwrap();
    }
    w.try_finish().unwrap();
}

#[test]
fn bcf_gives_the_same_result_as_vcf() {
    let recs = [
        rec("chr1", 1200, "A", "G", &["0/1", "0/1", "0/0"]),
        rec("chr1", 1800, "C", "T", &["0/1", "0/0", "0/1"]),
        rec(
            "chr1",
            1500,
            "A",
            "G,T",
            &[
                "1/2:0,14,16:30:99",
                "0/1:15,15,0:30:99",
                "0/2:15,0,15:30:99",
            ],
        ),
        rec("chrX", 10_005_000, "A", "G", &["1", "0", "0/1"]),
    ];
    let f = fixture(&["kid", "dad", "mum"], &recs, Some(TRIO));
    let bcf = f.dir.path().join("fam.bcf");
    to_bcf(&f.vcf, &bcf);
    let a = run(&f);
    let mut c = config(&f);
    c.vcf = bcf.clone();
    let b = analyze(&c).unwrap();
    assert_eq!(b.vcf_format, odyssey_variant::input::VcfFormat::Bcf);
    let strip = |a: &odyssey_variant::analysis::GenotypeAnalysis| {
        let mut v = serde_json::to_value(&a.genes).unwrap();
        for g in v.as_array_mut().unwrap() {
            for var in g["variants"].as_array_mut().unwrap() {
                var["vcf_location"] = serde_json::Value::Null;
            }
        }
        v
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.filters, b.filters);
    assert!(a.genotype_lr("GENEA", M::AutosomalRecessive).compatible);
}

#[test]
fn bgzipped_input_with_threads() {
    let recs = [rec("chr1", 1500, "A", "G", &["0/1", "0/0", "0/0"])];
    let f = fixture(&["kid", "dad", "mum"], &recs, Some(TRIO));
    let gz = f.dir.path().join("fam.vcf.gz");
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&gz).unwrap());
    w.write_all(&std::fs::read(&f.vcf).unwrap()).unwrap();
    w.finish().unwrap();
    let mut c = config(&f);
    c.vcf = gz;
    c.threads = 2;
    let a = analyze(&c).unwrap();
    assert_eq!(a.vcf_format, odyssey_variant::input::VcfFormat::VcfBgzf);
    assert!(a.gene("GENEA").unwrap().variants[0]
        .compatible_modes
        .contains(&Pattern::DeNovo));
}

#[test]
fn variant_tsv_has_one_row_per_gene_variant() {
    let f = filter_fixture();
    let a = analyze(&filter_config(&f)).unwrap();
    let mut out = Vec::new();
    a.write_variant_tsv(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 4);
    assert!(lines[0].starts_with("gene\tchrom\tpos"));
    assert!(
        lines[1].starts_with("GENEA\t1\t1550\tA\tG\tsynonymous_variant"),
        "{}",
        lines[1]
    );
    assert!(
        lines[4].starts_with("GENEC\t1\t9100\tC\tT\tstop_gained"),
        "{}",
        lines[4]
    );
    let cols = lines[0].split('\t').count();
    assert!(lines.iter().all(|l| l.split('\t').count() == cols));
    let _ = path_str(&f.vcf);
}
