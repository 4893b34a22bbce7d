//! Likelihood ratios and post-test probabilities hand-computed on the 13-term fixture of
//! odyssey-kb (tests/fixtures/mini; its annotations are listed in odyssey-kb/tests/mini.rs).
//!
//! Indexed diseases (OMIM + DECIPHER): OMIM:1 {Seizure 1/2, Intellectual disability (ID)
//! HP:0040281 = 0.895}, OMIM:2 {Focal-onset seizure 3/4, Microcephaly 50%},
//! OMIM:3 {ID, no frequency -> 0.5; NOT Seizure}. ORPHA:4 is not indexed.
//! Propagated frequencies (max rule) and backgrounds (mean over the 3 diseases):
//! Seizure: f1 = 0.5, f2 = 0.75, f3 = 0 -> bg = 1.25 / 3;  Focal-onset: f2 = 0.75 -> bg = 0.25;
//! Nervous (A): f1 = 0.895, f2 = 0.75, f3 = 0.5 -> bg = 2.145 / 3;
//! Microcephaly: f2 = 0.5 -> bg = 0.5 / 3.
//! Intellectual disability: f1 = 0.895, f3 = 0.5 -> bg = 1.395 / 3 = 0.465.
//! Defaults: partial 0.1, no match 0.05, contradiction 0.005, excluded floor 0.05,
//! p_unknown 0.5 (databases restricted to OMIM and DECIPHER); the excluded-term tests use
//! recording sensitivity γ = 1 (LIRICAL's (1 - f) / (1 - bg)) unless they say otherwise, and
//! no prior (β = α = 0) unless they say otherwise.

use std::path::Path;

use odyssey_kb::{HpoId, KnowledgeBase};
use odyssey_pheno::*;

fn kb() -> KnowledgeBase {
    KnowledgeBase::build(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../odyssey-kb/tests/fixtures/mini"),
    )
    .unwrap()
    .0
}

/// The defaults, ranking OMIM and DECIPHER diseases only (the hand computations above leave
/// ORPHA:4 out).
fn options() -> ScorerOptions {
    let mut o = ScorerOptions::default();
    o.index.databases = vec![odyssey_kb::DiseaseDb::Omim, odyssey_kb::DiseaseDb::Decipher];
    o.lr.excluded_sensitivity = 1.0;
    o.lr.size_prior = 0.0;
    o.gene_prior = 0.0;
    // the uncalibrated probabilities (θ 1, κ 0, p_unknown 0.5); calibrated ones are tested
    // in `calibrated_post_test_probability`
    o.probability_temperature = 1.0;
    o.probability_term_decay = 0.0;
    o.probability_pretest_unknown = 0.5;
    // gene probabilities as the sum of their diseases' (no gene-rank prior; that is tested
    // in kb_calibration.rs)
    o.probability_rank_mixture = 0.0;
    o
}

fn case(kb: &KnowledgeBase, observed: &[u32], excluded: &[u32]) -> Case {
    let terms = observed
        .iter()
        .map(|&n| (n, false))
        .chain(excluded.iter().map(|&n| (n, true)))
        .map(|(n, excluded)| TermInput {
            id: HpoId::new(n).to_string(),
            label: None,
            excluded,
        })
        .collect();
    Case::resolve(
        &CaseInput {
            id: "t".into(),
            terms,
            ..Default::default()
        },
        kb,
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1e-12)
}

/// LR per disease id for a case, from the fast path.
fn lrs(scorer: &PhenotypeScorer, case: &Case) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    scorer.scores(case, &mut Scratch::default(), &mut out);
    scorer
        .index()
        .diseases()
        .iter()
        .zip(out)
        .map(|(&d, l)| (scorer.kb().disease(d).id.to_string(), l.exp()))
        .collect()
}

#[test]
fn observed_exact_descendant_ancestor_and_not() {
    let kb = kb();
    let s = PhenotypeScorer::new(&kb, options());
    assert_eq!(s.index().diseases().len(), 3);
    // observed Seizure: OMIM:1 exact 0.5 / (1.25/3) = 1.2; OMIM:2 via its descendant
    // annotation 0.75 / (1.25/3) = 1.8; OMIM:3 is annotated NOT Seizure -> 0.005
    let l = lrs(&s, &case(&kb, &[1250], &[]));
    assert!(
        close(l[0].1, 1.2) && close(l[1].1, 1.8) && close(l[2].1, 0.005),
        "{l:?}"
    );
    // observed Focal-onset seizure: OMIM:2 exact 0.75 / 0.25 = 3; OMIM:1 is annotated to the
    // ancestor Seizure: 0.5 / (1.25/3) = 1.2 (beats the partial match through Nervous,
    // 0.1 x 0.895 / 0.715 = 0.125); OMIM:3: NOT Seizure covers its descendant -> 0.005
    let l = lrs(&s, &case(&kb, &[7359], &[]));
    assert!(
        close(l[0].1, 1.2) && close(l[1].1, 3.0) && close(l[2].1, 0.005),
        "{l:?}"
    );
    // observed Microcephaly: OMIM:2 exact 0.5 / (0.5/3) = 3; OMIM:1 and OMIM:3 share only the
    // ancestor Nervous (A): partial 0.1 x f(A) / bg(A) = 0.1 x 0.895 / 0.715 and 0.1 x 0.5 / 0.715
    let l = lrs(&s, &case(&kb, &[252], &[]));
    let bg_a = 2.145 / 3.0;
    assert!(
        close(l[1].1, 3.0) && close(l[0].1, 0.1 * 0.895 / bg_a) && close(l[2].1, 0.1 * 0.5 / bg_a),
        "{l:?}"
    );
}

#[test]
fn excluded_term_annotated_at_half_and_absent() {
    let kb = kb();
    let s = PhenotypeScorer::new(&kb, options());
    // excluded Microcephaly: OMIM:2 is annotated at 50 %: (1 - 0.5) / (1 - 0.5/3) = 0.6;
    // OMIM:1 and OMIM:3 have no annotation at Microcephaly or its ancestors: exactly 1
    let l = lrs(&s, &case(&kb, &[], &[252]));
    assert!(
        close(l[1].1, 0.6) && l[0].1 == 1.0 && l[2].1 == 1.0,
        "{l:?}"
    );
    // with the default sensitivity γ = 0.1: (1 - 0.05) / (1 - 0.1 x 0.5/3)
    let mut o = options();
    o.lr.excluded_sensitivity = LrParams::default().excluded_sensitivity;
    assert_eq!(o.lr.excluded_sensitivity, 0.1);
    let s = PhenotypeScorer::new(&kb, o);
    let l = lrs(&s, &case(&kb, &[], &[252]));
    assert!(
        close(l[1].1, 0.95 / (1.0 - 0.1 / 6.0)) && l[0].1 == 1.0,
        "{l:?}"
    );
}

#[test]
fn excluded_term_not_annotated_and_by_frequency() {
    let kb = kb();
    let s = PhenotypeScorer::new(&kb, options());
    // excluded Seizure, bg = 1.25/3, 1 - bg = 7/12: OMIM:1 f 0.5 -> 0.5 / (7/12) = 6/7;
    // OMIM:2 f 0.75 (through Focal-onset seizure) -> 0.25 / (7/12) = 3/7, lower: it shows the
    // feature more often; OMIM:3 is annotated NOT Seizure -> 1 / (7/12) = 12/7, the only LR > 1
    let l = lrs(&s, &case(&kb, &[], &[1250]));
    assert!(
        close(l[0].1, 6.0 / 7.0) && close(l[1].1, 3.0 / 7.0) && close(l[2].1, 12.0 / 7.0),
        "{l:?}"
    );
}

#[test]
fn excluded_term_covered_only_by_an_ancestor() {
    let kb = kb();
    let s = PhenotypeScorer::new(&kb, options());
    // excluded Focal-onset seizure (bg 0.25): OMIM:1 is annotated only to the ancestor Seizure
    // (f 0.5): p = 0.5 x 0.25 / (1.25/3) = 0.3, LR = 0.7 / 0.75 = 14/15 (near neutral);
    // OMIM:2 exact 0.75 -> 0.25 / 0.75 = 1/3; OMIM:3 NOT Seizure (ancestor) -> 1 / 0.75
    let l = lrs(&s, &case(&kb, &[], &[7359]));
    assert!(
        close(l[0].1, 14.0 / 15.0) && close(l[1].1, 1.0 / 3.0) && close(l[2].1, 4.0 / 3.0),
        "{l:?}"
    );
}

#[test]
fn excluded_terms_and_post_test_probability() {
    let kb = kb();
    let s = PhenotypeScorer::new(&kb, options());
    // observed Focal-onset seizure + excluded Microcephaly: LRs 1.2 x 1, 3 x 0.6, 0.005 x 1,
    // each raised to the evidence weight τ; post-test with p_unknown 0.5 adds N = 3 to the
    // denominator
    let c = case(&kb, &[7359], &[252]);
    let r = s.rank(&c);
    let w = s.options().evidence_weight;
    let (l1, l2, l3) = (1.2f64.powf(w), 1.8f64.powf(w), 0.005f64.powf(w));
    let denom = l1 + l2 + l3 + 3.0;
    assert_eq!(kb.disease(r.diseases[0].disease).id.to_string(), "OMIM:2");
    assert!(close(
        r.diseases[0].post_test_probability.unwrap(),
        l2 / denom
    ));
    assert!(close(r.diseases[0].score, l2.log10()));
    assert_eq!((r.diseases[0].rank, r.diseases[2].rank), (1, 3));
    // genes: GENEX (OMIM:2) first, FGFR2 (OMIM:1; ORPHA:4 is not indexed) second
    let g: Vec<&str> = r
        .genes
        .iter()
        .map(|g| kb.gene(g.gene).symbol.as_str())
        .collect();
    assert_eq!(g, vec!["GENEX", "FGFR2"]);
    assert!(close(r.genes[1].post_test_probability.unwrap(), l1 / denom));
}

#[test]
fn calibrated_post_test_probability() {
    // the case of `excluded_terms_and_post_test_probability` (1 observed term, LRs 1.2, 1.8,
    // 0.005) with θ 7, κ 0.8, p_unknown 0: the temperature is 7 × 1^-0.8 = 7, so each LR is
    // raised to τθ = 0.2 × 7 = 1.4 and the denominator has no "none of them" mass
    let kb = kb();
    let mut o = options();
    o.probability_temperature = 7.0;
    o.probability_term_decay = 0.8;
    o.probability_pretest_unknown = 0.0;
    let s = PhenotypeScorer::new(&kb, o);
    let c = case(&kb, &[7359], &[252]);
    let r = s.rank(&c);
    let (l1, l2, l3) = (1.2f64.powf(1.4), 1.8f64.powf(1.4), 0.005f64.powf(1.4));
    let denom = l1 + l2 + l3;
    assert!(close(
        r.diseases[0].post_test_probability.unwrap(),
        l2 / denom
    ));
    assert!(close(r.genes[1].post_test_probability.unwrap(), l1 / denom));
    // the score (log10 LR^τ) does not depend on the calibration
    assert!(close(r.diseases[0].score, 1.8f64.powf(0.2).log10()));
    // two observed terms: temperature 7 × 2^-0.8
    let t = 7.0 * 2f64.powf(-0.8);
    assert!(close(s.options().case_temperature(2), t));
    assert!(close(s.options().case_temperature(0), 7.0));
}

#[test]
fn sibling_match_replaces_partial_match_through_a_parent() {
    // observed Microcephaly: OMIM:1 and OMIM:3 meet it only through Nervous (A), a parent of
    // Microcephaly, so `sibling_match` (0.3) applies and `partial_match` (0.05) does not:
    // 0.3 x 0.895 / bg(A) and 0.3 x 0.5 / bg(A); OMIM:2 exact 3 as before
    let kb = kb();
    let mut o = options();
    o.lr.partial_match = 0.05;
    o.lr.sibling_match = 0.3;
    let s = PhenotypeScorer::new(&kb, o);
    let l = lrs(&s, &case(&kb, &[252], &[]));
    let bg_a = 2.145 / 3.0;
    assert!(
        close(l[1].1, 3.0) && close(l[0].1, 0.3 * 0.895 / bg_a) && close(l[2].1, 0.3 * 0.5 / bg_a),
        "{l:?}"
    );
    // the single-disease path (evidence, leave-out) agrees
    let d1 = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
    let c = case(&kb, &[252], &[]);
    let got = s
        .ln_lr_without(&c, d1, &|_| false, &mut Scratch::default())
        .unwrap();
    assert!(close(got.exp(), 0.3 * 0.895 / bg_a), "{}", got.exp());
}

#[test]
fn sibling_floor_keeps_a_sibling_match_neutral_when_the_parent_is_enriched() {
    // observed Microcephaly: OMIM:1 and OMIM:3 meet it through its parent Nervous (A), with
    // r = f_D(A) / bg(A): OMIM:1 0.895 / (2.145 / 3) = 1.2517 (more often than the
    // background), OMIM:3 0.5 / (2.145 / 3) = 0.6993 (less often).
    // Floor 1: LR = max(0.1 r, min(1, r)): OMIM:1 1 (neutral, not 0.125), OMIM:3 0.6993
    // (its own parent ratio, not 0.0699); OMIM:2 exact 0.5 / (0.5 / 3) = 3 either way.
    let kb = kb();
    let c = case(&kb, &[252], &[]);
    let bg_a = 2.145 / 3.0;
    for (floor, want1, want3) in [
        (0.0, 0.1 * 0.895 / bg_a, 0.1 * 0.5 / bg_a),
        (1.0, 1.0, 0.5 / bg_a),
    ] {
        let mut o = options();
        o.lr.sibling_floor = floor;
        let s = PhenotypeScorer::new(&kb, o);
        let l = lrs(&s, &c);
        assert!(
            close(l[0].1, want1) && close(l[1].1, 3.0) && close(l[2].1, want3),
            "floor {floor}: {l:?}"
        );
        // the single-disease path (evidence, leave-out) agrees
        for (id, want) in [("OMIM:1", want1), ("OMIM:3", want3)] {
            let d = kb.disease_index(id.parse().unwrap()).unwrap();
            let got = s
                .ln_lr_without(&c, d, &|_| false, &mut Scratch::default())
                .unwrap();
            assert!(close(got.exp(), want), "floor {floor} {id}: {}", got.exp());
        }
    }
}

#[test]
fn gene_score_sharpness() {
    // with ORPHA:4 ranked, FGFR2 has two diseases (OMIM:1, ORPHA:4); its score is
    // (1/ρ) log10 Σ_d 10^(ρ s_d) over the diseases' reported scores s_d = log10 LR_d^τ
    let kb = kb();
    let gene_score = |rho: f64| {
        let mut o = options();
        o.index.databases = vec![
            odyssey_kb::DiseaseDb::Omim,
            odyssey_kb::DiseaseDb::Orpha,
            odyssey_kb::DiseaseDb::Decipher,
        ];
        o.gene_sharpness = rho;
        let s = PhenotypeScorer::new(&kb, o);
        let r = s.rank(&case(&kb, &[1250, 252], &[]));
        let score_of = |id: &str| {
            let d = kb.disease_index(id.parse().unwrap()).unwrap();
            r.diseases.iter().find(|x| x.disease == d).unwrap().score
        };
        let (s1, s4) = (score_of("OMIM:1"), score_of("ORPHA:4"));
        let g = r
            .genes
            .iter()
            .find(|g| kb.gene(g.gene).symbol == "FGFR2")
            .unwrap();
        let p1 = r
            .diseases
            .iter()
            .find(|x| x.disease == kb.disease_index("OMIM:1".parse().unwrap()).unwrap())
            .unwrap()
            .post_test_probability
            .unwrap();
        let p4 = r
            .diseases
            .iter()
            .find(|x| x.disease == kb.disease_index("ORPHA:4".parse().unwrap()).unwrap())
            .unwrap()
            .post_test_probability
            .unwrap();
        (g.score, s1, s4, g.post_test_probability.unwrap(), p1 + p4)
    };
    for rho in [1.0, 1.5, 4.0] {
        let (g, s1, s4, pg, psum) = gene_score(rho);
        let want = (10f64.powf(rho * s1) + 10f64.powf(rho * s4)).log10() / rho;
        assert!(close(g, want), "ρ {rho}: {g} vs {want}");
        // the gene's probability is the sum of its diseases' whatever ρ
        assert!(close(pg, psum), "ρ {rho}: {pg} vs {psum}");
        // between the best disease and the sum
        assert!(g >= s1.max(s4) - 1e-12 && g <= (10f64.powf(s1) + 10f64.powf(s4)).log10() + 1e-12);
    }
}

#[test]
fn size_prior_by_hand() {
    // β = 1: phenotype annotations n = 2 (OMIM:1), 2 (OMIM:2), 1 (OMIM:3; the NOT annotation
    // is not counted); weights 1/2, 1/2, 1, mean 2/3, so c = ln 1.5 and the priors are
    // 0.75, 0.75, 1.5. The case observes Seizure: LRs 1.2, 1.8, 0.005 (see above).
    let kb = kb();
    let mut o = options();
    o.lr.size_prior = 1.0;
    let s = PhenotypeScorer::new(&kb, o);
    let l = lrs(&s, &case(&kb, &[1250], &[]));
    assert!(
        close(l[0].1, 1.2 * 0.75) && close(l[1].1, 1.8 * 0.75) && close(l[2].1, 0.005 * 1.5),
        "{l:?}"
    );
    // the leave-out path adds the same prior
    let d1 = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
    let c = case(&kb, &[1250], &[]);
    let got = s
        .ln_lr_without(&c, d1, &|_| false, &mut Scratch::default())
        .unwrap();
    assert!(close(got.exp(), 1.2 * 0.75), "{}", got.exp());
}

#[test]
fn resnik_by_hand() {
    // IC over the 4 fixture diseases (odyssey-kb/tests/mini.rs): S ln(4/3), F ln 4, ID ln 2,
    // H ln 2, M ln 4, A 0. Query {F} vs OMIM:1 {S, ID}: row max(IC(S), IC(A)) = ln(4/3);
    // column: S -> ln(4/3), ID -> 0; BMA = ½ (ln(4/3) + ln(4/3)/2)
    let kb = kb();
    let o = kb.ontology();
    let t = |n| o.index(HpoId::new(n)).unwrap();
    let ic: Vec<f64> = o.terms().map(|x| kb.ic(x)).collect();
    let want = 0.5 * ((4.0f64 / 3.0).ln() + (4.0f64 / 3.0).ln() / 2.0);
    assert!(close(
        resnik::bma(&kb, &ic, &[t(7359)], &[t(1250), t(1249)]),
        want
    ));
    let mut opts = options();
    opts.method = Method::Resnik;
    let s = PhenotypeScorer::new(&kb, opts);
    let r = s.rank(&case(&kb, &[7359], &[]));
    let d1 = kb.disease_index("OMIM:1".parse().unwrap()).unwrap();
    let got = r.diseases.iter().find(|d| d.disease == d1).unwrap().score;
    assert!(close(got, want), "{got} {want}");
}
