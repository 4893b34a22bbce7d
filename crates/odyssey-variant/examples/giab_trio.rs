//! Real-data check on the GIAB Ashkenazi trio exome (HG002 son affected, HG003 father, HG004
//! mother; GRCh37, chr1 and part of chr2, 9,940 records with bcftools-csq `BCSQ`
//! annotations) from `../shared/data/vcf/giab-ashkenazi-trio`.
//!
//! Four spiked copies of the VCF are written to a temporary directory:
//!
//! 1. **de novo**: KLHL17 1:899892 C>A (ClinVar 916564, likely pathogenic missense, origin de
//!    novo) as `0/1` in HG002 and `0/0` (DP 40, GQ 99) in both parents: must be found as de novo
//!    (AD mode, de novo pattern).
//! 2. **de novo contradicted**: the same record with the father `0/1`: the de novo pattern must
//!    be rejected ("parent HG003 carries it").
//! 3. **compound heterozygous**: ISG15 1:949523 C>T (ClinVar 183381, pathogenic nonsense) from
//!    the father and 1:949739 G>T (ClinVar 161454, nonsense) from the mother, both `0/1` in
//!    HG002: must be found as AR compound heterozygous.
//! 4. **compound heterozygous contradicted**: both alleles in the father, none in the mother:
//!    must be rejected ("both alleles come from the father").
//!
//! The spiked records carry hand-written `BCSQ` entries copied from ClinVar's molecular
//! consequence (`MC`); ClinVar significance comes from the ClinVar test excerpt in
//! `../shared/data/annotations/exomiser-testdata` through a sources TOML.
//!
//! Run: `cargo run --release -p odyssey-variant --example giab_trio` (exit status 1 on a
//! failed check; prints a note and exits 0 when ../shared is absent).

#[path = "support/mod.rs"]
mod support;

use std::io::{BufRead, Write};
use std::path::Path;

use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis};
use odyssey_variant::annotation::VcfAnnotationKind;
use odyssey_variant::filter::ExplainQuery;
use odyssey_variant::inheritance::{ModeOfInheritance as M, Pattern};
use odyssey_variant::pedigree::Pedigree;
use odyssey_variant::sources::config::parse_sources_toml;
use support::{check, finish, shared_dir};

const PARENT_REF: &str = "0/0:40,0:40:99:0,120,1800";
const HET: &str = "0/1:20,18:38:99:500,0,600";

fn spiked(src: &Path, dst: &Path, extra: &[(u32, String)]) {
    let r = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(src).unwrap(),
    ));
    let mut w = std::io::BufWriter::new(std::fs::File::create(dst).unwrap());
    let mut pending: Vec<&(u32, String)> = extra.iter().collect();
    pending.sort_by_key(|e| e.0);
    let mut it = pending.into_iter().peekable();
    for line in r.lines() {
        let line = line.unwrap();
        if !line.starts_with('#') {
            let mut f = line.splitn(3, '\t');
            let (c, p) = (f.next().unwrap(), f.next().unwrap().parse::<u32>().unwrap());
            while let Some(e) = it.peek() {
                if c == "1" && e.0 < p {
                    writeln!(w, "{}", e.1).unwrap();
                    it.next();
                } else {
                    break;
                }
            }
        }
        writeln!(w, "{line}").unwrap();
    }
    for e in it {
        writeln!(w, "{}", e.1).unwrap();
    }
}

fn record(
    pos: u32,
    r: &str,
    a: &str,
    bcsq: &str,
    kid: &str,
    dad: &str,
    mum: &str,
) -> (u32, String) {
    (pos, format!("1\t{pos}\t.\t{r}\t{a}\t900\tPASS\tSPIKED;BCSQ={bcsq}\tGT:AD:DP:GQ:PL\t{kid}\t{dad}\t{mum}"))
}

fn run(vcf: &Path, shared: &Path, tmp: &Path, explain: &[&str]) -> GenotypeAnalysis {
    let ped = Pedigree::from_ped_file(&shared.join("data/vcf/giab-ashkenazi-trio/ashk-trio.ped"))
        .unwrap();
    let toml = format!(
        "assembly = \"GRCh37\"\n[[source]]\nname = \"clinvar\"\nrole = \"clinvar\"\npath = \"{}\"\n\n[[source]]\nname = \"gnomad_exomes\"\nrole = \"frequency\"\npreset = \"gnomad2\"\npath = \"{}\"\n",
        shared.join("data/annotations/exomiser-testdata/clinvar-test.vcf.gz").display(),
        shared.join("data/annotations/annonars-excerpts/gnomad-nuclear/example-exomes-grch37/v2.1/gnomad-exomes.vcf.bgz").display()
    );
    let (_, sources) = parse_sources_toml(&toml, &tmp.join("sources.toml")).unwrap();
    let mut c = AnalysisConfig::new(vcf, AnnotationChoice::Vcf(Some(VcfAnnotationKind::Bcsq)));
    c.pedigree = Some(ped);
    c.sources = sources;
    c.explain = explain
        .iter()
        .map(|e| e.parse::<ExplainQuery>().unwrap())
        .collect();
    let t = std::time::Instant::now();
    let a = analyze(&c).unwrap();
    println!(
        "  {}: {} records, {} alleles, {} passed, {} genes, {:.3} s",
        vcf.file_name().unwrap().to_string_lossy(),
        a.filters.records,
        a.filters.alleles,
        a.filters.passed,
        a.genes.len(),
        t.elapsed().as_secs_f64()
    );
    a
}

fn rank(a: &GenotypeAnalysis, gene: &str) -> Option<usize> {
    a.genes.iter().position(|g| g.symbol == gene).map(|i| i + 1)
}

fn main() {
    let Some(shared) = shared_dir() else { return };
    let src = shared.join("data/vcf/giab-ashkenazi-trio/ashk-trio.vcf.gz");
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let klhl17 = "missense|KLHL17||protein_coding|+|.|899892C>A";
    let isg15_a = "stop_gained|ISG15||protein_coding|+|.|949523C>T";
    let isg15_b = "stop_gained|ISG15||protein_coding|+|.|949739G>T";

    println!("1. spiked de novo KLHL17 1:899892 C>A");
    let vcf = tmp.path().join("denovo.vcf");
    spiked(
        &src,
        &vcf,
        &[record(
            899892, "C", "A", klhl17, HET, PARENT_REF, PARENT_REF,
        )],
    );
    let a = run(&vcf, &shared, tmp.path(), &["1:899892"]);
    println!(
        "     family {} ({}), proband {}, warnings: {}",
        a.family_id,
        a.family_structure,
        a.proband,
        a.warnings.len()
    );
    let g = a.gene("KLHL17");
    let v = g.and_then(|g| g.variants.iter().find(|v| v.pos == 899892));
    check(
        &mut failures,
        v.is_some_and(|v| v.compatible_modes.contains(&Pattern::DeNovo)),
        "KLHL17 variant passes and fits de novo",
    );
    let ad = g.and_then(|g| {
        g.modes_of_inheritance
            .iter()
            .find(|m| m.mode == M::AutosomalDominant)
    });
    check(
        &mut failures,
        ad.is_some_and(|m| m.pattern == Some(Pattern::DeNovo) && m.de_novo_factor > 1.0),
        "KLHL17 AD evidence uses the de novo pattern",
    );
    if let Some(m) = ad {
        println!("     {}", m.explanation);
    }
    check(
        &mut failures,
        v.is_some_and(|v| {
            v.clinvar
                .as_ref()
                .is_some_and(|c| c.significance.is_pathogenic_or_likely())
        }),
        "ClinVar LP assertion attached from the ClinVar source",
    );
    println!(
        "     KLHL17 rank by genotype LR: {:?} of {}",
        rank(&a, "KLHL17"),
        a.genes.len()
    );
    let dn_genes: Vec<&str> = a
        .genes
        .iter()
        .filter(|g| {
            g.variants
                .iter()
                .any(|v| v.compatible_modes.contains(&Pattern::DeNovo))
        })
        .map(|g| g.symbol.as_str())
        .collect();
    println!(
        "     genes with a de novo-compatible allele: {} ({})",
        dn_genes.len(),
        dn_genes
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    check(
        &mut failures,
        dn_genes.contains(&"KLHL17"),
        "de novo candidates include KLHL17",
    );
    let e = a.explain.iter().find(|e| e.variant == "1-899892-C-A");
    check(
        &mut failures,
        e.is_some_and(|e| e.outcome == "passed"),
        "--explain 1:899892 reports it passed",
    );

    println!("2. the same record with the father heterozygous (contradicts de novo)");
    let vcf = tmp.path().join("denovo_contradicted.vcf");
    spiked(
        &src,
        &vcf,
        &[record(899892, "C", "A", klhl17, HET, HET, PARENT_REF)],
    );
    let b = run(&vcf, &shared, tmp.path(), &[]);
    let v = b
        .gene("KLHL17")
        .and_then(|g| g.variants.iter().find(|v| v.pos == 899892));
    check(
        &mut failures,
        v.is_some_and(|v| !v.compatible_modes.contains(&Pattern::DeNovo)),
        "de novo rejected",
    );
    check(
        &mut failures,
        v.is_some_and(|v| {
            v.incompatible_modes
                .iter()
                .any(|w| w.contains("de_novo: parent HG003 carries it"))
        }),
        "reason: parent HG003 carries it",
    );
    let lr_a = a.genotype_lr("KLHL17", M::AutosomalDominant).lr;
    let lr_b = b.genotype_lr("KLHL17", M::AutosomalDominant).lr;
    println!("     KLHL17 AD genotype LR: de novo {lr_a:.3}, inherited {lr_b:.3}");
    check(
        &mut failures,
        lr_a > lr_b * 10.0,
        "the de novo genotype LR exceeds the inherited one by the de novo factor",
    );

    println!("3. spiked compound heterozygous ISG15 1:949523 C>T (father) + 1:949739 G>T (mother)");
    let vcf = tmp.path().join("comphet.vcf");
    spiked(
        &src,
        &vcf,
        &[
            record(949523, "C", "T", isg15_a, HET, HET, PARENT_REF),
            record(949739, "G", "T", isg15_b, HET, PARENT_REF, HET),
        ],
    );
    let c = run(&vcf, &shared, tmp.path(), &["ISG15"]);
    let g = c.gene("ISG15");
    let ar = g.and_then(|g| {
        g.modes_of_inheritance
            .iter()
            .find(|m| m.mode == M::AutosomalRecessive)
    });
    let pair_ok = ar.is_some_and(|m| {
        m.pattern == Some(Pattern::AutosomalRecessiveCompoundHet) && {
            let g = g.unwrap();
            let mut ps: Vec<u32> = m.variants.iter().map(|&i| g.variants[i].pos).collect();
            ps.sort();
            ps == vec![949523, 949739]
        }
    });
    check(
        &mut failures,
        pair_ok,
        "ISG15 AR evidence is the spiked compound heterozygous pair",
    );
    if let Some(m) = ar {
        println!("     {}", m.explanation);
    }
    check(
        &mut failures,
        g.is_some_and(|g| g.best_mode == Some(M::AutosomalRecessive)),
        "ISG15 best mode is AR",
    );
    println!(
        "     ISG15 rank by genotype LR: {:?} of {}",
        rank(&c, "ISG15"),
        c.genes.len()
    );
    println!("     --explain ISG15: {} alleles", c.explain.len());

    println!("4. both ISG15 alleles from the father (contradicts compound heterozygosity)");
    let vcf = tmp.path().join("comphet_contradicted.vcf");
    spiked(
        &src,
        &vcf,
        &[
            record(949523, "C", "T", isg15_a, HET, HET, PARENT_REF),
            record(949739, "G", "T", isg15_b, HET, HET, PARENT_REF),
        ],
    );
    let d = run(&vcf, &shared, tmp.path(), &[]);
    let g = d.gene("ISG15");
    let spiked_vs: Vec<_> = g
        .map(|g| {
            g.variants
                .iter()
                .filter(|v| v.pos == 949523 || v.pos == 949739)
                .collect()
        })
        .unwrap_or_default();
    check(
        &mut failures,
        spiked_vs.len() == 2
            && spiked_vs.iter().all(|v| {
                !v.compatible_modes
                    .contains(&Pattern::AutosomalRecessiveCompoundHet)
            }),
        "compound heterozygosity rejected",
    );
    check(
        &mut failures,
        spiked_vs.iter().any(|v| {
            v.incompatible_modes
                .iter()
                .any(|w| w.contains("both alleles come from the father HG003"))
        }),
        "reason: both alleles come from the father HG003",
    );
    let ar = d.genotype_lr("ISG15", M::AutosomalRecessive);
    println!("     ISG15 AR: {}", ar.explanation);
    check(
        &mut failures,
        !ar.explanation.contains("949523") || !ar.explanation.contains("949739"),
        "the rejected pair is not used for the AR LR",
    );

    println!(
        "filter counts of run 1: {}",
        serde_json::to_string(&a.filters.removed).unwrap()
    );
    finish(&failures);
}
