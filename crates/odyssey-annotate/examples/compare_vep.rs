//! Compares Odyssey's consequences and HGVS with Ensembl VEP (and optionally bcftools csq)
//! outputs for the same VCF, per (variant, transcript).
//!
//! ```text
//! cargo run --release -p odyssey-annotate --example compare_vep -- \
//!   --gff GENES.gff3.gz [--fasta REF.fa ...] [--whole-transcripts] --assembly GRCh38 \
//!   --vcf INPUT.vcf --vep VEP_OUTPUT.vcf.gz [--bcftools BCSQ_OUTPUT.vcf.gz] [--examples N]
//! ```
//!
//! Prints agreement on consequence sets (exact set equality per pair), per VEP consequence
//! class (the most severe VEP term), HGVS c./p. identity for coding pairs, and the most
//! frequent disagreement patterns with examples.

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::Annotator;
use odyssey_genome::{Assembly, Chrom, Consequence, VariantKey};

fn open(p: &PathBuf) -> Box<dyn BufRead> {
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if p.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(BufReader::new(f))
    }
}

fn strip_version(id: &str) -> String {
    match id.rsplit_once('.') {
        Some((a, b)) if !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()) => a.to_string(),
        _ => id.to_string(),
    }
}

fn notation(h: &str) -> String {
    let h = h.replace("%3D", "=");
    match h.split_once(':') {
        Some((_, n)) => n.to_string(),
        None => h,
    }
}

#[derive(Default, Clone)]
struct Ann {
    cons: Vec<String>,
    c: String,
    p: String,
}

type Key = (String, String); // (variant id, transcript id without version)

fn parse_csq(path: &PathBuf, field: &str) -> (HashMap<Key, Ann>, Vec<String>) {
    let mut fmt: Vec<String> = Vec::new();
    let mut out = HashMap::new();
    let mut order = Vec::new();
    for line in open(path).lines() {
        let line = line.unwrap();
        if line.starts_with("##INFO=<ID=") && line.contains(&format!("ID={field},")) {
            let f = line.split("Format: ").nth(1).unwrap_or("");
            fmt = f
                .trim_end_matches("\">")
                .split('|')
                .map(|s| s.to_string())
                .collect();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let vid = format!("{}:{}:{}:{}", cols[0], cols[1], cols[3], cols[4]);
        order.push(vid.clone());
        let Some(info) = cols[7]
            .split(';')
            .find_map(|kv| kv.strip_prefix(&format!("{field}=")))
        else {
            continue;
        };
        let idx = |name: &str| fmt.iter().position(|f| f == name);
        for entry in info.split(',') {
            let f: Vec<&str> = entry.split('|').collect();
            if field == "CSQ" {
                let get = |n: &str| idx(n).and_then(|i| f.get(i)).copied().unwrap_or("");
                if get("Feature_type") != "Transcript" {
                    continue;
                }
                let key = (vid.clone(), strip_version(get("Feature")));
                let mut cons: Vec<String> = get("Consequence")
                    .split('&')
                    .map(|s| s.to_string())
                    .collect();
                cons.sort();
                out.insert(
                    key,
                    Ann {
                        cons,
                        c: notation(get("HGVSc")),
                        p: notation(get("HGVSp")),
                    },
                );
            } else {
                // bcftools BCSQ: Consequence|gene|transcript|biotype|strand|aa|dna
                if f.len() < 3 || f[2].is_empty() || f[0].starts_with('@') {
                    continue;
                }
                let key = (vid.clone(), strip_version(f[2]));
                let mut cons: Vec<String> = f[0]
                    .split('&')
                    .map(|t| {
                        support::bcftools_so(t)
                            .map_or_else(|| t.trim_start_matches('*').to_string(), String::from)
                    })
                    .collect();
                cons.sort();
                cons.dedup();
                out.insert(
                    key,
                    Ann {
                        cons,
                        ..Default::default()
                    },
                );
            }
        }
    }
    (out, order)
}

const CODING: &[&str] = &[
    "missense_variant",
    "synonymous_variant",
    "stop_gained",
    "frameshift_variant",
    "inframe_insertion",
    "inframe_deletion",
    "start_lost",
    "stop_lost",
    "stop_retained_variant",
    "start_retained_variant",
    "protein_altering_variant",
    "coding_sequence_variant",
    "incomplete_terminal_codon_variant",
];

fn severity(term: &str) -> usize {
    term.parse::<Consequence>()
        .map(|c| c as usize)
        .unwrap_or(usize::MAX)
}

fn main() {
    let mut gff = Vec::new();
    let mut fasta = Vec::new();
    let mut vcf = None;
    let mut vep = None;
    let mut bcf = None;
    let mut assembly = Assembly::GRCh38;
    let mut examples = 3usize;
    let mut dump: Option<PathBuf> = None;
    let mut whole = false;
    let mut mins: [f64; 3] = [0.0; 3]; // consequences, HGVSc, HGVSp (percent)
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || PathBuf::from(args.next().expect("missing value"));
        match a.as_str() {
            "--gff" => gff.push(val()),
            "--fasta" => fasta.push(val()),
            "--vcf" => vcf = Some(val()),
            "--vep" => vep = Some(val()),
            "--bcftools" => bcf = Some(val()),
            "--assembly" => assembly = val().to_string_lossy().parse().expect("assembly"),
            "--examples" => examples = val().to_string_lossy().parse().expect("number"),
            "--dump" => dump = Some(val()),
            "--whole-transcripts" => whole = true,
            "--min-csq" => mins[0] = val().to_string_lossy().parse().expect("percent"),
            "--min-hgvsc" => mins[1] = val().to_string_lossy().parse().expect("percent"),
            "--min-hgvsp" => mins[2] = val().to_string_lossy().parse().expect("percent"),
            other => panic!("unknown argument {other}"),
        }
    }
    let t0 = std::time::Instant::now();
    let (data, stats) = build(&BuildOptions {
        models: gff,
        fasta,
        assembly,
        label: None,
        flank: 100,
        whole_transcripts: whole,
    })
    .expect("build");
    eprintln!(
        "built {} transcripts ({} coding), {} bases of sequence in {:.2?}",
        stats.transcripts,
        stats.coding,
        stats.sequence_bases,
        t0.elapsed()
    );
    let ann = Annotator::new(data);

    // our annotations
    let mut ours: HashMap<Key, Ann> = HashMap::new();
    let mut n_var = 0;
    for line in open(vcf.as_ref().expect("--vcf")).lines() {
        let line = line.unwrap();
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let chrom: Chrom = cols[0].parse().expect("chrom");
        let pos: u32 = cols[1].parse().expect("pos");
        let vid = format!("{}:{}:{}:{}", cols[0], cols[1], cols[3], cols[4]);
        let Ok(key) = VariantKey::new(chrom, pos, cols[3], cols[4]) else {
            continue;
        };
        n_var += 1;
        for a in ann.annotate(&key) {
            let Some(tid) = &a.transcript_id else {
                continue;
            };
            let mut cons: Vec<String> = a
                .consequences
                .iter()
                .map(|c| c.as_str().to_string())
                .collect();
            cons.sort();
            ours.insert(
                (vid.clone(), strip_version(tid)),
                Ann {
                    cons,
                    c: a.hgvs_c.as_deref().map(notation).unwrap_or_default(),
                    p: a.hgvs_p.as_deref().map(notation).unwrap_or_default(),
                },
            );
        }
    }
    eprintln!("annotated {n_var} variants");

    let (vep_map, _) = parse_csq(vep.as_ref().expect("--vep"), "CSQ");
    if let Some(d) = dump {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(d).expect("dump file"));
        let mut keys: Vec<&Key> = ours.keys().chain(vep_map.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let o = ours.get(k).cloned().unwrap_or_default();
            let t = vep_map.get(k).cloned().unwrap_or_default();
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                k.0,
                k.1,
                t.cons.join("&"),
                o.cons.join("&"),
                t.c,
                o.c,
                t.p,
                o.p
            )
            .unwrap();
        }
    }
    let rates = report("Odyssey vs VEP", &ours, &vep_map, examples, true);
    if let Some(b) = bcf {
        let (bmap, _) = parse_csq(&b, "BCSQ");
        // bcftools reports only coding/non-coding transcript hits, no up/downstream: compare
        // on the pairs it reports
        let restrict = |m: &HashMap<Key, Ann>| -> HashMap<Key, Ann> {
            m.iter()
                .filter(|(k, _)| bmap.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        report(
            "VEP vs bcftools csq (pairs bcftools reports)",
            &restrict(&vep_map),
            &bmap,
            0,
            false,
        );
        report(
            "Odyssey vs bcftools csq (pairs bcftools reports)",
            &restrict(&ours),
            &bmap,
            0,
            false,
        );
    }
    let names = ["consequences", "HGVSc", "HGVSp"];
    let mut ok = true;
    for i in 0..3 {
        if rates[i] < mins[i] {
            println!(
                "FAIL: {} agreement {:.2}% below the required {:.2}%",
                names[i], rates[i], mins[i]
            );
            ok = false;
        }
    }
    if !ok {
        std::process::exit(1);
    }
}

/// Prints the comparison; returns the agreement percentages (consequences, HGVSc, HGVSp).
fn report(
    title: &str,
    ours: &HashMap<Key, Ann>,
    theirs: &HashMap<Key, Ann>,
    examples: usize,
    hgvs: bool,
) -> [f64; 3] {
    println!("\n== {title}");
    let mut keys: Vec<&Key> = theirs.keys().chain(ours.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut total = 0usize;
    let mut agree = 0usize;
    let mut per_class: BTreeMap<(usize, String), (usize, usize)> = BTreeMap::new();
    let mut patterns: HashMap<(String, String), (usize, Vec<String>)> = HashMap::new();
    let (mut coding, mut c_eq, mut p_eq) = (0usize, 0usize, 0usize);
    let mut hgvs_diff: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for k in keys {
        let o = ours.get(k);
        let t = theirs.get(k);
        total += 1;
        let ocons = o
            .map(|a| a.cons.join("&"))
            .unwrap_or_else(|| "(none)".into());
        let tcons = t
            .map(|a| a.cons.join("&"))
            .unwrap_or_else(|| "(none)".into());
        let class = t
            .map(|a| {
                a.cons
                    .iter()
                    .min_by_key(|c| severity(c))
                    .cloned()
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| "(absent in reference)".into());
        let e = per_class
            .entry((
                t.map_or(usize::MAX, |a| {
                    a.cons.iter().map(|c| severity(c)).min().unwrap_or(0)
                }),
                class,
            ))
            .or_default();
        e.0 += 1;
        if ocons == tcons {
            agree += 1;
            e.1 += 1;
        } else {
            let p = patterns.entry((tcons.clone(), ocons.clone())).or_default();
            p.0 += 1;
            if p.1.len() < examples {
                p.1.push(format!("{} {}", k.0, k.1));
            }
        }
        if hgvs {
            if let (Some(o), Some(t)) = (o, t) {
                let is_coding =
                    !t.p.is_empty() || t.cons.iter().any(|c| CODING.contains(&c.as_str()));
                if is_coding {
                    coding += 1;
                    let ce = o.c == t.c;
                    let pe = o.p == t.p;
                    c_eq += ce as usize;
                    p_eq += pe as usize;
                    if !ce || !pe {
                        let cls =
                            format!("{}{}", if ce { "" } else { "c" }, if pe { "" } else { "p" });
                        let d = hgvs_diff
                            .entry(format!("{cls} [{}]", t.cons.join("&")))
                            .or_default();
                        d.0 += 1;
                        if d.1.len() < examples {
                            d.1.push(format!(
                                "{} {}: theirs {} {} | ours {} {}",
                                k.0, k.1, t.c, t.p, o.c, o.p
                            ));
                        }
                    }
                }
            }
        }
    }
    println!(
        "pairs {total}, identical consequence sets {agree} ({:.2}%)",
        100.0 * agree as f64 / total.max(1) as f64
    );
    println!("per class (reference's most severe term): pairs, agree, rate");
    for ((_, class), (n, a)) in &per_class {
        println!(
            "  {class:45} {n:7} {a:7} {:7.2}%",
            100.0 * *a as f64 / (*n).max(1) as f64
        );
    }
    let mut pv: Vec<_> = patterns.into_iter().collect();
    pv.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    println!("disagreement patterns (reference -> ours), by count:");
    for ((t, o), (n, ex)) in pv.iter().take(40) {
        println!("  {n:6}  {t}  ->  {o}");
        for e in ex {
            println!("          e.g. {e}");
        }
    }
    if hgvs {
        println!(
            "coding pairs {coding}: HGVSc identical {c_eq} ({:.2}%), HGVSp identical {p_eq} ({:.2}%)",
            100.0 * c_eq as f64 / coding.max(1) as f64,
            100.0 * p_eq as f64 / coding.max(1) as f64
        );
        let mut hv: Vec<_> = hgvs_diff.into_iter().collect();
        hv.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        for (cls, (n, ex)) in hv.iter().take(30) {
            println!("  {n:6}  {cls}");
            for e in ex {
                println!("          e.g. {e}");
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    [pct(agree, total), pct(c_eq, coding), pct(p_eq, coding)]
}
