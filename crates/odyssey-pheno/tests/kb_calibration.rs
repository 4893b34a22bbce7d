//! A knowledge base's own calibration (θ, κ, p_u recorded in the `.odkb`) sets the post-test
//! probabilities of `ScorerOptions::for_kb`: checked on the 13-term fixture of odyssey-kb
//! against the formula of docs/phenotype-model.md computed here from the raw scores,
//! P(D) = e^(T τ s_D) / (Σ_D' e^(T τ s_D') + N p_u / (1 − p_u)), T = θ n^−κ.

use std::path::Path;

use odyssey_kb::{KnowledgeBase, ProbabilityCalibration};
use odyssey_pheno::{Case, CaseInput, PhenotypeScorer, ScorerOptions, Scratch, TermInput};

fn mini() -> KnowledgeBase {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../odyssey-kb/tests/fixtures/mini");
    KnowledgeBase::build(&dir).unwrap().0
}

/// Focal-onset seizure and Intellectual disability observed; Head or neck excluded (not an
/// ancestor of either): n = 2 observed terms.
fn case(kb: &KnowledgeBase) -> Case {
    let t = |id: &str, excluded: bool| TermInput {
        id: id.into(),
        label: None,
        excluded,
    };
    let input = CaseInput {
        id: "c".into(),
        terms: vec![
            t("HP:0007359", false),
            t("HP:0001249", false),
            t("HP:0000152", true),
        ],
        ..Default::default()
    };
    let c = Case::resolve(&input, kb).unwrap();
    assert_eq!((c.observed.len(), c.excluded.len()), (2, 1));
    c
}

/// Per indexed disease (index order), the probability by the formula, from the scorer's raw
/// natural-log scores, at temperature `t` and pretest `p_u` (shifted by the largest exponent
/// for accuracy; the shift cancels).
fn by_formula(s: &PhenotypeScorer, c: &Case, t: f64, p_u: f64) -> Vec<f64> {
    let mut raw = Vec::new();
    s.scores(c, &mut Scratch::default(), &mut raw);
    let tau = s.options().evidence_weight;
    let x: Vec<f64> = raw.iter().map(|r| t * tau * r).collect();
    let m = x.iter().copied().fold(0.0f64, f64::max);
    let e: Vec<f64> = x.iter().map(|v| (v - m).exp()).collect();
    let n = raw.len() as f64;
    let denom: f64 = e.iter().sum::<f64>() + n * p_u / (1.0 - p_u) * (-m).exp();
    e.iter().map(|v| v / denom).collect()
}

/// The ranking's disease probabilities in index order, and each gene's (by gene index).
fn ranked(s: &PhenotypeScorer, c: &Case) -> (Vec<f64>, Vec<(u32, f64)>) {
    let r = s.rank(c);
    let mut by_pos = vec![f64::NAN; s.index().diseases().len()];
    for d in &r.diseases {
        let pos = s.index().position(d.disease).unwrap();
        by_pos[pos] = d.post_test_probability.unwrap();
    }
    let genes = r
        .genes
        .iter()
        .map(|g| (g.gene, g.post_test_probability.unwrap()))
        .collect();
    (by_pos, genes)
}

fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-12, "{a:?} against {b:?}");
    }
}

#[test]
fn probabilities_follow_the_calibration_the_kb_records() {
    let mut kb = mini();
    let cal = ProbabilityCalibration {
        temperature: 3.5,
        term_decay: 0.65,
        pretest_unknown: 0.125,
        rank_mixture: 0.0,
        rank_prior: 0.0,
        fitted: "test".into(),
    };
    kb.set_calibration(Some(cal)).unwrap();
    // through the file format, as `--kb FILE` reads it
    let kb = KnowledgeBase::from_bytes(&kb.to_bytes(), "t.odkb").unwrap();
    let o = ScorerOptions::for_kb(&kb);
    assert_eq!(
        (
            o.probability_temperature,
            o.probability_term_decay,
            o.probability_pretest_unknown
        ),
        (3.5, 0.65, 0.125)
    );
    // nothing else differs from the defaults (the KB's ε 0 turns the gene-rank prior off)
    let d = ScorerOptions {
        probability_temperature: 3.5,
        probability_term_decay: 0.65,
        probability_pretest_unknown: 0.125,
        probability_rank_mixture: 0.0,
        probability_rank_prior: 0.0,
        ..ScorerOptions::default()
    };
    assert_eq!(o, d);
    let s = PhenotypeScorer::new(&kb, o);
    let c = case(&kb);
    // T = θ n^−κ with n = 2: 3.5 × 2^−0.65 = 3.5 / e^(0.65 ln 2)
    let t = 3.5 / (0.65 * 2f64.ln()).exp();
    assert!((t - 2.2305).abs() < 1e-4, "{t}"); // 2^0.65 = 1.5692 (by hand, 4 digits)
    let want = by_formula(&s, &c, t, 0.125);
    let (got, genes) = ranked(&s, &c);
    close(&got, &want);
    // p_u > 0: the probabilities leave 1 − Σ for "none of them"
    assert!(want.iter().sum::<f64>() < 1.0 - 1e-3);
    // a gene's probability is the sum of its diseases'
    for (g, p) in genes {
        let sum: f64 = kb
            .gene(g)
            .diseases
            .iter()
            .filter_map(|&d| s.index().position(d))
            .map(|pos| want[pos])
            .sum();
        assert!((p - sum).abs() < 1e-12, "gene {g}: {p} against {sum}");
    }

    // the same knowledge base without a calibration: the global defaults θ 8, κ 0.85, p_u 0
    let plain = mini();
    let o = ScorerOptions::for_kb(&plain);
    assert_eq!(o, ScorerOptions::default());
    let s0 = PhenotypeScorer::new(&plain, o);
    let t0 = 8.0 / (0.85 * 2f64.ln()).exp();
    let want0 = by_formula(&s0, &c, t0, 0.0);
    let (got0, _) = ranked(&s0, &c);
    close(&got0, &want0);
    assert!((want0.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // the calibrations differ, the order does not
    assert!(got.iter().zip(&got0).any(|(a, b)| (a - b).abs() > 1e-3));
    let order = |s: &PhenotypeScorer| -> Vec<u32> {
        s.rank(&c).diseases.iter().map(|d| d.disease).collect()
    };
    assert_eq!(order(&s), order(&s0));
}

/// The gene-rank prior (ε, c recorded in the KB): a gene at pessimistic rank k in a tie group
/// of size t gets (1 − ε) P + ε c mean(j^-2, j = k − t + 1..=k), P the sum of its diseases'
/// probabilities by the formula; diseases and the order are unchanged.
#[test]
fn gene_rank_prior_mixes_gene_probabilities_by_rank() {
    let mut kb = mini();
    let cal = ProbabilityCalibration {
        temperature: 3.5,
        term_decay: 0.65,
        pretest_unknown: 0.125,
        rank_mixture: 0.25,
        rank_prior: 0.5,
        fitted: "test".into(),
    };
    kb.set_calibration(Some(cal)).unwrap();
    let kb = KnowledgeBase::from_bytes(&kb.to_bytes(), "t.odkb").unwrap();
    let o = ScorerOptions::for_kb(&kb);
    assert_eq!(
        (o.probability_rank_mixture, o.probability_rank_prior),
        (0.25, 0.5)
    );
    let s = PhenotypeScorer::new(&kb, o.clone());
    let c = case(&kb);
    let t = 3.5 / (0.65 * 2f64.ln()).exp();
    let want = by_formula(&s, &c, t, 0.125);
    let (got, _) = ranked(&s, &c);
    close(&got, &want);
    // by hand: rank 1 alone gets 0.75 P + 0.25 × 0.5; a tie of ranks 2-3 gets
    // 0.75 P + 0.25 × 0.5 × (1/4 + 1/9) / 2 = 0.75 P + 0.0225694...
    assert!((odyssey_pheno::rank::rank_prior_mean(0.5, 1, 1) - 0.5).abs() < 1e-15);
    assert!((odyssey_pheno::rank::rank_prior_mean(0.5, 2, 3) - 0.0902777777).abs() < 1e-9);
    let r = s.rank(&c);
    assert!(!r.genes.is_empty());
    for g in &r.genes {
        let model: f64 = kb
            .gene(g.gene)
            .diseases
            .iter()
            .filter_map(|&d| s.index().position(d))
            .map(|pos| want[pos])
            .sum();
        let span = (g.rank + 1 - g.tie_size)..=g.rank;
        let len = span.clone().count() as f64;
        let prior = 0.5 * span.map(|k| 1.0 / (k * k) as f64).sum::<f64>() / len;
        let p = g.post_test_probability.unwrap();
        assert!((p - (0.75 * model + 0.25 * prior)).abs() < 1e-12, "{g:?}");
    }
    // without the prior: the same order, other gene probabilities
    let plain = PhenotypeScorer::new(
        &kb,
        ScorerOptions {
            probability_rank_mixture: 0.0,
            ..o
        },
    );
    let r0 = plain.rank(&c);
    let ids = |r: &odyssey_pheno::Ranking| -> Vec<(u32, usize)> {
        r.genes.iter().map(|g| (g.gene, g.rank)).collect()
    };
    assert_eq!(ids(&r), ids(&r0));
    assert_eq!(r.diseases, r0.diseases);
    assert!(r.genes[0].post_test_probability != r0.genes[0].post_test_probability);
}
