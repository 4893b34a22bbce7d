//! The deterministic 2-fold split of the cohorts used to show that the model's parameters are
//! not tuned to individual cases: a cohort goes to half A or B by the lowest bit of the
//! XXH3-64 hash (seed 0) of its name's UTF-8 bytes. Every case of a cohort (phenopacket-store
//! groups cases by gene) falls in the same half, so a half never sees the other half's genes.

use serde::{Deserialize, Serialize};

/// One half of the cohort split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Half {
    /// Lowest hash bit 0.
    A,
    /// Lowest hash bit 1.
    B,
}

impl Half {
    /// The half of a cohort.
    pub fn of(cohort: &str) -> Half {
        if xxhash_rust::xxh3::xxh3_64(cohort.as_bytes()) & 1 == 0 {
            Half::A
        } else {
            Half::B
        }
    }

    /// `A` or `B`.
    pub fn name(self) -> &'static str {
        match self {
            Half::A => "A",
            Half::B => "B",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_the_hash_parity() {
        // XXH3-64 of the empty input with seed 0 is 0x2D06800538D394C2 (the reference
        // implementation's published test vector): even, so half A
        assert_eq!(xxhash_rust::xxh3::xxh3_64(b""), 0x2D06_8005_38D3_94C2);
        assert_eq!(Half::of(""), Half::A);
        // both halves are used, in roughly equal parts
        let names: Vec<String> = (0..200).map(|i| format!("GENE{i}")).collect();
        let a = names.iter().filter(|n| Half::of(n) == Half::A).count();
        assert!(a > 60 && a < 140, "{a}");
    }
}
