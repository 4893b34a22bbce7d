//! Consequences of Odyssey against Ensembl VEP v109 (RefSeq cache) for 14,270 ClinVar GRCh37
//! variants in BRCA1 and OPA1 (varfish-org/mehari test data), per (variant, transcript); and
//! HGVS c./p. against SnpEff 5.1d on the same variants (VEP was run there without `--hgvs`),
//! after removing SnpEff's style differences (deleted/duplicated bases spelled out, `*` for
//! Ter, `p.Glu23fs` without the new stop, `p.His5His` for synonymous, `ext*?`).
//!
//! Models: the cdot 0.2.12 RefSeq JSON for BRCA1/OPA1 (GRCh37 alignments); sequence: the exact
//! transcript sequences (`brca1.fasta`, `opa1.fasta`) placed on their exons (intron sequence is
//! unknown, so intronic indels get no HGVS, which this comparison does not use).
//!
//! `cargo run --release -p odyssey-annotate --example clinvar_brca1_opa1 -- DIR [--examples N]
//! [--min PCT] [--min-hgvs PCT]`
//! with DIR = `../shared/data/annotation-validation/mehari-history/tests/data`.

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::Arc;

use odyssey_annotate::{
    Annotator, Cds, CodingRegion, Meta, RefData, Strand, Transcript, TranscriptFlags,
};
use odyssey_genome::{Assembly, Chrom, VariantKey};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("usage: clinvar_brca1_opa1 DIR"));
    let min: f64 = args
        .iter()
        .position(|a| a == "--min")
        .and_then(|i| args.get(i + 1))
        .map_or(0.0, |s| s.parse().unwrap());
    let min_hgvs: f64 = args
        .iter()
        .position(|a| a == "--min-hgvs")
        .and_then(|i| args.get(i + 1))
        .map_or(0.0, |s| s.parse().unwrap());
    let examples: usize = args
        .iter()
        .position(|a| a == "--examples")
        .and_then(|i| args.get(i + 1))
        .map_or(3, |s| s.parse().unwrap());
    let txs = dir.join("db/create/txs");
    let cdot: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(txs.join("cdot-0.2.12.refseq.grch37_grch38.brca1_opa1.json"))
            .unwrap(),
    )
    .unwrap();
    let mut seqs: HashMap<String, Vec<u8>> = HashMap::new();
    for f in ["brca1.fasta", "opa1.fasta"] {
        let mut cur = String::new();
        for l in std::fs::read_to_string(txs.join(f)).unwrap().lines() {
            if let Some(h) = l.strip_prefix('>') {
                cur = h.split_whitespace().next().unwrap().to_string();
            } else {
                seqs.entry(cur.clone())
                    .or_default()
                    .extend(l.trim().bytes());
            }
        }
    }
    let mut genome: BTreeMap<(Chrom, u32), u8> = BTreeMap::new();
    let mut transcripts = Vec::new();
    let mut gapped = 0;
    for (id, t) in cdot["transcripts"].as_object().unwrap() {
        let Some(b) = t["genome_builds"]["GRCh37"].as_object() else {
            continue;
        };
        let chrom: Chrom = b["contig"].as_str().unwrap().parse().unwrap();
        let strand = if b["strand"] == "+" {
            Strand::Forward
        } else {
            Strand::Reverse
        };
        let exons_raw: Vec<Vec<serde_json::Value>> = b["exons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_array().unwrap().clone())
            .collect();
        if exons_raw.iter().any(|e| !e[5].is_null()) {
            gapped += 1;
            continue;
        }
        let mut exons: Vec<(u32, u32)> = exons_raw
            .iter()
            .map(|e| {
                (
                    e[0].as_u64().unwrap() as u32 + 1,
                    e[1].as_u64().unwrap() as u32,
                )
            })
            .collect();
        exons.sort_unstable();
        if let Some(seq) = seqs.get(id) {
            for e in &exons_raw {
                let (gs, ge, ts) = (
                    e[0].as_u64().unwrap() as u32,
                    e[1].as_u64().unwrap() as u32,
                    e[3].as_u64().unwrap() as u32,
                );
                for k in 0..(ge - gs) {
                    let Some(&base) = seq.get((ts - 1 + k) as usize) else {
                        continue;
                    };
                    let (g, bb) = match strand {
                        Strand::Forward => (gs + 1 + k, base),
                        Strand::Reverse => (
                            ge - k,
                            match base {
                                b'A' => b'T',
                                b'C' => b'G',
                                b'G' => b'C',
                                b'T' => b'A',
                                x => x,
                            },
                        ),
                    };
                    genome.entry((chrom, g)).or_insert(bb);
                }
            }
        }
        let coding = match (
            b.get("cds_start").and_then(|v| v.as_u64()),
            b.get("cds_end").and_then(|v| v.as_u64()),
        ) {
            (Some(s), Some(e)) => CodingRegion::Coding(Cds {
                start: s as u32 + 1,
                end: e as u32,
                phase: 0,
            }),
            _ => CodingRegion::NonCoding,
        };
        let biotype = t["biotype"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|v| v.as_str())
            .unwrap_or("transcript")
            .to_string();
        transcripts.push(Transcript {
            id: Some(Arc::from(id.as_str())),
            gene_id: None,
            gene_symbol: t["gene_name"].as_str().map(Arc::from),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: t["protein"].as_str().map(Arc::from),
            biotype: Arc::from(biotype.as_str()),
            chrom,
            strand,
            exons,
            coding,
            flags: TranscriptFlags::default(),
            refseq_match: None,
            refseq_protein: None,
        });
    }
    let store = support::sequence_store(&genome);
    let meta = Meta {
        assembly: Assembly::GRCh37,
        release: "cdot 0.2.12 BRCA1/OPA1".into(),
        sources: vec![],
        flank: 0,
        written_by: "test".into(),
    };
    let ids: Vec<String> = transcripts
        .iter()
        .filter_map(|t| t.id.as_deref().map(str::to_string))
        .collect();
    let ann = Annotator::new(RefData::new(meta, transcripts, Some(store)).unwrap());

    // VEP v109
    let vep = dir.join("annotate/vars/clinvar.excerpt.vep.vcf.gz");
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(&vep).unwrap(),
    ));
    let (mut n, mut ok, mut missing_model, mut vars) = (0usize, 0usize, 0usize, 0usize);
    let mut per_class: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut patterns: HashMap<(String, String), (usize, Vec<String>)> = HashMap::new();
    for line in r.lines() {
        let line = line.unwrap();
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let Ok(key) = VariantKey::new(f[0].parse().unwrap(), f[1].parse().unwrap(), f[3], f[4])
        else {
            continue;
        };
        vars += 1;
        let ours = ann.annotate(&key);
        let Some(csq) = f[7].split(';').find_map(|kv| kv.strip_prefix("CSQ=")) else {
            continue;
        };
        for e in csq.split(',') {
            let g: Vec<&str> = e.split('|').collect();
            if g[5] != "Transcript" {
                continue;
            }
            if !ids.iter().any(|i| i == g[6]) {
                missing_model += 1;
                continue;
            }
            let mut want: Vec<&str> = g[1].split('&').collect();
            want.sort();
            let mut got: Vec<&str> = ours
                .iter()
                .find(|a| a.transcript_id.as_deref() == Some(g[6]))
                .map(|a| a.consequences.iter().map(|c| c.as_str()).collect())
                .unwrap_or_default();
            got.sort();
            n += 1;
            let class = g[1].split('&').next().unwrap_or("").to_string();
            let pc = per_class.entry(class).or_default();
            pc.0 += 1;
            if got == want {
                ok += 1;
                pc.1 += 1;
            } else {
                let p = patterns.entry((want.join("&"), got.join("&"))).or_default();
                p.0 += 1;
                if p.1.len() < examples {
                    p.1.push(format!("{}:{}:{}:{} {}", f[0], f[1], f[3], f[4], g[6]));
                }
            }
        }
    }
    println!(
        "variants {vars}; transcripts modelled {} ({gapped} with gapped alignments left out)",
        ids.len()
    );
    println!("(variant, transcript) pairs {n}: identical consequence sets {ok} ({:.2}%); {missing_model} VEP pairs on transcripts not in cdot", 100.0 * ok as f64 / n.max(1) as f64);
    println!("per VEP class (first term): pairs, agree, rate");
    for (k, (a, b)) in &per_class {
        println!(
            "  {k:45} {a:7} {b:7} {:7.2}%",
            100.0 * *b as f64 / (*a).max(1) as f64
        );
    }
    let rate = 100.0 * ok as f64 / n.max(1) as f64;
    let mut pv: Vec<_> = patterns.into_iter().collect();
    pv.sort_by_key(|p| std::cmp::Reverse(p.1 .0));
    println!("disagreements (VEP v109 -> Odyssey):");
    for ((w, g), (c, ex)) in pv.iter().take(30) {
        println!("  {c:6} {w} -> {g}");
        for e in ex {
            println!("         e.g. {e}");
        }
    }
    let (c_rate, p_rate) = compare_snpeff(&ann, &ids, &dir, examples);
    let mut fail = false;
    if rate < min {
        println!("FAIL: agreement {rate:.2}% below the required {min:.2}%");
        fail = true;
    }
    if c_rate < min_hgvs || p_rate < min_hgvs {
        println!("FAIL: HGVS agreement c. {c_rate:.2}% / p. {p_rate:.2}% below the required {min_hgvs:.2}%");
        fail = true;
    }
    if fail {
        std::process::exit(1);
    }
}

/// Drops the bases SnpEff spells out after `del`, `dup` and `inv` (`c.68_69delAG` → `c.68_69del`).
fn norm_c(s: &str) -> String {
    let s = s.split_once(':').map_or(s, |x| x.1);
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let word = ["del", "dup", "inv"]
            .iter()
            .find(|w| s[i..].starts_with(**w));
        if let Some(w) = word {
            out.push_str(w);
            i += 3;
            while i < b.len() && matches!(b[i], b'A' | b'C' | b'G' | b'T' | b'N') {
                i += 1;
            }
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Brings both tools' `p.` to one style: `Ter` for `*`, frameshifts as `p.Glu23fs`, extensions
/// without the new stop, synonymous `p.His5=`; `None` for SnpEff's partly unknown `???` forms.
fn norm_p(s: &str) -> Option<String> {
    let s = s.split_once(':').map_or(s, |x| x.1).replace('*', "Ter");
    if s.contains("??") {
        return None;
    }
    let head = |s: &str| -> (String, usize) {
        // "p." + residue + position
        let b = s.as_bytes();
        let mut i = 2 + 3;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (s[..i.min(s.len())].to_string(), i.min(s.len()))
    };
    if s.contains("fs") {
        return Some(format!("{}fs", head(&s).0));
    }
    if let Some(k) = s.find("ext") {
        return Some(s[..k + 3].to_string());
    }
    // SnpEff's multi-residue substitution `p.CysGly1808SerAsp` is HGVS `p.Cys1808_Gly1809delinsSerAsp`
    let b = s.as_bytes();
    let mut k = 2;
    while k + 3 <= b.len()
        && b[k].is_ascii_uppercase()
        && b[k + 1..k + 3].iter().all(u8::is_ascii_lowercase)
    {
        k += 3;
    }
    let n_ref = (k - 2) / 3;
    let mut j = k;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if n_ref >= 2 && j > k && j < b.len() && b[j..].iter().all(u8::is_ascii_alphabetic) {
        let pos: u32 = s[k..j].parse().ok()?;
        let last = &s[k - 3..k];
        return Some(format!(
            "p.{}{pos}_{last}{}delins{}",
            &s[2..5],
            pos + n_ref as u32 - 1,
            &s[j..]
        ));
    }
    let (h, i) = head(&s);
    if s.len() == i + 3 && h.len() >= 5 && s[i..] == s[2..5] {
        return Some(format!("{h}="));
    }
    Some(s)
}

/// HGVS against SnpEff 5.1d's ANN: returns the c. and p. agreement rates.
fn compare_snpeff(
    ann: &Annotator,
    ids: &[String],
    dir: &std::path::Path,
    examples: usize,
) -> (f64, f64) {
    let path = dir.join("annotate/vars/clinvar.excerpt.snpeff.vcf.gz");
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(&path).unwrap(),
    ));
    let (mut nc, mut okc, mut no_c, mut np, mut okp, mut unknown_p) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let mut patterns: HashMap<String, (usize, Vec<String>)> = HashMap::new();
    for line in r.lines() {
        let line = line.unwrap();
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let Ok(key) = VariantKey::new(f[0].parse().unwrap(), f[1].parse().unwrap(), f[3], f[4])
        else {
            continue;
        };
        let ours = ann.annotate(&key);
        let Some(a) = f[7].split(';').find_map(|kv| kv.strip_prefix("ANN=")) else {
            continue;
        };
        for e in a.split(',') {
            let g: Vec<&str> = e.split('|').collect();
            if g.len() < 11 || g[9].is_empty() || !ids.iter().any(|i| i == g[6]) {
                continue;
            }
            if g[1].contains("upstream")
                || g[1].contains("downstream")
                || g[1].contains("intergenic")
            {
                continue; // SnpEff writes c. for flanking variants, VEP and Odyssey do not
            }
            let Some(t) = ours
                .iter()
                .find(|t| t.transcript_id.as_deref() == Some(g[6]))
            else {
                continue;
            };
            let Some(oc) = t.hgvs_c.as_deref() else {
                no_c += 1; // an intronic indel: the intron sequence is not in this test's data
                continue;
            };
            nc += 1;
            let (wc, gc) = (norm_c(g[9]), norm_c(oc));
            let c_ok = wc == gc;
            okc += usize::from(c_ok);
            let mut p_note = String::new();
            if !g[10].is_empty() {
                match norm_p(g[10]) {
                    None => unknown_p += 1,
                    Some(wp) => {
                        np += 1;
                        let mut gp = t.hgvs_p.as_deref().and_then(norm_p).unwrap_or_default();
                        // a frameshift whose first new residue is a stop is written as a
                        // nonsense change (HGVS; VEP and Odyssey): SnpEff keeps `fs`
                        if wp.ends_with("fs")
                            && gp.strip_suffix("Ter").is_some_and(|h| wp.starts_with(h))
                        {
                            gp = wp.clone();
                        }
                        if wp == gp {
                            okp += 1;
                        } else {
                            p_note = format!(" p: snpeff {wp} | ours {gp}");
                        }
                    }
                }
            }
            if !c_ok || !p_note.is_empty() {
                let class = format!(
                    "{}{} [{}]",
                    if c_ok { "" } else { "c" },
                    if p_note.is_empty() { "" } else { "p" },
                    g[1]
                );
                let p = patterns.entry(class).or_default();
                p.0 += 1;
                if p.1.len() < examples {
                    let short = |s: &str| s.chars().take(60).collect::<String>();
                    p.1.push(format!(
                        "{}:{}:{}:{} {}: snpeff {} | ours {}{p_note}",
                        f[0],
                        f[1],
                        short(f[3]),
                        short(f[4]),
                        g[6],
                        short(&wc),
                        short(&gc)
                    ));
                }
            }
        }
    }
    let c_rate = 100.0 * okc as f64 / nc.max(1) as f64;
    let p_rate = 100.0 * okp as f64 / np.max(1) as f64;
    println!("HGVS vs SnpEff 5.1d (style-normalised), per (variant, transcript) on modelled transcripts:");
    println!("  c./n. identical {okc}/{nc} ({c_rate:.2}%); {no_c} without Odyssey c. (intronic indels: no intron sequence here)");
    println!(
        "  p. identical {okp}/{np} ({p_rate:.2}%); {unknown_p} SnpEff p. with unknown residues ('???') not compared"
    );
    let mut pv: Vec<_> = patterns.into_iter().collect();
    pv.sort_by_key(|p| std::cmp::Reverse(p.1 .0));
    for (k, (c, ex)) in pv.iter().take(40) {
        println!("  {c:6} {k}");
        for e in ex {
            println!("         e.g. {e}");
        }
    }
    (c_rate, p_rate)
}
