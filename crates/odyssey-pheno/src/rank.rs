//! Ranking with ties, post-test probabilities, and gene scores from disease scores.

use odyssey_kb::{DiseaseIdx, GeneIdx, KnowledgeBase};
use serde::Serialize;

/// Relative tolerance under which two scores are a tie.
pub const TIE_TOLERANCE: f64 = 1e-9;

fn tied(a: f64, b: f64) -> bool {
    if !a.is_finite() || !b.is_finite() {
        return a == b; // -inf ties only with -inf (the relative tolerance of infinity is infinite)
    }
    (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Orders items by descending score, ties kept in their given order (the caller passes them
/// in ascending id order), and gives each the pessimistic rank of its tie group: the 1-based
/// position of the group's last member. Returns (item, rank, tie group size) in rank order.
pub fn rank_by_score<T: Copy>(items: &[(T, f64)]) -> Vec<(T, usize, usize)> {
    // (score key, position) pairs sorted directly: descending score, then ascending
    // position, a total order, so the unstable sort gives the same result as a stable one.
    // The score enters as an integer key whose ascending order is the descending order of
    // `f64::total_cmp` (sign-magnitude bits mapped to an unsigned order, then inverted).
    let key = |x: f64| {
        let b = x.to_bits();
        !(if b >> 63 == 1 { !b } else { b | (1 << 63) })
    };
    let mut order: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, x)| (key(x.1), i))
        .collect();
    order.sort_unstable();
    let score = |k: usize| items[order[k].1].1;
    let mut out = Vec::with_capacity(items.len());
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && tied(score(start), score(end)) {
            end += 1;
        }
        for &(_, i) in &order[start..end] {
            out.push((items[i].0, end, end - start));
        }
        start = end;
    }
    out
}

/// A disease in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedDisease {
    /// Knowledge-base index.
    pub disease: DiseaseIdx,
    /// Pessimistic rank (ties share the worst rank of their group).
    pub rank: usize,
    /// Size of the tie group (1 when not tied).
    pub tie_size: usize,
    /// LR model: log10 of the composite likelihood ratio, weighted by the evidence weight
    /// τ of `ScorerOptions`; Resnik: BMA similarity (nats).
    pub score: f64,
    /// LR model only: post-test probability (see [`post_test_probabilities`]).
    pub post_test_probability: Option<f64>,
}

/// A gene in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedGene {
    /// Knowledge-base index.
    pub gene: GeneIdx,
    /// Pessimistic rank.
    pub rank: usize,
    /// Size of the tie group.
    pub tie_size: usize,
    /// LR model: log10 of the gene's likelihood ratio, the sum of its diseases' LRs
    /// (the gene is causal if any of its diseases is the diagnosis; diseases have equal
    /// prior); Resnik: the best similarity among its diseases.
    pub score: f64,
    /// LR model only: the sum of its diseases' post-test probabilities.
    pub post_test_probability: Option<f64>,
    /// Its best-ranked disease.
    pub best_disease: DiseaseIdx,
}

/// Post-test probabilities from natural-log likelihood ratios with an equal pretest
/// probability for every disease and a pretest probability `p_unknown` that the diagnosis is
/// none of them (whose LR is 1 by construction of the background):
/// P(D | findings) = LR_D / (Σ_D' LR_D' + N p_unknown / (1 - p_unknown)). Computed in log space.
pub fn post_test_probabilities(ln_lr: &[f64], p_unknown: f64) -> Vec<f64> {
    let (scaled, _, denom) = scaled_lrs(ln_lr, p_unknown);
    scaled.iter().map(|&x| x / denom).collect()
}

/// The shift m of the likelihood-ratio scale: the largest natural-log LR, at least 0 (0 for no
/// scores), so that exp(l − m) never overflows and the "none of them" term exp(−m) stays on the
/// same scale. Used by the product ranking and by the benchmark's fast ranking alike.
pub fn lr_scale_shift(ln_lr: &[f64]) -> f64 {
    ln_lr
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(0.0)
}

/// exp(l - m) for every l, m, and the post-test denominator in the same scale.
fn scaled_lrs(ln_lr: &[f64], p_unknown: f64) -> (Vec<f64>, f64, f64) {
    let n = ln_lr.len() as f64;
    let max = lr_scale_shift(ln_lr);
    let unknown = if p_unknown > 0.0 {
        n * p_unknown / (1.0 - p_unknown)
    } else {
        0.0
    };
    let scaled: Vec<f64> = ln_lr.iter().map(|&l| (l - max).exp()).collect();
    let denom = scaled.iter().sum::<f64>() + unknown * (-max).exp();
    (scaled, max, denom)
}

/// Builds disease and gene rankings from per-disease scores.
///
/// `scores[i]` belongs to `diseases[i]` (ascending disease index). `ln_lr` selects the LR
/// semantics (scores are natural-log LRs; output scores are log10; genes sum LRs) versus
/// similarity semantics (genes take the maximum). Post-test probabilities (LR semantics) use
/// the scores multiplied by the temperature `theta` and the pretest probability `p_unknown`
/// of "none of them" ([`post_test_probabilities`]); the order does not depend on either.
/// A gene's LR score is (1/ρ) ln Σ_d LR_d^ρ over its diseases (`rho` ρ ≥ 1: 1 the sum, large
/// values approach the best disease); its probability is always the sum of its diseases'.
pub(crate) fn build(
    kb: &KnowledgeBase,
    index: &crate::index::PhenoIndex,
    scores: &[f64],
    ln_lr: bool,
    (theta, p_unknown): (f64, f64),
    rho: f64,
) -> (Vec<RankedDisease>, Vec<RankedGene>) {
    // the shift of the LR scale (max ln LR, at least 0), as in `scaled_lrs`
    let max = if ln_lr { lr_scale_shift(scores) } else { 0.0 };
    // exp(l − max) per disease, needed for untempered probabilities or the plain gene sum
    let scaled = (ln_lr && (theta == 1.0 || rho == 1.0)).then(|| scaled_lrs(scores, p_unknown));
    // tempered probabilities, [`post_test_probabilities`] of θ·scores in one pass (for θ ≥ 0
    // the shift max(θ l, 0) is θ max)
    let tempered: Option<Vec<f64>> = (ln_lr && theta != 1.0).then(|| {
        let m = theta * max;
        let mut e: Vec<f64> = scores.iter().map(|&l| (theta * l - m).exp()).collect();
        let unknown = if p_unknown > 0.0 {
            scores.len() as f64 * p_unknown / (1.0 - p_unknown)
        } else {
            0.0
        };
        let denom = e.iter().sum::<f64>() + unknown * (-m).exp();
        e.iter_mut().for_each(|x| *x /= denom);
        e
    });
    let prob_of = |pos: usize| -> f64 {
        match (&tempered, &scaled) {
            (Some(t), _) => t[pos],
            (None, Some((x, _, denom))) => x[pos] / denom,
            (None, None) => 0.0,
        }
    };
    let items: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
    let ranked = rank_by_score(&items);
    let diseases = &index.diseases;
    let ln10 = std::f64::consts::LN_10;
    let mut dis_out = Vec::with_capacity(ranked.len());
    // the place of each disease in rank order (ties in ascending position)
    let mut place = vec![0u32; ranked.len()];
    for (k, &(pos, rank, tie)) in ranked.iter().enumerate() {
        place[pos] = k as u32;
        dis_out.push(RankedDisease {
            disease: diseases[pos],
            rank,
            tie_size: tie,
            score: if ln_lr {
                scores[pos] / ln10
            } else {
                scores[pos]
            },
            post_test_probability: ln_lr.then(|| prob_of(pos)),
        });
    }
    // genes: score accumulator, probability, and best disease (the one first in rank
    // order); diseases visited in position order, for memory locality
    let ng = kb.genes().len();
    let mut acc = vec![f64::NEG_INFINITY; ng];
    let mut prob = vec![0.0f64; ng];
    let mut best_place = vec![u32::MAX; ng];
    // exp(ρ (l − max)) per disease for a sharpened gene score (one exp per disease, not a
    // power per gene link)
    let sharpened: Option<Vec<f64>> =
        (ln_lr && rho != 1.0).then(|| scores.iter().map(|&l| (rho * (l - max)).exp()).collect());
    for pos in 0..scores.len() {
        let p = prob_of(pos);
        for &g in index.disease_genes.row(pos) {
            let g = g as usize;
            if best_place[g] == u32::MAX {
                acc[g] = 0.0;
            }
            best_place[g] = best_place[g].min(place[pos]);
            match (&sharpened, &scaled) {
                (Some(y), _) => acc[g] += y[pos],
                (None, Some((x, _, _))) => acc[g] += x[pos],
                (None, None) => acc[g] = acc[g].max(scores[pos]), // similarities are >= 0
            }
            prob[g] += p;
        }
    }
    let best: Vec<DiseaseIdx> = best_place
        .iter()
        .map(|&k| {
            if k == u32::MAX {
                DiseaseIdx::MAX
            } else {
                diseases[ranked[k as usize].0]
            }
        })
        .collect();
    let gene_items: Vec<((GeneIdx, f64), f64)> = (0..ng)
        .filter(|&g| best[g] != DiseaseIdx::MAX)
        .map(|g| {
            let score = if ln_lr {
                acc[g].ln() / rho + max
            } else {
                acc[g]
            };
            ((g as GeneIdx, score), score)
        })
        .collect();
    let gene_out = rank_by_score(&gene_items)
        .into_iter()
        .map(|((g, i), rank, tie)| RankedGene {
            gene: g,
            rank,
            tie_size: tie,
            score: if ln_lr { i / ln10 } else { i },
            post_test_probability: ln_lr.then_some(prob[g as usize]),
            best_disease: best[g as usize],
        })
        .collect();
    (dis_out, gene_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_worst_rank_in_stable_order() {
        let items = [("a", 1.0), ("b", 3.0), ("c", 1.0), ("d", 2.0), ("e", 1.0)];
        let r = rank_by_score(&items);
        let got: Vec<(&str, usize, usize)> = r.into_iter().collect();
        assert_eq!(
            got,
            vec![
                ("b", 1, 1),
                ("d", 2, 1),
                ("a", 5, 3),
                ("c", 5, 3),
                ("e", 5, 3)
            ]
        );
        // -inf is not tied with a finite score
        let items = [
            ("x", f64::NEG_INFINITY),
            ("y", -1e300),
            ("z", f64::NEG_INFINITY),
        ];
        assert_eq!(
            rank_by_score(&items),
            vec![("y", 1, 1), ("x", 3, 2), ("z", 3, 2)]
        );
    }

    #[test]
    fn post_test_probabilities_by_hand() {
        // two diseases with LR 3 and 1, p_unknown 0.5: denominators 3 + 1 + 2 * 1 = 6
        let p = post_test_probabilities(&[3f64.ln(), 0.0], 0.5);
        assert!(
            (p[0] - 0.5).abs() < 1e-12 && (p[1] - 1.0 / 6.0).abs() < 1e-12,
            "{p:?}"
        );
        // closed world: 3/4 and 1/4
        let p = post_test_probabilities(&[3f64.ln(), 0.0], 0.0);
        assert!((p[0] - 0.75).abs() < 1e-12);
        // huge LRs do not overflow
        let p = post_test_probabilities(&[5000.0, 4999.0], 0.5);
        assert!((p[0] - 1.0 / (1.0 + (-1f64).exp())).abs() < 1e-9);
    }
}
