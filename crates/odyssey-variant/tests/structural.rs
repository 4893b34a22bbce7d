//! Structural variants and copy-number changes through the whole genotype analysis, on
//! hand-made VCFs, gene models and sources (coordinates derived by hand in the comments),
//! and the evidence readers on the real excerpts of ../shared (skipped when absent).

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use odyssey_annotate::structural::structural_effect;
use odyssey_annotate::{Cds, CodingRegion, Strand, Transcript, TranscriptFlags};
use odyssey_genome::{Assembly, Chrom, Consequence, SvInterval, VariantKey};
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis};
use odyssey_variant::annotation::{GeneAnnotator, GeneEffect};
use odyssey_variant::inheritance::{ModeOfInheritance, Pattern};
use odyssey_variant::structural::sources::{
    parse_structural_toml, read_structural_toml, StructuralSources,
};
use odyssey_variant::structural::{parse_symbolic, SvGeneDetail};

/// GENE1 on chr1, forward strand: exons 1001-1100, 2001-2100, 3001-3100, 4001-4100, CDS
/// 1051-4050 (coding bases per exon 50, 100, 100, 50). XGENE on chrX 10,000,001-10,010,000
/// (one exon, non-coding for simplicity).
fn models() -> Vec<Transcript> {
    let t = |sym: &str, chrom: Chrom, exons: Vec<(u32, u32)>, coding: CodingRegion| Transcript {
        id: Some(Arc::from(format!("NM_{sym}.1").as_str())),
        gene_id: None,
        gene_symbol: Some(Arc::from(sym)),
        ncbi_gene_id: None,
        hgnc_id: None,
        protein_id: None,
        biotype: Arc::from("protein_coding"),
        chrom,
        strand: Strand::Forward,
        exons,
        coding,
        flags: TranscriptFlags {
            mane_select: true,
            ..TranscriptFlags::default()
        },
        refseq_match: None,
        refseq_protein: None,
    };
    vec![
        t(
            "GENE1",
            chr(1),
            vec![(1001, 1100), (2001, 2100), (3001, 3100), (4001, 4100)],
            CodingRegion::Coding(Cds {
                start: 1051,
                end: 4050,
                phase: 0,
            }),
        ),
        t(
            "XGENE",
            Chrom::X,
            vec![(10_000_001, 10_010_000)],
            CodingRegion::NonCoding,
        ),
    ]
}

/// Small variants: frameshift in GENE1's exons, missense elsewhere in the gene; structural
/// events through Odyssey's structural rules on the models above.
struct SvAnnotator(Vec<Transcript>);

impl GeneAnnotator for SvAnnotator {
    fn describe(&self) -> String {
        "test models".into()
    }
    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        self.0
            .iter()
            .filter(|t| t.chrom == key.chrom && t.start() <= key.pos && key.pos <= t.end())
            .map(|t| GeneEffect {
                gene_symbol: t.gene_symbol.as_deref().unwrap().to_string(),
                ncbi_gene_id: None,
                transcript: t.id.as_deref().map(str::to_string),
                consequences: vec![Consequence::FrameshiftVariant],
                hgvs_c: None,
                hgvs_p: None,
                preferred: true,
            })
            .collect()
    }
    fn annotate_structural(&self, sv: &SvInterval) -> Vec<(GeneEffect, SvGeneDetail)> {
        self.0
            .iter()
            .filter_map(|t| {
                let e = structural_effect(t, sv, 5000)?;
                Some((
                    GeneEffect {
                        gene_symbol: t.gene_symbol.as_deref().unwrap().to_string(),
                        ncbi_gene_id: None,
                        transcript: t.id.as_deref().map(str::to_string),
                        consequences: e.consequences.clone(),
                        hgvs_c: Some(e.description.clone()),
                        hgvs_p: None,
                        preferred: true,
                    },
                    SvGeneDetail {
                        transcript: t.id.as_deref().map(str::to_string),
                        whole_transcript: e.whole_transcript,
                        intragenic: e.intragenic,
                        exons: e.exons,
                        exon_count: e.exon_count,
                        coding_bases: e.coding_bases,
                        in_frame: e.in_frame,
                        description: e.description,
                    },
                ))
            })
            .collect()
    }
}

fn sv_config(f: &Fixture) -> AnalysisConfig {
    let mut c = AnalysisConfig::new(
        &f.vcf,
        AnnotationChoice::Annotator(Arc::new(SvAnnotator(models()))),
    );
    c.pedigree = f.pedigree.clone();
    c.threads = 1;
    c
}

fn sv_run(f: &Fixture) -> GenotypeAnalysis {
    analyze(&sv_config(f)).unwrap()
}

/// A structural record: `chrom pos N alt` QUAL 50 PASS `info`, FORMAT `GT:CN`.
fn sv_rec(chrom: &str, pos: u32, alt: &str, info: &str, samples: &[&str]) -> String {
    format!(
        "{chrom}\t{pos}\t.\tN\t{alt}\t50\tPASS\t{info}\tGT:CN\t{}\n",
        samples.join("\t")
    )
}

#[test]
fn deletion_in_trans_with_a_frameshift_is_a_compound_heterozygote() {
    // DEL 1501-2500 removes exon 2 (100 coding bp, out of frame: score 1) from dad; the
    // frameshift at 3050 from mum (score 1): k = 2, LR = lr(2, 2, 0.1) × 4.33 (in trans)
    let f = fixture(
        &["kid", "dad", "mum"],
        &[
            sv_rec(
                "chr1",
                1500,
                "<DEL>",
                "SVTYPE=DEL;END=2500",
                &["0/1:1", "0/1:1", "0/0:2"],
            ),
            rec("chr1", 3050, "A", "AT", &["0/1", "0/0", "0/1"]),
        ],
        Some(TRIO),
    );
    let a = sv_run(&f);
    let g = a.gene("GENE1").expect("GENE1");
    assert_eq!(g.variants.len(), 2);
    let del = g.variants.iter().find(|v| v.alt == "<DEL>").unwrap();
    assert_eq!(del.consequence, Consequence::ExonLossVariant);
    let s = del.structural.as_ref().unwrap();
    assert_eq!(s.summary, "DEL 1:1501-2500 (1,000 bp)");
    assert_eq!(
        s.gene_effect.description,
        "exon 2 of 4 deleted (100 coding bp, out of frame)"
    );
    assert_eq!(del.score.score, 1.0);
    let ar = g
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == ModeOfInheritance::AutosomalRecessive)
        .unwrap();
    assert!(ar.compatible);
    assert_eq!(ar.pattern, Some(Pattern::AutosomalRecessiveCompoundHet));
    let expected = lr(2.0, 2.0, 0.1) * 4.33;
    assert!(
        (ar.lr - expected).abs() < 1e-6 * expected,
        "{} vs {expected}",
        ar.lr
    );
    assert!(
        ar.explanation.contains("DEL 1:1501-2500"),
        "{}",
        ar.explanation
    );
}

#[test]
fn copy_number_only_deletion_fits_de_novo() {
    // a <CNV> called by depth (GT ./.): kid CN 1 (a loss), parents CN 2 (reference). The
    // deletion 501-5000 covers GENE1 (1001-4100) whole: score 1, k = 1, de novo × 18.7
    let f = fixture(
        &["kid", "dad", "mum"],
        &[sv_rec(
            "chr1",
            500,
            "<CNV>",
            "SVTYPE=CNV;END=5000",
            &["./.:1", "./.:2", "./.:2"],
        )],
        Some(TRIO),
    );
    let a = sv_run(&f);
    let g = a.gene("GENE1").expect("GENE1");
    let v = &g.variants[0];
    assert_eq!(v.consequence, Consequence::TranscriptAblation);
    assert_eq!(v.genotypes[0].gt, "0/1 (CN 1)");
    assert!(v.compatible_modes.contains(&Pattern::DeNovo));
    let ad = g
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == ModeOfInheritance::AutosomalDominant)
        .unwrap();
    assert_eq!(ad.pattern, Some(Pattern::DeNovo));
    assert!((ad.lr - lr(1.0, 1.0, 0.1) * 18.7).abs() < 1e-6);
}

#[test]
fn homozygous_deletion_fits_autosomal_recessive() {
    // CN 0 in the kid, CN 1 in each parent: homozygous whole-gene deletion, k = 2 × 1
    let f = fixture(
        &["kid", "dad", "mum"],
        &[sv_rec(
            "chr1",
            500,
            "<DEL>",
            "SVTYPE=DEL;END=5000",
            &["./.:0", "./.:1", "./.:1"],
        )],
        Some(TRIO),
    );
    let a = sv_run(&f);
    let g = a.gene("GENE1").expect("GENE1");
    assert_eq!(g.best_mode, Some(ModeOfInheritance::AutosomalRecessive));
    let ar = &g.modes_of_inheritance[0];
    assert_eq!(ar.pattern, Some(Pattern::AutosomalRecessiveHomozygous));
    assert_eq!(ar.observed, 2.0);
}

#[test]
fn symbolic_records_without_extent_and_sanity_warnings() {
    let f = fixture(
        &["kid", "dad", "mum"],
        &[
            // no END or SVLEN: removed as unsupported, with the reason
            sv_rec(
                "chr1",
                1500,
                "<DEL>",
                "SVTYPE=DEL",
                &["0/1:1", "0/0:2", "0/0:2"],
            ),
            // a heterozygous deletion on the son's X outside the PARs
            sv_rec(
                "chrX",
                10_000_500,
                "<DEL>",
                "SVTYPE=DEL;END=10001500",
                &["0/1:1", "0/0:1", "0/0:2"],
            ),
            // a breakend in GENE1's intron 2: kept and reported as a gene disruption
            sv_rec(
                "chr1",
                2500,
                "N[chr2:321682[",
                "SVTYPE=BND",
                &["0/1:.", "0/0:.", "0/1:."],
            ),
        ],
        Some(TRIO),
    );
    let a = sv_run(&f);
    let r = a
        .removed
        .iter()
        .find(|r| r.variant.contains("<DEL>") && r.vcf_location == "line 16")
        .unwrap_or_else(|| panic!("{:#?}", a.removed));
    assert!(
        r.detail.contains("without INFO END or SVLEN"),
        "{}",
        r.detail
    );
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("structural call(s) contradict")
                && w.contains("male's X outside the pseudo-autosomal regions")),
        "{:#?}",
        a.warnings
    );
    let g = a.gene("GENE1").expect("GENE1 from the breakend");
    let bnd = &g.variants[0];
    assert_eq!(bnd.consequence, Consequence::FeatureTruncation);
    let s = bnd.structural.as_ref().unwrap();
    assert_eq!(
        s.gene_effect.description,
        "breakend in intron 2: gene disrupted"
    );
    assert_eq!(s.event.mate.as_deref(), Some("chr2:321682"));
}

/// Writes a population VCF with records at the given (POS, END, AF).
fn population_vcf(dir: &Path, recs: &[(u32, u32, &str, f64)]) -> std::path::PathBuf {
    let mut t =
        String::from("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    for (pos, end, id, af) in recs {
        t.push_str(&format!(
            "chr1\t{pos}\t{id}\tN\t<DEL>\t999\tPASS\tEND={end};SVTYPE=DEL;AF={af}\n"
        ));
    }
    let p = dir.join("pop.vcf");
    std::fs::write(&p, t).unwrap();
    p
}

#[test]
fn population_frequency_by_reciprocal_overlap() {
    // the event: DEL 1501-2500 (1000 bp)
    //   A: POS 1700 END 2600 → 1701-2600 (900 bp), shared 1701-2500 = 800:
    //      800/1000 = 0.8, 800/900 = 0.889 → overlap 0.8 (matches at 0.7, not at 0.9)
    //   B: POS 1000 END 3500 → 1001-3500 (2500 bp), shared 1000: 1000/2500 = 0.4 → no match
    let f = fixture(
        &["kid"],
        &[sv_rec(
            "chr1",
            1500,
            "<DEL>",
            "SVTYPE=DEL;END=2500",
            &["0/1:1"],
        )],
        None,
    );
    let pop = population_vcf(
        f.dir.path(),
        &[(1700, 2600, "popA", 0.0005), (1000, 3500, "popB", 0.3)],
    );
    let toml = format!(
        "[[structural]]\nname = \"gnomad_sv\"\nkind = \"population\"\npath = \"{}\"\n",
        pop.display()
    );
    let toml_path = f.dir.path().join("sources.toml");
    std::fs::write(&toml_path, &toml).unwrap();
    let mut cfg = sv_config(&f);
    cfg.structural = read_structural_toml(&toml_path).unwrap();
    let a = analyze(&cfg).unwrap();
    let v = &a.gene("GENE1").unwrap().variants[0];
    assert_eq!(v.af, Some(0.0005));
    assert_eq!(v.af_source.as_deref(), Some("gnomad_sv:popA (80% overlap)"));
    // frequency factor 1 − (0.0005/0.02)² = 0.999375
    assert!((v.score.frequency_factor - 0.999375).abs() < 1e-6);
    // at min_overlap 0.9, neither record matches
    let toml90 = format!("{toml}min_overlap = 0.9\n");
    let mut cfg = sv_config(&f);
    cfg.structural = parse_structural_toml(&toml90, &toml_path).unwrap();
    let a = analyze(&cfg).unwrap();
    assert_eq!(a.gene("GENE1").unwrap().variants[0].af, None);
    // a common match removes the event (AF 0.3 > 2 %) when it overlaps enough: B alone
    // with min_overlap 0.4
    let toml40 = format!("{toml}min_overlap = 0.4\n");
    let mut cfg = sv_config(&f);
    cfg.structural = parse_structural_toml(&toml40, &toml_path).unwrap();
    let a = analyze(&cfg).unwrap();
    assert!(a.gene("GENE1").is_none());
    assert!(a
        .removed
        .iter()
        .any(|r| r.detail.contains("gnomad_sv:popB")));
}

#[test]
fn clinvar_and_dosage_evidence() {
    // whole-gene duplication 501-5000 of GENE1: 0.3 alone; TS 3 in the dosage list → 1
    let f = fixture(
        &["kid"],
        &[sv_rec(
            "chr1",
            500,
            "<DUP>",
            "SVTYPE=DUP;END=5000",
            &["0/1:3"],
        )],
        None,
    );
    let dir = f.dir.path();
    let dosage = dir.join("dosage.tsv");
    std::fs::write(
        &dosage,
        "#ClinGen Gene Curation Results\n#Gene Symbol\tGene ID\tcytoBand\tGenomic Location\tHaploinsufficiency Score\tTriplosensitivity Score\nGENE1\t1\t1p36\tchr1:1001-4100\t0\t3\n",
    )
    .unwrap();
    // a ClinVar copy-number gain 1001-5000 (4000 bp): shared with 501-5000 (4500 bp) is
    // 4000 → overlap 4000/4500 = 0.889, Pathogenic, single submitter (1 star)
    let clinvar = dir.join("clinvar.jsonl");
    std::fs::write(
        &clinvar,
        r#"{"accession": {"accession": "VCV000000001"}, "name": "test gain", "variationType": "VARIATION_TYPE_COPY_NUMBER_GAIN", "classifications": {"germlineClassification": {"reviewStatus": "AGGREGATE_GERMLINE_REVIEW_STATUS_CRITERIA_PROVIDED_SINGLE_SUBMITTER", "description": "Pathogenic"}}, "sequenceLocation": {"assembly": "GRCh38", "chr": "CHROMOSOME_1", "start": 1001, "stop": 5000}}
"#,
    )
    .unwrap();
    let toml_path = dir.join("sources.toml");
    let toml = format!(
        "[[structural]]\nname = \"clingen\"\nkind = \"dosage\"\npath = \"{}\"\n",
        dosage.display()
    );
    let mut cfg = sv_config(&f);
    cfg.structural = parse_structural_toml(&toml, &toml_path).unwrap();
    let a = analyze(&cfg).unwrap();
    let v = &a.gene("GENE1").unwrap().variants[0];
    assert_eq!(v.consequence, Consequence::TranscriptAmplification);
    assert_eq!(v.score.score, 1.0);
    assert!(v.score.basis.contains("ClinGen TS 3"), "{}", v.score.basis);
    // without the dosage list: 0.3; with the ClinVar match: P with a star → 1 and × 18.7
    let toml = format!(
        "[[structural]]\nname = \"clinvar_sv\"\nkind = \"clinvar\"\npath = \"{}\"\n",
        clinvar.display()
    );
    let mut cfg = sv_config(&f);
    cfg.structural = parse_structural_toml(&toml, &toml_path).unwrap();
    let plain = analyze(&sv_config(&f)).unwrap();
    assert_eq!(plain.gene("GENE1").unwrap().variants[0].score.score, 0.3);
    let a = analyze(&cfg).unwrap();
    let g = a.gene("GENE1").unwrap();
    let s = g.variants[0].structural.as_ref().unwrap();
    assert_eq!(s.evidence.clinvar[0].accession, "VCV000000001");
    assert!((s.evidence.clinvar[0].overlap - 4000.0 / 4500.0).abs() < 1e-9);
    assert_eq!(g.variants[0].score.score, 1.0);
    let ad = g
        .modes_of_inheritance
        .iter()
        .find(|m| m.mode == ModeOfInheritance::AutosomalDominant)
        .unwrap();
    assert!(
        (ad.lr - lr(1.0, 1.0, 0.1) * 18.7).abs() < 1e-6,
        "{}",
        ad.explanation
    );
}

#[test]
fn structural_toml_errors_name_the_problem() {
    let p = Path::new("/tmp/x/sources.toml");
    let e = parse_structural_toml("[[structural]]\nname = \"a\"\nkind = \"population\"\n", p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no path or paths"), "{e}");
    let e = parse_structural_toml(
        "[[structural]]\nname = \"a\"\nkind = \"population\"\npath = \"a.vcf\"\nmin_overlap = 1.5\n",
        p,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("min_overlap 1.5"), "{e}");
    // the small-variant reader accepts the [[structural]] tables beside [[source]]
    let text = "[[source]]\nname = \"g\"\nrole = \"frequency\"\npath = \"g.vcf\"\n\n[[structural]]\nname = \"a\"\nkind = \"dosage\"\npath = \"d.tsv\"\n";
    let (_, small) = odyssey_variant::sources::config::parse_sources_toml(text, p).unwrap();
    assert_eq!(small.len(), 1);
    assert_eq!(parse_structural_toml(text, p).unwrap().len(), 1);
    // a missing file is named with its source when the sources are opened
    let missing = parse_structural_toml(text, p).unwrap();
    let e = StructuralSources::open(&missing, Assembly::GRCh37)
        .err()
        .expect("a missing file must be refused")
        .to_string();
    assert!(
        e.contains("[[structural]] \"a\"") && e.contains("/tmp/x/d.tsv not found"),
        "{e}"
    );
}

/// A file given as a dosage list that is not one (here ClinVar JSON lines) is refused naming
/// the file and what was expected, not a line 0.
#[test]
fn a_dosage_list_without_its_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cv.jsonl");
    std::fs::write(&path, "{\"accession\": {\"accession\": \"VCV1\"}}\n").unwrap();
    let toml = format!(
        "[[structural]]\nname = \"d\"\nkind = \"dosage\"\npath = \"{}\"\n",
        path.display()
    );
    let sources = parse_structural_toml(&toml, &dir.path().join("sources.toml")).unwrap();
    let e = StructuralSources::open(&sources, Assembly::GRCh38)
        .err()
        .expect("a file without the dosage header must be refused")
        .to_string();
    assert!(
        e.contains(&path.display().to_string())
            && e.contains("no header line starting with '#Gene Symbol' or '#ISCA ID'")
            && !e.contains("line 0"),
        "{e}"
    );
}

/// A ClinVar structural record whose bounds are not integers, or whose stop comes before its
/// start, is refused with the file and line, not skipped in silence.
#[test]
fn clinvar_records_with_bad_bounds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rec = |loc: &str| {
        format!(
            r#"{{"accession": {{"accession": "VCV1"}}, "variationType": "VARIATION_TYPE_COPY_NUMBER_LOSS", "sequenceLocation": {{"assembly": "GRCh38", "chr": "CHROMOSOME_1", {loc}}}}}"#
        )
    };
    for (loc, expected) in [
        (
            r#""innerStart": "abc", "innerStop": 500"#,
            "sequenceLocation.innerStart \"abc\" is not a non-negative integer",
        ),
        (
            r#""start": 900, "stop": 500"#,
            "sequenceLocation stop 500 is before its start 900",
        ),
    ] {
        let path = dir.path().join("cv.jsonl");
        let good = rec(r#""start": 100, "stop": 200"#);
        std::fs::write(&path, format!("{good}\n{}\n", rec(loc))).unwrap();
        let toml_path = dir.path().join("sources.toml");
        let toml = format!(
            "[[structural]]\nname = \"cv\"\nkind = \"clinvar\"\npath = \"{}\"\n",
            path.display()
        );
        let sources = parse_structural_toml(&toml, &toml_path).unwrap();
        let e = StructuralSources::open(&sources, Assembly::GRCh38)
            .err()
            .expect("bad bounds must be refused")
            .to_string();
        assert!(
            e.contains("cv.jsonl: line 2") && e.contains(expected),
            "{e}"
        );
    }
}

/// The real excerpts of ../shared (annonars test data): gnomAD-SV v2.1, ClinVar structural
/// records and the ClinGen gene and region lists, all GRCh37.
#[test]
fn real_excerpts_of_gnomad_sv_clinvar_and_clingen() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/annotations/annonars-excerpts");
    if !base.exists() {
        eprintln!(
            "skipped: {} is absent (../shared not beside the project)",
            base.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        "[[structural]]\nname = \"gnomad_sv2\"\nkind = \"population\"\npath = \"{}\"\n\n\
         [[structural]]\nname = \"clinvar_sv\"\nkind = \"clinvar\"\npath = \"{}\"\n\n\
         [[structural]]\nname = \"clingen_genes\"\nkind = \"dosage\"\npath = \"{}\"\n\n\
         [[structural]]\nname = \"clingen_regions\"\nkind = \"dosage\"\npath = \"{}\"\n",
        base.join("gnomad-sv/gnomad-sv2/gnomad_v2.1_sv.sites.vcf")
            .display(),
        base.join("clinvar-sv/clinvar-variants-grch37-strucvars.jsonl")
            .display(),
        base.join("genes/clingen/ClinGen_gene_curation_list_GRCh37.tsv")
            .display(),
        base.join("regions/clingen/ClinGen_region_curation_list_GRCh37.tsv")
            .display(),
    );
    let cfg = parse_structural_toml(&toml, &dir.path().join("s.toml")).unwrap();
    let s = StructuralSources::open(&cfg, Assembly::GRCh37).unwrap();
    // gnomAD-SV_v2.1_DEL_1_1: 1:21000 END=26000 AF=0.016073; the same call matches it whole
    let del = parse_symbolic(chr(1), 21000, "<DEL>", "SVTYPE=DEL;END=26000")
        .unwrap()
        .unwrap();
    let e = s.evidence(&del);
    assert_eq!(e.population[0].id, "gnomAD-SV_v2.1_DEL_1_1");
    assert_eq!(e.population[0].af, 0.016073);
    assert_eq!(e.population[0].overlap, 1.0);
    // half of it (21001-23500 of 21001-26000: 2500/5000 = 0.5) does not match at 0.7
    let half = parse_symbolic(chr(1), 21000, "<DEL>", "SVTYPE=DEL;END=23500")
        .unwrap()
        .unwrap();
    assert!(s
        .evidence(&half)
        .population
        .iter()
        .all(|m| m.id != "gnomAD-SV_v2.1_DEL_1_1"));
    // a duplication at the same place is not matched by the deletion
    let dup = parse_symbolic(chr(1), 21000, "<DUP>", "SVTYPE=DUP;END=26000")
        .unwrap()
        .unwrap();
    assert!(s
        .evidence(&dup)
        .population
        .iter()
        .all(|m| m.id != "gnomAD-SV_v2.1_DEL_1_1"));
    // VCV000057627: GRCh37 22:34150132-34182300, copy-number loss, Pathogenic, 1 star
    let cnv = parse_symbolic(
        Chrom::autosome(22).unwrap(),
        34_150_131,
        "<DEL>",
        "END=34182300",
    )
    .unwrap()
    .unwrap();
    let e = s.evidence(&cnv);
    let m = e
        .clinvar
        .iter()
        .find(|m| m.accession == "VCV000057627")
        .expect("VCV000057627");
    assert_eq!(m.overlap, 1.0);
    assert_eq!(m.stars, 1);
    assert!(m.significance.is_pathogenic_or_likely());
    // ClinGen: AAGAB haploinsufficiency 3, A4GALT 30 (autosomal recessive)
    assert_eq!(s.gene_dosage("AAGAB").unwrap().haploinsufficiency, Some(3));
    assert_eq!(
        s.gene_dosage("A4GALT").unwrap().haploinsufficiency,
        Some(30)
    );
    // the 22q11.2 distal type III region (ISCA-46747, 22:23119415-24994433, HI 3) is covered
    // by a loss of 22:23000000-25000000
    let big = parse_symbolic(
        Chrom::autosome(22).unwrap(),
        22_999_999,
        "<DEL>",
        "END=25000000",
    )
    .unwrap()
    .unwrap();
    let e = s.evidence(&big);
    assert!(e
        .regions
        .iter()
        .any(|r| r.label.starts_with("ISCA-46747") && r.haploinsufficiency == Some(3)));
}
