//! TSV tables: the variant table's cells, and every column documented in docs/tsv-output.md.

mod common;

use common::*;
use odyssey_report::*;

fn table(
    f: impl Fn(&AnalysisReport, &mut Vec<u8>) -> std::io::Result<()>,
    r: &AnalysisReport,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut out = Vec::new();
    f(r, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with("##"));
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| l.split('\t').map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn variant_table() {
    let r = full_report();
    let (h, rows) = table(|r, o| write_variants_tsv(r, o), &r);
    assert_eq!(h.len(), 24);
    assert_eq!(rows.len(), 2, "one row per candidate variant");
    let cell =
        |row: &Vec<String>, name: &str| row[h.iter().position(|c| c == name).unwrap()].clone();
    let a = &rows[0];
    assert!(a.iter().all(|c| !c.contains('\t')) && a.len() == h.len());
    assert_eq!(cell(a, "gene_rank"), "1");
    assert_eq!(cell(a, "gene"), "FGFR2");
    assert_eq!(
        (
            cell(a, "chrom"),
            cell(a, "pos"),
            cell(a, "ref"),
            cell(a, "alt")
        ),
        ("chr10".into(), "121520160".into(), "G".into(), "C".into())
    );
    assert_eq!(cell(a, "hgvs_c"), "c.1019A>G");
    assert_eq!(cell(a, "genotypes"), "KID=0/1;DAD=0/0;MUM=0/0");
    assert_eq!(cell(a, "genotype_qualities"), "KID=99;DAD=99;MUM=99");
    assert_eq!(cell(a, "allelic_depths"), "KID=20,20;DAD=20,20;MUM=20,20");
    assert_eq!(cell(a, "allele_frequency"), "");
    assert_eq!(
        (
            cell(a, "clinvar_significance"),
            cell(a, "clinvar_stars"),
            cell(a, "clinvar_id")
        ),
        ("Pathogenic".into(), "2".into(), "13261".into())
    );
    assert_eq!(cell(a, "scores"), "CADD_PHRED=28.4;REVEL=0.93");
    assert_eq!(cell(a, "pathogenicity"), "0.9700");
    assert_eq!(cell(a, "modes_of_inheritance"), "AD,de novo");
    assert_eq!(cell(a, "filter"), "PASS");
    assert_eq!(cell(a, "heteroplasmy"), "");
    let b = &rows[1];
    assert_eq!(
        (
            cell(b, "gene_rank"),
            cell(b, "allele_frequency"),
            cell(b, "frequency_source")
        ),
        ("2".into(), "0.00012".into(), "gnomAD exomes (nfe)".into())
    );
    // provenance lines first
    let mut out = Vec::new();
    write_variants_tsv(&r, &mut out).unwrap();
    assert!(String::from_utf8(out)
        .unwrap()
        .starts_with("## odyssey 0.1.0 method=lr"));
    assert!(has_variant_analysis(&r) && !has_variant_analysis(&phenotype_only_report()));
}

#[test]
fn every_column_is_documented() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/tsv-output.md"),
    )
    .unwrap();
    let r = full_report();
    for (name, h) in [
        ("genes", table(|r, o| write_genes_tsv(r, o), &r).0),
        ("diseases", table(|r, o| write_diseases_tsv(r, o), &r).0),
        ("variants", table(|r, o| write_variants_tsv(r, o), &r).0),
    ] {
        for c in h {
            assert!(
                doc.contains(&format!("| `{c}` |")),
                "{name} column {c} is not documented"
            );
        }
    }
}

/// The header lines carry the terms not used and the analysis warnings, in every table.
#[test]
fn header_carries_ignored_terms_and_warnings() {
    let r = full_report();
    type Writer = fn(&AnalysisReport, &mut Vec<u8>) -> std::io::Result<()>;
    let writers: [Writer; 3] = [
        |r, o| write_genes_tsv(r, o),
        |r, o| write_diseases_tsv(r, o),
        |r, o| write_variants_tsv(r, o),
    ];
    for f in writers {
        let mut out = Vec::new();
        f(&r, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("##")).collect();
        assert!(header.contains(&"## ignored=HP:9999999 (unknown HPO term); -HP:0000005 (not a phenotypic abnormality (mode of inheritance))"), "{header:#?}");
        // issue 12: every table names the proband (individual and VCF sample) and the family
        assert!(
            header.contains(&"## proband=kid sample=KID family=FAM1"),
            "{header:#?}"
        );
        let warnings: Vec<&str> = header
            .iter()
            .filter_map(|l| l.strip_prefix("## warning="))
            .collect();
        assert_eq!(
            warnings,
            r.warnings.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
    // nothing to say: no such lines
    let mut r = full_report();
    r.warnings.clear();
    r.case.ignored.clear();
    let mut out = Vec::new();
    write_genes_tsv(&r, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("## ignored=") && !text.contains("## warning="));
}

/// A pedigree whose ids differ from the VCF's samples: each genotype names the person and the
/// sample (`father (VCF: DAD)`); a mitochondrial variant's heteroplasmy has its own column.
#[test]
fn variant_table_names_people_and_heteroplasmy() {
    let mut r = full_report();
    let v = &mut r.genes[0].variants[0];
    v.genotypes[1].individual = Some("father".into());
    // the same id in both: shown once
    v.genotypes[2].individual = Some("MUM".into());
    v.heteroplasmy = Some(0.1);
    let (h, rows) = table(|r, o| write_variants_tsv(r, o), &r);
    let cell = |name: &str| rows[0][h.iter().position(|c| c == name).unwrap()].clone();
    assert_eq!(cell("genotypes"), "KID=0/1;father (VCF: DAD)=0/0;MUM=0/0");
    assert_eq!(cell("depths"), "KID=40;father (VCF: DAD)=40;MUM=40");
    assert_eq!(cell("heteroplasmy"), "0.1000");
}
