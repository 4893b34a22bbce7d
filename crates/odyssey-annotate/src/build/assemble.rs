//! Turning parsed gene-model features into validated [`Transcript`]s.

use std::collections::HashMap;
use std::sync::Arc;

use odyssey_genome::Chrom;

use crate::model::{Cds, CodingRegion, Strand, Transcript, TranscriptFlags};

/// A transcript as collected from GFF3/GTF lines, before validation.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawTx {
    pub id: String,
    pub chrom: Option<Chrom>,
    pub strand: Option<Strand>,
    pub biotype: Option<String>,
    pub tags: Vec<String>,
    pub protein_id: Option<String>,
    pub gene_symbol: Option<String>,
    pub gene_id: Option<String>,
    pub hgnc_id: Option<String>,
    pub ncbi_gene_id: Option<u32>,
    pub exons: Vec<(u32, u32)>,
    /// The line of each exon of `exons` (same order).
    pub exon_lines: Vec<u64>,
    /// CDS segments with their GFF phase.
    pub cds: Vec<(u32, u32, u8)>,
    pub stop_codons: Vec<(u32, u32)>,
    /// First line mentioning the transcript, for error messages.
    pub line: u64,
}

/// String interner so that the many transcripts of a gene share one allocation per value.
#[derive(Default)]
pub(crate) struct Interner(HashMap<String, Arc<str>>);

impl Interner {
    pub(crate) fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(s.to_string(), a.clone());
        a
    }
}

fn has_tag(tags: &[String], names: &[&str]) -> bool {
    tags.iter()
        .any(|t| names.iter().any(|n| t.eq_ignore_ascii_case(n)))
}

/// An exon and its line: `(line, start, end)`.
pub(crate) type ExonAt = (u64, u32, u32);

/// Two exons of the transcript that overlap (share at least one base; exons that only touch,
/// as where RefSeq splits an exon at an alignment gap, or the same exon listed twice, do not
/// count): `(line, start, end)` of the earlier-starting exon and of the other. Such exons are
/// merged by [`finish`]; the caller warns.
pub(crate) fn overlapping_exons(raw: &RawTx) -> Option<(ExonAt, ExonAt)> {
    let mut ex: Vec<(u32, u32, u64)> = raw
        .exons
        .iter()
        .zip(raw.exon_lines.iter().chain(std::iter::repeat(&raw.line)))
        .map(|(&(s, e), &l)| (s, e, l))
        .collect();
    ex.sort_unstable();
    ex.dedup_by_key(|x| (x.0, x.1));
    // the exon reaching furthest so far
    let mut reach: Option<(u32, u32, u64)> = None;
    for &(s, e, l) in &ex {
        if let Some((rs, re, rl)) = reach {
            if s <= re {
                return Some(((rl, rs, re), (l, s, e)));
            }
        }
        if reach.is_none_or(|r| e > r.1) {
            reach = Some((s, e, l));
        }
    }
    None
}

/// Validates and converts; `Err` explains what is inconsistent (the caller adds file and line).
pub(crate) fn finish(raw: RawTx, interner: &mut Interner) -> Result<Transcript, String> {
    let chrom = raw.chrom.ok_or("transcript without a primary chromosome")?;
    let strand = raw
        .strand
        .ok_or_else(|| format!("transcript {} has no strand (+ or -)", raw.id))?;
    let mut exons = raw.exons;
    if exons.is_empty() {
        return Err(format!("transcript {} has no exon features", raw.id));
    }
    exons.sort_unstable();
    exons.dedup();
    // merge exons that touch or overlap (some GFF3s split one exon at alignment gaps)
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(exons.len());
    for (s, e) in exons {
        if let Some(last) = merged.last_mut() {
            if s <= last.1 + 1 {
                last.1 = last.1.max(e);
                continue;
            }
        }
        merged.push((s, e));
    }
    let coding = if raw.cds.is_empty() {
        CodingRegion::NonCoding
    } else {
        let mut lo = raw.cds.iter().map(|c| c.0).min().expect("non-empty");
        let mut hi = raw.cds.iter().map(|c| c.1).max().expect("non-empty");
        for &(s, e) in &raw.stop_codons {
            lo = lo.min(s);
            hi = hi.max(e);
        }
        let first = match strand {
            Strand::Forward => raw.cds.iter().min_by_key(|c| c.0),
            Strand::Reverse => raw.cds.iter().max_by_key(|c| c.1),
        };
        let phase = first.map_or(0, |c| c.2);
        for &(s, e, _) in &raw.cds {
            if !merged.iter().any(|&(a, b)| a <= s && e <= b) {
                return Err(format!(
                    "transcript {}: CDS segment {s}-{e} is not inside an exon",
                    raw.id
                ));
            }
        }
        // a stop codon annotated beyond the exons (rare split stop codons) is clipped
        lo = lo.max(merged[0].0);
        hi = hi.min(merged[merged.len() - 1].1);
        CodingRegion::Coding(Cds {
            start: lo,
            end: hi,
            phase,
        })
    };
    let flags = TranscriptFlags {
        mane_select: has_tag(&raw.tags, &["MANE_Select", "MANE Select"]),
        mane_plus_clinical: has_tag(&raw.tags, &["MANE_Plus_Clinical", "MANE Plus Clinical"]),
        canonical: has_tag(&raw.tags, &["Ensembl_canonical"]),
        basic: has_tag(&raw.tags, &["basic"]),
        cds_start_nf: has_tag(&raw.tags, &["cds_start_NF"]),
        cds_end_nf: has_tag(&raw.tags, &["cds_end_NF"]),
    };
    let biotype = raw.biotype.unwrap_or_else(|| {
        if matches!(coding, CodingRegion::Coding(_)) {
            "protein_coding".into()
        } else {
            "transcript".into()
        }
    });
    let t = Transcript {
        id: Some(Arc::from(raw.id.as_str())),
        gene_id: raw.gene_id.map(|s| interner.get(&s)),
        gene_symbol: raw.gene_symbol.map(|s| interner.get(&s)),
        ncbi_gene_id: raw.ncbi_gene_id,
        hgnc_id: raw.hgnc_id.map(|s| interner.get(&s)),
        protein_id: raw.protein_id.map(|s| Arc::from(s.as_str())),
        biotype: interner.get(&biotype),
        chrom,
        strand,
        exons: merged,
        coding,
        flags,
        refseq_match: None,
        refseq_protein: None,
    };
    t.validate()?;
    Ok(t)
}
