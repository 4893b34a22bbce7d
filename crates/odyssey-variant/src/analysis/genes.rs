//! Grouping of passing alleles by gene, pattern checks per allele and pair, and the genotype
//! likelihood ratio per mode.

use std::collections::{BTreeMap, BTreeSet};

use super::report::{GeneGenotypeEvidence, MemberGenotype, ModeEvidence, VariantCall};
use super::{AnalysisConfig, Candidate};
use crate::genotype::Genotype;
use crate::inheritance::{
    AlleleFacts, ChromClass, ModeOfInheritance, Pattern, PatternCheck, Segregation,
};
use crate::pedigree::Family;
use crate::score::{
    call_confidence, mitochondrial_score, poisson_lr, variant_score, CallConfidence, ScoringConfig,
    VariantScore,
};

/// The evidence factors of the chosen genotype, as ` × de novo 18.7 × ClinVar P/LP 18.7`.
fn evidence_factor_text(
    p: Pattern,
    vs: &[usize],
    clinvar_plp: &[bool],
    in_trans: bool,
    sc: &ScoringConfig,
) -> String {
    let mut t = String::new();
    if p == Pattern::DeNovo {
        t.push_str(&format!(" × de novo {}", sc.de_novo_factor));
    }
    if in_trans {
        t.push_str(&format!(" × confirmed in trans {}", sc.in_trans_factor));
    }
    for &v in vs {
        if clinvar_plp[v] {
            t.push_str(&format!(" × ClinVar P/LP {}", sc.clinvar_factor));
        }
    }
    t
}

fn member_genotypes(family: &Family, gts: &[Genotype]) -> Vec<MemberGenotype> {
    family
        .members
        .iter()
        .zip(gts)
        .map(|(m, g)| MemberGenotype {
            sample: m.id.clone(),
            gt: g.gt.clone(),
            alt_copies: g.alt_copies,
            dp: g.dp,
            gq: g.gq,
            ad: match (g.ad_ref, g.ad_alt) {
                (Some(r), Some(a)) => Some([r, a]),
                _ => None,
            },
            phase: g.phase,
            sequenced: m.sample.is_some(),
        })
        .collect()
}

/// Groups passing alleles by gene and evaluates patterns and likelihood ratios.
pub(super) fn build_genes(
    family: &Family,
    cfg: &AnalysisConfig,
    candidates: &[Candidate],
) -> Vec<GeneGenotypeEvidence> {
    let seg = Segregation::new(family, &cfg.filters);
    let mut by_gene: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (ci, c) in candidates.iter().enumerate() {
        for (gi, g) in c.genes.iter().enumerate() {
            by_gene
                .entry(g.gene_symbol.as_str())
                .or_default()
                .push((ci, gi));
        }
    }
    let af_max = cfg.filters.max_af.highest();
    let mut out = Vec::new();
    for (symbol, members) in by_gene {
        let mut members = members;
        members.sort_by(|a, b| candidates[a.0].key.cmp(&candidates[b.0].key));
        let facts: Vec<AlleleFacts> = members
            .iter()
            .map(|&(ci, _)| {
                let c = &candidates[ci];
                let af = match (c.ann.max_af, c.ann.local_af) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                AlleleFacts {
                    class: c.class,
                    genotypes: &c.genotypes,
                    af,
                    nhomalt: c.ann.max_nhomalt,
                    hemizygotes: c.ann.max_hemizygotes,
                }
            })
            .collect();
        let scores: Vec<VariantScore> = members
            .iter()
            .map(|&(ci, gi)| {
                let consequence = candidates[ci].genes[gi].consequence;
                let s = variant_score(consequence, &candidates[ci].ann, af_max);
                if candidates[ci].class == ChromClass::Mitochondrial {
                    mitochondrial_score(consequence, s)
                } else {
                    s
                }
            })
            .collect();
        let singles: Vec<Vec<PatternCheck>> = facts.iter().map(|f| seg.single(f)).collect();
        let comp: Vec<Result<Pattern, String>> =
            facts.iter().map(|f| seg.comp_het_candidate(f)).collect();
        // the proband's call confidence per allele, and the weighted allele counts
        let confidence: Vec<CallConfidence> = members
            .iter()
            .map(|&(ci, _)| {
                let c = &candidates[ci];
                call_confidence(
                    &c.genotypes[family.proband],
                    c.qual,
                    c.class == ChromClass::Mitochondrial,
                )
            })
            .collect();
        let weighted: Vec<f64> = scores
            .iter()
            .zip(&confidence)
            .map(|(s, c)| f64::from(s.score) * f64::from(c.weight))
            .collect();
        let clinvar_plp: Vec<bool> = members
            .iter()
            .map(|&(ci, _)| {
                candidates[ci].ann.clinvar.as_ref().is_some_and(|c| {
                    c.significance.is_pathogenic_or_likely()
                        && c.stars >= cfg.filters.clinvar_rescue_min_stars.max(1)
                })
            })
            .collect();
        let qualifying: Vec<&AlleleFacts> = (0..facts.len())
            .filter(|&i| comp[i].is_ok())
            .map(|i| &facts[i])
            .collect();
        let two = seg.members_with_two(&qualifying, false);
        let two_trans = seg.members_with_two(&qualifying, true);
        // compound heterozygous pairs among candidates, best-scoring first, at most 200
        let mut cands: Vec<usize> = (0..members.len()).filter(|&i| comp[i].is_ok()).collect();
        cands.sort_by(|&a, &b| scores[b].score.total_cmp(&scores[a].score).then(a.cmp(&b)));
        cands.truncate(200);
        let mut pairs: Vec<(usize, usize, PatternCheck)> = Vec::new();
        let mut in_trans: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (x, &i) in cands.iter().enumerate() {
            for &j in &cands[x + 1..] {
                let (pi, pj) = (comp[i].as_ref().unwrap(), comp[j].as_ref().unwrap());
                // never a pair of an allele with itself (a record written twice)
                if pi != pj || candidates[members[i].0].key == candidates[members[j].0].key {
                    continue;
                }
                let (i, j) = (i.min(j), i.max(j));
                let (pc, trans) = seg.comp_het_pair(&facts[i], &facts[j], *pi, &two, &two_trans);
                if trans {
                    in_trans.insert((i, j));
                }
                pairs.push((i, j, pc));
            }
        }
        let proband_g = &candidates[members[0].0].genotypes[family.proband];
        let sex = seg.proband_sex(proband_g);
        // per-variant reports
        let mut variants: Vec<VariantCall> = Vec::new();
        for (vi, &(ci, gi)) in members.iter().enumerate() {
            let c = &candidates[ci];
            let g = &c.genes[gi];
            let mut compatible: Vec<Pattern> = singles[vi]
                .iter()
                .filter(|p| p.result.is_ok())
                .map(|p| p.pattern)
                .collect();
            let mut incompatible: Vec<String> = singles[vi]
                .iter()
                .filter_map(|p| {
                    p.result
                        .as_ref()
                        .err()
                        .map(|e| format!("{}: {e}", p.pattern.label()))
                })
                .collect();
            match &comp[vi] {
                Ok(p) => {
                    if pairs
                        .iter()
                        .any(|(i, j, pc)| (*i == vi || *j == vi) && pc.result.is_ok())
                    {
                        compatible.push(*p);
                    } else if let Some((_, _, pc)) =
                        pairs.iter().find(|(i, j, _)| *i == vi || *j == vi)
                    {
                        incompatible.push(format!(
                            "{}: {}",
                            p.label(),
                            pc.result.as_ref().unwrap_err()
                        ));
                    } else {
                        incompatible.push(format!(
                            "{}: no second heterozygous allele in the gene",
                            p.label()
                        ));
                    }
                }
                Err(e) if matches!(c.class, ChromClass::Autosomal | ChromClass::XNonPar) => {
                    let label = if c.class == ChromClass::Autosomal {
                        "AR_comp_het"
                    } else {
                        "XR_comp_het"
                    };
                    incompatible.push(format!("{label}: {e}"));
                }
                Err(_) => {}
            }
            variants.push(VariantCall {
                chrom: c.key.chrom.name().to_string(),
                pos: c.key.pos,
                reference: c.key.reference.clone(),
                alt: c.key.alternate.clone(),
                vcf_record: c.vcf_record.clone(),
                vcf_location: c.location.to_string(),
                gene: symbol.to_string(),
                consequence: g.consequence,
                transcript: g.transcript.clone(),
                hgvs_c: g.hgvs_c.clone(),
                hgvs_p: g.hgvs_p.clone(),
                genotypes: member_genotypes(family, &c.genotypes),
                heteroplasmy: if c.class == ChromClass::Mitochondrial {
                    c.genotypes[family.proband].allele_balance()
                } else {
                    None
                },
                call_confidence: confidence[vi].clone(),
                af: c.ann.max_af,
                af_source: c.ann.af_source.clone(),
                local_af: c.ann.local_af,
                nhomalt: c.ann.max_nhomalt,
                clinvar: c.ann.clinvar.clone(),
                scores: c.ann.scores.clone(),
                score: scores[vi].clone(),
                compatible_modes: compatible,
                incompatible_modes: incompatible,
                qual: c.qual,
                filter: c.filter.clone(),
                filter_status: "PASS".into(),
            });
        }
        // modes relevant to the gene's chromosome classes
        let classes: BTreeSet<u8> = members
            .iter()
            .map(|&(ci, _)| match candidates[ci].class {
                ChromClass::Autosomal => 0u8,
                ChromClass::XNonPar => 1,
                ChromClass::Mitochondrial => 2,
                ChromClass::YNonPar => 3,
            })
            .collect();
        let mut modes: Vec<ModeOfInheritance> = Vec::new();
        for c in classes {
            match c {
                0 => modes.extend([
                    ModeOfInheritance::AutosomalDominant,
                    ModeOfInheritance::AutosomalRecessive,
                ]),
                1 => modes.extend([
                    ModeOfInheritance::XLinkedDominant,
                    ModeOfInheritance::XLinkedRecessive,
                ]),
                2 => modes.push(ModeOfInheritance::Mitochondrial),
                _ => modes.push(ModeOfInheritance::YLinked),
            }
        }
        // a PAR gene on X can have alleles of both classes; XD/XR need the X alleles only
        let lb = cfg.scoring.background(symbol);
        let mut evidence: Vec<ModeEvidence> = Vec::new();
        for mode in modes {
            let ld = mode.expected_alleles(sex);
            // candidates: (variants, pattern, k, segregation, evidence factor)
            let mut opts: Vec<(Vec<usize>, Pattern, f64, f64, f64)> = Vec::new();
            for (vi, checks) in singles.iter().enumerate() {
                for pc in checks {
                    if pc.result.is_ok() && pc.pattern.supports(mode, facts[vi].class, sex) {
                        let k = weighted[vi] * pc.pattern.allele_multiplier(sex);
                        let mut ef = if pc.pattern == Pattern::DeNovo {
                            cfg.scoring.de_novo_factor
                        } else {
                            1.0
                        };
                        if clinvar_plp[vi] {
                            ef *= cfg.scoring.clinvar_factor;
                        }
                        opts.push((vec![vi], pc.pattern, k, pc.segregation_lr, ef));
                    }
                }
            }
            for (i, j, pc) in &pairs {
                if pc.result.is_ok() && pc.pattern.supports(mode, facts[*i].class, sex) {
                    let k = weighted[*i] + weighted[*j];
                    let mut ef = if in_trans.contains(&(*i, *j)) {
                        cfg.scoring.in_trans_factor
                    } else {
                        1.0
                    };
                    for v in [*i, *j] {
                        if clinvar_plp[v] {
                            ef *= cfg.scoring.clinvar_factor;
                        }
                    }
                    opts.push((vec![*i, *j], pc.pattern, k, pc.segregation_lr, ef));
                }
            }
            let mut best: Option<(f64, Vec<usize>, Pattern, f64, f64, f64)> = None;
            for (vs, p, k, seg_lr, dnf) in opts {
                let seg_lr = seg_lr.min(cfg.scoring.max_segregation_factor);
                let lr = poisson_lr(k, ld, lb) * seg_lr * dnf;
                let better = match &best {
                    None => true,
                    Some((blr, bvs, _, bk, _, _)) => {
                        lr > *blr || (lr == *blr && (k > *bk || (k == *bk && vs < *bvs)))
                    }
                };
                if better {
                    best = Some((lr, vs, p, k, seg_lr, dnf));
                }
            }
            let e = match best {
                Some((lr, vs, p, k, seg_lr, dnf)) => {
                    let names: Vec<String> = vs
                        .iter()
                        .map(|&v| {
                            let call = if confidence[v].weight < 1.0 {
                                format!(" × call {:.2}", confidence[v].weight)
                            } else {
                                String::new()
                            };
                            format!(
                                "{}:{} {}>{} (score {:.2}{call})",
                                variants[v].chrom,
                                variants[v].pos,
                                variants[v].reference,
                                variants[v].alt,
                                scores[v].score
                            )
                        })
                        .collect();
                    let mut expl = format!(
                        "{} via {}: {}; k = {k:.3}, Pois(k; λD={ld})/Pois(k; λB={lb}) = {:.3}",
                        mode.short(),
                        p.label(),
                        names.join(" + "),
                        poisson_lr(k, ld, lb)
                    );
                    if dnf != 1.0 {
                        expl.push_str(&evidence_factor_text(
                            p,
                            &vs,
                            &clinvar_plp,
                            in_trans.contains(&(vs[0], *vs.last().unwrap())) && vs.len() == 2,
                            &cfg.scoring,
                        ));
                    }
                    if seg_lr != 1.0 {
                        expl.push_str(&format!(" × co-segregation {seg_lr}"));
                    }
                    if dnf != 1.0 || seg_lr != 1.0 {
                        expl.push_str(&format!(" = {lr:.3}"));
                    }
                    ModeEvidence {
                        mode,
                        hpo_id: mode.hpo_id().into(),
                        compatible: true,
                        pattern: Some(p),
                        variants: vs,
                        lr,
                        log10_lr: lr.log10(),
                        observed: k,
                        lambda_disease: ld,
                        lambda_background: lb,
                        segregation_factor: seg_lr,
                        de_novo_factor: dnf,
                        explanation: expl,
                    }
                }
                None => {
                    let lr = poisson_lr(0.0, ld, lb);
                    ModeEvidence {
                        mode,
                        hpo_id: mode.hpo_id().into(),
                        compatible: false,
                        pattern: None,
                        variants: vec![],
                        lr,
                        log10_lr: lr.log10(),
                        observed: 0.0,
                        lambda_disease: ld,
                        lambda_background: lb,
                        segregation_factor: 1.0,
                        de_novo_factor: 1.0,
                        explanation: format!(
                            "{}: no allele fits; Pois(0; λD={ld})/Pois(0; λB={lb}) = {lr:.3}",
                            mode.short()
                        ),
                    }
                }
            };
            evidence.push(e);
        }
        evidence.sort_by(|a, b| b.lr.total_cmp(&a.lr).then(a.mode.cmp(&b.mode)));
        let best_mode = evidence.first().filter(|e| e.compatible).map(|e| e.mode);
        let best_lr = evidence.first().map_or(1.0, |e| e.lr);
        let ncbi = members
            .iter()
            .find_map(|&(ci, gi)| candidates[ci].genes[gi].ncbi_gene_id);
        out.push(GeneGenotypeEvidence {
            symbol: symbol.to_string(),
            ncbi_gene_id: ncbi,
            variants,
            modes_of_inheritance: evidence,
            best_mode,
            best_lr,
        });
    }
    out.sort_by(|a, b| {
        b.best_lr
            .total_cmp(&a.best_lr)
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    out
}
