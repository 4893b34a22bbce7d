//! The time to reanalyse N stored exome cases: a workspace in a temporary folder (SQLite)
//! holding N cases that share one exome VCF, a first analysis of every case, then a
//! reanalysis of every case with another knowledge base, both as `odyssey reanalyze` runs them
//! (jobs on one worker per core). Prints cases, wall time and cases/s of both runs, and the
//! jobs per status and noteworthy cases of the reanalysis.
//!
//! `cargo run --release -p odyssey-server --example reanalyse_bench -- [CASES] [--first-kb OLD.odkb] [--vcf FILE --case FILE]`
//!
//! Default: 1,000 cases; the exome is `../shared/data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz`
//! (GRCh37, 37,709 records, one sample) with its phenopacket (read from `../shared`, never
//! copied into the project), or the example trio (`examples/family`, 10,376 records) when
//! `../shared` is absent. Files are content-addressed, so the VCF is stored once and every
//! case refers to it; each case has its own phenopacket (its id numbered), so each analysis
//! reads, checks and analyses the VCF afresh, as it would for a distinct exome. The first
//! analysis uses `--first-kb` (e.g. a KB built with `odyssey kb build --as-of 2022-01-01`) or
//! the embedded one; the reanalysis the embedded knowledge base (HPO 2025-01-16).

use std::path::{Path, PathBuf};
use std::time::Instant;

use odyssey_server::db::cases::{insert, insert_blob, NewCase};
use odyssey_server::ops::{analyzer_for, open_state, reanalyze_with, ReanalysisSummary};
use odyssey_server::Config;

struct Args {
    cases: usize,
    first_kb: Option<PathBuf>,
    vcf: PathBuf,
    case: PathBuf,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse_args() -> Result<Args, String> {
    let shared = root().join("../shared/data/vcf/exomiser-pfeiffer");
    let (mut vcf, mut case) = if shared.is_dir() {
        (
            shared.join("Pfeiffer.vcf.gz"),
            shared.join("pfeiffer-phenopacket.json"),
        )
    } else {
        let ex = root().join("examples/family");
        (ex.join("family.vcf.gz"), ex.join("family.json"))
    };
    let mut cases = 1000;
    let mut first_kb = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--first-kb" => first_kb = Some(PathBuf::from(value("--first-kb")?)),
            "--vcf" => vcf = PathBuf::from(value("--vcf")?),
            "--case" => case = PathBuf::from(value("--case")?),
            n => {
                cases = n
                    .parse()
                    .map_err(|_| format!("{n:?}: expected a number of cases or an option"))?
            }
        }
    }
    Ok(Args {
        cases,
        first_kb,
        vcf,
        case,
    })
}

/// Stores `n` cases, each with its own copy of the case document (id numbered) and the one VCF.
async fn store(config: &Config, args: &Args) -> Result<(), String> {
    let state = open_state(
        config.clone(),
        analyzer_for(config).map_err(|e| e.to_string())?,
    )
    .await
    .map_err(|e| e.to_string())?;
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let vcf = state
        .blobs
        .put(&read(&args.vcf)?)
        .await
        .map_err(|e| e.to_string())?;
    let doc: serde_json::Value = serde_json::from_slice(&read(&args.case)?)
        .map_err(|e| format!("{}: {e}", args.case.display()))?;
    let vcf_name = args.vcf.file_name().unwrap().to_string_lossy().into_owned();
    let mut tx = state.db.begin_write().await.map_err(|e| e.to_string())?;
    insert_blob(&mut tx, &vcf.sha256, vcf.size)
        .await
        .map_err(|e| e.to_string())?;
    for i in 0..args.cases {
        let mut d = doc.clone();
        let label = format!("exome-{i:05}");
        d["id"] = serde_json::Value::String(label.clone());
        let blob = state
            .blobs
            .put(d.to_string().as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        insert_blob(&mut tx, &blob.sha256, blob.size)
            .await
            .map_err(|e| e.to_string())?;
        let id = format!("c_bench_{i:05}");
        let file_name = format!("{label}.json");
        let c = NewCase {
            id: &id,
            project: "bench",
            label: &label,
            case_file: (&file_name, &blob.sha256),
            vcf: Some((&vcf_name, &vcf.sha256)),
            ped: None,
            created_by: "bench",
        };
        insert(&mut tx, &c).await.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    state.db.pool.close().await;
    Ok(())
}

async fn run(config: &Config) -> Result<ReanalysisSummary, String> {
    let analyzer = analyzer_for(config).map_err(|e| e.to_string())?;
    reanalyze_with(config.clone(), analyzer)
        .await
        .map_err(|e| e.to_string())
}

fn show(what: &str, s: &ReanalysisSummary) {
    println!(
        "{what}\t{}\t{:.1}\t{:.2}\t{}\t{}",
        s.cases,
        s.seconds,
        s.cases as f64 / s.seconds,
        s.statuses
            .iter()
            .map(|(k, n)| format!("{k}={n}"))
            .collect::<Vec<_>>()
            .join(","),
        s.noteworthy
    );
}

#[tokio::main]
async fn main() {
    if let Err(e) = go().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn go() -> Result<(), String> {
    let args = parse_args()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut config = Config::new(dir.path());
    config.workers = cores;
    let t = Instant::now();
    store(&config, &args).await?;
    eprintln!(
        "stored {} cases sharing {} in {:.1} s",
        args.cases,
        args.vcf.display(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "# {cores} workers (one per core), SQLite; case document {}",
        args.case.display()
    );
    println!("run\tcases\tseconds\tcases_per_s\tjobs\tnoteworthy");
    let mut first = config.clone();
    first.kb = args.first_kb.clone();
    show(
        &format!(
            "first analysis ({})",
            args.first_kb
                .as_ref()
                .map_or("embedded KB".into(), |p| p.display().to_string())
        ),
        &run(&first).await?,
    );
    config.kb = None;
    show("reanalysis (embedded KB)", &run(&config).await?);
    Ok(())
}
