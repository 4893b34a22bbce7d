//! `odyssey-fuzz`: mutation fuzzing on the stable toolchain (no nightly, no sanitizers).
//!
//! For each target (see `targets.rs`), inputs are made by mutating the committed seed files
//! (`seeds/<target>/`, plus compiled seeds generated at start-up) with a deterministic generator
//! and fed to the parser under `std::panic::catch_unwind`. A panic is a finding: the input is
//! saved to `<crashes>/<target>-<seed>-<n>.bin` with the message beside it, and the exit status
//! is 1. Usage:
//!
//! ```text
//! odyssey-fuzz [--target NAME]... [--execs N | --seconds S] [--seed N] [--crashes DIR] [--list]
//! ```
//!
//! Defaults: every target, 2 seconds each, seed 1, crashes in `target/fuzz-crashes`; scratch
//! files in `$ODYSSEY_FUZZ_SCRATCH`, else `/dev/shm` when writable, else the temporary folder.

mod mutate;
mod targets;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mutate::{mutate, Rng};

struct Args {
    targets: Vec<String>,
    execs: Option<u64>,
    seconds: f64,
    seed: u64,
    crashes: PathBuf,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut a = Args {
        targets: Vec::new(),
        execs: None,
        seconds: 2.0,
        seed: 1,
        crashes: PathBuf::from("target/fuzz-crashes"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{k} needs a value"));
        match k.as_str() {
            "--target" => a.targets.push(val()?),
            "--execs" => a.execs = Some(val()?.parse().map_err(|e| format!("--execs: {e}"))?),
            "--seconds" => a.seconds = val()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--crashes" => a.crashes = PathBuf::from(val()?),
            "--list" => {
                for t in targets::TARGETS {
                    println!("{}", t.name);
                }
                return Ok(None);
            }
            other => return Err(format!("unknown argument {other:?} (see the crate docs)")),
        }
    }
    Ok(Some(a))
}

/// Seed inputs of `target`: the files of `seeds/<target>/` (sorted) plus generated ones.
fn seeds_of(dir: &Path, target: &str, generated: &[(&str, Vec<u8>)]) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(target))
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut v: Vec<Vec<u8>> = files
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    v.extend(
        generated
            .iter()
            .filter(|g| g.0 == target)
            .map(|g| g.1.clone()),
    );
    v
}

/// Where the file-based targets write their inputs: `$ODYSSEY_FUZZ_SCRATCH`, else
/// `/dev/shm` when it is a writable folder (memory: 50 times more executions per second than
/// a busy disk here), else the system's temporary folder.
fn scratch_base() -> PathBuf {
    if let Some(d) = std::env::var_os("ODYSSEY_FUZZ_SCRATCH") {
        return PathBuf::from(d);
    }
    let shm = Path::new("/dev/shm");
    let probe = shm.join(format!(".odyssey-fuzz-probe-{}", std::process::id()));
    if std::fs::write(&probe, b"").is_ok() {
        let _ = std::fs::remove_file(&probe);
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn main() {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => return,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    std::panic::set_hook(Box::new(|info| {
        let loc = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{loc}"));
    }));
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let scratch = scratch_base().join(format!("odyssey-fuzz-{}", std::process::id()));
    let (ctx, generated) = match targets::setup(&seeds_dir, &scratch) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: setting up the seeds: {e}");
            std::process::exit(2);
        }
    };
    let mut total_crashes = 0u64;
    println!("target\texecutions\tcrashes\tseconds\texecs_per_second");
    for t in targets::TARGETS {
        if !args.targets.is_empty() && !args.targets.iter().any(|n| n == t.name) {
            continue;
        }
        let seeds = seeds_of(&seeds_dir, t.name, &generated);
        if seeds.is_empty() {
            eprintln!("error: no seeds for target {}", t.name);
            std::process::exit(2);
        }
        let mut rng = Rng::new(args.seed ^ (t.name.len() as u64) << 32);
        let start = Instant::now();
        let limit = Duration::from_secs_f64(args.seconds);
        let (mut n, mut crashes) = (0u64, 0u64);
        loop {
            let done = match args.execs {
                Some(max) => n >= max,
                None => start.elapsed() >= limit,
            };
            if done {
                break;
            }
            // seeds are run unmutated first, then mutated copies
            let idx = if (n as usize) < seeds.len() {
                n as usize
            } else {
                rng.below(seeds.len())
            };
            let mut input = seeds[idx].clone();
            if n as usize >= seeds.len() {
                let other = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, &mut input, other);
            }
            n += 1;
            let ok = std::panic::catch_unwind(AssertUnwindSafe(|| (t.run)(&input, &ctx))).is_ok();
            if !ok {
                crashes += 1;
                let msg = LAST_PANIC.with(|p| p.borrow().clone());
                let _ = std::fs::create_dir_all(&args.crashes);
                let file = args
                    .crashes
                    .join(format!("{}-{}-{n}.bin", t.name, args.seed));
                let _ = std::fs::write(&file, &input);
                let _ = std::fs::write(file.with_extension("txt"), &msg);
                eprintln!(
                    "CRASH {}: {msg} (input saved to {})",
                    t.name,
                    file.display()
                );
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}\t{n}\t{crashes}\t{secs:.1}\t{:.0}",
            t.name,
            n as f64 / secs.max(1e-9)
        );
        total_crashes += crashes;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if total_crashes > 0 {
        std::process::exit(1);
    }
}
