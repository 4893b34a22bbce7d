//! Load time and peak memory of the embedded knowledge base and the phenotype index, read
//! from `/proc/self/status` (VmHWM, VmRSS) in a fresh process (issue 3 target: embedded
//! knowledge base ready in under 50 ms and under 200 MB).
//!
//! `cargo bench -p odyssey-bench --bench kb_memory`

use std::time::Instant;

use odyssey_bench::timing::{current_rss_mib, peak_rss_mib, percentile_sorted};
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Case, CaseInput, PhenotypeScorer, ScorerOptions, TermInput};

fn mib(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.1}"))
}

fn main() {
    // criterion-style harness flags (e.g. `--bench`) are accepted and ignored
    let start_hwm = peak_rss_mib();
    let t = Instant::now();
    let kb = KnowledgeBase::embedded().expect("embedded KB");
    let first_load_ms = t.elapsed().as_secs_f64() * 1e3;
    let after_kb = (current_rss_mib(), peak_rss_mib());
    let t = Instant::now();
    let scorer = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    let input = CaseInput {
        id: "x".into(),
        terms: ["HP:0001166", "HP:0001083", "HP:0002616"]
            .iter()
            .map(|t| TermInput {
                id: (*t).into(),
                label: None,
                excluded: false,
            })
            .collect(),
        ..Default::default()
    };
    let ranking = scorer.rank(&Case::resolve(&input, &kb).expect("valid terms"));
    assert!(!ranking.genes.is_empty());
    let after_index = (current_rss_mib(), peak_rss_mib());
    drop(scorer);
    drop(kb);
    // load time over repeated loads (the first load also pays page faults)
    let mut ms: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let kb = KnowledgeBase::embedded().expect("embedded KB");
            let e = t.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(kb);
            e
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!("measure\tvalue");
    println!("process peak RSS before loading (MiB)\t{}", mib(start_hwm));
    println!("first embedded KB load (ms)\t{first_load_ms:.1}");
    println!(
        "embedded KB load, median of 20 (ms)\t{:.1}",
        percentile_sorted(&ms, 50.0)
    );
    println!("embedded KB load, min of 20 (ms)\t{:.1}", ms[0]);
    println!("RSS after KB load (MiB)\t{}", mib(after_kb.0));
    println!("peak RSS after KB load (MiB)\t{}", mib(after_kb.1));
    println!("phenotype index build (ms)\t{index_ms:.1}");
    println!(
        "RSS with KB + index, one case ranked (MiB)\t{}",
        mib(after_index.0)
    );
    println!(
        "peak RSS with KB + index, one case ranked (MiB)\t{}",
        mib(after_index.1)
    );
}
