//! Grouping of passing alleles by gene, pattern checks per allele and pair, and the genotype
//! likelihood ratio per mode.

use std::collections::{BTreeMap, BTreeSet};

use super::report::{GeneGenotypeEvidence, MemberGenotype, ModeEvidence, VariantCall};
use super::{AnalysisConfig, Candidate, SvCandidate};
use crate::annotation::GeneConsequence;
use crate::genotype::Genotype;
use crate::inheritance::{
    AlleleFacts, ChromClass, ModeOfInheritance, Pattern, PatternCheck, Segregation,
};
use crate::pedigree::{Family, Sex};
use crate::score::{
    call_confidence, mitochondrial_score, poisson_lr, variant_score, CallConfidence, ScoringConfig,
    VariantScore,
};
use crate::structural::{structural_score, StructuralCall, SvGeneDetail};

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

/// One gene's passing alleles (in genomic order) with what the pattern checks and the
/// likelihood ratio read per allele and per compound-heterozygous pair.
struct GeneAlleles<'a> {
    symbol: &'a str,
    /// `(candidate index, gene annotation index)` per allele.
    members: Vec<(usize, usize)>,
    facts: Vec<AlleleFacts<'a>>,
    scores: Vec<VariantScore>,
    /// Single-allele pattern checks per allele.
    singles: Vec<Vec<PatternCheck>>,
    /// The compound-heterozygous pattern an allele could take part in, or why not.
    comp: Vec<Result<Pattern, String>>,
    /// The proband's call confidence per allele.
    confidence: Vec<CallConfidence>,
    /// Variant score × call-confidence weight per allele.
    weighted: Vec<f64>,
    /// ClinVar P/LP at the configured review-status stars.
    clinvar_plp: Vec<bool>,
    /// Compound heterozygous pairs `(i, j, check)` with `i < j`.
    pairs: Vec<(usize, usize, PatternCheck)>,
    /// Pairs confirmed in trans.
    in_trans: BTreeSet<(usize, usize)>,
}

/// One way to explain a mode: (alleles, pattern, k, segregation factor, evidence factor).
type GenotypeOption = (Vec<usize>, Pattern, f64, f64, f64);

/// Groups passing alleles by gene and evaluates patterns and likelihood ratios.
pub(super) fn build_genes(
    family: &Family,
    cfg: &AnalysisConfig,
    candidates: &[Candidate],
) -> Vec<GeneGenotypeEvidence> {
    let seg = Segregation::new(family, &cfg.filters);
    let mut out: Vec<GeneGenotypeEvidence> = group_by_gene(candidates)
        .into_iter()
        .map(|(symbol, members)| {
            let alleles = gene_alleles(&seg, family, cfg, candidates, symbol, members);
            gene_evidence(&seg, family, cfg, candidates, &alleles)
        })
        .collect();
    out.sort_by(|a, b| {
        b.best_lr
            .total_cmp(&a.best_lr)
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    out
}

/// `(candidate index, gene annotation index)` per HGNC symbol.
fn group_by_gene(candidates: &[Candidate]) -> BTreeMap<&str, Vec<(usize, usize)>> {
    let mut by_gene: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (ci, c) in candidates.iter().enumerate() {
        for (gi, g) in c.genes.iter().enumerate() {
            by_gene
                .entry(g.gene_symbol.as_str())
                .or_default()
                .push((ci, gi));
        }
    }
    by_gene
}

/// Sorts a gene's alleles by position and computes per-allele facts, scores, pattern checks
/// and the compound heterozygous pairs.
fn gene_alleles<'a>(
    seg: &Segregation,
    family: &Family,
    cfg: &AnalysisConfig,
    candidates: &'a [Candidate],
    symbol: &'a str,
    mut members: Vec<(usize, usize)>,
) -> GeneAlleles<'a> {
    members.sort_by(|a, b| candidates[a.0].key.cmp(&candidates[b.0].key));
    let facts: Vec<AlleleFacts> = members
        .iter()
        .map(|&(ci, _)| allele_facts(&candidates[ci]))
        .collect();
    let af_max = cfg.filters.max_af.highest();
    let scores: Vec<VariantScore> = members
        .iter()
        .map(|&(ci, gi)| {
            let c = &candidates[ci];
            let consequence = c.genes[gi].consequence;
            if let Some(sv) = &c.sv {
                let gene = &c.genes[gi].gene_symbol;
                return structural_score(
                    consequence,
                    sv.event.class,
                    sv.details.get(gene),
                    sv.dosage.get(gene),
                    &sv.evidence,
                    &c.ann,
                    af_max,
                );
            }
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
    let (pairs, in_trans) = comp_het_pairs(seg, candidates, &members, &facts, &comp, &scores);
    GeneAlleles {
        symbol,
        members,
        facts,
        scores,
        singles,
        comp,
        confidence,
        weighted,
        clinvar_plp,
        pairs,
        in_trans,
    }
}

/// What the segregation checks read of one candidate; the AF is the higher of the population
/// and the in-house (local) AF.
fn allele_facts(c: &Candidate) -> AlleleFacts<'_> {
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
}

/// Compound heterozygous pairs among the gene's candidates (best-scoring first, at most 200
/// candidates), each checked, and the set of pairs confirmed in trans.
#[allow(clippy::type_complexity)]
fn comp_het_pairs(
    seg: &Segregation,
    candidates: &[Candidate],
    members: &[(usize, usize)],
    facts: &[AlleleFacts],
    comp: &[Result<Pattern, String>],
    scores: &[VariantScore],
) -> (Vec<(usize, usize, PatternCheck)>, BTreeSet<(usize, usize)>) {
    let qualifying: Vec<&AlleleFacts> = (0..facts.len())
        .filter(|&i| comp[i].is_ok())
        .map(|i| &facts[i])
        .collect();
    let two = seg.members_with_two(&qualifying, false);
    let two_trans = seg.members_with_two(&qualifying, true);
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
    (pairs, in_trans)
}

/// The gene's report: its variant calls, the evidence per relevant mode (highest likelihood
/// ratio first, ties by mode) and the best compatible mode.
fn gene_evidence(
    seg: &Segregation,
    family: &Family,
    cfg: &AnalysisConfig,
    candidates: &[Candidate],
    a: &GeneAlleles,
) -> GeneGenotypeEvidence {
    let proband_g = &candidates[a.members[0].0].genotypes[family.proband];
    let sex = seg.proband_sex(proband_g);
    let variants: Vec<VariantCall> = (0..a.members.len())
        .map(|vi| variant_call(family, candidates, a, vi))
        .collect();
    // a PAR gene on X can have alleles of both classes; XD/XR need the X alleles only
    let lb = cfg.scoring.background(a.symbol);
    let mut evidence: Vec<ModeEvidence> = relevant_modes(candidates, &a.members)
        .into_iter()
        .map(|mode| mode_evidence(a, &variants, mode, sex, lb, &cfg.scoring))
        .collect();
    evidence.sort_by(|x, y| y.lr.total_cmp(&x.lr).then(x.mode.cmp(&y.mode)));
    let best_mode = evidence.first().filter(|e| e.compatible).map(|e| e.mode);
    let best_lr = evidence.first().map_or(1.0, |e| e.lr);
    let ncbi = a
        .members
        .iter()
        .find_map(|&(ci, gi)| candidates[ci].genes[gi].ncbi_gene_id);
    GeneGenotypeEvidence {
        symbol: a.symbol.to_string(),
        ncbi_gene_id: ncbi,
        variants,
        modes_of_inheritance: evidence,
        best_mode,
        best_lr,
    }
}

/// The report of allele `vi` of the gene.
fn variant_call(
    family: &Family,
    candidates: &[Candidate],
    a: &GeneAlleles,
    vi: usize,
) -> VariantCall {
    let (ci, gi) = a.members[vi];
    let c = &candidates[ci];
    let g = &c.genes[gi];
    let (compatible, incompatible) = allele_modes(a, vi, c.class);
    VariantCall {
        chrom: c.key.chrom.name().to_string(),
        pos: c.key.pos,
        reference: c.key.reference.clone(),
        alt: c.key.alternate.clone(),
        vcf_record: c.vcf_record.clone(),
        vcf_location: c.location.to_string(),
        gene: a.symbol.to_string(),
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
        call_confidence: a.confidence[vi].clone(),
        af: c.ann.max_af,
        af_source: c.ann.af_source.clone(),
        local_af: c.ann.local_af,
        nhomalt: c.ann.max_nhomalt,
        clinvar: c.ann.clinvar.clone(),
        scores: c.ann.scores.clone(),
        score: a.scores[vi].clone(),
        compatible_modes: compatible,
        incompatible_modes: incompatible,
        qual: c.qual,
        filter: c.filter.clone(),
        filter_status: "PASS".into(),
        structural: c.sv.as_ref().map(|sv| structural_call(sv, g)),
    }
}

/// The structural facts of a candidate as reported under gene `g`.
fn structural_call(sv: &SvCandidate, g: &GeneConsequence) -> StructuralCall {
    let mut evidence = sv.evidence.clone();
    evidence.gene_dosage = sv.dosage.get(&g.gene_symbol).cloned();
    let gene_effect = sv
        .details
        .get(&g.gene_symbol)
        .cloned()
        .unwrap_or_else(|| SvGeneDetail {
            transcript: g.transcript.clone(),
            description: g.consequence.as_str().to_string(),
            ..SvGeneDetail::default()
        });
    StructuralCall {
        summary: sv.event.describe(),
        event: sv.event.clone(),
        copy_numbers: sv.copy_numbers.clone(),
        gene_effect,
        evidence,
    }
}

/// The patterns allele `vi` fits, and those it does not with the reason (`"label: reason"`),
/// the compound heterozygous pattern included.
fn allele_modes(a: &GeneAlleles, vi: usize, class: ChromClass) -> (Vec<Pattern>, Vec<String>) {
    let mut compatible: Vec<Pattern> = a.singles[vi]
        .iter()
        .filter(|p| p.result.is_ok())
        .map(|p| p.pattern)
        .collect();
    let mut incompatible: Vec<String> = a.singles[vi]
        .iter()
        .filter_map(|p| {
            p.result
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", p.pattern.label()))
        })
        .collect();
    match &a.comp[vi] {
        Ok(p) => {
            if a.pairs
                .iter()
                .any(|(i, j, pc)| (*i == vi || *j == vi) && pc.result.is_ok())
            {
                compatible.push(*p);
            } else if let Some((_, _, pc)) = a.pairs.iter().find(|(i, j, _)| *i == vi || *j == vi) {
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
        Err(e) if matches!(class, ChromClass::Autosomal | ChromClass::XNonPar) => {
            let label = if class == ChromClass::Autosomal {
                "AR_comp_het"
            } else {
                "XR_comp_het"
            };
            incompatible.push(format!("{label}: {e}"));
        }
        Err(_) => {}
    }
    (compatible, incompatible)
}

/// The modes relevant to the chromosome classes of the gene's alleles, in class order.
fn relevant_modes(candidates: &[Candidate], members: &[(usize, usize)]) -> Vec<ModeOfInheritance> {
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
    modes
}

/// The single alleles and pairs that fit `mode`, each with its weighted allele count k, its
/// segregation factor and its evidence factor (de novo, in trans, ClinVar P/LP).
fn genotype_options(
    a: &GeneAlleles,
    mode: ModeOfInheritance,
    sex: Sex,
    sc: &ScoringConfig,
) -> Vec<GenotypeOption> {
    let mut opts: Vec<GenotypeOption> = Vec::new();
    for (vi, checks) in a.singles.iter().enumerate() {
        for pc in checks {
            if pc.result.is_ok() && pc.pattern.supports(mode, a.facts[vi].class, sex) {
                let k = a.weighted[vi] * pc.pattern.allele_multiplier(sex);
                let mut ef = if pc.pattern == Pattern::DeNovo {
                    sc.de_novo_factor
                } else {
                    1.0
                };
                if a.clinvar_plp[vi] {
                    ef *= sc.clinvar_factor;
                }
                opts.push((vec![vi], pc.pattern, k, pc.segregation_lr, ef));
            }
        }
    }
    for (i, j, pc) in &a.pairs {
        if pc.result.is_ok() && pc.pattern.supports(mode, a.facts[*i].class, sex) {
            let k = a.weighted[*i] + a.weighted[*j];
            let mut ef = if a.in_trans.contains(&(*i, *j)) {
                sc.in_trans_factor
            } else {
                1.0
            };
            for v in [*i, *j] {
                if a.clinvar_plp[v] {
                    ef *= sc.clinvar_factor;
                }
            }
            opts.push((vec![*i, *j], pc.pattern, k, pc.segregation_lr, ef));
        }
    }
    opts
}

/// The option with the highest likelihood ratio (ties: higher k, then the lower allele
/// indices), as `(lr, alleles, pattern, k, capped segregation factor, evidence factor)`.
fn best_option(
    opts: Vec<GenotypeOption>,
    ld: f64,
    lb: f64,
    sc: &ScoringConfig,
) -> Option<(f64, Vec<usize>, Pattern, f64, f64, f64)> {
    let mut best: Option<(f64, Vec<usize>, Pattern, f64, f64, f64)> = None;
    for (vs, p, k, seg_lr, dnf) in opts {
        let seg_lr = seg_lr.min(sc.max_segregation_factor);
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
    best
}

/// The genotype likelihood ratio of the gene under `mode` (background rate `lb`), with the
/// explanation of its factors.
fn mode_evidence(
    a: &GeneAlleles,
    variants: &[VariantCall],
    mode: ModeOfInheritance,
    sex: Sex,
    lb: f64,
    sc: &ScoringConfig,
) -> ModeEvidence {
    let ld = mode.expected_alleles(sex);
    let Some((lr, vs, p, k, seg_lr, dnf)) =
        best_option(genotype_options(a, mode, sex, sc), ld, lb, sc)
    else {
        let lr = poisson_lr(0.0, ld, lb);
        return ModeEvidence {
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
        };
    };
    let names: Vec<String> = vs
        .iter()
        .map(|&v| {
            let call = if a.confidence[v].weight < 1.0 {
                format!(" × call {:.2}", a.confidence[v].weight)
            } else {
                String::new()
            };
            match &variants[v].structural {
                Some(s) => format!(
                    "{} [{}] (score {:.2}{call})",
                    s.summary, s.gene_effect.description, a.scores[v].score
                ),
                None => format!(
                    "{}:{} {}>{} (score {:.2}{call})",
                    variants[v].chrom,
                    variants[v].pos,
                    variants[v].reference,
                    variants[v].alt,
                    a.scores[v].score
                ),
            }
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
            &a.clinvar_plp,
            a.in_trans.contains(&(vs[0], *vs.last().unwrap())) && vs.len() == 2,
            sc,
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
