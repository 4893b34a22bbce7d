//! Real-data check on the Exomiser Pfeiffer exome (`../shared/data/vcf/exomiser-pfeiffer`,
//! GRCh37, one sample, 37,709 records, a spiked FGFR2 variant 10:123256215 T>G flagged
//! `SPIKED`): the genotype side of the "ranks FGFR2 first" check.
//!
//! Gene annotation comes from a coarse exon table (GENCODE v24 canonical exons in ../shared),
//! a stand-in until Odyssey's embedded transcript models exist; the phenotype side (which
//! decides the final rank among the many genes with a plausible genotype) is the pipeline's.
//!
//! Checks: the spiked allele passes every filter and fits AD; `--explain FGFR2` accounts for
//! every FGFR2 allele; the filter counts add up.
//!
//! Run: `cargo run --release -p odyssey-variant --example pfeiffer`.

#[path = "support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;

use odyssey_genome::Assembly;
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice};
use odyssey_variant::inheritance::{ModeOfInheritance as M, Pattern};
use odyssey_variant::pedigree::Sex;
use support::{check, finish, shared_dir, ExonTableAnnotator};

fn main() {
    let Some(shared) = shared_dir() else { return };
    let mut failures = Vec::new();
    let t = Instant::now();
    let ann = ExonTableAnnotator::load(
        &shared.join("data/transcripts/spliceai-1.3.1-gencode-v24-canonical/grch37.txt.gz"),
    );
    let t_ann = t.elapsed().as_secs_f64();
    let mut c = AnalysisConfig::new(
        shared.join("data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz"),
        AnnotationChoice::Annotator(Arc::new(ann)),
    );
    c.assembly = Some(Assembly::GRCh37); // the phenopacket's hg19
    c.proband = Some("manuel".into());
    c.proband_sex = Some(Sex::Male);
    c.explain = vec!["FGFR2".parse().unwrap()];
    let t = Instant::now();
    let a = analyze(&c).unwrap();
    let t_run = t.elapsed().as_secs_f64();
    println!("exon table load {t_ann:.3} s; analysis {t_run:.3} s");
    println!(
        "records {}, alleles {}, passed {}, genes {}; removed: {}",
        a.filters.records,
        a.filters.alleles,
        a.filters.passed,
        a.genes.len(),
        serde_json::to_string(&a.filters.removed).unwrap()
    );
    check(
        &mut failures,
        a.filters.records == 37_709,
        "37,709 records read",
    );
    check(
        &mut failures,
        a.filters.passed + a.filters.removed_total() == a.filters.alleles,
        "counts add up",
    );
    let v = a
        .gene("FGFR2")
        .and_then(|g| g.variants.iter().find(|v| v.pos == 123_256_215));
    check(
        &mut failures,
        v.is_some(),
        "spiked FGFR2 10:123256215 T>G passes the filters",
    );
    check(
        &mut failures,
        v.is_some_and(|v| v.compatible_modes.contains(&Pattern::AutosomalDominant)),
        "it fits AD",
    );
    let lr = a.genotype_lr("FGFR2", M::AutosomalDominant);
    println!("FGFR2 AD: {}", lr.explanation);
    check(
        &mut failures,
        lr.compatible && lr.lr > 1.0,
        "FGFR2 AD genotype LR > 1",
    );
    let fg: Vec<String> = a
        .explain
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e.variant,
                e.outcome,
                e.reasons
                    .iter()
                    .map(|r| r.reason.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    println!("--explain FGFR2:\n  {}", fg.join("\n  "));
    check(
        &mut failures,
        a.explain
            .iter()
            .any(|e| e.variant == "10-123256215-T-G" && e.outcome == "passed"),
        "--explain FGFR2 lists the spike as passed",
    );
    // the quartet PED shipped with the exome names other individuals: a clear error
    let ped = odyssey_variant::pedigree::Pedigree::from_ped_file(
        &shared.join("data/vcf/exomiser-pfeiffer/Pfeiffer-quartet.ped"),
    )
    .unwrap();
    let mut c2 = c.clone();
    c2.pedigree = Some(ped);
    c2.explain.clear();
    let e = analyze(&c2)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    println!("with Pfeiffer-quartet.ped: {e}");
    check(
        &mut failures,
        e.contains("proband \"manuel\" is not in the pedigree"),
        "a PED without the proband is a clear error",
    );
    let ad_genes = a
        .genes
        .iter()
        .filter(|g| {
            g.modes_of_inheritance
                .iter()
                .any(|m| m.mode == M::AutosomalDominant && m.compatible)
        })
        .count();
    println!("genes with an AD-compatible allele: {ad_genes} (the phenotype decides among them)");
    finish(&failures);
}
