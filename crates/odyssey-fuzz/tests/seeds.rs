//! The seeds of the gene-model and source targets are valid inputs, read to the values their
//! text states, so that fuzzing starts from files the parsers accept (a seed that is already
//! refused would only exercise the first check).

use std::path::{Path, PathBuf};

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_genome::{Assembly, Chrom, VariantKey};
use odyssey_variant::sources::config::parse_sources_toml;
use odyssey_variant::sources::SourceSet;

fn seed(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(p)
}

fn key(c: Chrom, pos: u32, r: &str, a: &str) -> VariantKey {
    VariantKey::new(c, pos, r, a).unwrap()
}

#[test]
fn gtf_seed_builds_both_transcripts() {
    let (_, stats) = build(&BuildOptions {
        models: vec![seed("gtf/small.gtf")],
        fasta: vec![seed("fasta/ref.fa")],
        assembly: Assembly::GRCh38,
        label: None,
        flank: 10,
        whole_transcripts: false,
    })
    .unwrap();
    // TX1 (CDS 21-40 and 61-70, stop codon 71-73) and the non-coding TX2
    assert_eq!((stats.transcripts, stats.coding), (2, 1));
}

/// Opens `file` (copied into a scratch folder as `name`) with the `[[source]]` of `toml`.
fn open(file: &str, name: &str, toml: &str) -> (tempfile::TempDir, SourceSet) {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(seed(file), d.path().join(name)).unwrap();
    let srcs = parse_sources_toml(toml, &d.path().join("s.toml"))
        .unwrap()
        .1;
    let set = SourceSet::open(&srcs, Assembly::GRCh38).unwrap();
    (d, set)
}

#[test]
fn source_seeds_give_the_values_they_hold() {
    let c1 = Chrom::autosome(1).unwrap();
    let c2 = Chrom::autosome(2).unwrap();
    let (_d, mut g) = open(
        "source_vcf/gnomad-like.vcf",
        "src.vcf",
        "[[source]]\nname='g'\nrole='frequency'\npath='src.vcf'\npopulations=['afr']\nnhomalt='nhomalt'\n",
    );
    let a = g.annotate(&key(c1, 100, "C", "T")).unwrap();
    assert_eq!((a.max_af, a.max_nhomalt), (Some(0.3), Some(2))); // AF_afr 0.3 > AF 0.25
                                                                 // 2:60 GAT>GCT trims to 2:61 A>C
    assert_eq!(
        g.annotate(&key(c2, 61, "A", "C")).unwrap().max_af,
        Some(0.001)
    );
    let (_d, mut c) = open(
        "source_vcf/clinvar-like.vcf",
        "src.vcf",
        "[[source]]\nname='c'\nrole='clinvar'\npath='src.vcf'\n",
    );
    let cv = c
        .annotate(&key(c1, 100, "C", "T"))
        .unwrap()
        .clinvar
        .unwrap();
    assert_eq!(cv.stars, 2); // multiple submitters, no conflicts
    let (_d, mut s) = open(
        "source_vcf/spliceai-like.vcf",
        "src.vcf",
        "[[source]]\nname='s'\nrole='score'\nscore='spliceai'\npath='src.vcf'\n",
    );
    let ds = s.annotate(&key(c1, 100, "C", "T")).unwrap();
    assert_eq!(ds.scores.get("spliceai"), Some(&0.91)); // max of DS_AG..DS_DL
    let (_d, mut cadd) = open(
        "source_tsv/cadd-like.tsv",
        "src.txt",
        "[[source]]\nname='cadd'\nrole='score'\nscore='cadd_phred'\npath='src.txt'\n",
    );
    let x = cadd.annotate(&key(c1, 100, "C", "G")).unwrap();
    assert_eq!(x.scores.get("cadd_phred"), Some(&25.1));
    let (_d, mut revel) = open(
        "source_tsv/revel-like.csv",
        "src.txt",
        "[[source]]\nname='r'\nrole='score'\nscore='revel'\npath='src.txt'\n",
    );
    let x = revel.annotate(&key(c1, 100, "C", "T")).unwrap();
    assert_eq!(x.scores.get("revel"), Some(&0.031)); // two transcripts: the maximum
    let (_d, mut local) = open(
        "source_tsv/in-house.tsv",
        "src.txt",
        "[[source]]\nname='l'\nrole='local_frequency'\npath='src.txt'\n",
    );
    assert_eq!(
        local.annotate(&key(c2, 50, "A", "G")).unwrap().local_af,
        Some(1.0)
    );
}
