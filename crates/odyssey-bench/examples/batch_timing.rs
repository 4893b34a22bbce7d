//! Batch throughput of the default model, as `odyssey bench` measures it (resolve, score and
//! rank every case, all threads), with the CPU time the batch took: the process's user +
//! system time over the batch (`/proc/self/stat`, Linux), so that a machine shared with other
//! jobs still gives an honest figure. Prints wall seconds, cases per second, CPU seconds,
//! cases per CPU-second and the load averages (`/proc/loadavg`) before and after.
//!
//! `cargo run --release -p odyssey-bench --example batch_timing` (reads
//! `../shared/data/phenopacket-store/cases`, or the folder in `ODYSSEY_CASES`).

use std::path::PathBuf;

use odyssey_bench::evaluate::Evaluator;
use odyssey_bench::phenotype::{time_default_batch, Corpus};
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::ScorerOptions;

/// User + system CPU seconds of this process (all threads), from `/proc/self/stat`.
fn cpu_seconds() -> Result<f64, String> {
    let s =
        std::fs::read_to_string("/proc/self/stat").map_err(|e| format!("/proc/self/stat: {e}"))?;
    // fields after the command name (in parentheses): state is field 3, utime 14, stime 15
    let rest = s
        .rsplit_once(')')
        .map(|x| x.1)
        .ok_or("/proc/self/stat: no ')'")?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| -> Result<f64, String> {
        f.get(i)
            .and_then(|x| x.parse::<f64>().ok())
            .ok_or_else(|| format!("/proc/self/stat: field {} is not a number", i + 3))
    };
    // clock ticks of 1/100 s (USER_HZ on Linux)
    Ok((tick(11)? + tick(12)?) / 100.0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn main() -> Result<(), String> {
    let dir = std::env::var_os("ODYSSEY_CASES").map_or_else(
        || PathBuf::from("../shared/data/phenopacket-store/cases"),
        PathBuf::from,
    );
    let kb = KnowledgeBase::embedded().map_err(|e| e.to_string())?;
    let corpus = Corpus::load(&dir, None).map_err(|e| e.to_string())?;
    let ev = Evaluator::new(&kb, ScorerOptions::default());
    let threads = rayon::current_num_threads();
    let load0 = loadavg();
    let cpu0 = cpu_seconds()?;
    let (wall, _) = time_default_batch(&ev, &corpus.cases);
    let cpu = cpu_seconds()? - cpu0;
    let n = corpus.cases.len() as f64;
    println!(
        "{} cases, {threads} threads: wall {wall:.2} s, {:.0} cases/s; CPU {cpu:.2} s, {:.0} cases per CPU-second ({:.0} cases/s on {threads} unshared cores); load average {load0} -> {}",
        corpus.cases.len(),
        n / wall,
        n / cpu,
        n / cpu * threads as f64,
        loadavg()
    );
    Ok(())
}
