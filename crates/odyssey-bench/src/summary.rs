//! Tallies of case outcomes per run: overall, by whether the diagnosis is in the knowledge
//! base, by half of the cohort split, and by cohort.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::evaluate::{CaseOutcome, DiseaseStatus, RunSpec};
use crate::metrics::LevelMetrics;
use crate::split::Half;

/// Metrics of the three levels.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LevelSet {
    /// Gene level: cases with a causal gene.
    pub gene: LevelMetrics,
    /// Disease level: cases with a diagnosis.
    pub disease: LevelMetrics,
    /// Variant level: cases with a causal variant (spiked mode only; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<LevelMetrics>,
}

impl LevelSet {
    fn add(&mut self, o: &CaseOutcome, run: usize, variant_level: bool) {
        let r = o.ranks[run];
        if o.has_gold_gene {
            self.gene.add(r.gene);
        }
        if o.has_gold_disease {
            self.disease.add(r.disease);
        }
        if variant_level && o.has_gold_variant {
            self.variant
                .get_or_insert_with(LevelMetrics::default)
                .add(r.variant);
        }
    }
}

/// The tallies of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    /// The run.
    #[serde(flatten)]
    pub run: RunSpec,
    /// All cases.
    pub overall: LevelSet,
    /// Cases whose diagnosis is ranked by the knowledge base.
    pub disease_in_kb: LevelSet,
    /// Cases whose diagnosis is absent from the knowledge base or has no phenotype
    /// annotation (gene and disease levels still count them; the disease level can only miss).
    pub disease_not_in_kb: LevelSet,
    /// Cases whose publication is cited by a phenotype annotation of a ranked disease.
    pub publication_cited: LevelSet,
    /// Cases whose publication no annotation cites.
    pub publication_not_cited: LevelSet,
    /// Cohorts of half A.
    pub half_a: LevelSet,
    /// Cohorts of half B.
    pub half_b: LevelSet,
    /// Per cohort.
    pub by_cohort: BTreeMap<String, LevelSet>,
}

/// Tallies outcomes per run. `variant_level` enables the variant level (spiked mode).
pub fn summarize(
    runs: &[RunSpec],
    outcomes: &[CaseOutcome],
    variant_level: bool,
) -> Vec<RunSummary> {
    runs.iter()
        .enumerate()
        .map(|(ri, run)| {
            let mut s = RunSummary {
                run: run.clone(),
                overall: LevelSet::default(),
                disease_in_kb: LevelSet::default(),
                disease_not_in_kb: LevelSet::default(),
                publication_cited: LevelSet::default(),
                publication_not_cited: LevelSet::default(),
                half_a: LevelSet::default(),
                half_b: LevelSet::default(),
                by_cohort: BTreeMap::new(),
            };
            for o in outcomes {
                s.overall.add(o, ri, variant_level);
                if o.disease_status == DiseaseStatus::Ranked {
                    &mut s.disease_in_kb
                } else {
                    &mut s.disease_not_in_kb
                }
                .add(o, ri, variant_level);
                if o.publication_cited {
                    &mut s.publication_cited
                } else {
                    &mut s.publication_not_cited
                }
                .add(o, ri, variant_level);
                match o.half {
                    Half::A => s.half_a.add(o, ri, variant_level),
                    Half::B => s.half_b.add(o, ri, variant_level),
                }
                s.by_cohort
                    .entry(o.cohort.clone())
                    .or_default()
                    .add(o, ri, variant_level);
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::LevelRanks;
    use odyssey_pheno::Method;

    fn outcome(
        cohort: &str,
        status: DiseaseStatus,
        gene: Option<usize>,
        disease: Option<usize>,
        has_gene: bool,
    ) -> CaseOutcome {
        CaseOutcome {
            rel_path: format!("{cohort}/x.json"),
            cohort: cohort.into(),
            half: Half::of(cohort),
            disease_status: status,
            has_gold_gene: has_gene,
            gold_gene_in_kb: has_gene,
            has_gold_disease: true,
            has_gold_variant: false,
            unscored: None,
            publication_cited: cohort == "G1",
            ranks: vec![LevelRanks {
                gene,
                disease,
                variant: None,
            }],
            top_gene_probability: vec![None],
            lpo_annotations_removed: 0,
            lpo_diseases_rescored: 0,
            lpo_gold_emptied: false,
            lpo_check: [None, None],
            rank_check: None,
        }
    }

    #[test]
    fn groups_add_up() {
        let runs = vec![RunSpec {
            key: "lr".into(),
            label: "LR".into(),
            method: Method::LikelihoodRatio,
            leave_publication_out: false,
        }];
        let outcomes = vec![
            outcome("G1", DiseaseStatus::Ranked, Some(1), Some(2), true),
            outcome("G1", DiseaseStatus::Absent, Some(4), None, true),
            outcome("G2", DiseaseStatus::InKbNotRanked, None, None, false), // no causal gene given
        ];
        let s = &summarize(&runs, &outcomes, false)[0];
        assert_eq!(s.overall.gene.cases, 2); // the case without a causal gene is not a gene-level case
        assert_eq!(s.overall.gene.found_within, [1, 1, 2, 2]);
        assert_eq!(s.overall.disease.cases, 3);
        assert_eq!(s.overall.disease.not_found, 2);
        assert_eq!(s.disease_in_kb.disease.cases, 1);
        assert_eq!(s.disease_not_in_kb.disease.cases, 2);
        assert_eq!(s.by_cohort["G1"].gene.cases, 2);
        assert_eq!(
            (
                s.publication_cited.disease.cases,
                s.publication_not_cited.disease.cases
            ),
            (2, 1)
        );
        assert_eq!(s.by_cohort["G2"].disease.not_found, 1);
        let halves = s.half_a.disease.cases + s.half_b.disease.cases;
        assert_eq!(halves, 3);
        assert!(s.overall.variant.is_none());
    }
}
