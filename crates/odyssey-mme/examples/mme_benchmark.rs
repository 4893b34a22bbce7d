//! Leave-one-out partner ranking on the MME benchmark patients (see docs/mme.md).
//!
//! ```sh
//! cargo run --release -p odyssey-mme --example mme_benchmark -- [benchmark_patients.json] [--per-patient]
//! ```
//! Default file: `../shared/data/mme-apis/testing/benchmark_patients.json` from the
//! workspace root.

use std::path::PathBuf;
use std::time::Instant;

use odyssey_kb::KnowledgeBase;
use odyssey_mme::benchmark::{partner_ranks, summarise};
use odyssey_mme::{GeneResolver, MatchOptions, Normalisation, Patient};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let per_patient = args.iter().any(|a| a == "--per-patient");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from("../shared/data/mme-apis/testing/benchmark_patients.json")
        });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", path.display());
            std::process::exit(2);
        }
    };
    let patients: Vec<Patient> = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}: not a JSON list of MME patients: {e}", path.display());
            std::process::exit(2);
        }
    };
    let kb = KnowledgeBase::embedded().expect("embedded knowledge base");
    let genes = GeneResolver::from_kb(&kb);
    println!(
        "MME benchmark: {} patients from {}; odyssey-mme {}, HPO {}",
        patients.len(),
        path.display(),
        env!("CARGO_PKG_VERSION"),
        kb.meta().hpo_release
    );
    println!();
    println!("| score | w | queries | top-1 | top-5 | MRR | MAP | time (50×49 pairs) |");
    println!("|---|---|---|---|---|---|---|---|");
    let runs = [
        ("genotype + phenotype", 0.5, Normalisation::Pooled),
        ("phenotype alone", 0.0, Normalisation::Pooled),
        ("genotype alone", 1.0, Normalisation::Pooled),
        (
            "phenotype alone, mean_of_directions",
            0.0,
            Normalisation::MeanOfDirections,
        ),
        (
            "phenotype alone, geometric_mean",
            0.0,
            Normalisation::GeometricMean,
        ),
        ("phenotype alone, query_only", 0.0, Normalisation::QueryOnly),
    ];
    for (label, w, normalisation) in runs {
        let options = MatchOptions {
            genotype_weight: w,
            normalisation,
            ..MatchOptions::default()
        };
        let t = Instant::now();
        let ranks = partner_ranks(&patients, &kb, &genes, &options);
        let elapsed = t.elapsed();
        let s = summarise(&ranks);
        println!(
            "| {label} | {w} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} ms |",
            s.queries,
            s.top1,
            s.top5,
            s.mrr,
            s.map,
            elapsed.as_secs_f64() * 1000.0
        );
        if per_patient {
            for r in &ranks {
                eprintln!(
                    "{label}\t{}\tpartners {}\tbest rank {}\tAP {:.3}",
                    r.query, r.partners, r.best_rank, r.average_precision
                );
            }
        }
    }
}
