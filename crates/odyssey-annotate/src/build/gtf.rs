//! GTF gene models (Ensembl and GENCODE), read with noodles-gtf.
//!
//! Records are grouped by `transcript_id`; GTF `CDS` excludes the stop codon, so `stop_codon`
//! records extend the coding region.

use std::collections::HashMap;
use std::path::Path;

use noodles::gff::feature::record::{Phase, Strand as GffStrand};
use noodles::gtf;
use odyssey_genome::Assembly;

use super::assemble::RawTx;
use super::contig::{classify, Contig};
use super::input::open_text;
use super::BuildStats;
use crate::error::Error;
use crate::model::Strand;

/// Reads a GTF file into raw transcripts.
pub(crate) fn read_gtf(
    path: &Path,
    assembly: Assembly,
    stats: &mut BuildStats,
) -> Result<Vec<RawTx>, Error> {
    let reader = open_text(path)?;
    let mut reader = gtf::io::Reader::new(reader);
    let mut txs: HashMap<String, RawTx> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut contigs: HashMap<String, Option<odyssey_genome::Chrom>> = HashMap::new();
    let mut line = gtf::Line::default();
    let mut line_no = 0u64;
    loop {
        let n = reader
            .read_line(&mut line)
            .map_err(|e| Error::parse(path, line_no + 1, format!("unreadable GTF line: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let Some(rec) = line.as_record() else {
            continue;
        };
        let rec =
            rec.map_err(|e| Error::parse(path, line_no, format!("malformed GTF record: {e}")))?;
        let ty = rec.ty().to_string();
        if !matches!(ty.as_str(), "transcript" | "exon" | "CDS" | "stop_codon") {
            continue;
        }
        let seqid = rec.reference_sequence_name().to_string();
        let chrom = match contigs.get(&seqid) {
            Some(c) => *c,
            None => {
                let c = match classify(&seqid, assembly) {
                    Contig::Primary(c, _) => Some(c),
                    Contig::Other => None,
                    Contig::WrongAssembly(msg) => {
                        return Err(Error::parse(
                            path,
                            line_no,
                            format!("{msg}: this file is for another assembly than {assembly}"),
                        ))
                    }
                };
                contigs.insert(seqid, c);
                c
            }
        };
        let Some(chrom) = chrom else {
            stats.skipped_features += 1;
            continue;
        };
        let bad = |what: &str, e: std::io::Error| {
            Error::parse(
                path,
                line_no,
                format!("invalid {what}: {e} (expected GTF's 9 tab-separated columns)"),
            )
        };
        let start = rec.start().map_err(|e| bad("start", e))?.get() as u32;
        let end = rec.end().map_err(|e| bad("end", e))?.get() as u32;
        let strand = match rec.strand().map_err(|e| bad("strand", e))? {
            GffStrand::Forward => Some(Strand::Forward),
            GffStrand::Reverse => Some(Strand::Reverse),
            _ => None,
        };
        let phase = match rec.phase() {
            Some(Ok(Phase::Zero)) | None => 0,
            Some(Ok(Phase::One)) => 1,
            Some(Ok(Phase::Two)) => 2,
            Some(Err(e)) => return Err(bad("frame", e)),
        };
        // attributes: `key "value";` pairs; parsed here so that stray empty fields (`;;`, seen in
        // Ensembl files) are tolerated
        let raw = line.as_ref().split(|&b| b == b'\t').nth(8).unwrap_or(&[]);
        let attrs = parse_attributes(raw).ok_or_else(|| {
            Error::parse(
                path,
                line_no,
                "malformed attributes: expected `key \"value\";` pairs",
            )
        })?;
        let get = |k: &str| -> Option<String> {
            attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone())
        };
        let Some(tid) = get("transcript_id") else {
            return Err(Error::parse(
                path,
                line_no,
                format!("{ty} record without transcript_id"),
            ));
        };
        let key = match get("transcript_version") {
            Some(v) if !tid.contains('.') => format!("{tid}.{v}"),
            _ => tid,
        };
        let t = txs.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            RawTx {
                id: key.clone(),
                line: line_no,
                ..Default::default()
            }
        });
        if t.chrom.is_some_and(|c| c != chrom) {
            return Err(Error::parse(
                path,
                line_no,
                format!("transcript {key} has records on two chromosomes"),
            ));
        }
        t.chrom = Some(chrom);
        merge_record(t, &ty, (start, end, phase), strand, &attrs);
        if ty == "exon" {
            t.exon_lines.push(line_no);
        }
    }
    // transcript records without exons (possible in GTF) describe nothing to annotate
    let out: Vec<RawTx> = order.into_iter().filter_map(|k| txs.remove(&k)).collect();
    let before = out.len();
    let out: Vec<RawTx> = out.into_iter().filter(|t| !t.exons.is_empty()).collect();
    stats.without_exons += (before - out.len()) as u64;
    Ok(out)
}

/// Adds one record (exon, CDS, stop codon or transcript) to its transcript: the part, and
/// the attributes not yet known (biotype, gene, HGNC id, protein id), tags accumulated.
fn merge_record(
    t: &mut RawTx,
    ty: &str,
    (start, end, phase): (u32, u32, u8),
    strand: Option<Strand>,
    attrs: &[(String, String)],
) {
    let get =
        |k: &str| -> Option<String> { attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone()) };
    if t.strand.is_none() {
        t.strand = strand;
    }
    match ty {
        "exon" => t.exons.push((start, end)),
        "CDS" => {
            t.cds.push((start, end, phase));
            if t.protein_id.is_none() {
                t.protein_id = get("protein_id").map(|p| match get("protein_version") {
                    Some(v) if !p.contains('.') => format!("{p}.{v}"),
                    _ => p,
                });
            }
        }
        "stop_codon" => t.stop_codons.push((start, end)),
        _ => {}
    }
    if t.biotype.is_none() {
        t.biotype = get("transcript_biotype").or_else(|| get("transcript_type"));
    }
    if t.gene_symbol.is_none() {
        t.gene_symbol = get("gene_name");
    }
    if t.gene_id.is_none() {
        t.gene_id = get("gene_id");
    }
    if t.hgnc_id.is_none() {
        t.hgnc_id = get("hgnc_id");
    }
    for (k, v) in attrs {
        if k == "tag" && !t.tags.contains(v) {
            t.tags.push(v.clone());
        }
    }
}

/// `key "value"; key value;` → pairs; `None` when a field has no value.
fn parse_attributes(raw: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut out = Vec::new();
    for field in text.split(';') {
        let f = field.trim();
        if f.is_empty() {
            continue;
        }
        let (k, v) = f.split_once(char::is_whitespace)?;
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .unwrap_or(v);
        out.push((k.to_string(), v.to_string()));
    }
    Some(out)
}
