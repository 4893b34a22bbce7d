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

/// Sort key of a score: ascending key order is the descending order of `f64::total_cmp`
/// (sign-magnitude bits mapped to an unsigned order, then inverted).
#[inline]
fn desc_key(x: f64) -> u64 {
    let b = x.to_bits();
    !(if b >> 63 == 1 { !b } else { b | (1 << 63) })
}

/// Digit width of the radix passes over the high 32 bits of the sort key (3 passes of 11, 11
/// and 10 bits; 2,048 counters per pass).
const RADIX_BITS: u32 = 11;
const RADIX: usize = 1 << RADIX_BITS;

/// Working memory of [`sort_desc`] and [`build`], kept per thread and reused across cases.
#[derive(Default)]
struct Buffers {
    /// Packed (high 32 bits of the sort key, position) words; the sorted order.
    order: Vec<u64>,
    /// The radix sort's second buffer.
    tmp: Vec<u64>,
    /// Radix counters, three passes.
    hist: Vec<u32>,
    /// Per position: its place in rank order.
    place: Vec<u32>,
    /// Per position: post-test probability.
    prob: Vec<f64>,
    /// Per position: the disease's term of its genes' sums.
    term: Vec<f64>,
    /// Per gene: score accumulator, probability, best place.
    acc: Vec<f64>,
    gene_prob: Vec<f64>,
    best_place: Vec<u32>,
    /// The scores of the ranked genes (ascending gene index) and their genes.
    gene_scores: Vec<f64>,
    gene_ids: Vec<u32>,
    /// The gene sort's own order buffer.
    gene_order: Vec<u64>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's buffers (fresh ones if they are in use).
fn with_buffers<R>(f: impl FnOnce(&mut Buffers) -> R) -> R {
    BUFFERS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => f(&mut b),
        Err(_) => f(&mut Buffers::default()),
    })
}

/// Sorts the positions 0..n by descending `score` (`f64::total_cmp`), equal scores in
/// ascending position: the order of a plain stable sort by descending score, computed in
/// O(n) for the bulk. Each position is packed with the high 32 bits of its sort key
/// ([`desc_key`]) into one word; a stable least-significant-digit radix sort on those 32 bits
/// (three passes, a pass skipped when every key has the same digit) orders the words by
/// (high bits, position); runs that share the high bits (equal or very close scores) are then
/// ordered by the full key and position. Returns the words (position = low 32 bits) in
/// `order`. `n` must be below 2^32.
fn sort_desc(
    n: usize,
    score: impl Fn(usize) -> f64,
    order: &mut Vec<u64>,
    tmp: &mut Vec<u64>,
    hist: &mut Vec<u32>,
) {
    const LOW: u64 = 0xFFFF_FFFF;
    order.clear();
    order.extend((0..n).map(|i| (desc_key(score(i)) & !LOW) | i as u64));
    hist.clear();
    hist.resize(3 * RADIX, 0);
    let mask = RADIX as u64 - 1;
    for &v in order.iter() {
        let h = v >> 32;
        hist[(h & mask) as usize] += 1;
        hist[RADIX + ((h >> RADIX_BITS) & mask) as usize] += 1;
        hist[2 * RADIX + (h >> (2 * RADIX_BITS)) as usize] += 1;
    }
    tmp.clear();
    tmp.resize(n, 0);
    for pass in 0..3 {
        if n == 0 {
            break;
        }
        let shift = 32 + RADIX_BITS * pass as u32;
        let h = &mut hist[pass * RADIX..(pass + 1) * RADIX];
        if h[((order[0] >> shift) & mask) as usize] as usize == n {
            continue; // every key has this digit
        }
        let mut sum = 0u32;
        for c in h.iter_mut() {
            let x = *c;
            *c = sum;
            sum += x;
        }
        for &v in order.iter() {
            let d = ((v >> shift) & mask) as usize;
            tmp[h[d] as usize] = v;
            h[d] += 1;
        }
        std::mem::swap(order, tmp);
    }
    // runs sharing the high bits: by the full key, then position
    let full = |v: u64| (desc_key(score((v & LOW) as usize)), v & LOW);
    let mut i = 0;
    while i < n {
        let hi = order[i] >> 32;
        let mut j = i + 1;
        while j < n && order[j] >> 32 == hi {
            j += 1;
        }
        if j - i > 1 {
            let run = &mut order[i..j];
            if !run.windows(2).all(|w| full(w[0]) <= full(w[1])) {
                run.sort_unstable_by_key(|&v| full(v));
            }
        }
        i = j;
    }
}

/// Calls `f(position, rank, tie group size)` for every position of `order` (from
/// [`sort_desc`]) in rank order. A tie group starts at a score and takes every following score
/// [`tied`] with that first one; each member gets the pessimistic rank of the group, the
/// 1-based place of its last member.
fn tie_groups(order: &[u64], score: impl Fn(usize) -> f64, mut f: impl FnMut(usize, usize, usize)) {
    let pos = |k: usize| (order[k] & 0xFFFF_FFFF) as usize;
    let mut start = 0;
    while start < order.len() {
        let first = score(pos(start));
        let mut end = start + 1;
        while end < order.len() && tied(first, score(pos(end))) {
            end += 1;
        }
        for k in start..end {
            f(pos(k), end, end - start);
        }
        start = end;
    }
}

/// Orders items by descending score, ties kept in their given order (the caller passes them
/// in ascending id order), and gives each the pessimistic rank of its tie group: the 1-based
/// position of the group's last member. Returns (item, rank, tie group size) in rank order.
/// A tie group starts at the best remaining score and takes every following score within the
/// relative [`TIE_TOLERANCE`] of that first one.
pub fn rank_by_score<T: Copy>(items: &[(T, f64)]) -> Vec<(T, usize, usize)> {
    assert!(u32::try_from(items.len()).is_ok(), "fewer than 2^32 items");
    let mut out = Vec::with_capacity(items.len());
    with_buffers(|b| {
        let score = |i: usize| items[i].1;
        sort_desc(items.len(), score, &mut b.order, &mut b.tmp, &mut b.hist);
        tie_groups(&b.order, score, |i, rank, tie| {
            out.push((items[i].0, rank, tie))
        });
    });
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
    /// LR model only: the sum of its diseases' post-test probabilities, mixed with the
    /// gene-rank prior when `ScorerOptions::probability_rank_mixture` is above 0
    /// ([`mix_gene_rank_prior`]).
    pub post_test_probability: Option<f64>,
    /// Its best-ranked disease.
    pub best_disease: DiseaseIdx,
}

/// The mean of the gene-rank prior r(k) = c k^-2 over the ranks `first..=last` (1-based;
/// a tie group shares the mean of its ranks, so tied genes stay tied).
pub fn rank_prior_mean(c: f64, first: usize, last: usize) -> f64 {
    let (first, last) = (first.max(1), last.max(first.max(1)));
    let sum: f64 = (first..=last).map(|k| 1.0 / (k as f64 * k as f64)).sum();
    c * sum / (last - first + 1) as f64
}

/// A probability `p` of a gene whose tie group spans the ranks `first..=last`, mixed with the
/// gene-rank prior: (1 − ε) p + ε [`rank_prior_mean`]; `p` itself when ε is 0. What
/// [`mix_gene_rank_prior`] gives each gene, for callers that know one gene's probability
/// (the benchmark's top gene).
pub fn with_rank_prior(p: f64, epsilon: f64, c: f64, first: usize, last: usize) -> f64 {
    if epsilon == 0.0 {
        p
    } else {
        mix(p, epsilon, rank_prior_mean(c, first, last))
    }
}

/// (1 − ε) p + ε r̄.
fn mix(p: f64, epsilon: f64, prior_mean: f64) -> f64 {
    (1.0 - epsilon) * p + epsilon * prior_mean
}

/// Mixes each gene's post-test probability P with the gene-rank prior:
/// (1 − ε) P + ε [`rank_prior_mean`] over the ranks of its tie group (pessimistic `rank`
/// and `tie_size`). The prior is a distribution over ranks with mass c π²/6 < 1 for
/// c ≤ 0.6, non-increasing in rank, and equal within a tie group: the mixture keeps ties
/// and never moves a gene above a better-ranked one unless the model's own probabilities
/// already had it there. Genes without a probability (Resnik) are left alone.
/// docs/phenotype-model.md, "Gene-rank prior".
pub fn mix_gene_rank_prior(genes: &mut [RankedGene], epsilon: f64, c: f64) {
    // a tie group's genes are adjacent and share (rank, tie size): its mean is computed once
    let mut group = (0, 0, 0.0);
    for g in genes {
        if let Some(p) = g.post_test_probability.as_mut() {
            if (g.rank, g.tie_size) != (group.0, group.1) {
                let first = g.rank + 1 - g.tie_size.clamp(1, g.rank.max(1));
                group = (g.rank, g.tie_size, rank_prior_mean(c, first, g.rank));
            }
            *p = mix(*p, epsilon, group.2);
        }
    }
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
///
/// Speed: the order comes from [`sort_desc`] (a radix sort, not a comparison sort of every
/// disease), and the working vectors are kept per thread; the arithmetic (each exponential,
/// sum and division, in the same order) is that of [`post_test_probabilities`], so every
/// output value is bit-identical to a plain implementation's (tested against one below).
pub(crate) fn build(
    kb: &KnowledgeBase,
    index: &crate::index::PhenoIndex,
    scores: &[f64],
    ln_lr: bool,
    calibration: (f64, f64),
    rho: f64,
) -> (Vec<RankedDisease>, Vec<RankedGene>) {
    assert!(
        u32::try_from(scores.len()).is_ok(),
        "fewer than 2^32 diseases"
    );
    with_buffers(|b| {
        let max = if ln_lr { lr_scale_shift(scores) } else { 0.0 };
        if ln_lr {
            disease_terms(b, scores, max, calibration, rho);
        }
        let order = &mut b.order;
        sort_desc(scores.len(), |i| scores[i], order, &mut b.tmp, &mut b.hist);
        let diseases = &index.diseases;
        let ln10 = std::f64::consts::LN_10;
        let mut dis_out = Vec::with_capacity(scores.len());
        b.place.clear();
        b.place.resize(scores.len(), 0);
        let (place, prob) = (&mut b.place, &b.prob);
        tie_groups(
            order,
            |i| scores[i],
            |pos, rank, tie| {
                place[pos] = dis_out.len() as u32;
                dis_out.push(RankedDisease {
                    disease: diseases[pos],
                    rank,
                    tie_size: tie,
                    score: if ln_lr {
                        scores[pos] / ln10
                    } else {
                        scores[pos]
                    },
                    post_test_probability: ln_lr.then(|| prob[pos]),
                });
            },
        );
        let genes = gene_ranking(b, kb, index, scores, ln_lr, max, rho);
        (dis_out, genes)
    })
}

/// Per disease (LR semantics), into `b.prob` its post-test probability and into `b.term` its
/// term of the gene sums, exp(ρ (l − m)) (exp(l − m) for ρ = 1), m the scale shift `max`:
/// the probabilities are [`post_test_probabilities`] of θ·scores (for θ ≥ 0 the shift
/// max(θ l, 0) is θ m), computed with the same operations in the same order.
fn disease_terms(
    b: &mut Buffers,
    scores: &[f64],
    max: f64,
    (theta, p_unknown): (f64, f64),
    rho: f64,
) {
    let unknown = if p_unknown > 0.0 {
        scores.len() as f64 * p_unknown / (1.0 - p_unknown)
    } else {
        0.0
    };
    let (prob, term) = (&mut b.prob, &mut b.term);
    prob.clear();
    term.clear();
    if theta != 1.0 {
        // tempered probabilities
        let m = theta * max;
        prob.extend(scores.iter().map(|&l| (theta * l - m).exp()));
        let denom = prob.iter().sum::<f64>() + unknown * (-m).exp();
        prob.iter_mut().for_each(|x| *x /= denom);
    }
    if theta == 1.0 || rho == 1.0 {
        // exp(l − m): the untempered probabilities' numerators, the plain gene sum's terms
        let x = if rho == 1.0 { &mut *term } else { &mut *prob };
        x.extend(scores.iter().map(|&l| (l - max).exp()));
        if theta == 1.0 {
            let denom = x.iter().sum::<f64>() + unknown * (-max).exp();
            if rho == 1.0 {
                prob.extend(term.iter().map(|&x| x / denom));
            } else {
                prob.iter_mut().for_each(|x| *x /= denom);
            }
        }
    }
    if rho != 1.0 {
        // one exp per disease for a sharpened gene score, not a power per gene link
        term.extend(scores.iter().map(|&l| (rho * (l - max)).exp()));
    }
}

/// The gene ranking from the disease scores and `b.place` (each disease's place in the
/// disease ranking), `b.prob` and `b.term` ([`disease_terms`], LR semantics): a gene's score
/// is (1/ρ) ln Σ term + m (LR) or its best disease's similarity (at least 0), its
/// probability the sum of its diseases', its best disease the one first in rank order.
/// Diseases are visited in position order (for memory locality; the sums' order is fixed).
fn gene_ranking(
    b: &mut Buffers,
    kb: &KnowledgeBase,
    index: &crate::index::PhenoIndex,
    scores: &[f64],
    ln_lr: bool,
    max: f64,
    rho: f64,
) -> Vec<RankedGene> {
    let ng = kb.genes().len();
    let (acc, gene_prob, best_place) = (&mut b.acc, &mut b.gene_prob, &mut b.best_place);
    acc.clear();
    acc.resize(ng, f64::NEG_INFINITY);
    gene_prob.clear();
    gene_prob.resize(ng, 0.0);
    best_place.clear();
    best_place.resize(ng, u32::MAX);
    for (pos, &score) in scores.iter().enumerate() {
        let place = b.place[pos];
        for &g in index.disease_genes.row(pos) {
            let g = g as usize;
            if best_place[g] == u32::MAX {
                acc[g] = 0.0;
            }
            best_place[g] = best_place[g].min(place);
            if ln_lr {
                acc[g] += b.term[pos];
                gene_prob[g] += b.prob[pos];
            } else {
                acc[g] = acc[g].max(score); // similarities are >= 0
            }
        }
    }
    b.gene_ids.clear();
    b.gene_scores.clear();
    for g in 0..ng {
        if best_place[g] != u32::MAX {
            b.gene_ids.push(g as u32);
            b.gene_scores.push(if ln_lr {
                acc[g].ln() / rho + max
            } else {
                acc[g]
            });
        }
    }
    let gs = &b.gene_scores;
    sort_desc(
        gs.len(),
        |i| gs[i],
        &mut b.gene_order,
        &mut b.tmp,
        &mut b.hist,
    );
    let ln10 = std::f64::consts::LN_10;
    let mut out = Vec::with_capacity(gs.len());
    tie_groups(
        &b.gene_order,
        |i| gs[i],
        |i, rank, tie| {
            let g = b.gene_ids[i];
            let best = b.order[best_place[g as usize] as usize] & 0xFFFF_FFFF;
            out.push(RankedGene {
                gene: g,
                rank,
                tie_size: tie,
                score: if ln_lr { gs[i] / ln10 } else { gs[i] },
                post_test_probability: ln_lr.then_some(gene_prob[g as usize]),
                best_disease: index.diseases[best as usize],
            })
        },
    );
    out
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

    /// The second method: a plain stable comparison sort of every item by descending score
    /// (`f64::total_cmp`, so ties stay in their given order), then the tie groups formed as
    /// the ranking documents them (each group takes the scores tied with its first).
    fn plain_rank<T: Copy>(items: &[(T, f64)]) -> Vec<(T, usize, usize)> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        idx.sort_by(|&a, &b| items[b].1.total_cmp(&items[a].1));
        let mut out = Vec::new();
        let mut start = 0;
        while start < idx.len() {
            let mut end = start + 1;
            while end < idx.len() && tied(items[idx[start]].1, items[idx[end]].1) {
                end += 1;
            }
            out.extend(
                idx[start..end]
                    .iter()
                    .map(|&i| (items[i].0, end, end - start)),
            );
            start = end;
        }
        out
    }

    /// Scores with every kind of tie: exact duplicates, chains of near ties (each within the
    /// tolerance of the next but not of the group's first), scores that share the high 32
    /// bits of their sort key but differ below, ±0, ±inf, and a spread of plain values; in a
    /// pseudo-random order (xorshift).
    fn tricky_scores(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        (0..n)
            .map(|_| {
                let r = next();
                let u = (r >> 11) as f64 / (1u64 << 53) as f64;
                match r % 10 {
                    0 => [-3.0, 0.5, 12.25][(r >> 8) as usize % 3], // exact duplicates
                    1 => 2.0 + ((r >> 8) % 5) as f64 * 0.9e-9,      // a chain of near ties
                    2 => f64::from_bits(7.5f64.to_bits() + (r >> 8) % 1000), // same high bits
                    3 => [0.0, -0.0, f64::NEG_INFINITY, f64::INFINITY][(r >> 8) as usize % 4],
                    4 => -1e-300 * u,
                    _ => 40.0 * u - 30.0,
                }
            })
            .collect()
    }

    #[test]
    fn radix_ranking_equals_a_plain_full_sort() {
        for (n, seed) in [
            (0, 1),
            (1, 2),
            (2, 3),
            (17, 4),
            (300, 5),
            (5000, 6),
            (13000, 7),
        ] {
            let scores = tricky_scores(n, 0x9E37_79B9_7F4A_7C15 ^ seed);
            let items: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
            let got = rank_by_score(&items);
            assert_eq!(got, plain_rank(&items), "n = {n}");
            // the crafted ties occur (the test would be empty without them)
            if n >= 300 {
                assert!(
                    got.iter().any(|x| x.2 >= 3),
                    "n = {n}: a tie group of 3 or more"
                );
            }
        }
        // a chain 2, 2 + 1.5e-9, 2 + 3e-9 (tolerance 1e-9 x 2): b is tied with c, the group's
        // first, and a only with b, so a starts its own group
        let chain = [("a", 2.0), ("b", 2.0 + 1.5e-9), ("c", 2.0 + 3e-9)];
        assert_eq!(
            rank_by_score(&chain),
            vec![("c", 2, 2), ("b", 2, 2), ("a", 3, 1)]
        );
    }

    /// The ranking as built before the radix sort (2026-12-06e), kept as the second method:
    /// a full comparison sort of the diseases ([`plain_rank`]), the probabilities and gene
    /// terms in freshly allocated vectors, and the genes ranked by a second full sort.
    fn plain_build(
        kb: &KnowledgeBase,
        index: &crate::index::PhenoIndex,
        scores: &[f64],
        ln_lr: bool,
        (theta, p_unknown): (f64, f64),
        rho: f64,
    ) -> (Vec<RankedDisease>, Vec<RankedGene>) {
        let max = if ln_lr { lr_scale_shift(scores) } else { 0.0 };
        let prob: Vec<f64> = if !ln_lr {
            vec![0.0; scores.len()]
        } else if theta == 1.0 {
            post_test_probabilities(scores, p_unknown)
        } else {
            let t: Vec<f64> = scores.iter().map(|&l| theta * l).collect();
            // post_test_probabilities shifts by max(θ l, 0) = θ max for θ > 0
            post_test_probabilities(&t, p_unknown)
        };
        let term: Vec<f64> = scores.iter().map(|&l| (rho * (l - max)).exp()).collect();
        let items: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
        let ranked = plain_rank(&items);
        let mut place = vec![0usize; scores.len()];
        let ln10 = std::f64::consts::LN_10;
        let dis: Vec<RankedDisease> = ranked
            .iter()
            .enumerate()
            .map(|(k, &(pos, rank, tie_size))| {
                place[pos] = k;
                RankedDisease {
                    disease: index.diseases[pos],
                    rank,
                    tie_size,
                    score: if ln_lr {
                        scores[pos] / ln10
                    } else {
                        scores[pos]
                    },
                    post_test_probability: ln_lr.then_some(prob[pos]),
                }
            })
            .collect();
        let ng = kb.genes().len();
        let (mut acc, mut gp, mut best) = (vec![0.0; ng], vec![0.0; ng], vec![usize::MAX; ng]);
        for pos in 0..scores.len() {
            for &g in index.disease_genes.row(pos) {
                let g = g as usize;
                best[g] = best[g].min(place[pos]);
                if ln_lr {
                    acc[g] += term[pos];
                } else {
                    acc[g] = f64::max(acc[g], scores[pos]);
                }
                gp[g] += prob[pos];
            }
        }
        let gene_items: Vec<(usize, f64)> = (0..ng)
            .filter(|&g| best[g] != usize::MAX)
            .map(|g| {
                (
                    g,
                    if ln_lr {
                        acc[g].ln() / rho + max
                    } else {
                        acc[g]
                    },
                )
            })
            .collect();
        let genes = plain_rank(&gene_items)
            .into_iter()
            .map(|(g, rank, tie_size)| {
                let sc = gene_items.iter().find(|x| x.0 == g).expect("listed").1;
                RankedGene {
                    gene: g as GeneIdx,
                    rank,
                    tie_size,
                    score: if ln_lr { sc / ln10 } else { sc },
                    post_test_probability: ln_lr.then_some(gp[g]),
                    best_disease: dis[best[g]].disease,
                }
            })
            .collect();
        (dis, genes)
    }

    /// Every field, floats compared bit for bit.
    fn bits(r: &(Vec<RankedDisease>, Vec<RankedGene>)) -> Vec<[u64; 6]> {
        let p = |x: Option<f64>| x.map_or(u64::MAX, f64::to_bits);
        let d = r.0.iter().map(|d| {
            let (i, s) = (u64::from(d.disease), d.score.to_bits());
            [
                i,
                d.rank as u64,
                d.tie_size as u64,
                s,
                p(d.post_test_probability),
                0,
            ]
        });
        let g = r.1.iter().map(|g| {
            let (i, s) = (u64::from(g.gene), g.score.to_bits());
            let b = u64::from(g.best_disease);
            [
                i,
                g.rank as u64,
                g.tie_size as u64,
                s,
                p(g.post_test_probability),
                b,
            ]
        });
        d.chain(g).collect()
    }

    #[test]
    fn build_equals_the_plain_full_sort_ranking_on_the_embedded_kb() {
        use crate::{Case, CaseInput, Method, PhenotypeScorer, ScorerOptions, Scratch, TermInput};
        let kb = KnowledgeBase::embedded().expect("embedded KB");
        let scorer = PhenotypeScorer::new(&kb, ScorerOptions::default());
        let cases: [&[&str]; 3] = [
            // Marfan-like, Ellis-van Creveld-like, one broad term (many exact ties)
            &[
                "HP:0001166",
                "HP:0001083",
                "HP:0002616",
                "HP:0000768",
                "-HP:0001249",
            ],
            &[
                "HP:0100259",
                "HP:0001631",
                "HP:0004279",
                "HP:0000164",
                "-HP:0001250",
            ],
            &["HP:0001250"],
        ];
        let mut scratch = Scratch::default();
        for terms in cases {
            let input = CaseInput {
                id: "t".into(),
                terms: terms
                    .iter()
                    .map(|t| TermInput {
                        id: t.trim_start_matches('-').into(),
                        label: None,
                        excluded: t.starts_with('-'),
                    })
                    .collect(),
                ..Default::default()
            };
            let case = Case::resolve(&input, &kb).expect("valid terms");
            for method in [Method::LikelihoodRatio, Method::Resnik] {
                let mut s = Vec::new();
                scorer.scores_with(&case, method, &mut scratch, &mut s);
                let lr = method == Method::LikelihoodRatio;
                if lr {
                    s.iter_mut().for_each(|x| *x *= 0.2);
                }
                // some diseases merged away (−∞), as `merge_equivalents` leaves them
                s.iter_mut()
                    .step_by(97)
                    .for_each(|x| *x = f64::NEG_INFINITY);
                for (cal, rho) in [
                    ((1.0, 0.5), 1.0),
                    ((1.3, 0.0), 1.5),
                    ((1.0, 0.0), 1.5),
                    ((0.7, 0.2), 1.0),
                ] {
                    let got = build(&kb, &scorer.index, &s, lr, cal, rho);
                    let want = plain_build(&kb, &scorer.index, &s, lr, cal, rho);
                    assert_eq!(
                        bits(&got),
                        bits(&want),
                        "{terms:?} {method:?} {cal:?} {rho}"
                    );
                    assert!(got.0.iter().any(|d| d.tie_size > 1), "ties occur");
                }
            }
        }
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
