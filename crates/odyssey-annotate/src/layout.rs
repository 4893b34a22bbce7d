//! Transcript coordinate systems: genomic ↔ cDNA (`n.`) ↔ CDS (`c.`) positions, exon and
//! intron ranks, and spliced-sequence access, all in transcript orientation.
//!
//! Position conventions follow the HGVS recommendations (den Dunnen et al. 2016, "HGVS
//! Recommendations for the Description of Sequence Variants: 2016 Update", Hum Mutat 37:564;
//! varnomen.hgvs.org "Numbering"): `c.1` is the A of the ATG, 5' UTR positions are `c.-N`,
//! 3' UTR positions `c.*N`; intronic positions are `c.N+k` from the preceding exon end or `c.N-k`
//! from the following exon start, whichever is nearer, with the middle base of an odd-length
//! intron numbered from the preceding exon (`+`).

use odyssey_genome::Chrom;

use crate::model::{Strand, Transcript};
use crate::seq::{complement, SequenceStore};

/// Precomputed geometry of one transcript.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Exons in transcript order: (genomic start, genomic end, cDNA position of the exon's first
    /// base in transcript orientation).
    pub exons: Vec<(u32, u32, u32)>,
    /// Spliced length.
    pub len: u32,
    /// cDNA positions of the first and last CDS base (transcript orientation), if coding.
    pub cds: Option<(u32, u32)>,
    /// Placeholder bases padding an incomplete first codon (Ensembl's start-exon phase,
    /// `(3 - GFF phase) % 3`): with them, codon `k` is padded CDS bases `3k-2..=3k`.
    pub phase: u8,
    pub strand: Strand,
    pub chrom: Chrom,
    pub tx_start: u32,
    pub tx_end: u32,
}

/// Where a genomic position lies relative to a transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Loc {
    /// In exon `exon` (0-based, transcript order) at cDNA position `n`.
    Exon { exon: usize, n: u32 },
    /// In intron `intron` (0-based, transcript order), numbered from cDNA position `n` with
    /// signed offset (`+` from the preceding exon's last base, `-` from the next exon's first).
    Intron { intron: usize, n: u32, offset: i64 },
    /// Before the transcript's first base (transcript orientation), `d` bases away.
    Upstream { d: u32 },
    /// After the transcript's last base, `d` bases away.
    Downstream { d: u32 },
}

impl Layout {
    pub(crate) fn new(t: &Transcript) -> Layout {
        let mut exons: Vec<(u32, u32, u32)> = Vec::with_capacity(t.exons.len());
        let ordered: Vec<(u32, u32)> = match t.strand {
            Strand::Forward => t.exons.clone(),
            Strand::Reverse => t.exons.iter().rev().copied().collect(),
        };
        let mut n = 1;
        for (s, e) in ordered {
            exons.push((s, e, n));
            n += e - s + 1;
        }
        let mut l = Layout {
            exons,
            len: n - 1,
            cds: None,
            phase: 0,
            strand: t.strand,
            chrom: t.chrom,
            tx_start: t.start(),
            tx_end: t.end(),
        };
        if let Some(c) = t.cds() {
            let (a, b) = match t.strand {
                Strand::Forward => (c.start, c.end),
                Strand::Reverse => (c.end, c.start),
            };
            if let (Some(na), Some(nb)) = (l.g_to_n(a), l.g_to_n(b)) {
                l.cds = Some((na, nb));
                l.phase = (3 - c.phase % 3) % 3;
            }
        }
        l
    }

    /// cDNA position of an exonic genomic position.
    pub(crate) fn g_to_n(&self, g: u32) -> Option<u32> {
        match self.locate(g) {
            Loc::Exon { n, .. } => Some(n),
            _ => None,
        }
    }

    /// Locates a genomic position.
    pub(crate) fn locate(&self, g: u32) -> Loc {
        let fwd = self.strand == Strand::Forward;
        if g < self.tx_start {
            let d = self.tx_start - g;
            return if fwd {
                Loc::Upstream { d }
            } else {
                Loc::Downstream { d }
            };
        }
        if g > self.tx_end {
            let d = g - self.tx_end;
            return if fwd {
                Loc::Downstream { d }
            } else {
                Loc::Upstream { d }
            };
        }
        // exons are in transcript order: ascending on the forward strand, descending otherwise
        let k = if fwd {
            self.exons.partition_point(|&(s, _, _)| s <= g)
        } else {
            self.exons.partition_point(|&(_, e, _)| e >= g)
        };
        // candidate exon containing g: the last one starting at or before g (forward) / ending
        // at or after g (reverse)
        if k > 0 {
            let (s, e, n0) = self.exons[k - 1];
            if s <= g && g <= e {
                let n = if fwd { n0 + (g - s) } else { n0 + (e - g) };
                return Loc::Exon { exon: k - 1, n };
            }
        }
        // otherwise g lies in the intron between exons k-1 and k (transcript order)
        if k > 0 && k < self.exons.len() {
            let i = k - 1;
            let (s0, e0, n0) = self.exons[i];
            let (s1, e1, n1) = self.exons[i + 1];
            let (d5, d3) = if fwd {
                (g - e0, s1 - g)
            } else {
                (s0 - g, g - e1)
            };
            let last_of_prev = n0 + (e0 - s0);
            return if d5 <= d3 {
                Loc::Intron {
                    intron: i,
                    n: last_of_prev,
                    offset: i64::from(d5),
                }
            } else {
                Loc::Intron {
                    intron: i,
                    n: n1,
                    offset: -i64::from(d3),
                }
            };
        }
        unreachable!("position {g} inside transcript span but neither exonic nor intronic")
    }

    /// Genomic position of cDNA position `n` (1..=len).
    #[cfg(test)]
    pub(crate) fn n_to_g(&self, n: u32) -> Option<u32> {
        for &(s, e, n0) in &self.exons {
            let len = e - s + 1;
            if n >= n0 && n < n0 + len {
                let k = n - n0;
                return Some(match self.strand {
                    Strand::Forward => s + k,
                    Strand::Reverse => e - k,
                });
            }
        }
        None
    }

    /// Introns in transcript order as genomic (low, high) inclusive bounds.
    pub(crate) fn intron(&self, k: usize) -> (u32, u32) {
        let (s0, e0, _) = self.exons[k];
        let (s1, e1, _) = self.exons[k + 1];
        match self.strand {
            Strand::Forward => (e0 + 1, s1 - 1),
            Strand::Reverse => (e1 + 1, s0 - 1),
        }
    }

    /// Number of introns.
    pub(crate) fn intron_count(&self) -> usize {
        self.exons.len() - 1
    }

    /// HGVS position text of a cDNA position with intron offset, in `c.` numbering when the
    /// transcript is coding (`-N`, `N`, `*N`) or `n.` numbering otherwise. With `pad`, CDS
    /// positions of a transcript whose first codon is incomplete count the padding bases
    /// (Ensembl VEP numbers substitutions this way and other changes without the padding;
    /// Odyssey follows it for comparability).
    pub(crate) fn pos_text_padded(&self, n: u32, offset: i64, pad: bool, out: &mut String) {
        use crate::fmtnum::{push_i64, push_u64};
        match self.cds {
            Some((cs, ce)) => {
                if n < cs {
                    out.push('-');
                    push_u64(out, u64::from(cs - n));
                } else if n > ce {
                    out.push('*');
                    push_u64(out, u64::from(n - ce));
                } else {
                    let p = if pad && offset == 0 {
                        u32::from(self.phase)
                    } else {
                        0
                    };
                    push_u64(out, u64::from(n - cs + 1 + p));
                }
            }
            None => push_u64(out, u64::from(n)),
        }
        if offset > 0 {
            out.push('+');
        }
        if offset != 0 {
            push_i64(out, offset);
        }
    }

    /// HGVS position text of a genomic position inside the transcript; `None` outside it.
    pub(crate) fn g_pos_text(&self, g: u32, out: &mut String) -> bool {
        self.g_pos_text_padded(g, false, out)
    }

    /// [`Layout::g_pos_text`] with the padding option of [`Layout::pos_text_padded`].
    pub(crate) fn g_pos_text_padded(&self, g: u32, pad: bool, out: &mut String) -> bool {
        match self.locate(g) {
            Loc::Exon { n, .. } => {
                self.pos_text_padded(n, 0, pad, out);
                true
            }
            Loc::Intron { n, offset, .. } => {
                self.pos_text_padded(n, offset, pad, out);
                true
            }
            _ => false,
        }
    }

    /// Spliced sequence of cDNA positions `a..=b` in transcript orientation, or `None` when the
    /// store lacks any of it.
    pub(crate) fn spliced(&self, seq: &SequenceStore, a: u32, b: u32) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity((b.saturating_sub(a) + 1) as usize);
        if b < a {
            return Some(out);
        }
        if a == 0 || b > self.len {
            return None;
        }
        for &(s, e, n0) in &self.exons {
            let n1 = n0 + (e - s);
            let lo = a.max(n0);
            let hi = b.min(n1);
            if lo > hi {
                continue;
            }
            match self.strand {
                Strand::Forward => {
                    if !seq.fetch_into(self.chrom, s + (lo - n0), s + (hi - n0), &mut out) {
                        return None;
                    }
                }
                Strand::Reverse => {
                    let at = out.len();
                    if !seq.fetch_into(self.chrom, e - (hi - n0), e - (lo - n0), &mut out) {
                        return None;
                    }
                    let part = &mut out[at..];
                    part.reverse();
                    for x in part.iter_mut() {
                        *x = complement(*x);
                    }
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Cds, CodingRegion, TranscriptFlags};

    pub(crate) fn tx(strand: Strand, exons: &[(u32, u32)], cds: Option<(u32, u32)>) -> Transcript {
        Transcript {
            id: Some(Arc::from("T1")),
            gene_id: None,
            gene_symbol: Some(Arc::from("G")),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: None,
            biotype: Arc::from(if cds.is_some() {
                "protein_coding"
            } else {
                "lncRNA"
            }),
            chrom: Chrom::autosome(1).unwrap(),
            strand,
            exons: exons.to_vec(),
            coding: match cds {
                Some((s, e)) => CodingRegion::Coding(Cds {
                    start: s,
                    end: e,
                    phase: 0,
                }),
                None => CodingRegion::NonCoding,
            },
            flags: TranscriptFlags::default(),
            refseq_match: None,
            refseq_protein: None,
        }
    }

    #[test]
    fn forward_positions_by_hand() {
        // exons 100-109 (n1-10), 200-219 (n11-30), 300-309 (n31-40); CDS 105..305
        let l = Layout::new(&tx(
            Strand::Forward,
            &[(100, 109), (200, 219), (300, 309)],
            Some((105, 305)),
        ));
        assert_eq!(l.cds, Some((6, 36)));
        assert_eq!(l.locate(105), Loc::Exon { exon: 0, n: 6 });
        assert_eq!(l.locate(200), Loc::Exon { exon: 1, n: 11 });
        // intron 110..199 has 90 bases: 110..154 are +1..+45, 155..199 are -45..-1
        assert_eq!(
            l.locate(110),
            Loc::Intron {
                intron: 0,
                n: 10,
                offset: 1
            }
        );
        assert_eq!(
            l.locate(154),
            Loc::Intron {
                intron: 0,
                n: 10,
                offset: 45
            }
        );
        assert_eq!(
            l.locate(155),
            Loc::Intron {
                intron: 0,
                n: 11,
                offset: -45
            }
        );
        assert_eq!(l.locate(90), Loc::Upstream { d: 10 });
        assert_eq!(l.locate(312), Loc::Downstream { d: 3 });
        let txt = |g| {
            let mut s = String::new();
            l.g_pos_text(g, &mut s);
            s
        };
        assert_eq!(txt(105), "1");
        assert_eq!(txt(104), "-1");
        assert_eq!(txt(100), "-5");
        assert_eq!(txt(110), "5+1");
        assert_eq!(txt(199), "6-1");
        assert_eq!(txt(305), "31");
        assert_eq!(txt(306), "*1");
        assert_eq!(l.n_to_g(11), Some(200));
    }

    #[test]
    fn reverse_positions_and_odd_intron_middle() {
        // exons (ascending) 100-109, 121-130 → transcript order: 121-130 (n1-10), 100-109 (n11-20)
        // intron 110..120 has 11 bases: middle base 115 gets '+' (HGVS)
        let l = Layout::new(&tx(Strand::Reverse, &[(100, 109), (121, 130)], None));
        assert_eq!(l.locate(130), Loc::Exon { exon: 0, n: 1 });
        assert_eq!(l.locate(109), Loc::Exon { exon: 1, n: 11 });
        assert_eq!(
            l.locate(120),
            Loc::Intron {
                intron: 0,
                n: 10,
                offset: 1
            }
        );
        assert_eq!(
            l.locate(115),
            Loc::Intron {
                intron: 0,
                n: 10,
                offset: 6
            }
        );
        assert_eq!(
            l.locate(114),
            Loc::Intron {
                intron: 0,
                n: 11,
                offset: -5
            }
        );
        assert_eq!(l.locate(131), Loc::Upstream { d: 1 });
        assert_eq!(l.intron(0), (110, 120));
    }

    #[test]
    fn spliced_sequence_reverse() {
        let mut s = SequenceStore::new();
        let c = Chrom::autosome(1).unwrap();
        // positions 100..=130
        s.add(c, 100, b"AAAAACCCCCGTGTGTGTGTGTTTTTGGGGG").unwrap();
        let l = Layout::new(&tx(Strand::Reverse, &[(100, 104), (126, 130)], None));
        // transcript order: 130..126 reversed complement of GGGGG = CCCCC, then 104..100 of AAAAA = TTTTT
        assert_eq!(l.spliced(&s, 1, 10).unwrap(), b"CCCCCTTTTT");
        assert_eq!(l.spliced(&s, 4, 7).unwrap(), b"CCTT");
        assert!(l.spliced(&s, 0, 3).is_none());
    }
}
