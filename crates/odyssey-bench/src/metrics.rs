//! Accuracy metrics of a ranking benchmark: top-k recall, mean reciprocal rank and the number
//! of cases whose answer was not found, with pessimistic ties.
//!
//! Conventions (the same as PhEval's standardised results, whose ranks are polars
//! `rank(method="max")`, and as Odyssey's own rankings):
//! * **Pessimistic ties**: an item tied with others gets the 1-based position of the *last*
//!   member of its tie group; three diseases tied at the top all have rank 3.
//! * **Several answers per case** (two causal genes, two causal variants, several diagnosis
//!   ids): the case is scored by its best-ranked answer; a case counts as solved at k when any
//!   of its answers ranks at most k.
//! * **Not found** (the answer is absent from the knowledge base, not ranked, or the case could
//!   not be scored): the case stays in the denominator, with reciprocal rank 0.
//!
//! Mean reciprocal rank: MRR = (1/n) Σ_cases 1/rank (Voorhees, TREC-8 QA track, 1999), with
//! 1/rank = 0 when not found.

use serde::{Deserialize, Serialize};

/// The cut-offs reported: top-1, top-3, top-5, top-10.
pub const TOP_K: [usize; 4] = [1, 3, 5, 10];

/// Counts for one level (gene, disease or variant) over a set of cases. Merge-able, so that
/// per-thread and per-group tallies add up exactly.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelMetrics {
    /// Cases evaluated at this level (cases with at least one answer at this level).
    pub cases: u32,
    /// Cases with an answer at rank <= k, for each k of [`TOP_K`].
    pub found_within: [u32; 4],
    /// Cases whose answers were all not found.
    pub not_found: u32,
    /// Σ 1/rank over the cases (0 for not found).
    pub reciprocal_rank_sum: f64,
}

impl LevelMetrics {
    /// Adds one case, given its best pessimistic rank (`None`: not found).
    pub fn add(&mut self, best_rank: Option<usize>) {
        self.cases += 1;
        match best_rank {
            Some(r) => {
                assert!(r >= 1, "ranks are 1-based");
                for (i, &k) in TOP_K.iter().enumerate() {
                    if r <= k {
                        self.found_within[i] += 1;
                    }
                }
                self.reciprocal_rank_sum += 1.0 / r as f64;
            }
            None => self.not_found += 1,
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &LevelMetrics) {
        self.cases += other.cases;
        for i in 0..TOP_K.len() {
            self.found_within[i] += other.found_within[i];
        }
        self.not_found += other.not_found;
        self.reciprocal_rank_sum += other.reciprocal_rank_sum;
    }

    /// Top-k recall as a fraction in [0, 1] for `k` in [`TOP_K`]; 0 when there is no case.
    /// Panics when `k` is not one of [`TOP_K`].
    pub fn recall(&self, k: usize) -> f64 {
        let i = TOP_K
            .iter()
            .position(|&x| x == k)
            .unwrap_or_else(|| panic!("top-{k} is not tallied (TOP_K = {TOP_K:?})"));
        if self.cases == 0 {
            0.0
        } else {
            f64::from(self.found_within[i]) / f64::from(self.cases)
        }
    }

    /// Mean reciprocal rank in [0, 1]; 0 when there is no case.
    pub fn mrr(&self) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            self.reciprocal_rank_sum / f64::from(self.cases)
        }
    }
}

/// The best (smallest) rank among a case's answers; `None` when none was found.
pub fn best_rank(ranks: impl IntoIterator<Item = Option<usize>>) -> Option<usize> {
    ranks.into_iter().flatten().min()
}

/// An item of a ranking with its pessimistic rank.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked<K> {
    /// The item (gene, disease, variant key).
    pub item: K,
    /// Pessimistic 1-based rank.
    pub rank: usize,
}

/// The best pessimistic rank of any of `gold` in `ranking`; `None` when no gold item is ranked.
pub fn gold_rank<K: PartialEq>(ranking: &[Ranked<K>], gold: &[K]) -> Option<usize> {
    best_rank(
        gold.iter()
            .map(|g| ranking.iter().find(|r| &r.item == g).map(|r| r.rank)),
    )
}

/// Pessimistic ranks of scored items (higher score is better): each item's rank is the number
/// of items whose score is at least its own. Scores equal within `tolerance` (absolute) are
/// tied. `O(n log n)`. NaN scores are rejected with `None`.
pub fn pessimistic_ranks(scores: &[f64], tolerance: f64) -> Option<Vec<usize>> {
    if scores.iter().any(|s| s.is_nan()) {
        return None;
    }
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    // rank of score s = number of sorted scores >= s - tolerance
    Some(
        scores
            .iter()
            .map(|&s| sorted.partition_point(|&x| x >= s - tolerance))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(items: &[(&'static str, usize)]) -> Vec<Ranked<&'static str>> {
        items
            .iter()
            .map(|&(item, rank)| Ranked { item, rank })
            .collect()
    }

    #[test]
    fn pessimistic_ties_by_hand() {
        // scores: A 0.9, B 0.9, C 0.9, D 0.5, E 0.2, F 0.2 -> ranks 3,3,3,4,6,6
        let r = pessimistic_ranks(&[0.9, 0.9, 0.9, 0.5, 0.2, 0.2], 0.0).unwrap();
        assert_eq!(r, vec![3, 3, 3, 4, 6, 6]);
        // unsorted input, tolerance joins 1.0 and 1.0 + 1e-12
        let r = pessimistic_ranks(&[0.1, 1.0, 0.5, 1.0 + 1e-12], 1e-9).unwrap();
        assert_eq!(r, vec![4, 2, 3, 2]);
        assert_eq!(pessimistic_ranks(&[1.0, f64::NAN], 0.0), None);
    }

    #[test]
    fn agrees_with_the_pheno_ranking_on_ties() {
        // odyssey_pheno::rank::rank_by_score is the ranking the product uses; it must give the
        // same pessimistic ranks as the independent count above.
        let scores = [2.0, 3.0, 2.0, 1.0, 3.0, 2.0, 0.0];
        let items: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
        let mut by_item = vec![0; scores.len()];
        for (i, rank, _) in odyssey_pheno::rank::rank_by_score(&items) {
            by_item[i] = rank;
        }
        assert_eq!(by_item, pessimistic_ranks(&scores, 0.0).unwrap());
        assert_eq!(by_item, vec![5, 2, 5, 6, 2, 5, 7]);
    }

    #[test]
    fn tie_at_the_top_is_not_a_top1() {
        // gold G tied with two others at the top: pessimistic rank 3
        let r = ranking(&[("X", 3), ("G", 3), ("Y", 3), ("Z", 4)]);
        let rank = gold_rank(&r, &["G"]);
        assert_eq!(rank, Some(3));
        let mut m = LevelMetrics::default();
        m.add(rank);
        assert_eq!(m.found_within, [0, 1, 1, 1]);
        assert!((m.mrr() - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn not_found_counts_in_the_denominator() {
        let r = ranking(&[("A", 1), ("B", 2)]);
        let mut m = LevelMetrics::default();
        m.add(gold_rank(&r, &["A"])); // rank 1
        m.add(gold_rank(&r, &["Q"])); // absent
        m.add(gold_rank(&r, &[])); // no answer ranked either
        assert_eq!(m.cases, 3);
        assert_eq!(m.not_found, 2);
        assert_eq!(m.found_within, [1, 1, 1, 1]);
        assert!((m.recall(1) - 1.0 / 3.0).abs() < 1e-15);
        // MRR = (1 + 0 + 0) / 3
        assert!((m.mrr() - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn several_genes_per_case_take_the_best() {
        // digenic case: genes P (rank 7) and Q (rank 2, tied with one other); R absent
        let r = ranking(&[
            ("A", 1),
            ("Q", 3),
            ("B", 3),
            ("C", 4),
            ("D", 5),
            ("E", 6),
            ("P", 7),
        ]);
        assert_eq!(gold_rank(&r, &["P", "Q", "R"]), Some(3));
        let mut m = LevelMetrics::default();
        m.add(gold_rank(&r, &["P", "Q", "R"]));
        m.add(gold_rank(&r, &["P"]));
        // case 1 best rank 3 (top-3, top-5, top-10); case 2 rank 7 (top-10 only)
        assert_eq!(m.found_within, [0, 1, 1, 2]);
        assert!((m.mrr() - (1.0 / 3.0 + 1.0 / 7.0) / 2.0).abs() < 1e-15);
        assert_eq!(m.not_found, 0);
    }

    #[test]
    fn merge_adds_up_and_recall_of_empty_is_zero() {
        let mut a = LevelMetrics::default();
        a.add(Some(1));
        a.add(Some(11));
        let mut b = LevelMetrics::default();
        b.add(None);
        b.add(Some(4));
        let mut all = LevelMetrics::default();
        for r in [Some(1), Some(11), None, Some(4)] {
            all.add(r);
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(all.found_within, [1, 1, 2, 2]);
        assert_eq!(LevelMetrics::default().recall(10), 0.0);
        assert_eq!(LevelMetrics::default().mrr(), 0.0);
    }
}
