//! Structural events as the gene annotator sees them: a class (loss, gain, inversion,
//! insertion, breakend) and the reference bases the event affects.

use serde::{Deserialize, Serialize};

use crate::Chrom;

/// What a structural event does to the reference bases it covers, as far as gene
/// consequences go (the VCF `SVTYPE`s and copy numbers map onto these; see
/// docs/structural-variants.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SvClass {
    /// Copy-number loss: `<DEL>`, `<CNV>` or `<CN0>`/`<CN1>` below the ploidy, explicit
    /// deletions of 50 bp or more.
    Loss,
    /// Copy-number gain: `<DUP>`, `<DUP:TANDEM>`, `<CNV>` above the ploidy.
    Gain,
    /// Inversion (`<INV>`): bases kept, orientation reversed between the breakpoints.
    Inversion,
    /// Insertion (`<INS>`, explicit insertions of 50 bp or more): new sequence between two
    /// reference bases.
    Insertion,
    /// One breakend of a rearrangement (`BND`, `N[chr2:123[`): the reference is broken at
    /// one base.
    Breakend,
}

impl SvClass {
    /// A short label: `loss`, `gain`, `inversion`, `insertion`, `breakend`.
    pub fn as_str(self) -> &'static str {
        match self {
            SvClass::Loss => "loss",
            SvClass::Gain => "gain",
            SvClass::Inversion => "inversion",
            SvClass::Insertion => "insertion",
            SvClass::Breakend => "breakend",
        }
    }
}

/// The reference interval a structural event affects, 1-based inclusive.
///
/// For a loss, gain or inversion, `start..=end` are the deleted, duplicated or inverted bases
/// (a symbolic record at `POS` with `END` affects `POS + 1..=END`: `POS` is the padding base,
/// VCF 4.4 §5.3). For an insertion, the new sequence lies between `start` and `start + 1`
/// and `end == start`; `inserted` is its length when known (`SVLEN`). For a breakend, the
/// reference is broken after `start` and `end == start`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvInterval {
    /// Chromosome.
    pub chrom: Chrom,
    /// First affected base (see the type's docs).
    pub start: u32,
    /// Last affected base.
    pub end: u32,
    /// Class of the event.
    pub class: SvClass,
    /// Inserted length in bp (insertions), when known.
    pub inserted: Option<u32>,
}

impl SvInterval {
    /// Bases covered, `end − start + 1` (1 for insertions and breakends).
    pub fn len(&self) -> u32 {
        self.end - self.start + 1
    }

    /// Always false: an interval covers at least one base.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The fraction of each of two intervals covered by their intersection, the smaller of
    /// the two ("reciprocal overlap", e.g. Conrad et al., Nature 2010): 0 when they do not
    /// intersect. `a` and `b` are 1-based inclusive `(start, end)` pairs with `start <= end`.
    pub fn reciprocal_overlap(a: (u32, u32), b: (u32, u32)) -> f64 {
        let lo = a.0.max(b.0);
        let hi = a.1.min(b.1);
        if hi < lo {
            return 0.0;
        }
        let inter = f64::from(hi - lo + 1);
        let la = f64::from(a.1 - a.0 + 1);
        let lb = f64::from(b.1 - b.0 + 1);
        (inter / la).min(inter / lb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocal_overlap_by_hand() {
        // 1-1000 and 501-1500: 500 shared bases of 1000 each → 0.5
        assert_eq!(SvInterval::reciprocal_overlap((1, 1000), (501, 1500)), 0.5);
        // 1-1000 inside 1-4000: 1000/1000 and 1000/4000 → 0.25
        assert_eq!(SvInterval::reciprocal_overlap((1, 1000), (1, 4000)), 0.25);
        // disjoint and touching intervals
        assert_eq!(SvInterval::reciprocal_overlap((1, 10), (11, 20)), 0.0);
        assert_eq!(SvInterval::reciprocal_overlap((1, 10), (10, 19)), 0.1);
    }
}
