//! Reference sequence store: 2-bit packed segments of a genome with runs of `N` kept aside.
//!
//! A compiled reference-data file keeps the genomic sequence around transcripts (exons plus a
//! flank), not the whole genome. [`SequenceStore::fetch`] answers `None` when a requested range
//! is not fully stored, so callers fall back to sequence-free annotation instead of guessing.

use odyssey_genome::Chrom;
use serde::{Deserialize, Serialize};

/// Genomic sequence segments per primary chromosome.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SequenceStore {
    chroms: Vec<ChromSeq>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct ChromSeq {
    /// Sorted, non-overlapping segments.
    segments: Vec<Segment>,
    /// 2 bits per base, A=0 C=1 G=2 T=3, four bases per byte, low bits first.
    #[serde(with = "crate::bytes_serde")]
    packed: Vec<u8>,
    /// Sorted runs of non-ACGT bases as (genomic start, length); fetched as `N`.
    n_runs: Vec<(u32, u32)>,
    /// Bases stored so far (offset of the next segment in `packed`).
    bases: u64,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Segment {
    start: u32,
    len: u32,
    offset: u64,
}

fn code(b: u8) -> Option<u8> {
    match b {
        b'A' | b'a' => Some(0),
        b'C' | b'c' => Some(1),
        b'G' | b'g' => Some(2),
        b'T' | b't' => Some(3),
        _ => None,
    }
}

const BASES: [u8; 4] = *b"ACGT";

/// The four bases of every packed byte (low bits first).
const QUAD: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 4 {
            t[b][i] = BASES[(b >> (2 * i)) & 3];
            i += 1;
        }
        b += 1;
    }
    t
};

impl SequenceStore {
    /// An empty store.
    pub fn new() -> Self {
        SequenceStore {
            chroms: (0..25).map(|_| ChromSeq::default()).collect(),
        }
    }

    /// Appends a segment starting at 1-based `start`. Segments of a chromosome must be added in
    /// increasing order without overlap; returns `Err` describing the violation otherwise.
    pub fn add(&mut self, chrom: Chrom, start: u32, bases: &[u8]) -> Result<(), String> {
        if bases.is_empty() {
            return Ok(());
        }
        if start == 0 {
            return Err("sequence segment at position 0".into());
        }
        let cs = &mut self.chroms[chrom.index()];
        if let Some(last) = cs.segments.last() {
            if start < last.start + last.len {
                return Err(format!(
                    "sequence segment {chrom}:{start} overlaps or precedes the previous one"
                ));
            }
        }
        let offset = cs.bases;
        let mut run: Option<(u32, u32)> = None;
        for (i, &b) in bases.iter().enumerate() {
            let k = offset + i as u64;
            let c = match code(b) {
                Some(c) => {
                    if let Some(r) = run.take() {
                        cs.n_runs.push(r);
                    }
                    c
                }
                None => {
                    let pos = start + i as u32;
                    run = Some(match run {
                        Some((s, l)) => (s, l + 1),
                        None => (pos, 1),
                    });
                    0
                }
            };
            let byte = (k / 4) as usize;
            if byte == cs.packed.len() {
                cs.packed.push(0);
            }
            cs.packed[byte] |= c << ((k % 4) * 2);
        }
        if let Some(r) = run {
            cs.n_runs.push(r);
        }
        cs.segments.push(Segment {
            start,
            len: bases.len() as u32,
            offset,
        });
        cs.bases += bases.len() as u64;
        Ok(())
    }

    /// Number of stored bases.
    pub fn total_bases(&self) -> u64 {
        self.chroms.iter().map(|c| c.bases).sum()
    }

    /// True when no base is stored.
    pub fn is_empty(&self) -> bool {
        self.total_bases() == 0
    }

    /// Upper-case bases of `chrom:start-end` (1-based, inclusive) appended to `out`, or `false`
    /// (and `out` unchanged) when the range is not entirely stored.
    pub fn fetch_into(&self, chrom: Chrom, start: u32, end: u32, out: &mut Vec<u8>) -> bool {
        if end < start || start == 0 {
            return end + 1 == start;
        }
        let Some(cs) = self.chroms.get(chrom.index()) else {
            return false;
        };
        let i = cs.segments.partition_point(|s| s.start <= start);
        if i == 0 {
            return false;
        }
        let seg = cs.segments[i - 1];
        if end > seg.start + seg.len - 1 {
            return false;
        }
        let first = out.len();
        let base0 = seg.offset + u64::from(start - seg.start);
        let n = u64::from(end - start + 1);
        out.reserve(n as usize);
        let mut k = base0;
        let stop = base0 + n;
        // leading bases up to a byte boundary, then whole bytes, then the tail
        while k < stop && k % 4 != 0 {
            out.push(BASES[((cs.packed[(k / 4) as usize] >> ((k % 4) * 2)) & 3) as usize]);
            k += 1;
        }
        while k + 4 <= stop {
            out.extend_from_slice(&QUAD[cs.packed[(k / 4) as usize] as usize]);
            k += 4;
        }
        while k < stop {
            out.push(BASES[((cs.packed[(k / 4) as usize] >> ((k % 4) * 2)) & 3) as usize]);
            k += 1;
        }
        // overlay N runs
        let j = cs.n_runs.partition_point(|&(s, l)| s + l <= start);
        for &(s, l) in &cs.n_runs[j..] {
            if s > end {
                break;
            }
            let a = s.max(start);
            let b = (s + l - 1).min(end);
            for p in a..=b {
                out[first + (p - start) as usize] = b'N';
            }
        }
        true
    }

    /// Like [`SequenceStore::fetch_into`], returning a new vector.
    pub fn fetch(&self, chrom: Chrom, start: u32, end: u32) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        self.fetch_into(chrom, start, end, &mut v).then_some(v)
    }

    /// The stored segments of a chromosome as (start, end), for diagnostics.
    pub fn segments(&self, chrom: Chrom) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.chroms[chrom.index()]
            .segments
            .iter()
            .map(|s| (s.start, s.start + s.len - 1))
    }
}

/// Reverse complement (IUPAC-aware for the letters a VCF can carry; others become `N`).
pub fn revcomp(seq: &[u8]) -> Vec<u8> {
    seq.iter().rev().map(|&b| complement(b)).collect()
}

/// Complement of one base.
pub fn complement(b: u8) -> u8 {
    match b {
        b'A' => b'T',
        b'C' => b'G',
        b'G' => b'C',
        b'T' => b'A',
        b'a' => b't',
        b'c' => b'g',
        b'g' => b'c',
        b't' => b'a',
        _ => b'N',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_n_runs_and_gaps() {
        let c = Chrom::autosome(2).unwrap();
        let mut s = SequenceStore::new();
        s.add(c, 100, b"ACGTNNacgtRA").unwrap();
        s.add(c, 200, b"GGGTTT").unwrap();
        assert_eq!(s.fetch(c, 100, 111).unwrap(), b"ACGTNNACGTNA");
        assert_eq!(s.fetch(c, 103, 106).unwrap(), b"TNNA");
        assert_eq!(s.fetch(c, 201, 203).unwrap(), b"GGT");
        assert!(s.fetch(c, 110, 113).is_none(), "runs past the segment end");
        assert!(s.fetch(c, 150, 150).is_none(), "between segments");
        assert!(s.fetch(Chrom::X, 100, 100).is_none());
        assert!(s.add(c, 203, b"A").is_err(), "overlap rejected");
        assert_eq!(s.total_bases(), 18);
        // postcard round trip keeps everything
        let bytes = postcard::to_allocvec(&s).unwrap();
        let back: SequenceStore = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.fetch(c, 100, 111).unwrap(), b"ACGTNNACGTNA");
    }

    #[test]
    fn reverse_complement() {
        assert_eq!(revcomp(b"ACGTN"), b"NACGT");
        assert_eq!(revcomp(b"AACG"), b"CGTT");
    }
}
