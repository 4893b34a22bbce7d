use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the 25 primary human chromosomes: 1-22, X, Y and the mitochondrial genome (MT).
///
/// Stored as 1..=25 (X = 23, Y = 24, MT = 25), so the natural order is karyotypic order.
/// Non-primary contigs (alts, decoys, unplaced scaffolds) are not representable: parsing them
/// fails with [`ParseChromError`], and callers decide whether to skip or reject them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Chrom(u8);

impl Chrom {
    /// Chromosome X.
    pub const X: Chrom = Chrom(23);
    /// Chromosome Y.
    pub const Y: Chrom = Chrom(24);
    /// The mitochondrial genome.
    pub const MT: Chrom = Chrom(25);

    /// An autosome 1..=22; `None` otherwise.
    pub fn autosome(n: u8) -> Option<Chrom> {
        (1..=22).contains(&n).then_some(Chrom(n))
    }

    /// All 25 primary chromosomes in karyotypic order.
    pub fn all() -> impl Iterator<Item = Chrom> {
        (1..=25).map(Chrom)
    }

    /// Zero-based index 0..25 (chr1 = 0, MT = 24).
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }

    /// Inverse of [`Chrom::index`].
    pub fn from_index(i: usize) -> Option<Chrom> {
        (i < 25).then(|| Chrom(i as u8 + 1))
    }

    /// True for 1-22.
    pub fn is_autosome(self) -> bool {
        self.0 <= 22
    }

    /// Name without prefix: `1`..`22`, `X`, `Y`, `MT` (Ensembl/GRC style).
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 25] = [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
            "17", "18", "19", "20", "21", "22", "X", "Y", "MT",
        ];
        NAMES[self.index()]
    }

    /// UCSC-style name: `chr1`..`chr22`, `chrX`, `chrY`, `chrM`.
    pub fn ucsc_name(self) -> String {
        if self == Chrom::MT {
            "chrM".to_string()
        } else {
            format!("chr{}", self.name())
        }
    }
}

impl fmt::Display for Chrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for a contig name that is not a primary human chromosome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a primary chromosome (expected 1-22, X, Y, MT with or without 'chr', or an NC_ accession)")]
pub struct ParseChromError(pub String);

impl FromStr for Chrom {
    type Err = ParseChromError;

    /// Accepts `1`..`22`, `X`, `Y`, `M`, `MT`, each with or without a `chr` prefix (any case),
    /// and RefSeq accessions `NC_000001`..`NC_000024` (any version) and `NC_012920`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseChromError(s.to_string());
        let t = s.trim();
        if let Some(acc) = t.strip_prefix("NC_") {
            let num = acc.split('.').next().unwrap_or("");
            return match num.parse::<u32>() {
                Ok(12920) => Ok(Chrom::MT),
                Ok(n @ 1..=24) => Ok(Chrom(n as u8)),
                _ => Err(err()),
            };
        }
        // `get` and not `[..3]`: a multi-byte character may straddle byte 3 (found by fuzzing)
        let bare = if t.len() > 3 && t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("chr")) {
            &t[3..]
        } else {
            t
        };
        match bare.to_ascii_uppercase().as_str() {
            "X" => Ok(Chrom::X),
            "Y" => Ok(Chrom::Y),
            "M" | "MT" => Ok(Chrom::MT),
            n => match n.parse::<u8>() {
                Ok(v @ 1..=22) if !n.starts_with('0') => Ok(Chrom(v)),
                _ => Err(err()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_names_are_errors_not_panics() {
        // the fuzzer's finding: "1" followed by U+FFFD (3 bytes) panicked slicing at byte 3
        for s in ["1\u{fffd}", "1\u{fffd}ensembl", "é\u{fffd}", "chré"] {
            assert!(s.parse::<Chrom>().is_err(), "{s}");
        }
        assert_eq!("chrX".parse::<Chrom>().unwrap(), Chrom::X);
    }

    #[test]
    fn spellings_agree() {
        for s in ["chr1", "1", "CHR1", "NC_000001.11", "NC_000001.10"] {
            assert_eq!(
                s.parse::<Chrom>().unwrap(),
                Chrom::autosome(1).unwrap(),
                "{s}"
            );
        }
        for s in ["chrM", "M", "MT", "chrMT", "NC_012920.1"] {
            assert_eq!(s.parse::<Chrom>().unwrap(), Chrom::MT, "{s}");
        }
        assert_eq!("NC_000023.11".parse::<Chrom>().unwrap(), Chrom::X);
        for s in [
            "chr23",
            "0",
            "01",
            "chrUn_gl000220",
            "GL000192.1",
            "",
            "chr",
        ] {
            assert!(s.parse::<Chrom>().is_err(), "{s}");
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Chrom::all() {
            assert_eq!(c.name().parse::<Chrom>().unwrap(), c);
            assert_eq!(c.ucsc_name().parse::<Chrom>().unwrap(), c);
        }
    }
}
