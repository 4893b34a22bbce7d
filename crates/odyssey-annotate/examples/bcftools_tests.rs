//! Runs bcftools csq's own test suite (tiny FASTA + GFF3 + VCF with the expected BCSQ in
//! `INFO/EXP`) through Odyssey and compares, per (variant, transcript):
//! * with bcftools' expectations, after projecting Odyssey's VEP-style terms onto bcftools'
//!   vocabulary (bcftools has no intron term beside splice terms, no donor-region/5th-base/
//!   polypyrimidine terms, no NMD term, and one `non_coding` term);
//! * with Ensembl VEP 115's annotation of the same files (`_vep115_outputs`), exact sets.
//!
//! `cargo run --release -p odyssey-annotate --example bcftools_tests -- DIR [--verbose]`
//! where DIR is `../shared/data/annotation-validation/bcftools-csq`.

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::Annotator;
use odyssey_genome::{Assembly, Chrom, Consequence as C, VariantKey};

/// Odyssey's VEP-style set in bcftools' vocabulary.
fn project(cons: &[C]) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = BTreeSet::new();
    let splice = cons.iter().any(|c| {
        matches!(
            c,
            C::SpliceDonorVariant
                | C::SpliceAcceptorVariant
                | C::SpliceRegionVariant
                | C::SpliceDonorRegionVariant
                | C::SpliceDonor5thBaseVariant
        )
    });
    for c in cons {
        let t = match c {
            C::SpliceDonorRegionVariant | C::SpliceDonor5thBaseVariant => "splice_region_variant",
            C::SplicePolypyrimidineTractVariant => {
                if splice {
                    continue;
                }
                "intron_variant"
            }
            C::IntronVariant if splice || cons.len() > 1 => continue,
            C::NmdTranscriptVariant => continue,
            C::NonCodingTranscriptExonVariant | C::NonCodingTranscriptVariant => {
                "non_coding_transcript_variant"
            }
            C::UpstreamGeneVariant | C::DownstreamGeneVariant | C::IntergenicVariant => continue,
            other => other.as_str(),
        };
        s.insert(t.to_string());
    }
    s
}

fn find(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(args.first().expect("usage: bcftools_tests DIR [--verbose]"));
    let verbose = args.iter().any(|a| a == "--verbose");
    let arg_f = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(0.0, |s| s.parse::<f64>().unwrap())
    };
    let (min_exp, min_vep) = (arg_f("--min-bcftools"), arg_f("--min-vep"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("test/csq"))
        .expect("test/csq")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let (mut exp_n, mut exp_ok, mut vep_n, mut vep_ok) = (0usize, 0usize, 0usize, 0usize);
    let (mut vb_n, mut vb_ok) = (0usize, 0usize);
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut diffs: Vec<String> = Vec::new();
    for d in dirs {
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        let (Some(fa), Some(gff)) = (
            find(&d, ".fa").into_iter().next(),
            find(&d, ".gff").into_iter().next(),
        ) else {
            *skipped
                .entry("directory without .fa/.gff".into())
                .or_default() += 1;
            continue;
        };
        let built = build(&BuildOptions {
            models: vec![gff],
            fasta: vec![fa],
            assembly: Assembly::GRCh38,
            label: None,
            flank: 100,
            whole_transcripts: false,
        });
        let ann = match built {
            Ok((data, _)) => Annotator::new(data),
            Err(e) => {
                *skipped.entry(format!("model not usable: {e}")).or_default() += 1;
                continue;
            }
        };
        for vcf in find(&d, ".vcf") {
            let stem = vcf.file_stem().unwrap().to_string_lossy().to_string();
            let vep_path = root
                .join("_vep115_outputs")
                .join(&name)
                .join(format!("{stem}.vep115.vcf"));
            let vep_text = std::fs::read_to_string(&vep_path).unwrap_or_default();
            let text = std::fs::read_to_string(&vcf).unwrap();
            for (li, line) in text.lines().enumerate() {
                if line.starts_with('#') || line.is_empty() {
                    continue;
                }
                let f: Vec<&str> = line.split('\t').collect();
                let Ok(chrom) = f[0].parse::<Chrom>() else {
                    *skipped.entry("non-human contig".into()).or_default() += 1;
                    continue;
                };
                let pos: u32 = f[1].parse().unwrap();
                if f[4].contains(',') {
                    *skipped.entry("multi-allelic record".into()).or_default() += 1;
                    continue;
                }
                let Ok(key) = VariantKey::new(chrom, pos, f[3], f[4]) else {
                    *skipped
                        .entry("symbolic or non-variant allele".into())
                        .or_default() += 1;
                    continue;
                };
                let anns = ann.annotate(&key);
                let ours = |tid: &str| -> Option<&odyssey_annotate::TranscriptAnnotation> {
                    anns.iter().find(|a| {
                        a.transcript_id
                            .as_deref()
                            .is_some_and(|t| t.split('.').next() == Some(tid))
                    })
                };
                if let Some(exp) = f[7].split(';').find_map(|kv| kv.strip_prefix("EXP=")) {
                    // bcftools may list one transcript several times (one entry per effect)
                    let mut per_tx: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                    for e in exp.split(',') {
                        let p: Vec<&str> = e.split('|').collect();
                        if p[0].starts_with('@') || p[0] == "." || p.len() < 3 || p[2].is_empty() {
                            continue;
                        }
                        per_tx.entry(p[2].to_string()).or_default().extend(
                            p[0].split('&')
                                .filter_map(support::bcftools_so)
                                .map(str::to_string),
                        );
                    }
                    // VEP 115's annotation of the same record, projected the same way
                    let vep_line = vep_text.lines().find(|l| {
                        let g: Vec<&str> = l.split('\t').collect();
                        !l.starts_with('#')
                            && g.len() > 7
                            && g[0] == f[0]
                            && g[1] == f[1]
                            && g[3] == f[3]
                            && g[4] == f[4]
                    });
                    let vep_terms = |tid: &str| -> Option<BTreeSet<String>> {
                        let info = vep_line?.split('\t').nth(7)?;
                        let csq = info.split(';').find_map(|kv| kv.strip_prefix("CSQ="))?;
                        csq.split(',').find_map(|entry| {
                            let g: Vec<&str> = entry.split('|').collect();
                            (g.len() > 7 && g[5] == "Transcript" && g[6] == tid).then(|| {
                                let cs: Vec<C> =
                                    g[1].split('&').filter_map(|t| t.parse().ok()).collect();
                                project(&cs)
                            })
                        })
                    };
                    for (tid, want) in per_tx {
                        if let Some(v) = vep_terms(&tid) {
                            vb_n += 1;
                            vb_ok += (v == want) as usize;
                        }
                        exp_n += 1;
                        let got = ours(&tid)
                            .map(|a| project(&a.consequences))
                            .unwrap_or_default();
                        if got == want {
                            exp_ok += 1;
                        } else {
                            diffs.push(format!(
                                "bcftools {name}/{stem}:{} {} {} {}>{}: expected {:?} got {:?}",
                                li + 1,
                                tid,
                                pos,
                                f[3],
                                f[4],
                                want,
                                got
                            ));
                        }
                    }
                }
                // VEP 115 on the same record
                if let Some(vl) = vep_text.lines().find(|l| {
                    !l.starts_with('#') && {
                        let g: Vec<&str> = l.split('\t').collect();
                        g.len() > 7 && g[0] == f[0] && g[1] == f[1] && g[3] == f[3] && g[4] == f[4]
                    }
                }) {
                    let info = vl.split('\t').nth(7).unwrap_or("");
                    if let Some(csq) = info.split(';').find_map(|kv| kv.strip_prefix("CSQ=")) {
                        for entry in csq.split(',') {
                            let g: Vec<&str> = entry.split('|').collect();
                            if g.len() < 7 || g[5] != "Transcript" {
                                continue;
                            }
                            let mut want: Vec<&str> = g[1].split('&').collect();
                            want.sort();
                            vep_n += 1;
                            let mut got: Vec<&str> = ours(g[6])
                                .map(|a| a.consequences.iter().map(|c| c.as_str()).collect())
                                .unwrap_or_default();
                            got.sort();
                            if got == want {
                                vep_ok += 1;
                            } else {
                                diffs.push(format!(
                                    "vep {name}/{stem}:{} {} {} {}>{}: expected {:?} got {:?}",
                                    li + 1,
                                    g[6],
                                    pos,
                                    f[3],
                                    f[4],
                                    want,
                                    got
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "bcftools csq expectations: {exp_ok}/{exp_n} agree ({:.1}%)",
        100.0 * exp_ok as f64 / exp_n.max(1) as f64
    );
    println!(
        "VEP 115 vs the same bcftools expectations (same projection): {vb_ok}/{vb_n} ({:.1}%)",
        100.0 * vb_ok as f64 / vb_n.max(1) as f64
    );
    println!(
        "VEP 115 on the same test files: {vep_ok}/{vep_n} (variant, transcript) pairs identical ({:.1}%)",
        100.0 * vep_ok as f64 / vep_n.max(1) as f64
    );
    println!("not compared:");
    for (k, v) in &skipped {
        println!("  {v:4}  {k}");
    }
    println!("differences: {}", diffs.len());
    for d in diffs.iter().take(if verbose { usize::MAX } else { 60 }) {
        println!("  {d}");
    }
    let (re, rv) = (
        100.0 * exp_ok as f64 / exp_n.max(1) as f64,
        100.0 * vep_ok as f64 / vep_n.max(1) as f64,
    );
    if re < min_exp || rv < min_vep {
        println!(
            "FAIL: bcftools expectations {re:.1}% (min {min_exp}), VEP {rv:.1}% (min {min_vep})"
        );
        std::process::exit(1);
    }
}
