//! The variant as the consequence engine sees it: a plus-strand reference interval and the
//! bases replacing it, with the VCF anchor base removed from indels.
//!
//! Insertions are empty intervals between two bases: `start = end + 1`, the inserted bases going
//! between genomic positions `end` and `start` (the convention of Ensembl VEP, McLaren et al.
//! 2016, Genome Biol 17:122, which this engine reproduces).

use odyssey_genome::VariantKey;

/// A normalised allele.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Allele {
    /// First reference base replaced (for an insertion: the base after the insertion point).
    pub start: u32,
    /// Last reference base replaced (for an insertion: `start - 1`).
    pub end: u32,
    /// Reference bases (plus strand); empty for insertions.
    pub reference: Vec<u8>,
    /// Alternate bases (plus strand); empty for deletions.
    pub alternate: Vec<u8>,
}

impl Allele {
    /// From a minimal-representation key: drops the shared leading anchor base of indels.
    pub(crate) fn from_key(v: &VariantKey) -> Allele {
        let r = v.reference.as_bytes();
        let a = v.alternate.as_bytes();
        if r.len() != a.len() && (r.len() == 1 || a.len() == 1) && r[0] == a[0] {
            Allele {
                start: v.pos + 1,
                end: v.pos + r.len() as u32 - 1,
                reference: r[1..].to_vec(),
                alternate: a[1..].to_vec(),
            }
        } else {
            Allele {
                start: v.pos,
                end: v.pos + r.len() as u32 - 1,
                reference: r.to_vec(),
                alternate: a.to_vec(),
            }
        }
    }

    pub(crate) fn is_insertion(&self) -> bool {
        self.reference.is_empty()
    }

    pub(crate) fn is_deletion(&self) -> bool {
        self.alternate.is_empty()
    }

    /// Length change (alt − ref).
    pub(crate) fn delta(&self) -> i64 {
        self.alternate.len() as i64 - self.reference.len() as i64
    }
}

/// Closed-interval overlap as VEP defines it (`end1 >= start2 && start1 <= end2`); for an
/// insertion (`start = end + 1`) this holds only when both flanking bases lie in the feature.
pub(crate) fn overlap(s1: i64, e1: i64, s2: i64, e2: i64) -> bool {
    e1 >= s2 && s1 <= e2
}

#[cfg(test)]
mod tests {
    use super::*;
    use odyssey_genome::Chrom;

    fn key(pos: u32, r: &str, a: &str) -> VariantKey {
        VariantKey::new(Chrom::autosome(1).unwrap(), pos, r, a).unwrap()
    }

    #[test]
    fn anchors_are_dropped() {
        let a = Allele::from_key(&key(100, "A", "ATT"));
        assert_eq!(
            (
                a.start,
                a.end,
                a.reference.as_slice(),
                a.alternate.as_slice()
            ),
            (101, 100, &b""[..], &b"TT"[..])
        );
        let d = Allele::from_key(&key(100, "ACG", "A"));
        assert_eq!(
            (
                d.start,
                d.end,
                d.reference.as_slice(),
                d.alternate.as_slice()
            ),
            (101, 102, &b"CG"[..], &b""[..])
        );
        let m = Allele::from_key(&key(100, "AC", "GT"));
        assert_eq!((m.start, m.end), (100, 101));
        // delins without a shared first base keeps everything
        let x = Allele::from_key(&key(100, "ACG", "T"));
        assert_eq!(
            (x.start, x.end, x.alternate.as_slice()),
            (100, 102, &b"T"[..])
        );
        assert!(
            overlap(101, 100, 100, 101),
            "insertion between 100 and 101 lies in 100-101"
        );
        assert!(
            !overlap(101, 100, 101, 105),
            "insertion before 101 is not inside 101-105"
        );
    }
}
