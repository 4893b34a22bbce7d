//! Disease annotation vocabulary: frequency, aspect, evidence, sex, and the annotation record.

use serde::{Deserialize, Serialize};

use crate::id::HpoId;
use crate::pool::Span;

/// How often a feature is seen in a disease, in the three encodings of `phenotype.hpoa`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Frequency {
    /// No frequency given.
    Unknown,
    /// An HPO frequency term, HP:0040280 (Obligate) .. HP:0040285 (Excluded).
    Term(HpoId),
    /// `n/m`: n of m patients.
    Ratio {
        /// Patients with the feature.
        n: u32,
        /// Patients examined.
        m: u32,
    },
    /// `x%`.
    Percent(f32),
}

/// HP:0040280 Obligate (100%).
pub const FREQ_OBLIGATE: HpoId = HpoId::new(40280);
/// HP:0040281 Very frequent (80-99%).
pub const FREQ_VERY_FREQUENT: HpoId = HpoId::new(40281);
/// HP:0040282 Frequent (30-79%).
pub const FREQ_FREQUENT: HpoId = HpoId::new(40282);
/// HP:0040283 Occasional (5-29%).
pub const FREQ_OCCASIONAL: HpoId = HpoId::new(40283);
/// HP:0040284 Very rare (1-4%).
pub const FREQ_VERY_RARE: HpoId = HpoId::new(40284);
/// HP:0040285 Excluded (0%).
pub const FREQ_EXCLUDED: HpoId = HpoId::new(40285);

impl Frequency {
    /// The frequency as a proportion in [0, 1], or `None` when unknown.
    ///
    /// HPO frequency terms map to the midpoints of their published ranges (HPO documentation,
    /// "Frequency" subontology; the same values as LIRICAL, Robinson et al. 2020):
    /// Obligate 1.0, Very frequent 0.895, Frequent 0.545, Occasional 0.17, Very rare 0.025,
    /// Excluded 0.0. `n/m` is n/m; `x%` is x/100.
    pub fn proportion(self) -> Option<f64> {
        match self {
            Frequency::Unknown => None,
            Frequency::Term(t) => Some(match t {
                FREQ_OBLIGATE => 1.0,
                FREQ_VERY_FREQUENT => 0.895,
                FREQ_FREQUENT => 0.545,
                FREQ_OCCASIONAL => 0.17,
                FREQ_VERY_RARE => 0.025,
                FREQ_EXCLUDED => 0.0,
                _ => return None,
            }),
            Frequency::Ratio { n, m } => (m > 0).then(|| f64::from(n.min(m)) / f64::from(m)),
            Frequency::Percent(p) => Some((f64::from(p) / 100.0).clamp(0.0, 1.0)),
        }
    }

    /// Parses the `frequency` column: empty, `HP:00402xx`, `n/m` (n <= m, m > 0) or `x%`
    /// (0 <= x <= 100). Returns a description of the expected form on failure.
    pub fn parse(s: &str) -> Result<Frequency, String> {
        let s = s.trim();
        if s.is_empty() || s == "-" {
            return Ok(Frequency::Unknown);
        }
        if s.starts_with("HP:") {
            let id: HpoId = s
                .parse()
                .map_err(|e: crate::id::ParseIdError| e.to_string())?;
            if !(40280..=40285).contains(&id.number()) {
                return Err(format!(
                    "{s} is not an HPO frequency term (HP:0040280..HP:0040285)"
                ));
            }
            return Ok(Frequency::Term(id));
        }
        if let Some((n, m)) = s.split_once('/') {
            let (n, m) = (n.trim().parse::<u32>(), m.trim().parse::<u32>());
            return match (n, m) {
                (Ok(n), Ok(m)) if m > 0 && n <= m => Ok(Frequency::Ratio { n, m }),
                _ => Err(format!(
                    "{s:?} is not a ratio n/m with 0 <= n <= m and m > 0"
                )),
            };
        }
        if let Some(p) = s.strip_suffix('%') {
            return match p.trim().parse::<f32>() {
                Ok(v) if (0.0..=100.0).contains(&v) => Ok(Frequency::Percent(v)),
                _ => Err(format!("{s:?} is not a percentage between 0% and 100%")),
            };
        }
        Err(format!(
            "{s:?} is not a frequency (expected an HPO frequency term, n/m or x%)"
        ))
    }
}

impl std::fmt::Display for Frequency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Frequency::Unknown => Ok(()),
            Frequency::Term(t) => write!(f, "{t}"),
            Frequency::Ratio { n, m } => write!(f, "{n}/{m}"),
            Frequency::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// The `aspect` column of `phenotype.hpoa`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Aspect {
    /// P: phenotypic abnormality.
    Phenotype,
    /// I: mode of inheritance.
    Inheritance,
    /// C: clinical course (onset, progression).
    ClinicalCourse,
    /// M: clinical modifier.
    Modifier,
    /// H: past medical history.
    History,
}

impl Aspect {
    /// Parses `P`, `I`, `C`, `M` or `H`.
    pub fn parse(s: &str) -> Option<Aspect> {
        Some(match s {
            "P" => Aspect::Phenotype,
            "I" => Aspect::Inheritance,
            "C" => Aspect::ClinicalCourse,
            "M" => Aspect::Modifier,
            "H" => Aspect::History,
            _ => return None,
        })
    }

    /// The one-letter code.
    pub fn code(self) -> char {
        match self {
            Aspect::Phenotype => 'P',
            Aspect::Inheritance => 'I',
            Aspect::ClinicalCourse => 'C',
            Aspect::Modifier => 'M',
            Aspect::History => 'H',
        }
    }
}

/// The `evidence` column: IEA (inferred from electronic annotation), PCS (published clinical
/// study), TAS (traceable author statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Evidence {
    /// Inferred from electronic annotation.
    Iea,
    /// Published clinical study.
    Pcs,
    /// Traceable author statement.
    Tas,
}

impl Evidence {
    /// Parses `IEA`, `PCS` or `TAS`.
    pub fn parse(s: &str) -> Option<Evidence> {
        Some(match s {
            "IEA" => Evidence::Iea,
            "PCS" => Evidence::Pcs,
            "TAS" => Evidence::Tas,
            _ => return None,
        })
    }

    /// The code as written in the file.
    pub fn code(self) -> &'static str {
        match self {
            Evidence::Iea => "IEA",
            Evidence::Pcs => "PCS",
            Evidence::Tas => "TAS",
        }
    }
}

/// Biological sex, as used by HPO annotations (`sex` column) and phenopackets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

impl Sex {
    /// Parses `MALE`/`FEMALE` in any case (also `M`/`F`).
    pub fn parse(s: &str) -> Option<Sex> {
        match s.to_ascii_uppercase().as_str() {
            "FEMALE" | "F" => Some(Sex::Female),
            "MALE" | "M" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// One annotation line of `phenotype.hpoa`, compiled: terms are dense indices into the
/// ontology; lists and strings live in the knowledge base's pools (accessors on
/// `KnowledgeBase`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The annotated term (resolved to its current id), as a dense term index.
    pub term: u32,
    /// `NOT` qualifier: the disease is explicitly known not to show the feature.
    pub negated: bool,
    /// Aspect (P, I, C, M, H).
    pub aspect: Aspect,
    /// Frequency.
    pub frequency: Frequency,
    /// Onset term (dense index), when given.
    pub onset: Option<u32>,
    /// Sex restriction, when given.
    pub sex: Option<Sex>,
    /// Modifier terms; read them with `KnowledgeBase::modifiers`.
    pub modifiers: Span,
    /// Evidence code.
    pub evidence: Evidence,
    /// References, e.g. `PMID:31675180`, `OMIM:619340`; read them with
    /// `KnowledgeBase::references`.
    pub references: Span,
    /// Biocuration entry, e.g. `HPO:probinson[2021-06-21]`; read it with
    /// `KnowledgeBase::biocuration`.
    pub(crate) biocuration: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_encodings() {
        assert_eq!(Frequency::parse("").unwrap(), Frequency::Unknown);
        assert_eq!(
            Frequency::parse("HP:0040282").unwrap().proportion(),
            Some(0.545)
        );
        assert_eq!(Frequency::parse("3/4").unwrap().proportion(), Some(0.75));
        assert_eq!(Frequency::parse("25%").unwrap().proportion(), Some(0.25));
        assert_eq!(Frequency::parse("0/7").unwrap().proportion(), Some(0.0));
        for bad in ["5/4", "1/0", "HP:0000118", "120%", "often", "1/x"] {
            assert!(Frequency::parse(bad).is_err(), "{bad}");
        }
    }
}
