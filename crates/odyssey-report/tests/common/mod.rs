//! Hand-built reports for the renderer tests. SYNTHETIC: the case, scores and variants are made
//! up to exercise every section (family, variants, ClinVar, filters, ties, NOT evidence); they
//! are not a real analysis.

#![allow(dead_code)]

use std::collections::BTreeMap;

use odyssey_report::*;

pub fn term(id: &str, label: &str, observed: bool) -> TermRef {
    TermRef {
        id: id.into(),
        label: label.into(),
        observed,
    }
}

pub fn ev(
    term: &str,
    label: &str,
    observed: bool,
    kind: &str,
    dterm: Option<(&str, &str)>,
    freq: Option<f64>,
    lr: f64,
) -> TermEvidence {
    TermEvidence {
        term: term.into(),
        label: label.into(),
        observed,
        match_kind: kind.into(),
        disease_term: dterm.map(|d| d.0.to_string()),
        disease_term_label: dterm.map(|d| d.1.to_string()),
        frequency: freq,
        lr,
    }
}

pub fn gt(sample: &str, genotype: &str) -> SampleGenotype {
    SampleGenotype {
        sample: sample.into(),
        individual: None,
        genotype: genotype.into(),
        gq: Some(99),
        dp: Some(40),
        ad: vec![20, 20],
    }
}

pub fn provenance(method: &str) -> Provenance {
    Provenance {
        version: "0.1.0".into(),
        knowledge_base: KnowledgeBaseInfo {
            hpo_release: "2025-01-16".into(),
            annotations_release: "2025-01-16".into(),
            source: "embedded".into(),
            checksum: "0123456789abcdef".into(),
            calibration: None,
        },
        method: method.into(),
        parameters: serde_json::json!({ "assembly": "GRCh38", "pretest_unknown": 0.5 }),
        inputs: vec![
            InputFile {
                role: "phenopacket".into(),
                path: "cases/demo.json".into(),
                checksum: Some("aaaaaaaaaaaaaaaa".into()),
            },
            InputFile {
                role: "vcf".into(),
                path: "cases/demo.vcf.gz".into(),
                checksum: None,
            },
        ],
        sources: vec![SourceInfo {
            name: "clinvar".into(),
            role: "clinvar".into(),
            version: "2024-05".into(),
            path: None,
        }],
        command: vec!["odyssey".into(), "analyze".into(), "cases/demo.json".into()],
        created: "2026-11-29T20:13:40Z".into(),
    }
}

/// A trio report with variants, ClinVar, family, filters, a tie and a NOT contradiction.
pub fn full_report() -> AnalysisReport {
    let pfeiffer_ev = vec![
        ev(
            "HP:0001363",
            "Craniosynostosis",
            true,
            "exact",
            Some(("HP:0001363", "Craniosynostosis")),
            Some(0.9),
            24.5,
        ),
        ev(
            "HP:0011304",
            "Broad thumb",
            true,
            "exact",
            Some(("HP:0011304", "Broad thumb")),
            Some(0.8),
            61.0,
        ),
        ev(
            "HP:0000520",
            "Proptosis",
            true,
            "ancestor",
            Some(("HP:0000478", "Abnormality of the eye")),
            None,
            2.3,
        ),
        ev(
            "HP:0001249",
            "Intellectual disability",
            false,
            "none",
            None,
            None,
            1.4,
        ),
        ev(
            "HP:0000028",
            "Cryptorchidism",
            true,
            "not",
            Some(("HP:0000028", "Cryptorchidism")),
            None,
            0.002,
        ),
    ];
    let crouzon_ev = vec![
        ev(
            "HP:0001363",
            "Craniosynostosis",
            true,
            "exact",
            Some(("HP:0001363", "Craniosynostosis")),
            Some(0.95),
            25.0,
        ),
        ev("HP:0011304", "Broad thumb", true, "none", None, None, 0.05),
        ev(
            "HP:0000520",
            "Proptosis",
            true,
            "exact",
            Some(("HP:0000520", "Proptosis")),
            Some(0.9),
            30.0,
        ),
        ev(
            "HP:0001249",
            "Intellectual disability",
            false,
            "exact",
            Some(("HP:0001249", "Intellectual disability")),
            Some(0.05),
            1.05,
        ),
        ev(
            "HP:0000028",
            "Cryptorchidism",
            true,
            "partial",
            Some(("HP:0000032", "Abnormality of male external genitalia")),
            Some(0.5),
            0.78,
        ),
    ];
    let fgfr2 = GeneRef {
        symbol: "FGFR2".into(),
        ncbi_gene_id: "NCBIGene:2263".into(),
    };
    let fgfr1 = GeneRef {
        symbol: "FGFR1".into(),
        ncbi_gene_id: "NCBIGene:2260".into(),
    };
    let diseases = vec![
        DiseaseResult {
            equivalent_ids: Vec::new(),
            rank: 1,
            tie_size: 1,
            id: "OMIM:101600".into(),
            label: "Pfeiffer syndrome".into(),
            score: 3.1234,
            post_test_probability: Some(0.8312345678901234),
            modes_of_inheritance: vec!["AD".into()],
            genes: vec![fgfr2.clone(), fgfr1.clone()],
            evidence: pfeiffer_ev,
        },
        DiseaseResult {
            equivalent_ids: Vec::new(),
            rank: 2,
            tie_size: 1,
            id: "OMIM:123500".into(),
            label: "Crouzon syndrome".into(),
            score: 1.9,
            post_test_probability: Some(0.12000000000000001),
            modes_of_inheritance: vec!["AD".into()],
            genes: vec![fgfr2.clone()],
            evidence: crouzon_ev,
        },
        DiseaseResult {
            equivalent_ids: Vec::new(),
            rank: 4,
            tie_size: 2,
            id: "ORPHA:87".into(),
            label: "Apert syndrome <with markup & \"quotes\">".into(),
            score: 0.5,
            post_test_probability: Some(0.0004),
            modes_of_inheritance: vec![],
            genes: vec![],
            evidence: vec![],
        },
        DiseaseResult {
            equivalent_ids: Vec::new(),
            rank: 4,
            tie_size: 2,
            id: "DECIPHER:1".into(),
            label: "Wolf-Hirschhorn syndrome".into(),
            score: 0.5,
            post_test_probability: Some(0.0004),
            modes_of_inheritance: vec![],
            genes: vec![],
            evidence: vec![],
        },
    ];
    let mut scores = BTreeMap::new();
    scores.insert("REVEL".to_string(), 0.93);
    scores.insert("CADD_PHRED".to_string(), 28.4);
    let v1 = VariantResult {
        chrom: "chr10".into(),
        pos: 121_520_160,
        reference: "G".into(),
        alt: "C".into(),
        gene: "FGFR2".into(),
        transcript: Some("NM_000141.5".into()),
        consequence: "missense_variant".into(),
        hgvs_c: Some("c.1019A>G".into()),
        hgvs_p: Some("p.(Tyr340Cys)".into()),
        genotypes: vec![gt("KID", "0/1"), gt("DAD", "0/0"), gt("MUM", "0/0")],
        allele_frequency: None,
        frequency_source: None,
        clinvar: Some(ClinVarAssertion {
            significance: "Pathogenic".into(),
            stars: 2,
            id: Some("13261".into()),
        }),
        scores,
        pathogenicity: 0.97,
        modes_of_inheritance: vec!["AD".into(), "de novo".into()],
        filter: "PASS".into(),
        structural: None,
        heteroplasmy: None,
    };
    let v2 = VariantResult {
        chrom: "chr8".into(),
        pos: 38_411_000,
        reference: "CA".into(),
        alt: "C".into(),
        gene: "FGFR1".into(),
        transcript: Some("NM_023110.3".into()),
        consequence: "frameshift_variant".into(),
        hgvs_c: Some("c.1000del".into()),
        hgvs_p: Some("p.(Thr334fs)".into()),
        genotypes: vec![gt("KID", "1/1"), gt("DAD", "0/1"), gt("MUM", "0/1")],
        allele_frequency: Some(0.00012),
        frequency_source: Some("gnomAD exomes (nfe)".into()),
        clinvar: None,
        scores: BTreeMap::new(),
        pathogenicity: 0.9,
        modes_of_inheritance: vec!["AR".into()],
        filter: "PASS".into(),
        structural: None,
        heteroplasmy: None,
    };
    let genes = vec![
        GeneResult {
            rank: 1,
            tie_size: 1,
            symbol: "FGFR2".into(),
            ncbi_gene_id: "NCBIGene:2263".into(),
            score: 4.5,
            post_test_probability: Some(0.9512345678901234),
            diseases: vec!["OMIM:101600".into(), "OMIM:123500".into()],
            phenotype_score: Some(3.2),
            genotype_score: Some(1.3),
            modes_of_inheritance: vec!["AD".into()],
            disease_modes: vec![],
            genotype_fits: vec![],
            evidence: None,
            variants: vec![v1],
        },
        GeneResult {
            rank: 2,
            tie_size: 1,
            symbol: "FGFR1".into(),
            ncbi_gene_id: "NCBIGene:2260".into(),
            score: 1.25,
            post_test_probability: Some(0.031),
            diseases: vec!["OMIM:101600".into()],
            phenotype_score: Some(1.0),
            genotype_score: Some(0.25),
            modes_of_inheritance: vec!["AR".into()],
            disease_modes: vec![],
            genotype_fits: vec![],
            evidence: None,
            variants: vec![v2],
        },
        GeneResult {
            rank: 3,
            tie_size: 1,
            symbol: "TWIST1".into(),
            ncbi_gene_id: "NCBIGene:7291".into(),
            score: -0.7,
            post_test_probability: Some(0.00001),
            diseases: vec!["OMIM:101400".into()],
            phenotype_score: Some(0.1),
            genotype_score: Some(-0.8),
            modes_of_inheritance: vec![],
            disease_modes: vec![],
            genotype_fits: vec![],
            evidence: None,
            variants: vec![],
        },
    ];
    AnalysisReport {
        odyssey: provenance("lr"),
        case: CaseSummary {
            id: "SYNTHETIC-trio".into(),
            subject_id: Some("KID".into()),
            sex: Some("male".into()),
            age: Some("P3Y6M".into()),
            observed: vec!["HP:0001363".into(), "HP:0011304".into(), "HP:0000520".into(), "HP:0000028".into()],
            excluded: vec!["HP:0001249".into()],
            terms: vec![
                term("HP:0001363", "Craniosynostosis", true),
                term("HP:0011304", "Broad thumb", true),
                term("HP:0000520", "Proptosis", true),
                term("HP:0000028", "Cryptorchidism", true),
                term("HP:0001249", "Intellectual disability", false),
            ],
            ignored: vec![
                IgnoredTerm { id: "HP:9999999".into(), excluded: false, reason: "unknown HPO term".into() },
                IgnoredTerm { id: "HP:0000005".into(), excluded: true, reason: "not a phenotypic abnormality (mode of inheritance)".into() },
            ],
            remapped: vec![RemappedTerm { from: "HP:0001367".into(), to: "HP:0001363".into(), how: "alternative id".into() }],
            family: vec![
                FamilyMember { id: "kid".into(), sample: Some("KID".into()), sex: "male".into(), status: "affected".into(), father: Some("dad".into()), mother: Some("mum".into()), proband: true },
                FamilyMember { id: "dad".into(), sample: Some("DAD".into()), sex: "male".into(), status: "unaffected".into(), father: None, mother: None, proband: false },
                FamilyMember { id: "mum".into(), sample: Some("MUM".into()), sex: "female".into(), status: "unaffected".into(), father: None, mother: None, proband: false },
            ],
            family_id: Some("FAM1".into()),
        },
        diseases,
        genes,
        warnings: vec![
            "no population frequency source (--sources): common variants are not removed and genotype evidence is weak; configure gnomAD, see docs/sources.md".into(),
            "pedigree: \"DAD\" has unknown sex; taken as Male".into(),
        ],
        // every disease of every reported gene, by id
        disease_labels: [
            ("OMIM:101600", "Pfeiffer syndrome"),
            ("OMIM:123500", "Crouzon syndrome"),
            ("OMIM:101400", "Saethre-Chotzen syndrome"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect(),
        filters: Some(FilterSummary {
            records: 1000,
            variants: 1040,
            passed: 12,
            removed: vec![
                FilterCount { reason: "not_in_proband".into(), count: 700 },
                FilterCount { reason: "allele frequency above 0.001".into(), count: 200 },
                FilterCount { reason: "not in a gene's coding region or splice region".into(), count: 120 },
                FilterCount { reason: "consequence".into(), count: 12 },
                FilterCount { reason: "genotype does not fit any mode of inheritance".into(), count: 8 },
            ],
            filtered_variants: vec![
                FilteredVariant { variant: "chr10:121520200:A:G".into(), gene: Some("FGFR2".into()), reason: "allele frequency above 0.001".into() },
                FilteredVariant { variant: "chr1:1000:C:T".into(), gene: None, reason: "not in a gene's coding region or splice region".into() },
                FilteredVariant { variant: "chr4:1800000:G:A".into(), gene: Some("FGFR3".into()), reason: "genotype does not fit any mode of inheritance".into() },
                FilteredVariant { variant: "chr1:900:G:T".into(), gene: None, reason: "not_in_proband: proband GT 0|0".into() },
                FilteredVariant { variant: "chr8:38411500:A:G".into(), gene: None, reason: "consequence: FGFR1:intron_variant".into() },
            ],
        }),
    }
}

/// A phenotype-only report (no variants, family or filters).
pub fn phenotype_only_report() -> AnalysisReport {
    let mut r = full_report();
    r.filters = None;
    r.case.family.clear();
    r.odyssey.inputs.truncate(1);
    r.odyssey.sources.clear();
    r.odyssey.parameters = serde_json::json!({ "pretest_unknown": 0.5 });
    for g in &mut r.genes {
        g.variants.clear();
        g.modes_of_inheritance.clear();
        g.phenotype_score = None;
        g.genotype_score = None;
    }
    r
}

/// Values of `attr` on every start tag that has `kind_attr="kind"`, in document order.
pub fn tags_with<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(marker) {
        let start = rest[..=i].rfind('<').expect("tag start");
        let end = i + rest[i..].find('>').expect("tag end");
        out.push(&rest[start..=end]);
        rest = &rest[end + 1..];
    }
    out
}

/// The value of attribute `name` in a start tag, HTML entities for `&`, `<`, `>`, `"` and `'`
/// decoded.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = i + tag[i..].find('"')?;
    Some(
        tag[i..j]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&#x2f;", "/")
            .replace("&amp;", "&"),
    )
}
