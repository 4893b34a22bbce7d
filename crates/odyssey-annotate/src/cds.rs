//! Access to a transcript's coding sequence and the codon-level view of a change, reproducing
//! how Ensembl VEP derives reference and alternate codons and peptides (McLaren et al. 2016).
//!
//! Positions here are *padded CDS* coordinates: `phase` placeholder `N`s precede the annotated
//! CDS of a `cds_start_NF` transcript, so codon `k` is always padded bases `3k-2..=3k`.

use crate::codon::GeneticCode;
use crate::layout::Layout;
use crate::seq::SequenceStore;

/// A coding transcript with its sequence source.
pub(crate) struct CdsView<'a> {
    pub l: &'a Layout,
    pub seq: &'a SequenceStore,
    /// cDNA position of the first annotated CDS base.
    pub cs: u32,
    /// cDNA position of the last annotated CDS base.
    pub ce: u32,
    pub phase: u32,
    pub code: GeneticCode,
}

impl<'a> CdsView<'a> {
    pub(crate) fn new(l: &'a Layout, seq: &'a SequenceStore, code: GeneticCode) -> Option<Self> {
        let (cs, ce) = l.cds?;
        Some(CdsView {
            l,
            seq,
            cs,
            ce,
            phase: u32::from(l.phase),
            code,
        })
    }

    /// Padded CDS length.
    pub(crate) fn len(&self) -> u32 {
        self.phase + self.ce - self.cs + 1
    }

    /// cDNA position of a padded CDS position (> phase).
    pub(crate) fn to_cdna(&self, p: u32) -> u32 {
        self.cs + p - 1 - self.phase
    }

    /// Padded CDS bases `i..=j` (1-based), clamped to the CDS; padding reads as `N`.
    pub(crate) fn bases(&self, i: u32, j: u32) -> Option<Vec<u8>> {
        let j = j.min(self.len());
        let mut out = Vec::new();
        if j < i {
            return Some(out);
        }
        let mut i = i;
        while i <= j && i <= self.phase {
            out.push(b'N');
            i += 1;
        }
        if i <= j {
            out.extend(self.l.spliced(self.seq, self.to_cdna(i), self.to_cdna(j))?);
        }
        Some(out)
    }

    /// Bases from padded position `i` through the end of the transcript (3' UTR included),
    /// at most `max` bases.
    pub(crate) fn tail(&self, i: u32, max: u32) -> Option<Vec<u8>> {
        let n0 = self.to_cdna(i.max(self.phase + 1));
        let n1 = self.l.len.min(n0 + max.saturating_sub(1));
        self.l.spliced(self.seq, n0, n1)
    }

    /// Amino acid `k` (1-based) of the reference protein, `None` past the CDS or without sequence.
    pub(crate) fn aa(&self, k: u32) -> Option<u8> {
        if k == 0 || 3 * k > self.len() {
            return None;
        }
        let c = self.bases(3 * k - 2, 3 * k)?;
        Some(self.code.translate_codon(&c))
    }

    /// Number of complete codons.
    pub(crate) fn codons(&self) -> u32 {
        self.len() / 3
    }
}

/// Codon-level view of a change fully inside the CDS (VEP's `codon` / `peptide` alleles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CodonChange {
    /// First and last codon touched (for an insertion between codons: `end = start - 1`).
    pub translation_start: u32,
    pub translation_end: u32,
    /// Reference codons (empty for an insertion between codons).
    pub ref_codons: Vec<u8>,
    /// Alternate codons (may end in a partial codon).
    pub alt_codons: Vec<u8>,
    pub ref_pep: Vec<u8>,
    pub alt_pep: Vec<u8>,
}

/// Translates like BioPerl's `translate` as VEP uses it: complete codons, then a trailing
/// two-base partial codon as the amino acid all its completions agree on, else `X`; a single
/// trailing base is dropped.
pub(crate) fn translate_vep(code: GeneticCode, s: &[u8]) -> Vec<u8> {
    let mut out = code.translate(s, false);
    let rem = s.len() % 3;
    if rem == 2 {
        let part = &s[s.len() - rem..];
        let mut agreed: Option<u8> = None;
        let mut consistent = true;
        for b2 in b"ACGT" {
            for b3 in b"ACGT" {
                let codon = [part[0], if rem == 2 { part[1] } else { *b2 }, *b3];
                let aa = code.translate_codon(&codon);
                match agreed {
                    None => agreed = Some(aa),
                    Some(x) if x != aa => consistent = false,
                    _ => {}
                }
            }
            if rem == 2 {
                break;
            }
        }
        out.push(if consistent {
            agreed.unwrap_or(b'X')
        } else {
            b'X'
        });
    }
    out
}

/// Builds the codon change for padded CDS interval `cds_start..=cds_end` (insertion:
/// `cds_start = cds_end + 1`) replaced by `alt` (transcript orientation).
pub(crate) fn codon_change(
    v: &CdsView,
    cds_start: u32,
    cds_end: u32,
    alt: &[u8],
) -> Option<CodonChange> {
    let ts = cds_start.div_ceil(3).max(1);
    let te = cds_end.div_ceil(3);
    let codon_start = 3 * ts - 2;
    let codon_end = 3 * te;
    let ref_codons = if codon_end >= codon_start {
        v.bases(codon_start, codon_end)?
    } else {
        Vec::new()
    };
    // alt codons: prefix of the first codon, the alt allele, suffix of the last codon
    let mut alt_codons = Vec::with_capacity(ref_codons.len() + alt.len());
    if cds_start > codon_start {
        alt_codons.extend(v.bases(codon_start, cds_start - 1)?);
    }
    alt_codons.extend_from_slice(alt);
    if codon_end > cds_end {
        alt_codons.extend(v.bases(cds_end + 1, codon_end)?);
    }
    let ref_pep = translate_vep(v.code, &ref_codons);
    let alt_pep = translate_vep(v.code, &alt_codons);
    Some(CodonChange {
        translation_start: ts,
        translation_end: te,
        ref_codons,
        alt_codons,
        ref_pep,
        alt_pep,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_codons_translate_like_bioperl() {
        let c = GeneticCode::Standard;
        assert_eq!(translate_vep(c, b"GG"), b"G"); // GGN is always Gly
        assert_eq!(translate_vep(c, b"TA"), b"X"); // TAN: Tyr or stop
        assert_eq!(translate_vep(c, b"ATGC"), b"M");
        assert_eq!(translate_vep(c, b"ATGCT"), b"ML"); // CTN is always Leu
    }
}
