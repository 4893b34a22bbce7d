//! Scoring one case against the knowledge base with every model of a run and reading off the
//! ranks of its true genes and diagnoses.

use std::collections::HashMap;

use odyssey_kb::{DiseaseId, DiseaseIdx, GeneIdx, KnowledgeBase};
use odyssey_pheno::{Case, Method, PhenotypeScorer, Ranking, ScorerOptions, Scratch};
use serde::Serialize;

use crate::corpus::BenchCase;
use crate::leakage::{
    leave_publication_out, single_disease_score, LeaveOutEffect, PublicationIndex,
};
use crate::metrics::best_rank;
use crate::split::Half;

/// One model configuration evaluated side by side with the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunSpec {
    /// Short key used in file names and JSON (`lr-lpo`, `resnik`, ...).
    pub key: String,
    /// Human-readable label.
    pub label: String,
    /// Phenotype method.
    pub method: Method,
    /// Leave-publication-out applied.
    pub leave_publication_out: bool,
}

impl RunSpec {
    /// The phenotype-mode runs: the default LR model and the Resnik baseline, with
    /// leave-publication-out first (the headline) when `lpo`, then without.
    pub fn phenotype_runs(lpo: bool) -> Vec<RunSpec> {
        let mut v = Vec::new();
        let mk = |method: Method, lpo: bool| {
            let (k, l) = match method {
                Method::LikelihoodRatio => ("lr", "Odyssey LR (default)"),
                Method::Resnik => ("resnik", "Resnik BMA (baseline)"),
            };
            RunSpec {
                key: if lpo {
                    format!("{k}-lpo")
                } else {
                    k.to_string()
                },
                label: l.to_string(),
                method,
                leave_publication_out: lpo,
            }
        };
        if lpo {
            v.push(mk(Method::LikelihoodRatio, true));
            v.push(mk(Method::Resnik, true));
        }
        v.push(mk(Method::LikelihoodRatio, false));
        v.push(mk(Method::Resnik, false));
        v
    }
}

/// Where a case's diagnosis stands in the knowledge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiseaseStatus {
    /// A diagnosis is ranked (in the KB, in a ranked database, with phenotype annotations).
    Ranked,
    /// In the KB but not ranked (no phenotype annotation, or a database not ranked).
    InKbNotRanked,
    /// Not in the KB (or not a disease id Odyssey reads, e.g. MONDO), or no diagnosis given.
    Absent,
}

/// The truth of a case resolved against the knowledge base.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gold {
    /// Causal genes found in the KB.
    pub genes: Vec<GeneIdx>,
    /// Number of causal gene symbols given (found or not).
    pub genes_given: usize,
    /// Diagnoses found in the KB.
    pub diseases: Vec<DiseaseIdx>,
    /// Number of diagnoses given.
    pub diseases_given: usize,
}

/// The ranks of a case's answers in one run (`None`: not found; see [`crate::metrics`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LevelRanks {
    /// Best rank of a causal gene.
    pub gene: Option<usize>,
    /// Best rank of a diagnosis.
    pub disease: Option<usize>,
    /// Best rank of a causal variant (spiked mode).
    pub variant: Option<usize>,
}

/// Everything the benchmark keeps of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseOutcome {
    /// Path relative to the cases folder.
    pub rel_path: String,
    /// Cohort.
    pub cohort: String,
    /// Half of the cohort split.
    pub half: Half,
    /// Where the diagnosis stands in the KB.
    pub disease_status: DiseaseStatus,
    /// The case names a causal gene.
    pub has_gold_gene: bool,
    /// A causal gene is in the KB.
    pub gold_gene_in_kb: bool,
    /// The case names a diagnosis.
    pub has_gold_disease: bool,
    /// The case names a causal variant usable at the variant level (spiked mode).
    pub has_gold_variant: bool,
    /// Why the case could not be scored (it then counts as not found everywhere).
    pub unscored: Option<String>,
    /// A curated phenotype annotation (`phenotype.hpoa`) of a ranked disease cites the case's
    /// publication (the case is then partly scored against itself unless
    /// leave-publication-out is on). Rows compiled from case reports do not count: with case
    /// knowledge every case's publication is cited by its own rows, so counting them would
    /// leave no "not cited" case (before 2026-12-06f they counted).
    pub publication_cited: bool,
    /// Ranks, one entry per run, in the order of the run list.
    pub ranks: Vec<LevelRanks>,
    /// Per run (LR runs only): the top-ranked gene's post-test probability and whether it is
    /// a causal gene at pessimistic rank 1 (see [`crate::calibration`]).
    pub top_gene_probability: Vec<Option<(f64, bool)>>,
    /// Leave-publication-out: annotations removed and diseases re-scored (0 when off).
    pub lpo_annotations_removed: usize,
    /// Leave-publication-out: diseases re-scored.
    pub lpo_diseases_rescored: usize,
    /// Leave-publication-out left the diagnosis without phenotype annotations.
    pub lpo_gold_emptied: bool,
    /// |single-disease score − fast-path score| of the diagnosis, per method
    /// (LR, Resnik), when ranked, on the cross-checked cases (see [`Evaluator::evaluate`]):
    /// checks that leave-out scores share the fast path's scale.
    pub lpo_check: [Option<f64>; 2],
    /// On the cross-checked cases: the runs whose gold ranks from the full product ranking
    /// (`PhenotypeScorer::ranking_from_scores`) differ from the harness' direct count.
    pub rank_check: Option<Vec<String>>,
}

/// Pessimistic rank of the best gold gene and disease in a ranking; diseases in `emptied`
/// (no phenotype annotation left) count as not found, and so do genes all of whose ranked
/// diseases are emptied.
pub fn gold_ranks(
    scorer: &PhenotypeScorer,
    ranking: &Ranking,
    gold: &Gold,
    emptied: &[DiseaseIdx],
) -> LevelRanks {
    let kb = scorer.kb();
    let disease = best_rank(
        gold.diseases
            .iter()
            .filter(|d| !emptied.contains(d))
            .map(|&d| {
                ranking
                    .diseases
                    .iter()
                    .find(|r| r.disease == d)
                    .map(|r| r.rank)
            }),
    );
    let gene = best_rank(gold.genes.iter().map(|&g| {
        let alive = kb
            .gene(g)
            .diseases
            .iter()
            .any(|d| scorer.index().position(*d).is_some() && !emptied.contains(d));
        if !alive {
            return None;
        }
        ranking.genes.iter().find(|r| r.gene == g).map(|r| r.rank)
    }));
    LevelRanks {
        gene,
        disease,
        variant: None,
    }
}

/// The ranking's tie rule (`odyssey_pheno::rank`): scores equal within a relative
/// [`odyssey_pheno::rank::TIE_TOLERANCE`].
fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= odyssey_pheno::rank::TIE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Pessimistic rank of finite score `s` among `all` (which contains it): the number of scores
/// above it or tied with it. Infinite scores (a gene whose diseases all have likelihood ratio
/// 0) are never tied with a finite one: they rank below every finite score.
fn rank_among(all: impl Iterator<Item = f64>, s: f64) -> usize {
    all.filter(|&x| x > s || (x.is_finite() && tied(x, s)))
        .count()
}

/// A receiver of full rankings (e.g. the PhEval writer): called once per run and case.
pub trait RankingSink: Sync {
    /// One ranking of one case.
    fn ranking(
        &self,
        run: &RunSpec,
        case: &BenchCase,
        ranking: &Ranking,
        gold: &Gold,
        emptied: &[DiseaseIdx],
    );
}

/// Scores cases with the phenotype models and reads off the gold ranks.
pub struct Evaluator<'kb> {
    scorer: PhenotypeScorer<'kb>,
    pubs: PublicationIndex,
    ic: Vec<f64>,
    genes_by_symbol: HashMap<String, GeneIdx>,
    /// For every gene with a ranked disease: the index positions of its diseases.
    gene_positions: Vec<(GeneIdx, Vec<usize>)>,
    /// Every `check_every`-th case (by list position) is cross-checked against the full
    /// product ranking.
    check_every: usize,
    /// Entity representative (`KnowledgeBase::representative`) -> its ranked diseases, for
    /// entities with two or more.
    entity_members: HashMap<DiseaseIdx, Vec<DiseaseIdx>>,
}

impl<'kb> Evaluator<'kb> {
    /// Builds the scorer's index and the publication index.
    pub fn new(kb: &'kb KnowledgeBase, options: ScorerOptions) -> Self {
        let scorer = PhenotypeScorer::new(kb, options);
        let pubs = PublicationIndex::build(&scorer);
        let ic = kb.ontology().terms().map(|t| kb.ic(t)).collect();
        let genes_by_symbol = kb
            .genes()
            .iter()
            .enumerate()
            .map(|(i, g)| (g.symbol.clone(), i as GeneIdx))
            .collect();
        // gene -> positions of its ranked diseases, from the diseases' gene lists (as the
        // ranking links them)
        let mut by_gene: Vec<Vec<usize>> = vec![Vec::new(); kb.genes().len()];
        for (pos, &d) in scorer.index().diseases().iter().enumerate() {
            for &g in &kb.disease(d).genes {
                by_gene[g as usize].push(pos);
            }
        }
        let gene_positions = by_gene
            .into_iter()
            .enumerate()
            .filter(|(_, p)| !p.is_empty())
            .map(|(g, p)| (g as GeneIdx, p))
            .collect();
        let mut entity_members: HashMap<DiseaseIdx, Vec<DiseaseIdx>> = HashMap::new();
        for &d in scorer.index().diseases() {
            entity_members
                .entry(kb.representative(d))
                .or_default()
                .push(d);
        }
        entity_members.retain(|_, m| m.len() > 1);
        Evaluator {
            scorer,
            pubs,
            ic,
            genes_by_symbol,
            gene_positions,
            check_every: 16,
            entity_members,
        }
    }

    /// Cross-check every `n`-th case against the full product ranking (default 16; 1 checks
    /// every case; 0 none).
    pub fn set_check_every(&mut self, n: usize) {
        self.check_every = n;
    }

    /// Gold ranks counted directly from raw scores (index order), by the product ranking's
    /// rules (`odyssey_pheno::rank` and `PhenotypeScorer::ranking_from_scores`): LR scores are
    /// first multiplied by the evidence weight τ; diseases are ranked on their scores; a
    /// gene's score is, for the LR model, the log of the sum of its diseases' (weighted)
    /// likelihood ratios, for Resnik the
    /// best of its diseases' similarities (at least 0); pessimistic ties within a relative
    /// 1e-9. Diseases in `emptied` count as not found, and genes whose ranked diseases are all
    /// emptied. O(diseases + gene links) per case instead of two sorts.
    pub fn gold_ranks_from_scores(
        &self,
        scores: &[f64],
        method: Method,
        gold: &Gold,
        emptied: &[DiseaseIdx],
    ) -> LevelRanks {
        let idx = self.scorer.index();
        let lr = method == Method::LikelihoodRatio;
        // the ranking weighs ln LRs by the evidence weight τ (`ScorerOptions::evidence_weight`)
        let tau = self.scorer.options().evidence_weight;
        let weighted: Vec<f64>;
        let scores = if lr && tau != 1.0 {
            weighted = scores.iter().map(|s| s * tau).collect();
            &weighted[..]
        } else {
            scores
        };
        let disease = best_rank(
            gold.diseases
                .iter()
                .filter(|d| !emptied.contains(d))
                .map(|&d| {
                    let pos = idx.position(d)?;
                    Some(rank_among(scores.iter().copied(), scores[pos]))
                }),
        );
        if gold.genes.is_empty() {
            return LevelRanks {
                gene: None,
                disease,
                variant: None,
            };
        }
        let max = if lr {
            odyssey_pheno::rank::lr_scale_shift(scores)
        } else {
            0.0
        };
        let rho = self.scorer.options().gene_sharpness;
        let gene_score = |pos: &[usize]| -> f64 {
            if lr {
                pos.iter()
                    .map(|&p| (scores[p] - max).exp().powf(rho))
                    .sum::<f64>()
                    .ln()
                    / rho
                    + max
            } else {
                pos.iter().map(|&p| scores[p]).fold(0.0, f64::max)
            }
        };
        let all: Vec<f64> = self
            .gene_positions
            .iter()
            .map(|(_, p)| gene_score(p))
            .collect();
        let gene = best_rank(gold.genes.iter().map(|&g| {
            let i = self.gene_positions.binary_search_by_key(&g, |x| x.0).ok()?;
            let alive = self.gene_positions[i]
                .1
                .iter()
                .any(|&p| !emptied.contains(&idx.diseases()[p]));
            alive.then(|| rank_among(all.iter().copied(), all[i]))
        }));
        LevelRanks {
            gene,
            disease,
            variant: None,
        }
    }

    /// The post-test probability of the top-ranked gene for LR scores (index order, before
    /// τ) of a case with `observed` observed terms: the sum over its diseases of
    /// LR^(τθ') / (Σ LR^(τθ') + N p_u / (1 - p_u)), θ' the case's temperature
    /// (`ScorerOptions::case_temperature`) and p_u `probability_pretest_unknown`, mixed with
    /// the gene-rank prior over the top tie group's ranks when ε
    /// (`probability_rank_mixture`) is above 0, as `PhenotypeScorer::ranking_from_scores`
    /// computes it. `None` without genes.
    pub fn top_gene_probability(&self, scores: &[f64], observed: usize) -> Option<f64> {
        let o = self.scorer.options();
        let w: Vec<f64> = scores.iter().map(|s| s * o.evidence_weight).collect();
        let (top, ties) = self.top_gene_ties(&w)?;
        let p = crate::calibration::gene_probability(
            &w,
            top,
            o.case_temperature(observed),
            o.probability_pretest_unknown,
        );
        Some(odyssey_pheno::rank::with_rank_prior(
            p,
            o.probability_rank_mixture,
            o.probability_rank_prior,
            1,
            ties,
        ))
    }

    /// The index positions of the diseases of the top-ranked gene (the largest sum of
    /// exp(weighted score)^ρ, ρ the gene sharpness; the first in gene order on a tie), from
    /// weighted scores.
    pub fn top_gene(&self, weighted: &[f64]) -> Option<&[usize]> {
        self.top_gene_ties(weighted).map(|(p, _)| p)
    }

    /// [`Evaluator::top_gene`] and the number of genes tied with it (at least 1).
    pub fn top_gene_ties(&self, weighted: &[f64]) -> Option<(&[usize], usize)> {
        let max = odyssey_pheno::rank::lr_scale_shift(weighted);
        let rho = self.scorer.options().gene_sharpness;
        let mut best: Option<(f64, &[usize], usize)> = None;
        for (_, pos) in &self.gene_positions {
            let v: f64 = pos
                .iter()
                .map(|&i| (weighted[i] - max).exp().powf(rho))
                .sum();
            match best {
                Some((b, _, ref mut n)) if v == b => *n += 1,
                Some((b, _, _)) if v <= b => {}
                _ => best = Some((v, pos, 1)),
            }
        }
        best.map(|(_, p, n)| (p, n))
    }

    /// The scorer.
    pub fn scorer(&self) -> &PhenotypeScorer<'kb> {
        &self.scorer
    }

    /// The publication index.
    pub fn publications(&self) -> &PublicationIndex {
        &self.pubs
    }

    /// Information content per term (nats).
    pub fn ic(&self) -> &[f64] {
        &self.ic
    }

    /// The case's truth resolved against the knowledge base, and the diagnosis' status.
    pub fn gold(&self, case: &BenchCase) -> (Gold, DiseaseStatus) {
        let kb = self.scorer.kb();
        let genes: Vec<GeneIdx> = case
            .gold_genes
            .iter()
            .filter_map(|s| self.genes_by_symbol.get(s).copied())
            .collect();
        let mut diseases = Vec::new();
        let mut status = DiseaseStatus::Absent;
        for id in &case.gold_diseases {
            let Some(d) = id
                .parse::<DiseaseId>()
                .ok()
                .and_then(|d| kb.disease_index(d))
            else {
                continue;
            };
            diseases.push(d);
            // a hit on any equivalent ranked disease (MONDO exact match) counts, whether or
            // not `merge_equivalents` ranks the entity once
            if let Some(members) = self.entity_members.get(&kb.representative(d)) {
                diseases.extend(members.iter().copied().filter(|&e| e != d));
            }
        }
        diseases.sort_unstable();
        diseases.dedup();
        for &d in &diseases {
            if self.scorer.index().position(d).is_some() {
                status = DiseaseStatus::Ranked;
            } else if status == DiseaseStatus::Absent {
                status = DiseaseStatus::InKbNotRanked;
            }
        }
        (
            Gold {
                genes,
                genes_given: case.gold_genes.len(),
                diseases,
                diseases_given: case.gold_diseases.len(),
            },
            status,
        )
    }

    /// Resolves the case's terms.
    pub fn resolve(&self, case: &BenchCase) -> Result<Case, String> {
        Case::resolve(&case.input, self.scorer.kb()).map_err(|e| e.to_string())
    }

    /// Evaluates one case under every run. Gold ranks are counted from the raw scores
    /// ([`Evaluator::gold_ranks_from_scores`]); on every `check_every`-th case (`position` in
    /// the case list) and whenever `sink` wants rankings, the full product ranking is built too
    /// and its gold ranks compared (`rank_check`), and the single-disease path of
    /// leave-publication-out is compared with the fast path on the diagnosis (`lpo_check`).
    pub fn evaluate(
        &self,
        case: &BenchCase,
        position: usize,
        runs: &[RunSpec],
        scratch: &mut Scratch,
        sink: Option<&dyn RankingSink>,
    ) -> CaseOutcome {
        let (gold, status) = self.gold(case);
        let mut out = CaseOutcome {
            rel_path: case.rel_path.clone(),
            cohort: case.cohort.clone(),
            half: Half::of(&case.cohort),
            disease_status: status,
            has_gold_gene: gold.genes_given > 0,
            gold_gene_in_kb: !gold.genes.is_empty(),
            has_gold_disease: gold.diseases_given > 0,
            has_gold_variant: false,
            unscored: None,
            publication_cited: self.pubs.cited_by_curated(&case.publications),
            ranks: vec![LevelRanks::default(); runs.len()],
            top_gene_probability: vec![None; runs.len()],
            lpo_annotations_removed: 0,
            lpo_diseases_rescored: 0,
            lpo_gold_emptied: false,
            lpo_check: [None, None],
            rank_check: None,
        };
        let resolved = match self.resolve(case) {
            Ok(c) => c,
            Err(e) => {
                out.unscored = Some(e);
                return out;
            }
        };
        let check = self.check_every > 0 && position.is_multiple_of(self.check_every);
        let mut mismatches = Vec::new();
        let mut base: [Option<Vec<f64>>; 2] = [None, None];
        for (ri, run) in runs.iter().enumerate() {
            let mi = usize::from(run.method == Method::Resnik);
            if base[mi].is_none() {
                let mut s = Vec::new();
                self.scorer
                    .scores_with(&resolved, run.method, scratch, &mut s);
                if check {
                    if let Some(&d) = gold
                        .diseases
                        .iter()
                        .find(|d| self.scorer.index().position(**d).is_some())
                    {
                        let pos = self.scorer.index().position(d).expect("ranked");
                        out.lpo_check[mi] = single_disease_score(
                            &self.scorer,
                            &self.ic,
                            &resolved,
                            run.method,
                            d,
                            scratch,
                        )
                        .map(|x| (x - s[pos]).abs());
                    }
                }
                base[mi] = Some(s);
            }
            let mut scores = base[mi].clone().expect("computed above");
            let effect = if run.leave_publication_out {
                let e = leave_publication_out(
                    &self.scorer,
                    &self.pubs,
                    &self.ic,
                    &resolved,
                    run.method,
                    &case.publications,
                    &mut scores,
                    scratch,
                );
                out.lpo_annotations_removed = e.annotations_removed;
                out.lpo_diseases_rescored = e.diseases_rescored.len();
                // emptied when no diagnosis (or equivalent) keeps an annotation
                out.lpo_gold_emptied |= !gold.diseases.is_empty()
                    && gold.diseases.iter().all(|d| e.diseases_emptied.contains(d));
                e
            } else {
                LeaveOutEffect::default()
            };
            // one entity ranked once, after leave-out changed individual scores
            self.scorer.merge_equivalents(&mut scores);
            out.ranks[ri] =
                self.gold_ranks_from_scores(&scores, run.method, &gold, &effect.diseases_emptied);
            // every case naming a causal gene, in the KB or not (then a miss): a new
            // patient's gene may be unknown to the KB too
            if run.method == Method::LikelihoodRatio && gold.genes_given > 0 {
                out.top_gene_probability[ri] = self
                    .top_gene_probability(&scores, resolved.observed.len())
                    .map(|p| (p, out.ranks[ri].gene == Some(1)));
            }
            if check || sink.is_some() {
                let ranking = self
                    .scorer
                    .ranking_from_scores(&scores, run.method, &resolved);
                let full = gold_ranks(&self.scorer, &ranking, &gold, &effect.diseases_emptied);
                if check && full != out.ranks[ri] {
                    let f = |x: Option<usize>| x.map_or("NA".into(), |v| v.to_string());
                    mismatches.push(format!(
                        "{} (gene {} vs {}, disease {} vs {})",
                        run.key,
                        f(out.ranks[ri].gene),
                        f(full.gene),
                        f(out.ranks[ri].disease),
                        f(full.disease)
                    ));
                }
                if let Some(s) = sink {
                    s.ranking(run, case, &ranking, &gold, &effect.diseases_emptied);
                }
            }
        }
        if check {
            out.rank_check = Some(mismatches);
        }
        out
    }

    /// Raw phenotype scores of every indexed disease (index order) for a resolved case, with
    /// leave-publication-out applied for the given PubMed ids when `leave_out` is given, each
    /// entity ranked once ([`PhenotypeScorer::merge_equivalents`]).
    pub fn scores(
        &self,
        case: &Case,
        method: Method,
        leave_out: Option<&[String]>,
        scratch: &mut Scratch,
    ) -> (Vec<f64>, LeaveOutEffect) {
        let mut s = Vec::new();
        self.scorer.scores_with(case, method, scratch, &mut s);
        let effect = match leave_out {
            Some(pmids) => leave_publication_out(
                &self.scorer,
                &self.pubs,
                &self.ic,
                case,
                method,
                pmids,
                &mut s,
                scratch,
            ),
            None => LeaveOutEffect::default(),
        };
        self.scorer.merge_equivalents(&mut s);
        (s, effect)
    }

    /// The default model on one case, as a user would run it: resolve, score, rank. Returns
    /// the ranking (for timing; the result is also checked to be non-empty).
    pub fn rank_default(&self, case: &BenchCase, scratch: &mut Scratch) -> Option<Ranking> {
        let resolved = self.resolve(case).ok()?;
        let mut s = Vec::new();
        let m = self.scorer.options().method;
        self.scorer.scores_with(&resolved, m, scratch, &mut s);
        Some(self.scorer.ranking_from_scores(&s, m, &resolved))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use odyssey_pheno::{CaseInput, TermInput};

    fn marfan_case(publications: &[&str]) -> BenchCase {
        let terms = [
            ("HP:0001166", false),
            ("HP:0001083", false),
            ("HP:0002616", false),
            ("HP:0000768", false),
            ("HP:0001249", true),
        ];
        BenchCase {
            rel_path: "FBN1/x.json".into(),
            cohort: "FBN1".into(),
            id: "x".into(),
            publications: publications.iter().map(|s| s.to_string()).collect(),
            gold_genes: vec!["FBN1".into(), "NOT-A-GENE".into()],
            gold_diseases: vec!["OMIM:154700".into()],
            variants: vec![],
            variants_without_vcf_record: 0,
            structural: vec![],
            disease_labels: vec![],
            sex: None,
            input: CaseInput {
                id: "x".into(),
                terms: terms
                    .iter()
                    .map(|&(id, excluded)| TermInput {
                        id: id.into(),
                        label: None,
                        excluded,
                    })
                    .collect(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn leave_publication_out_on_the_embedded_kb() {
        let kb = KnowledgeBase::embedded().unwrap();
        let mut ev = Evaluator::new(&kb, ScorerOptions::default());
        ev.set_check_every(1);
        let runs = RunSpec::phenotype_runs(true);
        let case = marfan_case(&["PMID:33436942"]);
        let o = ev.evaluate(&case, 0, &runs, &mut Scratch::default(), None);
        // HPO 2025-01-16 phenotype.hpoa: 32 aspect-P lines cite PMID:33436942, all of OMIM:154700
        // (awk -F'\t' '$5 ~ /PMID:33436942/ && $11=="P"'), out of its 70 aspect-P lines
        assert_eq!(o.lpo_annotations_removed, 32);
        assert_eq!(o.lpo_diseases_rescored, 1);
        assert!(!o.lpo_gold_emptied);
        assert_eq!(o.disease_status, DiseaseStatus::Ranked);
        assert!(o.has_gold_gene && o.gold_gene_in_kb);
        // the harness' counts equal the full product ranking's, in all four runs
        assert_eq!(o.rank_check, Some(vec![]));
        assert!(
            o.lpo_check.iter().all(|d| d.is_some_and(|d| d < 1e-9)),
            "{:?}",
            o.lpo_check
        );
        assert!(
            o.ranks
                .iter()
                .all(|r| r.gene.is_some() && r.disease.is_some()),
            "{:?}",
            o.ranks
        );
        // without a publication nothing changes between the leave-out and plain runs
        let o2 = ev.evaluate(&marfan_case(&[]), 0, &runs, &mut Scratch::default(), None);
        assert_eq!(o2.lpo_annotations_removed, 0);
        assert_eq!((o2.ranks[0], o2.ranks[1]), (o2.ranks[2], o2.ranks[3]));
    }
}
