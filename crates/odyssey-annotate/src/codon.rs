//! Genetic codes (NCBI translation tables 1 and 2) and amino-acid names.
//!
//! Tables from NCBI "The Genetic Codes" (Elzanowski & Ostell): table 1 (standard) and table 2
//! (vertebrate mitochondrial: AGA/AGG stop, ATA Met, TGA Trp). Codons are indexed in TCAG order,
//! which is how NCBI prints the 64-letter `AAs` strings used below.

/// A translation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneticCode {
    /// NCBI table 1, nuclear genes.
    Standard,
    /// NCBI table 2, vertebrate mitochondrial genes (used for chrM transcripts).
    VertebrateMitochondrial,
}

const STANDARD: &[u8; 64] = b"FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
const VERT_MITO: &[u8; 64] = b"FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSS**VVVVAAAADDEEGGGG";

fn base_index(b: u8) -> Option<usize> {
    match b {
        b'T' | b't' => Some(0),
        b'C' | b'c' => Some(1),
        b'A' | b'a' => Some(2),
        b'G' | b'g' => Some(3),
        _ => None,
    }
}

impl GeneticCode {
    /// One-letter amino acid of a codon (`*` for stop, `X` when the codon has a non-ACGT base or
    /// is shorter than 3 bases).
    pub fn translate_codon(self, codon: &[u8]) -> u8 {
        if codon.len() < 3 {
            return b'X';
        }
        let (Some(a), Some(b), Some(c)) = (
            base_index(codon[0]),
            base_index(codon[1]),
            base_index(codon[2]),
        ) else {
            return b'X';
        };
        let table = match self {
            GeneticCode::Standard => STANDARD,
            GeneticCode::VertebrateMitochondrial => VERT_MITO,
        };
        table[a * 16 + b * 4 + c]
    }

    /// Translates complete codons; a trailing partial codon becomes `X` when `partial_as_x`.
    pub fn translate(self, seq: &[u8], partial_as_x: bool) -> Vec<u8> {
        let mut out: Vec<u8> = seq
            .chunks_exact(3)
            .map(|c| self.translate_codon(c))
            .collect();
        if partial_as_x && !seq.len().is_multiple_of(3) {
            out.push(b'X');
        }
        out
    }
}

/// Three-letter code of a one-letter amino acid (`*` → `Ter`, unknown → `Xaa`), as HGVS
/// recommends for protein descriptions (den Dunnen et al. 2016, Hum Mutat 37:564).
pub fn three_letter(aa: u8) -> &'static str {
    match aa {
        b'A' => "Ala",
        b'R' => "Arg",
        b'N' => "Asn",
        b'D' => "Asp",
        b'C' => "Cys",
        b'Q' => "Gln",
        b'E' => "Glu",
        b'G' => "Gly",
        b'H' => "His",
        b'I' => "Ile",
        b'L' => "Leu",
        b'K' => "Lys",
        b'M' => "Met",
        b'F' => "Phe",
        b'P' => "Pro",
        b'S' => "Ser",
        b'T' => "Thr",
        b'W' => "Trp",
        b'Y' => "Tyr",
        b'V' => "Val",
        b'U' => "Sec",
        b'O' => "Pyl",
        b'*' => "Ter",
        _ => "Xaa",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_code_known_codons() {
        let c = GeneticCode::Standard;
        // hand-checked against NCBI table 1
        for (codon, aa) in [
            ("ATG", b'M'),
            ("TAA", b'*'),
            ("TAG", b'*'),
            ("TGA", b'*'),
            ("TGG", b'W'),
            ("GCT", b'A'),
            ("CGA", b'R'),
            ("AGA", b'R'),
            ("ATA", b'I'),
            ("TTT", b'F'),
            ("GGG", b'G'),
            ("CAC", b'H'),
            ("AAN", b'X'),
        ] {
            assert_eq!(c.translate_codon(codon.as_bytes()), aa, "{codon}");
        }
        assert_eq!(c.translate(b"ATGGCCTAAGC", true), b"MA*X".to_vec());
        assert_eq!(c.translate(b"ATGGCCTAAGC", false), b"MA*".to_vec());
    }

    #[test]
    fn mito_code_differs_where_ncbi_table2_says() {
        let m = GeneticCode::VertebrateMitochondrial;
        assert_eq!(m.translate_codon(b"TGA"), b'W');
        assert_eq!(m.translate_codon(b"AGA"), b'*');
        assert_eq!(m.translate_codon(b"AGG"), b'*');
        assert_eq!(m.translate_codon(b"ATA"), b'M');
        // every other codon agrees with the standard table
        let bases = b"TCAG";
        let mut differ = 0;
        for a in bases {
            for b in bases {
                for c in bases {
                    let codon = [*a, *b, *c];
                    if m.translate_codon(&codon) != GeneticCode::Standard.translate_codon(&codon) {
                        differ += 1;
                    }
                }
            }
        }
        assert_eq!(differ, 4);
    }

    #[test]
    fn three_letter_names() {
        let s: String = b"MW*".iter().map(|&a| three_letter(a)).collect();
        assert_eq!(s, "MetTrpTer");
        assert_eq!(three_letter(b'B'), "Xaa");
    }
}
