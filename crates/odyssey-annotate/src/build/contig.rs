//! Contig names of gene models and FASTA files mapped to primary chromosomes.
//!
//! `chr1`/`1`/`chrM`/`MT` parse directly; RefSeq `NC_` accessions are checked against the
//! assembly's accession table (NCBI assembly reports GRCh37.p13 / GRCh38.p13, kept in
//! `odyssey-genome`), so a GRCh37 RefSeq file cannot silently be compiled as GRCh38.

use odyssey_genome::{Assembly, Chrom};

/// What a contig name means for a given assembly.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Contig {
    /// A primary chromosome, with the 1-based offset of the record's first base (non-zero for
    /// FASTA records named like a region, `21:24985581-26023859`).
    Primary(Chrom, u32),
    /// Alt, patch, decoy or unplaced contig: skipped.
    Other,
    /// An accession of another assembly's chromosome.
    WrongAssembly(String),
}

pub(crate) fn classify(name: &str, assembly: Assembly) -> Contig {
    let n = name.trim();
    // region-style names written by `samtools faidx ref.fa 21:1000-2000`
    if let Some((base, range)) = n.rsplit_once(':') {
        if let Some((a, b)) = range.split_once('-') {
            if let (Ok(a), Ok(_b)) = (
                a.replace(',', "").parse::<u32>(),
                b.replace(',', "").parse::<u32>(),
            ) {
                return match classify(base, assembly) {
                    Contig::Primary(c, _) if a >= 1 => Contig::Primary(c, a - 1),
                    other => other,
                };
            }
        }
    }
    if n.starts_with("NC_") {
        return match n.parse::<Chrom>() {
            Ok(c) => {
                let expected = assembly.refseq_accession(c);
                let ok = if n.contains('.') {
                    n == expected
                } else {
                    expected.starts_with(n)
                };
                if ok {
                    Contig::Primary(c, 0)
                } else {
                    Contig::WrongAssembly(format!(
                        "{n} is not {assembly} chromosome {c} ({expected})"
                    ))
                }
            }
            Err(_) => Contig::Other,
        };
    }
    match n.parse::<Chrom>() {
        Ok(c) => Contig::Primary(c, 0),
        Err(_) => Contig::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let g38 = Assembly::GRCh38;
        let c21 = Chrom::autosome(21).unwrap();
        assert_eq!(classify("NC_000021.9", g38), Contig::Primary(c21, 0));
        assert!(matches!(
            classify("NC_000021.8", g38),
            Contig::WrongAssembly(_)
        ));
        assert_eq!(
            classify("NC_000021.8", Assembly::GRCh37),
            Contig::Primary(c21, 0)
        );
        assert_eq!(classify("chr21", g38), Contig::Primary(c21, 0));
        assert_eq!(
            classify("21:24985581-26023859", g38),
            Contig::Primary(c21, 24_985_580)
        );
        assert_eq!(classify("NT_187361.1", g38), Contig::Other);
        assert_eq!(classify("chrUn_KI270302v1", g38), Contig::Other);
        assert_eq!(classify("NC_012920.1", g38), Contig::Primary(Chrom::MT, 0));
    }
}
