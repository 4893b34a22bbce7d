//! Throughput of `odyssey annotate` against `bcftools csq` on the same input, one core.
//!
//! ```text
//! cargo run --release -p odyssey-annotate --example bench_csq -- ../shared/data [ROUNDS] [REPEAT]
//! ```
//! Input: the 68,671 synthetic variants of the GRCh38 chr21 block (`synth5.vcf`), each record
//! repeated REPEAT times (default 5) to lengthen the run; models: Ensembl 84 GFF3; reference: the
//! chr21 block padded with N from position 1 (bcftools needs absolute coordinates).
//! bcftools runs as `bcftools csq -l -s - -f REF -g GFF -Ov -o /dev/null` (local consequences,
//! as in the oracle runs); Odyssey annotates in-process with one thread and writes plain VCF to
//! /dev/null. Times are wall-clock medians over ROUNDS (default 5); Odyssey's time includes
//! loading its compiled reference data, bcftools' includes parsing the GFF3 (it has no compiled
//! form), and the one-off Odyssey build time is reported separately.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::vcf::{annotate_vcf, VcfOptions};
use odyssey_annotate::Annotator;
use odyssey_genome::Assembly;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared = PathBuf::from(
        args.first()
            .expect("usage: bench_csq SHARED_DATA_DIR [ROUNDS] [REPEAT]"),
    );
    let rounds: usize = args.get(1).map_or(5, |s| s.parse().unwrap());
    let repeat: usize = args.get(2).map_or(5, |s| s.parse().unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let gff = shared.join("transcripts/vep-testdata/test.gff.gz");
    let block = shared.join("annotation-validation/vep-testdb/21_24985581-26023859.GRCh38.fa");
    let synth = shared.join("annotation-validation/oracle-runs/synth5.vcf");

    // padded FASTA for bcftools
    let fa = tmp.path().join("21.fa");
    {
        let seq: String = BufReader::new(std::fs::File::open(&block).unwrap())
            .lines()
            .map(|l| l.unwrap())
            .filter(|l| !l.starts_with('>'))
            .collect();
        let mut w = std::io::BufWriter::new(std::fs::File::create(&fa).unwrap());
        writeln!(w, ">21").unwrap();
        let full = "N".repeat(24_985_580) + &seq;
        for c in full.as_bytes().chunks(60) {
            w.write_all(c).unwrap();
            w.write_all(b"\n").unwrap();
        }
    }
    let st = Command::new("samtools").arg("faidx").arg(&fa).status();
    if !st.map(|s| s.success()).unwrap_or(false) {
        // build the .fai ourselves (noodles) when samtools is absent
        let idx = noodles::fasta::fs::index(&fa).unwrap();
        noodles::fasta::fai::fs::write(fa.with_extension("fa.fai"), &idx).unwrap();
    }
    // input VCF with each record repeated
    let vcf = tmp.path().join("in.vcf");
    let mut n_records = 0usize;
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&vcf).unwrap());
        for l in BufReader::new(std::fs::File::open(&synth).unwrap()).lines() {
            let l = l.unwrap();
            let times = if l.starts_with('#') { 1 } else { repeat };
            for _ in 0..times {
                writeln!(w, "{l}").unwrap();
                n_records += !l.starts_with('#') as usize;
            }
        }
    }
    // Odyssey reference data
    let t = Instant::now();
    let (data, _) = build(&BuildOptions {
        models: vec![gff.clone()],
        fasta: vec![block.clone()],
        assembly: Assembly::GRCh38,
        label: None,
        flank: 100,
        whole_transcripts: false,
    })
    .unwrap();
    let refdata = tmp.path().join("chr21.odyref");
    data.save(&refdata, 19).unwrap();
    let build_time = t.elapsed();

    let run_bcftools = |out: &Path| -> Duration {
        let t = Instant::now();
        let o = Command::new("bcftools")
            .args(["csq", "-l", "-s", "-", "-f"])
            .arg(&fa)
            .arg("-g")
            .arg(&gff)
            .args(["-Ov", "-o"])
            .arg(out)
            .arg(&vcf)
            .output()
            .expect("bcftools not installed (apt-get install -y bcftools)");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        t.elapsed()
    };
    let run_odyssey = || -> Duration {
        let t = Instant::now();
        let ann = Annotator::from_path(&refdata).unwrap();
        annotate_vcf(
            &vcf,
            Path::new("/dev/null"),
            &ann,
            &VcfOptions {
                threads: 1,
                ..Default::default()
            },
        )
        .unwrap();
        t.elapsed()
    };
    // warm-up, and output volume of each tool
    let (ob, oo) = (tmp.path().join("b.vcf"), tmp.path().join("o.vcf"));
    run_bcftools(&ob);
    {
        let ann = Annotator::from_path(&refdata).unwrap();
        annotate_vcf(&vcf, &oo, &ann, &VcfOptions::default()).unwrap();
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (size_b, size_o) = (size(&ob), size(&oo));
    let count = |p: &Path, key: &str| -> usize {
        BufReader::new(std::fs::File::open(p).unwrap())
            .lines()
            .map(|l| l.unwrap())
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                l.split('\t')
                    .nth(7)
                    .and_then(|i| i.split(';').find_map(|kv| kv.strip_prefix(key)))
                    .map_or(0, |v| v.split(',').count())
            })
            .sum()
    };
    let (entries_b, entries_o) = (count(&ob, "BCSQ="), count(&oo, "CSQ="));
    // the annotator alone: parsed keys in memory, no VCF reading or writing
    let keys: Vec<odyssey_genome::VariantKey> = BufReader::new(std::fs::File::open(&vcf).unwrap())
        .lines()
        .map(|l| l.unwrap())
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            odyssey_genome::VariantKey::new(f[0].parse().ok()?, f[1].parse().ok()?, f[3], f[4]).ok()
        })
        .collect();
    let ann = Annotator::from_path(&refdata).unwrap();
    let mut core = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let mut n = 0usize;
        for k in &keys {
            n += ann.annotate(k).len();
        }
        std::hint::black_box(n);
        core.push(t.elapsed());
    }
    run_odyssey();
    let mut b = Vec::new();
    let mut o = Vec::new();
    for _ in 0..rounds {
        b.push(run_bcftools(Path::new("/dev/null")));
        o.push(run_odyssey());
    }
    let version = Command::new("bcftools")
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let (mb, mo) = (median(b), median(o));
    println!("input: {n_records} records (synth5 x{repeat}), {rounds} rounds, medians, one core");
    println!(
        "{version}: {:.3} s ({:.0} records/s)",
        mb.as_secs_f64(),
        n_records as f64 / mb.as_secs_f64()
    );
    println!(
        "odyssey annotate: {:.3} s ({:.0} records/s)",
        mo.as_secs_f64(),
        n_records as f64 / mo.as_secs_f64()
    );
    println!(
        "ratio bcftools/odyssey: {:.2}x",
        mb.as_secs_f64() / mo.as_secs_f64()
    );
    let mc = median(core);
    println!(
        "odyssey Annotator::annotate alone (parsed keys, no VCF I/O): {:.3} s ({:.0} records/s)",
        mc.as_secs_f64(),
        n_records as f64 / mc.as_secs_f64()
    );
    println!(
        "output: bcftools {entries_b} BCSQ entries, {:.1} MB; odyssey {entries_o} CSQ entries, {:.1} MB \
         (odyssey also reports intron, UTR, flanking and non-coding transcript terms and HGVS)",
        size_b as f64 / 1e6,
        size_o as f64 / 1e6
    );
    println!(
        "odyssey one-off reference-data build (GFF3 + FASTA): {:.3} s",
        build_time.as_secs_f64()
    );
}
