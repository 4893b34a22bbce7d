//! A small hand-made gene used by the integration tests. Every expected value in the tests is
//! derived by hand from the sequence below (codons written out in the comments).

#![allow(dead_code)]

use std::sync::Arc;

use odyssey_annotate::{
    Annotator, Cds, CodingRegion, Meta, RefData, SequenceStore, Strand, Transcript, TranscriptFlags,
};
use odyssey_genome::{Assembly, Chrom, VariantKey};

/// Positions 1..=120 of the forward construct:
/// * 1-10 upstream `TTTTTTTTTT`
/// * exon 1 = 11-40: 5' UTR 11-20 `CCGCCGCCAC`, CDS c.1-20 at 21-40 `ATGAAAGGGCCCTTTGACTG`
/// * intron 41-60 `GTAAGTCCCCCCCCCCCCAG`
/// * exon 2 = 61-90: CDS c.21-33 at 61-73 `GCAAGCTCATTAA`, 3' UTR 74-90 `GGGCCCGGGCCCGGGCC`
/// * 91-120 `A` x 30
///
/// CDS: ATG AAA GGG CCC TTT GAC TGG CAA GCT CAT TAA = M K G P F D W Q A H *
pub fn forward_sequence() -> String {
    let mut s = String::new();
    s.push_str("TTTTTTTTTT");
    s.push_str("CCGCCGCCAC");
    s.push_str("ATGAAAGGGCCCTTTGACTG");
    s.push_str("GTAAGTCCCCCCCCCCCCAG");
    s.push_str("GCAAGCTCATTAA");
    s.push_str("GGGCCCGGGCCCGGGCC");
    s.push_str(&"A".repeat(30));
    assert_eq!(s.len(), 120);
    s
}

pub fn revcomp(s: &str) -> String {
    s.chars()
        .rev()
        .map(|c| match c {
            'A' => 'T',
            'C' => 'G',
            'G' => 'C',
            'T' => 'A',
            x => x,
        })
        .collect()
}

pub fn chr1() -> Chrom {
    Chrom::autosome(1).unwrap()
}

pub fn chr2() -> Chrom {
    Chrom::autosome(2).unwrap()
}

/// The forward gene on chr1 and its mirror image (reverse strand) on chr2: position p on chr1
/// corresponds to 121 − p on chr2, with complemented bases.
pub fn transcripts() -> Vec<Transcript> {
    let fwd = Transcript {
        id: Some(Arc::from("TX1.1")),
        gene_id: Some(Arc::from("G1")),
        gene_symbol: Some(Arc::from("GENEA")),
        ncbi_gene_id: Some(1),
        hgnc_id: None,
        protein_id: Some(Arc::from("P1.1")),
        biotype: Arc::from("protein_coding"),
        chrom: chr1(),
        strand: Strand::Forward,
        exons: vec![(11, 40), (61, 90)],
        coding: CodingRegion::Coding(Cds {
            start: 21,
            end: 73,
            phase: 0,
        }),
        flags: TranscriptFlags {
            mane_select: true,
            ..Default::default()
        },
        refseq_match: None,
        refseq_protein: None,
    };
    let m = |p: u32| 121 - p;
    let rev = Transcript {
        id: Some(Arc::from("TX2.1")),
        gene_id: Some(Arc::from("G2")),
        gene_symbol: Some(Arc::from("GENEB")),
        protein_id: Some(Arc::from("P2.1")),
        chrom: chr2(),
        strand: Strand::Reverse,
        exons: vec![(m(90), m(61)), (m(40), m(11))],
        coding: CodingRegion::Coding(Cds {
            start: m(73),
            end: m(21),
            phase: 0,
        }),
        ..fwd.clone()
    };
    vec![fwd, rev]
}

pub fn annotator(with_sequence: bool) -> Annotator {
    let seq = if with_sequence {
        let mut s = SequenceStore::new();
        let f = forward_sequence();
        s.add(chr1(), 1, f.as_bytes()).unwrap();
        s.add(chr2(), 1, revcomp(&f).as_bytes()).unwrap();
        Some(s)
    } else {
        None
    };
    let meta = Meta {
        assembly: Assembly::GRCh38,
        release: "hand-made test gene".into(),
        sources: vec![],
        flank: 0,
        written_by: "test".into(),
    };
    Annotator::new(RefData::new(meta, transcripts(), seq).unwrap())
}

pub fn key(c: Chrom, pos: u32, r: &str, a: &str) -> VariantKey {
    VariantKey::new(c, pos, r, a).unwrap()
}

/// The same variant on the mirrored chromosome: VCF-style with a left anchor base.
pub fn mirror(pos: u32, r: &str, a: &str) -> VariantKey {
    let f = forward_sequence();
    let len = r.len() as u32;
    if r.len() == a.len() {
        return key(chr2(), 121 - (pos + len - 1), &revcomp(r), &revcomp(a));
    }
    // indel with anchor at `pos`: the changed bases follow the anchor; on the mirror the new
    // anchor is the base before the mirrored changed block
    let (changed_r, changed_a) = (&r[1..], &a[1..]);
    let block_end = pos + changed_r.len() as u32; // last changed reference base (deletions)
    let first_changed = pos + 1;
    let m_lo = if changed_r.is_empty() {
        121 - pos
    } else {
        121 - block_end
    };
    let anchor = m_lo - 1;
    let anchor_base = &revcomp(&f)[(anchor - 1) as usize..anchor as usize];
    let _ = first_changed;
    key(
        chr2(),
        anchor,
        &format!("{anchor_base}{}", revcomp(changed_r)),
        &format!("{anchor_base}{}", revcomp(changed_a)),
    )
}
