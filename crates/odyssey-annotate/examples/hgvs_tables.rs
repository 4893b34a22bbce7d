//! HGVS c./p. of Odyssey against the biocommons/hgvs projection tables (`tests/data/gcp/*.tsv`:
//! HGVSg → HGVSc, HGVSp on GRCh37 `NC_` accessions).
//!
//! Models come from `_derived/tx_exons.tsv` (UTA transcript↔genome alignments; transcripts
//! whose alignment has insertions or deletions are left out, since their c. numbering is not a
//! plain genome projection) and `_derived/tx_info.tsv` (CDS bounds); sequence from
//! `_derived/seq_slices.tsv` plus the transcript sequences (`_derived/transcripts.fa`) placed on
//! their exons. Expected strings are compared after writing them in the current HGVS style
//! (`delC` → `del`, `*` → `Ter`, parentheses of predicted protein changes dropped); `p.(=)`
//! (no change) matches a silent `p.Xaa123=`.
//!
//! `cargo run --release -p odyssey-annotate --example hgvs_tables -- DIR [--verbose]`
//! with DIR = `../shared/data/annotation-validation/biocommons-hgvs`.

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use odyssey_annotate::{
    Annotator, Cds, CodingRegion, Meta, RefData, Strand, Transcript, TranscriptFlags,
};
use odyssey_genome::{Assembly, Chrom, VariantKey};

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn chrom37(ac: &str) -> Option<Chrom> {
    let c: Chrom = ac.parse().ok()?;
    (Assembly::GRCh37.refseq_accession(c) == ac).then_some(c)
}

fn comp(b: u8) -> u8 {
    match b {
        b'A' => b'T',
        b'C' => b'G',
        b'G' => b'C',
        b'T' => b'A',
        _ => b'N',
    }
}

/// Expected c./n./p. in the current HGVS style.
fn norm(s: &str) -> String {
    let mut t = s.to_string();
    if t.starts_with("p.") {
        t = t.replace(['(', ')'], "").replace('*', "Ter");
        return t;
    }
    // deleted/duplicated bases (or their count) are no longer written: c.21delC → c.21del,
    // c.5dupA → c.5dup, c.1_2delAGinsT → c.1_2delinsT, del844 → del
    for word in ["del", "dup", "inv"] {
        if let Some(i) = t.find(word) {
            let rest = &t[i + word.len()..];
            let n = rest
                .bytes()
                .take_while(|b| b"ACGTN0123456789".contains(b))
                .count();
            let tail = &rest[n..];
            t = format!("{}{}", &t[..i + word.len()], tail);
        }
    }
    t
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("usage: hgvs_tables DIR [--verbose]"));
    let verbose = args.iter().any(|a| a == "--verbose");
    let arg_f = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(0.0, |s| s.parse::<f64>().unwrap())
    };
    let (min_c, min_p) = (arg_f("--min-c"), arg_f("--min-p"));
    let d = dir.join("_derived");
    // transcript sequences
    let mut txseq: HashMap<String, Vec<u8>> = HashMap::new();
    let mut cur = String::new();
    for l in read(&d.join("transcripts.fa")).lines() {
        if let Some(h) = l.strip_prefix('>') {
            cur = h.split_whitespace().next().unwrap_or("").to_string();
        } else {
            txseq
                .entry(cur.clone())
                .or_default()
                .extend(l.trim().bytes().map(|b| b.to_ascii_uppercase()));
        }
    }
    // CDS bounds and proteins
    let mut cds: HashMap<String, (Option<u32>, Option<u32>, String)> = HashMap::new();
    for l in read(&d.join("tx_info.tsv")).lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        cds.insert(
            f[0].to_string(),
            (f[4].parse().ok(), f[5].parse().ok(), f[3].to_string()),
        );
    }
    let prot: HashMap<String, String> = read(&d.join("tx_to_protein.tsv"))
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    // alignments on GRCh37 chromosomes
    #[derive(Default)]
    struct Aln {
        chrom: Option<Chrom>,
        strand: i8,
        exons: Vec<(u32, u32, u32, u32)>, // tx_start_i, tx_end_i, alt_start_i, alt_end_i
        gapped: bool,
    }
    let mut alns: BTreeMap<String, Aln> = BTreeMap::new();
    for l in read(&d.join("tx_exons.tsv")).lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom37(f[1]) else { continue };
        let a = alns.entry(f[0].to_string()).or_default();
        a.chrom = Some(c);
        a.strand = f[3].parse().unwrap();
        a.exons.push((
            f[5].parse().unwrap(),
            f[6].parse().unwrap(),
            f[7].parse().unwrap(),
            f[8].parse().unwrap(),
        ));
        a.gapped |= f[9].contains('I') || f[9].contains('D');
    }
    // genome sequence: slices, then transcript bases on ungapped exons
    let mut genome: BTreeMap<(Chrom, u32), u8> = BTreeMap::new();
    for l in read(&d.join("seq_slices.tsv")).lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom37(f[0]) else { continue };
        let s: u32 = f[1].parse().unwrap();
        for (i, b) in f[3].bytes().enumerate() {
            genome
                .entry((c, s + 1 + i as u32))
                .or_insert(b.to_ascii_uppercase());
        }
    }
    let mut transcripts = Vec::new();
    let mut skipped_tx = 0;
    for (tx, a) in &alns {
        if a.gapped {
            skipped_tx += 1;
            continue;
        }
        let c = a.chrom.unwrap();
        let seq = txseq.get(tx);
        let g_of = |p: u32| -> Option<u32> {
            a.exons.iter().find(|e| e.0 <= p && p < e.1).map(|e| {
                if a.strand > 0 {
                    e.2 + 1 + (p - e.0)
                } else {
                    e.3 - (p - e.0)
                }
            })
        };
        if let Some(seq) = seq {
            for e in &a.exons {
                for p in e.0..e.1 {
                    if let (Some(g), Some(&b)) = (g_of(p), seq.get(p as usize)) {
                        genome
                            .entry((c, g))
                            .or_insert(if a.strand > 0 { b } else { comp(b) });
                    }
                }
            }
        }
        let mut ex: Vec<(u32, u32)> = a.exons.iter().map(|e| (e.2 + 1, e.3)).collect();
        ex.sort_unstable();
        let strand = if a.strand > 0 {
            Strand::Forward
        } else {
            Strand::Reverse
        };
        let (cs, ce, hgnc) = cds.get(tx).cloned().unwrap_or((None, None, String::new()));
        let coding = match (cs, ce) {
            (Some(s), Some(e)) => {
                let (g1, g2) = (g_of(s), g_of(e - 1));
                match (g1, g2) {
                    (Some(x), Some(y)) => CodingRegion::Coding(Cds {
                        start: x.min(y),
                        end: x.max(y),
                        phase: 0,
                    }),
                    _ => continue,
                }
            }
            _ => CodingRegion::NonCoding,
        };
        transcripts.push(Transcript {
            id: Some(Arc::from(tx.as_str())),
            gene_id: None,
            gene_symbol: Some(Arc::from(hgnc.as_str())),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: prot.get(tx).map(|p| Arc::from(p.as_str())),
            biotype: Arc::from(if matches!(coding, CodingRegion::Coding(_)) {
                "protein_coding"
            } else {
                "transcript"
            }),
            chrom: c,
            strand,
            exons: ex,
            coding,
            flags: TranscriptFlags::default(),
            refseq_match: None,
            refseq_protein: None,
        });
    }
    let store = support::sequence_store(&genome);
    let meta = Meta {
        assembly: Assembly::GRCh37,
        release: "biocommons UTA excerpt".into(),
        sources: vec![],
        flank: 0,
        written_by: "test".into(),
    };
    let ann = Annotator::new(RefData::new(meta, transcripts, Some(store.clone())).unwrap());
    let base_at = |c: Chrom, p: u32| store.fetch(c, p, p).map(|v| (v[0] as char).to_string());

    let (mut rows, mut c_n, mut c_ok, mut p_n, mut p_ok) = (0, 0, 0, 0, 0);
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut diffs = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("tests/data/gcp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        for l in read(&f).lines() {
            if l.starts_with('#') || l.starts_with("id\t") || l.trim().is_empty() {
                continue;
            }
            let col: Vec<&str> = l.split('\t').collect();
            if col.len() < 3 {
                continue;
            }
            rows += 1;
            let (gac, g) = col[1].split_once(":g.").unwrap_or(("", ""));
            let (tac, cexp) = col[2].split_once(':').unwrap_or(("", ""));
            let pexp = col
                .get(3)
                .and_then(|p| p.split_once(':'))
                .map(|x| x.1)
                .unwrap_or("");
            let Some(chrom) = chrom37(gac) else {
                *skipped.entry("not a GRCh37 chromosome").or_default() += 1;
                continue;
            };
            if alns.get(tac).is_none_or(|a| a.gapped) {
                *skipped
                    .entry("transcript without ungapped GRCh37 alignment")
                    .or_default() += 1;
                continue;
            }
            let Some(key) = parse_g(g, chrom, &base_at) else {
                *skipped
                    .entry("genomic change needs sequence not in the excerpt")
                    .or_default() += 1;
                continue;
            };
            let anns = ann.annotate(&key);
            let Some(a) = anns
                .iter()
                .find(|a| a.transcript_id.as_deref() == Some(tac))
            else {
                *skipped.entry("variant outside the transcript").or_default() += 1;
                continue;
            };
            let strip = |s: Option<&str>| -> String {
                let s = s.unwrap_or("");
                s.split_once(':').map_or(s, |x| x.1).to_string()
            };
            let got_c = strip(a.hgvs_c.as_deref());
            let got_p = strip(a.hgvs_p.as_deref());
            c_n += 1;
            let ce = norm(cexp);
            if got_c == ce {
                c_ok += 1;
            } else {
                diffs.push(format!(
                    "c {}: {} expected {ce} got {got_c}",
                    f.file_name().unwrap().to_string_lossy(),
                    col[1]
                ));
            }
            if !pexp.is_empty() {
                p_n += 1;
                let pe = norm(pexp);
                let same = got_p == pe || (pe == "p.=" && got_p.ends_with('='));
                let _ = &got_c;
                if same {
                    p_ok += 1;
                } else {
                    diffs.push(format!(
                        "p {}: {} {} expected {pe} got {got_p}",
                        f.file_name().unwrap().to_string_lossy(),
                        col[1],
                        col[2]
                    ));
                }
            }
        }
    }
    println!(
        "rows {rows}; transcripts used {} (skipped {skipped_tx} with gapped alignments)",
        alns.len() - skipped_tx
    );
    println!(
        "HGVS c./n. identical: {c_ok}/{c_n} ({:.2}%)",
        100.0 * c_ok as f64 / c_n.max(1) as f64
    );
    println!(
        "HGVS p. identical:    {p_ok}/{p_n} ({:.2}%)",
        100.0 * p_ok as f64 / p_n.max(1) as f64
    );
    for (k, v) in &skipped {
        println!("  not compared: {v:6} {k}");
    }
    println!("differences: {}", diffs.len());
    for d in diffs.iter().take(if verbose { usize::MAX } else { 40 }) {
        println!("  {d}");
    }
    let (rc, rp) = (
        100.0 * c_ok as f64 / c_n.max(1) as f64,
        100.0 * p_ok as f64 / p_n.max(1) as f64,
    );
    if rc < min_c || rp < min_p {
        println!("FAIL: c. {rc:.2}% (min {min_c}), p. {rp:.2}% (min {min_p})");
        std::process::exit(1);
    }
}

/// HGVS g. (the forms in the tables) → VCF-style key; needs flanking bases for indels.
fn parse_g(g: &str, c: Chrom, base: &dyn Fn(Chrom, u32) -> Option<String>) -> Option<VariantKey> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n1 = digits(g);
    let start: u32 = g[..n1].parse().ok()?;
    let mut rest = &g[n1..];
    let mut end = start;
    if let Some(r) = rest.strip_prefix('_') {
        let n2 = digits(r);
        end = r[..n2].parse().ok()?;
        rest = &r[n2..];
    }
    let bases = |s: &str| s.bytes().all(|b| b"ACGTN".contains(&b));
    if let Some((r, a)) = rest.split_once('>') {
        return VariantKey::new(c, start, r, a).ok();
    }
    if let Some(ins) = rest.strip_prefix("ins") {
        let anchor = base(c, start)?;
        return VariantKey::new(c, start, &anchor, &format!("{anchor}{ins}")).ok();
    }
    if let Some(d) = rest.strip_prefix("del") {
        let (dseq, ins) = match d.split_once("ins") {
            Some((x, y)) => (x, Some(y)),
            None => (d, None),
        };
        let refseq = if dseq.is_empty() || !bases(dseq) || dseq.len() as u32 != end - start + 1 {
            (start..=end)
                .map(|p| base(c, p))
                .collect::<Option<String>>()?
        } else {
            dseq.to_string()
        };
        if let Some(ins) = ins {
            return VariantKey::new(c, start, &refseq, ins).ok();
        }
        let anchor = base(c, start - 1)?;
        return VariantKey::new(c, start - 1, &format!("{anchor}{refseq}"), &anchor).ok();
    }
    if let Some(d) = rest.strip_prefix("dup") {
        let dseq = if d.is_empty() {
            (start..=end)
                .map(|p| base(c, p))
                .collect::<Option<String>>()?
        } else {
            d.to_string()
        };
        let last = &dseq[dseq.len() - 1..];
        return VariantKey::new(c, end, last, &format!("{last}{dseq}")).ok();
    }
    if rest.starts_with("inv") {
        let refseq: String = (start..=end)
            .map(|p| base(c, p))
            .collect::<Option<String>>()?;
        let inv: String = refseq.bytes().rev().map(|b| comp(b) as char).collect();
        return VariantKey::new(c, start, &refseq, &inv).ok();
    }
    None
}
