//! Typed identifiers: HPO terms, diseases (OMIM, ORPHA, DECIPHER) and NCBI genes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An HPO term id such as `HP:0001250`, stored as its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HpoId(u32);

impl HpoId {
    /// The term with this number (`HpoId::new(1250)` is `HP:0001250`).
    pub const fn new(number: u32) -> HpoId {
        HpoId(number)
    }

    /// The number after `HP:`.
    pub fn number(self) -> u32 {
        self.0
    }
}

impl fmt::Display for HpoId {
    /// Always seven digits: `HP:0001250`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HP:{:07}", self.0)
    }
}

/// A malformed identifier; the message says which form was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed identifier {text:?}: expected {expected}")]
pub struct ParseIdError {
    /// The text that failed to parse.
    pub text: String,
    /// A description of the accepted form.
    pub expected: &'static str,
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for HpoId {
    type Err = ParseIdError;

    /// Accepts `HP:0001250` (also the OBO-PURL form `HP_0001250`); exactly seven digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseIdError {
            text: s.to_string(),
            expected: "an HPO id like HP:0001250 (HP: and 7 digits)",
        };
        let rest = s
            .strip_prefix("HP:")
            .or_else(|| s.strip_prefix("HP_"))
            .ok_or_else(err)?;
        if rest.len() != 7 {
            return Err(err());
        }
        digits(rest).map(HpoId).ok_or_else(err)
    }
}

/// The disease database a [`DiseaseId`] belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DiseaseDb {
    /// Online Mendelian Inheritance in Man (`OMIM:`).
    Omim,
    /// Orphanet (`ORPHA:`).
    Orpha,
    /// DECIPHER (`DECIPHER:`).
    Decipher,
}

impl DiseaseDb {
    /// The CURIE prefix: `OMIM`, `ORPHA` or `DECIPHER`.
    pub fn prefix(self) -> &'static str {
        match self {
            DiseaseDb::Omim => "OMIM",
            DiseaseDb::Orpha => "ORPHA",
            DiseaseDb::Decipher => "DECIPHER",
        }
    }

    /// All databases in display order.
    pub const ALL: [DiseaseDb; 3] = [DiseaseDb::Omim, DiseaseDb::Orpha, DiseaseDb::Decipher];
}

impl FromStr for DiseaseDb {
    type Err = ParseIdError;

    /// `OMIM`, `ORPHA` (also `Orphanet`) or `DECIPHER`, any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "OMIM" | "MIM" => Ok(DiseaseDb::Omim),
            "ORPHA" | "ORPHANET" => Ok(DiseaseDb::Orpha),
            "DECIPHER" => Ok(DiseaseDb::Decipher),
            _ => Err(ParseIdError {
                text: s.to_string(),
                expected: "OMIM, ORPHA or DECIPHER",
            }),
        }
    }
}

/// A disease id such as `OMIM:154700` or `ORPHA:558`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DiseaseId {
    /// Database.
    pub db: DiseaseDb,
    /// Accession number within the database.
    pub number: u32,
}

impl fmt::Display for DiseaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.db.prefix(), self.number)
    }
}

impl FromStr for DiseaseId {
    type Err = ParseIdError;

    /// Accepts `OMIM:154700`, `ORPHA:558`, `Orphanet:558`, `DECIPHER:16`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseIdError {
            text: s.to_string(),
            expected: "a disease id like OMIM:154700, ORPHA:558 or DECIPHER:16",
        };
        let (prefix, num) = s.split_once(':').ok_or_else(err)?;
        let db = prefix.parse::<DiseaseDb>().map_err(|_| err())?;
        let number = digits(num).ok_or_else(err)?;
        Ok(DiseaseId { db, number })
    }
}

/// An NCBI Gene (Entrez) id such as `NCBIGene:2263` (FGFR2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NcbiGeneId(pub u32);

impl fmt::Display for NcbiGeneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NCBIGene:{}", self.0)
    }
}

impl FromStr for NcbiGeneId {
    type Err = ParseIdError;

    /// Accepts `NCBIGene:2263`, `ENTREZ:2263` or a bare `2263`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let num = s
            .strip_prefix("NCBIGene:")
            .or_else(|| s.strip_prefix("ENTREZ:"))
            .unwrap_or(s);
        digits(num).map(NcbiGeneId).ok_or_else(|| ParseIdError {
            text: s.to_string(),
            expected: "an NCBI Gene id like NCBIGene:2263",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpo_ids() {
        let id: HpoId = "HP:0001250".parse().unwrap();
        assert_eq!(id.number(), 1250);
        assert_eq!(id.to_string(), "HP:0001250");
        assert_eq!("HP_0001250".parse::<HpoId>().unwrap(), id);
        for bad in [
            "HP:1250",
            "HP:00012500",
            "hp:0001250",
            "HP:00O1250",
            "0001250",
            "HP:",
        ] {
            assert!(bad.parse::<HpoId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn disease_and_gene_ids() {
        let d: DiseaseId = "OMIM:154700".parse().unwrap();
        assert_eq!((d.db, d.number), (DiseaseDb::Omim, 154700));
        assert_eq!(
            "Orphanet:558".parse::<DiseaseId>().unwrap().to_string(),
            "ORPHA:558"
        );
        assert!("OMIM:".parse::<DiseaseId>().is_err());
        assert!("MONDO:0007947".parse::<DiseaseId>().is_err());
        assert_eq!(
            "NCBIGene:2263".parse::<NcbiGeneId>().unwrap(),
            NcbiGeneId(2263)
        );
        assert_eq!(
            "2263".parse::<NcbiGeneId>().unwrap().to_string(),
            "NCBIGene:2263"
        );
        assert!("FGFR2".parse::<NcbiGeneId>().is_err());
    }
}
