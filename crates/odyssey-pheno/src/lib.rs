//! # odyssey-pheno
//!
//! Phenotype-driven ranking of diseases and genes from a patient's observed **and excluded**
//! HPO terms, with the evidence of every term.
//!
//! * Case input: [`phenopacket`] (GA4GH Phenopacket v2/v1, JSON or YAML, Family) and
//!   [`Case::resolve`], which maps alternative and obsolete ids and reports every term it
//!   cannot use.
//! * Models: [`Method::LikelihoodRatio`] (default; see the [`lr`] module for every formula)
//!   and [`Method::Resnik`], Phenomizer's best-match average (see [`resnik`]).
//! * [`PhenotypeScorer`]: built once per knowledge base (an index of posting lists), then
//!   ranks a case against every disease and gene in about a millisecond.

pub mod case;
pub mod index;
pub mod lr;
pub mod phenopacket;
pub mod prior;
pub mod profile;
pub mod rank;
pub mod resnik;

use odyssey_kb::{DiseaseDb, DiseaseIdx, KnowledgeBase};
use serde::{Deserialize, Serialize};

pub use case::{Case, CaseError, CaseInput, IgnoredTerm, RemappedTerm, TermInput};
pub use index::{IndexOptions, PhenoIndex, Propagation};
pub use lr::{LrParams, MatchKind, Scratch, TermEvidence};
pub use profile::{DiseaseProfile, ProfileBuilder};
pub use rank::{RankedDisease, RankedGene};

/// The scoring method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Likelihood-ratio model (default).
    #[serde(rename = "lr")]
    LikelihoodRatio,
    /// Resnik best-match-average similarity (Phenomizer).
    Resnik,
}

impl Method {
    /// `lr` or `resnik`.
    pub fn name(self) -> &'static str {
        match self {
            Method::LikelihoodRatio => "lr",
            Method::Resnik => "resnik",
        }
    }
}

/// All settings of a scorer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorerOptions {
    /// Method.
    pub method: Method,
    /// Index settings (databases, unknown frequency, propagation).
    pub index: IndexOptions,
    /// LR model parameters.
    pub lr: LrParams,
    /// Pretest probability that the diagnosis is none of the ranked disease-gene pairs, in the
    /// combined phenotype and variant analysis (the phenotype ranking's own probabilities use
    /// `probability_pretest_unknown`); fitted with `combined_temperature` and
    /// `combined_term_decay` (docs/variant-analysis.md).
    pub pretest_unknown: f64,
    /// Temperature θ_c of the combined analysis' post-test probabilities: a disease-gene
    /// pair's probability is computed from its combined natural-log LR (τ × phenotype +
    /// genotype) times the case's temperature θ_c n^-κ_c (n the case's observed terms, at
    /// least 1; κ_c = `combined_term_decay`), with `pretest_unknown` for "none of them". One
    /// factor per case: the order of genes and diseases does not depend on it. Fitted by
    /// least log loss of the top gene's probability in the spiked benchmark under
    /// leave-publication-out, cohort-grouped 2-fold (docs/variant-analysis.md,
    /// `cargo run --release -p odyssey-cli --example calibrate_combined`).
    #[serde(default = "default_combined_temperature")]
    pub combined_temperature: f64,
    /// Exponent κ_c of the combined temperature's decay with the number of observed terms
    /// (θ_c n^-κ_c); 0 gives every case the temperature θ_c.
    #[serde(default = "default_combined_term_decay")]
    pub combined_term_decay: f64,
    /// Weight of the composite phenotype evidence, τ in (0, 1]: the case's log likelihood
    /// ratio is multiplied by τ before post-test probabilities and gene scores are computed.
    /// Patient features are correlated (the product of per-term LRs assumes independence and
    /// overstates the evidence); τ was chosen to minimise the log loss of the correct
    /// diagnosis's post-test probability on the development corpus (docs/phenotype-model.md).
    /// It does not change the order of diseases.
    pub evidence_weight: f64,
    /// Exponent α of the gene-share prior: each disease's prior is multiplied by k^-α, k the
    /// number of indexed diseases of its gene (the fewest over its genes; 1 without a gene).
    /// α = 1 gives every gene the same prior mass however many diseases it has (a pleiotropic
    /// gene does not win by summing many weak diseases); 0 is a uniform disease prior.
    pub gene_prior: f64,
    /// Rank one entity once: diseases of the knowledge base that are one condition by MONDO
    /// exact match (an OMIM and an Orphanet entry, [`KnowledgeBase::representative`]) are
    /// ranked under their best-scoring member (ties: OMIM first, then the lower id); the
    /// others get a score of −∞ (they list last and add nothing to their genes) and are shown
    /// as the member's `equivalent_ids`.
    /// Off by default: on the 301-case smoke sample it lowered gene top-1 under
    /// leave-publication-out from 15.6 to 14.3 % (docs/phenotype-model.md).
    #[serde(default)]
    pub merge_equivalents: bool,
    /// Sharpness ρ ≥ 1 of the gene score: (1/ρ) ln Σ_d LR_d^ρ over the gene's (weighted)
    /// disease LRs. 1 sums the diseases (the gene is causal if any of them is the diagnosis);
    /// larger values move towards the best disease, so a pleiotropic gene gains less from
    /// many weak diseases. Gene probabilities are the sum of the diseases' (mixed with the
    /// gene-rank prior, `probability_rank_mixture`).
    #[serde(default = "default_gene_sharpness")]
    pub gene_sharpness: f64,
    /// Temperature θ of the post-test probabilities of the phenotype ranking: a disease's
    /// probability is computed from its weighted log LR times the case's temperature
    /// θ n^-κ (n the case's observed terms, at least 1; κ = `probability_term_decay`), with
    /// `probability_pretest_unknown` for "none of them"; the order of diseases and genes does
    /// not depend on it. θ = 8, κ = 0.85, p_u = 0 and the gene-rank prior's ε = 0.3 were
    /// fitted together by least log loss of the top gene's probability under
    /// leave-publication-out on the 2-fold cohort split (held-out pooled ECE 0.029; in
    /// `odyssey bench --leave-publication-out` 0.021; docs/phenotype-model.md, "Gene-rank
    /// prior", `cargo run --release -p odyssey-bench --example calibrate`). A knowledge base
    /// can record its own θ, κ, p_u, ε and c ([`KnowledgeBase::calibration`], e.g. one built
    /// with case knowledge); [`ScorerOptions::for_kb`] applies them.
    #[serde(default = "default_temperature")]
    pub probability_temperature: f64,
    /// Exponent κ of the temperature's decay with the number n of observed terms (θ n^-κ):
    /// the product of per-term LRs overstates the evidence of correlated features the more,
    /// the more terms a case has. 0 gives every case the temperature θ.
    #[serde(default = "default_term_decay")]
    pub probability_term_decay: f64,
    /// Pretest probability that the diagnosis is none of the ranked diseases, in the
    /// phenotype ranking's post-test probabilities (fitted with θ and κ: 0, a closed world;
    /// the combined variant analysis has its own, `pretest_unknown`).
    #[serde(default)]
    pub probability_pretest_unknown: f64,
    /// Weight ε in [0, 1) of the gene-rank prior in a gene's post-test probability in the
    /// phenotype ranking: (1 − ε) P + ε r̄, r̄ the mean of r(k) = c k^-2
    /// (`probability_rank_prior` c) over the ranks of the gene's tie group
    /// ([`rank::mix_gene_rank_prior`]). It models the chance that the LR model's sharpness is
    /// wrong for a case: a flat posterior whose top gene is still often right, a sharp one
    /// that is sometimes wrong. 0 (the global default) leaves gene probabilities the sum of
    /// their diseases'; a knowledge base with case knowledge records ε 0.15, c 0.5
    /// (docs/phenotype-model.md, "Gene-rank prior"). The order does not depend on it.
    #[serde(default = "default_rank_mixture")]
    pub probability_rank_mixture: f64,
    /// The gene-rank prior's mass c at rank 1 (r(k) = c k^-2; at most
    /// `odyssey_kb::MAX_RANK_PRIOR`, so that it sums to less than 1).
    #[serde(default = "default_rank_prior")]
    pub probability_rank_prior: f64,
}

fn default_gene_sharpness() -> f64 {
    1.5
}

fn default_temperature() -> f64 {
    8.0
}

fn default_term_decay() -> f64 {
    0.85
}

fn default_rank_mixture() -> f64 {
    0.3
}

fn default_rank_prior() -> f64 {
    0.181
}

fn default_combined_temperature() -> f64 {
    2.0
}

fn default_combined_term_decay() -> f64 {
    0.2
}

impl ScorerOptions {
    /// The documented defaults with the probability calibration that `kb` records
    /// ([`KnowledgeBase::calibration`]: θ, κ and p_u fitted for that kind of knowledge base,
    /// e.g. one with case knowledge); the global defaults when it records none. What
    /// `odyssey analyze` and `odyssey bench` use.
    pub fn for_kb(kb: &KnowledgeBase) -> ScorerOptions {
        let mut o = ScorerOptions::default();
        o.calibrate_for(kb);
        o
    }

    /// Replaces θ (`probability_temperature`), κ (`probability_term_decay`), p_u
    /// (`probability_pretest_unknown`), ε (`probability_rank_mixture`) and c
    /// (`probability_rank_prior`) by the calibration `kb` records, when it records one;
    /// nothing else changes (the ranking does not depend on them).
    pub fn calibrate_for(&mut self, kb: &KnowledgeBase) {
        if let Some(c) = kb.calibration() {
            self.probability_temperature = c.temperature;
            self.probability_term_decay = c.term_decay;
            self.probability_pretest_unknown = c.pretest_unknown;
            self.probability_rank_mixture = c.rank_mixture;
            self.probability_rank_prior = c.rank_prior;
        }
    }

    /// The temperature of a case with `observed` observed terms: θ max(n, 1)^-κ.
    pub fn case_temperature(&self, observed: usize) -> f64 {
        decayed(
            self.probability_temperature,
            self.probability_term_decay,
            observed,
        )
    }

    /// The temperature of the combined (phenotype and genotype) post-test probabilities of a
    /// case with `observed` observed terms: θ_c max(n, 1)^-κ_c.
    pub fn combined_case_temperature(&self, observed: usize) -> f64 {
        decayed(
            self.combined_temperature,
            self.combined_term_decay,
            observed,
        )
    }
}

/// θ max(n, 1)^-κ (exactly θ when κ = 0).
fn decayed(theta: f64, kappa: f64, observed: usize) -> f64 {
    if kappa == 0.0 {
        theta
    } else {
        theta * (observed.max(1) as f64).powf(-kappa)
    }
}

impl Default for ScorerOptions {
    /// The documented defaults (`docs/phenotype-model.md`).
    fn default() -> Self {
        ScorerOptions {
            method: Method::LikelihoodRatio,
            index: IndexOptions {
                databases: vec![DiseaseDb::Omim, DiseaseDb::Orpha, DiseaseDb::Decipher],
                unknown_frequency: 0.5,
                propagation: Propagation::Max,
            },
            lr: LrParams::default(),
            pretest_unknown: 0.0,
            evidence_weight: 0.2,
            gene_prior: 0.0,
            merge_equivalents: false,
            gene_sharpness: default_gene_sharpness(),
            probability_temperature: default_temperature(),
            probability_term_decay: default_term_decay(),
            probability_pretest_unknown: 0.0,
            probability_rank_mixture: default_rank_mixture(),
            probability_rank_prior: default_rank_prior(),
            combined_temperature: default_combined_temperature(),
            combined_term_decay: default_combined_term_decay(),
        }
    }
}

/// A ranking of diseases and genes for one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    /// Method used.
    pub method: Method,
    /// Every indexed disease, best first.
    pub diseases: Vec<RankedDisease>,
    /// Every gene linked to an indexed disease, best first.
    pub genes: Vec<RankedGene>,
}

/// Ranks cases against a knowledge base. Cheap to share across threads (`&self`).
pub struct PhenotypeScorer<'kb> {
    kb: &'kb KnowledgeBase,
    index: PhenoIndex,
    options: ScorerOptions,
    ic: Vec<f64>,
    /// -α ln k per index position (gene-share prior), empty when α = 0.
    gene_ln_prior: Vec<f64>,
    /// The constant c that makes the prior weights average to 1.
    prior_c: f64,
    /// The log prior of every index position on its full profile; empty when β = α = 0.
    full_ln_prior: Vec<f64>,
    /// Index positions of each entity with two or more indexed members (ascending), when
    /// `merge_equivalents`.
    entities: Vec<Vec<u32>>,
    /// Per index position: its entry in `entities`, or `u32::MAX`.
    entity_of: Vec<u32>,
}

impl<'kb> PhenotypeScorer<'kb> {
    /// Builds the index (tens of milliseconds).
    pub fn new(kb: &'kb KnowledgeBase, options: ScorerOptions) -> Self {
        let index = PhenoIndex::build(kb, options.index.clone());
        let ic = kb.ontology().terms().map(|t| kb.ic(t)).collect();
        let gene_ln_prior = prior::gene_share(kb, &index, options.gene_prior);
        let prior_c = prior::normaliser(&index, &gene_ln_prior, options.lr.size_prior);
        let mut s = PhenotypeScorer {
            kb,
            index,
            options,
            ic,
            gene_ln_prior,
            prior_c,
            full_ln_prior: Vec::new(),
            entities: Vec::new(),
            entity_of: Vec::new(),
        };
        if s.options.merge_equivalents {
            s.group_entities();
        }
        if s.options.lr.size_prior != 0.0 || !s.gene_ln_prior.is_empty() {
            s.full_ln_prior = (0..s.index.diseases.len())
                .map(|pos| s.ln_prior(pos, s.index.disease_terms_len(pos)))
                .collect();
        }
        s
    }

    /// Groups the indexed diseases by entity ([`KnowledgeBase::representative`]).
    fn group_entities(&mut self) {
        let mut by_rep: std::collections::BTreeMap<DiseaseIdx, Vec<u32>> = Default::default();
        for (pos, &d) in self.index.diseases.iter().enumerate() {
            by_rep
                .entry(self.kb.representative(d))
                .or_default()
                .push(pos as u32);
        }
        self.entity_of = vec![u32::MAX; self.index.diseases.len()];
        for members in by_rep.into_values().filter(|m| m.len() > 1) {
            for &m in &members {
                self.entity_of[m as usize] = self.entities.len() as u32;
            }
            self.entities.push(members);
        }
    }

    /// The index positions of the diseases that are one entity with the disease at `pos`
    /// (itself included, ascending); empty when it has no equivalent indexed disease or
    /// `merge_equivalents` is off.
    pub fn entity_positions(&self, pos: usize) -> &[u32] {
        match self.entity_of.get(pos) {
            Some(&e) if e != u32::MAX => &self.entities[e as usize],
            _ => &[],
        }
    }

    /// Ranks each entity once, in place: of the indexed diseases that are one entity, the
    /// best-scoring keeps its score (ties: the first in index order, i.e. OMIM before
    /// ORPHA, then the lower id) and the others get −∞. Idempotent; a no-op when
    /// `merge_equivalents` is off. Apply it after any change of individual scores (e.g.
    /// leave-publication-out) and before ranking; [`PhenotypeScorer::ranking_from_scores`]
    /// applies it.
    pub fn merge_equivalents(&self, scores: &mut [f64]) {
        for members in &self.entities {
            let mut best = members[0] as usize;
            for &m in &members[1..] {
                if scores[m as usize] > scores[best] {
                    best = m as usize;
                }
            }
            for &m in members {
                if m as usize != best {
                    scores[m as usize] = f64::NEG_INFINITY;
                }
            }
        }
    }

    /// Natural-log prior weight of the disease at index position `pos` with `n_terms`
    /// phenotype annotations (fewer than in the index after leave-out): -β ln n - α ln k + c
    /// (see [`lr`] and [`ScorerOptions::gene_prior`]); 0 when β = α = 0.
    pub fn ln_prior(&self, pos: usize, n_terms: usize) -> f64 {
        prior::ln_prior(
            self.options.lr.size_prior,
            &self.gene_ln_prior,
            self.prior_c,
            pos,
            n_terms,
        )
    }

    /// The knowledge base.
    pub fn kb(&self) -> &'kb KnowledgeBase {
        self.kb
    }

    /// The index.
    pub fn index(&self) -> &PhenoIndex {
        &self.index
    }

    /// The settings.
    pub fn options(&self) -> &ScorerOptions {
        &self.options
    }

    /// Raw per-disease scores in index order: natural-log LR (LR model) or similarity.
    pub fn scores(&self, case: &Case, scratch: &mut Scratch, out: &mut Vec<f64>) {
        self.scores_with(case, self.options.method, scratch, out)
    }

    /// Raw scores with an explicit method.
    pub fn scores_with(
        &self,
        case: &Case,
        method: Method,
        scratch: &mut Scratch,
        out: &mut Vec<f64>,
    ) {
        match method {
            Method::LikelihoodRatio => {
                lr::score_into(&self.index, self.kb, &self.options.lr, case, scratch, out);
                for (s, p) in out.iter_mut().zip(&self.full_ln_prior) {
                    *s += p;
                }
            }
            Method::Resnik => {
                resnik::score_into(&self.index, self.kb, &self.ic, case, scratch, out)
            }
        }
    }

    /// Resnik BMA of every indexed disease with a caller-supplied IC per term (nats, indexed
    /// by term), e.g. to compare with another implementation's IC.
    pub fn resnik_scores_with_ic(
        &self,
        case: &Case,
        ic: &[f64],
        scratch: &mut Scratch,
        out: &mut Vec<f64>,
    ) {
        resnik::score_into(&self.index, self.kb, ic, case, scratch, out)
    }

    /// The directly annotated phenotype terms of the disease at index position `pos`.
    pub fn disease_terms(&self, pos: usize) -> &[odyssey_kb::TermIdx] {
        self.index.disease_terms.row(pos)
    }

    /// Full ranking of diseases and genes.
    pub fn rank(&self, case: &Case) -> Ranking {
        self.rank_with(case, self.options.method, &mut Scratch::default())
    }

    /// Full ranking with an explicit method and scratch memory.
    pub fn rank_with(&self, case: &Case, method: Method, scratch: &mut Scratch) -> Ranking {
        let mut scores = Vec::new();
        self.scores_with(case, method, scratch, &mut scores);
        self.ranking_from_scores(&scores, method, case)
    }

    /// Term-by-term LR evidence of a disease for the case (LR model), or `None` when the
    /// disease is not indexed (no phenotype annotation, or another database).
    pub fn explain(&self, case: &Case, disease: DiseaseIdx) -> Option<Vec<TermEvidence>> {
        self.explain_without(case, disease, &|_| false)
    }

    /// Term-by-term LR evidence of a disease with some of its annotations left out (as
    /// [`PhenotypeScorer::ln_lr_without`] scores it), or `None` when no phenotype annotation
    /// remains or the disease is not indexed.
    pub fn explain_without(
        &self,
        case: &Case,
        disease: DiseaseIdx,
        skip: &dyn Fn(&odyssey_kb::Annotation) -> bool,
    ) -> Option<Vec<TermEvidence>> {
        self.index.position(disease)?;
        let prof = ProfileBuilder::new(self.kb.ontology().len()).build(
            self.kb,
            self.kb.disease(disease),
            &self.options.index,
            skip,
        )?;
        Some(lr::explain(
            &self.index,
            self.kb,
            &self.options.lr,
            case,
            &prof,
            &mut Scratch::default(),
        ))
    }

    /// The natural-log LR of one disease with some of its annotations left out (for example
    /// those citing the publication a benchmark case comes from), computed on the disease's
    /// own profile, plus its log prior ([`PhenotypeScorer::ln_prior`], on the reduced number of
    /// annotations); the background of the index is kept. `None` when no phenotype annotation
    /// remains or the disease is not indexed.
    pub fn ln_lr_without(
        &self,
        case: &Case,
        disease: DiseaseIdx,
        skip: &dyn Fn(&odyssey_kb::Annotation) -> bool,
        scratch: &mut Scratch,
    ) -> Option<f64> {
        let pos = self.index.position(disease)?;
        let prof = ProfileBuilder::new(self.kb.ontology().len()).build(
            self.kb,
            self.kb.disease(disease),
            &self.options.index,
            skip,
        )?;
        let ln_lr: f64 = lr::explain(&self.index, self.kb, &self.options.lr, case, &prof, scratch)
            .iter()
            .map(|e| e.lr.ln())
            .sum();
        Some(ln_lr + self.ln_prior(pos, prof.direct.len()))
    }

    /// Ranking from raw scores (index order) of `case`, e.g. after replacing some with
    /// [`PhenotypeScorer::ln_lr_without`]; the case sets the temperature of the post-test
    /// probabilities ([`ScorerOptions::case_temperature`]).
    pub fn ranking_from_scores(&self, scores: &[f64], method: Method, case: &Case) -> Ranking {
        let calibration = (
            self.options.case_temperature(case.observed.len()),
            self.options.probability_pretest_unknown,
        );
        let merged: Vec<f64>;
        let scores = if self.entities.is_empty() {
            scores
        } else {
            let mut m = scores.to_vec();
            self.merge_equivalents(&mut m);
            merged = m;
            &merged[..]
        };
        let ln_lr = method == Method::LikelihoodRatio;
        let (diseases, genes) = if ln_lr && self.options.evidence_weight != 1.0 {
            let w: Vec<f64> = scores
                .iter()
                .map(|s| s * self.options.evidence_weight)
                .collect();
            rank::build(
                self.kb,
                &self.index,
                &w,
                true,
                calibration,
                self.options.gene_sharpness,
            )
        } else {
            rank::build(
                self.kb,
                &self.index,
                scores,
                ln_lr,
                calibration,
                self.options.gene_sharpness,
            )
        };
        let mut genes = genes;
        if ln_lr && self.options.probability_rank_mixture > 0.0 {
            rank::mix_gene_rank_prior(
                &mut genes,
                self.options.probability_rank_mixture,
                self.options.probability_rank_prior,
            );
        }
        Ranking {
            method,
            diseases,
            genes,
        }
    }
}
