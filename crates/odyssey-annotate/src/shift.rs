//! The 3' rule: moving an insertion or deletion in a repeat to its most 3' position in the
//! orientation of the transcript (HGVS recommendations, "General: 3' rule", den Dunnen et al.
//! 2016; varnomen.hgvs.org/recommendations/general). Substitutions and deletion-insertions are
//! not moved.

use odyssey_genome::Chrom;

use crate::allele::Allele;
use crate::model::Strand;
use crate::seq::SequenceStore;

const WINDOW: u32 = 24;

/// Base at `pos`, fetched through a small cache window.
struct Cursor<'a> {
    seq: &'a SequenceStore,
    chrom: Chrom,
    lo: u32,
    buf: Vec<u8>,
    misses: u32,
}

impl<'a> Cursor<'a> {
    fn new(seq: &'a SequenceStore, chrom: Chrom) -> Self {
        Cursor {
            seq,
            chrom,
            lo: 0,
            buf: Vec::new(),
            misses: 0,
        }
    }

    fn base(&mut self, pos: u32) -> Option<u8> {
        if pos == 0 {
            return None;
        }
        if pos < self.lo || pos >= self.lo + self.buf.len() as u32 || self.buf.is_empty() {
            // a window around pos, wider on each miss (long repeats), narrower when it runs
            // past the stored sequence
            let mut half = WINDOW << (2 * self.misses.min(6));
            self.misses += 1;
            loop {
                let lo = pos.saturating_sub(half).max(1);
                let hi = pos + half;
                self.buf.clear();
                if self.seq.fetch_into(self.chrom, lo, hi, &mut self.buf) {
                    self.lo = lo;
                    break;
                }
                if half == 0 {
                    return None;
                }
                half /= 4;
            }
        }
        Some(self.buf[(pos - self.lo) as usize])
    }
}

/// Shifts an indel 3' relative to `strand`, staying within `[lo, hi]` (the transcript span).
/// Returns the allele unchanged when it is a substitution or delins, and `None` when the
/// sequence needed is not stored.
pub(crate) fn shift_3prime(
    a: &Allele,
    strand: Strand,
    chrom: Chrom,
    seq: &SequenceStore,
    lo: u32,
    hi: u32,
) -> Option<Allele> {
    let mut s = a.clone();
    let mut cur = Cursor::new(seq, chrom);
    if !a.reference.is_empty() && !a.alternate.is_empty() {
        return Some(s);
    }
    // check the stored reference agrees with the allele (else do not shift)
    match strand {
        Strand::Forward => {
            if a.is_deletion() {
                while s.end < hi {
                    let next = cur.base(s.end + 1)?;
                    let first = s.reference[0];
                    if next != first || next == b'N' {
                        break;
                    }
                    s.reference.rotate_left(1);
                    s.start += 1;
                    s.end += 1;
                }
            } else {
                // insertion between s.end and s.start
                while s.start <= hi {
                    let next = cur.base(s.start)?;
                    if next != s.alternate[0] || next == b'N' {
                        break;
                    }
                    s.alternate.rotate_left(1);
                    s.start += 1;
                    s.end += 1;
                }
            }
        }
        Strand::Reverse => {
            if a.is_deletion() {
                while s.start > lo {
                    let prev = cur.base(s.start - 1)?;
                    let last = *s.reference.last().expect("deletion has bases");
                    if prev != last || prev == b'N' {
                        break;
                    }
                    s.reference.rotate_right(1);
                    s.start -= 1;
                    s.end -= 1;
                }
            } else {
                while s.end >= lo {
                    let prev = cur.base(s.end)?;
                    let last = *s.alternate.last().expect("insertion has bases");
                    if prev != last || prev == b'N' {
                        break;
                    }
                    s.alternate.rotate_right(1);
                    s.start -= 1;
                    s.end -= 1;
                }
            }
        }
    }
    Some(s)
}

/// Is the inserted sequence (plus strand) a copy of the bases immediately 5' of the insertion
/// point in transcript orientation? `Some(Some(interval))` for a duplication (genomic
/// interval), `Some(None)` for a plain insertion, `None` when the bases are not stored.
pub(crate) fn duplication(
    a: &Allele,
    strand: Strand,
    chrom: Chrom,
    seq: &SequenceStore,
) -> Option<Option<(u32, u32)>> {
    let n = a.alternate.len() as u32;
    let (lo, hi) = match strand {
        Strand::Forward => match a.end.checked_sub(n - 1) {
            Some(lo) if lo > 0 => (lo, a.end),
            _ => return Some(None),
        },
        Strand::Reverse => (a.start, a.start + n - 1),
    };
    let bases = seq.fetch(chrom, lo, hi)?;
    Some((bases == a.alternate).then_some((lo, hi)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (SequenceStore, Chrom) {
        let c = Chrom::autosome(3).unwrap();
        let mut s = SequenceStore::new();
        // positions 1..=20
        s.add(c, 1, b"GCATTTTGCACACAGGATCC").unwrap();
        (s, c)
    }

    #[test]
    fn deletion_in_homopolymer_moves_to_the_transcripts_three_prime_end() {
        let (s, c) = store();
        // delete one T of TTTT (positions 4..=7): any of them; forward shifts to 7, reverse to 4
        let d = Allele {
            start: 5,
            end: 5,
            reference: b"T".to_vec(),
            alternate: vec![],
        };
        let f = shift_3prime(&d, Strand::Forward, c, &s, 1, 20).unwrap();
        assert_eq!((f.start, f.end), (7, 7));
        let r = shift_3prime(&d, Strand::Reverse, c, &s, 1, 20).unwrap();
        assert_eq!((r.start, r.end), (4, 4));
    }

    #[test]
    fn dinucleotide_insertion_rotates_and_is_a_dup() {
        let (s, c) = store();
        // insert AC between 9 (C) and 10 (A) of GCACACAG (8..=15), expanding the CA repeat:
        // it shifts to after 14 (A), rotated to CA, and duplicates 13..=14 (CA)
        let i = Allele {
            start: 10,
            end: 9,
            reference: vec![],
            alternate: b"AC".to_vec(),
        };
        let f = shift_3prime(&i, Strand::Forward, c, &s, 1, 20).unwrap();
        assert_eq!(
            (f.start, f.end, f.alternate.as_slice()),
            (15, 14, &b"CA"[..])
        );
        assert_eq!(
            duplication(&f, Strand::Forward, c, &s),
            Some(Some((13, 14)))
        );
        // bounded shifting stops at the transcript end
        let g = shift_3prime(&i, Strand::Forward, c, &s, 1, 11).unwrap();
        assert_eq!((g.start, g.end), (12, 11));
    }
}
