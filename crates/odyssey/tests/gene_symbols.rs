//! Issue 12: gene models' symbols normalised to the knowledge base's (previous symbols and
//! aliases of NCBI Gene, `crates/odyssey-variant/data/gene-aliases.tsv.gz`).
//!
//! `data/hapmap_exome_chr22_large_selo.vcf` holds the four records of the HapMap exome excerpt
//! of the Debian package r-bioc-variantannotation (Artistic-2.0, ../shared/README.md:
//! `vcf/1000g-chr22/hapmap_exome_chr22.vcf.gz`) that fall in LARGE1 (GRCh37 22:33.67-34.32 Mb)
//! and SELENOO (22:50.64-50.66 Mb), as written. The embedded GRCh37 gene models hold LARGE1 only
//! as a GENCODE v24 chain named `LARGE` without ids (its MANE model did not lift), and SELENOO
//! both as its MANE model (NCBI Gene 83642) and as a v24 chain named `SELO`.

use std::path::PathBuf;
use std::sync::Arc;

use odyssey::{AnalysisRequest, CaseSource, Engine, KbHandle};
use odyssey_genome::Assembly;
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis};
use odyssey_variant::annotation::{GeneSymbols, Resolution};
use odyssey_variant::filter::ExplainQuery;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hapmap_exome_chr22_large_selo.vcf")
}

/// NA18913, one of the two carriers (0/1, AD 13,15, GQ 99) of rs59349720 (22:34046452 G>A),
/// in exon 4 of the v24 chain `LARGE` (n.881C>T).
const CARRIER: &str = "NA18913@1099927630";

fn kb() -> KbHandle {
    KbHandle::embedded().unwrap()
}

/// The genotype analysis of the fixture for the carrier, with the embedded GRCh37 models,
/// with or without the knowledge base's symbols.
fn genotypes(symbols: Option<Arc<GeneSymbols>>, explain: &[&str]) -> GenotypeAnalysis {
    let ann = odyssey_annotate::Annotator::embedded(Assembly::GRCh37).unwrap();
    let mut cfg = AnalysisConfig::new(fixture(), AnnotationChoice::Annotator(Arc::new(ann)));
    cfg.assembly = Some(Assembly::GRCh37);
    cfg.proband = Some(CARRIER.into());
    cfg.gene_symbols = symbols;
    cfg.explain = explain
        .iter()
        .map(|q| q.parse::<ExplainQuery>().unwrap())
        .collect();
    analyze(&cfg).unwrap()
}

/// The symbols of the embedded knowledge base, resolved as NCBI Gene (2022-09) lists them:
/// LARGE is a previous symbol of LARGE1 only, SEPN1 of SELENON only; TAZ is
/// TAFAZZIN's previous symbol on X and an alias of WWTR1 on 3; GBA is GBA1's previous symbol
/// and an alias of the pseudogene GBAP1, both on 1; ATP6 is NCBI's symbol of MT-ATP6.
#[test]
fn embedded_table_resolves_as_ncbi_lists_the_genes() {
    let kb = kb();
    let s = odyssey::gene_symbols(&kb.kb).unwrap();
    assert_eq!(
        s.resolve("LARGE", None, Some("22")),
        Resolution::RenamedByAlias("LARGE1")
    );
    assert_eq!(
        s.resolve("SEPN1", None, Some("1")),
        Resolution::RenamedByAlias("SELENON")
    );
    assert_eq!(
        s.resolve("TAZ", None, Some("X")),
        Resolution::RenamedByAlias("TAFAZZIN")
    );
    assert_eq!(s.resolve("TAZ", None, Some("3")), Resolution::Kept);
    assert_eq!(
        s.resolve("TAZ", None, None),
        Resolution::Ambiguous(vec!["TAFAZZIN", "WWTR1"])
    );
    assert_eq!(
        s.resolve("GBA", None, Some("1")),
        Resolution::Ambiguous(vec!["GBA1", "GBAP1"])
    );
    assert_eq!(
        s.resolve("ATP6", None, Some("MT")),
        Resolution::RenamedByAlias("MT-ATP6")
    );
    // NCBI Gene 9215 is LARGE1 whatever the model calls it; 83642 (SELENOO) is not a
    // knowledge-base gene, so its symbol stays
    assert_eq!(
        s.resolve("LARGE", Some(9215), None),
        Resolution::RenamedById("LARGE1")
    );
    assert_eq!(s.resolve("SELENOO", Some(83642), None), Resolution::Kept);
    assert_eq!(s.resolve("LARGE1", None, Some("22")), Resolution::Kept);
}

/// The LARGE1 allele counts for LARGE1 (and so for its diseases) only with the knowledge
/// base's symbols; without them it sits under `LARGE`, which no disease names.
#[test]
fn grch37_large_allele_counts_for_large1() {
    let kb = kb();
    let symbols = Arc::new(odyssey::gene_symbols(&kb.kb).unwrap());
    let g = genotypes(Some(symbols), &["LARGE"]);
    let e = g.gene("LARGE1").expect("LARGE1 has the allele");
    assert_eq!(e.variants.len(), 1);
    assert_eq!(e.variants[0].pos, 34_046_452);
    assert!(g.gene("LARGE").is_none());
    assert!(
        g.annotation
            .contains("renamed to the knowledge base's current ones: LARGE → LARGE1"),
        "{}",
        g.annotation
    );
    // `--explain LARGE` (the previous symbol) finds the LARGE1 alleles
    let ex: Vec<_> = g
        .explain
        .iter()
        .filter(|x| x.outcome != "not found")
        .collect();
    assert!(
        ex.iter()
            .any(|x| x.variant.contains("34046452")
                && x.genes.iter().any(|s| s.starts_with("LARGE1:"))),
        "{:?}",
        g.explain
    );
    // without: the same allele under the models' symbol
    let g = genotypes(None, &[]);
    assert_eq!(g.gene("LARGE").map(|e| e.variants.len()), Some(1));
    assert!(g.gene("LARGE1").is_none());
    // SELENOO's MANE model keeps its symbol; its v24 chain SELO (no NCBI id) is not a
    // knowledge-base gene's other name, so it stays too
    let kbg = kb.kb.gene_by_symbol("SELENOO");
    assert!(kbg.is_none(), "SELENOO is not a knowledge-base gene");
}

/// Through the engine, as `odyssey analyze` runs it: LARGE1 is reported with the allele and
/// the diseases the knowledge base links to it (the dystroglycanopathies OMIM:613154,
/// OMIM:608840, OMIM:236670 ...), for a child with the phenotype of OMIM:613154.
#[test]
fn grch37_large_allele_reaches_large1_diseases_in_the_report() {
    let e = Engine::new(kb());
    let mut req = AnalysisRequest::new(CaseSource::Terms).with_terms(
        [
            "HP:0003236", // elevated circulating creatine kinase
            "HP:0001290", // generalized hypotonia
            "HP:0000580", // pigmentary retinopathy
            "HP:0001305", // Dandy-Walker malformation
            "HP:0001263", // global developmental delay
            "HP:0002119", // ventriculomegaly
        ],
        false,
    );
    req.vcf = Some(fixture());
    req.options.proband = Some(CARRIER.into());
    req.options.assembly = Some(Assembly::GRCh37);
    req.options.top = 50;
    let report = e.analyze(&req).unwrap();
    let large1 = report
        .genes
        .iter()
        .find(|g| g.symbol == "LARGE1")
        .expect("LARGE1 ranked");
    assert_eq!(large1.ncbi_gene_id, "NCBIGene:9215");
    assert_eq!(
        large1.variants.iter().map(|v| v.pos).collect::<Vec<_>>(),
        [34_046_452]
    );
    assert!(large1.variants.iter().all(|v| v.gene == "LARGE1"));
    for d in ["OMIM:613154", "OMIM:608840", "OMIM:236670"] {
        assert!(
            large1.diseases.iter().any(|x| x == d),
            "{d}: {:?}",
            large1.diseases
        );
    }
    assert!(!report.genes.iter().any(|g| g.symbol == "LARGE"));
}

/// A real record in a gene whose GRCh37 v24 chain bears an ambiguous previous symbol: GIAB
/// HG002's 1:155206341 T>G lies in GBA1, which the embedded models hold as its MANE model
/// (NCBI Gene 2629) and as a v24 chain named `GBA`, a previous symbol of GBA1 and an alias of
/// GBAP1 (both on chromosome 1). The ambiguous `GBA` is never used: the allele reaches GBA1
/// through the MANE model only, `GBA` stays a gene of no disease, and the warning names it
/// with both candidates. Reads
/// `../shared` (GIAB trio, slivar test data); skipped when absent.
#[test]
fn ambiguous_previous_symbol_is_not_used() {
    let vcf = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/vcf/giab-ashkenazi-trio/ashk-trio.vcf.gz");
    if !vcf.exists() {
        eprintln!("skipped: {} is absent", vcf.display());
        return;
    }
    let kb = kb();
    let ann = odyssey_annotate::Annotator::embedded(Assembly::GRCh37).unwrap();
    let mut cfg = AnalysisConfig::new(&vcf, AnnotationChoice::Annotator(Arc::new(ann)));
    cfg.assembly = Some(Assembly::GRCh37);
    cfg.proband = Some("HG002".into());
    cfg.gene_symbols = Some(Arc::new(odyssey::gene_symbols(&kb.kb).unwrap()));
    // a gene query annotates the alleles before any filter
    cfg.explain = vec!["GBA1".parse().unwrap()];
    let g = analyze(&cfg).unwrap();
    let entry = g
        .explain
        .iter()
        .find(|x| x.variant.contains("155206341"))
        .expect("explained");
    let genes: Vec<&str> = entry
        .genes
        .iter()
        .map(|s| s.split(':').next().unwrap())
        .collect();
    // GBA1 from the MANE model; the v24 chain keeps its ambiguous symbol, linked to no gene
    assert_eq!(genes, ["GBA", "GBA1"]);
    let w = g
        .warnings
        .iter()
        .find(|w| w.contains("previous symbols or aliases of several genes"))
        .expect("ambiguous symbols warned about");
    assert!(w.contains("GBA (GBA1 or GBAP1;"), "{w}");
    assert!(!g.annotation.contains("GBA →"), "{}", g.annotation);
}
