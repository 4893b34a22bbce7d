//! Prior weights of the ranked diseases (natural log, added to a disease's ln LR).
//!
//! Two optional factors, both off by default unless `docs/phenotype-model.md` says otherwise:
//! * profile size, n_D^-β with n_D the disease's number of phenotype annotations (a disease
//!   annotated with 190 features explains many unrelated findings by chance);
//! * gene share, k^-α with k the number of indexed diseases of the disease's gene (the fewest
//!   over its genes; 1 for a disease without a gene), so that with α = 1 every gene carries
//!   the same prior mass however many diseases it has.
//!
//! A constant c makes the weights average to 1 over the indexed diseases, so the prior moves
//! mass between diseases without changing the total against "none of them" in the post-test
//! probabilities.

use odyssey_kb::KnowledgeBase;

use crate::index::PhenoIndex;

/// -α ln k per index position; empty when α = 0.
pub(crate) fn gene_share(kb: &KnowledgeBase, index: &PhenoIndex, alpha: f64) -> Vec<f64> {
    if alpha == 0.0 {
        return Vec::new();
    }
    let mut per_gene = vec![0u32; kb.genes().len()];
    for pos in 0..index.diseases.len() {
        for &g in index.disease_genes.row(pos) {
            per_gene[g as usize] += 1;
        }
    }
    (0..index.diseases.len())
        .map(|pos| {
            let k = index
                .disease_genes
                .row(pos)
                .iter()
                .map(|&g| per_gene[g as usize])
                .min()
                .unwrap_or(1)
                .max(1);
            -alpha * f64::from(k).ln()
        })
        .collect()
}

/// The constant c = -ln(mean over indexed diseases of exp(-β ln n_D + gene term)).
pub(crate) fn normaliser(index: &PhenoIndex, gene: &[f64], beta: f64) -> f64 {
    let n = index.diseases.len();
    if n == 0 || (beta == 0.0 && gene.is_empty()) {
        return 0.0;
    }
    let sum: f64 = (0..n)
        .map(|pos| ln_prior(beta, gene, 0.0, pos, index.disease_terms_len(pos)).exp())
        .sum();
    -(sum / n as f64).ln()
}

/// -β ln n + gene[pos] + c (0 when both factors are off). `n_terms` 0 counts as 1.
#[inline]
pub(crate) fn ln_prior(beta: f64, gene: &[f64], c: f64, pos: usize, n_terms: usize) -> f64 {
    let g = gene.get(pos).copied().unwrap_or(0.0);
    if beta == 0.0 {
        return g + c;
    }
    -beta * (n_terms.max(1) as f64).ln() + g + c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_by_hand() {
        // β = 1, no gene term: n = 2 → -ln 2 + c; with c = ln 3 the weight is 3/2
        assert!((ln_prior(1.0, &[], 3f64.ln(), 0, 2) - (1.5f64).ln()).abs() < 1e-12);
        // gene term only: α ln k given per position
        assert!((ln_prior(0.0, &[-(4f64.ln())], 0.0, 0, 7) + 4f64.ln()).abs() < 1e-12);
        // off: exactly 0
        assert_eq!(ln_prior(0.0, &[], 0.0, 3, 190), 0.0);
    }
}
