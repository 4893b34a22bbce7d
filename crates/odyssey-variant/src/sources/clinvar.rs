//! ClinVar clinical significance (INFO/CLNSIG) and review status as stars (INFO/CLNREVSTAT),
//! following ClinVar's documentation of review status ("Review status in ClinVar").

use serde::{Deserialize, Serialize};

/// Aggregate clinical significance of a ClinVar variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClinicalSignificance {
    /// Pathogenic.
    Pathogenic,
    /// Pathogenic/Likely pathogenic.
    PathogenicLikelyPathogenic,
    /// Likely pathogenic.
    LikelyPathogenic,
    /// Uncertain significance.
    UncertainSignificance,
    /// Conflicting classifications of pathogenicity.
    Conflicting,
    /// Likely benign.
    LikelyBenign,
    /// Benign/Likely benign.
    BenignLikelyBenign,
    /// Benign.
    Benign,
    /// Drug response, risk factor, association, not provided and others.
    Other,
}

impl ClinicalSignificance {
    const ALL: [ClinicalSignificance; 9] = [
        Self::Pathogenic,
        Self::PathogenicLikelyPathogenic,
        Self::LikelyPathogenic,
        Self::UncertainSignificance,
        Self::Conflicting,
        Self::LikelyBenign,
        Self::BenignLikelyBenign,
        Self::Benign,
        Self::Other,
    ];

    /// Parses a CLNSIG value (`Pathogenic`, `Likely_pathogenic`,
    /// `Pathogenic/Likely_pathogenic|risk_factor`, `Conflicting_classifications_of_pathogenicity`...):
    /// the first classification decides; `_low_penetrance` qualifiers count as their base class.
    pub fn parse(clnsig: &str) -> ClinicalSignificance {
        let first = clnsig
            .split(['|', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let base = first.trim_start_matches('_');
        let base = base.split(",_").next().unwrap_or(base);
        let parts: Vec<&str> = base
            .split('/')
            .map(|p| p.trim_end_matches("_low_penetrance"))
            .collect();
        let has = |s: &str| parts.contains(&s);
        if base.starts_with("conflicting") {
            return Self::Conflicting;
        }
        if has("pathogenic") && has("likely_pathogenic") {
            Self::PathogenicLikelyPathogenic
        } else if has("pathogenic") {
            Self::Pathogenic
        } else if has("likely_pathogenic") {
            Self::LikelyPathogenic
        } else if has("uncertain_significance") {
            Self::UncertainSignificance
        } else if has("benign") && has("likely_benign") {
            Self::BenignLikelyBenign
        } else if has("benign") {
            Self::Benign
        } else if has("likely_benign") {
            Self::LikelyBenign
        } else {
            Self::Other
        }
    }

    /// Pathogenic, Pathogenic/Likely pathogenic or Likely pathogenic.
    pub fn is_pathogenic_or_likely(self) -> bool {
        matches!(
            self,
            Self::Pathogenic | Self::PathogenicLikelyPathogenic | Self::LikelyPathogenic
        )
    }

    /// Benign, Benign/Likely benign or Likely benign.
    pub fn is_benign_or_likely(self) -> bool {
        matches!(
            self,
            Self::Benign | Self::BenignLikelyBenign | Self::LikelyBenign
        )
    }

    /// Numeric code used in stores.
    pub(crate) fn code(self) -> f32 {
        Self::ALL.iter().position(|c| *c == self).unwrap() as f32
    }

    /// Inverse of [`ClinicalSignificance::code`].
    pub(crate) fn from_code(c: f32) -> Option<Self> {
        if c.is_nan() || c < 0.0 {
            return None;
        }
        Self::ALL.get(c as usize).copied()
    }
}

/// Review stars (0-4) from a CLNREVSTAT value:
/// practice guideline 4; reviewed by expert panel 3; criteria provided, multiple submitters, no
/// conflicts 2; criteria provided, single submitter or conflicting classifications 1;
/// no assertion criteria / no classification 0.
pub fn review_stars(clnrevstat: &str) -> u8 {
    let s = clnrevstat.to_ascii_lowercase();
    if s.contains("practice_guideline") {
        4
    } else if s.contains("reviewed_by_expert_panel") {
        3
    } else if s.contains("multiple_submitters") && s.contains("no_conflicts") {
        2
    } else if s.contains("criteria_provided") && !s.contains("no_assertion_criteria") {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClinicalSignificance::*;

    #[test]
    fn significance_values_seen_in_clinvar_vcfs() {
        assert_eq!(ClinicalSignificance::parse("Pathogenic"), Pathogenic);
        assert_eq!(
            ClinicalSignificance::parse("Likely_pathogenic"),
            LikelyPathogenic
        );
        assert_eq!(
            ClinicalSignificance::parse("Pathogenic/Likely_pathogenic|other"),
            PathogenicLikelyPathogenic
        );
        assert_eq!(
            ClinicalSignificance::parse("Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance"),
            PathogenicLikelyPathogenic
        );
        assert_eq!(
            ClinicalSignificance::parse("Conflicting_interpretations_of_pathogenicity"),
            Conflicting
        );
        assert_eq!(
            ClinicalSignificance::parse("Conflicting_classifications_of_pathogenicity"),
            Conflicting
        );
        assert_eq!(
            ClinicalSignificance::parse("Benign/Likely_benign"),
            BenignLikelyBenign
        );
        assert_eq!(
            ClinicalSignificance::parse("Uncertain_significance"),
            UncertainSignificance
        );
        assert_eq!(ClinicalSignificance::parse("drug_response"), Other);
        for c in ClinicalSignificance::ALL {
            assert_eq!(ClinicalSignificance::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn stars() {
        assert_eq!(
            review_stars("criteria_provided,_multiple_submitters,_no_conflicts"),
            2
        );
        assert_eq!(review_stars("criteria_provided,_single_submitter"), 1);
        assert_eq!(
            review_stars("criteria_provided,_conflicting_classifications"),
            1
        );
        assert_eq!(review_stars("reviewed_by_expert_panel"), 3);
        assert_eq!(review_stars("practice_guideline"), 4);
        assert_eq!(review_stars("no_assertion_criteria_provided"), 0);
        assert_eq!(review_stars("no_classification_provided"), 0);
    }
}
