//! Time per case of resolve + score + rank with two scorer settings, interleaved case by
//! case on one thread so that both see the same machine load: the current defaults against
//! the 2026-12-06 ranking and probabilities (gene sharpness ρ 1, temperature θ 1, κ 0,
//! p_u 0.5, no gene-rank prior). Prints the median and mean per case of each, and a checksum (xxh3) of every
//! field of every ranking (diseases and genes: index, rank, tie size, score and probability
//! bits, best disease), computed outside the timed region: two builds that print the same
//! checksum produced bit-identical rankings on these cases.
//!
//! `cargo run --release -p odyssey-bench --example rank_timing [N]` (N cases, default 2000;
//! reads `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::path::PathBuf;
use std::time::Instant;

use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::phenotype::Corpus;
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::{Ranking, ScorerOptions, Scratch};
use xxhash_rust::xxh3::Xxh3;

/// Feeds every field of a ranking to the hash.
fn hash_ranking(h: &mut Xxh3, r: &Ranking) {
    let prob = |p: Option<f64>| p.map_or(u64::MAX, f64::to_bits);
    h.update(&(r.diseases.len() as u64).to_le_bytes());
    for d in &r.diseases {
        for x in [
            u64::from(d.disease),
            d.rank as u64,
            d.tie_size as u64,
            d.score.to_bits(),
            prob(d.post_test_probability),
        ] {
            h.update(&x.to_le_bytes());
        }
    }
    h.update(&(r.genes.len() as u64).to_le_bytes());
    for g in &r.genes {
        for x in [
            u64::from(g.gene),
            g.rank as u64,
            g.tie_size as u64,
            g.score.to_bits(),
            prob(g.post_test_probability),
            u64::from(g.best_disease),
        ] {
            h.update(&x.to_le_bytes());
        }
    }
}

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let n: usize = std::env::args()
        .nth(1)
        .map_or(Ok(2000), |a| a.parse())
        .map_err(|_| "N: expected a number".to_string())?;
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let new = Evaluator::new(&kb, ScorerOptions::default());
    let o = ScorerOptions {
        gene_sharpness: 1.0,
        probability_temperature: 1.0,
        probability_term_decay: 0.0,
        probability_pretest_unknown: 0.5,
        probability_rank_mixture: 0.0,
        ..Default::default()
    };
    let old = Evaluator::new(&kb, o);
    let (mut t_new, mut t_old) = (Vec::new(), Vec::new());
    let mut scratch = Scratch::default();
    let (mut h_new, mut h_old) = (Xxh3::new(), Xxh3::new());
    let step = (corpus.cases.len() / n.max(1)).max(1);
    for c in corpus.cases.iter().step_by(step).take(n) {
        for (ev, t, h) in [
            (&old, &mut t_old, &mut h_old),
            (&new, &mut t_new, &mut h_new),
        ] {
            let s = Instant::now();
            let r = ev.rank_default(c, &mut scratch);
            t.push(s.elapsed().as_secs_f64() * 1e3);
            let r = std::hint::black_box(r);
            h.update(&[u8::from(r.is_some())]);
            if let Some(r) = &r {
                hash_ranking(h, r);
            }
        }
    }
    for (name, t, h) in [
        ("2026-12-06 settings", &mut t_old, &h_old),
        ("defaults", &mut t_new, &h_new),
    ] {
        t.sort_by(f64::total_cmp);
        let mean = t.iter().sum::<f64>() / t.len().max(1) as f64;
        println!(
            "{name}: {} cases, median {:.3} ms, mean {:.3} ms, rankings checksum {:016x}",
            t.len(),
            t[t.len() / 2],
            mean,
            h.digest()
        );
    }
    Ok(())
}
