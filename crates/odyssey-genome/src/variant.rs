use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Chrom;

/// A biallelic small variant on a primary chromosome in minimal representation.
///
/// Positions are 1-based (VCF convention). [`VariantKey::new`] upper-cases the alleles, checks
/// that they are made of `A`, `C`, `G`, `T`, `N`, then trims the longest shared suffix and then
/// the longest shared prefix, keeping one shared leading base (the VCF anchor) when one allele
/// would otherwise become empty (Tan, Abecasis & Kang 2015, "Unified representation of genetic
/// variants", without left-alignment, which needs the reference sequence).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VariantKey {
    /// Chromosome.
    pub chrom: Chrom,
    /// 1-based position of the first base of `reference`.
    pub pos: u32,
    /// Reference allele (at least one base).
    pub reference: String,
    /// Alternate allele (at least one base).
    pub alternate: String,
}

/// Why an allele pair cannot form a [`VariantKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlleleError {
    /// An allele is empty, symbolic (`<DEL>`), a breakend or contains a non-ACGTN character.
    #[error("allele {0:?} is not a sequence of A, C, G, T, N (symbolic and breakend alleles are not supported)")]
    NotSequence(String),
    /// REF and ALT are identical.
    #[error("REF and ALT are identical ({0:?})")]
    Identical(String),
    /// Position 0.
    #[error("position must be at least 1")]
    ZeroPosition,
}

fn check(allele: &str) -> Result<String, AlleleError> {
    let up = allele.to_ascii_uppercase();
    if up.is_empty()
        || !up
            .bytes()
            .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T' | b'N'))
    {
        return Err(AlleleError::NotSequence(allele.to_string()));
    }
    Ok(up)
}

impl VariantKey {
    /// Builds a minimal representation; see the type's docs for the trimming rule.
    pub fn new(
        chrom: Chrom,
        pos: u32,
        reference: &str,
        alternate: &str,
    ) -> Result<Self, AlleleError> {
        if pos == 0 {
            return Err(AlleleError::ZeroPosition);
        }
        let r = check(reference)?;
        let a = check(alternate)?;
        if r == a {
            return Err(AlleleError::Identical(r));
        }
        let (rb, ab) = (r.as_bytes(), a.as_bytes());
        // trim shared suffix, leaving at least one base in each allele
        let mut end = 0;
        while end < rb.len() - 1
            && end < ab.len() - 1
            && rb[rb.len() - 1 - end] == ab[ab.len() - 1 - end]
        {
            end += 1;
        }
        let (rb, ab) = (&rb[..rb.len() - end], &ab[..ab.len() - end]);
        // trim shared prefix, leaving at least one base in each allele
        let mut start = 0;
        while start < rb.len() - 1 && start < ab.len() - 1 && rb[start] == ab[start] {
            start += 1;
        }
        Ok(VariantKey {
            chrom,
            pos: pos + start as u32,
            reference: String::from_utf8(rb[start..].to_vec()).expect("ascii"),
            alternate: String::from_utf8(ab[start..].to_vec()).expect("ascii"),
        })
    }

    /// Last reference base covered (1-based, inclusive).
    pub fn end(&self) -> u32 {
        self.pos + self.reference.len() as u32 - 1
    }

    /// True when REF and ALT have one base each.
    pub fn is_snv(&self) -> bool {
        self.reference.len() == 1 && self.alternate.len() == 1
    }
}

impl fmt::Display for VariantKey {
    /// `chrom-pos-ref-alt`, e.g. `17-41245466-G-A` (the gnomAD variant id style).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{}-{}",
            self.chrom, self.pos, self.reference, self.alternate
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(pos: u32, r: &str, a: &str) -> VariantKey {
        VariantKey::new(Chrom::autosome(1).unwrap(), pos, r, a).unwrap()
    }

    #[test]
    fn trims_to_minimal_representation() {
        // hand-worked: CTT>CT at 100 is a deletion of one T; suffix trim gives CT>C at 100
        let v = k(100, "CTT", "CT");
        assert_eq!(
            (v.pos, v.reference.as_str(), v.alternate.as_str()),
            (100, "CT", "C")
        );
        // multi-allelic split leftovers: GAT>GCT at 10 is the SNV A>C at 11
        let v = k(10, "GAT", "GCT");
        assert_eq!(
            (v.pos, v.reference.as_str(), v.alternate.as_str()),
            (11, "A", "C")
        );
        // insertion keeps its anchor
        let v = k(5, "a", "ATT");
        assert_eq!(
            (v.pos, v.reference.as_str(), v.alternate.as_str()),
            (5, "A", "ATT")
        );
        // MNV stays as is
        let v = k(5, "AC", "GT");
        assert_eq!(
            (v.pos, v.reference.as_str(), v.alternate.as_str(), v.end()),
            (5, "AC", "GT", 6)
        );
    }

    #[test]
    fn rejects_bad_alleles() {
        let c = Chrom::autosome(1).unwrap();
        assert!(matches!(
            VariantKey::new(c, 1, "A", "<DEL>"),
            Err(AlleleError::NotSequence(_))
        ));
        assert!(matches!(
            VariantKey::new(c, 1, "A", "*"),
            Err(AlleleError::NotSequence(_))
        ));
        assert!(matches!(
            VariantKey::new(c, 1, "A", "a"),
            Err(AlleleError::Identical(_))
        ));
        assert!(matches!(
            VariantKey::new(c, 0, "A", "C"),
            Err(AlleleError::ZeroPosition)
        ));
    }
}
