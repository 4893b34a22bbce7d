//! The combined ranking of phenotype and genotype (see the parent module's docs) and its
//! report: ranked diseases and genes with their variants, provenance, family, filter summary.

use std::collections::{BTreeMap, HashMap};

use odyssey_kb::{KnowledgeBase, ModeOfInheritance as KbMode};
use odyssey_pheno::rank::rank_by_score;
use odyssey_pheno::{Case, Method, PhenotypeScorer, Scratch};
use odyssey_report::{
    AnalysisReport, ClinVarAssertion, DiseaseResult, FamilyMember, FilterCount, FilterSummary,
    FilteredVariant, GeneResult, Provenance, SampleGenotype, SourceInfo, StructuralInfo,
    VariantResult,
};
use odyssey_variant::analysis::{GenotypeAnalysis, VariantCall};
use odyssey_variant::inheritance::ModeOfInheritance as VarMode;

use crate::phenotype::{
    case_summary, case_warnings, disease_labels, disease_modes, disease_results_with, provenance,
};
use crate::{KbHandle, ReportOptions};

/// The variant modes a knowledge-base disease allows (all when it lists none or only modes
/// genotypes cannot test).
fn modes_of(kb: &KnowledgeBase, d: odyssey_kb::DiseaseIdx) -> Vec<VarMode> {
    let mut out = Vec::new();
    for m in kb.modes_of_inheritance(d) {
        match m {
            KbMode::AutosomalDominant => out.push(VarMode::AutosomalDominant),
            KbMode::AutosomalRecessive => out.push(VarMode::AutosomalRecessive),
            KbMode::XLinkedDominant => out.push(VarMode::XLinkedDominant),
            KbMode::XLinkedRecessive => out.push(VarMode::XLinkedRecessive),
            KbMode::XLinked => out.extend([VarMode::XLinkedRecessive, VarMode::XLinkedDominant]),
            KbMode::Mitochondrial => out.push(VarMode::Mitochondrial),
            KbMode::YLinked => out.push(VarMode::YLinked),
            KbMode::Other => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The report's view of a structural event (see `VariantResult::structural`).
fn structural_info(s: &odyssey_variant::structural::StructuralCall) -> StructuralInfo {
    StructuralInfo {
        svtype: s.event.svtype.as_str().to_string(),
        class: s.event.class.as_str().to_string(),
        start: s.event.start,
        end: s.event.end,
        length: s.event.length,
        summary: s.summary.clone(),
        effect: s.gene_effect.description.clone(),
        copy_numbers: if s.copy_numbers.iter().any(Option::is_some) {
            s.copy_numbers.clone()
        } else {
            Vec::new()
        },
        evidence: s.evidence.lines(),
    }
}

/// A variant as reported; `individuals` (VCF sample id → pedigree id) names each genotype's
/// person when the pedigree's id differs from the sample's.
fn variant_result(v: &VariantCall, individuals: &HashMap<String, String>) -> VariantResult {
    let structural = v.structural.as_ref().map(structural_info);
    VariantResult {
        chrom: v.chrom.clone(),
        pos: v.pos,
        reference: v.reference.clone(),
        alt: v.alt.clone(),
        gene: v.gene.clone(),
        transcript: v.transcript.clone(),
        consequence: v.consequence.as_str().to_string(),
        hgvs_c: match &structural {
            Some(s) => Some(format!("{}: {}", s.summary, s.effect)),
            None => v.hgvs_c.clone(),
        },
        hgvs_p: v.hgvs_p.clone(),
        genotypes: v
            .genotypes
            .iter()
            .map(|g| SampleGenotype {
                sample: g.sample.clone(),
                individual: individuals.get(&g.sample).cloned(),
                genotype: g.gt.clone(),
                gq: g.gq.map(|q| q.round() as u32),
                dp: g.dp,
                ad: g.ad.map(|a| a.to_vec()).unwrap_or_default(),
            })
            .collect(),
        allele_frequency: v.af.map(f64::from),
        frequency_source: v.af_source.clone(),
        clinvar: v.clinvar.as_ref().map(|c| ClinVarAssertion {
            significance: format!("{:?}", c.significance),
            stars: c.stars,
            id: None,
        }),
        scores: v
            .scores
            .iter()
            .map(|(k, x)| (k.clone(), f64::from(*x)))
            .collect(),
        pathogenicity: f64::from(v.score.score),
        modes_of_inheritance: v
            .compatible_modes
            .iter()
            .map(|p| p.label().to_string())
            .collect(),
        filter: v.filter_status.clone(),
        structural,
        heteroplasmy: v.heteroplasmy.map(f64::from),
    }
}

/// A disease-gene hypothesis of the combined ranking.
#[derive(Clone, Debug)]
pub struct Pair {
    /// Position of the disease in the phenotype index.
    pub pos: usize,
    /// Gene (knowledge-base index).
    pub gene: u32,
    /// Combined natural-log LR: τ × phenotype + genotype.
    pub ln_lr: f64,
    /// Natural-log genotype LR.
    pub ln_geno: f64,
}

/// The combined ranking of a case (see the module docs).
#[derive(Clone, Debug)]
pub struct CombinedRanking {
    /// Every disease-gene hypothesis.
    pub pairs: Vec<Pair>,
    /// (disease position, pessimistic rank, tie size), best first.
    pub diseases: Vec<(usize, usize, usize)>,
    /// (gene, pessimistic rank, tie size), best first.
    pub genes: Vec<(u32, usize, usize)>,
    /// Per disease position: Σ exp(ln LR − scale) over its genes.
    pub disease_sum: BTreeMap<usize, f64>,
    /// Per gene: (Σ exp(ln LR − scale) over its diseases, index of its best pair).
    pub gene_sum: BTreeMap<u32, (f64, usize)>,
    /// The scale (max ln LR, at least 0) the sums are relative to.
    pub scale: f64,
    /// The case's temperature T of the post-test probabilities
    /// (`ScorerOptions::combined_case_temperature`).
    pub temperature: f64,
    /// Per disease position: its post-test probability, Σ over its genes of
    /// LR^T / (Σ LR^T + N p_u / (1 − p_u)).
    pub disease_probability: BTreeMap<usize, f64>,
    /// Per gene: its post-test probability, the same sum over its diseases.
    pub gene_probability: BTreeMap<u32, f64>,
}

/// Combines per-disease phenotype scores (natural-log LRs in `scorer.index()` order, e.g.
/// from `PhenotypeScorer::scores` or after leave-publication-out) of a case with `observed`
/// observed terms (which set the temperature of the post-test probabilities) with the
/// genotype analysis. With a gene panel, only the panel's genes are ranked.
pub fn combined_ranking(
    k: &KnowledgeBase,
    scorer: &PhenotypeScorer,
    pheno: &[f64],
    observed: usize,
    g: &GenotypeAnalysis,
) -> CombinedRanking {
    let tau = scorer.options().evidence_weight;
    let mut pairs = Vec::new();
    for (pos, &d) in scorer.index().diseases().iter().enumerate() {
        let genes = &k.disease(d).genes;
        if genes.is_empty() || !pheno[pos].is_finite() {
            continue;
        }
        let modes = modes_of(k, d);
        for &gi in genes {
            // a gene panel restricts the candidates, not only the variants
            if let Some(panel) = &g.filter_config.gene_panel {
                if !panel.contains(&k.gene(gi).symbol) {
                    continue;
                }
            }
            let geno = g.best_genotype_lr(&k.gene(gi).symbol, &modes);
            let ln_geno = geno.lr.max(1e-300).ln();
            pairs.push(Pair {
                pos,
                gene: gi,
                ln_lr: tau * pheno[pos] + ln_geno,
                ln_geno,
            });
        }
    }
    let max = pairs.iter().map(|p| p.ln_lr).fold(0.0f64, f64::max);
    let mut disease_sum: BTreeMap<usize, f64> = Default::default();
    let mut gene_sum: BTreeMap<u32, (f64, usize)> = Default::default();
    for (i, p) in pairs.iter().enumerate() {
        let x = (p.ln_lr - max).exp();
        *disease_sum.entry(p.pos).or_default() += x;
        let e = gene_sum.entry(p.gene).or_insert((0.0, i));
        e.0 += x;
        if p.ln_lr > pairs[e.1].ln_lr {
            e.1 = i;
        }
    }
    let temperature = scorer.options().combined_case_temperature(observed);
    let p_unknown = scorer.options().pretest_unknown;
    let disease_probability = tempered(
        disease_sum.iter().map(|(&pos, &x)| (pos, x.ln() + max)),
        temperature,
        p_unknown,
    );
    let gene_probability = tempered(
        gene_sum.iter().map(|(&gi, &(x, _))| (gi, x.ln() + max)),
        temperature,
        p_unknown,
    );
    // rank on log10 scores (as reported), ties within the shared tolerance
    let ln10 = std::f64::consts::LN_10;
    let to_log10 = |x: f64| (x.ln() + max) / ln10;
    let dis_items: Vec<(usize, f64)> = disease_sum
        .iter()
        .map(|(&pos, &x)| (pos, to_log10(x)))
        .collect();
    let gene_items: Vec<(u32, f64)> = gene_sum
        .iter()
        .map(|(&gi, &(x, _))| (gi, to_log10(x)))
        .collect();
    CombinedRanking {
        diseases: rank_by_score(&dis_items),
        genes: rank_by_score(&gene_items),
        pairs,
        disease_sum,
        gene_sum,
        scale: max,
        temperature,
        disease_probability,
        gene_probability,
    }
}

/// Post-test probabilities of the ranked items (genes, or diseases) from their natural-log
/// scores s (the log of the sum of their pairs' combined LRs, as ranked) at temperature `t`,
/// with a pretest probability `p_unknown` that the diagnosis is none of them: an item's is
/// e^(t s) / (Σ_items e^(t s) + N p_u / (1 − p_u)), N the number of items (computed relative
/// to the largest t s, at least 0, against overflow). Temperature scaling of the items' logits
/// (Guo et al., ICML 2017): the probabilities are in the order of the scores, so the most
/// probable gene is the top-ranked one.
fn tempered<K: Ord + Copy>(
    items: impl Iterator<Item = (K, f64)> + Clone,
    t: f64,
    p_unknown: f64,
) -> BTreeMap<K, f64> {
    let m = items.clone().map(|(_, s)| t * s).fold(0.0f64, f64::max);
    let n = items.clone().count() as f64;
    let unknown = if p_unknown > 0.0 {
        n * p_unknown / (1.0 - p_unknown)
    } else {
        0.0
    };
    let den = items.clone().map(|(_, s)| (t * s - m).exp()).sum::<f64>() + unknown * (-m).exp();
    items.map(|(k, s)| (k, (t * s - m).exp() / den)).collect()
}

/// Ranks genes and diseases from phenotype and genotype together (see the module docs) and
/// builds the report in steps: phenotype scores → combined ranking → top diseases → top genes
/// with their variants → provenance (assembly, filters, scoring, sources) → case with family →
/// filter summary → warnings.
pub fn combined_report(
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    case: &Case,
    g: &GenotypeAnalysis,
    individuals: &HashMap<String, String>,
    opts: &ReportOptions,
) -> AnalysisReport {
    let k = &kb.kb;
    let mut pheno = Vec::new();
    scorer.scores_with(
        case,
        Method::LikelihoodRatio,
        &mut Scratch::default(),
        &mut pheno,
    );
    scorer.merge_equivalents(&mut pheno);
    let cr = combined_ranking(k, scorer, &pheno, case.observed.len(), g);
    let diseases = top_diseases(scorer, case, &cr, opts.top);
    let genes = top_genes(scorer, g, &cr, &pheno, opts.top, individuals);
    let mut summary = case_summary(k, case);
    summary.family_id = Some(g.family_id.clone());
    summary.family = family_members(g, individuals);
    AnalysisReport {
        odyssey: combined_provenance(kb, scorer, g, opts),
        case: summary,
        diseases,
        disease_labels: disease_labels(k, &genes),
        filters: Some(filter_summary(g)),
        warnings: combined_warnings(k, case, g)
            .into_iter()
            .chain(unreported_variants(k, g, &cr, &genes, opts.top))
            .collect(),
        genes,
    }
}

/// A warning listing the variants that passed the filters in genes the report does not list
/// (ranked below the top `top`, or not ranked: linked to no disease or outside a gene panel),
/// so that every passing variant appears in every output; `None` when every one is listed.
fn unreported_variants(
    k: &KnowledgeBase,
    g: &GenotypeAnalysis,
    cr: &CombinedRanking,
    shown: &[GeneResult],
    top: usize,
) -> Option<String> {
    let shown: std::collections::HashSet<&str> = shown.iter().map(|r| r.symbol.as_str()).collect();
    let rank: HashMap<u32, usize> = cr.genes.iter().map(|&(gi, r, _)| (gi, r)).collect();
    let mut n = 0;
    let mut items = Vec::new();
    for e in g
        .genes
        .iter()
        .filter(|e| !shown.contains(e.symbol.as_str()))
    {
        if e.variants.is_empty() {
            continue;
        }
        n += e.variants.len();
        let place = match k.gene_by_symbol(&e.symbol).and_then(|gi| rank.get(&gi)) {
            Some(r) => format!("gene rank {r}"),
            None => "gene not ranked".to_string(),
        };
        let vs: Vec<String> = e
            .variants
            .iter()
            .map(|v| format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alt))
            .collect();
        items.push(format!("{} {} ({place})", e.symbol, vs.join(", ")));
    }
    if n == 0 {
        return None;
    }
    let shown_items = items.len().min(20);
    Some(format!(
        "{n} variant(s) that passed the filters are in genes not listed in the top {top}: {}{} (raise --top, or --explain GENE)",
        items[..shown_items].join("; "),
        if items.len() > shown_items {
            format!("; ... ({} genes)", items.len())
        } else {
            String::new()
        }
    ))
}

impl CombinedRanking {
    /// A sum of the ranking (relative to [`CombinedRanking::scale`]) as a log10 score.
    fn log10(&self, x: f64) -> f64 {
        (x.ln() + self.scale) / std::f64::consts::LN_10
    }
}

/// The top `top` diseases, with their phenotype evidence.
fn top_diseases(
    scorer: &PhenotypeScorer,
    case: &Case,
    cr: &CombinedRanking,
    top: usize,
) -> Vec<DiseaseResult> {
    disease_results_with(
        scorer,
        case,
        cr.diseases.iter().take(top).map(|&(pos, rank, tie)| {
            (
                scorer.index().diseases()[pos],
                rank,
                tie,
                cr.log10(cr.disease_sum[&pos]),
                Some(cr.disease_probability[&pos]),
            )
        }),
    )
}

/// The top `top` genes: each with its diseases in disease-rank order, the phenotype and
/// genotype scores of its best pair, its compatible modes and its variants.
fn top_genes(
    scorer: &PhenotypeScorer,
    g: &GenotypeAnalysis,
    cr: &CombinedRanking,
    pheno: &[f64],
    top: usize,
    individuals: &HashMap<String, String>,
) -> Vec<GeneResult> {
    let k = scorer.kb();
    let tau = scorer.options().evidence_weight;
    let ln10 = std::f64::consts::LN_10;
    let mut disease_rank = HashMap::new();
    for (i, &(pos, _, _)) in cr.diseases.iter().enumerate() {
        disease_rank.insert(scorer.index().diseases()[pos], i);
    }
    cr.genes
        .iter()
        .take(top)
        .map(|&(gi, rank, tie)| {
            let (x, best) = cr.gene_sum[&gi];
            let best = &cr.pairs[best];
            let gene = k.gene(gi);
            let mut ds: Vec<_> = gene
                .diseases
                .iter()
                .filter_map(|d| disease_rank.get(d).map(|&r| (r, *d)))
                .collect();
            ds.sort_unstable();
            let evidence = g.gene(&gene.symbol);
            let fits: Vec<String> = evidence
                .map(|e| {
                    e.modes_of_inheritance
                        .iter()
                        .filter(|m| m.compatible)
                        .map(|m| m.mode.short().to_string())
                        .collect()
                })
                .unwrap_or_default();
            let variants: Vec<VariantResult> = evidence
                .map(|e| {
                    e.variants
                        .iter()
                        .map(|v| variant_result(v, individuals))
                        .collect()
                })
                .unwrap_or_default();
            GeneResult {
                rank,
                tie_size: tie,
                symbol: gene.symbol.clone(),
                ncbi_gene_id: gene.id.to_string(),
                score: cr.log10(x),
                post_test_probability: Some(cr.gene_probability[&gi]),
                disease_modes: disease_modes(k, ds.iter().map(|&(_, d)| d)),
                diseases: ds
                    .into_iter()
                    .map(|(_, d)| k.disease(d).id.to_string())
                    .collect(),
                phenotype_score: Some(tau * pheno[best.pos] / ln10),
                genotype_score: Some(best.ln_geno / ln10),
                modes_of_inheritance: fits.clone(),
                genotype_fits: fits,
                evidence: Some(
                    if variants.is_empty() {
                        "phenotype_only"
                    } else {
                        "variants"
                    }
                    .into(),
                ),
                variants,
            }
        })
        .collect()
}

/// Provenance with the variant analysis' parameters (assembly, filters, genotype scoring)
/// and sources (gene annotation first).
fn combined_provenance(
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    g: &GenotypeAnalysis,
    opts: &ReportOptions,
) -> Provenance {
    let mut prov = provenance(kb, scorer, Method::LikelihoodRatio, opts);
    if let Some(obj) = prov.parameters.as_object_mut() {
        obj.insert(
            "assembly".into(),
            serde_json::Value::String(g.assembly.to_string()),
        );
        obj.insert(
            "filters".into(),
            serde_json::to_value(&g.filter_config).unwrap_or_default(),
        );
        obj.insert(
            "genotype_scoring".into(),
            serde_json::to_value(&g.scoring).unwrap_or_default(),
        );
    }
    prov.sources = std::iter::once(SourceInfo {
        name: "gene annotation".into(),
        role: "annotation".into(),
        version: g.annotation.clone(),
        path: None,
    })
    .chain(g.sources.iter().map(|s| SourceInfo {
        name: s.name.clone(),
        role: format!("{:?}", s.role).to_lowercase(),
        version: s.access.clone(),
        path: s.paths.first().map(|p| p.display().to_string()),
    }))
    .chain(g.structural_sources.iter().map(|s| SourceInfo {
        name: s.name.clone(),
        role: format!("structural {:?}", s.kind).to_lowercase(),
        version: format!("memory ({} records)", s.records),
        path: s.paths.first().map(|p| p.display().to_string()),
    }))
    .collect();
    prov
}

/// The family as analysed, members named by individual id (sample ids mapped back).
fn family_members(
    g: &GenotypeAnalysis,
    individuals: &HashMap<String, String>,
) -> Vec<FamilyMember> {
    let ind = |s: &String| individuals.get(s).cloned().unwrap_or_else(|| s.clone());
    g.family
        .iter()
        .map(|m| FamilyMember {
            id: ind(&m.id),
            sample: m.sequenced.then(|| m.id.clone()),
            sex: format!("{:?}", m.sex).to_lowercase(),
            status: format!("{:?}", m.affection).to_lowercase(),
            father: m.father.as_ref().map(ind),
            mother: m.mother.as_ref().map(ind),
            proband: m.proband,
        })
        .collect()
}

/// Counts per filter (most removals first, then by name) and the removed variants listed.
fn filter_summary(g: &GenotypeAnalysis) -> FilterSummary {
    let mut removed: Vec<FilterCount> = g
        .filters
        .removed
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(r, &n)| FilterCount {
            reason: r.to_string(),
            count: n,
        })
        .collect();
    removed.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    FilterSummary {
        records: g.filters.records,
        variants: g.filters.alleles,
        passed: g.filters.passed,
        removed,
        filtered_variants: g
            .removed
            .iter()
            .map(|r| FilteredVariant {
                variant: r.variant.clone(),
                gene: (!r.genes.is_empty()).then(|| r.genes.join(",")),
                reason: if r.detail.is_empty() {
                    r.reason.to_string()
                } else {
                    format!("{}: {}", r.reason, r.detail)
                },
            })
            .collect(),
    }
}

/// The case's warnings, gene-panel symbols the knowledge base does not know, then the
/// variant analysis' own warnings.
fn combined_warnings(k: &KnowledgeBase, case: &Case, g: &GenotypeAnalysis) -> Vec<String> {
    let mut warnings = case_warnings(k, case);
    if let Some(panel) = &g.filter_config.gene_panel {
        warnings.push(format!(
            "gene panel ({} genes): only the panel's genes are ranked, so the post-test probabilities are conditional on the diagnosis being in one of them",
            panel.len()
        ));
        let unknown: Vec<&str> = panel
            .iter()
            .filter(|s| k.gene_by_symbol(s).is_none())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            warnings.push(format!(
                "gene panel symbols not linked to any disease in the knowledge base (check the spelling; they cannot be ranked): {}",
                unknown.join(", ")
            ));
        }
    }
    warnings.extend(g.warnings.iter().cloned());
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: scores ln 16, ln 4, 0 at temperature 1/2 give 4, 2, 1; with p_u = 1/2 the
    /// unknown mass is N = 3, so the denominator is 4 + 2 + 1 + 3 = 10.
    #[test]
    fn tempered_probabilities_by_hand() {
        let items = [(7u32, 16f64.ln()), (8, 4f64.ln()), (9, 0.0)];
        let p = tempered(items.iter().copied(), 0.5, 0.5);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            close(p[&7], 0.4) && close(p[&8], 0.2) && close(p[&9], 0.1),
            "{p:?}"
        );
        // a closed world (p_u = 0): 4/7, 2/7, 1/7
        let p = tempered(items.iter().copied(), 0.5, 0.0);
        assert!(close(p[&7], 4.0 / 7.0) && close(p[&9], 1.0 / 7.0), "{p:?}");
    }

    /// Scores of 1000 do not overflow: e^1000 against e^1000 / 3 is 3/4 against 1/4.
    #[test]
    fn huge_likelihood_ratios_do_not_overflow() {
        let items = [(1u32, 1000.0), (2, 1000.0 - 3f64.ln())];
        let p = tempered(items.iter().copied(), 1.0, 0.0);
        assert!((p[&1] - 0.75).abs() < 1e-12 && (p[&2] - 0.25).abs() < 1e-12);
    }
}
