//! Leave-one-out evaluation on a set of MME patients (e.g. the MME benchmark set,
//! `testing/benchmark_patients.json` of the specification): each patient that shares a gene
//! with at least one other (its gene partners) queries the others; we record the rank of its
//! best-ranked partner. Ties count at the worst rank of their group, so a score that cannot
//! separate partners from others gets no credit for input order.

use odyssey_kb::KnowledgeBase;
use serde::Serialize;

use crate::genes::GeneResolver;
use crate::matching::{score_profiles, MatchOptions};
use crate::model::Patient;
use crate::profile::PatientProfile;

/// The outcome for one query patient.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerRank {
    /// Query patient id.
    pub query: String,
    /// Number of other patients sharing one of its genes.
    pub partners: usize,
    /// Rank of the best-ranked partner among the other patients (1-based, worst rank of a
    /// tie group).
    pub best_rank: usize,
    /// Number of candidates.
    pub candidates: usize,
    /// Average precision over all partners: the mean, over partners, of the fraction of
    /// partners among the candidates ranked at or above it (ranks as above).
    pub average_precision: f64,
}

/// Summary over query patients.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Query patients (those with at least one partner).
    pub queries: usize,
    /// Fraction with a partner at rank 1.
    pub top1: f64,
    /// Fraction with a partner within the first 5.
    pub top5: f64,
    /// Mean reciprocal rank of the best-ranked partner.
    pub mrr: f64,
    /// Mean average precision over all partners.
    pub map: f64,
    /// Fraction with a partner within the first 10.
    pub top10: f64,
}

/// Ranks of each patient's best partner when it queries all the others with `options`
/// (`max_results`/`min_score` are ignored: every candidate is ranked).
pub fn partner_ranks(
    patients: &[Patient],
    kb: &KnowledgeBase,
    genes: &GeneResolver,
    options: &MatchOptions,
) -> Vec<PartnerRank> {
    let profiles: Vec<PatientProfile> = patients
        .iter()
        .map(|p| PatientProfile::new(p, kb, genes))
        .collect();
    let ids: Vec<&str> = patients.iter().map(|p| p.id.as_str()).collect();
    (0..patients.len())
        .filter_map(|q| rank_partners(kb, options, &profiles, &ids, q, &|c| c != q))
        .collect()
}

/// The rank of query `query`'s best partner among the candidates `c` with `eligible(c)`
/// (the query itself must be excluded by `eligible`); partners are candidates naming one of
/// its genes. `None` when no eligible candidate is a partner.
pub fn rank_partners(
    kb: &KnowledgeBase,
    options: &MatchOptions,
    profiles: &[PatientProfile],
    ids: &[&str],
    query: usize,
    eligible: &dyn Fn(usize) -> bool,
) -> Option<PartnerRank> {
    let options = MatchOptions {
        min_score: f64::NEG_INFINITY,
        max_results: usize::MAX,
        ..options.clone()
    };
    let q = &profiles[query];
    let others: Vec<usize> = (0..profiles.len()).filter(|&i| eligible(i)).collect();
    let is_partner = |i: usize| {
        profiles[i]
            .genes
            .iter()
            .any(|g| q.genes.iter().any(|h| h.gene == g.gene))
    };
    let partners = others.iter().filter(|&&i| is_partner(i)).count();
    if partners == 0 {
        return None;
    }
    let cands: Vec<PatientProfile> = others.iter().map(|&i| profiles[i].clone()).collect();
    let cand_ids: Vec<&str> = others.iter().map(|&i| ids[i]).collect();
    let ranked = score_profiles(kb, &options, q, &cands, &cand_ids);
    let partner_ranks: Vec<usize> = ranked
        .iter()
        .filter(|m| is_partner(others[m.candidate]))
        .map(|m| m.rank)
        .collect();
    let best_rank = partner_ranks.iter().copied().min().unwrap_or(others.len());
    let average_precision = partner_ranks
        .iter()
        .map(|&r| partner_ranks.iter().filter(|&&x| x <= r).count() as f64 / r as f64)
        .sum::<f64>()
        / partners as f64;
    Some(PartnerRank {
        query: ids[query].to_string(),
        partners,
        best_rank,
        candidates: others.len(),
        average_precision,
    })
}

/// Top-1, top-5 and mean reciprocal rank of the best partner.
pub fn summarise(ranks: &[PartnerRank]) -> Summary {
    let n = ranks.len();
    let frac = |k: usize| {
        if n == 0 {
            0.0
        } else {
            ranks.iter().filter(|r| r.best_rank <= k).count() as f64 / n as f64
        }
    };
    Summary {
        queries: n,
        top1: frac(1),
        top5: frac(5),
        top10: frac(10),
        mrr: mean(ranks, |r| 1.0 / r.best_rank as f64),
        map: mean(ranks, |r| r.average_precision),
    }
}

fn mean(ranks: &[PartnerRank], f: impl Fn(&PartnerRank) -> f64) -> f64 {
    if ranks.is_empty() {
        0.0
    } else {
        ranks.iter().map(f).sum::<f64>() / ranks.len() as f64
    }
}
