//! Helpers shared by the examples: locating `../shared`, a coarse exon-table annotator and
//! small checks.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use odyssey_genome::{Chrom, Consequence, VariantKey};
use odyssey_variant::annotation::{GeneAnnotator, GeneEffect};

/// `../shared` beside the repository, or `None` (with a note) when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.join("data").is_dir() {
        Some(p.canonicalize().unwrap_or(p))
    } else {
        println!("note: ../shared is absent; skipping (this check needs the shared test data)");
        None
    }
}

/// Gene-level annotator from a canonical-transcript exon table (the SpliceAI 1.3.1 GENCODE
/// v24 table in ../shared: NAME CHROM STRAND TX_START TX_END EXON_START EXON_END). It knows
/// exons but not coding sequence, so an exonic variant is `coding_sequence_variant`; intronic
/// positions within 2 bp of an exon are splice donor/acceptor, within 8 bp splice region; up to
/// 5 kb outside the transcript upstream/downstream. A stand-in for benchmarks and checks until
/// Odyssey's embedded transcript models are available.
pub struct ExonTableAnnotator {
    by_chrom: HashMap<Chrom, Vec<Tx>>,
}

struct Tx {
    gene: String,
    plus: bool,
    start: u32,
    end: u32,
    exons: Vec<(u32, u32)>,
}

impl ExonTableAnnotator {
    pub fn load(path: &Path) -> ExonTableAnnotator {
        let f = std::fs::File::open(path).expect("exon table");
        let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
        let mut by_chrom: HashMap<Chrom, Vec<Tx>> = HashMap::new();
        for line in r.lines() {
            let line = line.unwrap();
            if line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let Ok(chrom) = f[1].parse::<Chrom>() else {
                continue;
            };
            let starts: Vec<u32> = f[5]
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            let ends: Vec<u32> = f[6]
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            by_chrom.entry(chrom).or_default().push(Tx {
                gene: f[0].to_string(),
                plus: f[2] == "+",
                // 0-based starts -> 1-based
                start: f[3].parse::<u32>().unwrap() + 1,
                end: f[4].parse().unwrap(),
                exons: starts.iter().zip(&ends).map(|(s, e)| (s + 1, *e)).collect(),
            });
        }
        for v in by_chrom.values_mut() {
            v.sort_by_key(|t| t.start);
        }
        ExonTableAnnotator { by_chrom }
    }
}

impl GeneAnnotator for ExonTableAnnotator {
    fn describe(&self) -> String {
        "exon table (GENCODE v24 canonical exons, gene level; example stand-in)".into()
    }

    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        let Some(txs) = self.by_chrom.get(&key.chrom) else {
            return vec![];
        };
        let (s, e) = (key.pos, key.end());
        let i = txs.partition_point(|t| t.start.saturating_sub(5000) <= e);
        let mut out = Vec::new();
        for t in txs[..i].iter().rev().take(200) {
            if t.end + 5000 < s {
                continue;
            }
            let c = if e < t.start || s > t.end {
                let before = e < t.start;
                if before == t.plus {
                    Consequence::UpstreamGeneVariant
                } else {
                    Consequence::DownstreamGeneVariant
                }
            } else if t.exons.iter().any(|(a, b)| s <= *b && e >= *a) {
                Consequence::CodingSequenceVariant
            } else {
                let dist = t
                    .exons
                    .iter()
                    .map(|(a, b)| {
                        if s > *b {
                            s - b
                        } else if e < *a {
                            a - e
                        } else {
                            0
                        }
                    })
                    .min()
                    .unwrap_or(u32::MAX);
                if dist <= 2 {
                    Consequence::SpliceDonorVariant
                } else if dist <= 8 {
                    Consequence::SpliceRegionVariant
                } else {
                    Consequence::IntronVariant
                }
            };
            out.push(GeneEffect {
                gene_symbol: t.gene.clone(),
                ncbi_gene_id: None,
                transcript: None,
                consequences: vec![c],
                hgvs_c: None,
                hgvs_p: None,
                preferred: true,
            });
        }
        out
    }
}

/// Records a check; returns whether it held.
pub fn check(failures: &mut Vec<String>, ok: bool, what: &str) {
    println!("  [{}] {what}", if ok { "ok" } else { "FAIL" });
    if !ok {
        failures.push(what.to_string());
    }
}

/// Exits with status 1 when a check failed.
pub fn finish(failures: &[String]) {
    if failures.is_empty() {
        println!("all checks passed");
    } else {
        println!("{} check(s) failed:", failures.len());
        for f in failures {
            println!("  - {f}");
        }
        std::process::exit(1);
    }
}
