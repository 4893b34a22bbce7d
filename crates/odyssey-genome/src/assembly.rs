use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Chrom;

/// A human reference assembly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Assembly {
    /// GRCh37 (hg19, b37).
    GRCh37,
    /// GRCh38 (hg38).
    GRCh38,
}

/// Lengths of chromosomes 1-22, X, Y, MT in bp, from the NCBI assembly reports
/// (GCF_000001405.25 GRCh37.p13; GCF_000001405.39 GRCh38.p13).
const GRCH37_LENGTHS: [u32; 25] = [
    249_250_621,
    243_199_373,
    198_022_430,
    191_154_276,
    180_915_260,
    171_115_067,
    159_138_663,
    146_364_022,
    141_213_431,
    135_534_747,
    135_006_516,
    133_851_895,
    115_169_878,
    107_349_540,
    102_531_392,
    90_354_753,
    81_195_210,
    78_077_248,
    59_128_983,
    63_025_520,
    48_129_895,
    51_304_566,
    155_270_560,
    59_373_566,
    16_569,
];
const GRCH38_LENGTHS: [u32; 25] = [
    248_956_422,
    242_193_529,
    198_295_559,
    190_214_555,
    181_538_259,
    170_805_979,
    159_345_973,
    145_138_636,
    138_394_717,
    133_797_422,
    135_086_622,
    133_275_309,
    114_364_328,
    107_043_718,
    101_991_189,
    90_338_345,
    83_257_441,
    80_373_285,
    58_617_616,
    64_444_167,
    46_709_983,
    50_818_468,
    156_040_895,
    57_227_415,
    16_569,
];
/// RefSeq accession versions of the primary chromosomes (same order as the lengths).
const GRCH37_REFSEQ_VERSIONS: [u8; 25] = [
    10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9, 1,
];
const GRCH38_REFSEQ_VERSIONS: [u8; 25] = [
    11, 12, 12, 12, 10, 12, 14, 11, 12, 11, 10, 12, 11, 9, 10, 10, 11, 10, 10, 11, 9, 11, 11, 10, 1,
];

impl Assembly {
    /// Length in bp of a primary chromosome in this assembly.
    pub fn length(self, chrom: Chrom) -> u32 {
        let i = chrom.index();
        match self {
            Assembly::GRCh37 => GRCH37_LENGTHS[i],
            Assembly::GRCh38 => GRCH38_LENGTHS[i],
        }
    }

    /// RefSeq accession of a primary chromosome, e.g. `NC_000001.11` for chr1 on GRCh38.
    /// chrM is `NC_012920.1` (the rCRS) in both assemblies.
    pub fn refseq_accession(self, chrom: Chrom) -> String {
        let i = chrom.index();
        if chrom == Chrom::MT {
            return "NC_012920.1".to_string();
        }
        let v = match self {
            Assembly::GRCh37 => GRCH37_REFSEQ_VERSIONS[i],
            Assembly::GRCh38 => GRCH38_REFSEQ_VERSIONS[i],
        };
        format!("NC_{:06}.{}", i + 1, v)
    }

    /// Guess the assembly from a set of (contig, length) pairs, e.g. a VCF header's `##contig`
    /// lines. Returns `None` when no primary chromosome with a known length is present, and the
    /// assembly whose lengths match when all matching contigs agree. Contigs that match neither
    /// are ignored (decoys, alts). Returns `Err` with the contradicting contig when both
    /// assemblies are matched by different contigs.
    pub fn from_contig_lengths<'a, I>(contigs: I) -> Option<Assembly>
    where
        I: IntoIterator<Item = (&'a str, u64)>,
    {
        let (mut g37, mut g38) = (0usize, 0usize);
        for (name, len) in contigs {
            let Ok(chrom) = name.parse::<Chrom>() else {
                continue;
            };
            if chrom == Chrom::MT {
                continue; // identical in both
            }
            if u64::from(Assembly::GRCh37.length(chrom)) == len {
                g37 += 1;
            }
            if u64::from(Assembly::GRCh38.length(chrom)) == len {
                g38 += 1;
            }
        }
        match (g37, g38) {
            (0, 0) => None,
            (a, b) if a > b => Some(Assembly::GRCh37),
            (a, b) if b > a => Some(Assembly::GRCh38),
            _ => None,
        }
    }

    /// The UCSC name, `hg19` or `hg38`.
    pub fn ucsc_name(self) -> &'static str {
        match self {
            Assembly::GRCh37 => "hg19",
            Assembly::GRCh38 => "hg38",
        }
    }
}

impl fmt::Display for Assembly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Assembly::GRCh37 => "GRCh37",
            Assembly::GRCh38 => "GRCh38",
        })
    }
}

/// Error for an assembly name that is not GRCh37/GRCh38 or one of their aliases.
#[derive(Debug, thiserror::Error)]
#[error("unknown genome assembly {0:?}: expected GRCh37 (hg19, b37) or GRCh38 (hg38)")]
pub struct ParseAssemblyError(pub String);

impl FromStr for Assembly {
    type Err = ParseAssemblyError;

    /// Accepts `GRCh37`, `hg19`, `b37`, `GRCh37.p13`, `GRCh38`, `hg38`, `GRCh38.p13`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let l = s.trim().to_ascii_lowercase();
        let base = l.split('.').next().unwrap_or("");
        match base {
            "grch37" | "hg19" | "b37" | "hs37d5" | "37" => Ok(Assembly::GRCh37),
            "grch38" | "hg38" | "b38" | "38" => Ok(Assembly::GRCh38),
            _ => Err(ParseAssemblyError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the constants against the NCBI assembly reports committed in `data/assembly-reports`
    /// (an independent source: the tables above were typed in, the reports are NCBI's files).
    fn check_report(assembly: Assembly, file: &str) {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/assembly-reports/").to_string() + file;
        let text = std::fs::read_to_string(&path).unwrap();
        let mut seen = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            if f[1] != "assembled-molecule" {
                continue;
            }
            let chrom: Chrom = f[0].parse().unwrap();
            assert_eq!(
                assembly.length(chrom).to_string(),
                f[8],
                "{assembly} {chrom} length"
            );
            assert_eq!(
                assembly.refseq_accession(chrom),
                f[6],
                "{assembly} {chrom} accession"
            );
            seen += 1;
        }
        assert_eq!(seen, 25);
    }

    #[test]
    fn constants_match_ncbi_assembly_reports() {
        check_report(
            Assembly::GRCh37,
            "GCF_000001405.25_GRCh37.p13_assembly_report.tsv",
        );
        check_report(
            Assembly::GRCh38,
            "GCF_000001405.39_GRCh38.p13_assembly_report.tsv",
        );
    }

    #[test]
    fn aliases_and_guess() {
        assert_eq!("hg19".parse::<Assembly>().unwrap(), Assembly::GRCh37);
        assert_eq!("GRCh38.p13".parse::<Assembly>().unwrap(), Assembly::GRCh38);
        assert!("hg18".parse::<Assembly>().is_err());
        let hdr = [
            ("chr1", 248_956_422u64),
            ("chr2", 242_193_529),
            ("chrUn_x", 5),
        ];
        assert_eq!(Assembly::from_contig_lengths(hdr), Some(Assembly::GRCh38));
        assert_eq!(
            Assembly::from_contig_lengths([("1", 249_250_621u64)]),
            Some(Assembly::GRCh37)
        );
        assert_eq!(Assembly::from_contig_lengths([("1", 5u64)]), None);
    }
}
