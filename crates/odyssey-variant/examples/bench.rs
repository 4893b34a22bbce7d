//! Benchmark of VCF reading + filtering against `bcftools view` on the same files.
//!
//! 1. The Pfeiffer exome (`../shared/data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz`, 37,709
//!    records): Odyssey's full genotype analysis (read, split, genotypes, filters, exon-table
//!    annotation, inheritance, LRs) and a plain read of every record, against
//!    `bcftools view -H` and `bcftools view -Ov` to /dev/null. Best of 5 runs each.
//! 2. A synthetic trio genome of 5,000,000 records (GRCh37 chr1-22 and X, Mendelian trio
//!    genotypes with a few de novo sites, 5% LowQual), written once to
//!    `/tmp/odyssey-bench/` (not committed), with a synthetic population-frequency source for
//!    half the sites compiled into an `.ostore` (build time reported). The analysis runs in a
//!    child process so that its peak resident memory (VmHWM) is its own; 2 BGZF threads.
//!
//! Run: `cargo run --release -p odyssey-variant --example bench [-- --records N]
//! [--skip-genome] [--skip-exome]`. Needs `bcftools` on PATH for the ratios (Debian
//! package `bcftools`).

#[path = "support/mod.rs"]
mod support;

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use odyssey_genome::{Assembly, Chrom};
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice};
use odyssey_variant::input::VcfReader;
use odyssey_variant::pedigree::Pedigree;
use odyssey_variant::sources::build_store;
use odyssey_variant::sources::config::parse_sources_toml;
use support::ExonTableAnnotator;

fn best_of<F: FnMut()>(n: usize, mut f: F) -> f64 {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn bcftools() -> Option<String> {
    Command::new("bcftools")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("bcftools")
                .to_string()
        })
}

fn time_bcftools(args: &[&str], n: usize) -> f64 {
    best_of(n, || {
        let s = Command::new("bcftools")
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(s.success(), "bcftools {args:?} failed");
    })
}

fn read_all(path: &Path, threads: usize) -> u64 {
    let mut r = VcfReader::open(path, threads).unwrap();
    let mut rec = noodles::vcf::Record::default();
    let mut n = 0;
    while r.read(&mut rec).unwrap() {
        n += 1;
    }
    n
}

fn vmhwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const BASES: [u8; 4] = *b"ACGT";

fn genotype(rng: &mut Rng, p: f64) -> (u8, u8) {
    ((rng.unit() < p) as u8, (rng.unit() < p) as u8)
}

fn fmt_sample(w: &mut Vec<u8>, a: u8, b: u8, rng: &mut Rng) {
    let dp = 20 + rng.below(30) as u32;
    let alt = match a + b {
        0 => 0,
        1 => dp / 2,
        _ => dp,
    };
    let gq = if rng.unit() < 0.03 { 12 } else { 99 };
    write!(w, "{a}/{b}:{},{alt}:{dp}:{gq}", dp - alt).unwrap();
}

/// Writes the synthetic trio genome and a frequency source VCF for half its sites.
fn generate(dir: &Path, records: u64) -> (PathBuf, PathBuf) {
    let vcf = dir.join(format!("trio-genome-{records}.vcf.gz"));
    let freq = dir.join(format!("freq-{records}.vcf.gz"));
    if vcf.exists() && freq.exists() {
        return (vcf, freq);
    }
    let t = Instant::now();
    let chroms: Vec<Chrom> = (1..=22)
        .filter_map(Chrom::autosome)
        .chain([Chrom::X])
        .collect();
    let total: u64 = chroms
        .iter()
        .map(|c| u64::from(Assembly::GRCh37.length(*c)))
        .sum();
    let w2 = NonZeroUsize::new(2).unwrap();
    let mut out = noodles::bgzf::io::MultithreadedWriter::with_worker_count(
        w2,
        std::fs::File::create(&vcf).unwrap(),
    );
    let mut fout = noodles::bgzf::io::MultithreadedWriter::with_worker_count(
        w2,
        std::fs::File::create(&freq).unwrap(),
    );
    let mut head = String::from("##fileformat=VCFv4.2\n");
    for c in &chroms {
        head.push_str(&format!(
            "##contig=<ID={},length={}>\n",
            c.name(),
            Assembly::GRCh37.length(*c)
        ));
    }
    head.push_str("##FILTER=<ID=LowQual,Description=\"Low quality\">\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n");
    let mut fhead = head.clone();
    fhead.push_str("##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n##INFO=<ID=nhomalt,Number=A,Type=Integer,Description=\"hom\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    head.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\tdad\tmum\n");
    out.write_all(head.as_bytes()).unwrap();
    fout.write_all(fhead.as_bytes()).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut line = Vec::with_capacity(256);
    let mut fline = Vec::with_capacity(128);
    let mut written = 0u64;
    for c in &chroms {
        let len = u64::from(Assembly::GRCh37.length(*c));
        let n = if *c == *chroms.last().unwrap() {
            records - written
        } else {
            records * len / total
        };
        let mean_gap = (len - 1000) / n.max(1);
        let mut pos = 1000u64;
        for _ in 0..n {
            pos += 1 + rng.below(2 * mean_gap - 1);
            if pos >= len - 10 {
                pos = len - 10;
            }
            line.clear();
            let r = BASES[rng.below(4) as usize];
            let kind = rng.below(100);
            let (refs, alts): (Vec<u8>, Vec<u8>) = if kind < 90 {
                let mut a = BASES[rng.below(4) as usize];
                while a == r {
                    a = BASES[rng.below(4) as usize];
                }
                (vec![r], vec![a])
            } else if kind < 97 {
                let extra: Vec<u8> = (0..1 + rng.below(3))
                    .map(|_| BASES[rng.below(4) as usize])
                    .collect();
                ([vec![r], extra].concat(), vec![r])
            } else {
                let extra: Vec<u8> = (0..1 + rng.below(3))
                    .map(|_| BASES[rng.below(4) as usize])
                    .collect();
                (vec![r], [vec![r], extra].concat())
            };
            // allele frequency: mostly rare, some common
            let p = if rng.unit() < 0.6 {
                rng.unit() * 0.01
            } else {
                rng.unit() * 0.5
            };
            let (mut d, mut m, mut k);
            loop {
                d = genotype(&mut rng, p);
                m = genotype(&mut rng, p);
                k = (
                    if rng.unit() < 0.5 { d.0 } else { d.1 },
                    if rng.unit() < 0.5 { m.0 } else { m.1 },
                );
                if rng.below(200_000) == 0 {
                    d = (0, 0);
                    m = (0, 0);
                    k = (0, 1);
                }
                if d.0 + d.1 + m.0 + m.1 + k.0 + k.1 > 0 {
                    break;
                }
            }
            let filter = if rng.below(20) == 0 {
                "LowQual"
            } else {
                "PASS"
            };
            write!(
                line,
                "{}\t{pos}\t.\t{}\t{}\t{}\t{filter}\tDP=90\tGT:AD:DP:GQ\t",
                c.name(),
                String::from_utf8_lossy(&refs),
                String::from_utf8_lossy(&alts),
                30 + rng.below(3000)
            )
            .unwrap();
            fmt_sample(&mut line, k.0.min(k.1), k.0.max(k.1), &mut rng);
            line.push(b'\t');
            fmt_sample(&mut line, d.0.min(d.1), d.0.max(d.1), &mut rng);
            line.push(b'\t');
            fmt_sample(&mut line, m.0.min(m.1), m.0.max(m.1), &mut rng);
            line.push(b'\n');
            out.write_all(&line).unwrap();
            if rng.below(2) == 0 {
                fline.clear();
                let hom = (p * p * 70_000.0) as u32;
                writeln!(
                    fline,
                    "{}\t{pos}\t.\t{}\t{}\t.\tPASS\tAF={:.6};nhomalt={hom}",
                    c.name(),
                    String::from_utf8_lossy(&refs),
                    String::from_utf8_lossy(&alts),
                    p
                )
                .unwrap();
                fout.write_all(&fline).unwrap();
            }
            written += 1;
        }
    }
    out.finish().unwrap();
    fout.finish().unwrap();
    println!(
        "generated {written} records in {:.1} s: {}",
        t.elapsed().as_secs_f64(),
        vcf.display()
    );
    (vcf, freq)
}

fn genome_config(
    vcf: &Path,
    store: &Path,
    dir: &Path,
    annotator: Arc<ExonTableAnnotator>,
) -> AnalysisConfig {
    let ped = dir.join("trio.ped");
    std::fs::write(
        &ped,
        "FAM kid dad mum 1 2\nFAM dad 0 0 1 1\nFAM mum 0 0 2 1\n",
    )
    .unwrap();
    let toml = format!(
        "[[source]]\nname = \"synthetic_gnomad\"\nrole = \"frequency\"\npath = \"{}\"\n",
        store.display()
    );
    let (_, sources) = parse_sources_toml(&toml, &dir.join("sources.toml")).unwrap();
    let mut c = AnalysisConfig::new(vcf, AnnotationChoice::Annotator(annotator));
    c.pedigree = Some(Pedigree::from_ped_file(&ped).unwrap());
    c.sources = sources;
    c.assembly = Some(Assembly::GRCh37);
    c.threads = 2;
    c
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let value = |f: &str| {
        args.iter()
            .position(|a| a == f)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let records: u64 = value("--records")
        .map(|v| v.parse().unwrap())
        .unwrap_or(5_000_000);
    let dir = PathBuf::from("/tmp/odyssey-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let Some(shared) = support::shared_dir() else {
        return;
    };
    let exons = shared.join("data/transcripts/spliceai-1.3.1-gencode-v24-canonical/grch37.txt.gz");

    if flag("--child-genome") {
        // the measured run, in its own process
        let vcf = PathBuf::from(value("--vcf").unwrap());
        let store = PathBuf::from(value("--store").unwrap());
        let t = Instant::now();
        let ann = Arc::new(ExonTableAnnotator::load(&exons));
        let a = analyze(&genome_config(&vcf, &store, &dir, ann)).unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "CHILD {secs:.3} {} {} {} {} {}",
            vmhwm_kb(),
            a.filters.records,
            a.filters.passed,
            a.genes.len(),
            a.genes
                .iter()
                .filter(|g| g.variants.iter().any(|v| v
                    .compatible_modes
                    .contains(&odyssey_variant::inheritance::Pattern::DeNovo)))
                .count()
        );
        return;
    }

    let bcf = bcftools();
    println!("# odyssey-variant benchmark");
    println!(
        "machine: {} cores; baseline: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        bcf.as_deref()
            .unwrap_or("bcftools not found (ratios skipped)")
    );

    if !flag("--skip-exome") {
        let vcf = shared.join("data/vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz");
        let vs = vcf.to_str().unwrap();
        let n = read_all(&vcf, 2);
        let t_read = best_of(5, || {
            read_all(&vcf, 2);
        });
        let t_ann = best_of(3, || {
            ExonTableAnnotator::load(&exons);
        });
        let ann = Arc::new(ExonTableAnnotator::load(&exons));
        let mut c = AnalysisConfig::new(&vcf, AnnotationChoice::Annotator(ann));
        c.assembly = Some(Assembly::GRCh37);
        c.proband = Some("manuel".into());
        let t_full = best_of(5, || {
            analyze(&c).unwrap();
        });
        println!("\n## Pfeiffer exome ({n} records), best of 5");
        println!("| step | seconds | ratio to bcftools view -H |");
        println!("|---|---|---|");
        let base = bcf.as_ref().map(|_| time_bcftools(&["view", "-H", vs], 5));
        let base_full = bcf
            .as_ref()
            .map(|_| time_bcftools(&["view", "-Ov", "-o", "/dev/null", vs], 5));
        let r = |t: f64| base.map_or("-".to_string(), |b| format!("{:.2}", t / b));
        if let (Some(b), Some(bf)) = (base, base_full) {
            println!("| bcftools view -H (baseline) | {b:.3} | 1.00 |");
            println!(
                "| bcftools view -Ov -o /dev/null | {bf:.3} | {:.2} |",
                bf / b
            );
        }
        println!(
            "| odyssey: read every record (lazy, 2 BGZF threads) | {t_read:.3} | {} |",
            r(t_read)
        );
        println!("| odyssey: full genotype analysis (read, genotypes, filters, annotation, inheritance, LRs) | {t_full:.3} | {} |", r(t_full));
        println!("| exon-table annotator load (stand-in, not in the above) | {t_ann:.3} | |");
    }

    if !flag("--skip-genome") {
        println!("\n## Synthetic trio genome ({records} records)");
        let (vcf, freq) = generate(&dir, records);
        let store = dir.join(format!("freq-{records}.ostore"));
        if !store.exists() {
            let toml = format!(
                "[[source]]\nname = \"synthetic_gnomad\"\nrole = \"frequency\"\npath = \"{}\"\n",
                freq.display()
            );
            let (_, srcs) = parse_sources_toml(&toml, &dir.join("build.toml")).unwrap();
            let t = Instant::now();
            let s = build_store(&srcs[0], &store).unwrap();
            println!(
                "sources build: {} records -> {} chunks, {:.1} MB, {:.1} s (input {:.1} MB)",
                s.records,
                s.chunks,
                s.bytes as f64 / 1e6,
                t.elapsed().as_secs_f64(),
                std::fs::metadata(&freq).unwrap().len() as f64 / 1e6
            );
        }
        let exe = std::env::current_exe().unwrap();
        let child = Command::new(exe)
            .args([
                "--child-genome",
                "--vcf",
                vcf.to_str().unwrap(),
                "--store",
                store.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&child.stdout);
        let line = out
            .lines()
            .find(|l| l.starts_with("CHILD"))
            .unwrap_or_else(|| {
                panic!(
                    "child failed: {out}\n{}",
                    String::from_utf8_lossy(&child.stderr)
                )
            });
        let f: Vec<&str> = line.split_whitespace().collect();
        let secs: f64 = f[1].parse().unwrap();
        let kb: f64 = f[2].parse().unwrap();
        println!("| step | seconds | ratio to bcftools view -H | peak RSS |");
        println!("|---|---|---|---|");
        let base = bcf
            .as_ref()
            .map(|_| time_bcftools(&["view", "-H", vcf.to_str().unwrap()], 1));
        if let Some(b) = base {
            println!("| bcftools view -H (baseline) | {b:.2} | 1.00 | |");
        }
        let t_read = best_of(1, || {
            read_all(&vcf, 2);
        });
        println!(
            "| odyssey: read every record (2 BGZF threads) | {t_read:.2} | {} | |",
            base.map_or("-".into(), |b| format!("{:.2}", t_read / b))
        );
        println!(
            "| odyssey: full trio analysis with a store source (child process) | {secs:.2} | {} | {:.0} MB |",
            base.map_or("-".into(), |b| format!("{:.2}", secs / b)),
            kb / 1024.0
        );
        println!(
            "records {}, passed {}, genes {}, genes with a de novo-compatible allele {}",
            f[3], f[4], f[5], f[6]
        );
    }
}
