//! What a knowledge base records besides its annotations: the calibration its post-test
//! probabilities should use, and the ids of the case reports compiled into it.
//!
//! Stored after the main record of a `.odkb` file (format version 2, see the `file` module)
//! as JSON, so that fields can be added without breaking older files; a version-1 file has
//! none of it (no calibration: the scorer's global defaults; no case reports).

use serde::{Deserialize, Serialize};

/// The calibration of the phenotype ranking's post-test probabilities that a knowledge base's
/// likelihood ratios call for: a disease's probability is its weighted likelihood ratio
/// raised to the case's temperature θ n^-κ (n the case's observed terms, at least 1), with a
/// pretest probability p_u that the diagnosis is none of the ranked diseases
/// (`odyssey_pheno::ScorerOptions::probability_temperature`, `probability_term_decay`,
/// `probability_pretest_unknown`; docs/phenotype-model.md, "Calibration"). A knowledge base
/// without one uses the scorer's global defaults (fitted on the HPO-only knowledge base).
///
/// A gene's probability can further be mixed with a prior over gene ranks,
/// (1 − ε) P + ε r(k), r(k) = c k^-2 for the gene at rank k (`rank_mixture` ε, `rank_prior`
/// c; `odyssey_pheno::ScorerOptions::probability_rank_mixture`): ε = 0, the value of every
/// file written before these fields existed, leaves the probabilities as the model computes
/// them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbabilityCalibration {
    /// Temperature θ (at n = 1 observed term), > 0.
    pub temperature: f64,
    /// Exponent κ ≥ 0 of the temperature's decay with the number of observed terms.
    pub term_decay: f64,
    /// Pretest probability p_u in [0, 1) that the diagnosis is none of the ranked diseases.
    pub pretest_unknown: f64,
    /// Weight ε in [0, 1) of the gene-rank prior in a gene's probability (0: none).
    #[serde(default)]
    pub rank_mixture: f64,
    /// The gene-rank prior's mass c at rank 1, in [0, 0.6] (r(k) = c k^-2 sums to at most
    /// c π²/6 < 1 over every rank).
    #[serde(default)]
    pub rank_prior: f64,
    /// How the values were chosen (e.g. "fitted for case-knowledge KBs, ..." or "given with
    /// --calibration"), shown in reports.
    pub fitted: String,
}

impl ProbabilityCalibration {
    /// Checks the ranges: θ finite and > 0, κ finite and ≥ 0, p_u in [0, 1).
    ///
    /// Errors: a message naming the value out of range.
    pub fn check(&self) -> Result<(), String> {
        let Self {
            temperature: t,
            term_decay: k,
            pretest_unknown: p,
            rank_mixture: e,
            rank_prior: c,
            ..
        } = *self;
        if !(t.is_finite() && t > 0.0) {
            return Err(format!("temperature θ {t} is not a number > 0"));
        }
        if !(k.is_finite() && k >= 0.0) {
            return Err(format!("term decay κ {k} is not a number ≥ 0"));
        }
        if !((0.0..1.0).contains(&p)) {
            return Err(format!("pretest probability p_u {p} is not in [0, 1)"));
        }
        if !((0.0..1.0).contains(&e)) {
            return Err(format!("rank mixture ε {e} is not in [0, 1)"));
        }
        if !((0.0..=MAX_RANK_PRIOR).contains(&c)) {
            return Err(format!("rank prior c {c} is not in [0, {MAX_RANK_PRIOR}]"));
        }
        Ok(())
    }

    /// `θ 9, κ 0.8, p_u 0, ε 0.15, c 0.315`, or `θ 7, κ 0.7, p_u 0, no gene-rank prior`
    /// when ε is 0 (unlike the global defaults, which have one): the values, for reports.
    pub fn short(&self) -> String {
        let mut s = format!(
            "θ {}, κ {}, p_u {}",
            self.temperature, self.term_decay, self.pretest_unknown
        );
        if self.rank_mixture > 0.0 {
            s.push_str(&format!(", ε {}, c {}", self.rank_mixture, self.rank_prior));
        } else {
            s.push_str(", no gene-rank prior");
        }
        s
    }
}

/// The largest gene-rank prior mass c at rank 1: c Σ_k k^-2 = c π²/6 must stay below 1.
pub const MAX_RANK_PRIOR: f64 = 0.6;

/// The supplementary record of a knowledge base (empty for a plain HPO build).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Supplement {
    /// Calibration of the post-test probabilities; `None`: the scorer's global defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<ProbabilityCalibration>,
    /// Phenopacket ids of the case reports compiled into the knowledge (`kb build --cases`),
    /// sorted and distinct.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_reports: Vec<String>,
}

impl Supplement {
    /// True when there is nothing to record (a version-1 file is written).
    pub fn is_empty(&self) -> bool {
        self.calibration.is_none() && self.case_reports.is_empty()
    }

    /// Checks what a decoded record must satisfy: a calibration in range, case report ids
    /// sorted and distinct (they are looked up by binary search).
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(c) = &self.calibration {
            c.check().map_err(|e| format!("calibration: {e}"))?;
        }
        if self.case_reports.windows(2).any(|w| w[0] >= w[1]) {
            return Err("case report ids are not sorted and distinct".into());
        }
        Ok(())
    }
}
