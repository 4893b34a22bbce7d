//! Criterion benchmarks of the phenotype ranking (issue 3 targets: one 10-term case ranked
//! against all diseases and genes in under 2 ms median on one core once the knowledge base is
//! loaded; embedded knowledge base ready in under 50 ms).
//!
//! `cargo bench -p odyssey-bench --bench ranking`
//!
//! The Resnik baseline is measured in the same session, so its ratio to the default model is
//! comparable across machines.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Case, CaseInput, Method, PhenotypeScorer, ScorerOptions, Scratch, TermInput};

/// A 10-term case (Marfan-like features; 8 observed, 2 excluded).
const TERMS: [(&str, bool); 10] = [
    ("HP:0001166", false), // Arachnodactyly
    ("HP:0001519", false), // Disproportionate tall stature
    ("HP:0001083", false), // Ectopia lentis
    ("HP:0002616", false), // Aortic root aneurysm
    ("HP:0000768", false), // Pectus carinatum
    ("HP:0001382", false), // Joint hypermobility
    ("HP:0000218", false), // High palate
    ("HP:0002650", false), // Scoliosis
    ("HP:0001249", true),  // Intellectual disability (excluded)
    ("HP:0001250", true),  // Seizure (excluded)
];

fn case(kb: &KnowledgeBase) -> Case {
    let input = CaseInput {
        id: "bench".into(),
        terms: TERMS
            .iter()
            .map(|&(id, excluded)| TermInput {
                id: id.into(),
                label: None,
                excluded,
            })
            .collect(),
        ..Default::default()
    };
    let c = Case::resolve(&input, kb).expect("terms of HPO 2025-01-16");
    assert_eq!(c.observed.len() + c.excluded.len(), 10, "all 10 terms used");
    c
}

fn benches(c: &mut Criterion) {
    // the drop of the loaded KB is not timed
    c.bench_function("kb_load_embedded", |b| {
        b.iter_with_large_drop(|| KnowledgeBase::embedded().expect("embedded KB"))
    });
    let kb = KnowledgeBase::embedded().expect("embedded KB");
    c.bench_function("index_build_default", |b| {
        b.iter_with_large_drop(|| PhenotypeScorer::new(&kb, ScorerOptions::default()))
    });
    let scorer = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let case = case(&kb);
    let mut scratch = Scratch::default();
    for (name, method) in [
        ("rank_10_terms_lr", Method::LikelihoodRatio),
        ("rank_10_terms_resnik", Method::Resnik),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| black_box(scorer.rank_with(black_box(&case), method, &mut scratch)))
        });
    }
    let mut scores = Vec::new();
    c.bench_function("scores_only_10_terms_lr", |b| {
        b.iter(|| {
            scorer.scores_with(
                black_box(&case),
                Method::LikelihoodRatio,
                &mut scratch,
                &mut scores,
            );
            black_box(scores.len())
        })
    });
    scorer.scores_with(&case, Method::LikelihoodRatio, &mut scratch, &mut scores);
    c.bench_function("ranking_from_scores_lr", |b| {
        b.iter(|| {
            black_box(scorer.ranking_from_scores(
                black_box(&scores),
                Method::LikelihoodRatio,
                &case,
            ))
        })
    });
}

criterion_group! {
    name = ranking;
    config = Criterion::default().sample_size(50);
    targets = benches
}
criterion_main!(ranking);
